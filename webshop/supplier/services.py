"""Supplier-side use cases: schedule the simulator's answers, apply order responses and
despatch advices to the per-line status and let the order's status follow it
(sync_order_status), goods receipt, re-order or cancel missing lines, failed deliveries,
statistics, and the suppliers' inbound keys. Service functions flush; the caller commits."""
from __future__ import annotations

import hashlib
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from ehf.despatch_advice import DespatchAdvice
from ehf.order import parse_order
from ehf.order_response import LineStatus, OrderResponse, OrderResponseLine, ResponseCode
from webshop import audit
from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem, CatalogueStatus, Supplier
from webshop.catalogue.services import live_catalogues_for, orderable_item
from webshop.dbtypes import utcnow
from webshop.delivery.rules import DeliveryState
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument, OrderLine
from webshop.orders.rules import TRANSITIONS, WITH_SUPPLIER, OrderStatus
from webshop.orders.services import AlreadyDecided, change_status
from webshop.orgs.models import Organisation, User
from webshop.supplier import rules
from webshop.supplier.models import InboundDocument, OrderLineStatus, SimulatedMessage, SupplierSettings
from webshop.supplier.rules import Behaviour, InboundState, LineFacts, LineResponse, LineState
from webshop.supplier.simulator import SimConfig, simulate

log = logging.getLogger(__name__)


class SupplierError(Exception):
    """A supplier-side action that cannot be done; the message is shown to the user."""


# ------------------------------------------------------------------ settings and simulator


def settings_for(supplier: Supplier) -> SupplierSettings:
    settings = db.session.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == supplier.id))
    if settings is None:
        settings = SupplierSettings(supplier_id=supplier.id)
        settings.supplier = supplier
        db.session.add(settings)
        db.session.flush()
    return settings


INBOUND_TOKEN_PREFIX = "ehfin_"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_inbound_token(settings: SupplierSettings, *, by: User) -> str:
    """A new bearer token for the supplier's POST /api/v1/ehf/inbound, replacing any earlier one.
    Only its SHA-256 is stored; the token is returned to be shown once."""
    token = INBOUND_TOKEN_PREFIX + secrets.token_urlsafe(32)
    settings.inbound_token_hash, settings.inbound_token_hint = _token_hash(token), token[:10]
    settings.inbound_token_created_at, settings.updated_by_id = utcnow(), by.id
    audit.record("inbound_token_created", by=by, organisation_id=by.organisation_id,
                 comment=f"{settings.supplier.name}: {settings.inbound_token_hint}…")
    db.session.flush()
    return token


def supplier_for_inbound_token(token: str) -> Supplier | None:
    """The supplier a valid inbound token belongs to, or None."""
    if not token.startswith(INBOUND_TOKEN_PREFIX) or len(token) > 200:
        return None
    return db.session.scalar(select(Supplier).join(SupplierSettings, SupplierSettings.supplier_id == Supplier.id)
                             .where(SupplierSettings.inbound_token_hash == _token_hash(token)))


def sim_config(settings: SupplierSettings) -> SimConfig:
    return SimConfig.from_text(
        settings.behaviour, settings.out_of_stock_items or "",
        out_of_stock_lines=settings.out_of_stock_lines or 0, backorder_days=settings.backorder_days or 0,
        quantity_change_percent=settings.quantity_change_percent or 0,
        price_change_percent=settings.price_change_percent or Decimal(0),
        answer_delay=timedelta(seconds=settings.answer_delay_seconds or 0),
        delivery_parts=max(1, settings.delivery_parts or 1),
        part_interval=timedelta(minutes=settings.part_interval_minutes or 0))


