"""Counters kept in the database, so a limit holds across gunicorn workers and app servers.

``hit(key, limit=10, window=timedelta(minutes=15))`` counts one event for ``key`` (for example
``"login:account:ola@lia.no"`` or ``"inbound:supplier-key:17"``) and says whether it is still
within the limit. Once ``limit`` events fall in one window the key is locked until the window
ends (or for ``lockout`` when given), and every hit in that time is refused.

Each call runs in its own short transaction on its own connection and commits at once: a
refused request still counts, whatever the request's own transaction does. The first
statement writes (an insert that does nothing when the key exists), so SQLite takes its write
lock before reading and PostgreSQL locks the row (``FOR UPDATE``): concurrent requests are
counted one after the other and cannot both take the last allowed event. Call it before the
request writes anything itself (on SQLite a second writer would wait for the request's lock).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Connection, Integer, String, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from webshop.dbtypes import UTCDateTime, utcnow
from webshop.extensions import Model, db

MAX_KEY = 200


class RateLimit(Model):
    __tablename__ = "rate_limits"
    key: Mapped[str] = mapped_column(String(MAX_KEY), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


TABLE = RateLimit.__table__


@contextmanager
def _own_transaction() -> Iterator[Connection]:
    with db.engine.begin() as conn:
        yield conn


def _insert_if_missing(conn: Connection, key: str, now: datetime) -> None:
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(dialect.insert(TABLE).values(key=key, count=0, window_started_at=now)
                 .on_conflict_do_nothing(index_elements=["key"]))


def locked_until(key: str) -> datetime | None:
    """When ``key`` is locked, the moment the lock ends; otherwise None. Counts nothing."""
    with _own_transaction() as conn:
        until = conn.scalar(select(TABLE.c.locked_until).where(TABLE.c.key == key[:MAX_KEY]))
    return until if until is not None and until > utcnow() else None


def hit(key: str, *, limit: int, window: timedelta, lockout: timedelta | None = None) -> bool:
    """Count one event for ``key``; False when it is over ``limit`` events in ``window`` (or locked)."""
    key, now = key[:MAX_KEY], utcnow()
    with _own_transaction() as conn:
        _insert_if_missing(conn, key, now)
        row = conn.execute(select(TABLE).where(TABLE.c.key == key).with_for_update()).one()
        if row.locked_until is not None and row.locked_until > now:
            return False
        # row._mapping: for mypy, row.count is tuple.count (the column wins only at runtime)
        count, started = int(row._mapping["count"]) + 1, row.window_started_at
        if row.locked_until is not None or now - started >= window:
            count, started = 1, now
        until = None
        if count >= limit:
            until = now + lockout if lockout is not None else started + window
        conn.execute(update(TABLE).where(TABLE.c.key == key)
                     .values(count=count, window_started_at=started, locked_until=until))
    return count <= limit


def clear(key: str) -> None:
    """Forget ``key`` (a successful login clears the account's failures)."""
    with _own_transaction() as conn:
        conn.execute(delete(TABLE).where(TABLE.c.key == key[:MAX_KEY]))


def purge(*, older_than: timedelta) -> None:
    """Delete counters whose window started more than ``older_than`` ago and that lock nothing."""
    now = utcnow()
    with _own_transaction() as conn:
        conn.execute(delete(TABLE).where(TABLE.c.window_started_at < now - older_than,
                                         or_(TABLE.c.locked_until.is_(None), TABLE.c.locked_until < now)))
