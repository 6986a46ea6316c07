"""How long raw inbound documents are kept. The XML a supplier sent is needed while it is
processed and for a while after (to look at a quarantined document, to answer a question);
after ``INBOUND_RETENTION_DAYS`` (default 90) its bytes are emptied. The row stays: when it
came, from whom, its SHA-256, what was done with it and why, so the audit of what happened is
kept. Documents still waiting to be processed are never touched.

``flask --app webshop inbound purge`` runs it by hand; the worker runs one batch per round."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import CursorResult, select, update

from webshop import audit
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.supplier.models import InboundDocument
from webshop.supplier.rules import InboundState

DEFAULT_RETENTION_DAYS = 90


def retention_days() -> int:
    return int(current_app.config.get("INBOUND_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def purge_raw_documents(*, days: int, now: datetime | None = None, limit: int = 500) -> int:
    """Empty the XML of up to ``limit`` processed documents received more than ``days`` ago, and
    record how many in the audit log. Returns the number purged; the caller commits."""
    now = now or utcnow()
    ids = list(db.session.scalars(
        select(InboundDocument.id).where(
            InboundDocument.received_at < now - timedelta(days=days), InboundDocument.processed_at.is_not(None),
            InboundDocument.state != InboundState.RECEIVED, InboundDocument.xml_purged_at.is_(None))
        .order_by(InboundDocument.id).limit(limit)))
    if not ids:
        return 0
    result = cast("CursorResult[Any]", db.session.execute(
        update(InboundDocument).where(InboundDocument.id.in_(ids), InboundDocument.xml_purged_at.is_(None))
        .values(xml=b"", xml_purged_at=now)))
    purged = result.rowcount
    if purged:
        audit.record("inbound_xml_purged", by=None, organisation_id=None,
                     comment=f"Rå XML slettet for {purged} innkommende dokumenter mottatt for mer enn {days} dager "
                             f"siden (id {ids[0]}–{ids[-1]}); registreringen av hva som ble gjort er beholdt.")
    db.session.flush()
    return purged


def purge_step(*, commit: bool = True) -> int:
    """One worker round's share: a batch, committed."""
    purged = purge_raw_documents(days=retention_days())
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return purged


@click.group("inbound")
def inbound_cli() -> None:
    """Inbound EHF documents from suppliers."""


@inbound_cli.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default INBOUND_RETENTION_DAYS, 90).")
@with_appcontext
def purge_command(days: int | None) -> None:
    """Delete the raw XML of processed inbound documents older than the retention period."""
    days = days or retention_days()
    total = 0
    while purged := purge_raw_documents(days=days):
        db.session.commit()
        total += purged
    db.session.commit()
    click.echo(f"Slettet rå XML for {total} dokumenter eldre enn {days} dager.")
