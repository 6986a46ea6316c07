"""Real organisations versus training sandboxes: one predicate for every figure that counts.

A sandbox (``Organisation.is_sandbox``) is a practice organisation of the training lab. Spend,
statistics, the leader's view, approval inboxes and deliveries to real suppliers must never see
its orders. Queries say so with :func:`real_organisation_ids` (a subquery) or
:func:`is_real_organisation` (the same rule for one loaded object), so the rule lives here once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from blinker import Namespace
from sqlalchemy import Select, select

from webshop.orgs.models import Organisation


def real_organisation_ids() -> Select[int]:
    """The ids of organisations that are not training sandboxes, for ``column.in_(...)``."""
    return select(Organisation.id).where(Organisation.is_sandbox.is_(False))


def sandbox_organisation_ids() -> Select[int]:
    """The ids of training sandboxes, for ``column.in_(...)``."""
    return select(Organisation.id).where(Organisation.is_sandbox.is_(True))


def is_real_organisation(organisation: Organisation) -> bool:
    """The object twin of :func:`real_organisation_ids`."""
    return not organisation.is_sandbox


@dataclass(frozen=True)
class SandboxSettings:
    """How a sandbox differs from its template while it is used (the training lab's condition):
    the supplier's raw names and no synonyms in its search, a limited range, a supplier behaviour."""

    raw_catalogue: bool = False
    limited_range: bool = False
    supplier_behaviour: str | None = None
    range_keys: frozenset[str] | None = None  # limited range: the item keys (search.index.item_key) it offers


NORMAL: Final = SandboxSettings()
_signals = Namespace()
# Sent with the sandbox's organisation id; the training lab answers with its SandboxSettings.
# The base asks only for sandboxes, so a real municipality's request never runs a receiver.
sandbox_settings_requested: Final = _signals.signal("sandbox-settings-requested")


def sandbox_settings(organisation_id: int) -> SandboxSettings:
    """The settings a sandbox works under now (NORMAL when nobody answers)."""
    for _receiver, answer in sandbox_settings_requested.send(organisation_id):
        if isinstance(answer, SandboxSettings):
            return answer
    return NORMAL
