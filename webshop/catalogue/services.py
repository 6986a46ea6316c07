"""Which catalogue items an organisation may order, and the search over them.

Orderers see the published catalogue version of every agreement their
organisation is a member of and that is valid today. The search runs on the
per-version tantivy index (`webshop.search`): ranked, word parts, typos, synonyms,
item numbers first, facets; the page of hits is then loaded from the database.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, exists, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from webshop.catalogue.models import (
    Agreement,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    ItemCuration,
    Supplier,
    SynonymGroup,
    agreement_members,
)
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orgs.models import Organisation
from webshop.orgs.scoping import sandbox_settings
from webshop.search import index as search_index
from webshop.search.analysis import Reason, explain
from webshop.search.services import indexes, serving_index, translate_stale_hits


def today_in_norway() -> date:
    from zoneinfo import ZoneInfo

    return utcnow().astimezone(ZoneInfo("Europe/Oslo")).date()


def live_catalogues_for(organisation_id: int, day: date | None = None) -> Select[int]:
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


def orderable_filter(organisation_id: int) -> ColumnElement[bool]:
    """Which catalogue items the organisation may order now: in a live catalogue, not
    discontinued, not reported out of stock, not hidden by the central buyer. Adding to the
    cart and submitting both use this, so an item refused at one is refused at the other."""
    hidden = exists().where(
        ItemCuration.hidden.is_(True),
        ItemCuration.supplier_item_id == CatalogueItem.supplier_item_id,
        ItemCuration.agreement_id == select(Catalogue.agreement_id)
        .where(Catalogue.id == CatalogueItem.catalogue_id).correlate(CatalogueItem).scalar_subquery(),
    )
    return and_(
        CatalogueItem.catalogue_id.in_(live_catalogues_for(organisation_id)),
        CatalogueItem.discontinued.is_(False),
        CatalogueItem.out_of_stock_reported_at.is_(None),
        ~hidden,
    )


def orderable_item(organisation_id: int, item_id: int) -> CatalogueItem | None:
    """The item if the organisation may order it now (see ``orderable_filter``)."""
    return db.session.scalar(select(CatalogueItem).where(CatalogueItem.id == item_id,
                                                         orderable_filter(organisation_id)))


@dataclass(frozen=True)
class SearchPage:
    items: list[CatalogueItem]
    total: int
    page: int
    page_size: int
    exact_ids: frozenset[int] = frozenset()
    facets: dict[str, list[tuple[str, str, int]]] | None = None  # name -> (value, label, count)
    reasons: dict[int, list[Reason]] | None = None  # item id -> why it matched (a synonym, an amount)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class Facets:
    """The orderer's narrowing choices; all optional."""

    supplier_id: int | None = None
    category: str | None = None  # UNSPSC segment (2 digits) or family (4 digits)
    eco: bool = False
    price_min: Decimal | None = None
    price_max: Decimal | None = None

    def filters(self, *, include_hidden: bool = False) -> search_index.Filters:
        category = self.category or ""
        return search_index.Filters(
            segment=category if len(category) == 2 else None, family=category if len(category) == 4 else None,
            eco=self.eco, price_min=self.price_min, price_max=self.price_max, include_hidden=include_hidden)


def parse_synonyms(groups: list[str]) -> dict[str, list[list[str]]]:
    """Every word of a synonym group → the other terms of its group (each a list of words)."""
    table: dict[str, list[list[str]]] = {}
    for terms in groups:
        group = [search_index.words_of(t) for t in terms.split(",")]
        group = [g for g in group if g]
        for i, term in enumerate(group):
            if len(term) == 1:
                table.setdefault(term[0], []).extend(g for j, g in enumerate(group) if j != i)
    return table


def synonyms_for(collaboration_id: int) -> dict[str, list[list[str]]]:
    return parse_synonyms(list(db.session.scalars(
        select(SynonymGroup.terms).where(SynonymGroup.collaboration_id == collaboration_id).order_by(SynonymGroup.id))))


@dataclass(frozen=True)
class LiveCatalogue:
    id: int
    supplier_id: int
    supplier_name: str
    search_key: str | None
    generation: int
    # The index this machine reads it from: its own, or an older version's while the worker builds that
    index_key: str | None = None
    index_generation: int = 0
    stale_of: int | None = None  # that older version's catalogue id


