"""Before submit, per supplier in the cart: a warning under its minimum order value, and its delivery days."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webshop.cart.models import CartLine
from webshop.cart.services import cart_line_total
from webshop.catalogue.models import Supplier
from webshop.supplier import rules

DAY_NAMES = {"Mon": _l("man"), "Tue": _l("tir"), "Wed": _l("ons"), "Thu": _l("tor"), "Fri": _l("fre"),
             "Sat": _l("lør"), "Sun": _l("søn")}


def cart_supplier_notes(lines: list[CartLine]) -> list[tuple[str, str]]:
    """(flash category, text) per supplier in the cart: minimum order value shortfall, delivery days."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    suppliers: dict[int, Supplier] = {}
    for line in lines:
        totals[line.supplier_id] += cart_line_total(line)
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


def delivery_days(supplier: Supplier) -> str | None:
    """The supplier's delivery days in words («man, ons»), or None when it delivers any day."""
    if not supplier.delivery_days:
        return None
    return ", ".join(str(DAY_NAMES.get(d.strip(), d.strip())) for d in supplier.delivery_days.split(","))
