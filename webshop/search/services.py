"""Glue between the database and this machine's search indexes: build, update, find what to read.

The database says what each index must contain: the live catalogue versions, their
``search_key`` and their ``search_generation`` (bumped by every curation edit, with the
changed items in ``search_index_changes``). Each machine keeps its own indexes in its own
``SEARCH_INDEX_DIR``, and its worker (``sync.py``) alone writes them: it builds the index of
a new version and applies curation edits. Web processes only read; before each search they
compare the generation the database reports with the one they opened and reload when the
index on disk has caught up (``store.py``).

``SEARCH_INDEX_WRITER = "inline"`` (tests, a one-process demo) lets the process that made
the change write its own machine's index at once as well, and build a missing one on the
first search; the worker still keeps every index in line.
"""
from __future__ import annotations

import atexit
import dataclasses
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from flask import current_app
from sqlalchemy import ColumnElement, and_, insert, select, update
from sqlalchemy.orm import aliased

from webshop.catalogue.models import Catalogue, CatalogueItem, CatalogueStatus, ItemCuration, ItemNumber
from webshop.extensions import db
from webshop.search.index import Found, IndexDoc
from webshop.search.models import SearchIndexChange
from webshop.search.store import SearchIndexes


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


def writes_inline() -> bool:
    """Whether this process writes its machine's index itself (else only the worker does)."""
    return str(current_app.config.get("SEARCH_INDEX_WRITER") or "worker").lower() == "inline"


def build_full(catalogue: Catalogue) -> int:
    """Build this machine's complete index of one catalogue version from the database (the writer's job)."""
    db.session.flush()
    generation = db.session.scalar(select(Catalogue.search_generation).where(Catalogue.id == catalogue.id)) or 0
    docs = _docs(catalogue)
    hold = current_app.config.get("SEARCH_INDEX_TEST_HOLD")
    if hold:
        docs = _held(docs, Path(hold))
    return indexes().build(catalogue.search_key or "", docs, generation=generation)


def _held(docs: Iterator[IndexDoc], folder: Path) -> Iterator[IndexDoc]:
    """The test hook of SEARCH_INDEX_TEST_HOLD: after the first document, say so and wait while held."""
    for n, doc in enumerate(docs):
        yield doc
        if n == 0:
            (folder / "building").touch()
            while (folder / "hold").exists():
                time.sleep(0.05)


def build_index(catalogue: Catalogue) -> int:
    """A new catalogue version was written: build its index here now in inline mode (the worker
    builds it on every machine either way); return the document count, 0 when left to the worker."""
    if not writes_inline():
        return 0
    return build_full(catalogue)


def record_changes(catalogue: Catalogue, supplier_item_ids: Iterable[str]) -> int:
    """Move the catalogue's ``search_generation`` on and log which items changed; return the new generation."""
    ids = sorted(set(supplier_item_ids))
    generation: int = db.session.execute(
        update(Catalogue).where(Catalogue.id == catalogue.id)
        .values(search_generation=Catalogue.search_generation + 1)
        .returning(Catalogue.search_generation).execution_options(synchronize_session=False)).scalar_one()
    db.session.execute(insert(SearchIndexChange), [
        {"catalogue_id": catalogue.id, "generation": generation, "supplier_item_id": sid} for sid in ids])
    return generation


def reindex_items(catalogue: Catalogue, supplier_item_ids: Iterable[str]) -> None:
    """Curation edits: record them for every machine's worker (and apply them here in inline mode).

    Curation belongs to the agreement, so the edit goes to ``catalogue`` and to every draft of
    the same agreement (indexed already, published later).
    """
    ids = list(supplier_item_ids)
    if not ids:
        return
    db.session.flush()
    drafts = db.session.scalars(select(Catalogue).where(
        Catalogue.agreement_id == catalogue.agreement_id, Catalogue.status == CatalogueStatus.DRAFT,
        Catalogue.id != catalogue.id, Catalogue.search_key.is_not(None)))
    for version in [catalogue, *drafts]:
        if not version.search_key:
            continue
        generation = record_changes(version, ids)
        local = indexes().generation(version.search_key) if writes_inline() else None
        if local is not None and not catch_up(version, local, generation):
            build_full(version)


