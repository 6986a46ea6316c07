"""Cart use cases. Catalogue lines never carry a price from the browser: the price
is read from the live catalogue when the order is submitted."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webshop.cart.models import CartLine
from webshop.catalogue.curation import note_cart_add
from webshop.catalogue.models import Agreement, Supplier, agreement_members
from webshop.catalogue.services import orderable_item, today_in_norway
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orders import money
from webshop.orders.models import Order
from webshop.orgs.models import Role, User


class CartError(DomainError):
    """A cart change that cannot be made; the message is shown to the user."""


def check_quantity(quantity: Decimal) -> Decimal:
    limit = Decimal(current_app.config["MAX_LINE_QUANTITY"])
    if not quantity.is_finite() or quantity <= 0:
        raise CartError(_("Antallet må være større enn null."))
    if quantity > limit:
        raise CartError(
            _("Antallet kan ikke være over %(limit)s. Kontakt leverandøren for større kvanta.", limit=limit)
        )
    if quantity != quantity.quantize(Decimal("0.001")):
        raise CartError(_("Antallet kan ha høyst tre desimaler."))
    return quantity


def cart_lines(user: User) -> list[CartLine]:
    return list(
        db.session.scalars(
            select(CartLine)
            .where(CartLine.user_id == user.id)
            .options(joinedload(CartLine.item), joinedload(CartLine.supplier))
            .order_by(CartLine.supplier_id, CartLine.id)
        )
    )


def cart_line_price(line: CartLine) -> Decimal:
    """The unit price this line will be ordered at (money.cart_line_price: catalogue price or estimate)."""
    return money.cart_line_price(line.item.price if line.item is not None else None, line.estimated_price)


def cart_line_total(line: CartLine) -> Decimal:
    """What this line will cost, excl. VAT, rounded to øre as on the order."""
    return money.line_total(line.quantity, cart_line_price(line))


@dataclass(frozen=True)
class SupplierGroup:
    """The cart's lines to one supplier: what they cost and whether the minimum order value is met."""

    supplier: Supplier
    lines: list[CartLine]
    total: Decimal
    minimum: Decimal
    shortfall: Decimal | None  # how much is missing to the minimum, None when it is met
    blocks: bool  # under the minimum, the agreement refuses the order (else it only warns)


def minimum_shortfall(total: Decimal, minimum: Decimal) -> Decimal | None:
    """How much is missing to reach a minimum order value, or None if nothing is (0 means none)."""
    if minimum <= 0 or total >= minimum:
        return None
    return (minimum - total).quantize(Decimal("0.01"))


def agreement_of(user: User, supplier_id: int, lines: list[CartLine]) -> Agreement | None:
    """The agreement the lines to ``supplier_id`` will be ordered under (a catalogue line's, else
    the valid agreement of the user's organisation with that supplier)."""
    for line in lines:
        if line.item is not None:
            return line.item.catalogue.agreement
    day = today_in_norway()
    return db.session.scalar(
        select(Agreement).join(agreement_members, agreement_members.c.agreement_id == Agreement.id)
        .where(Agreement.supplier_id == supplier_id, agreement_members.c.organisation_id == user.organisation_id,
               Agreement.valid_from <= day, Agreement.valid_to >= day).order_by(Agreement.id).limit(1))


def supplier_groups(user: User, lines: list[CartLine]) -> list[SupplierGroup]:
    """The cart split the way submit splits it: one group (one order) per supplier, in cart order."""
    by_supplier: dict[int, list[CartLine]] = {}
    for line in lines:
        by_supplier.setdefault(line.supplier_id, []).append(line)
    groups = []
    for supplier_id, group in by_supplier.items():
        total = money.order_total(cart_line_total(line) for line in group)
        supplier = group[0].supplier
        minimum = supplier.min_order_value or Decimal("0")
        agreement = agreement_of(user, supplier_id, group)
        groups.append(SupplierGroup(supplier, group, total, minimum, minimum_shortfall(total, minimum),
                                    bool(agreement is not None and agreement.min_order_blocks)))
    return groups


