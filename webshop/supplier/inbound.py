"""Inbound EHF documents from suppliers: received as bytes, stored as received, then
processed. Order Responses and Despatch Advices update the per-line status; a
duplicate has no effect, an older response than the one applied is ignored, and
anything malformed, unknown or not matching an order is quarantined with the
reason. Nothing is lost and nothing here may stop the worker."""
from __future__ import annotations

import hashlib
import logging
import re
import shutil
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from blinker import Namespace
from flask import current_app
from sqlalchemy import func, select, update

from ehf.despatch_advice import DespatchAdvice, parse_despatch_advice
from ehf.errors import EhfError
from ehf.findings import has_fatal
from ehf.invoice import Invoice, is_billing_document, parse_invoice
from ehf.order_response import OrderResponse, parse_order_response
from ehf.validation import validate
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orders.models import Order, OrderLine
from webshop.orders.rules import WITH_SUPPLIER
from webshop.sql import rows_changed
from webshop.supplier.errors import Quarantine
from webshop.supplier.followup import apply_despatch_advice, apply_order_response
from webshop.supplier.models import InboundDocument, OrderLineStatus, SimulatedMessage
from webshop.supplier.rules import InboundState

log = logging.getLogger(__name__)
OSLO = ZoneInfo("Europe/Oslo")
ORDER_NUMBER = re.compile(r"^IK-(\d{1,12})$")
# What a sender is told about an order that does not exist, is another supplier's or was never sent.
NOT_OURS = "Ukjent ordre: ordrenummeret i dokumentet er ikke en ordre vi har sendt til dere."
# Invoices and credit notes (issue 17) come through this channel too. Once checked here (rules, sender, order,
# duplicate), the invoice feature records and matches them: its receiver returns the outcome (a status).
billing_received = Namespace().signal("billing-document-received")


def receive(xml: bytes, *, source: str, sent_by_supplier_id: int | None = None) -> InboundDocument:
    """Store a document exactly as received. Processing comes later (process_received / process_one).
    ``sent_by_supplier_id``: the supplier that authenticated the upload; it may only answer its own orders."""
    document = InboundDocument(source=source[:200], sha256=hashlib.sha256(xml).hexdigest(), xml=xml,
                               state=InboundState.RECEIVED, received_at=utcnow(),
                               sent_by_supplier_id=sent_by_supplier_id)
    db.session.add(document)
    db.session.flush()
    return document


def _issued(day: date, at: time | None) -> datetime:
    return datetime.combine(day, at or time(0), tzinfo=OSLO).astimezone(UTC)


def _parse(xml: bytes) -> OrderResponse | DespatchAdvice | Invoice:
    try:
        if is_billing_document(xml):
            try:
                return parse_invoice(xml)
            except EhfError as invoice_error:
                raise Quarantine(f"Ugyldig faktura: {invoice_error}") from None
    except EhfError:
        pass  # hostile or broken XML: the order response parser below says why
    try:
        return parse_order_response(xml)
    except EhfError as response_error:
        if "DOCTYPE" in str(response_error):  # XXE, billion laughs, external DTDs: never parsed further
            raise Quarantine("Dokumentet har en DOCTYPE-deklarasjon og avvises av sikkerhetshensyn "
                             "(EHF-dokumenter har aldri det).") from None
        if str(response_error).startswith("Not well-formed"):
            raise Quarantine(f"Ikke gyldig XML: {response_error}") from None
        if not str(response_error).startswith("Expected a UBL"):
            raise Quarantine(f"Ugyldig ordresvar: {response_error}") from None
    try:
        return parse_despatch_advice(xml)
    except EhfError as advice_error:
        if str(advice_error).startswith("Expected a UBL"):
            raise Quarantine(f"Ukjent dokumenttype (verken ordresvar eller pakkseddel): {advice_error}") from None
        raise Quarantine(f"Ugyldig pakkseddel: {advice_error}") from None


def _order_for(document: InboundDocument, number: str | None, sender: str | None) -> Order:
    """The order the document answers: one that was sent to the supplier that sent the document
    (its seller endpoint and, over HTTP, its key). Anything else is quarantined; the sender is told
    the same (NOT_OURS) whether the order does not exist, is another supplier's or was never sent.
    A document naming a real order is linked to it, so that municipality sees it in quarantine."""
    match = ORDER_NUMBER.match(number or "")
    order = db.session.get(Order, int(match.group(1))) if match else None
    if order is None:
        raise Quarantine(f"Ukjent ordre: «{number or ''}» finnes ikke hos oss.", public=NOT_OURS)
    document.order_id = order.id
    if db.session.get_bind().dialect.name == "postgresql":  # serialise documents for the same order
        db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    if sender != order.supplier.endpoint_id:
        raise Quarantine(f"Avsender {sender or '(mangler)'} er ikke leverandøren på ordre {order.number}.",
                         public=NOT_OURS)
    if document.sent_by_supplier_id is not None and document.sent_by_supplier_id != order.supplier_id:
        raise Quarantine(f"Dokumentet er sendt inn med en annen leverandørs nøkkel enn leverandøren på "
                         f"ordre {order.number}.", public=NOT_OURS)
    if order.status not in WITH_SUPPLIER:
        raise Quarantine(f"Ordre {order.number} er ikke sendt til leverandøren (status {order.status.value}); "
                         f"svaret er ikke brukt.", public=NOT_OURS)
    return order