def order_delivered(order: Order, document: OrderDocument, *, now: datetime) -> int:
    """Called once when an order message reached the supplier: a simulated supplier schedules its answers."""
    settings = db.session.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == order.supplier_id))
    if settings is None or settings.behaviour in (Behaviour.OFF, Behaviour.SILENT):
        return 0
    sent = parse_order(document.xml)  # the simulator reads the real EHF order, as a supplier would
    answers = simulate(sent, sim_config(settings), now)
    for answer in answers:
        db.session.add(SimulatedMessage(supplier_id=order.supplier_id, order_id=order.id, kind=answer.kind,
                                        xml=answer.xml, due_at=now + answer.delay))
    db.session.flush()
    return len(answers)


# ------------------------------------------------------------------ applying supplier documents


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


def _line_by_ref(order: Order, ref: str) -> OrderLine:
    from webshop.supplier.inbound import Quarantine

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
    sync_order_status(order, by=None)
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
    sync_order_status(order, by=None)
    return "late" if late else "delivered"


def sync_order_status(order: Order, *, by: User | None) -> OrderStatus | None:
    """Move the order to the status its lines say (rules.order_status_from_lines), through
    orders.services.change_status so the change is checked and audited. Orders not yet
    sent are left alone (the worker syncs right after recording the delivery); a move the
    transition table does not allow is logged and skipped, never raised."""
    if order.status not in WITH_SUPPLIER:
        return None
    rows = {s.order_line_id: s for s in db.session.scalars(
        select(OrderLineStatus).where(OrderLineStatus.order_id == order.id))}
    wanted = rules.order_status_from_lines([facts(line, rows.get(line.id)) for line in order.lines])
    if wanted is None or wanted == order.status:
        return None
    if wanted not in TRANSITIONS[order.status]:
        log.warning("Order %s: the lines say %s, but %s cannot go there; left as it is", order.id, wanted,
                    order.status)
        return None
    try:
        change_status(order, wanted, by=by, action=wanted.value)
    except AlreadyDecided:  # someone changed it at the same moment and synced it themselves
        db.session.refresh(order)
        return None
    return wanted


# ------------------------------------------------------------------ the order page


@dataclass(frozen=True)
class LineView:
    line: OrderLine
    status: OrderLineStatus | None
    state: LineState
    missing: Decimal
    substitute: CatalogueItem | None


def facts(line: OrderLine, status: OrderLineStatus | None) -> LineFacts:
    if status is None:
        return LineFacts(ordered=line.quantity)
    return LineFacts(ordered=line.quantity, response=status.response, confirmed=status.confirmed_quantity,
                     delivered=status.delivered_quantity, received=status.received_quantity,
                     damaged=status.damaged_quantity, cancelled=status.cancelled_at is not None,
                     reordered=status.reordered_as_id is not None)


def line_views(order: Order, *, with_substitutes: bool = False) -> list[LineView]:
    """Each line with its status and what is missing: two or three queries whatever the line count."""
    rows = {s.order_line_id: s for s in db.session.scalars(
        select(OrderLineStatus).where(OrderLineStatus.order_id == order.id))}
    facts_by_line = {line.id: facts(line, rows.get(line.id)) for line in order.lines}
    missing = {line_id: rules.missing_quantity(f) for line_id, f in facts_by_line.items()}
    subs = substitutes_for(order, [ln for ln in order.lines if missing[ln.id] > 0]) if with_substitutes else {}
    return [LineView(line, rows.get(line.id), rules.line_state(facts_by_line[line.id]), missing[line.id],
                     subs.get(line.id)) for line in order.lines]


def substitutes_for(order: Order, lines: list[OrderLine]) -> dict[int, CatalogueItem]:
    """A simple substitute per line: the cheapest item with the same UNSPSC in the same agreement's live
    catalogue that the organisation may order now, not discontinued, not reported out of stock (one query)."""
    codes = {line.unspsc for line in lines if line.unspsc and not line.is_free_text}
    if not codes or order.agreement_id is None:
        return {}
    candidates = list(db.session.scalars(
        select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .where(Catalogue.agreement_id == order.agreement_id, CatalogueItem.unspsc.in_(codes),
               CatalogueItem.catalogue_id.in_(live_catalogues_for(order.organisation_id)),
               CatalogueItem.discontinued.is_(False), CatalogueItem.out_of_stock_reported_at.is_(None))
        .order_by(CatalogueItem.price, CatalogueItem.id)))
    found = {}
    for line in lines:
        item = next((c for c in candidates if c.unspsc == line.unspsc and c.supplier_item_id != line.supplier_item_id),
                    None)
        if item is not None:
            found[line.id] = item
    return found


