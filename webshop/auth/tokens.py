"""Personal API tokens: `Authorization: Bearer <token>` for the JSON API.

Only a SHA-256 hash of a token is stored; the token itself is shown once, when it
is created on the profile page or with `flask --app webshop token create EMAIL`.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from webshop.dbtypes import UTCDateTime, utcnow
from webshop.extensions import Model, db
from webshop.orgs.models import User

PREFIX = "ink_"
LAST_USED_RESOLUTION = timedelta(minutes=5)


class ApiToken(Model):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))  # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token text (shown once)."""
    text = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=(name.strip() or "API")[:100], token_hash=_hash(text), hint=text[:10])
    db.session.add(row)
    db.session.flush()
    return row, text


def user_for_token(text: str) -> User | None:
    """The active user a valid, unrevoked token belongs to."""
    if not text.startswith(PREFIX) or len(text) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(text), ApiToken.revoked_at.is_(None))
                            .options(joinedload(ApiToken.user).lazyload(User.roles)))  # roles: when needed
    if row is None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:  # not a write per request
        row.last_used_at = now
    return row.user


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(user: User, token_id: int) -> bool:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return False
    row.revoked_at = row.revoked_at or utcnow()
    db.session.flush()
    return True
