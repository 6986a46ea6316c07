"""One page of a list query: a count query plus one query for the rows, never one per row."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from webshop.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def paginate(query: Select[Any], page: int, page_size: int) -> Page[Any]:
    """Run ``query`` (already ordered, with its loader options) for one page."""
    page = max(page, 1)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return Page(list(rows), total, page, page_size)