def substitute_for(order: Order, line: OrderLine) -> CatalogueItem | None:
    return substitutes_for(order, [line]).get(line.id)


# ------------------------------------------------------------------ goods receipt, re-order, cancel


def _status_row(order: Order, line_id: int) -> tuple[OrderLine, OrderLineStatus]:
    line = next((ln for ln in order.lines if ln.id == line_id), None)
    if line is None:
        raise SupplierError(_("Linjen finnes ikke på denne ordren."))
    return line, statuses(order)[line.id]


def record_receipt(order: Order, received: dict[int, tuple[Decimal, Decimal]], *, by: User) -> None:
    """Goods receipt: per line the quantity received and how much of it was damaged."""
    rows = statuses(order)
    by_id = {line.id: line for line in order.lines}
    for line_id, (got, damaged) in received.items():
        line = by_id.get(line_id)
        if line is None:
            raise SupplierError(_("Linjen finnes ikke på denne ordren."))
        problem = rules.check_receipt(line.quantity, got, damaged)
        if problem == "negative":
            raise SupplierError(_("Linje %(no)s: antall kan ikke være negativt.", no=line.line_no))
        if problem == "damaged_over_received":
            raise SupplierError(_("Linje %(no)s: skadet antall kan ikke være mer enn mottatt.", no=line.line_no))
        if problem == "over_ordered":
            raise SupplierError(_("Linje %(no)s: mottatt antall kan ikke være mer enn bestilt (%(q)s).",
                                  no=line.line_no, q=line.quantity.normalize()))
        rows[line.id].received_quantity, rows[line.id].damaged_quantity = got, damaged
    audit.record("goods_received", by=by, organisation_id=order.organisation_id, order=order,
                 comment=", ".join(f"{by_id[i].line_no}: {g.normalize()} ({d.normalize()} skadet)"
                                   for i, (g, d) in sorted(received.items())))
    db.session.flush()
    sync_order_status(order, by=by)


def receive_all(order: Order, *, by: User) -> None:
    """Everything the supplier said it would deliver arrived in good condition."""
    received = {}
    for view in line_views(order):
        if view.state in (LineState.CANCELLED, LineState.REORDERED):
            continue
        expected = rules.expected_quantity(facts(view.line, view.status))
        received[view.line.id] = (min(expected, view.line.quantity), Decimal(0))
    record_receipt(order, received, by=by)


def cancel_line(order: Order, line_id: int, *, by: User) -> None:
    line, row = _status_row(order, line_id)
    if rules.missing_quantity(facts(line, row)) <= 0:
        raise SupplierError(_("Det mangler ingenting på denne linjen."))
    row.cancelled_at = utcnow()
    audit.record("line_cancelled", by=by, organisation_id=order.organisation_id, order=order,
                 comment=f"{line.line_no}: {line.name}")
    db.session.flush()
    sync_order_status(order, by=by)


