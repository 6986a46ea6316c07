"""Backups and a municipality's own copy of its data: the work behind the commands and the download."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import inspect, or_, select
from sqlalchemy.engine import URL, make_url

from webshop.extensions import Model, db
from webshop.orders.models import AuditEvent, Order, OrderDocument, OrderLine
from webshop.orgs.models import Organisation, User
from webshop.supplier.models import InboundDocument


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as pg_dump understands it (no +driver, password kept)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore from PATH, else the newest Debian install under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if not candidates:
        raise BackupError(f"{name} not found (install postgresql-client, or put its bin folder on PATH).")
    return str(candidates[-1])


def _run(args: Sequence[str]) -> None:
    result = subprocess.run(list(args), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[:2000]}")


def backup_database(target: Path) -> str:
    """Write a consistent copy of the app's database to ``target``; return the method used."""
    url = _database_url()
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        tmp = target.with_name(f".{target.name}.partial")
        source = sqlite3.connect(_sqlite_path(url))
        try:
            copy = sqlite3.connect(tmp)
            try:
                source.backup(copy)  # page by page, consistent while others keep writing
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(tmp, target)
        return "sqlite backup API"
    if url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)])
        return "pg_dump -Fc"
    raise BackupError(f"No backup method for {url.get_backend_name()}.")


def restore_database(source: Path) -> str:
    """Replace the app's database with the backup in ``source``; return the method used."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    url = _database_url()
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(source)
        try:
            live = sqlite3.connect(_sqlite_path(url))
            try:
                backup.backup(live)
            finally:
                live.close()
        finally:
            backup.close()
        return "sqlite backup API"
    if url.get_backend_name() == "postgresql":
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(url)}", str(source)])
        return "pg_restore --clean"
    raise BackupError(f"No restore method for {url.get_backend_name()}.")


# ------------------------------------------------------------------------------ municipality export


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # money and quantities stay exact
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _row(obj: Model, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of ``obj`` as JSON-ready values (binary columns go to files, not here)."""
    return {c.key: _plain(getattr(obj, c.key)) for c in inspect(type(obj)).column_attrs
            if c.key not in skip and not isinstance(getattr(obj, c.key), bytes)}


def export_municipality(organisation_id: int, target: Path) -> dict[str, int]:
    """Write the municipality's orders, EHF files and audit log to the zip ``target``; return counts."""
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise BackupError(f"No municipality with id {organisation_id}.")
    tmp = target.with_name(f".{target.name}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(tmp, "wb") as fh:
            counts = write_export(org, fh)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return counts


def write_export(org: Organisation, fh: IO[bytes]) -> dict[str, int]:
    """Write ``org``'s export zip to the binary file ``fh``; return what it holds, counted."""
    orders = list(db.session.scalars(select(Order).where(Order.organisation_id == org.id).order_by(Order.id)))
    order_ids = [o.id for o in orders]
    lines = list(db.session.scalars(select(OrderLine).where(OrderLine.order_id.in_(order_ids))
                                    .order_by(OrderLine.order_id, OrderLine.line_no)))
    documents = list(db.session.scalars(select(OrderDocument).where(OrderDocument.order_id.in_(order_ids))
                                        .order_by(OrderDocument.id)))
    inbound = list(db.session.scalars(select(InboundDocument).where(InboundDocument.order_id.in_(order_ids))
                                      .order_by(InboundDocument.id)))
    events = list(db.session.scalars(
        select(AuditEvent).where(or_(AuditEvent.organisation_id == org.id, AuditEvent.order_id.in_(order_ids)))
        .order_by(AuditEvent.id)))
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
    lines_of: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        lines_of.setdefault(line.order_id, []).append(_row(line))
    numbers = {o.id: o.number for o in orders}

    counts = {"orders": len(orders), "order_lines": len(lines), "ehf_out": len(documents),
              "ehf_in": sum(1 for d in inbound if d.xml), "audit_events": len(events)}
    manifest = {"municipality": {"id": org.id, "name": org.name, "orgnr": org.orgnr},
                "exported_at": datetime.now(UTC).isoformat(), "counts": counts}
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        z.writestr("orders.json", json.dumps(
            [{**_row(o), "number": numbers[o.id], "lines": lines_of.get(o.id, [])} for o in orders],
            ensure_ascii=False, indent=2))
        z.writestr("audit_log.json", json.dumps(
            [{**_row(e), "actor": actors[e.actor_id].email if e.actor_id in actors else None} for e in events],
            ensure_ascii=False, indent=2))
        z.writestr("ehf/outgoing.json", json.dumps([_row(d) for d in documents], ensure_ascii=False, indent=2))
        z.writestr("ehf/incoming.json", json.dumps([_row(d) for d in inbound], ensure_ascii=False, indent=2))
        for d in documents:
            z.writestr(f"ehf/outgoing/{numbers[d.order_id]}-{d.id}-{d.filename}", d.xml)
        for i in inbound:
            if i.xml and i.order_id is not None:  # raw XML purged after INBOUND_RETENTION_DAYS
                z.writestr(f"ehf/incoming/{numbers[i.order_id]}-{i.id}-{i.kind or 'document'}.xml", i.xml)
    return counts
