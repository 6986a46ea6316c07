"""Following up what the supplier says: apply order responses and despatch advices to the
per-line status, and let the order's status follow its lines through the lifecycle
(sync_order_status). Service functions flush; the caller commits."""
from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from ehf.despatch_advice import DespatchAdvice
from ehf.order_response import LineStatus, OrderResponse, OrderResponseLine, ResponseCode
from webshop import audit
from webshop.catalogue.models import CatalogueItem
from webshop.extensions import db
from webshop.logs import fields
from webshop.orders.errors import AlreadyDecided
from webshop.orders.lifecycle import change_status
from webshop.orders.models import Order, OrderDocument, OrderLine
from webshop.orders.notices import NoticeKind, notify
from webshop.orders.rules import WITH_SUPPLIER, InvalidTransition, OrderStatus, Trigger
from webshop.orgs.models import User
from webshop.orgs.scoping import is_real_organisation
from webshop.supplier import rules
from webshop.supplier.errors import Quarantine
from webshop.supplier.models import OrderLineStatus
from webshop.supplier.rules import LineFacts, LineResponse

log = logging.getLogger(__name__)


def statuses(order: Order) -> dict[int, OrderLineStatus]:
    """Line id → status row, created for lines that have none yet."""
    rows = {s.order_line_id: s for s in db.session.scalars(
        select(OrderLineStatus).where(OrderLineStatus.order_id == order.id))}
    for line in order.lines:
        if line.id not in rows:
            rows[line.id] = OrderLineStatus(order_line_id=line.id, order_id=order.id, delivered_quantity=Decimal(0),
                                            received_quantity=Decimal(0), damaged_quantity=Decimal(0))
            db.session.add(rows[line.id])
    return rows


def facts(line: OrderLine, status: OrderLineStatus | None) -> LineFacts:
    """The plain facts about one line that ``supplier.rules`` decides on."""
    if status is None:
        return LineFacts(ordered=line.quantity)
    return LineFacts(ordered=line.quantity, response=status.response, confirmed=status.confirmed_quantity,
                     delivered=status.delivered_quantity, received=status.received_quantity,
                     damaged=status.damaged_quantity, cancelled=status.cancelled_at is not None,
                     reordered=status.reordered_as_id is not None or status.replaced_in_cart_at is not None)


def _line_by_ref(order: Order, ref: str) -> OrderLine:
    for line in order.lines:
        if str(line.line_no) == ref.strip():
            return line
    raise Quarantine(f"Dokumentet viser til ordrelinje {ref}, som ikke finnes på ordre {order.number}.")


def flag_out_of_stock(item_id: int | None, now: datetime) -> None:
    if item_id is None:
        return
    item = db.session.get(CatalogueItem, item_id)
    if item is not None:
        item.out_of_stock_reported_at = now