def _check_quantities(order: Order, parsed: OrderResponse | DespatchAdvice | Invoice) -> None:
    """Every quantity in an answer lies between 0 and MAX_LINE_QUANTITY, and so does what the
    despatch advices for a line add up to: a typo or a hostile 1e12 never reaches the order."""
    maximum = Decimal(current_app.config.get("MAX_LINE_QUANTITY", 10_000))
    if isinstance(parsed, Invoice):
        _check_invoice_amounts(parsed, maximum)
        return
    if isinstance(parsed, OrderResponse):
        given = [q for line in parsed.lines for q in (line.quantity, line.max_backorder_quantity) if q is not None]
    else:
        given = [q for line in parsed.lines for q in (line.delivered_quantity, line.outstanding_quantity)
                 if q is not None]
    for quantity in given:
        if not quantity.is_finite() or not 0 <= quantity <= maximum:
            raise Quarantine(f"Urimelig antall {quantity}: et antall må være fra 0 til {maximum} per linje.")
    if isinstance(parsed, DespatchAdvice):
        delivered = {str(no): quantity for no, quantity in db.session.execute(
            select(OrderLine.line_no, OrderLineStatus.delivered_quantity)
            .join(OrderLineStatus, OrderLineStatus.order_line_id == OrderLine.id)
            .where(OrderLine.order_id == order.id))}
        for line in parsed.lines:
            ref = line.order_line_id.strip()
            delivered[ref] = delivered.get(ref, Decimal(0)) + line.delivered_quantity
            if delivered[ref] > maximum:
                raise Quarantine(f"Urimelig antall: levert antall på linje {ref} blir {delivered[ref]}, mer enn "
                                 f"{maximum}, det største antallet en ordrelinje kan ha.")


def _check_invoice_amounts(invoice: Invoice, maximum: Decimal) -> None:
    """An invoice's quantities lie between 0 and MAX_LINE_QUANTITY, its amounts under a trillion kroner."""
    for line in invoice.lines:
        if not 0 <= line.quantity <= maximum:
            raise Quarantine(f"Urimelig antall {line.quantity}: et antall må være fra 0 til {maximum} per linje.")
    amounts = [invoice.payable_amount, invoice.tax_exclusive_amount, invoice.tax_amount,
               *(a for line in invoice.lines for a in (line.price, line.line_amount))]
    if any(abs(a) >= Decimal("1e12") for a in amounts):
        raise Quarantine("Urimelig beløp i fakturaen (over 1 000 milliarder).")


def _is_duplicate(document: InboundDocument) -> bool:
    return bool(db.session.scalar(
        select(func.count(InboundDocument.id)).where(
            InboundDocument.id != document.id, InboundDocument.kind == document.kind,
            InboundDocument.sender_endpoint == document.sender_endpoint,
            InboundDocument.document_id == document.document_id,
            InboundDocument.state.in_((InboundState.PROCESSED, InboundState.STALE)))))


def _latest_response(order: Order, document: InboundDocument) -> datetime | None:
    return db.session.scalar(
        select(func.max(InboundDocument.issued_at)).where(
            InboundDocument.order_id == order.id, InboundDocument.kind == "order_response",
            InboundDocument.state == InboundState.PROCESSED, InboundDocument.id != document.id))


def process(document: InboundDocument) -> None:
    """Apply one received document, or mark it duplicate, stale or quarantined. Raises only on bugs."""
    now = utcnow()
    try:
        parsed = _parse(document.xml)
        try:
            findings = validate(document.xml)
        except EhfError as exc:
            raise Quarantine(f"Dokumentet kan ikke kontrolleres: {exc}") from None
        order_id: str | None
        if isinstance(parsed, Invoice):
            document.kind, sender, order_id = parsed.kind.value, parsed.seller.endpoint_id, parsed.order_reference
        elif isinstance(parsed, OrderResponse):
            document.kind, sender, order_id = "order_response", parsed.seller.endpoint_id, parsed.order_id
        else:
            document.kind, sender, order_id = "despatch_advice", parsed.supplier.endpoint_id, parsed.order_id
            order_id = order_id or next((line.order_id for line in parsed.lines if line.order_id), None)
        document.document_id = parsed.id[:200]
        document.sender_endpoint = (sender or "")[:60] or None
        document.issued_at = _issued(parsed.issue_date, None if isinstance(parsed, Invoice) else parsed.issue_time)
        if has_fatal(findings):
            fatal = "; ".join(str(f) for f in findings if f.flag == "fatal")
            raise Quarantine(f"Dokumentet bryter EHF-reglene: {fatal}"[:2000])
        if isinstance(parsed, Invoice) and not order_id:
            raise Quarantine(f"Faktura uten ordrenummer (bestillerreferanse «{parsed.buyer_reference or ''}»): "
                             "den kan ikke avstemmes mot en ordre.")
        order = _order_for(document, order_id, sender)
        _check_quantities(order, parsed)
        document.supplier_id = order.supplier_id
        if _is_duplicate(document):
            document.state, document.reason = InboundState.DUPLICATE, "Samme dokument er mottatt før; ingen endring."
        elif isinstance(parsed, Invoice):
            if not billing_received.receivers:
                raise Quarantine("Fakturamottak er ikke slått på; fakturaen er ikke behandlet.")
            billing_received.send(document, order=order, invoice=parsed)  # sets the outcome
            document.state = InboundState.PROCESSED
        elif isinstance(parsed, OrderResponse):
            latest = _latest_response(order, document)
            if latest is not None and document.issued_at < latest:
                document.state = InboundState.STALE
                document.reason = "Eldre ordresvar enn det som allerede er registrert; ingen endring."
            else:
                document.response_code = parsed.code.value
                document.outcome = apply_order_response(order, parsed, now=now)
                document.state = InboundState.PROCESSED
        else:
            document.outcome = apply_despatch_advice(order, parsed, now=now)
            document.state = InboundState.PROCESSED
    except Quarantine as exc:
        document.state, document.reason, document.public_reason = InboundState.QUARANTINED, str(exc), exc.public
    document.processed_at = now
    db.session.flush()


