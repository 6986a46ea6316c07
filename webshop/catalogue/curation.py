"""The central buyer's tools: curate items, synonym lists, membership, quality report, item requests.

All collaboration-wide: a central buyer sees the agreements of their own
collaboration only. Services flush; the caller commits.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, literal_column, or_, select, update

from webshop import audit
from webshop.catalogue import signals
from webshop.catalogue.models import (
    Agreement,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    ItemCuration,
    ItemRequest,
    ItemRequestStatus,
    SearchLog,
    SynonymGroup,
    agreement_members,
)
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orgs.models import Organisation, User
from webshop.orgs.scoping import real_organisation_ids
from webshop.search.index import words_of
from webshop.search.services import reindex_items

LIST_LIMIT = 50


class CurationError(DomainError):
    """A curation change that cannot be made; the message is shown to the user."""


def collaboration_of(user: User) -> int:
    return user.organisation.collaboration_id


def agreements_for(user: User) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).where(Agreement.collaboration_id == collaboration_of(user))
                                   .order_by(Agreement.reference)))


def live_catalogue(agreement_id: int) -> Catalogue | None:
    return db.session.scalar(select(Catalogue).where(Catalogue.agreement_id == agreement_id,
                                                     Catalogue.status == CatalogueStatus.PUBLISHED))


def curate_item(item: CatalogueItem, *, hidden: bool, name: str, extra_keywords: str, by: User) -> ItemCuration:
    """Hide, rename or add keywords to an item; kept for later catalogue versions too."""
    agreement_id = item.catalogue.agreement_id
    curation = db.session.scalar(select(ItemCuration).where(
        ItemCuration.agreement_id == agreement_id, ItemCuration.supplier_item_id == item.supplier_item_id))
    if curation is None:
        curation = ItemCuration(agreement_id=agreement_id, supplier_item_id=item.supplier_item_id)
        db.session.add(curation)
    curation.hidden = hidden
    curation.name = name.strip() or None
    curation.extra_keywords = " ".join(extra_keywords.split())
    curation.updated_by_id = by.id
    curation.updated_at = utcnow()
    db.session.flush()
    live = live_catalogue(agreement_id)
    if live is not None:
        reindex_items(live, [item.supplier_item_id])
    return curation


def curation_of(item: CatalogueItem) -> ItemCuration | None:
    return db.session.scalar(select(ItemCuration).where(
        ItemCuration.agreement_id == item.catalogue.agreement_id,
        ItemCuration.supplier_item_id == item.supplier_item_id))


def synonym_groups(user: User) -> list[SynonymGroup]:
    return list(db.session.scalars(select(SynonymGroup).where(
        SynonymGroup.collaboration_id == collaboration_of(user)).order_by(SynonymGroup.terms)))


def add_synonym_group(user: User, text: str) -> SynonymGroup:
    """«farin, sukker» or «post-it, selvklebende lapper»: at least two terms, comma separated."""
    terms = list(dict.fromkeys(" ".join(words_of(t)) for t in text.split(",")))
    terms = [t for t in terms if t]
    if len(terms) < 2:
        raise CurationError("Skriv minst to ord eller uttrykk, skilt med komma.")
    group = SynonymGroup(collaboration_id=collaboration_of(user), terms=", ".join(terms))
    db.session.add(group)
    db.session.flush()
    return group


def set_members(agreement: Agreement, organisation_ids: set[int]) -> None:
    """Publish the agreement's catalogue to exactly these member municipalities."""
    allowed = set(db.session.scalars(select(Organisation.id).where(
        Organisation.collaboration_id == agreement.collaboration_id)))
    if not organisation_ids <= allowed:
        raise CurationError("Velg bare kommuner i samarbeidet.")
    agreement.members = list(db.session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids))))
    db.session.flush()


# --- the quality report -----------------------------------------------------------------------------------

@dataclass
class QualityReport:
    catalogue: Catalogue
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    lists: dict[str, list[CatalogueItem]] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    outliers: list[tuple[CatalogueItem, object]] = field(default_factory=list)
    zero_results: list[tuple[str, int]] = field(default_factory=list)
    abandoned: list[tuple[str, int]] = field(default_factory=list)  # searched, found, gave up
    requests: list[ItemRequest] = field(default_factory=list)

    @property
    def discontinued_share(self) -> float:
        return (self.counts.get("discontinued", 0) / self.total) if self.total else 0.0


