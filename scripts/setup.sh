#!/usr/bin/env bash
# Create (or refresh) the project virtualenv in .venv from the pinned lock file.
# Idempotent and quiet when nothing changed: the lock file's hash is remembered.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=".venv"
STAMP="$VENV/.motorcred-lock-hash"

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtualenv in $VENV"
  "$PYTHON" -m venv "$VENV"
fi

# pip's own warnings about unreachable local index mirrors are noise here.
pip_quiet() {
  "$VENV/bin/python" -m pip install --quiet "$@" 2>&1 | sed '/is ignored: it is neither a file nor a directory/d'
}

want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
  echo "setup: installing pinned dependencies (requirements.lock)"
  pip_quiet --upgrade pip
  pip_quiet -r requirements.lock
  pip_quiet --no-deps -e .
  echo "$want" > "$STAMP"
fi
