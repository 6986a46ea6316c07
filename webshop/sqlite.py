"""SQLite settings for a multi-threaded web app: foreign keys on, WAL so readers
don't block the writer, a busy timeout so concurrent writers wait instead of failing,
and no connection pool for a database file.

Why no pool: since Python 3.11, ``sqlite3`` no longer resets unfinished SELECT
statements on rollback. A result that was not read to the end (and is still alive,
e.g. held by a traceback) keeps its WAL read snapshot after the pool takes the
connection back; the next session that gets it reads the past (``ObjectDeletedError``
right after a commit) and cannot write (``database is locked`` without waiting).
Opening a SQLite connection is cheap, and closing it finalises every statement.
"""
import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The app's engine options, with ``NullPool`` when the database is a SQLite file."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        options.pop("pool_pre_ping", None)  # every connection is new
        options.setdefault("poolclass", NullPool)
    return options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