@dataclass(frozen=True)
class Live:
    """What a search of one organisation needs from the database, read with one query per search."""

    catalogues: list[LiveCatalogue]
    synonyms: dict[str, list[list[str]]]
    raw_names: bool = False  # a training sandbox under the "raw catalogue" condition: the supplier's own names
    only_keys: frozenset[str] | None = None  # a training sandbox under the "limited range" condition

    def keys(self, supplier_id: int | None = None) -> list[tuple[str, int]]:
        return [(c.index_key, c.index_generation) if c.index_key else (c.search_key or "", c.generation)
                for c in self.catalogues if supplier_id in (None, c.supplier_id)]

    def narrowed(self, filters: search_index.Filters) -> search_index.Filters:
        return filters if self.only_keys is None else replace(filters, only_keys=self.only_keys)

    def stale(self) -> dict[int, int]:
        """Older catalogue id -> live catalogue id, for every catalogue read from an older version's index."""
        return {c.stale_of: c.id for c in self.catalogues if c.stale_of is not None}


def _synonym_cache() -> dict[int, tuple[tuple[object, ...], dict[str, list[list[str]]]]]:
    cache: dict[int, tuple[tuple[object, ...], dict[str, list[list[str]]]]]
    cache = current_app.extensions.setdefault("search_synonyms", {})
    return cache


def live_for(organisation_id: int) -> Live:
    """The organisation's live catalogues (with their index key and generation) and its synonyms.

    One query per search: it is also the check that makes every process follow a publish
    (new ``search_key``) or a curation edit (new ``search_generation``). The parsed synonym
    table is kept per process and re-read only when the collaboration's groups change
    (their count or newest ``created_at``: groups are only added and deleted, never edited).
    """
    day = today_in_norway()
    synonym_count = (select(func.count(SynonymGroup.id))
                     .where(SynonymGroup.collaboration_id == Organisation.collaboration_id).scalar_subquery())
    synonym_last = (select(func.max(SynonymGroup.created_at))
                    .where(SynonymGroup.collaboration_id == Organisation.collaboration_id).scalar_subquery())
    rows = db.session.execute(
        select(Organisation.collaboration_id, synonym_count, synonym_last, Catalogue.id, Supplier.id, Supplier.name,
               Catalogue.search_key, Catalogue.search_generation, Organisation.is_sandbox)
        .select_from(Organisation)
        .outerjoin(agreement_members, agreement_members.c.organisation_id == Organisation.id)
        .outerjoin(Agreement, (Agreement.id == agreement_members.c.agreement_id)
                   & (Agreement.valid_from <= day) & (Agreement.valid_to >= day))
        .outerjoin(Catalogue, (Catalogue.agreement_id == Agreement.id)
                   & (Catalogue.status == CatalogueStatus.PUBLISHED))
        .outerjoin(Supplier, Supplier.id == Agreement.supplier_id)
        .where(Organisation.id == organisation_id)
        .order_by(Supplier.name, Catalogue.id)).all()
    if not rows:
        return Live([], {})
    collaboration_id, count, last = rows[0][0], rows[0][1], rows[0][2]
    catalogues = [LiveCatalogue(r[3], r[4], r[5], r[6], r[7] or 0) for r in rows if r[3] is not None]
    if rows[0][8]:  # a training sandbox: the lab's condition (no synonyms and raw names, a limited range)
        lab = sandbox_settings(organisation_id)
        synonyms = {} if lab.raw_catalogue else _cached_synonyms(collaboration_id, (count, last))
        return Live(ensure_keys(catalogues), synonyms, raw_names=lab.raw_catalogue, only_keys=lab.range_keys)
    return Live(ensure_keys(catalogues), _cached_synonyms(collaboration_id, (count, last)))


def _cached_synonyms(collaboration_id: int, fingerprint: tuple[object, ...]) -> dict[str, list[list[str]]]:
    cache = _synonym_cache()
    cached = cache.get(collaboration_id)
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, synonyms_for(collaboration_id))
        cache[collaboration_id] = cached
    return cached[1]


def live_for_collaboration(collaboration_id: int) -> Live:
    """Every published catalogue of the collaboration's agreements: the central buyer's search."""
    rows = db.session.execute(
        select(Catalogue.id, Supplier.id, Supplier.name, Catalogue.search_key, Catalogue.search_generation)
        .join(Agreement, Agreement.id == Catalogue.agreement_id).join(Supplier, Supplier.id == Agreement.supplier_id)
        .where(Agreement.collaboration_id == collaboration_id, Catalogue.status == CatalogueStatus.PUBLISHED)
        .order_by(Supplier.name, Catalogue.id)).all()
    fingerprint = db.session.execute(select(func.count(SynonymGroup.id), func.max(SynonymGroup.created_at))
                                     .where(SynonymGroup.collaboration_id == collaboration_id)).one()
    catalogues = [LiveCatalogue(r[0], r[1], r[2], r[3], r[4] or 0) for r in rows]
    return Live(ensure_keys(catalogues), _cached_synonyms(collaboration_id, tuple(fingerprint)))


