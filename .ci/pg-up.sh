# Source me: starts a throwaway PostgreSQL on 127.0.0.1 and exports TEST_DATABASE_URL.
set -euo pipefail
PG_PORT=${PG_PORT:-54329}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
PGDATA_DIR=$(mktemp -d -t pgdata.XXXXXX)
chown postgres:postgres "$PGDATA_DIR"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust \
    -E UTF8 --locale=C.UTF-8 >"$PGDATA_DIR.initdb.log"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDATA_DIR -c fsync=off -c max_connections=200" start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres webshop_test
export PG_BIN PGDATA_DIR TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/webshop_test"
