"""Read-side queries for order lists: one query per page, whatever the row count."""
from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from webshop import pagination as pages
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, User
from webshop.pagination import Page


def visible_orders(user: User) -> Select[tuple[Order]]:
    """Orders the user may see: own orders, and their units' orders for approvers and managers."""
    query = select(Order).where(Order.organisation_id == user.organisation_id)
    if user.has_role(Role.COORDINATOR):
        return query
    units = user.unit_ids(Role.APPROVER) | user.unit_ids(Role.UNIT_MANAGER)
    return query.where(or_(Order.orderer_id == user.id, Order.unit_id.in_(units)))


def paginate(query: Select[tuple[Order]], page: int, page_size: int = 50) -> Page[Order]:
    """A page of orders, newest first, with unit, supplier and orderer loaded in the same query."""
    return pages.paginate(
        query.options(joinedload(Order.unit), joinedload(Order.supplier), joinedload(Order.orderer))
        .order_by(Order.submitted_at.desc(), Order.id.desc()),
        page,
        page_size,
    )


def approval_inbox(user: User) -> Select[tuple[Order]]:
    """Pending orders of the units the user approves for, excluding their own."""
    return select(Order).where(
        Order.organisation_id == user.organisation_id,
        Order.unit_id.in_(user.unit_ids(Role.APPROVER)),
        Order.status == OrderStatus.PENDING_APPROVAL,
        Order.orderer_id != user.id,
    )
