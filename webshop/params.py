"""Numbers from outside (query strings, forms, URL paths, catalogue files), parsed with bounds.

Python's int and Decimal take any size: ``Decimal("1e999990")`` is one short string but a
million digits once formatted for the database, and an id of twenty digits overflows every
integer column. Everything a request or a file says is a number goes through here, so a
bad one becomes a clear 400 (or a row error) before it reaches a query.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask import abort, has_request_context, request
from flask_babel import format_decimal, get_locale
from werkzeug.routing import IntegerConverter, Map
from wtforms import DecimalField
from wtforms.widgets import TextInput

MAX_DB_INT = 2**31 - 1  # the largest value of a 32-bit INTEGER column (PostgreSQL)
MAX_PAGE = 10_000
MAX_PRICE = 100_000_000  # kr: no price filter or catalogue price is larger
MAX_TEXT = 40  # characters: longer "numbers" are refused before they are parsed
_INT = re.compile(r"[+-]?\d{1,19}")


class BadNumber(ValueError):
    """Not a number, or not one within the allowed range."""


def check_decimal(value: Decimal, *, low: Decimal | int, high: Decimal | int, places: int | None = None) -> Decimal:
    """``value`` if it is finite, within [low, high] and has at most ``places`` decimals."""
    if not value.is_finite():
        raise BadNumber("not a finite number")
    if value < low or value > high:
        raise BadNumber(f"must be between {low} and {high}")
    if places is not None and value != value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN"):
        raise BadNumber(f"at most {places} decimals")
    return value


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def normalise_decimal(text: str, locale: str = "nb") -> str:
    """A number as a person types it, as Python reads it: «149,50», «1 234,50», «1.234,50» and
    «2.5» are all fine in Norwegian; in English «1,234.50» and «2,500» (a thousands separator)
    too. Spaces (also non-breaking) group thousands; when both «,» and «.» occur the last one
    is the decimal separator."""
    text = _SPACES.sub("", text)
    comma, point = text.rfind(","), text.rfind(".")
    if comma >= 0 and point >= 0:
        decimal_mark = "," if comma > point else "."
        grouping = "." if decimal_mark == "," else ","
        text = text.replace(grouping, "").replace(decimal_mark, ".")
    elif comma >= 0:
        groups = text.split(",")
        if locale == "en" and len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    return text


def parse_decimal(text: str, locale: str = "nb") -> Decimal:
    """``normalise_decimal`` then Decimal; BadNumber if it is not a plain decimal number."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise BadNumber("too long")
    plain = normalise_decimal(text, locale)
    if not _DECIMAL.fullmatch(plain):
        raise BadNumber("not a number")
    try:
        return Decimal(plain)
    except InvalidOperation:
        raise BadNumber("not a number") from None


def to_decimal(text: str, *, low: Decimal | int, high: Decimal | int, places: int | None = None) -> Decimal:
    """``text`` as a bounded Decimal; spaces between thousands and a decimal comma are fine («1 234,5»)."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise BadNumber("too long")
    try:
        value = Decimal(normalise_decimal(text, _locale()))
    except InvalidOperation:
        raise BadNumber("not a number") from None
    return check_decimal(value, low=low, high=high, places=places)


def to_int(text: str, *, low: int = 1, high: int = MAX_DB_INT) -> int:
    text = text.strip()
    if not _INT.fullmatch(text):
        raise BadNumber("not a whole number")
    value = int(text)
    if not low <= value <= high:
        raise BadNumber(f"must be between {low} and {high}")
    return value


def is_id(text: object) -> bool:
    """Whether ``text`` is a row id (1 to MAX_DB_INT), e.g. a hidden ``item_id`` field."""
    try:
        to_int(str(text))
    except BadNumber:
        return False
    return True


def int_arg(name: str, default: int, *, low: int = 1, high: int = MAX_DB_INT) -> int:
    """The query-string integer ``name``, or ``default`` when absent; a 400 when out of range."""
    text = request.args.get(name)
    if text is None or text == "":
        return default
    try:
        return to_int(text, low=low, high=high)
    except BadNumber as exc:
        abort(400, description=f"{name}: {exc}")


def page_arg(name: str = "side") -> int:
    return int_arg(name, 1, low=1, high=MAX_PAGE)


def int_list(values: list[str], *, low: int = 1, high: int = MAX_DB_INT) -> list[int]:
    """Form ids (e.g. ``request.form.getlist("order_id")``); a 400 on any bad one."""
    try:
        return [to_int(v, low=low, high=high) for v in values]
    except BadNumber as exc:
        abort(400, description=str(exc))


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, limited to what the database's integer columns hold: a larger id is a 404."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_DB_INT,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class FiniteDecimalField(DecimalField):  # type: ignore[misc]  # WTForms is untyped
    """A decimal field as people type numbers: decimal comma or point, spaces between thousands
    (``parse_decimal``). It refuses NaN, Infinity and exponents as unreadable, and numbers longer
    than MAX_TEXT characters. Shown as a text field with a decimal keyboard, not type="number":
    Chromium drops the comma of «149,50» in a number field under an English locale (14 950 kr)."""

    widget = TextInput()

    def __init__(self, *args: object, **kwargs: object) -> None:
        render_kw = dict(kwargs.pop("render_kw", None) or {})  # type: ignore[call-overload]
        render_kw.setdefault("inputmode", "decimal")
        render_kw.setdefault("autocomplete", "off")
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        raw = str(valuelist[0])
        if not raw.strip():
            self.data = None
            return
        try:
            self.data = parse_decimal(raw, _locale())
        except BadNumber:
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value.")) from None

    def _value(self) -> str:
        if self.raw_data:  # what the user typed, also when it was refused
            return str(self.raw_data[0])
        if isinstance(self.data, Decimal):
            return input_number(self.data)
        return super()._value()  # type: ignore[no-any-return]


def _locale() -> str:
    return str(get_locale() or "nb") if has_request_context() else "nb"


def input_number(value: Decimal) -> str:
    """A number as the value of a text field: the locale's decimal mark, no grouping («2,5»)."""
    if not value.is_finite():
        return ""
    return str(format_decimal(value.normalize(), format="0.##########"))
