"""What is in one unit of an item, and how alike two items are (pure: no Flask, no SQLAlchemy).

A substitute for a missing line must be ordered in the same *amount*, not the same count:
2 × «Oppvaskmiddel 5 l» is 20 × «Oppvaskmiddel 500 ml». ``content`` reads the amount from
the item's name («5 l», «500 ml», «1 kg», «100 stk») or, for counted packs, its pack size;
``convert_quantity`` converts when both are known in the same dimension and the result is
a whole number of units, else returns None so the orderer is asked. ``similarity`` ranks
substitutes by category (UNSPSC), unit and pack, and the words of the name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum


class Dimension(StrEnum):
    VOLUME = "volume"  # litres
    MASS = "mass"  # kilograms
    COUNT = "count"  # pieces
    LENGTH = "length"  # metres


@dataclass(frozen=True, slots=True)
class Content:
    dimension: Dimension
    amount: Decimal  # in the dimension's base unit

    def label(self) -> str:
        return f"{self.amount.normalize():f} {BASE_LABEL[self.dimension]}"


BASE_LABEL = {Dimension.VOLUME: "l", Dimension.MASS: "kg", Dimension.COUNT: "stk", Dimension.LENGTH: "m"}
_UNITS: dict[str, tuple[Dimension, Decimal]] = {
    "ml": (Dimension.VOLUME, Decimal("0.001")), "cl": (Dimension.VOLUME, Decimal("0.01")),
    "dl": (Dimension.VOLUME, Decimal("0.1")), "l": (Dimension.VOLUME, Decimal(1)),
    "liter": (Dimension.VOLUME, Decimal(1)), "g": (Dimension.MASS, Decimal("0.001")),
    "kg": (Dimension.MASS, Decimal(1)), "stk": (Dimension.COUNT, Decimal(1)), "ark": (Dimension.COUNT, Decimal(1)),
    "m": (Dimension.LENGTH, Decimal(1)), "cm": (Dimension.LENGTH, Decimal("0.01")),
    "mm": (Dimension.LENGTH, Decimal("0.001")),
}
_AMOUNT = re.compile(r"(?<![\w,.])(\d+(?:[.,]\d+)?)\s?(ml|cl|dl|liter|l|kg|g|stk|ark|cm|mm|m)(?!\w)", re.IGNORECASE)
_UNIT_DIMENSION = {"LTR": Dimension.VOLUME, "KGM": Dimension.MASS, "GRM": Dimension.MASS, "MTR": Dimension.LENGTH}


def content(name: str, unit_code: str, pack_size: Decimal | None = None) -> Content | None:
    """The amount one ordered unit holds, from the name first, else a counted pack's size."""
    found = _AMOUNT.findall(name)
    if len(found) == 1:  # «2 x 5 l» or two amounts: not sure which one is the unit's, so no guess
        number, unit = found[0]
        dimension, factor = _UNITS[unit.lower()]
        return Content(dimension, Decimal(number.replace(",", ".")) * factor)
    if unit_code in _UNIT_DIMENSION:  # sold by the litre or kilo: one unit is one of them
        return Content(_UNIT_DIMENSION[unit_code], Decimal(1) if unit_code != "GRM" else Decimal("0.001"))
    if pack_size is not None and pack_size > 1:
        return Content(Dimension.COUNT, pack_size)
    return None


def convert_quantity(quantity: Decimal, old: Content | None, new: Content | None) -> Decimal | None:
    """The quantity of the new item that holds the same amount as ``quantity`` of the old one.

    None when the contents are unknown or not comparable. Rounded up to a whole unit when the
    amounts do not divide (never less than what was missing), but only within 10 %; a bigger
    difference is for the orderer to decide."""
    if old is None or new is None or old.dimension != new.dimension or new.amount <= 0:
        return None
    exact = quantity * old.amount / new.amount
    whole = exact.to_integral_value(rounding=ROUND_CEILING)
    if whole <= 0 or (whole - exact) > exact * Decimal("0.10"):
        return None
    return whole


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-zæøå]{3,}", name.lower())}


def similarity(old_name: str, old_unspsc: str | None, old_unit: str, old_content: Content | None,
               new_name: str, new_unspsc: str | None, new_unit: str, new_content: Content | None) -> int:
    """A score, higher is more alike: category, then unit and pack, then shared words of the name."""
    score = 0
    a, b = old_unspsc or "", new_unspsc or ""
    for digits, points in ((8, 8), (6, 4), (4, 2)):
        if a[:digits] and a[:digits] == b[:digits]:
            score += points
            break
    if old_unit == new_unit:
        score += 3
    if old_content is not None and new_content is not None:
        if old_content.dimension == new_content.dimension:
            score += 4
        else:
            score -= 6  # litres of soap are not tablets
    shared = _words(old_name) & _words(new_name)
    score += 5 * len(shared)
    return score
