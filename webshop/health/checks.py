"""Readiness checks behind ``/readyz``: each returns a short, machine-readable result.

Every check is cheap (a few small queries, one stat per live catalogue, one tiny file in
the outbox), so a load balancer may ask every few seconds. A check never raises: a failure
is reported as ``ok: False`` with a reason, and ``/readyz`` answers 503 naming it. Details
name no paths or secrets: the answer is public.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import select, text

from webshop.catalogue.models import Agreement, Catalogue, CatalogueStatus
from webshop.catalogue.services import today_in_norway
from webshop.extensions import db
from webshop.health.heartbeat import latest_heartbeat
from webshop.search.services import indexes, older_index
from webshop.search.sync import sync_once

HEARTBEAT_MAX_AGE = timedelta(seconds=60)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


def migration_heads(app: Flask) -> frozenset[str]:
    """The heads of the migration scripts shipped with this code (read once per process)."""
    cached: frozenset[str] | None = app.extensions.get("health_migration_heads")
    if cached is None:
        directory = app.extensions["migrate"].directory
        config = AlembicConfig()
        config.set_main_option("script_location", directory)
        cached = frozenset(ScriptDirectory.from_config(config).get_heads())
        app.extensions["health_migration_heads"] = cached
    return cached


def check_database() -> Check:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means: not reachable
        db.session.rollback()
        return Check(False, f"unreachable: {type(exc).__name__}")
    return Check(True, db.engine.dialect.name)


def check_migrations() -> Check:
    try:
        # the table Alembic keeps (read directly: a MigrationContext would log on every probe)
        current = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception as exc:
        db.session.rollback()
        return Check(False, f"cannot read the migration version: {type(exc).__name__}")
    expected = migration_heads(current_app._get_current_object())  # type: ignore[attr-defined]
    if current != expected:
        return Check(False, f"database at {sorted(current) or 'nothing'}, code at {sorted(expected)}: "
                            "run flask --app webshop db upgrade heads")
    return Check(True, ",".join(sorted(current)))


def _live_catalogues() -> list[tuple[int, str | None, int]]:
    """(id, search key, search generation) of every published catalogue of an agreement running today."""
    day = today_in_norway()
    return [(r[0], r[1], r[2] or 0) for r in db.session.execute(
        select(Catalogue.id, Catalogue.search_key, Catalogue.search_generation)
        .join(Agreement, Agreement.id == Catalogue.agreement_id)
        .where(Catalogue.status == CatalogueStatus.PUBLISHED, Agreement.valid_from <= day,
               Agreement.valid_to >= day).order_by(Catalogue.id))]


def check_search_index() -> Check:
    """Every published catalogue of a running agreement can be searched on this machine.

    Its own index (in this machine's SEARCH_INDEX_DIR), or while this machine's worker builds
    that or applies a curation edit, the index it had: such a catalogue is "catching up" and
    the check still passes, as long as this machine's worker finished a round within the
    heartbeat age (a machine whose worker died would serve old results for ever). It fails for
    a live catalogue with no index here at all.
    """
    try:
        rows = _live_catalogues()
    except Exception as exc:
        db.session.rollback()
        return Check(False, f"cannot list the live catalogues: {type(exc).__name__}")
    missing, behind = [], []
    for catalogue_id, key, generation in rows:
        local = indexes().generation(key) if key else None
        if local is None:
            if older_index(catalogue_id) is not None:
                behind.append(catalogue_id)
            else:
                missing.append(catalogue_id)
        elif local < generation:
            behind.append(catalogue_id)
    if missing:
        return Check(False, f"no search index for catalogue {', '.join(map(str, missing))} on this machine")
    detail = f"{len(rows)} live catalogue(s)"
    if behind:
        detail += f", {len(behind)} catching up (catalogue {', '.join(map(str, behind))})"
        age = indexes().synced_age()
        if age is None or age > _heartbeat_max_age():
            since = "never" if age is None else f"{age:.0f} s ago"
            return Check(False, f"{detail}, but this machine's worker last updated its indexes {since}")
    return Check(True, detail)


def build_missing_indexes() -> int:
    """Bring this machine's indexes in line with the database now; return how many were built or updated.

    For a machine joining the load balancer (its worker does the same within seconds;
    ``/readyz`` keeps the machine out of rotation until then). It takes the same per-index
    lock as the worker, so the two never write one index at once.
    """
    return sync_once(collect=False).work


def check_outbox() -> Check:
    """The folder transport can create a file in OUTBOX_DIR (a dot file, removed at once)."""
    folder = Path(current_app.config["OUTBOX_DIR"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".readyz-")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return Check(False, f"cannot write to the outbox folder: {exc.strerror or type(exc).__name__}")
    return Check(True, "writable")


def _heartbeat_max_age() -> float:
    return float(current_app.config.get("HEALTH_HEARTBEAT_MAX_AGE_SECONDS") or HEARTBEAT_MAX_AGE.total_seconds())


def check_worker(now: datetime | None = None) -> Check:
    now = now or datetime.now(UTC)
    max_age = timedelta(seconds=_heartbeat_max_age())
    try:
        beat = latest_heartbeat()
    except Exception as exc:
        db.session.rollback()
        return Check(False, f"cannot read the heartbeats: {type(exc).__name__}")
    if beat is None:
        return Check(False, "no delivery worker has ever run (flask --app webshop worker)")
    age = (now - beat).total_seconds()
    if age > max_age.total_seconds():
        return Check(False, f"last worker heartbeat {age:.0f} s ago (more than {max_age.total_seconds():.0f} s)")
    return Check(True, f"last heartbeat {max(age, 0):.0f} s ago")


# The database check comes first: when it fails, the others that need it say so too.
READINESS: tuple[tuple[str, Callable[[], Check]], ...] = (
    ("database", check_database),
    ("migrations", check_migrations),
    ("search_index", check_search_index),
    ("outbox", check_outbox),
    ("worker", check_worker),
)


def readiness() -> dict[str, Check]:
    return {name: check() for name, check in READINESS}
