"""The base class of every error a user is shown: a rule refused what they asked for.

Services raise a subclass (``OrderError``, ``CartError``, ``SupplierError`` …) with a
translated message; ``webshop.views_support.transaction`` rolls the request's
transaction back, shows the message and redirects. Anything else is a bug and
surfaces as a 500.
"""
from __future__ import annotations


class DomainError(Exception):
    """A use case that cannot be done as asked; ``str(exc)`` is the message for the user."""

    #: The flash category the message is shown with.
    category: str = "danger"
