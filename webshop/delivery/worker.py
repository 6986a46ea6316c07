"""The delivery worker: ``flask --app webshop worker`` (an entry point: it combines delivery
with the supplier side's inbound processing, as only views, the CLI and the worker may).

Each round it claims due outbox messages, hands them to the supplier's transport
and records the result; then it lets simulated suppliers send what is due and
processes inbound documents. A claim is a short lease written in its own
transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional
UPDATE on SQLite), so two workers never send the same message at once, and a
worker killed mid-delivery only delays the message until its lease runs out.
The resend carries the same message id, so the receiver sees a duplicate, not
a second order. Failures are retried with exponential backoff.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import ColumnElement, or_, select, update

from webshop import audit
from webshop.catalogue.models import Supplier
from webshop.dbtypes import utcnow
from webshop.delivery.rules import BASE_DELAY, FAIL_AFTER, MAX_ATTEMPTS, PENDING_STATES, after_failure
from webshop.delivery.transports import (
    FolderTransport,
    HttpTransport,
    PeppolAccessPointTransport,
    SandboxTransport,
    Transport,
    TransportError,
    outgoing,
)
from webshop.extensions import db
from webshop.health.heartbeat import record_heartbeat
from webshop.orders.lifecycle import change_status
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import DeliveryState, OrderStatus, Trigger
from webshop.orgs.scoping import is_real_organisation
from webshop.search.sync import SyncThread, sync_once
from webshop.sql import rows_changed
from webshop.supplier import inbound, retention
from webshop.supplier.endpoints import loopback_allowed
from webshop.supplier.models import SupplierSettings
from webshop.supplier.rules import TransportKind

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=120)


@dataclass
class Round:
    delivered: int = 0
    failed: int = 0
    simulated: int = 0
    processed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def work(self) -> int:
        return self.delivered + self.failed + self.simulated + self.processed


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def transport_for(supplier_id: int) -> Transport:
    """The supplier's configured transport; the outbox folder when nothing is configured."""
    settings = db.session.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == supplier_id))
    if settings is None or settings.transport is TransportKind.FOLDER:
        return FolderTransport(current_app.config["OUTBOX_DIR"])
    if settings.transport is TransportKind.HTTP and settings.endpoint_url:
        return HttpTransport(settings.endpoint_url, timeout=float(current_app.config.get("DELIVERY_HTTP_TIMEOUT", 15)),
                             allow_loopback=loopback_allowed(current_app.config, debug=current_app.debug))
    return PeppolAccessPointTransport()


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def claim_due(worker_id: str, *, now: datetime, lease: timedelta, limit: int, commit: bool = True,
              only: int | None = None) -> list[int]:
    """Lease up to ``limit`` due messages to ``worker_id``; return their ids."""
    due = (
        select(OrderDocument.id)
        .where(OrderDocument.state.in_(PENDING_STATES), OrderDocument.next_attempt_at <= now,
               or_(OrderDocument.lease_until.is_(None), OrderDocument.lease_until < now))
        .order_by(OrderDocument.next_attempt_at, OrderDocument.id)
        .limit(limit)
    )
    if only is not None:
        due = due.where(OrderDocument.id == only)
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed = []
    for doc_id in list(db.session.scalars(due)):
        changed = rows_changed(
            update(OrderDocument)
            .where(OrderDocument.id == doc_id, OrderDocument.state.in_(PENDING_STATES),
                   or_(OrderDocument.lease_until.is_(None), OrderDocument.lease_until < now))
            .values(claimed_by=worker_id, lease_until=now + lease))
        if changed == 1:
            claimed.append(doc_id)
    _finish(commit)
    return claimed


def _mine(doc_id: int, worker_id: str) -> tuple[ColumnElement[bool], ...]:
    return (OrderDocument.id == doc_id, OrderDocument.claimed_by == worker_id,
            OrderDocument.state != DeliveryState.DELIVERED)


def _record_success(document: OrderDocument, ref: str, worker_id: str, now: datetime) -> bool:
    changed = rows_changed(update(OrderDocument).where(*_mine(document.id, worker_id)).values(
        state=DeliveryState.DELIVERED, delivered_at=now, delivery_ref=ref[:500], delivery_error=None,
        attempts=OrderDocument.attempts + 1, claimed_by=None, lease_until=None, next_attempt_at=None))
    db.session.refresh(document)
    if changed != 1:
        return False  # our lease ran out and another worker took over: it records the result
    order = db.session.get(Order, document.order_id)
    assert order is not None
    if order.status == OrderStatus.APPROVED:
        # signals.sent: supplier follow-up syncs answers that came first, a simulated supplier schedules its own
        change_status(order, OrderStatus.SENT, by=None, trigger=Trigger.DELIVERY_WORKER, comment=ref)
    return True


def _record_failure(document: OrderDocument, error: str, worker_id: str, now: datetime, base: timedelta) -> None:
    attempts = document.attempts + 1
    state, next_at = after_failure(attempts, now, base=base, max_attempts=MAX_ATTEMPTS)
    changed = rows_changed(update(OrderDocument).where(*_mine(document.id, worker_id)).values(
        state=state, attempts=attempts, next_attempt_at=next_at, delivery_error=error[:2000],
        claimed_by=None, lease_until=None))
    db.session.refresh(document)
    if changed == 1 and (attempts <= FAIL_AFTER or next_at is None):
        order = db.session.get(Order, document.order_id)
        assert order is not None
        audit.record("delivery_failed", by=None, organisation_id=order.organisation_id, order=order,
                     comment=f"{error} (forsøk {attempts})")