def reorder_line(order: Order, line_id: int, *, by: User, substitute: bool) -> Order:
    """Order the missing quantity again (same item or the substitute) as a new order; it goes
    through the approval policy like any new order (orders.services.create_order_from_lines)."""
    from webshop.cart.models import CartLine
    from webshop.cart.services import CartError
    from webshop.orders.services import create_order_from_lines

    line, row = _status_row(order, line_id)
    missing = rules.missing_quantity(facts(line, row))
    if missing <= 0:
        raise SupplierError(_("Det mangler ingenting på denne linjen."))
    item = substitute_for(order, line) if substitute else (
        orderable_item(order.organisation_id, line.item_id) if line.item_id else None)
    if item is None:
        raise SupplierError(_("Fant ingen vare å bestille på nytt. Søk i katalogen etter en annen vare."))
    # a cart line that is never added to the session or anyone's cart: just the shape the service takes
    cart_line = CartLine(user_id=by.id, item_id=item.id, supplier_id=item.catalogue.agreement.supplier_id,
                         quantity=missing)
    cart_line.item = item
    try:
        new = create_order_from_lines(by, order.unit, [cart_line], note=_(
            "Erstatter linje %(no)s i ordre %(number)s", no=line.line_no, number=order.number))
    except CartError as exc:
        raise SupplierError(str(exc)) from None
    finally:
        if cart_line in db.session:
            db.session.expunge(cart_line)
    row.reordered_as_id = new.id
    audit.record("line_reordered", by=by, organisation_id=order.organisation_id, order=order,
                 comment=f"{line.line_no}: {item.name} → {new.number}")
    db.session.flush()
    sync_order_status(order, by=by)
    return new


def retry_delivery(document: OrderDocument, *, by: User) -> None:
    """Try a failed message again now (the coordinator's button)."""
    if document.state == DeliveryState.DELIVERED:
        raise SupplierError(_("Meldingen er allerede levert."))
    document.next_attempt_at = utcnow()
    document.lease_until = None
    order = db.session.get(Order, document.order_id)
    audit.record("delivery_retry", by=by, organisation_id=order.organisation_id if order else None, order=order)
    db.session.flush()


# ------------------------------------------------------------------ lists for coordinators and buyers


def failed_deliveries(organisation_id: int) -> list[tuple[OrderDocument, Order]]:
    """Messages the worker could not deliver (after several attempts), oldest first."""
    return [tuple(row) for row in db.session.execute(  # type: ignore[misc]
        select(OrderDocument, Order).join(Order, Order.id == OrderDocument.order_id)
        .where(Order.organisation_id == organisation_id, OrderDocument.state == DeliveryState.FAILED)
        .options(joinedload(Order.supplier)).order_by(OrderDocument.created_at).limit(200))]


def collaboration_supplier_ids(collaboration_id: int) -> Select[int]:
    return select(Agreement.supplier_id).where(Agreement.collaboration_id == collaboration_id)


def collaboration_suppliers(collaboration_id: int) -> list[Supplier]:
    return list(db.session.scalars(select(Supplier).where(Supplier.id.in_(collaboration_supplier_ids(
        collaboration_id))).order_by(Supplier.name)))


def out_of_stock_items(collaboration_id: int) -> list[CatalogueItem]:
    return list(db.session.scalars(
        select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .join(Agreement, Agreement.id == Catalogue.agreement_id)
        .where(Agreement.collaboration_id == collaboration_id, Catalogue.status == CatalogueStatus.PUBLISHED,
               CatalogueItem.out_of_stock_reported_at.is_not(None))
        .options(joinedload(CatalogueItem.catalogue).joinedload(Catalogue.agreement).joinedload(Agreement.supplier))
        .order_by(CatalogueItem.out_of_stock_reported_at.desc()).limit(500)))


def quarantined(user: User, *, collaboration_wide: bool) -> list[InboundDocument]:
    query = (select(InboundDocument).where(InboundDocument.state == InboundState.QUARANTINED)
             .options(selectinload(InboundDocument.order)).order_by(InboundDocument.id.desc()).limit(200))
    if not collaboration_wide:
        query = query.join(Order, Order.id == InboundDocument.order_id).where(
            Order.organisation_id == user.organisation_id)
    return list(db.session.scalars(query))


