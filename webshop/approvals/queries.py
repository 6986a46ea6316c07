"""Read side of the approval workflow: the current step, who may decide it today, and
month-to-date spend. The approver inbox is ``approvals.access.approvable_orders``, beside
``can_approve``."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select

from webshop.approvals.models import (
    ApprovalStep,
    ApprovalStepApprover,
    ApprovalSubstitute,
    decisions_of,
    steps_of,
)
from webshop.approvals.policy import Absence, effective_approvers
from webshop.catalogue.services import today_in_norway
from webshop.extensions import db
from webshop.orders.models import Order
from webshop.orders.rules import SPEND_COMMITTING, OrderStatus
from webshop.orgs.models import User

OSLO = ZoneInfo("Europe/Oslo")


def current_step(order: Order) -> ApprovalStep | None:
    return next((s for s in steps_of(order) if s.decided_at is None), None)


def absences_on(day: date, user_ids: set[int] | frozenset[int] | None = None) -> list[Absence]:
    query = select(ApprovalSubstitute).where(ApprovalSubstitute.starts_on <= day, ApprovalSubstitute.ends_on >= day)
    if user_ids is not None:
        query = query.where(ApprovalSubstitute.approver_id.in_(user_ids))
    return [Absence(s.approver_id, s.deputy_id, s.starts_on, s.ends_on) for s in db.session.scalars(query)]


def step_state(order: Order) -> tuple[frozenset[int] | None, frozenset[int]]:
    """(who may decide the current step today, who decided earlier steps); (None, ∅) without a route."""
    if not steps_of(order):
        return None, frozenset()
    earlier = frozenset(d.approver_id for d in decisions_of(order))
    step = current_step(order)
    if step is None:
        return frozenset(), earlier
    ids = step.approver_ids
    return effective_approvers(ids, absences_on(today_in_norway(), ids), today_in_norway()), earlier


def month_start(day: date | None = None) -> datetime:
    day = day or today_in_norway()
    return datetime(day.year, day.month, 1, tzinfo=OSLO).astimezone(UTC)


def month_spend(*, orderer_id: int | None = None, unit_id: int | None = None, exclude_order_id: int | None = None,
                day: date | None = None) -> Decimal:
    """Month-to-date total (excl. VAT) of the orders that commit money (see ``SPEND_COMMITTING``)."""
    query = select(Order.total).where(Order.submitted_at >= month_start(day), Order.status.in_(SPEND_COMMITTING))
    if orderer_id is not None:
        query = query.where(Order.orderer_id == orderer_id)
    if unit_id is not None:
        query = query.where(Order.unit_id == unit_id)
    if exclude_order_id is not None:
        query = query.where(Order.id != exclude_order_id)
    # Money is stored as scaled integers; sum the Decimals here so SQLite and PostgreSQL agree exactly.
    return sum(db.session.scalars(query), Decimal("0.00"))


def has_approval_work(user: User, day: date | None = None) -> bool:
    """Is ``user`` a deputy today, or on an undecided step of a pending order (e.g. after an escalation)?

    Lets people who are not approvers for any unit reach the inbox when they have something in it.
    """
    day = day or today_in_norway()
    deputy = select(ApprovalSubstitute.id).where(
        ApprovalSubstitute.deputy_id == user.id, ApprovalSubstitute.starts_on <= day, ApprovalSubstitute.ends_on >= day)
    assigned = (select(ApprovalStepApprover.step_id)
                .join(ApprovalStep, ApprovalStep.id == ApprovalStepApprover.step_id)
                .join(Order, Order.id == ApprovalStep.order_id)
                .where(ApprovalStepApprover.user_id == user.id, ApprovalStep.decided_at.is_(None),
                       Order.status == OrderStatus.PENDING_APPROVAL))
    return bool(db.session.scalar(select(or_(exists(deputy), exists(assigned)))))
