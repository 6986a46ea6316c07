"""Use cases of invoice matching: record an invoice that arrived through the inbound channel, match
an order's invoices again (after a goods receipt, a decision or new tolerances), accept or dispute a
deviation, the municipality's tolerances and the list of invoices ready for payment. Service
functions flush; the caller commits."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from ehf.invoice import DocumentKind, Invoice
from webshop import audit
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.invoices import rules
from webshop.invoices.models import InvoiceTolerance, SupplierInvoice, SupplierInvoiceLine
from webshop.invoices.rules import BilledLine, BillingDocument, InvoiceStatus, OrderLineFacts, Tolerance
from webshop.orders.models import Order, OrderLine
from webshop.orgs.models import Organisation, Role, User
from webshop.orgs.scoping import real_organisation_ids
from webshop.supplier.models import InboundDocument, OrderLineStatus

log = logging.getLogger(__name__)
ZERO = Decimal(0)


class InvoiceError(DomainError):
    """An invoice action that cannot be done; the message is shown to the user."""


def tolerance_for(organisation_id: int) -> Tolerance:
    row = db.session.scalar(select(InvoiceTolerance).where(InvoiceTolerance.organisation_id == organisation_id))
    return Tolerance() if row is None else Tolerance(row.quantity, row.price, row.three_way)


def set_tolerance(organisation: Organisation, *, quantity: Decimal, price: Decimal, three_way: bool,
                  by: User) -> InvoiceTolerance:
    """Save a municipality's tolerances (audited) and match its open invoices again."""
    problem = rules.check_tolerance(quantity, price)
    if problem == "negative":
        raise InvoiceError(_("Toleransene kan ikke være negative."))
    if problem == "decimals":
        raise InvoiceError(_("Pristoleransen kan ha høyst to desimaler (øre)."))
    row = db.session.scalar(select(InvoiceTolerance).where(InvoiceTolerance.organisation_id == organisation.id))
    if row is None:
        row = InvoiceTolerance(organisation_id=organisation.id)
        db.session.add(row)
    row.quantity, row.price, row.three_way, row.updated_by_id = quantity, price, three_way, by.id
    audit.record("invoice_tolerance_changed", by=by, organisation_id=organisation.id,
                 comment=f"antall {quantity.normalize()}, pris {price} kr, treveis {'ja' if three_way else 'nei'}")
    db.session.flush()
    open_orders = db.session.scalars(select(SupplierInvoice.order_id).where(
        SupplierInvoice.organisation_id == organisation.id,
        SupplierInvoice.status.in_(rules.UNDECIDED_DEVIATIONS | {InvoiceStatus.MATCHED})).distinct())
    for order_id in list(open_orders):
        order = db.session.get(Order, order_id)
        if order is not None:
            rematch_order(order)
    return row


def _order_line_for(order: Order, line_ref: str | None, sellers_item_id: str | None) -> OrderLine | None:
    """The order line an invoice line names: by line number, else by the supplier's item number."""
    by_no = {str(line.line_no): line for line in order.lines}
    if line_ref is not None and line_ref.strip() in by_no:
        return by_no[line_ref.strip()]
    if line_ref is None and sellers_item_id:
        candidates = [line for line in order.lines if line.supplier_item_id == sellers_item_id]
        return candidates[0] if len(candidates) == 1 else None
    return None


