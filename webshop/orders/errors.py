"""Errors of the order use cases; the message is shown to the user."""
from __future__ import annotations

from webshop.errors import DomainError


class OrderError(DomainError):
    """An order action that cannot be done; the message is shown to the user."""


class AlreadyDecided(OrderError):
    """Someone else changed the order first (the compare-and-set lost)."""

    category = "warning"


class NotAllowed(OrderError):
    """This person (or this part of the system) may not make this change to the order."""
