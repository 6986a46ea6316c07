"""Who may decide on an order (pure rules: no Flask, no SQLAlchemy).

The service layer turns models into these small value objects, so the rules can
be tested exhaustively without an app or a database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    organisation_id: int
    approver_unit_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class PendingOrder:
    orderer_id: int
    organisation_id: int
    unit_id: int
    is_pending: bool
    # The route snapshot: who may decide the current step today (after substitutes), and who
    # decided earlier steps. None: an order without a stored route (the unit's approvers decide).
    step_approver_ids: frozenset[int] | None = None
    earlier_decider_ids: frozenset[int] = field(default_factory=frozenset)


class Refusal(StrEnum):
    """Why an approval is refused; the view turns each into a message for the user."""

    OTHER_ORGANISATION = "other_organisation"
    NOT_APPROVER_FOR_UNIT = "not_approver_for_unit"
    OWN_ORDER = "own_order"
    NOT_PENDING = "not_pending"
    DECIDED_EARLIER_STEP = "decided_earlier_step"


def approval_refusal(actor: Actor, order: PendingOrder) -> Refusal | None:
    """Return why ``actor`` may not decide on ``order``, or None if they may.

    An orderer can never approve their own order, whatever other roles they hold.
    """
    if actor.organisation_id != order.organisation_id:
        return Refusal.OTHER_ORGANISATION
    if actor.user_id == order.orderer_id and (
        order.unit_id in actor.approver_unit_ids or actor.user_id in (order.step_approver_ids or ())
    ):
        return Refusal.OWN_ORDER
    if not order.is_pending and (order.step_approver_ids is not None or order.unit_id in actor.approver_unit_ids):
        return Refusal.NOT_PENDING
    if order.step_approver_ids is None:
        if order.unit_id not in actor.approver_unit_ids:
            return Refusal.NOT_APPROVER_FOR_UNIT
    elif actor.user_id in order.earlier_decider_ids:
        return Refusal.DECIDED_EARLIER_STEP
    elif actor.user_id not in order.step_approver_ids:
        return Refusal.NOT_APPROVER_FOR_UNIT
    if actor.user_id == order.orderer_id:
        return Refusal.OWN_ORDER
    if not order.is_pending:
        return Refusal.NOT_PENDING
    return None


def can_approve(actor: Actor, order: PendingOrder) -> bool:
    return approval_refusal(actor, order) is None
