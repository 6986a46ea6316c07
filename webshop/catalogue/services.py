"""Which catalogue items an organisation may order, and a simple search over them.

Orderers see the published catalogue version of every agreement their
organisation is a member of and that is valid today.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import contains_eager

from webshop.catalogue.models import (
    Agreement,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    ItemNumber,
    Supplier,
    agreement_members,
)
from webshop.dbtypes import utcnow
from webshop.extensions import db


def today_in_norway() -> date:
    from zoneinfo import ZoneInfo

    return utcnow().astimezone(ZoneInfo("Europe/Oslo")).date()


def live_catalogues_for(organisation_id: int, day: date | None = None) -> Select[tuple[int]]:
    """Ids of the published catalogues the organisation may order from on ``day``."""
    day = day or today_in_norway()
    return (
        select(Catalogue.id)
        .join(Agreement, Agreement.id == Catalogue.agreement_id)
        .join(agreement_members, agreement_members.c.agreement_id == Agreement.id)
        .where(
            agreement_members.c.organisation_id == organisation_id,
            Catalogue.status == CatalogueStatus.PUBLISHED,
            Agreement.valid_from <= day,
            Agreement.valid_to >= day,
        )
    )


def orderable_item(organisation_id: int, item_id: int) -> CatalogueItem | None:
    """The item if the organisation may order it now (live catalogue, not discontinued)."""
    return db.session.scalar(
        select(CatalogueItem).where(
            CatalogueItem.id == item_id,
            CatalogueItem.discontinued.is_(False),
            CatalogueItem.catalogue_id.in_(live_catalogues_for(organisation_id)),
        )
    )


@dataclass(frozen=True)
class SearchPage:
    items: list[CatalogueItem]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_items(organisation_id: int, query: str, *, page: int = 1, page_size: int = 25) -> SearchPage:
    """Items whose name, description, brand, keywords or any item number contain every word.

    Exact item-number hits (supplier, manufacturer, GTIN, paper catalogue) come first.
    A plain substring search: issue #5 replaces it with a ranked, typo-tolerant index.
    """
    words = [w for w in query.lower().split() if w][:8]
    base = (
        select(CatalogueItem)
        .join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .join(Agreement, Agreement.id == Catalogue.agreement_id)
        .join(Supplier, Supplier.id == Agreement.supplier_id)
        .options(
            contains_eager(CatalogueItem.catalogue)
            .contains_eager(Catalogue.agreement)
            .contains_eager(Agreement.supplier)
        )
        .where(CatalogueItem.catalogue_id.in_(live_catalogues_for(organisation_id)))
    )
    exact = func.lower(query.strip())
    number_match = or_(
        func.lower(CatalogueItem.supplier_item_id) == exact,
        func.lower(CatalogueItem.manufacturer_item_id) == exact,
        CatalogueItem.gtin == query.strip(),
        exists().where(and_(ItemNumber.item_id == CatalogueItem.id, func.lower(ItemNumber.value) == exact)),
    )
    text = func.lower(
        CatalogueItem.name + " " + CatalogueItem.description + " " + func.coalesce(CatalogueItem.brand, "")
        + " " + CatalogueItem.keywords + " " + CatalogueItem.supplier_item_id
    )
    conditions = [text.like(f"%{_escape_like(w)}%", escape="\\") for w in words]
    if words:
        base = base.where(or_(number_match, and_(*conditions)))
    total = db.session.scalar(select(func.count()).select_from(base.order_by(None).subquery())) or 0
    rank = number_match.desc() if words else CatalogueItem.name
    rows = db.session.scalars(
        base.order_by(rank, CatalogueItem.discontinued, CatalogueItem.name, CatalogueItem.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return SearchPage(list(rows), total, page, page_size)