def quality_report(catalogue: Catalogue, *, days: int = 90) -> QualityReport:
    """What the central buyer can act on and send to the supplier."""
    report = QualityReport(catalogue)
    item = CatalogueItem
    in_cat = item.catalogue_id == catalogue.id
    report.total = db.session.scalar(select(func.count()).where(in_cat)) or 0
    problems = {
        "classification": or_(item.unspsc.is_(None), item.unspsc == "", item.unspsc == "00000000"),
        "description": or_(item.description.is_(None), item.description == ""),
        "image": or_(item.image_url.is_(None), item.image_url == ""),
        "discontinued": item.discontinued.is_(True),
        "out_of_stock": item.out_of_stock_reported_at.is_not(None),
    }
    for key, condition in problems.items():
        report.counts[key] = db.session.scalar(select(func.count()).where(in_cat, condition)) or 0
        report.lists[key] = list(db.session.scalars(
            select(item).where(in_cat, condition).order_by(item.name).limit(LIST_LIMIT)))
    report.duplicates = [tuple(r) for r in db.session.execute(
        select(func.lower(item.name), func.count()).where(in_cat).group_by(func.lower(item.name))
        .having(func.count() > 1).order_by(func.count().desc()).limit(LIST_LIMIT))]
    family = func.substr(item.unspsc, literal_column("1"), literal_column("4"))
    averages = (select(family.label("family"), func.avg(item.price).label("avg"))
                .where(in_cat).group_by(family).having(func.count() >= 3).subquery())
    report.outliers = [tuple(r) for r in db.session.execute(
        select(item, averages.c.avg).join(averages, averages.c.family == family)
        .where(in_cat, item.price > averages.c.avg * 4).order_by(item.price.desc()).limit(LIST_LIMIT))]
    members = select(agreement_members.c.organisation_id).where(
        agreement_members.c.agreement_id == catalogue.agreement_id)
    since = utcnow() - timedelta(days=days)
    report.zero_results = [(z.query, z.municipalities) for z in zero_result_searches(
        catalogue.agreement.collaboration_id, days=days) if z.agreement_id == catalogue.agreement_id][:LIST_LIMIT]
    report.abandoned = [tuple(r) for r in db.session.execute(
        select(func.lower(SearchLog.query), func.count()).where(
            SearchLog.abandoned.is_(True), SearchLog.led_to_cart_at.is_(None),  # nothing added soon after
            SearchLog.organisation_id.in_(members), SearchLog.organisation_id.in_(real_organisation_ids()),
            SearchLog.created_at >= since)
        .group_by(func.lower(SearchLog.query)).order_by(func.count().desc()).limit(LIST_LIMIT))]
    report.requests = list(db.session.scalars(select(ItemRequest).where(
        ItemRequest.organisation_id.in_(members), ItemRequest.organisation_id.in_(real_organisation_ids()),
        ItemRequest.status.in_([ItemRequestStatus.OPEN, ItemRequestStatus.SENT]),
        or_(ItemRequest.agreement_id.is_(None), ItemRequest.agreement_id == catalogue.agreement_id))
        .order_by(ItemRequest.created_at.desc()).limit(LIST_LIMIT)))
    return report


@dataclass(frozen=True)
class ZeroResult:
    """A search that found nothing: how many municipalities tried it, and the agreement it most likely
    belongs to: what people put in the cart soon after searching it, else the only agreement all the
    searching municipalities have, else None (unknown)."""

    query: str
    municipalities: int
    searches: int
    agreement_id: int | None


