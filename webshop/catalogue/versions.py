"""Catalogue versions the central buyer controls: upload → draft → see the changes → publish
(a separate, confirmed step) → restore the previous version in one action.

Every upload, from the web page or from ``flask catalogue import``, is read by the same two
functions (``rows_from_bytes``, ``rows_from_path``), so both paths accept and refuse exactly the
same files, and both store a draft that orderers never see. ``draft_changes`` compares a draft
with the live version: new items, changed prices, renamed items and the items that would
disappear (live now, missing from the file or marked discontinued in it). Publishing a draft that
retires live items needs its own confirmation, so a 6-row partial file can never quietly retire the
rest of the catalogue. Services flush; the caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from webshop import audit
from webshop.catalogue.csv_import import CatalogueImportError, ItemRow, iter_file, read_bytes
from webshop.catalogue.ehf_import import read_ehf_catalogue
from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem, CatalogueStatus
from webshop.catalogue.publish import carry_over_missing, import_catalogue, publish_catalogue
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orgs.models import User
from webshop.search.services import reindex_curated

MAX_NOTES = 500
LISTED = 200  # items listed per kind of change on the draft page (the counts are always complete)


class VersionError(DomainError):
    """A catalogue version change that cannot be made; the message is shown to the user."""


# ------------------------------------------------------------------ the one way in


def _is_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def rows_from_bytes(data: bytes) -> Iterator[ItemRow]:
    """An uploaded catalogue (CSV or EHF XML) as checked rows; raises CatalogueImportError."""
    if _is_xml(data[:512]):
        return read_ehf_catalogue(data)
    return iter(read_bytes(data))


def rows_from_path(path: str) -> Iterator[ItemRow]:
    """A catalogue file on disk, checked exactly as an upload; CSV is streamed (a million rows)."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    if _is_xml(head):
        with open(path, "rb") as fh:
            return read_ehf_catalogue(fh.read())
    return iter_file(path)


class _Noted:
    """Pass rows through and keep their notes (capped), counting them."""

    def __init__(self, rows: Iterable[ItemRow]) -> None:
        self.rows, self.notes, self.count, self.noted = rows, list[str](), 0, 0

    def __iter__(self) -> Iterator[ItemRow]:
        for row in self.rows:
            self.count += 1
            if row.note:
                self.noted += 1
                if len(self.notes) < MAX_NOTES:
                    self.notes.append(row.note)
            yield row


def create_draft(agreement: Agreement, rows: Iterable[ItemRow], *, by: User | None) -> Catalogue:
    """Store ``rows`` as a new draft version of the agreement's catalogue, with the rows' notes; audited.

    Items of the live version missing from the file are carried into the draft as discontinued,
    which is what ``draft_changes`` reports as disappearing. Nothing changes for orderers.
    """
    noted = _Noted(rows)
    draft = import_catalogue(agreement, noted, publish=False, confirm_discontinue=True)
    extra = noted.noted - len(noted.notes)
    draft.import_notes = "\n".join(noted.notes + ([f"… og {extra} til"] if extra > 0 else [])) or None
    draft.uploaded_by_id = by.id if by else None
    audit.record("catalogue_draft", by=by, organisation_id=None,
                 comment=f"{agreement.reference}: versjon {draft.version} lastet opp som utkast ({noted.count} varer)")
    db.session.flush()
    return draft


# ------------------------------------------------------------------ what a draft would change


@dataclass
class Change:
    supplier_item_id: str
    name: str
    old_name: str | None = None
    old_price: Decimal | None = None
    new_price: Decimal | None = None


@dataclass
class Changes:
    draft: Catalogue
    live: Catalogue | None
    new: list[Change] = field(default_factory=list)
    price: list[Change] = field(default_factory=list)
    renamed: list[Change] = field(default_factory=list)
    disappearing: list[Change] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    orderable: int = 0

    @property
    def any(self) -> bool:
        return any(self.counts.values())


