"""Store an imported catalogue as a new version and publish it atomically.

The live version keeps serving until the new one is complete: the new rows are
written as a draft, and the switch (old → retired, new → published) happens in
the same transaction as the caller's commit.
"""
from __future__ import annotations

from sqlalchemy import func, insert, select, update

from webshop.catalogue.csv_import import ItemRow
from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem, CatalogueStatus, ItemNumber
from webshop.dbtypes import utcnow
from webshop.extensions import db

BATCH = 5_000


def import_catalogue(agreement: Agreement, rows: list[ItemRow], *, publish: bool = True) -> Catalogue:
    version = (db.session.scalar(select(func.max(Catalogue.version)).where(Catalogue.agreement_id == agreement.id))
               or 0) + 1
    catalogue = Catalogue(agreement_id=agreement.id, version=version, status=CatalogueStatus.DRAFT)
    db.session.add(catalogue)
    db.session.flush()
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(CatalogueItem), [_item_values(catalogue.id, r) for r in rows[start:start + BATCH]])
    numbered = [r for r in rows if r.paper_catalogue_no]
    if numbered:
        ids = dict(db.session.execute(
            select(CatalogueItem.supplier_item_id, CatalogueItem.id).where(CatalogueItem.catalogue_id == catalogue.id)
        ).all())
        db.session.execute(insert(ItemNumber), [
            {"item_id": ids[r.supplier_item_id], "kind": "paper_catalogue", "value": r.paper_catalogue_no}
            for r in numbered
        ])
    if publish:
        publish_catalogue(catalogue)
    db.session.flush()
    return catalogue


def publish_catalogue(catalogue: Catalogue) -> None:
    db.session.execute(
        update(Catalogue)
        .where(Catalogue.agreement_id == catalogue.agreement_id, Catalogue.status == CatalogueStatus.PUBLISHED)
        .values(status=CatalogueStatus.RETIRED)
    )
    catalogue.status = CatalogueStatus.PUBLISHED
    catalogue.published_at = utcnow()


def _item_values(catalogue_id: int, row: ItemRow) -> dict:
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
    }
