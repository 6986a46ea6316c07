"""Real organisations versus training sandboxes: one predicate for every figure that counts.

A sandbox (``Organisation.is_sandbox``) is a practice organisation of the training lab. Spend,
statistics, the leader's view, approval inboxes and deliveries to real suppliers must never see
its orders. Queries say so with :func:`real_organisation_ids` (a subquery) or
:func:`is_real_organisation` (the same rule for one loaded object), so the rule lives here once.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from webshop.orgs.models import Organisation


def real_organisation_ids() -> Select[tuple[int]]:
    """The ids of organisations that are not training sandboxes, for ``column.in_(...)``."""
    return select(Organisation.id).where(Organisation.is_sandbox.is_(False))


def sandbox_organisation_ids() -> Select[tuple[int]]:
    """The ids of training sandboxes, for ``column.in_(...)``."""
    return select(Organisation.id).where(Organisation.is_sandbox.is_(True))


def is_real_organisation(organisation: Organisation) -> bool:
    """The object twin of :func:`real_organisation_ids`."""
    return not organisation.is_sandbox