def ensure_keys(catalogues: list[LiveCatalogue]) -> list[LiveCatalogue]:
    """Give a version stored before the index existed its key, and say which index this machine reads
    for each (a version with no index here at all is left out of the search until the worker built it)."""
    out = []
    for c in catalogues:
        if not c.search_key:
            key = f"c{c.id}"
            db.session.execute(update(Catalogue).where(Catalogue.id == c.id).values(search_key=key))
            c = LiveCatalogue(c.id, c.supplier_id, c.supplier_name, key, c.generation)
        serving = serving_index(c.id, c.search_key or "", c.generation)
        if serving is None:
            continue
        if serving.stale_catalogue_id is not None:
            c = replace(c, index_key=serving.key, index_generation=serving.generation,
                        stale_of=serving.stale_catalogue_id)
        out.append(c)
    return out


def live_catalogue_rows(organisation_id: int) -> list[tuple[int, int, str]]:
    """(catalogue id, supplier id, supplier name) of every live catalogue of the organisation."""
    return [(c.id, c.supplier_id, c.supplier_name) for c in live_for(organisation_id).catalogues]


def find(organisation_id: int, query: str, *, offset: int = 0, limit: int = 25, facets: Facets | None = None,
         boost_keys: frozenset[str] = frozenset(), include_hidden: bool = False,
         live: Live | None = None) -> tuple[search_index.Found, Live]:
    """The ranked hits (item ids) for ``query`` in the organisation's live catalogues (or in ``live``)."""
    facets = facets or Facets()
    live = live or live_for(organisation_id)
    filters = live.narrowed(facets.filters(include_hidden=include_hidden))
    tantivy_query = search_index.build_query(query, live.synonyms, filters, boost_keys)
    found = search_index.run(indexes(), live.keys(facets.supplier_id), tantivy_query, offset=offset, limit=limit)
    return translate_stale_hits(found, live.stale()), live


def search_items(organisation_id: int, query: str, *, page: int = 1, page_size: int = 25,
                 facets: Facets | None = None, boost_keys: frozenset[str] = frozenset(),
                 with_facets: bool = False, include_hidden: bool = False, live: Live | None = None) -> SearchPage:
    """The page of items that match ``query`` best, exact item-number hits first.

    Matches name, description, brand and keywords word by word (all words needed),
    word parts, typos and synonyms; ``boost_keys`` (what the user's unit ordered
    before, favourites) rank higher among the matches.
    """
    facets = facets or Facets()
    found, live = find(organisation_id, query, offset=(page - 1) * page_size, limit=page_size, facets=facets,
                       boost_keys=boost_keys, include_hidden=include_hidden, live=live)
    items = load_items([h.item_id for h in found.hits])
    if live.raw_names:
        for item in items:
            item._curated_name = None  # type: ignore[attr-defined]
    facet_lists = _facet_lists(live, query, facets, include_hidden) if with_facets else None
    reasons = {i.id: explain(query, live.synonyms, (i.display_name, i.name, i.brand or "", i.keywords or "",
                                                    getattr(i, "_extra_keywords", ""), i.description or ""))
               for i in items}
    return SearchPage(items, found.total, page, page_size, frozenset(h.item_id for h in found.hits if h.exact),
                      facet_lists, {k: v for k, v in reasons.items() if v})


@dataclass(frozen=True)
class HitRow:
    """One search hit as the JSON API returns it: plain values from one lean query."""

    id: int
    supplier_item_id: str
    name: str
    description: str
    gtin: str | None
    manufacturer_item_id: str | None
    unspsc: str | None
    price: Decimal
    unit_code: str
    vat_rate: Decimal
    discontinued: bool
    agreement_id: int
    agreement_reference: str
    supplier_id: int
    supplier_name: str
    exact_number_match: bool = False