def record_invoice(document_id: int, order: Order, invoice: Invoice) -> SupplierInvoice:
    """Store an invoice or credit note for ``order`` (already checked by the inbound channel) and match."""
    row = SupplierInvoice(
        inbound_document_id=document_id, order_id=order.id, organisation_id=order.organisation_id,
        supplier_id=order.supplier_id, is_credit_note=invoice.kind is DocumentKind.CREDIT_NOTE,
        number=invoice.id[:200], issue_date=invoice.issue_date, due_date=invoice.due_date,
        currency=invoice.currency[:3], total=invoice.tax_exclusive_amount, vat_total=invoice.tax_amount,
        payable=invoice.payable_amount, buyer_reference=(invoice.buyer_reference or "")[:200] or None,
        status=InvoiceStatus.DEVIATION, received_at=utcnow())
    for position, line in enumerate(invoice.lines, start=1):
        order_line = _order_line_for(order, line.order_line_id, line.sellers_item_id)
        row.lines.append(SupplierInvoiceLine(
            position=position, line_ref=line.id[:200], order_line_id=order_line.id if order_line else None,
            name=(line.name or "")[:300], quantity=line.quantity, unit_price=line.price,
            line_amount=line.line_amount, deviations=""))
    db.session.add(row)
    db.session.flush()
    rematch_order(order)
    log.info("Invoice %r for order %s recorded: %s", row.number, order.id, row.status.value)
    return row


def _facts(order: Order) -> dict[str, OrderLineFacts]:
    received = {s.order_line_id: s.received_quantity - s.damaged_quantity for s in db.session.scalars(
        select(OrderLineStatus).where(OrderLineStatus.order_id == order.id))}
    return {str(line.id): OrderLineFacts(line.quantity, line.unit_price, max(received.get(line.id, ZERO), ZERO))
            for line in order.lines}


def order_invoices(order: Order) -> list[SupplierInvoice]:
    return list(db.session.scalars(select(SupplierInvoice).where(SupplierInvoice.order_id == order.id)
                                   .order_by(SupplierInvoice.received_at, SupplierInvoice.id)))


def rematch_order(order: Order) -> None:
    """Match every invoice of the order again, in arrival order; decisions stand."""
    invoices = order_invoices(order)
    if not invoices:
        return
    documents = [BillingDocument(
        inv.id, inv.is_credit_note,
        tuple(BilledLine(str(ln.order_line_id) if ln.order_line_id else None, ln.quantity, ln.unit_price)
              for ln in inv.lines),
        disputed=inv.status is InvoiceStatus.DISPUTED) for inv in invoices]
    result = rules.match_documents(_facts(order), documents, tolerance_for(order.organisation_id))
    for inv in invoices:
        matches = result[inv.id]
        for line, match in zip(inv.lines, matches, strict=True):
            line.deviations = ",".join(d.value for d in match.deviations)
        inv.status = rules.next_status(inv.status if inv.decided_at else None, rules.status_of(matches))
    db.session.flush()


def on_goods_received(sender: Order, **_signal: Any) -> None:
    """Receiver of ``orders.signals.received``: what arrived may make waiting invoices match."""
    rematch_order(sender)


def on_billing_document(sender: Any, **signal: Any) -> None:
    """Receiver of the inbound channel's ``billing_received`` (sender: the inbound document; ``order`` and
    ``invoice`` checked there): record and match; the document's outcome is the invoice's status."""
    sender.outcome = record_invoice(sender.id, signal["order"], signal["invoice"]).status.value


# ------------------------------------------------------------------ decisions


def can_decide_invoice(user: User, invoice: SupplierInvoice) -> bool:
    """Accept or dispute a deviation: the orderer of the order or an approver of its unit, in its municipality."""
    order = invoice.order
    if user.organisation_id != order.organisation_id:
        return False
    return order.orderer_id == user.id or order.unit_id in user.unit_ids(Role.APPROVER)


def decidable_invoices(user: User) -> Select[SupplierInvoice]:
    """The invoices ``can_decide_invoice`` lets ``user`` decide, waiting for a decision (the deviation inbox)."""
    mine = or_(Order.orderer_id == user.id, Order.unit_id.in_(user.unit_ids(Role.APPROVER)))
    return (select(SupplierInvoice).join(Order, Order.id == SupplierInvoice.order_id)
            .where(Order.organisation_id == user.organisation_id, mine,
                   SupplierInvoice.status.in_(rules.UNDECIDED_DEVIATIONS))
            .order_by(SupplierInvoice.received_at, SupplierInvoice.id))


