"""Read-side queries for order lists: one query per page, whatever the row count.

Which orders a user may see is ``webshop.permissions.visible_orders`` (beside ``can_view_order``)."""
from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from webshop import pagination as pages
from webshop.orders.models import Order
from webshop.pagination import Page


def paginate(query: Select[Order], page: int, page_size: int = 50) -> Page[Order]:
    """A page of orders, newest first, with unit, supplier and orderer loaded in the same query."""
    return pages.paginate(
        query.options(joinedload(Order.unit), joinedload(Order.supplier), joinedload(Order.orderer))
        .order_by(Order.submitted_at.desc(), Order.id.desc()),
        page,
        page_size,
    )
