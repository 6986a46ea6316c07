"""Server-side login sessions: the cookie holds a random session id, the database its hash.

Flask's session cookie is only signed, so without a server-side record a cookie copied before
logout would keep working until it expires. Every request's user is loaded through
``user_for_session`` (Flask-Login's user_loader): an ended, expired or unknown session id
means nobody is logged in.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from webshop.dbtypes import UTCDateTime, utcnow
from webshop.extensions import Model, db
from webshop.orgs.models import User


class LoginSession(Model):
    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, lifetime: timedelta) -> str:
    """A new session for ``user``; returns the id to keep in the (signed) cookie.

    The user's ended and expired sessions are deleted on the way, so the table stays small."""
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id,
        or_(LoginSession.ended_at.is_not(None), LoginSession.created_at < utcnow() - lifetime)))
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_hash(token)))
    db.session.flush()
    return token


def user_for_session(user_id: int, token: str | None, *, lifetime: timedelta) -> User | None:
    """The active user of a live session: not ended, younger than ``lifetime``, and ``user_id``'s own."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token),
                                                       LoginSession.ended_at.is_(None)))
    if row is None or row.user_id != user_id or utcnow() - row.created_at > lifetime:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None  # a deactivated account is out at once


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(update(LoginSession).where(LoginSession.token_hash == _hash(token),
                                                      LoginSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_all_sessions(user: User) -> None:
    """Log ``user`` out everywhere (e.g. when an account is deactivated or its password changes)."""
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id,
                                                  LoginSession.ended_at.is_(None)).values(ended_at=utcnow()))