_ROW_QUERY = (
    select(CatalogueItem.id, CatalogueItem.supplier_item_id,
           func.coalesce(ItemCuration.name, CatalogueItem.name), CatalogueItem.description, CatalogueItem.gtin,
           CatalogueItem.manufacturer_item_id, CatalogueItem.unspsc, CatalogueItem.price, CatalogueItem.unit_code,
           CatalogueItem.vat_rate, CatalogueItem.discontinued, Agreement.id, Agreement.reference, Supplier.id,
           Supplier.name)
    .join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
    .join(Agreement, Agreement.id == Catalogue.agreement_id)
    .join(Supplier, Supplier.id == Agreement.supplier_id)
    .outerjoin(ItemCuration, (ItemCuration.agreement_id == Catalogue.agreement_id)
               & (ItemCuration.supplier_item_id == CatalogueItem.supplier_item_id))
)


def search_rows(organisation_id: int, query: str, *, limit: int = 20) -> tuple[int, list[HitRow]]:
    """(total, the best ``limit`` hits as plain rows): the JSON API's search, without the ORM."""
    found, _live = find(organisation_id, query, limit=limit)
    if not found.hits:
        return found.total, []
    exact = {h.item_id for h in found.hits if h.exact}
    wanted = [h.item_id for h in found.hits]
    rows = {r[0]: r for r in db.session.execute(_ROW_QUERY.where(CatalogueItem.id.in_(wanted)))}
    # 15 columns: past the arity SQLAlchemy types, so the row's tail is Any and mypy cannot count it.
    return found.total, [HitRow(*rows[h.item_id], exact_number_match=h.item_id in exact)  # type: ignore[call-arg]
                         for h in found.hits if h.item_id in rows]


def load_items(ids: list[int]) -> list[CatalogueItem]:
    """The items with their agreement and supplier, in the order of ``ids``."""
    if not ids:
        return []
    rows = db.session.scalars(
        select(CatalogueItem).where(CatalogueItem.id.in_(ids)).options(
            joinedload(CatalogueItem.catalogue).joinedload(Catalogue.agreement).joinedload(Agreement.supplier),
            selectinload(CatalogueItem.other_numbers))).unique()
    by_id = {i.id: i for i in rows}
    agreements = {i.catalogue.agreement_id for i in by_id.values()}
    curated = {(a, sid): (name, hidden, extra) for a, sid, name, hidden, extra in db.session.execute(
        select(ItemCuration.agreement_id, ItemCuration.supplier_item_id, ItemCuration.name, ItemCuration.hidden,
               ItemCuration.extra_keywords).where(
            ItemCuration.agreement_id.in_(agreements),
            ItemCuration.supplier_item_id.in_([i.supplier_item_id for i in by_id.values()])))}
    for item in by_id.values():
        name, hidden, extra = curated.get((item.catalogue.agreement_id, item.supplier_item_id), (None, False, ""))
        item._curated_name = name  # type: ignore[attr-defined]
        item._hidden = bool(hidden)  # type: ignore[attr-defined]
        item._extra_keywords = extra or ""  # type: ignore[attr-defined]  # the central buyer's search words
    return [by_id[i] for i in ids if i in by_id]


def _facet_lists(live: Live, query: str, facets: Facets, include_hidden: bool) -> dict[str, list[tuple[str, str, int]]]:
    """Counts for the supplier choices (each live catalogue is one agreement, so one supplier) and the
    UNSPSC segments; each facet is counted with the other choices applied but not its own."""
    without_supplier = Facets(None, facets.category, facets.eco, facets.price_min, facets.price_max)
    filters = live.narrowed(without_supplier.filters(include_hidden=include_hidden))
    q = search_index.build_query(query, live.synonyms, filters)
    per_index = search_index.counts_per_index(indexes(), live.keys(), q)
    suppliers: dict[int, tuple[str, int]] = {}
    for c in live.catalogues:
        name, n = suppliers.get(c.supplier_id, (c.supplier_name, 0))
        suppliers[c.supplier_id] = (name, n + per_index.get(c.search_key or "", 0))
    without_category = Facets(facets.supplier_id, None, facets.eco, facets.price_min, facets.price_max)
    filters = live.narrowed(without_category.filters(include_hidden=include_hidden))
    q = search_index.build_query(query, live.synonyms, filters)
    segments = search_index.facet_counts(indexes(), live.keys(facets.supplier_id), q, "segment")
    return {
        "supplier": [(str(sid), name, n) for sid, (name, n) in suppliers.items()],
        "category": sorted(((k, k, v) for k, v in segments.items() if k), key=lambda t: -t[2]),
    }
