"""One-time links for accounts: an invitation to set a first password, or a password reset.

Only a SHA-256 hash of the link's token is stored; the token itself is in the e-mail. A
token expires, works once, and a newer token of the same kind replaces the older ones.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.dbtypes import StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.orgs.models import User


class TokenPurpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


class AccountToken(Model):
    __tablename__ = "account_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(StrEnumType(TokenPurpose, 20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user: Mapped[User] = relationship(foreign_keys=[user_id])
