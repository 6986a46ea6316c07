"""Log-in checks: throttling per account and per client address, and the same work for an
unknown account as for a known one.

Failed attempts are counted with ``webshop.ratelimit`` (in the database, shared by every
worker and server). An unknown e-mail address still costs one password-hash check, against a
dummy hash made with the configured method, so response times do not tell which addresses
have accounts.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from webshop import ratelimit
from webshop.extensions import db
from webshop.orgs.models import User


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    lockout: timedelta


class LoginRefused(Exception):
    """The login did not succeed; the message is the same whatever the reason."""


class LoginLocked(LoginRefused):
    """Too many failures for this account or address; ``until`` is when the lock ends."""

    def __init__(self, until: datetime) -> None:
        super().__init__("locked")
        self.until = until


def _dummy_hash() -> str:
    cached = current_app.extensions.get("webshop.dummy_password_hash")
    if cached is None:
        probe = User()
        probe.set_password(secrets.token_urlsafe(16))
        cached = current_app.extensions["webshop.dummy_password_hash"] = probe.password_hash
    return cached


def _keys(email: str, address: str | None, limits: LoginLimits) -> list[tuple[str, int]]:
    return [(f"login:account:{email}", limits.per_account), (f"login:address:{address}", limits.per_address)]


def authenticate(email: str, password: str, *, address: str | None, limits: LoginLimits) -> User:
    """The active user with this e-mail and password; raises LoginLocked or LoginRefused.

    A failure counts against the account and the client address; a success clears the
    account's count. Nothing here writes through ``db.session``.
    """
    email = email.strip().lower()
    keys = _keys(email, address, limits)
    locks = [until for until in (ratelimit.locked_until(key) for key, _ in keys) if until is not None]
    if locks:
        raise LoginLocked(max(locks))
    user: User | None = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        User(password_hash=_dummy_hash()).check_password(password)  # as long as a real check
    if user is None or not user.check_password(password) or not user.active:
        for key, limit in keys:
            ratelimit.hit(key, limit=limit, window=limits.lockout, lockout=limits.lockout)
        raise LoginRefused("wrong e-mail or password")
    return user


def forget_failures(email: str) -> None:
    """After a successful login: clear the account's count, and drop counters nobody has hit for a day."""
    ratelimit.clear(f"login:account:{email.strip().lower()}")
    ratelimit.purge(older_than=timedelta(days=1))
