#!/usr/bin/env bash
# Sourced by demo.sh and test.sh: use the active virtual environment, else create and use .venv/
# of this checkout with the distribution's python3 (>= 3.11). Nothing is installed into the system
# Python (PEP 668). On Debian the venv module needs python3-venv: installed when running as root,
# else the script says what to install.
if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
  PY="$VIRTUAL_ENV/bin/python"
else
  base=$(command -v python3 || true)
  if [ -z "$base" ]; then
    echo "python3 not found: install Python >= 3.11 (Debian: apt-get install python3 python3-venv)" >&2
    exit 1
  fi
  if ! "$base" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "Python >= 3.11 needed, $("$base" --version 2>&1) found" >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    if ! "$base" -c 'import ensurepip, venv' 2>/dev/null; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        ver=$("$base" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
          "python${ver}-venv" >/dev/null) || {
          echo "could not install python${ver}-venv" >&2
          exit 1
        }
      else
        echo "the venv module is missing: install it (Debian: sudo apt-get install python3-venv)" >&2
        exit 1
      fi
    fi
    rm -rf .venv
    "$base" -m venv .venv
  fi
  PY="$PWD/.venv/bin/python"
fi
export PATH="$(dirname "$PY"):$PATH"
"$PY" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true

# The project's own modules compiled once, here: an editable install leaves them as sources, and
# where PYTHONDONTWRITEBYTECODE is set (as on these machines) every CLI call would compile them
# again (≈ 70 ms of a 0.5 s search). Stale files are never used: Python checks each source's time.
compile_sources() {
  "$PY" -m compileall -q ingest index supplier_search ui >/dev/null 2>&1 || true
}
