#!/usr/bin/env bash
# Command 1 of the README: install, migrate, seed demo data and serve on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/motorcred serve "$@"
