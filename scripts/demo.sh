#!/usr/bin/env bash
# The README's demo command: install, build the demo index from corpus/ if there is none, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e .
if ! supplier-search stats >/dev/null 2>&1; then
  supplier-search ingest corpus/
fi
exec streamlit run ui/streamlit_app.py --browser.gatherUsageStats false "$@"