def apply_order_response(order: Order, response: OrderResponse, *, now: datetime) -> str:
    """Set each line's answer from the supplier; return the outcome for the statistics."""
    rows = statuses(order)
    issued = datetime.combine(response.issue_date, response.issue_time or datetime.min.time())
    answers: dict[int, OrderResponseLine | None] = {line.id: None for line in order.lines}
    for given in response.lines:
        answers[_line_by_ref(order, given.order_line_id).id] = given
    partial = False
    for line in order.lines:
        row, answer = rows[line.id], answers[line.id]
        row.response_issued_at = now
        row.supplier_note = answer.note if answer is not None else response.note
        row.confirmed_price = answer.price if answer is not None else None
        row.backorder_until = None
        if response.code is ResponseCode.ACKNOWLEDGED:
            continue
        if response.code is ResponseCode.REJECTED or (answer is not None and answer.status is LineStatus.NOT_ACCEPTED):
            row.response, row.confirmed_quantity = LineResponse.REJECTED, Decimal(0)
            if response.code is not ResponseCode.REJECTED:
                partial = True
                if is_real_organisation(order.organisation):  # a sandbox's answer is simulated
                    flag_out_of_stock(line.item_id, now)
        elif answer is not None and answer.status is LineStatus.CHANGED and answer.promised_delivery is not None \
                and answer.price is None and answer.quantity in (None, line.quantity):
            period = answer.promised_delivery
            row.response, row.confirmed_quantity = LineResponse.BACKORDERED, line.quantity
            row.backorder_until = period.end_date or period.start_date
            partial = True
            flag_out_of_stock(line.item_id, now)
        elif answer is not None and answer.status is LineStatus.CHANGED:
            row.response = LineResponse.CHANGED
            row.confirmed_quantity = answer.quantity if answer.quantity is not None else line.quantity
            partial = partial or row.confirmed_quantity < line.quantity
        else:
            row.response, row.confirmed_quantity = LineResponse.ACCEPTED, line.quantity
    outcome = {ResponseCode.ACCEPTED: "accepted", ResponseCode.REJECTED: "rejected",
               ResponseCode.ACKNOWLEDGED: "acknowledged"}.get(response.code, "partial" if partial else "changed")
    audit.record("supplier_response", by=None, organisation_id=order.organisation_id, order=order,
                 comment=f"{response.id}: {outcome} ({issued:%Y-%m-%d %H:%M})")
    db.session.flush()
    sync_order_status(order, by=None, trigger=Trigger.SUPPLIER_MESSAGE)
    refused = [line.name for line in order.lines if rows[line.id].response is LineResponse.REJECTED]
    if refused and response.code is not ResponseCode.REJECTED:  # the order goes on; the orderer must hear it
        notify(order, NoticeKind.LINES_REJECTED, ", ".join(refused))
    return outcome


def apply_despatch_advice(order: Order, advice: DespatchAdvice, *, now: datetime) -> str:
    """Add the delivered quantities; return "delivered" or "late" for the statistics."""
    rows = statuses(order)
    for despatched in advice.lines:
        line = _line_by_ref(order, despatched.order_line_id)
        rows[line.id].delivered_quantity = rows[line.id].delivered_quantity + despatched.delivered_quantity
    sent_at = db.session.scalar(select(OrderDocument.delivered_at).where(OrderDocument.order_id == order.id,
                                                                           OrderDocument.delivered_at.is_not(None)))
    late = sent_at is not None and now - sent_at > rules.LATE_AFTER
    audit.record("despatch_advice", by=None, organisation_id=order.organisation_id, order=order,
                 comment=f"{advice.id}: {len(advice.lines)} linjer")
    db.session.flush()
    sync_order_status(order, by=None, trigger=Trigger.SUPPLIER_MESSAGE)
    return "late" if late else "delivered"


def sync_order_status(order: Order, *, by: User | None, trigger: Trigger) -> OrderStatus | None:
    """Move the order to the status its lines say (rules.order_status_from_lines), asking the
    lifecycle. Orders not yet sent are left alone (the worker syncs right after recording the
    delivery); a move the lifecycle refuses is logged and skipped, never raised."""
    if order.status not in WITH_SUPPLIER:
        return None
    rows = {s.order_line_id: s for s in db.session.scalars(
        select(OrderLineStatus).where(OrderLineStatus.order_id == order.id))}
    wanted = rules.order_status_from_lines([facts(line, rows.get(line.id)) for line in order.lines])
    if wanted is None or wanted == order.status:
        return None
    try:
        change_status(order, wanted, by=by, trigger=trigger)
    except InvalidTransition as refused:
        log.warning("Order %s: the lines say %s, but the lifecycle refuses (%s); left as it is", order.number, wanted,
                    refused, extra=fields(order=order.number, from_status=str(order.status), to_status=str(wanted)))
        return None
    except AlreadyDecided:  # someone changed it at the same moment and synced it themselves
        db.session.refresh(order)
        return None
    return wanted


def sync_after_send(order: Order, **_signal: object) -> None:
    """``signals.sent`` receiver: a real supplier may have answered before the send was recorded."""
    sync_order_status(order, by=None, trigger=Trigger.SUPPLIER_MESSAGE)
