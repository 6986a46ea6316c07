"""Order use cases: submit a cart, approve or reject, build and deliver the EHF order.

Service functions flush; the caller (a view or the CLI) commits. Only these
functions change ``order.status``, and every change is checked against the
transition table and written to the audit log.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from webshop import audit
from webshop.approvals.models import ApprovalDecision, Decision
from webshop.cart.models import CartLine
from webshop.cart.services import CartError, cart_lines
from webshop.catalogue.models import Agreement, agreement_members
from webshop.catalogue.services import orderable_item, today_in_norway
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orders import ehf_adapter
from webshop.orders.delivery import deliver
from webshop.orders.models import Order, OrderDocument, OrderLine
from webshop.orders.rules import OrderStatus, check_transition, line_total, vat_total
from webshop.orgs.models import Role, Unit, User
from webshop.permissions import Refusal, approval_refused


class OrderError(Exception):
    """An order action that cannot be done; the message is shown to the user."""


class AlreadyDecided(OrderError):
    """Someone else decided on the order first."""


REFUSAL_MESSAGES = {
    Refusal.OTHER_ORGANISATION: _l("Ordren tilhører en annen organisasjon."),
    Refusal.NOT_APPROVER_FOR_UNIT: _l("Du er ikke godkjenner for enheten ordren gjelder."),
    Refusal.OWN_ORDER: _l("Du kan ikke godkjenne din egen ordre. En annen godkjenner må gjøre det."),
    Refusal.NOT_PENDING: _l("Ordren venter ikke på godkjenning."),
}


def submit_cart(user: User, *, unit_id: int, note: str = "", buyer_reference: str = "") -> list[Order]:
    """Turn the user's cart into one order per supplier, each waiting for approval.

    Prices are snapshotted from the live catalogue now; nothing the browser sent
    about prices is used for catalogue lines.
    """
    if unit_id not in user.unit_ids(Role.ORDERER):
        raise CartError(_("Du kan ikke bestille til denne enheten."))
    unit = db.session.get(Unit, unit_id)
    assert unit is not None
    lines = cart_lines(user)
    if not lines:
        raise CartError(_("Handlekurven er tom. Legg til varer før du sender bestillingen."))
    gone = [line for line in lines if not line.is_free_text and orderable_item(user.organisation_id, line.item_id) is None]
    if gone:
        names = ", ".join(line.item.name for line in gone if line.item)
        raise CartError(_("Disse varene kan ikke lenger bestilles: %(names)s. Fjern dem fra handlekurven.", names=names))
    by_supplier: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        by_supplier[line.supplier_id].append(line)
    orders = [_create_order(user, unit, supplier_lines, note, buyer_reference) for supplier_lines in by_supplier.values()]
    for line in lines:
        db.session.delete(line)
    db.session.flush()
    return orders


def _agreement_for(user: User, supplier_id: int, lines: list[CartLine]) -> int | None:
    for line in lines:
        if line.item is not None:
            return line.item.catalogue.agreement_id
    day = today_in_norway()
    return db.session.scalar(
        select(Agreement.id)
        .join(agreement_members, agreement_members.c.agreement_id == Agreement.id)
        .where(
            Agreement.supplier_id == supplier_id,
            agreement_members.c.organisation_id == user.organisation_id,
            Agreement.valid_from <= day,
            Agreement.valid_to >= day,
        )
        .limit(1)
    )


def _order_line(line_no: int, line: CartLine) -> OrderLine:
    if line.item is None:
        price = line.estimated_price or Decimal(0)
        return OrderLine(
            line_no=line_no, is_free_text=True, name=line.description or "", unit_code=line.unit_code or "EA",
            quantity=line.quantity, unit_price=price, vat_rate=Decimal(25),
            line_total=line_total(line.quantity, price),
        )
    item = line.item
    return OrderLine(
        line_no=line_no, item_id=item.id, is_free_text=False, supplier_item_id=item.supplier_item_id,
        manufacturer_item_id=item.manufacturer_item_id, gtin=item.gtin, unspsc=item.unspsc, name=item.name,
        unit_code=item.unit_code, quantity=line.quantity, unit_price=item.price, list_price=item.list_price,
        vat_rate=item.vat_rate, line_total=line_total(line.quantity, item.price),
    )


def _create_order(user: User, unit: Unit, lines: list[CartLine], note: str, buyer_reference: str) -> Order:
    supplier_id = lines[0].supplier_id
    order_lines = [_order_line(n, line) for n, line in enumerate(lines, start=1)]
    order = Order(
        organisation_id=user.organisation_id,
        unit_id=unit.id,
        supplier_id=supplier_id,
        agreement_id=_agreement_for(user, supplier_id, lines),
        orderer_id=user.id,
        status=OrderStatus.PENDING_APPROVAL,
        note=note.strip() or None,
        buyer_reference=buyer_reference.strip() or unit.cost_centre,
        total=sum((ol.line_total for ol in order_lines), Decimal("0.00")),
        vat_total=vat_total((ol.line_total, ol.vat_rate) for ol in order_lines),
        lines=order_lines,
    )
    db.session.add(order)
    db.session.flush()
    audit.record("submitted", by=user, organisation_id=order.organisation_id, order=order,
                 to_status=OrderStatus.PENDING_APPROVAL)
    return order


def _change_status(order: Order, new: OrderStatus, *, by: User | None, action: str, comment: str | None = None) -> None:
    """Move ``order`` to ``new`` if nobody else moved it first (compare-and-set in the database)."""
    current = order.status
    check_transition(current, new)
    result = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == current).values(status=new),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise AlreadyDecided(_("Ordren er allerede behandlet av noen andre. Last siden på nytt for å se status."))
    set_committed_value(order, "status", new)
    audit.record(action, by=by, organisation_id=order.organisation_id, order=order,
                 from_status=current, to_status=new, comment=comment)


def _decide(order: Order, *, by: User, decision: Decision, comment: str) -> None:
    refusal = approval_refused(by, order)
    if refusal is Refusal.NOT_PENDING:
        raise AlreadyDecided(str(REFUSAL_MESSAGES[refusal]))
    if refusal is not None:
        raise OrderError(str(REFUSAL_MESSAGES[refusal]))
    new = OrderStatus.APPROVED if decision is Decision.APPROVED else OrderStatus.REJECTED
    _change_status(order, new, by=by, action=decision.value, comment=comment)
    try:
        with db.session.begin_nested():
            db.session.add(ApprovalDecision(order_id=order.id, step=1, approver_id=by.id, decision=decision,
                                            comment=comment or None))
    except IntegrityError:
        raise AlreadyDecided(_("Ordren er allerede behandlet av noen andre.")) from None


def approve_order(order: Order, *, by: User, comment: str = "") -> OrderDocument:
    """Approve, then build and check the EHF order in the same transaction (the outbox row)."""
    _decide(order, by=by, decision=Decision.APPROVED, comment=comment)
    xml = ehf_adapter.build_checked(order)
    document = OrderDocument(
        order_id=order.id, kind="order", message_id=str(uuid.uuid4()),
        filename=f"{order.number}.xml", xml=xml,
    )
    db.session.add(document)
    audit.record("ehf_built", by=None, organisation_id=order.organisation_id, order=order,
                 comment=document.message_id)
    db.session.flush()
    return document


def reject_order(order: Order, *, by: User, comment: str) -> None:
    if not comment.strip():
        raise OrderError(_("Skriv en begrunnelse, så bestilleren vet hva som må endres."))
    _decide(order, by=by, decision=Decision.REJECTED, comment=comment.strip())
    db.session.flush()


def deliver_order(order: Order, document: OrderDocument) -> bool:
    """Hand the EHF message to the transport; on success the order is sent."""
    try:
        ref = deliver(document, current_app.config["OUTBOX_DIR"])
    except OSError as exc:
        document.delivery_error = str(exc)
        audit.record("delivery_failed", by=None, organisation_id=order.organisation_id, order=order, comment=str(exc))
        db.session.flush()
        return False
    document.delivered_at = utcnow()
    document.delivery_ref = ref
    document.delivery_error = None
    _change_status(order, OrderStatus.SENT, by=None, action="sent", comment=ref)
    db.session.flush()
    return True
