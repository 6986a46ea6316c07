"""Store an imported catalogue as a new version and publish it atomically.

The live version keeps serving until the new one is complete: the new rows are
written as a draft (streamed in batches, so a million rows fit in little memory),
its search index is built beside the live one, and the switch (old → retired,
new → published) happens in the same transaction as the caller's commit. Items of
the previous version that are missing from the new file are carried into the new
version as discontinued, so favourites, templates and carts that point at them
can say so and offer substitutes. An import that would discontinue more than a
configurable share of the live items (a header-only file, the wrong file) stops with
``MassDiscontinueError`` unless the caller passes ``confirm_discontinue``.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from webshop.catalogue.csv_import import ItemRow
from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem, CatalogueStatus, ItemNumber
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.search.services import build_index

BATCH = 5_000
_items = CatalogueItem.__table__


class MassDiscontinueError(DomainError):
    """The import would discontinue more of the live items than may pass without a confirmation."""

    def __init__(self, discontinued: int, live: int) -> None:
        super().__init__(_("Importen vil markere %(n)d av %(live)d varer i den publiserte katalogen som utgått. "
                           "Bekreft at det er riktig for å importere likevel.", n=discontinued, live=live))
        self.discontinued = discontinued
        self.live = live


def needs_confirmation(discontinued: int, live: int, remaining: int, *, share: Decimal, minimum: int) -> bool:
    """Must a person confirm an import that discontinues ``discontinued`` of ``live`` items and
    leaves ``remaining`` orderable items in the new version?

    Always when nothing orderable would be left (a header-only file); otherwise when it would
    discontinue more than ``share`` of the live items and at least ``minimum`` of them, so fixing
    a handful of lines in a small catalogue does not ask.
    """
    if discontinued == 0:
        return False
    if remaining == 0:
        return True
    return discontinued >= minimum and Decimal(discontinued) > share * live


def import_catalogue(agreement: Agreement, rows: Iterable[ItemRow], *, publish: bool = True,
                     confirm_discontinue: bool = False) -> Catalogue:
    """Write ``rows`` as the agreement's next catalogue version (and publish it); flush, caller commits.

    If ``rows`` raises (a bad row found late in a streamed file) the caller rolls back
    and nothing of the new version remains; so too on ``MassDiscontinueError`` (see
    ``needs_confirmation``; the limits are the CATALOGUE_DISCONTINUE_CONFIRM_* settings).
    """
    version = (db.session.scalar(select(func.max(Catalogue.version)).where(Catalogue.agreement_id == agreement.id))
               or 0) + 1
    catalogue = Catalogue(agreement_id=agreement.id, version=version, status=CatalogueStatus.DRAFT,
                          search_key=uuid.uuid4().hex, search_generation=0)
    db.session.add(catalogue)
    db.session.flush()
    batch: list[ItemRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            _insert(catalogue.id, batch)
            batch = []
    if batch:
        _insert(catalogue.id, batch)
    previous = db.session.scalar(select(Catalogue.id).where(
        Catalogue.agreement_id == agreement.id, Catalogue.status == CatalogueStatus.PUBLISHED))
    if previous is not None:
        if not confirm_discontinue:
            _check_discontinued(previous, catalogue.id)
        carry_over_missing(previous, catalogue.id)
    build_index(catalogue)
    if publish:
        publish_catalogue(catalogue)
    db.session.flush()
    return catalogue


def _insert(catalogue_id: int, rows: list[ItemRow]) -> None:
    db.session.execute(insert(_items), [_item_values(catalogue_id, r) for r in rows])
    numbered = {r.supplier_item_id: r.paper_catalogue_no for r in rows if r.paper_catalogue_no}
    if numbered:
        ids = db.session.execute(select(CatalogueItem.supplier_item_id, CatalogueItem.id).where(
            CatalogueItem.catalogue_id == catalogue_id, CatalogueItem.supplier_item_id.in_(list(numbered))))
        db.session.execute(insert(ItemNumber), [
            {"item_id": item_id, "kind": "paper_catalogue", "value": numbered[sid]} for sid, item_id in ids])


def discontinued_by(previous_id: int, new_id: int) -> tuple[int, int, int]:
    """(live items of the previous version the new one would discontinue, live items of the previous
    version, orderable items of the new version)."""
    old, new = aliased(CatalogueItem), aliased(CatalogueItem)
    still_live = exists().where(new.catalogue_id == new_id, new.supplier_item_id == old.supplier_item_id,
                                new.discontinued.is_(False))
    live = select(func.count()).select_from(old).where(old.catalogue_id == previous_id, old.discontinued.is_(False))
    remaining = select(func.count()).select_from(new).where(new.catalogue_id == new_id, new.discontinued.is_(False))
    return (db.session.scalar(live.where(~still_live)) or 0, db.session.scalar(live) or 0,
            db.session.scalar(remaining) or 0)


def _check_discontinued(previous_id: int, new_id: int) -> None:
    discontinued, live, remaining = discontinued_by(previous_id, new_id)
    config = current_app.config
    if needs_confirmation(discontinued, live, remaining,
                          share=Decimal(str(config["CATALOGUE_DISCONTINUE_CONFIRM_SHARE"])),
                          minimum=int(config["CATALOGUE_DISCONTINUE_CONFIRM_MIN"])):
        raise MassDiscontinueError(discontinued, live)


def carry_over_missing(previous_id: int, new_id: int) -> None:
    """Copy items of the previous version that the new version lacks, as discontinued."""
    old, new = aliased(CatalogueItem), aliased(CatalogueItem)
    copied = [c for c in _items.columns if c.name not in ("id", "catalogue_id", "discontinued")]
    missing = (
        select(literal(new_id), literal(True), *[getattr(old, c.key) for c in copied])
        .where(old.catalogue_id == previous_id, old.discontinued.is_(False),
               ~exists().where(and_(new.catalogue_id == new_id, new.supplier_item_id == old.supplier_item_id)))
    )
    db.session.execute(insert(_items).from_select(
        [_items.c.catalogue_id, _items.c.discontinued, *copied], missing))
    # ... with their other numbers (the paper-catalogue number still finds them, marked discontinued)
    numbers = ItemNumber.__table__
    other = aliased(ItemNumber)
    carried_numbers = (
        select(new.id, ItemNumber.kind, ItemNumber.value)
        .join(old, and_(old.catalogue_id == previous_id, old.supplier_item_id == new.supplier_item_id))
        .join(ItemNumber, ItemNumber.item_id == old.id)
        .where(new.catalogue_id == new_id, new.discontinued.is_(True), old.discontinued.is_(False),
               ~exists().where(other.item_id == new.id))
    )
    db.session.execute(insert(numbers).from_select([numbers.c.item_id, numbers.c.kind, numbers.c.value],
                                                   carried_numbers))


def publish_catalogue(catalogue: Catalogue) -> None:
    db.session.execute(
        update(Catalogue)
        .where(Catalogue.agreement_id == catalogue.agreement_id, Catalogue.status == CatalogueStatus.PUBLISHED,
               Catalogue.id != catalogue.id)
        .values(status=CatalogueStatus.RETIRED)
    )
    catalogue.status = CatalogueStatus.PUBLISHED
    catalogue.published_at = utcnow()


def _item_values(catalogue_id: int, row: ItemRow) -> dict[str, object]:
    return {
        "catalogue_id": catalogue_id,
        "supplier_item_id": row.supplier_item_id,
        "manufacturer_item_id": row.manufacturer_item_id,
        "gtin": row.gtin,
        "name": row.name,
        "description": row.description,
        "brand": row.brand,
        "keywords": row.keywords,
        "unspsc": row.unspsc,
        "unit_code": row.unit_code,
        "pack_size": row.pack_size,
        "price": row.price,
        "list_price": row.list_price,
        "vat_rate": row.vat_rate,
        "discontinued": row.discontinued,
        "image_url": row.image_url,
        "eco_label": row.eco_label,
        "out_of_stock_reported_at": None,
    }
