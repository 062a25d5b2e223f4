#!/usr/bin/env bash
# The README's test command: install the project with its test extras into .venv/ (or the active
# virtual environment), Debian's Chromium for the real-browser tests (never `playwright install`),
# lint, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "warning: chromium could not be installed; browser tests will be skipped"
fi
source scripts/venv.sh
"$PY" -m pip install -q --disable-pip-version-check -e ".[test]"
compile_sources
"$PY" -m ruff check .
"$PY" -m pytest -q "$@"
