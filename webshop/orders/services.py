"""Order use cases: submit a cart, make an order from cart-like lines, cancel a pending order.

Service functions flush; the caller (a view or the CLI) commits. None of them sets
``order.status`` itself: ``orders.lifecycle`` does, and its signals let the approval
policy and the other modules react.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import delete, select

from webshop.cart.models import CartLine
from webshop.cart.services import CartError, cart_lines, supplier_groups
from webshop.catalogue.models import Agreement, CatalogueItem, agreement_members
from webshop.catalogue.personal import refusal_to_order
from webshop.catalogue.services import orderable_filter, today_in_norway
from webshop.extensions import db
from webshop.orders import lifecycle
from webshop.orders.errors import AlreadyDecided as AlreadyDecided  # raised by lifecycle; views catch it here
from webshop.orders.errors import OrderError as OrderError
from webshop.orders.models import Order, OrderLine
from webshop.orders.money import cart_line_price, line_total, order_total, vat_total
from webshop.orders.rules import OrderStatus, Trigger
from webshop.orgs.models import Role, Unit, User
from webshop.sql import rows_changed


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
    for group in supplier_groups(user, lines):  # an agreement may refuse orders under the minimum (issue 15)
        if group.blocks and group.shortfall is not None:
            raise CartError(_("%(name)s krever minst %(min)s kr per ordre (eks. mva.). Det mangler %(short)s kr. "
                              "Legg til mer før du sender.", name=group.supplier.name,
                              min=format_decimal(group.minimum, "#,##0.00"),
                              short=format_decimal(group.shortfall, "#,##0.00")))
    # Take the cart first: if the same cart is submitted twice at once (two tabs), the
    # second submit finds its lines gone and stops here with a message, not a second order.
    if rows_changed(delete(CartLine).where(CartLine.id.in_([line.id for line in lines]))) != len(lines):
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
    e.g. a re-order of missing lines) and submit it through the lifecycle, as every new order is:
    the approval policy (a ``signals.submitted`` receiver) routes it, approves it or refuses it.

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
    order = _new_order(user, unit, lines, note, buyer_reference)
    lifecycle.submit(order, by=user)
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
    price = cart_line_price(line.item.price if line.item else None, line.estimated_price)
    if line.item is None:
        return OrderLine(
            line_no=line_no, is_free_text=True, name=line.description or "", unit_code=line.unit_code or "EA",
            quantity=line.quantity, unit_price=price, vat_rate=Decimal(25),
            line_total=line_total(line.quantity, price),
        )
    item = line.item
    return OrderLine(
        line_no=line_no, item_id=item.id, is_free_text=False, supplier_item_id=item.supplier_item_id,
        manufacturer_item_id=item.manufacturer_item_id, gtin=item.gtin, unspsc=item.unspsc, name=item.name,
        unit_code=item.unit_code, quantity=line.quantity, unit_price=price, list_price=item.list_price,
        vat_rate=item.vat_rate, line_total=line_total(line.quantity, price),
    )


def _new_order(user: User, unit: Unit, lines: list[CartLine], note: str, buyer_reference: str) -> Order:
    """The order with its price snapshots, not yet stored (lifecycle.submit stores it)."""
    supplier_id = lines[0].supplier_id
    order_lines = [_order_line(n, line) for n, line in enumerate(lines, start=1)]
    return Order(
        organisation_id=user.organisation_id,
        unit_id=unit.id,
        supplier_id=supplier_id,
        agreement_id=_agreement_for(user, supplier_id, lines),
        orderer_id=user.id,
        note=note.strip() or None,
        buyer_reference=buyer_reference.strip() or unit.cost_centre,
        total=order_total(ol.line_total for ol in order_lines),
        vat_total=vat_total((ol.line_total, ol.vat_rate) for ol in order_lines),
        lines=order_lines,
    )


def can_cancel_order(user: User, order: Order) -> bool:
    """The orderer, or the coordinator of the order's municipality, while nobody has decided yet."""
    if order.status != OrderStatus.PENDING_APPROVAL or user.organisation_id != order.organisation_id:
        return False
    return order.orderer_id == user.id or user.has_role(Role.COORDINATOR)


def cancel_order(order: Order, *, by: User, comment: str = "") -> None:
    """Withdraw an order that still waits for approval; it is closed and never sent."""
    if order.status != OrderStatus.PENDING_APPROVAL:
        raise AlreadyDecided(_("Ordren venter ikke lenger på godkjenning og kan ikke kanselleres."))
    if not can_cancel_order(by, order):
        raise OrderError(_("Du kan ikke kansellere denne ordren."))
    trigger = Trigger.ORDERER if order.orderer_id == by.id else Trigger.COORDINATOR
    lifecycle.change_status(order, OrderStatus.CANCELLED, by=by, trigger=trigger, comment=comment.strip() or None)
    db.session.flush()
