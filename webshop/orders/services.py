"""Order use cases: submit a cart, and the one guarded way to change an order's status.

Service functions flush; the caller (a view or the CLI) commits. Only these
functions change ``order.status``, and every change is checked against the
transition table and written to the audit log.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm.attributes import set_committed_value

from webshop import audit
from webshop.cart.models import CartLine
from webshop.cart.services import CartError, cart_lines
from webshop.catalogue.models import Agreement, CatalogueItem, agreement_members
from webshop.catalogue.personal import refusal_to_order
from webshop.catalogue.services import live_catalogues_for, orderable_filter, today_in_norway
from webshop.extensions import db
from webshop.orders.models import Order, OrderLine
from webshop.orders.rules import OrderStatus, check_transition, line_total, vat_total
from webshop.orgs.models import Role, Unit, User


class OrderError(Exception):
    """An order action that cannot be done; the message is shown to the user."""


class AlreadyDecided(OrderError):
    """Someone else decided on the order first."""


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
    still_orderable = _orderable_ids(user.organisation_id, [line.item_id for line in lines if line.item_id])
    gone = [line for line in lines if line.item is not None and line.item.id not in still_orderable]
    if gone:  # hidden, discontinued or sold out since it was added: say why, and what to order instead
        reasons = [refusal_to_order(user.organisation_id, line.item.id) for line in gone if line.item]
        raise CartError(" ".join(r for r in reasons if r)
                        + " " + _("Fjern dem fra handlekurven, eller bytt til et forslag."))
    # Take the cart first: if the same cart is submitted twice at once (two tabs), the
    # second submit finds its lines gone and stops here with a message, not a second order.
    taken = db.session.execute(
        delete(CartLine).where(CartLine.id.in_([line.id for line in lines])),
        execution_options={"synchronize_session": False},
    )
    if taken.rowcount != len(lines):
        raise CartError(_("Handlekurven er allerede sendt. Se ordrene dine."))
    by_supplier: dict[int, list[CartLine]] = defaultdict(list)
    for line in lines:
        by_supplier[line.supplier_id].append(line)
    orders = [create_order_from_lines(user, unit, group, note=note, buyer_reference=buyer_reference, checked=True)
              for group in by_supplier.values()]
    for line in lines:
        db.session.expunge(line)
    db.session.flush()
    return orders


def create_order_from_lines(user: User, unit: Unit, lines: list[CartLine], *, note: str = "",
                            buyer_reference: str = "", checked: bool = False) -> Order:
    """Make one order to one supplier from cart-like lines (they need not be in anyone's cart,
    e.g. a re-order of missing lines) and hand it to the approval policy, as every new order is.

    Prices are snapshotted from the catalogue now. Unless ``checked`` (submit_cart checked the
    whole cart already), the user must be an orderer for the unit and every item orderable.
    """
    if not checked:
        if unit.id not in user.unit_ids(Role.ORDERER):
            raise CartError(_("Du kan ikke bestille til denne enheten."))
        items = [line.item for line in lines if line.item is not None]
        if len(_orderable_ids(user.organisation_id, [item.id for item in items])) < len({i.id for i in items}):
            raise CartError(_("En av varene kan ikke lenger bestilles."))
    if not lines or len({line.supplier_id for line in lines}) != 1:
        raise CartError(_("En ordre må ha minst én linje, og alle til samme leverandør."))
    order = _create_order(user, unit, lines, note, buyer_reference)
    from webshop.approvals.services import order_submitted  # approvals depend on orders, not the reverse

    order_submitted(order, by=user)
    return order


def _orderable_ids(organisation_id: int, item_ids: list[int]) -> set[int]:
    """Which of ``item_ids`` the organisation may order now, in one query."""
    if not item_ids:
        return set()
    return set(db.session.scalars(
        select(CatalogueItem.id).where(CatalogueItem.id.in_(item_ids), orderable_filter(organisation_id))
    ))


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


def change_status(order: Order, new: OrderStatus, *, by: User | None, action: str, comment: str | None = None) -> None:
    """Move ``order`` to ``new`` if nobody else moved it first (compare-and-set in the database).

    This is the only place an order's status changes: checked against the
    transition table, guarded against a concurrent change, written to the audit log.
    """
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