def deliver_claimed(doc_id: int, worker_id: str, *, commit: bool = True, base_delay: timedelta = BASE_DELAY) -> bool:
    """Send one claimed message and record the outcome. The send happens outside any open transaction."""
    document = db.session.get(OrderDocument, doc_id)
    assert document is not None
    order = db.session.get(Order, document.order_id)
    assert order is not None
    supplier = db.session.get(Supplier, order.supplier_id)
    assert supplier is not None
    # A training sandbox's order never reaches a real supplier's transport (orgs.scoping).
    transport = SandboxTransport() if not is_real_organisation(order.organisation) else transport_for(supplier.id)
    message = outgoing(document, supplier.endpoint_id)
    if commit:
        db.session.commit()  # hold no transaction (and no locks) while talking to the network
    try:
        ref = transport.send(message)
    except TransportError as exc:
        _record_failure(document, str(exc), worker_id, utcnow(), base_delay)
        _finish(commit)
        return False
    _record_success(document, ref, worker_id, utcnow())
    _finish(commit)
    return True


def deliver_due(*, worker_id: str = "worker", lease: timedelta = DEFAULT_LEASE, limit: int = 20,
                commit: bool = True, only: int | None = None, base_delay: timedelta = BASE_DELAY) -> Round:
    """Deliver what is due now, once. The worker loop, the demo seed and tests all use this."""
    counts = Round()
    for doc_id in claim_due(worker_id, now=utcnow(), lease=lease, limit=limit, commit=commit, only=only):
        try:
            if deliver_claimed(doc_id, worker_id, commit=commit, base_delay=base_delay):
                counts.delivered += 1
            else:
                counts.failed += 1
        except Exception as exc:  # a bug must not stop the other messages; the lease makes it retry later
            log.exception("Delivering outbox message %s failed unexpectedly", doc_id)
            if commit:
                db.session.rollback()
            counts.errors.append(str(exc))
    return counts


def run_once(worker_id: str, *, lease: timedelta = DEFAULT_LEASE, commit: bool = True, batch: int = 20) -> Round:
    """One worker round: deliver, let simulated suppliers answer, process inbound documents."""
    counts = deliver_due(worker_id=worker_id, lease=lease, commit=commit, limit=batch)
    steps: tuple[tuple[Callable[..., int], bool], ...] = (
        (inbound.send_due_simulated, True), (inbound.intake_inbox_folder, False), (inbound.process_received, False))
    for step, simulated in steps:
        try:
            done = step(commit=commit)
            if simulated:
                counts.simulated += done
            else:
                counts.processed += done
        except Exception as exc:
            log.exception("Worker step %s failed", step.__name__)
            if commit:
                db.session.rollback()
            counts.errors.append(str(exc))
    try:  # raw inbound XML past INBOUND_RETENTION_DAYS (one indexed batch; not counted as work)
        retention.purge_step(commit=commit)
    except Exception as exc:
        log.exception("Purging old inbound documents failed")
        if commit:
            db.session.rollback()
        counts.errors.append(str(exc))
    return counts


@click.command("worker")
@click.option("--name", "worker_id", default=None, help="Worker id written on claimed messages (default host:pid).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds when idle.")
@click.option("--lease", default=None, type=float, help="Seconds a claimed message stays reserved (default 120).")
@click.option("--batch", default=20, show_default=True, help="Messages claimed per round.")
@click.option("--once", is_flag=True, help="Run one round and exit.")
@click.option("--until-idle", is_flag=True, help="Run rounds until one finds nothing to do.")
@with_appcontext
def worker_command(worker_id: str | None, interval: float, lease: float | None, batch: int, once: bool,
                   until_idle: bool) -> None:
    """Deliver queued EHF messages with retries and process supplier answers."""
    worker_id = worker_id or default_worker_id()
    lease_td = timedelta(seconds=lease or current_app.config.get("DELIVERY_LEASE_SECONDS", 120))
    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(f"Arbeider {worker_id} startet (intervall {interval} s).")
    # This machine's search indexes: written by this process alone, in a thread so a long build never
    # delays a delivery (--once / --until-idle: one sync per round, in line).
    sync = None if once or until_idle else SyncThread(current_app._get_current_object())  # type: ignore[attr-defined]
    if sync is not None:
        sync.start()
    while not stopping:
        if sync is None:
            try:
                sync_once()
            except Exception:  # the search index must never stop deliveries; the next round retries
                log.exception("Search index sync failed")
                db.session.rollback()
        counts = run_once(worker_id, lease=lease_td, batch=batch)
        record_heartbeat(worker_id)  # /readyz: a worker finished a round within the last minute
        db.session.remove()
        if counts.work:
            click.echo(f"levert {counts.delivered}, feilet {counts.failed}, simulert {counts.simulated}, "
                       f"behandlet {counts.processed}")
        if once or (until_idle and not counts.work):
            break
        if not counts.work:
            time.sleep(interval)
    if sync is not None:
        sync.stopping.set()
        sync.join(timeout=10)
    click.echo(f"Arbeider {worker_id} stoppet.")
