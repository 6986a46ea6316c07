"""Errors of the supplier side; the message is shown to people."""
from __future__ import annotations

from webshop.errors import DomainError


class SupplierError(DomainError):
    """A supplier-side action that cannot be done; the message is shown to the user."""


class Quarantine(Exception):
    """An inbound document cannot be applied; the message is the reason shown to people.
    ``public``: what the sender is told instead, where the reason would reveal other orders."""

    def __init__(self, reason: str, *, public: str | None = None) -> None:
        super().__init__(reason)
        self.public = public