def draft_changes(draft: Catalogue) -> Changes:
    """Compare ``draft`` with the agreement's live version, item by item (by supplier item number)."""
    live = live_version(draft.agreement_id)
    result = Changes(draft, live)
    new, old = aliased(CatalogueItem), aliased(CatalogueItem)
    live_id = live.id if live is not None else -1
    rows = db.session.execute(
        select(new.supplier_item_id, new.name, new.price, new.discontinued, old.name, old.price, old.discontinued)
        .outerjoin(old, and_(old.catalogue_id == live_id, old.supplier_item_id == new.supplier_item_id))
        .where(new.catalogue_id == draft.id).order_by(new.supplier_item_id)
        .execution_options(yield_per=10_000))
    counts = dict.fromkeys(("new", "price", "renamed", "disappearing"), 0)
    for sid, name, price, gone, old_name, old_price, old_gone in rows:
        was_live = old_name is not None and not old_gone
        if gone:
            if was_live:
                _add(result.disappearing, counts, "disappearing", Change(sid, old_name))
            continue
        result.orderable += 1
        if not was_live:
            _add(result.new, counts, "new", Change(sid, name, new_price=price))
            continue
        changed = False
        if price != old_price:
            _add(result.price, counts, "price", Change(sid, name, old_price=old_price, new_price=price))
            changed = True
        if name != old_name:
            _add(result.renamed, counts, "renamed", Change(sid, name, old_name=old_name))
            changed = True
        result.unchanged += not changed
    if live is not None:  # live items the draft does not have at all (a draft made before a restore)
        missing = db.session.execute(
            select(old.supplier_item_id, old.name).where(
                old.catalogue_id == live.id, old.discontinued.is_(False),
                ~select(new.id).where(new.catalogue_id == draft.id,
                                      new.supplier_item_id == old.supplier_item_id).exists())
            .order_by(old.supplier_item_id))
        for sid, name in missing:
            _add(result.disappearing, counts, "disappearing", Change(sid, name))
    result.counts = counts
    return result


def _add(target: list[Change], counts: dict[str, int], kind: str, change: Change) -> None:
    counts[kind] += 1
    if len(target) < LISTED:
        target.append(change)


# ------------------------------------------------------------------ publish and restore


def live_version(agreement_id: int) -> Catalogue | None:
    return db.session.scalar(select(Catalogue).where(Catalogue.agreement_id == agreement_id,
                                                     Catalogue.status == CatalogueStatus.PUBLISHED))


def previous_version(agreement_id: int) -> Catalogue | None:
    """The version that was live before the live one (the most recently published retired version)."""
    return db.session.scalar(select(Catalogue).where(
        Catalogue.agreement_id == agreement_id, Catalogue.status == CatalogueStatus.RETIRED,
        Catalogue.published_at.is_not(None)).order_by(Catalogue.published_at.desc(), Catalogue.version.desc())
        .limit(1))


def publish_draft(draft: Catalogue, *, by: User | None, confirmed: bool, retire_confirmed: bool) -> Changes:
    """Make ``draft`` the live version; audited. Returns what changed.

    ``confirmed``: the buyer has seen the changes. ``retire_confirmed``: needed besides when the draft
    would retire live items (they are named and counted on the draft page).
    """
    if draft.status != CatalogueStatus.DRAFT:
        raise VersionError(_("Versjon %(v)d er ikke et utkast.", v=draft.version))
    if not confirmed:
        raise VersionError(_("Bekreft at du har sett endringene før du publiserer."))
    live = live_version(draft.agreement_id)
    if live is not None:
        carry_over_missing(live.id, draft.id)  # against today's live version (idempotent)
    changes = draft_changes(draft)
    gone = changes.counts["disappearing"]
    if gone and not retire_confirmed:
        raise VersionError(_("Publiseringen vil gjøre %(n)d varer i den publiserte katalogen utgått. Kryss av for "
                             "at det er riktig.", n=gone))
    publish_catalogue(draft)
    audit.record("catalogue_published", by=by, organisation_id=None, comment=(
        f"{draft.agreement.reference}: versjon {draft.version} publisert"
        f"{f' (erstatter versjon {live.version})' if live is not None else ''}; nye {changes.counts['new']}, "
        f"ny pris {changes.counts['price']}, nytt navn {changes.counts['renamed']}, utgår {gone}"))
    db.session.flush()
    return changes


def restore_previous(agreement: Agreement, *, by: User | None) -> Catalogue:
    """Make the previously live version live again (the current one is retired); audited."""
    live = live_version(agreement.id)
    previous = previous_version(agreement.id)
    if live is None or previous is None:
        raise VersionError(_("Det finnes ingen tidligere versjon å gå tilbake til."))
    live.status = CatalogueStatus.RETIRED
    db.session.flush()
    previous.status = CatalogueStatus.PUBLISHED
    previous.published_at = utcnow()
    reindex_curated(previous)  # curation edits made while it was retired, on every machine's index
    audit.record("catalogue_restored", by=by, organisation_id=None,
                 comment=f"{agreement.reference}: versjon {previous.version} er publisert igjen "
                         f"(versjon {live.version} er trukket tilbake)")
    db.session.flush()
    return previous


__all__ = ["CatalogueImportError", "Changes", "VersionError", "create_draft", "draft_changes", "live_version",
           "previous_version", "publish_draft", "restore_previous", "rows_from_bytes", "rows_from_path"]
