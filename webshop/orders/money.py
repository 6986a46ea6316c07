"""The money rules, one function each (pure: no Flask, no SQLAlchemy).

Cart, approvals preview, order creation, re-order, supplier notes, the EHF mapping and
the templates all call these; nobody multiplies a price by a quantity anywhere else.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal("0.00")


def cart_line_price(catalogue_price: Decimal | None, estimated_price: Decimal | None) -> Decimal:
    """The unit price a cart line will be ordered at: the live catalogue price for a catalogue
    line (``catalogue_price`` is not None), otherwise the orderer's estimate (0 when none)."""
    if catalogue_price is not None:
        return catalogue_price
    return estimated_price if estimated_price is not None else Decimal(0)


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Line net amount, rounded half up to øre the way the EHF order states it."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def order_total(line_totals: Iterable[Decimal]) -> Decimal:
    """Order net amount (excl. VAT): the sum of the already rounded line totals."""
    return sum(line_totals, ZERO)


def vat_total(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """VAT over (line_total, vat_rate) pairs, summed per rate and rounded per rate as in the EHF TaxSubtotal."""
    by_rate: dict[Decimal, Decimal] = {}
    for amount, rate in lines:
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + amount
    return sum(
        ((base * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP) for rate, base in by_rate.items()),
        ZERO,
    )


def line_savings(quantity: Decimal, unit_price: Decimal, list_price: Decimal | None) -> Decimal:
    """What the agreement price saves on a line against the list price (0 when it saves nothing)."""
    if list_price is None or list_price <= unit_price:
        return ZERO
    return line_total(quantity, list_price - unit_price)
