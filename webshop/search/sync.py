"""The worker's half of search: keep this machine's indexes in line with the database.

Each round compares every catalogue version that is not retired with this machine's
index of it: a missing index is built (into a new folder, switched in atomically; a
worker killed mid-build leaves the previous state serving), a lagging one gets the items
of the generations it lacks from ``search_index_changes`` (or a rebuild when the log no
longer reaches back that far). Then replaced builds and the indexes of retired versions
are removed after a grace period. ``flask --app webshop worker`` runs this in a thread of
its own, so a long build never delays deliveries; it is the only writer on its machine.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, func, select

from webshop.catalogue.models import Catalogue, CatalogueStatus
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.search.models import SearchIndexChange
from webshop.search.services import build_full, catch_up, indexes

log = logging.getLogger(__name__)

CHANGE_LOG_DAYS = 7
# The newest retired version of each agreement is kept: a machine serves it while its worker builds a new one.
KEEP_RETIRED = 1


@dataclass
class SyncReport:
    built: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: int = 0

    @property
    def work(self) -> int:
        return len(self.built) + len(self.updated)


def _wanted() -> list[Catalogue]:
    return list(db.session.scalars(select(Catalogue).where(
        Catalogue.status != CatalogueStatus.RETIRED, Catalogue.search_key.is_not(None)).order_by(Catalogue.id)))


def _kept_retired() -> set[str]:
    newest = (select(Catalogue.agreement_id, func.max(Catalogue.id).label("id"))
              .where(Catalogue.status == CatalogueStatus.RETIRED).group_by(Catalogue.agreement_id).subquery())
    return {k for k in db.session.scalars(select(Catalogue.search_key).join(newest, newest.c.id == Catalogue.id)) if k}


def sync_once(*, collect: bool = True) -> SyncReport:
    """One round: build what is missing, apply what lags, remove what is no longer needed."""
    report = SyncReport()
    store = indexes()
    catalogues = _wanted()
    for catalogue in catalogues:
        key = catalogue.search_key or ""
        # read before the documents: a change committed meanwhile is applied (again) next round
        wanted = db.session.scalar(select(Catalogue.search_generation).where(Catalogue.id == catalogue.id)) or 0
        local = store.generation(key)
        if local is not None and local >= wanted:
            continue
        if local is not None and catch_up(catalogue, local, wanted):
            report.updated.append(key)
            log.info("Search index %s brought from generation %s to %s", key, local, wanted)
            continue
        count = build_full(catalogue)
        report.built.append(key)
        log.info("Search index %s built (%s items, generation %s)", key, count, wanted)
    db.session.rollback()  # read-only: end the snapshot
    store.mark_synced()  # /readyz: this machine's indexes are being kept up to date
    if collect:
        keep = {c.search_key or "" for c in catalogues} | _kept_retired()
        report.removed = store.collect_garbage(keep)
        db.session.execute(delete(SearchIndexChange).where(
            SearchIndexChange.created_at < utcnow() - timedelta(days=CHANGE_LOG_DAYS)))
        db.session.commit()
    return report


class SyncThread(threading.Thread):
    """The worker's index writer: runs ``sync_once`` every ``interval`` seconds until stopped."""

    def __init__(self, app: Flask, *, interval: float = 1.0) -> None:
        super().__init__(name="search-sync", daemon=True)
        self.app = app
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            with self.app.app_context():
                try:
                    report = sync_once()
                    if report.work:
                        log.info("Search indexes: %s built, %s updated", len(report.built), len(report.updated))
                except Exception:  # a failed round is retried; the previous indexes keep serving
                    log.exception("Search index sync failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            self.stopping.wait(self.interval)