def receive_and_process(xml: bytes, *, source: str) -> InboundDocument:
    document = receive(xml, source=source)
    process(document)
    return document


def _claim(document_id: int) -> bool:
    changed = rows_changed(
        update(InboundDocument)
        .where(InboundDocument.id == document_id, InboundDocument.state == InboundState.RECEIVED,
               InboundDocument.processed_at.is_(None))
        .values(processed_at=utcnow()))
    return changed == 1


def process_one(document_id: int, *, commit: bool = True) -> InboundDocument | None:
    """Claim and process one received document; None if someone else took it. With ``commit``, a
    crash while processing quarantines the document (as an internal error) instead of raising."""
    try:
        if not _claim(document_id):
            if commit:
                db.session.rollback()
            return None
        document = db.session.get(InboundDocument, document_id)
        assert document is not None
        db.session.refresh(document)
        process(document)
        if commit:
            db.session.commit()
        else:
            db.session.flush()
        return document
    except Exception as exc:
        log.exception("Inbound document %s could not be processed", document_id)
        if not commit:
            raise
        db.session.rollback()
        db.session.execute(
            update(InboundDocument).where(InboundDocument.id == document_id).values(
                state=InboundState.QUARANTINED, processed_at=utcnow(),
                reason=f"Intern feil under behandling: {type(exc).__name__}: {exc}"[:2000]))
        db.session.commit()
        return db.session.get(InboundDocument, document_id)


def process_received(*, commit: bool = True, limit: int = 50) -> int:
    """Process waiting inbound documents; a crash on one quarantines it and moves on."""
    ids = list(db.session.scalars(
        select(InboundDocument.id).where(InboundDocument.state == InboundState.RECEIVED,
                                         InboundDocument.processed_at.is_(None))
        .order_by(InboundDocument.id).limit(limit)))
    return sum(1 for document_id in ids if process_one(document_id, commit=commit) is not None)


def send_due_simulated(*, commit: bool = True, limit: int = 50) -> int:
    """Let simulated suppliers send what is due: each message is received exactly once."""
    now = utcnow()
    due = list(db.session.scalars(
        select(SimulatedMessage.id).where(SimulatedMessage.sent_at.is_(None), SimulatedMessage.due_at <= now)
        .order_by(SimulatedMessage.due_at, SimulatedMessage.id).limit(limit)))
    sent = 0
    for message_id in due:
        changed = rows_changed(update(SimulatedMessage).where(
            SimulatedMessage.id == message_id, SimulatedMessage.sent_at.is_(None)).values(sent_at=now))
        if changed == 1:
            message = db.session.get(SimulatedMessage, message_id)
            assert message is not None
            receive(message.xml, source=f"simulator:{message.supplier_id}")
            sent += 1
        _finish(commit)
    return sent


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()


def inbox_dir() -> Path | None:
    """INBOX_DIR, else instance/inbox (not under tests, which must never read the real instance folder)."""
    configured = current_app.config.get("INBOX_DIR")
    if configured:
        return Path(configured)
    return None if current_app.testing else Path(current_app.instance_path) / "inbox"


def intake_inbox_folder(*, commit: bool = True) -> int:
    """Take XML files a supplier (or an access point) dropped in the inbox folder; move them to ./received."""
    folder = inbox_dir()
    if folder is None or not folder.is_dir():
        return 0
    done_dir = folder / "received"
    taken = 0
    for path in sorted(folder.glob("*.xml")):
        try:
            xml = path.read_bytes()
        except OSError:
            log.exception("Cannot read inbound file %s", path)
            continue
        receive(xml, source=f"folder:{path.name}")
        _finish(commit)
        done_dir.mkdir(exist_ok=True)
        shutil.move(str(path), done_dir / f"{utcnow():%Y%m%dT%H%M%S%f}-{path.name}")
        taken += 1
    return taken
