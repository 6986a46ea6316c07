"""Who may decide on an order, asked two ways that must agree (Indico's ``can_*`` + query):

- ``can_approve(user, order)`` for one order (the decision page, the button, the service);
- ``approvable_orders(user)``, the same rule as a query (the approval inbox).

The rule itself is ``approvals.rules.approval_refusal``: the current step of the
order's stored route, decided by its approvers or, while one is away, their deputy;
never the orderer, never someone who decided an earlier step; an order without a
stored route is decided by the unit's approvers. ``tests/integration/test_access_twins.py``
checks both against every demo user and every demo order.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Select, and_, exists, func, or_, select

from webshop.approvals.models import ApprovalDecision, ApprovalStep, ApprovalStepApprover, ApprovalSubstitute
from webshop.approvals.queries import step_state
from webshop.approvals.rules import Actor, PendingOrder, Refusal, approval_refusal
from webshop.catalogue.services import today_in_norway
from webshop.extensions import db
from webshop.orders.models import Order, OrderLine
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, User

__all__ = ["Refusal", "approvable_orders", "approval_refused", "can_approve", "deciding_for"]


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.organisation_id, frozenset(user.unit_ids(Role.APPROVER)))


def pending_of(order: Order) -> PendingOrder:
    approvers, earlier = step_state(order)  # the route snapshot, after today's substitutes
    return PendingOrder(
        order.orderer_id, order.organisation_id, order.unit_id, order.status == OrderStatus.PENDING_APPROVAL,
        approvers, earlier,
    )


def approval_refused(user: User, order: Order) -> Refusal | None:
    """Why ``user`` may not decide on ``order`` now, or None if they may."""
    return approval_refusal(actor_of(user), pending_of(order))


def can_approve(user: User, order: Order) -> bool:
    """May ``user`` decide (approve, reject, return) ``order`` now? Twin of ``approvable_orders``."""
    return approval_refused(user, order) is None


def deciding_for(user: User, day: date | None = None) -> set[int]:
    """The people whose route steps ``user`` decides today: themselves unless away, and whoever they deputise for."""
    day = day or today_in_norway()
    today = (ApprovalSubstitute.starts_on <= day) & (ApprovalSubstitute.ends_on >= day)
    ids = set(db.session.scalars(select(ApprovalSubstitute.approver_id).where(
        ApprovalSubstitute.deputy_id == user.id, today)))
    away = db.session.scalar(select(ApprovalSubstitute.id).where(ApprovalSubstitute.approver_id == user.id, today)
                             .limit(1)) is not None
    return ids if away else ids | {user.id}


def approvable_orders(user: User, *, unit_id: int | None = None, catalogue_only: bool = False,
                      min_total: Decimal | None = None) -> Select[Order]:
    """The orders ``user`` may decide now (the inbox), optionally narrowed. Twin of ``can_approve``."""
    first_open = (
        select(func.min(ApprovalStep.number))
        .where(ApprovalStep.order_id == Order.id, ApprovalStep.decided_at.is_(None))
        .correlate(Order).scalar_subquery()
    )
    on_current_step = exists().where(
        ApprovalStep.order_id == Order.id, ApprovalStep.number == first_open,
        ApprovalStepApprover.step_id == ApprovalStep.id, ApprovalStepApprover.user_id.in_(deciding_for(user)),
    )
    without_route = and_(  # orders submitted before routes were stored: the unit's approvers
        ~exists().where(ApprovalStep.order_id == Order.id),
        Order.unit_id.in_(user.unit_ids(Role.APPROVER)),
    )
    query = select(Order).where(
        Order.organisation_id == user.organisation_id,
        Order.status == OrderStatus.PENDING_APPROVAL,
        Order.orderer_id != user.id,
        or_(on_current_step, without_route),
        ~exists().where(ApprovalDecision.order_id == Order.id, ApprovalDecision.approver_id == user.id),
    )
    if unit_id:
        query = query.where(Order.unit_id == unit_id)
    if min_total is not None:
        query = query.where(Order.total >= min_total)
    if catalogue_only:
        query = query.where(~exists().where(OrderLine.order_id == Order.id, OrderLine.is_free_text.is_(True)))
    return query