def zero_result_searches(collaboration_id: int, *, days: int = 90) -> list[ZeroResult]:
    """The collaboration's zero-result searches, each counted once per municipality, most widespread first."""
    since = utcnow() - timedelta(days=days)
    orgs = select(Organisation.id).where(Organisation.collaboration_id == collaboration_id)
    rows = db.session.execute(
        select(func.lower(SearchLog.query), SearchLog.organisation_id, SearchLog.cart_agreement_id)
        .where(SearchLog.results == 0, SearchLog.organisation_id.in_(orgs),
               SearchLog.organisation_id.in_(real_organisation_ids()), SearchLog.created_at >= since))
    municipalities: dict[str, set[int]] = defaultdict(set)
    searches: Counter[str] = Counter()
    agreements: dict[str, Counter[int]] = defaultdict(Counter)
    for query, organisation_id, agreement_id in rows:
        municipalities[query].add(organisation_id)
        searches[query] += 1
        if agreement_id is not None:
            agreements[query][agreement_id] += 1
    member_of: dict[int, set[int]] = defaultdict(set)
    for agreement_id, organisation_id in db.session.execute(select(
            agreement_members.c.agreement_id, agreement_members.c.organisation_id)
            .where(agreement_members.c.organisation_id.in_(orgs))):
        member_of[organisation_id].add(agreement_id)

    def likely(query: str) -> int | None:
        if agreements[query]:  # what they put in the cart right after searching
            return min(agreements[query].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        shared = set.intersection(*(member_of[o] for o in municipalities[query]))
        return next(iter(shared)) if len(shared) == 1 else None  # the only catalogue they all have

    found = [ZeroResult(q, len(orgs_), searches[q], likely(q)) for q, orgs_ in municipalities.items()]
    return sorted(found, key=lambda z: (-z.municipalities, -z.searches, z.query))


CART_WINDOW = timedelta(minutes=10)


def note_cart_add(user: User, agreement_id: int, *, window: timedelta = CART_WINDOW) -> int:
    """The user put an item of ``agreement_id`` in the cart: their searches of the last minutes led
    somewhere (not abandoned) and, if they found nothing, most likely belong to that agreement."""
    now = utcnow()
    result = db.session.execute(update(SearchLog).where(
        SearchLog.user_id == user.id, SearchLog.created_at >= now - window, SearchLog.led_to_cart_at.is_(None))
        .values(led_to_cart_at=now, cart_agreement_id=agreement_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- "can't find it?" --------------------------------------------------------------------------------------

def log_search(user: User, query: str, results: int) -> SearchLog | None:
    """Log a search; a quick new search after one with results marks that one abandoned."""
    query = query.strip()[:200]
    if not query:
        return None
    previous = db.session.scalar(select(SearchLog).where(SearchLog.user_id == user.id)
                                 .order_by(SearchLog.id.desc()).limit(1))
    if previous is not None and previous.results > 0 and previous.query != query \
            and utcnow() - previous.created_at < timedelta(minutes=2):
        previous.abandoned = True
    entry = SearchLog(organisation_id=user.organisation_id, user_id=user.id, query=query, results=results)
    db.session.add(entry)
    db.session.flush()
    signals.searched.send(user, query=query, results=results)
    return entry


def request_item(user: User, *, query: str, description: str, agreement_id: int | None = None) -> ItemRequest:
    if not (query.strip() or description.strip()):
        raise CurationError("Beskriv varen du ikke fant.")
    request = ItemRequest(organisation_id=user.organisation_id, user_id=user.id, agreement_id=agreement_id,
                          query=query.strip()[:200], description=description.strip())
    db.session.add(request)
    db.session.flush()
    return request


def request_from_search(user: User, query: str, agreement_id: int) -> ItemRequest:
    """The central buyer's one click in the quality report: ask the supplier for what people searched."""
    request = ItemRequest(organisation_id=user.organisation_id, user_id=user.id, agreement_id=agreement_id,
                          query=query.strip()[:200], description="Søk uten treff i katalogen",
                          status=ItemRequestStatus.SENT, handled_at=utcnow())
    db.session.add(request)
    db.session.flush()
    return request


def mark_request_sent(request: ItemRequest, note: str) -> None:
    request.status = ItemRequestStatus.SENT
    request.note = note.strip() or None
    request.handled_at = utcnow()
    db.session.flush()


REQUEST_ANSWERS = (ItemRequestStatus.SENT, ItemRequestStatus.ADDED, ItemRequestStatus.DECLINED)


def answer_request(request: ItemRequest, status: ItemRequestStatus, note: str, *, by: User) -> None:
    """The central buyer's answer, which the requester sees: sent to the supplier, added, or declined
    (with the reason, which is required); audited."""
    if status not in REQUEST_ANSWERS:
        raise CurationError(_("Velg sendt, lagt til eller avslått."))
    note = note.strip()[:2000]
    if status == ItemRequestStatus.DECLINED and not note:
        raise CurationError(_("Skriv hvorfor etterlysningen er avslått; bestilleren ser begrunnelsen."))
    request.status, request.note, request.handled_at = status, note or None, utcnow()
    audit.record("item_request_answered", by=by, organisation_id=request.organisation_id,
                 comment=f"«{request.query or request.description[:60]}»: {status.value}"
                         f"{f' ({note})' if note else ''}")
    db.session.flush()


def requests_of(user: User, *, limit: int = 50) -> list[ItemRequest]:
    """The requester's own item requests, newest first (their status page)."""
    return list(db.session.scalars(select(ItemRequest).where(ItemRequest.user_id == user.id)
                                   .order_by(ItemRequest.created_at.desc(), ItemRequest.id.desc()).limit(limit)))
