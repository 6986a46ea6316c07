"""What the start page and the header show: plain queries over the base (orders, cart, catalogue)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from webshop.cart.models import CartLine
from webshop.cart.services import cart_line_total, cart_lines
from webshop.extensions import db
from webshop.orders.models import AuditEvent, Order
from webshop.orgs.models import User


@dataclass(frozen=True)
class RecentOrder:
    """An order of mine with the last thing that happened to it."""

    order: Order
    last_action: str | None
    last_at: datetime | None
    last_comment: str | None


@dataclass(frozen=True)
class CartSummary:
    lines: int
    suppliers: int
    total: Decimal


def cart_count(user: User) -> int:
    return db.session.scalar(select(func.count(CartLine.id)).where(CartLine.user_id == user.id)) or 0


def cart_summary(user: User) -> CartSummary:
    lines = cart_lines(user)
    return CartSummary(len(lines), len({line.supplier_id for line in lines}),
                       sum((cart_line_total(line) for line in lines), Decimal("0")))


def recent_orders(user: User, limit: int = 5) -> list[RecentOrder]:
    """My latest orders, newest first, each with its latest audit event (two queries)."""
    orders = list(db.session.scalars(  # an orderer always sees their own orders (permissions.can_view_order)
        select(Order).where(Order.organisation_id == user.organisation_id, Order.orderer_id == user.id)
        .order_by(Order.submitted_at.desc(), Order.id.desc()).limit(limit)))
    if not orders:
        return []
    last_ids = select(func.max(AuditEvent.id)).where(AuditEvent.order_id.in_([o.id for o in orders])) \
        .group_by(AuditEvent.order_id)
    events = {e.order_id: e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(last_ids)))}
    out = []
    for order in orders:
        event = events.get(order.id)
        out.append(RecentOrder(order, event.action if event else None, event.at if event else None,
                               event.comment if event else None))
    return out
