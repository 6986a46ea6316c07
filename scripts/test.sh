#!/usr/bin/env bash
# The whole test suite: on SQLite always, and on PostgreSQL too when
# TEST_DATABASE_URL points at one. Tests that never touch the database
# (tests/unit, tests/ehf) run once; every other folder runs on both.
set -uo pipefail
cd "$(dirname "$0")/.."
# pytest-xdist: one worker per core (TEST_WORKERS=0 runs in one process); the browser tests spread
# over the workers like the others (each worker starts its own Chromium, about a second). Each worker has its own SQLite file, and on PostgreSQL its own database
# (tests/conftest.py database_url).
PYTEST=".venv/bin/python -m pytest -n ${TEST_WORKERS:-auto} --dist loadgroup"
DB_FREE=(--ignore=tests/unit --ignore=tests/ehf)
PG_URL="${TEST_DATABASE_URL:-}"

echo "== Lint: ruff, the import contracts (ehf/ stays a standalone library) and mypy =="
.venv/bin/ruff check webshop ehf seed tests bench && .venv/bin/lint-imports --no-cache && .venv/bin/mypy
lint_rc=$?
(( lint_rc == 0 )) && echo "lint ok"

echo "== Test suite on SQLite =="
env -u TEST_DATABASE_URL $PYTEST "$@"
sqlite_rc=$?

if [[ "$PG_URL" == postgresql* ]]; then
    echo "== Database tests on PostgreSQL (${PG_URL%%@*}@…) =="
    TEST_DATABASE_URL="$PG_URL" $PYTEST "${DB_FREE[@]}" "$@"
    pg_rc=$?
else
    echo "== PostgreSQL run SKIPPED: TEST_DATABASE_URL is not a postgresql:// URL."
    echo "   (.ci/run starts a throwaway PostgreSQL and runs it; on a laptop: export TEST_DATABASE_URL=postgresql+psycopg://…)"
    pg_rc=0
fi

if (( lint_rc != 0 || sqlite_rc != 0 || pg_rc != 0 )); then
    echo "FAILED: lint exit $lint_rc, SQLite exit $sqlite_rc, PostgreSQL exit $pg_rc"
    exit 1
fi
