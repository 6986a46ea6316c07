"""Counters kept in the database, so a limit holds across gunicorn workers and app servers.

``hit(key, limit=10, window=timedelta(minutes=15))`` counts one event for ``key`` (for example
``"login:account:ola@lia.no"`` or ``"inbound:supplier-key:17"``) and says whether it is still
within the limit. Once ``limit`` events fall in one window the key is locked until the window
ends (or for ``lockout`` when given), and every hit in that time is refused. The counter row is
locked for the update (``SELECT ... FOR UPDATE``; SQLite serialises writers anyway), so
concurrent requests cannot both take the last allowed event. Functions flush; the caller
commits, also when the request itself fails (a refused login still counts).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, delete, select
from sqlalchemy.exc import IntegrityError
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


def _row(key: str) -> RateLimit:
    key = key[:MAX_KEY]
    row = db.session.scalar(select(RateLimit).where(RateLimit.key == key).with_for_update())
    if row is not None:
        return row
    try:
        with db.session.begin_nested():  # another worker may insert the same key first
            row = RateLimit(key=key, count=0, window_started_at=utcnow())
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(select(RateLimit).where(RateLimit.key == key).with_for_update())
        assert row is not None
    return row


def locked_until(key: str) -> datetime | None:
    """When ``key`` is locked, the moment the lock ends; otherwise None. Counts nothing."""
    until = db.session.scalar(select(RateLimit.locked_until).where(RateLimit.key == key[:MAX_KEY]))
    return until if until is not None and until > utcnow() else None


def hit(key: str, *, limit: int, window: timedelta, lockout: timedelta | None = None) -> bool:
    """Count one event for ``key``; False when it is over ``limit`` events in ``window`` (or locked)."""
    now = utcnow()
    row = _row(key)
    if row.locked_until is not None and row.locked_until > now:
        return False
    if row.locked_until is not None or now - row.window_started_at >= window:
        row.count, row.window_started_at, row.locked_until = 0, now, None
    row.count += 1
    if row.count >= limit:
        row.locked_until = now + lockout if lockout is not None else row.window_started_at + window
    db.session.flush()
    return row.count <= limit


def clear(key: str) -> None:
    """Forget ``key`` (a successful login clears the account's failures)."""
    db.session.execute(delete(RateLimit).where(RateLimit.key == key[:MAX_KEY]))
