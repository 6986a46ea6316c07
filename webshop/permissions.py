"""Predicates on models used by views (abort) and templates (show/hide) alike."""
from __future__ import annotations

from webshop.approvals.rules import Actor, PendingOrder, approval_refusal
from webshop.approvals.rules import Refusal as Refusal
from webshop.orders.models import Order
from webshop.orders.rules import WITH_SUPPLIER, OrderStatus
from webshop.orgs.models import Role, User


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.organisation_id, frozenset(user.unit_ids(Role.APPROVER)))


def pending_of(order: Order) -> PendingOrder:
    from webshop.approvals.queries import step_state  # the route snapshot and today's substitutes

    approvers, earlier = step_state(order)
    return PendingOrder(
        order.orderer_id, order.organisation_id, order.unit_id, order.status == OrderStatus.PENDING_APPROVAL,
        approvers, earlier,
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
    if order.unit_id in unit_roles:
        return True
    # People on the order's approval route (a named director, an escalation) and today's deputies.
    return any(user.id in step.approver_ids for step in order.approval_steps) or can_approve(user, order)


def can_order(user: User) -> bool:
    return bool(user.unit_ids(Role.ORDERER))


def is_approver(user: User) -> bool:
    return bool(user.unit_ids(Role.APPROVER))


def can_open_approvals(user: User) -> bool:
    """The approval inbox: approvers, and anyone who is a deputy today or has a pending step assigned."""
    if is_approver(user):
        return True
    from webshop.approvals.queries import has_approval_work

    return has_approval_work(user)


def can_administer(user: User) -> bool:
    return user.has_role(Role.COORDINATOR) or bool(user.unit_ids(Role.UNIT_MANAGER))


def can_manage_unit(user: User, unit) -> bool:
    """Ordering authority, budgets and limits for a unit: its unit manager or the municipality's coordinator."""
    if unit is None or unit.organisation_id != user.organisation_id:
        return False
    return user.has_role(Role.COORDINATOR) or unit.id in user.unit_ids(Role.UNIT_MANAGER)


def can_edit_policy(user: User) -> bool:
    """Municipality-wide approval settings (auto-approval, tiers, default limits): the coordinator."""
    return user.has_role(Role.COORDINATOR)


def can_curate_catalogue(user: User) -> bool:
    """The central buyer keeps the collaboration's catalogues (import, curation, synonyms, quality)."""
    return user.has_role(Role.CENTRAL_BUYER)


def can_configure_suppliers(user: User) -> bool:
    """Set a supplier's transport and simulator behaviour (training, demos): trainer, coordinator, central buyer."""
    return any(user.has_role(r) for r in (Role.TRAINER, Role.COORDINATOR, Role.CENTRAL_BUYER))


def can_follow_suppliers(user: User) -> bool:
    """Supplier statistics, out-of-stock reports and quarantined documents: central buyer and coordinator."""
    return user.has_role(Role.CENTRAL_BUYER) or user.has_role(Role.COORDINATOR)


def can_manage_inbound_tokens(user: User) -> bool:
    """Make the key a real supplier sends its answers with: coordinator or central buyer (not the trainer)."""
    return user.has_role(Role.CENTRAL_BUYER) or user.has_role(Role.COORDINATOR)


def can_receive_goods(user: User, order: Order) -> bool:
    """Goods receipt, re-order and cancel of missing lines: the orderer, or an orderer for the order's unit."""
    if user.organisation_id != order.organisation_id or order.status not in WITH_SUPPLIER:
        return False
    return order.orderer_id == user.id or order.unit_id in user.unit_ids(Role.ORDERER)
