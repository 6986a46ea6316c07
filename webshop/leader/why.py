"""The orderer's "why" (issue 13): one calm line on the cart, the confirmation and the order page:
what the order saves against list price, that it goes straight to the supplier at the agreement's
terms, and the unit's progress towards its goal this month."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask_babel import format_currency
from flask_babel import gettext as _
from markupsafe import Markup

from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.leader import services
from webshop.leader.rules import Month
from webshop.orders.models import Order
from webshop.orders.money import cart_line_price, line_savings
from webshop.orgs.models import Unit

ZERO = Decimal("0.00")


def _money(value: Decimal) -> str:
    return str(format_currency(value, "NOK", format="#,##0 ¤", currency_digits=False))


def cart_savings(lines: Sequence[Any]) -> Decimal:
    total = ZERO
    for line in lines:
        item = getattr(line, "item", None)
        if item is not None:
            price = cart_line_price(item.price, line.estimated_price)
            total += line_savings(line.quantity, price, item.list_price)
    return total


def unit_progress(unit: Unit) -> str | None:
    """«Lia skole: 18 % av forbruket gjennom e-handel denne måneden, målet er 25 %.» or, before the
    month's accounting is imported, what the unit has ordered through e-handel this month."""
    month = Month.of_instant(utcnow())
    cell = services.adoption(unit.organisation_id, [unit], month, month).by_unit[unit.id][0]
    target = cell.target.normalize()
    if cell.share_of_total is not None:
        return str(_("%(unit)s: %(share)s %% av forbruket gjennom e-handel denne måneden, målet er %(target)s %%.",
                 unit=unit.name, share=cell.share_of_total, target=target))
    if cell.e_spend > 0:
        return str(_("%(unit)s har bestilt for %(amount)s gjennom e-handel denne måneden (målet er %(target)s %% av "
                 "forbruket).", unit=unit.name, amount=_money(cell.e_spend), target=target))
    return None


def why_line(order: Order | None = None, orders: Sequence[Order] | None = None, lines: Sequence[Any] | None = None,
             unit_id: int | None = None) -> Markup | str:
    """The sentence, or "" when there is nothing to say (no lines, a sandbox's training order)."""
    orders = [order] if order is not None else list(orders or [])
    unit: Unit | None
    if orders:
        saved = sum((line_savings(ln.quantity, ln.unit_price, ln.list_price) for o in orders for ln in o.lines), ZERO)
        unit = orders[0].unit
        agreed = any(o.agreement_id is not None for o in orders)
    elif lines:
        saved = cart_savings(lines)
        unit = db.session.get(Unit, unit_id) if unit_id else None
        agreed = any(getattr(ln, "item", None) is not None for ln in lines)
    else:
        return ""
    parts = []
    if saved > 0:
        parts.append(_("Denne bestillingen sparer %(amount)s mot listepris.", amount=_money(saved)))
    if agreed:
        parts.append(_("Den går rett til leverandøren på avtalens vilkår."))
    if unit is not None and not unit.organisation.is_sandbox:
        progress = unit_progress(unit)
        if progress:
            parts.append(progress)
    return " ".join(parts)
