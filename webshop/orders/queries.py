"""Read-side queries for order lists: one query per page, whatever the row count."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from webshop.extensions import db
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, User


@dataclass(frozen=True)
class OrderPage:
    orders: list[Order]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def visible_orders(user: User) -> Select[tuple[Order]]:
    """Orders the user may see: own orders, and their units' orders for approvers and managers."""
    query = select(Order).where(Order.organisation_id == user.organisation_id)
    if user.has_role(Role.COORDINATOR):
        return query
    units = user.unit_ids(Role.APPROVER) | user.unit_ids(Role.UNIT_MANAGER)
    return query.where(or_(Order.orderer_id == user.id, Order.unit_id.in_(units)))


def paginate(query: Select[tuple[Order]], page: int, page_size: int = 50) -> OrderPage:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(
        query.options(joinedload(Order.unit), joinedload(Order.supplier), joinedload(Order.orderer))
        .order_by(Order.submitted_at.desc(), Order.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return OrderPage(list(rows), total, page, page_size)


def approval_inbox(user: User) -> Select[tuple[Order]]:
    """Pending orders of the units the user approves for, excluding their own."""
    return select(Order).where(
        Order.organisation_id == user.organisation_id,
        Order.unit_id.in_(user.unit_ids(Role.APPROVER)),
        Order.status == OrderStatus.PENDING_APPROVAL,
        Order.orderer_id != user.id,
    )