def last_unit_id(user: User) -> int | None:
    """The unit the user's latest order went to, if the user still orders for it (the cart's default)."""
    allowed = user.unit_ids(Role.ORDERER)
    if not allowed:
        return None
    return db.session.scalar(select(Order.unit_id).where(Order.orderer_id == user.id, Order.unit_id.in_(allowed))
                             .order_by(Order.submitted_at.desc(), Order.id.desc()).limit(1))


def add_item(user: User, item_id: int, quantity: Decimal) -> CartLine:
    """Put a catalogue item in the cart, adding to the quantity if it is already there."""
    check_quantity(quantity)
    item = orderable_item(user.organisation_id, item_id)
    if item is None:
        raise CartError(_("Varen finnes ikke i katalogene dine, eller den er utgått."))
    line = db.session.scalar(select(CartLine).where(CartLine.user_id == user.id, CartLine.item_id == item.id))
    if line is None:
        line = CartLine(
            user_id=user.id, item_id=item.id, supplier_id=item.catalogue.agreement.supplier_id, quantity=quantity
        )
        db.session.add(line)
    else:
        line.quantity = check_quantity(line.quantity + quantity)
    note_cart_add(user, item.catalogue.agreement_id)  # the searches just before were not abandoned
    db.session.flush()
    return line


def suppliers_for(user: User) -> list[Supplier]:
    """Suppliers with a valid agreement the user's organisation is a member of."""
    day = today_in_norway()
    return list(
        db.session.scalars(
            select(Supplier)
            .join(Agreement, Agreement.supplier_id == Supplier.id)
            .join(agreement_members, agreement_members.c.agreement_id == Agreement.id)
            .where(
                agreement_members.c.organisation_id == user.organisation_id,
                Agreement.valid_from <= day,
                Agreement.valid_to >= day,
            )
            .distinct()
            .order_by(Supplier.name)
        )
    )


def add_free_text(
    user: User, *, supplier_id: int, description: str, quantity: Decimal, unit_code: str, estimated_price: Decimal
) -> CartLine:
    """A line for something the catalogue lacks. It always needs an approver's eye."""
    check_quantity(quantity)
    if supplier_id not in {s.id for s in suppliers_for(user)}:
        raise CartError(_("Velg en leverandør dere har avtale med."))
    if estimated_price < 0:
        raise CartError(_("Prisen kan ikke være negativ."))
    line = CartLine(
        user_id=user.id,
        supplier_id=supplier_id,
        description=description.strip(),
        quantity=quantity,
        unit_code=unit_code,
        estimated_price=estimated_price,
    )
    db.session.add(line)
    db.session.flush()
    return line


def _own_line(user: User, line_id: int) -> CartLine:
    line = db.session.get(CartLine, line_id)
    if line is None or line.user_id != user.id:
        raise CartError(_("Linjen finnes ikke i handlekurven din."))
    return line


def update_quantity(user: User, line_id: int, quantity: Decimal) -> CartLine:
    line = _own_line(user, line_id)
    line.quantity = check_quantity(quantity)
    db.session.flush()
    return line


def remove_line(user: User, line_id: int) -> None:
    db.session.delete(_own_line(user, line_id))
    db.session.flush()


def restore_returned_lines(order: Order, **_signal: object) -> None:
    """``signals.returned`` receiver: an order sent back for changes puts its lines back into the
    orderer's cart (catalogue lines merge with the same item already there)."""
    for line in order.lines:
        if line.is_free_text or line.item_id is None:
            db.session.add(CartLine(user_id=order.orderer_id, supplier_id=order.supplier_id, description=line.name,
                                    unit_code=line.unit_code, estimated_price=line.unit_price,
                                    quantity=line.quantity))
        else:
            existing = db.session.scalar(select(CartLine).where(CartLine.user_id == order.orderer_id,
                                                                CartLine.item_id == line.item_id))
            if existing is not None:
                existing.quantity += line.quantity
            else:
                db.session.add(CartLine(user_id=order.orderer_id, supplier_id=order.supplier_id,
                                        item_id=line.item_id, quantity=line.quantity))
    db.session.flush()
