"""Predicates on models used by views (abort) and templates (show/hide) alike.

A predicate about one order has a twin query for the pages that list orders, and
the two must agree (``tests/integration/test_access_twins.py`` checks every demo
user against every demo order):

- ``can_view_order(user, order)`` / ``visible_orders(user)``: the order page / the order list;
- ``can_manage_unit(user, unit)`` / ``manageable_units(user)``: a unit's admin page / the admin overview;
- ``can_approve(user, order)`` / ``approvable_orders(user)``: the decision / the approval
  inbox (they live in ``webshop.approvals.access``, beside the approval rule).
"""
from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from webshop.approvals.access import Refusal as Refusal
from webshop.approvals.access import approvable_orders as approvable_orders
from webshop.approvals.access import approval_refused as approval_refused
from webshop.approvals.access import can_approve as can_approve
from webshop.approvals.models import ApprovalStep, ApprovalStepApprover
from webshop.approvals.queries import has_approval_work
from webshop.orders.models import Order
from webshop.orders.rules import WITH_SUPPLIER
from webshop.orgs.models import Role, Unit, User


def can_view_order(user: User, order: Order) -> bool:
    """Same organisation, and the orderer, someone responsible for the unit, the coordinator,
    anyone on the order's approval route (a named director, an escalation), or whoever may
    decide it today (a deputy). Twin of ``visible_orders``."""
    if user.organisation_id != order.organisation_id:
        return False
    if order.orderer_id == user.id or user.has_role(Role.COORDINATOR):
        return True
    unit_roles = user.unit_ids(Role.APPROVER) | user.unit_ids(Role.UNIT_MANAGER)
    if order.unit_id in unit_roles:
        return True
    steps: list[ApprovalStep] = order.approval_steps  # type: ignore[attr-defined]  # a backref of ApprovalStep.order
    return any(user.id in step.approver_ids for step in steps) or can_approve(user, order)


def visible_orders(user: User) -> Select[Order]:
    """The orders ``can_view_order`` lets ``user`` open, as one query (the order list)."""
    query = select(Order).where(Order.organisation_id == user.organisation_id)
    if user.has_role(Role.COORDINATOR):
        return query
    on_route = exists().where(ApprovalStep.order_id == Order.id, ApprovalStepApprover.step_id == ApprovalStep.id,
                              ApprovalStepApprover.user_id == user.id)
    units = user.unit_ids(Role.APPROVER) | user.unit_ids(Role.UNIT_MANAGER)
    decidable = Order.id.in_(approvable_orders(user).with_only_columns(Order.id).order_by(None))
    return query.where(or_(Order.orderer_id == user.id, Order.unit_id.in_(units),
                           on_route, decidable))


def can_order(user: User) -> bool:
    return bool(user.unit_ids(Role.ORDERER))


def is_approver(user: User) -> bool:
    return bool(user.unit_ids(Role.APPROVER))


def can_open_approvals(user: User) -> bool:
    """The approval inbox: approvers, and anyone who is a deputy today or has a pending step assigned."""
    return is_approver(user) or has_approval_work(user)


def can_administer(user: User) -> bool:
    return user.has_role(Role.COORDINATOR) or bool(user.unit_ids(Role.UNIT_MANAGER))


def can_manage_unit(user: User, unit: Unit | None) -> bool:
    """Ordering authority, budgets and limits for a unit: its unit manager or the municipality's coordinator."""
    if unit is None or unit.organisation_id != user.organisation_id:
        return False
    return user.has_role(Role.COORDINATOR) or unit.id in user.unit_ids(Role.UNIT_MANAGER)


def can_manage_person(user: User, person: User) -> bool:
    """A person's limits: the coordinator, or a unit manager of a unit the person orders or approves for.
    Never one's own limits or approval authority."""
    if person.organisation_id != user.organisation_id or person.id == user.id:
        return False
    managed = user.unit_ids(Role.UNIT_MANAGER)
    return user.has_role(Role.COORDINATOR) or bool((person.unit_ids(Role.ORDERER) | person.unit_ids(Role.APPROVER))
                                                    & managed)


def manageable_units(user: User) -> Select[Unit]:
    """The units ``can_manage_unit`` allows, as one query (the admin overview and statistics)."""
    query = select(Unit).where(Unit.organisation_id == user.organisation_id)
    if user.has_role(Role.COORDINATOR):
        return query
    return query.where(Unit.id.in_(user.unit_ids(Role.UNIT_MANAGER)))


def can_edit_policy(user: User) -> bool:
    """Municipality-wide approval settings (auto-approval, tiers, default limits): the coordinator."""
    return user.has_role(Role.COORDINATOR)


def can_curate_catalogue(user: User) -> bool:
    """The central buyer keeps the collaboration's catalogues (import, curation, synonyms, quality)."""
    return user.has_role(Role.CENTRAL_BUYER)


def can_view_suppliers(user: User) -> bool:
    """See the collaboration's suppliers and their settings (read-only): central buyer, coordinator, trainer."""
    return any(user.has_role(r) for r in (Role.CENTRAL_BUYER, Role.COORDINATOR, Role.TRAINER))


def can_configure_suppliers(user: User) -> bool:
    """Suppliers belong to the collaboration: only the central buyer sets transport and endpoint."""
    return user.has_role(Role.CENTRAL_BUYER)


def can_change_simulation(user: User) -> bool:
    """The simulator's behaviour (training, demos): the trainer and the central buyer. Never transport or keys."""
    return user.has_role(Role.TRAINER) or user.has_role(Role.CENTRAL_BUYER)


def can_handle_failed_deliveries(user: User) -> bool:
    """The municipality's failed EHF deliveries, and sending them again: the coordinator."""
    return user.has_role(Role.COORDINATOR)


def can_follow_suppliers(user: User) -> bool:
    """Supplier statistics, out-of-stock reports and quarantined documents: central buyer and coordinator."""
    return user.has_role(Role.CENTRAL_BUYER) or user.has_role(Role.COORDINATOR)


def can_manage_inbound_tokens(user: User) -> bool:
    """Make (or replace) the key a real supplier sends its answers with: the central buyer only."""
    return user.has_role(Role.CENTRAL_BUYER)


def can_receive_goods(user: User, order: Order) -> bool:
    """Goods receipt, re-order and cancel of missing lines: the orderer, or an orderer for the order's unit."""
    if user.organisation_id != order.organisation_id or order.status not in WITH_SUPPLIER:
        return False
    return order.orderer_id == user.id or order.unit_id in user.unit_ids(Role.ORDERER)
