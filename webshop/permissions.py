"""Predicates on models used by views (abort) and templates (show/hide) alike."""
from __future__ import annotations

from webshop.approvals.rules import Actor, PendingOrder, approval_refusal
from webshop.approvals.rules import Refusal as Refusal
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, User


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.organisation_id, frozenset(user.unit_ids(Role.APPROVER)))


def pending_of(order: Order) -> PendingOrder:
    return PendingOrder(
        order.orderer_id, order.organisation_id, order.unit_id, order.status == OrderStatus.PENDING_APPROVAL
    )


def approval_refused(user: User, order: Order) -> Refusal | None:
    return approval_refusal(actor_of(user), pending_of(order))


def can_approve(user: User, order: Order) -> bool:
    return approval_refused(user, order) is None


def can_view_order(user: User, order: Order) -> bool:
    """Same organisation, and the orderer, someone responsible for the unit, or the coordinator."""
    if user.organisation_id != order.organisation_id:
        return False
    if order.orderer_id == user.id or user.has_role(Role.COORDINATOR):
        return True
    unit_roles = user.unit_ids(Role.APPROVER) | user.unit_ids(Role.UNIT_MANAGER)
    return order.unit_id in unit_roles


def can_order(user: User) -> bool:
    return bool(user.unit_ids(Role.ORDERER))


def is_approver(user: User) -> bool:
    return bool(user.unit_ids(Role.APPROVER))


def can_administer(user: User) -> bool:
    return user.has_role(Role.COORDINATOR) or bool(user.unit_ids(Role.UNIT_MANAGER))