def decide_invoice(invoice: SupplierInvoice, *, accept: bool, reason: str, by: User) -> None:
    """Accept (ready for payment) or dispute (not paid, not counted) an invoice in deviation, with a reason."""
    if not can_decide_invoice(by, invoice):
        raise InvoiceError(_("Du kan ikke vurdere denne fakturaen."))
    if not rules.can_decide(invoice.status):
        raise InvoiceError(_("Fakturaen har ikke avvik som kan vurderes."))
    reason = reason.strip()
    if not reason:
        raise InvoiceError(_("Skriv en begrunnelse."))
    new = InvoiceStatus.ACCEPTED if accept else InvoiceStatus.DISPUTED
    audit.record("invoice_accepted" if accept else "invoice_disputed", by=by, organisation_id=invoice.organisation_id,
                 order=invoice.order, from_status=invoice.status.value, to_status=new.value,
                 comment=f"{invoice.number}: {reason}"[:2000])
    invoice.status, invoice.decided_by_id, invoice.decided_at, invoice.decision_reason = new, by.id, utcnow(), reason
    db.session.flush()
    rematch_order(invoice.order)


# ------------------------------------------------------------------ figures and lists


@dataclass(frozen=True)
class OrderSummary:
    invoiced: Decimal  # net of credit notes, excl. VAT, disputed invoices left out
    matched: Decimal  # of which matched or accepted
    deviation: Decimal  # of which in deviation or waiting for goods


def summary(invoices: Sequence[SupplierInvoice]) -> OrderSummary:
    def net(inv: SupplierInvoice) -> Decimal:
        return -inv.total if inv.is_credit_note else inv.total

    counted = [inv for inv in invoices if inv.status is not InvoiceStatus.DISPUTED]
    return OrderSummary(
        sum((net(i) for i in counted), ZERO),
        sum((net(i) for i in counted if i.status in rules.READY_FOR_PAYMENT), ZERO),
        sum((net(i) for i in counted if i.status in rules.UNDECIDED_DEVIATIONS), ZERO))


def ready_for_payment(organisation_id: int) -> Select[SupplierInvoice]:
    """The municipality's invoices and credit notes that are matched or accepted (never a sandbox's)."""
    return (select(SupplierInvoice)
            .where(SupplierInvoice.organisation_id == organisation_id,
                   SupplierInvoice.organisation_id.in_(real_organisation_ids()),
                   SupplierInvoice.status.in_(rules.READY_FOR_PAYMENT))
            .order_by(SupplierInvoice.due_date, SupplierInvoice.id))


def csv_rows(invoices: Sequence[SupplierInvoice]) -> list[list[str]]:
    """The accounting export: one row per document, amounts with a point, credit notes negative."""
    rows = [["fakturanummer", "type", "leverandor_orgnr", "ordre", "bestillerreferanse", "fakturadato",
             "forfallsdato", "valuta", "belop_eks_mva", "mva", "a_betale", "status"]]
    for inv in invoices:
        sign = Decimal(-1) if inv.is_credit_note else Decimal(1)
        rows.append([inv.number, "kreditnota" if inv.is_credit_note else "faktura", inv.order.supplier.orgnr or "",
                     f"IK-{inv.order_id}", inv.buyer_reference or "", inv.issue_date.isoformat(),
                     inv.due_date.isoformat() if inv.due_date else "", inv.currency, str(sign * inv.total),
                     str(sign * inv.vat_total), str(sign * inv.payable), inv.status.value])
    return rows


def invoice_counts_with_and_without_order(since: Any = None) -> tuple[int, int]:
    """For the leader's figures: invoices matched to an order, and invoices that arrived without an order
    number (quarantined by the inbound channel), real municipalities only for the first."""
    with_order = db.session.scalar(select(db.func.count(SupplierInvoice.id)).where(
        SupplierInvoice.organisation_id.in_(real_organisation_ids()))) or 0
    without = db.session.scalar(select(db.func.count(InboundDocument.id)).where(
        InboundDocument.kind.in_(("invoice", "credit_note")), InboundDocument.order_id.is_(None))) or 0
    return int(with_order), int(without)
