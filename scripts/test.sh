#!/usr/bin/env bash
# Command 2 of the README: install, then run the whole suite — lint, types, and
# the tests on SQLite and on PostgreSQL (database `test` at 127.0.0.1:5432;
# every run uses a fresh schema). Set MOTORCRED_TEST_POSTGRES=skip to run on
# SQLite only (the CI never does).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY=.venv/bin/python

echo "== ruff"
"$PY" -m ruff check src tests bench
echo "== mypy --strict"
"$PY" -m mypy

run_pytest() {
  local label="$1"; shift
  echo "== pytest on $label"
  set +e
  "$PY" -m pytest -q -p no:cacheprovider "$@"
  local rc=$?
  set -e
  if [ "$rc" -eq 5 ]; then
    echo "pytest on $label: no tests ran" >&2
    exit 1
  fi
  if [ "$rc" -ne 0 ]; then
    echo "pytest on $label: failed (exit $rc)" >&2
    exit "$rc"
  fi
}

MOTORCRED_TEST_DATABASE_URL="" run_pytest SQLite "$@"

pg_url="${MOTORCRED_TEST_POSTGRES_URL:-postgresql+psycopg://127.0.0.1:5432/test}"
if [ "${MOTORCRED_TEST_POSTGRES:-}" = "skip" ]; then
  echo "== PostgreSQL run skipped (MOTORCRED_TEST_POSTGRES=skip)"
else
  MOTORCRED_TEST_DATABASE_URL="$pg_url" run_pytest PostgreSQL -m "not sqlite_only" "$@"
fi
echo "== all checks passed"
