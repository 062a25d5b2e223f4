#!/usr/bin/env bash
# The README's demo command: install into .venv/ (or the active virtual environment), build the
# demo index from corpus/'s document folders if there is none, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
"$PY" -m pip install -q --disable-pip-version-check -e .
compile_sources
if ! supplier-search stats >/dev/null 2>&1; then
  supplier-search ingest corpus/html corpus/pdf corpus/txt
fi
exec streamlit run ui/streamlit_app.py --browser.gatherUsageStats false "$@"
