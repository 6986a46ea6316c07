"""The buyer's side of a delivery: goods receipt, and cancelling or re-ordering what is missing.
Each moves the order's status through the lifecycle (trigger: goods receipt). Service
functions flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from webshop import audit
from webshop.cart.models import CartLine
from webshop.cart.services import CartError, add_item
from webshop.catalogue import packs
from webshop.catalogue.models import CatalogueItem
from webshop.catalogue.services import orderable_item
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orders.models import Order, OrderLine
from webshop.orders.rules import Trigger
from webshop.orders.services import create_order_from_lines
from webshop.orgs.models import User
from webshop.supplier import rules
from webshop.supplier.errors import SupplierError
from webshop.supplier.followup import facts, statuses, sync_order_status
from webshop.supplier.line_views import item_content, line_content, line_views, substitute_for
from webshop.supplier.models import OrderLineStatus
from webshop.supplier.rules import LineState


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
    sync_order_status(order, by=by, trigger=Trigger.GOODS_RECEIPT)


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
    """Give up on what is missing on a line: the order can be complete without it."""
    line, row = _status_row(order, line_id)
    if rules.missing_quantity(facts(line, row)) <= 0:
        raise SupplierError(_("Det mangler ingenting på denne linjen."))
    row.cancelled_at = utcnow()
    audit.record("line_cancelled", by=by, organisation_id=order.organisation_id, order=order,
                 comment=f"{line.line_no}: {line.name}")
    db.session.flush()
    sync_order_status(order, by=by, trigger=Trigger.GOODS_RECEIPT)


def reorder_line(order: Order, line_id: int, *, by: User, substitute: bool) -> Order:
    """Order the missing quantity again (same item or the substitute) as a new order; it goes
    through the approval policy like any new order (orders.services.create_order_from_lines),
    at today's catalogue price (orders.money, as every cart line)."""
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
            "Erstatter linje %(no)s i ordre %(number)s", no=line.line_no, number=order.number),
            buyer_reference=order.buyer_reference or "")  # the cost centre goes with it (issue 15)
    except CartError as exc:
        raise SupplierError(str(exc)) from None
    finally:
        if cart_line in db.session:
            db.session.expunge(cart_line)
    row.reordered_as_id = new.id
    audit.record("line_reordered", by=by, organisation_id=order.organisation_id, order=order,
                 comment=f"{line.line_no}: {item.name} → {new.number}")
    db.session.flush()
    sync_order_status(order, by=by, trigger=Trigger.GOODS_RECEIPT)
    return new


@dataclass(frozen=True)
class SubstituteOffer:
    """A substitute for a missing line and the quantity that holds the same amount (None: ask)."""

    line: OrderLine
    missing: Decimal
    item: CatalogueItem
    quantity: Decimal | None
    old: packs.Content | None
    new: packs.Content | None


def substitute_offer(order: Order, line_id: int) -> SubstituteOffer:
    """What «Bestill erstatning» would put in the cart for this line (raises SupplierError if nothing)."""
    line, row = _status_row(order, line_id)
    missing = rules.missing_quantity(facts(line, row))
    if missing <= 0:
        raise SupplierError(_("Det mangler ingenting på denne linjen."))
    item = substitute_for(order, line)
    if item is None:
        raise SupplierError(_("Fant ingen vare å bestille på nytt. Søk i katalogen etter en annen vare."))
    old, new = line_content(line), item_content(item)
    quantity = packs.convert_quantity(missing, old, new)
    if old is None and new is None and line.unit_code == item.unit_code:
        quantity = missing  # single items in the same unit (a blue pen for a black one): one for one
    return SubstituteOffer(line, missing, item, quantity, old, new)


def substitute_to_cart(order: Order, line_id: int, *, by: User, quantity: Decimal) -> SubstituteOffer:
    """Put the substitute for a missing line in the orderer's cart (for a last look before it is sent),
    in ``quantity`` (converted by pack size, or what the orderer chose); the line counts as replaced."""
    offer = substitute_offer(order, line_id)
    add_item(by, offer.item.id, quantity)
    _line, row = _status_row(order, line_id)
    row.replaced_in_cart_at = utcnow()
    audit.record("line_reordered", by=by, organisation_id=order.organisation_id, order=order,
                 comment=f"{offer.line.line_no}: {offer.item.name} × {quantity.normalize():f} → handlekurv")
    db.session.flush()
    sync_order_status(order, by=by, trigger=Trigger.GOODS_RECEIPT)
    return offer