def supplier_statistics(collaboration_id: int,
                        now: datetime | None = None) -> list[tuple[Supplier, rules.SupplierStats]]:
    """Per supplier in the collaboration: response time and the shares rejected / partial / late."""
    now = now or utcnow()
    members = select(Organisation.id).where(Organisation.collaboration_id == collaboration_id)
    sent = db.session.execute(
        select(Order.id, Order.supplier_id, OrderDocument.delivered_at)
        .join(OrderDocument, OrderDocument.order_id == Order.id)
        .where(Order.organisation_id.in_(members), OrderDocument.delivered_at.is_not(None))).all()
    docs = db.session.execute(
        select(InboundDocument.order_id, InboundDocument.kind, InboundDocument.received_at,
               InboundDocument.response_code, InboundDocument.outcome)
        .where(InboundDocument.state == InboundState.PROCESSED,
               InboundDocument.order_id.in_([row.id for row in sent] or [-1]))
        .order_by(InboundDocument.received_at)).all()
    first: dict[int, dict[str, object]] = defaultdict(dict)
    for doc in docs:
        seen = first[doc.order_id]
        if doc.kind == "order_response":
            seen.setdefault("response_at", doc.received_at)
            seen.setdefault("code", doc.response_code)
            seen["partial"] = seen.get("partial", False) or doc.outcome == "partial"
        else:
            seen.setdefault("delivery_at", doc.received_at)
    outcomes: dict[int, list[rules.OrderOutcome]] = defaultdict(list)
    for row in sent:
        seen = first.get(row.id, {})
        outcomes[row.supplier_id].append(rules.OrderOutcome(
            sent_at=row.delivered_at, first_response_at=seen.get("response_at"),  # type: ignore[arg-type]
            response_code=seen.get("code"), partial=bool(seen.get("partial")),  # type: ignore[arg-type]
            first_delivery_at=seen.get("delivery_at")))  # type: ignore[arg-type]
    return [(s, rules.supplier_stats(outcomes.get(s.id, []), now)) for s in collaboration_suppliers(collaboration_id)]


DAY_NAMES = {"Mon": _l("man"), "Tue": _l("tir"), "Wed": _l("ons"), "Thu": _l("tor"), "Fri": _l("fre"),
             "Sat": _l("lør"), "Sun": _l("søn")}


def cart_supplier_notes(lines: list[Any]) -> list[tuple[str, str]]:
    """Before submit: per supplier in the cart, a warning if under its minimum order value, and its delivery days."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    suppliers: dict[int, Supplier] = {}
    for line in lines:
        price = line.estimated_price if line.is_free_text else line.item.price
        totals[line.supplier_id] += (price or Decimal(0)) * line.quantity
        suppliers[line.supplier_id] = line.supplier
    notes = []
    for supplier_id, total in totals.items():
        supplier = suppliers[supplier_id]
        short = rules.min_order_shortfall(total, supplier.min_order_value or Decimal(0))
        if short is not None:
            minimum = format(supplier.min_order_value, ".2f")
            notes.append(("warning", _("%(name)s har minste ordreverdi %(min)s kr. Det mangler %(short)s kr – "
                                       "legg til mer eller vent med å bestille.", name=supplier.name,
                                       min=minimum, short=format(short, ".2f"))))
        if supplier.delivery_days:
            days = ", ".join(str(DAY_NAMES.get(d.strip(), d.strip())) for d in supplier.delivery_days.split(","))
            notes.append(("info", _("%(name)s leverer disse dagene: %(days)s.", name=supplier.name, days=days)))
    return notes


SEED_KEYS = ("out_of_stock_items", "out_of_stock_lines", "backorder_days", "quantity_change_percent",
             "answer_delay_seconds", "delivery_parts", "part_interval_minutes")


def seed_settings(supplier: Supplier, row: dict[str, Any]) -> None:
    """Demo data: a supplier row with `simulator = "partial"` (and the knobs above) gets a simulated supplier."""
    if "simulator" not in row:
        return
    settings = SupplierSettings(supplier_id=supplier.id, behaviour=Behaviour(row["simulator"]))
    for key in SEED_KEYS:
        if key in row:
            setattr(settings, key, row[key])
    db.session.add(settings)
