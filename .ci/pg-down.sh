#!/usr/bin/env bash
# Stops the cluster started by pg-up.sh and removes its data directory.
set -u
[ -n "${PGDATA_DIR:-}" ] || exit 0
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1
rm -rf "$PGDATA_DIR" "$PGDATA_DIR.initdb.log"