def catch_up(catalogue: Catalogue, local: int, wanted: int) -> bool:
    """Bring this machine's index of ``catalogue`` from generation ``local`` to ``wanted`` by
    re-indexing the items logged for the generations in between; False when the log has gaps."""
    rows = db.session.execute(select(SearchIndexChange.generation, SearchIndexChange.supplier_item_id).where(
        SearchIndexChange.catalogue_id == catalogue.id, SearchIndexChange.generation > local,
        SearchIndexChange.generation <= wanted)).all()
    if len({g for g, _ in rows}) != wanted - local:
        return False
    ids = sorted({sid for _, sid in rows})
    docs = list(_docs(catalogue, CatalogueItem.supplier_item_id.in_(ids)))
    indexes().apply(catalogue.search_key or "", docs, wanted)
    return True


def reindex_curated(catalogue: Catalogue) -> None:
    """A retired version is live again (restored): curation edits made meanwhile went to other
    versions, so every curated item of the agreement is re-indexed in it, on every machine."""
    curated = list(db.session.scalars(select(ItemCuration.supplier_item_id).where(
        ItemCuration.agreement_id == catalogue.agreement_id)))
    if curated:
        reindex_items(catalogue, curated)
    elif writes_inline() and catalogue.search_key:
        ensure_index(catalogue.search_key, catalogue)


def ensure_index(key: str, catalogue: Catalogue | None = None) -> bool:
    """Whether this machine has the index of ``key``; in inline mode a missing one is built now."""
    if indexes().exists(key):
        return True
    if not writes_inline():
        return False
    catalogue = catalogue or db.session.scalar(select(Catalogue).where(Catalogue.search_key == key))
    if catalogue is None:
        return False
    build_full(catalogue)
    return True


@dataclasses.dataclass(frozen=True)
class Serving:
    """The index this machine reads for a live catalogue version: its own, or while the worker
    builds that, the newest older version of the same agreement this machine still has."""

    key: str
    generation: int
    stale_catalogue_id: int | None = None


def serving_index(catalogue_id: int, key: str, generation: int) -> Serving | None:
    if ensure_index(key):
        return Serving(key, generation)
    return older_index(catalogue_id)


def older_index(catalogue_id: int) -> Serving | None:
    """The newest index of an older version of the catalogue's agreement on this machine, if any."""
    agreement = select(Catalogue.agreement_id).where(Catalogue.id == catalogue_id).scalar_subquery()
    for old_id, old_key in db.session.execute(
            select(Catalogue.id, Catalogue.search_key)
            .where(Catalogue.agreement_id == agreement, Catalogue.id < catalogue_id, Catalogue.search_key.is_not(None))
            .order_by(Catalogue.id.desc()).limit(3)):
        old_generation = indexes().generation(old_key or "")
        if old_generation is not None:
            return Serving(old_key or "", old_generation, old_id)
    return None


def translate_stale_hits(found: Found, stale: Mapping[int, int]) -> Found:
    """Hits read from an older version's index (``stale``: old catalogue id -> live one) become the
    live version's items with the same supplier item id; items the live version lacks are dropped."""
    if not stale or not found.hits:
        return found
    ids = [h.item_id for h in found.hits]
    old, new = aliased(CatalogueItem), aliased(CatalogueItem)
    mapping: dict[int, int] = {}
    for old_catalogue, live_catalogue in stale.items():
        mapping.update({o: n for o, n in db.session.execute(
            select(old.id, new.id).join(new, and_(new.catalogue_id == live_catalogue,
                                                  new.supplier_item_id == old.supplier_item_id))
            .where(old.catalogue_id == old_catalogue, old.id.in_(ids)))})
        gone = set(db.session.scalars(select(old.id).where(old.catalogue_id == old_catalogue, old.id.in_(ids))))
        mapping.update({i: 0 for i in gone - mapping.keys()})
    hits = [dataclasses.replace(h, item_id=mapping.get(h.item_id, h.item_id)) for h in found.hits]
    return Found([h for h in hits if h.item_id], found.total)
