"""A machine in production mode (SEARCH_INDEX_WRITER=worker): only its worker's sync writes the index.

In one process, on the test database (SQLite, and PostgreSQL in the second run): what web
processes see before and after the worker's round, for a new machine, a curation edit and a new
catalogue version. The same with real processes on two machines: test_two_machines.py.
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select

from webshop import create_app
from webshop.catalogue.csv_import import ItemRow
from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem
from webshop.catalogue.publish import import_catalogue
from webshop.catalogue.services import search_rows
from webshop.config import TestConfig
from webshop.extensions import db
from webshop.health.checks import check_search_index
from webshop.search.models import SearchIndexChange
from webshop.search.services import indexes
from webshop.search.sync import sync_once


@pytest.fixture
def machine(app, world, tmp_path) -> Iterator[Flask]:
    """A new machine: its own empty index folder, and only its worker writes it."""
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       OUTBOX_DIR=app.config["OUTBOX_DIR"], SEARCH_INDEX_DIR=str(tmp_path / "machine"),
                       SEARCH_INDEX_WRITER="worker")
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def names(organisation_id: int, query: str) -> list[tuple[int, str]]:
    total, rows = search_rows(organisation_id, query)
    db.session.commit()
    return [(r.id, r.name) for r in rows]


def test_the_worker_builds_updates_and_replaces_the_machines_index(machine, world):
    org = world.org.id
    pen_v1 = world.items["PEN-1"].id
    with machine.app_context():
        assert names(org, "kulepenn") == []  # nothing to read yet: the catalogue is left out, no error
        check = check_search_index()
        assert not check.ok and check.detail == f"no search index for catalogue {world.catalogue.id} on this machine"
        assert sync_once().built == [world.catalogue.search_key]
        assert names(org, "kulepenn") == [(pen_v1, "Kulepenn blå")]
        assert check_search_index().ok

        # a curation edit: the web process records it; the index changes in the worker's round
        from webshop.catalogue.curation import curate_item
        from webshop.orgs.models import User
        curate_item(db.session.get(CatalogueItem, pen_v1), hidden=False, name="Kulepenn sjiraff",
                    extra_keywords="", by=db.session.get(User, world.coordinator.id))
        db.session.commit()
        assert db.session.scalars(select(SearchIndexChange.supplier_item_id)).all() == ["PEN-1"]
        assert names(org, "sjiraff") == []
        assert check_search_index().detail == f"1 live catalogue(s), 1 catching up (catalogue {world.catalogue.id})"
        synced = indexes().root / ".synced"
        os.utime(synced, (time.time() - 61, time.time() - 61))  # this machine's worker stopped a minute ago
        check = check_search_index()
        assert not check.ok and check.detail.endswith(", but this machine's worker last updated its indexes 61 s ago")
        synced.unlink()
        assert check_search_index().detail.endswith("last updated its indexes never")
        report = sync_once()
        assert (report.built, report.updated) == ([], [world.catalogue.search_key])
        assert names(org, "sjiraff") == [(pen_v1, "Kulepenn sjiraff")]
        assert check_search_index().detail == "1 live catalogue(s)"

        # a new version: until the worker built it, this machine reads version 1's index and
        # answers with version 2's items
        rows = [ItemRow(1, "KP-100", "Kopipapir A4 80 g", "500 ark", "14111507", "XPK", Decimal("54.00")),
                ItemRow(2, "PEN-1", "Kulepenn blå", "Medium spiss", "44121704", "EA", Decimal("5.10")),
                ItemRow(3, "REG-1", "Tusj regnbue", "Fire farger", "44121708", "EA", Decimal("19.00"))]
        v2 = import_catalogue(db.session.get(Agreement, world.agreement.id), rows)
        db.session.commit()
        pen_v2 = db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue_id == v2.id,
                                                                  CatalogueItem.supplier_item_id == "PEN-1"))
        assert pen_v2 != pen_v1
        assert names(org, "sjiraff") == [(pen_v2, "Kulepenn sjiraff")]  # the old index, the live item
        assert names(org, "regnbue") == []
        assert "catching up" in check_search_index().detail
        assert sync_once().built == [v2.search_key]
        assert names(org, "regnbue") == [(db.session.scalar(select(CatalogueItem.id).where(
            CatalogueItem.catalogue_id == v2.id, CatalogueItem.supplier_item_id == "REG-1")), "Tusj regnbue")]
        assert names(org, "sjiraff") == [(pen_v2, "Kulepenn sjiraff")]
        # the previous version's index stays (the newest retired one: a fallback); nothing else to remove
        assert indexes().collect_garbage({v2.search_key, world.catalogue.search_key}, grace=0) == 0
        assert sync_once().work == 0
        assert db.session.get(Catalogue, world.catalogue.id).search_key in {
            p.name for p in indexes().root.iterdir() if p.is_symlink()}


def test_curation_reaches_drafts_and_a_restored_version(machine, world):
    """Curation belongs to the agreement: an edit made while a draft waits is in the draft's index when
    it is published, and one made while a version was retired is in its index when it is restored."""
    from webshop.catalogue.curation import curate_item
    from webshop.catalogue.versions import publish_draft, restore_previous
    from webshop.orgs.models import User

    org = world.org.id
    rows = [ItemRow(1, "PEN-1", "Kulepenn blå", "Medium spiss", "44121704", "EA", Decimal("5.10")),
            ItemRow(2, "KP-100", "Kopipapir A4 80 g", "500 ark", "14111507", "XPK", Decimal("54.00")),
            ItemRow(3, "FAR-1", "Farin 1 kg", "Brunt", "50161509", "KGM", Decimal("31.50"))]
    with machine.app_context():
        buyer = db.session.get(User, world.coordinator.id)
        draft = import_catalogue(db.session.get(Agreement, world.agreement.id), rows, publish=False)
        db.session.commit()
        assert sorted(sync_once().built) == sorted([world.catalogue.search_key, draft.search_key])
        curate_item(db.session.get(CatalogueItem, world.items["PEN-1"].id), hidden=False, name="Kulepenn sjiraff",
                    extra_keywords="", by=buyer)
        db.session.commit()
        assert sorted(sync_once().updated) == sorted([world.catalogue.search_key, draft.search_key])
        publish_draft(draft, by=None, confirmed=True, retire_confirmed=True)
        db.session.commit()
        pen_v2 = db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue_id == draft.id,
                                                                  CatalogueItem.supplier_item_id == "PEN-1"))
        assert names(org, "sjiraff") == [(pen_v2, "Kulepenn sjiraff")]  # the draft's own index had the edit

        curate_item(db.session.get(CatalogueItem, pen_v2), hidden=False, name="Kulepenn sebra", extra_keywords="",
                    by=buyer)
        db.session.commit()
        sync_once()
        restore_previous(db.session.get(Agreement, world.agreement.id), by=None)  # version 1 again
        db.session.commit()
        sync_once()
        assert names(org, "sebra") == [(world.items["PEN-1"].id, "Kulepenn sebra")]
        assert names(org, "sjiraff") == []
