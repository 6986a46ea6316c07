"""Glue between the database and the search index: build, re-index, find the live indexes.

Every process keeps its opened indexes in ``app.extensions``; which index to read is
decided per search from the database (the live catalogue versions and their
``search_generation``), so after a publish or a curation edit every process serves
the new state. A process that finds no index folder for a live version (a new
machine, a wiped disk) rebuilds it from the database.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import ColumnElement, select, update

from webshop.catalogue.models import Catalogue, CatalogueItem, ItemCuration, ItemNumber
from webshop.extensions import db
from webshop.search.index import IndexDoc, SearchIndexes


def indexes() -> SearchIndexes:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found: SearchIndexes | None = app.extensions.get("search_indexes")
    if found is None:
        root = app.config.get("SEARCH_INDEX_DIR")
        if not root and app.testing:  # each test session gets its own folder, removed at exit
            root = tempfile.mkdtemp(prefix="webshop-search-")
            atexit.register(shutil.rmtree, root, True)
        found = SearchIndexes(Path(root or Path(app.instance_path) / "search"))
        app.extensions["search_indexes"] = found
    return found


_COLUMNS = (CatalogueItem.id, CatalogueItem.supplier_item_id, CatalogueItem.name, CatalogueItem.description,
            CatalogueItem.brand, CatalogueItem.keywords, CatalogueItem.unspsc, CatalogueItem.price,
            CatalogueItem.eco_label, CatalogueItem.discontinued, CatalogueItem.manufacturer_item_id,
            CatalogueItem.gtin)


def _docs(catalogue: Catalogue, where: ColumnElement[bool] | None = None) -> Iterator[IndexDoc]:
    curations = {c.supplier_item_id: c for c in db.session.scalars(
        select(ItemCuration).where(ItemCuration.agreement_id == catalogue.agreement_id))}
    numbers: dict[int, list[str]] = {}
    for item_id, value in db.session.execute(
            select(ItemNumber.item_id, ItemNumber.value).join(CatalogueItem, CatalogueItem.id == ItemNumber.item_id)
            .where(CatalogueItem.catalogue_id == catalogue.id)):
        numbers.setdefault(item_id, []).append(value)
    query = select(*_COLUMNS).where(CatalogueItem.catalogue_id == catalogue.id)
    if where is not None:
        query = query.where(where)
    rows = db.session.execute(query.execution_options(yield_per=10_000))
    agreement_id = catalogue.agreement_id
    for (item_id, sid, name, description, brand, keywords, unspsc, price, eco, discontinued, mpn, gtin) in rows:
        cur = curations.get(sid)
        words = " ".join(w for w in (keywords, cur and cur.extra_keywords,
                                     cur and cur.name and name) if w)  # a renamed item keeps its own name too
        yield IndexDoc(
            item_id=item_id, agreement_id=agreement_id, supplier_item_id=sid,
            name=(cur.name if cur and cur.name else name), description=description or "", brand=brand,
            keywords=words,
            numbers=(sid, mpn or "", gtin or "", *numbers.get(item_id, ())), unspsc=unspsc, price=price,
            eco=bool(eco), hidden=bool(cur and cur.hidden), discontinued=discontinued,
        )


def build_index(catalogue: Catalogue) -> int:
    """Build the complete search index of one catalogue version from the database."""
    db.session.flush()
    return indexes().build(catalogue.search_key or "", _docs(catalogue))


def reindex_items(catalogue: Catalogue, supplier_item_ids: Iterable[str]) -> None:
    """Apply curation edits to the live index and make every process reload it."""
    ids = list(supplier_item_ids)
    if not ids or not catalogue.search_key:
        return
    db.session.flush()
    docs = list(_docs(catalogue, CatalogueItem.supplier_item_id.in_(ids)))
    ensure_index(catalogue.search_key, catalogue)
    indexes().replace_docs(catalogue.search_key, docs)
    db.session.execute(update(Catalogue).where(Catalogue.id == catalogue.id)
                       .values(search_generation=Catalogue.search_generation + 1))


def ensure_index(key: str, catalogue: Catalogue | None = None) -> None:
    if indexes().exists(key):
        return
    catalogue = catalogue or db.session.scalar(select(Catalogue).where(Catalogue.search_key == key))
    if catalogue is not None:
        indexes().build(key, _docs(catalogue))
