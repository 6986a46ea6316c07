"""Value types several post-award documents share, beside the parties: a measure with its
unit, an item property with its optional identifier, quantity and qualifier, and a hazardous
item. Their readers and writers live here too, so that Order, Order Response, Despatch
Advice and Catalogue write them the same way and in UBL order.

:class:`ItemProperty` unpacks as ``(name, value)``: code written when a property was a
plain pair (``for name, value in line.properties``) keeps working, and a plain pair given to
a model is turned into an ``ItemProperty`` by :func:`properties`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from ehf.errors import EhfError
from ehf.namespaces import CAC, CBC

_NS = {"cbc": CBC, "cac": CAC}


@dataclass(frozen=True, slots=True)
class Measure:
    """A number with its UN/ECE rec 20 unit, e.g. a weight (``Measure(Decimal("12"), "KGM")``)."""

    value: Decimal
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class ItemProperty:
    """An AdditionalItemProperty: name and value, and what the data models allow beside."""

    name: str
    value: str | None = None
    id: str | None = None  # cbc:ID, e.g. a property of a product data dictionary
    id_scheme: str | None = None
    id_scheme_uri: str | None = None  # schemeDataURI
    id_scheme_version: str | None = None  # schemeVersionID
    name_code: str | None = None  # cbc:NameCode
    name_code_list: str | None = None  # its listID
    quantity: Measure | None = None  # cbc:ValueQuantity
    qualifier: str | None = None  # cbc:ValueQualifier

    def __iter__(self) -> Iterator[str]:
        """``name, value = prop`` (value "" when absent), as when properties were pairs."""
        return iter((self.name, self.value or ""))


@dataclass(frozen=True, slots=True)
class Dimension:
    """A measured dimension (MeasurementDimension, Item/Dimension), e.g. ``AAB`` gross weight."""

    attribute_id: str
    measure: Measure | None = None


@dataclass(frozen=True, slots=True)
class ItemInstance:
    """One traced instance of a delivered item (Item/ItemInstance): serial and lot numbers."""

    serial_id: str | None = None
    lot_number: str | None = None  # LotIdentification/LotNumberID
    lot_expiry: date | None = None  # LotIdentification/ExpiryDate
    trace_id: str | None = None  # ProductTraceID, e.g. a UDI
    trace_scheme: str | None = None
    manufacture_date: date | None = None
    best_before: date | None = None


@dataclass(frozen=True, slots=True)
class HazardousItem:
    undg_code: str | None = None  # UN dangerous goods number
    hazard_class: str | None = None  # HazardClassID


def properties(values: Iterable[ItemProperty | tuple[str, str]]) -> tuple[ItemProperty, ...]:
    """``values`` as ``ItemProperty`` objects (plain ``(name, value)`` pairs converted)."""
    return tuple(v if isinstance(v, ItemProperty) else ItemProperty(v[0], v[1]) for v in values)


# ------------------------------------------------------------------------ write


def _sub(parent: etree._Element, tag: str, value: object = None, **attrs: str | None) -> etree._Element | None:
    """Append ``prefix:Local`` with ``value`` (skipped when None/blank) and its non-empty attributes."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    prefix, local = tag.split(":")
    el = etree.SubElement(parent, f"{{{_NS[prefix]}}}{local}")
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    try:
        el.text = text
    except ValueError as exc:  # characters XML cannot carry
        raise EhfError(f"{tag}: {exc}") from None
    for name, val in attrs.items():
        if val:
            el.set(name, val)
    return el


def add_measure(parent: etree._Element, tag: str, measure: Measure | None) -> None:
    if measure is not None:
        _sub(parent, tag, measure.value, unitCode=measure.unit)


def add_property(parent: etree._Element, prop: ItemProperty) -> None:
    el = etree.SubElement(parent, f"{{{CAC}}}AdditionalItemProperty")
    _sub(el, "cbc:ID", prop.id, schemeID=prop.id_scheme, schemeDataURI=prop.id_scheme_uri,
         schemeVersionID=prop.id_scheme_version)
    _sub(el, "cbc:Name", prop.name)
    _sub(el, "cbc:NameCode", prop.name_code, listID=prop.name_code_list)
    _sub(el, "cbc:Value", prop.value)
    add_measure(el, "cbc:ValueQuantity", prop.quantity)
    _sub(el, "cbc:ValueQualifier", prop.qualifier)


def add_instance(parent: etree._Element, i: ItemInstance) -> None:
    el = etree.SubElement(parent, f"{{{CAC}}}ItemInstance")
    _sub(el, "cbc:ProductTraceID", i.trace_id, schemeID=i.trace_scheme)
    _sub(el, "cbc:ManufactureDate", i.manufacture_date)
    _sub(el, "cbc:BestBeforeDate", i.best_before)
    _sub(el, "cbc:SerialID", i.serial_id)
    if i.lot_number or i.lot_expiry:
        lot = etree.SubElement(el, f"{{{CAC}}}LotIdentification")
        _sub(lot, "cbc:LotNumberID", i.lot_number)
        _sub(lot, "cbc:ExpiryDate", i.lot_expiry)
    if not len(el):
        parent.remove(el)


def add_dimension(parent: etree._Element, tag: str, d: Dimension) -> None:
    el = etree.SubElement(parent, f"{{{CAC}}}{tag.split(':')[1]}")
    _sub(el, "cbc:AttributeID", d.attribute_id)
    add_measure(el, "cbc:Measure", d.measure)


def add_hazardous(parent: etree._Element, item: HazardousItem) -> None:
    el = etree.SubElement(parent, f"{{{CAC}}}HazardousItem")
    _sub(el, "cbc:UNDGCode", item.undg_code)
    _sub(el, "cbc:HazardClassID", item.hazard_class)


# ------------------------------------------------------------------------- read


def _text(el: etree._Element, path: str) -> str | None:
    found = el.find(path, _NS)
    if found is None or found.text is None or not found.text.strip():
        return None
    return str(found.text)


def _attr(el: etree._Element, path: str, name: str) -> str | None:
    found = el.find(path, _NS)
    return (found.get(name) or None) if found is not None else None


def read_measure(el: etree._Element | None, path: str) -> Measure | None:
    if el is None:
        return None
    value = _text(el, path)
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise EhfError(f"{path}: {value!r} is not a number.") from None
    if not number.is_finite():
        raise EhfError(f"{path}: {value!r} is not a finite number.")
    return Measure(number, _attr(el, path, "unitCode"))


def _date(el: etree._Element, path: str) -> date | None:
    value = _text(el, path)
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise EhfError(f"{path}: {value!r} is not a YYYY-MM-DD date.") from None


def read_instance(el: etree._Element) -> ItemInstance:
    return ItemInstance(
        serial_id=_text(el, "cbc:SerialID"),
        lot_number=_text(el, "cac:LotIdentification/cbc:LotNumberID"),
        lot_expiry=_date(el, "cac:LotIdentification/cbc:ExpiryDate"),
        trace_id=_text(el, "cbc:ProductTraceID"),
        trace_scheme=_attr(el, "cbc:ProductTraceID", "schemeID"),
        manufacture_date=_date(el, "cbc:ManufactureDate"),
        best_before=_date(el, "cbc:BestBeforeDate"),
    )


def read_dimensions(el: etree._Element | None, tag: str) -> tuple[Dimension, ...]:
    if el is None:
        return ()
    return tuple(Dimension(_text(d, "cbc:AttributeID") or "", read_measure(d, "cbc:Measure"))
                 for d in el.iterfind(tag, _NS))


def read_property(el: etree._Element) -> ItemProperty:
    # one pass over the children: the catalogue reader calls this for every property of every line
    found: dict[str, etree._Element] = {}
    for child in el:
        found.setdefault(child.tag, child)

    def value(local: str) -> str | None:
        child = found.get(f"{{{CBC}}}{local}")
        return child.text if child is not None and child.text and child.text.strip() else None

    def attribute(local: str, name: str) -> str | None:
        child = found.get(f"{{{CBC}}}{local}")
        return (child.get(name) or None) if child is not None else None

    return ItemProperty(
        name=value("Name") or "",
        value=value("Value"),
        id=value("ID"),
        id_scheme=attribute("ID", "schemeID"),
        id_scheme_uri=attribute("ID", "schemeDataURI"),
        id_scheme_version=attribute("ID", "schemeVersionID"),
        name_code=value("NameCode"),
        name_code_list=attribute("NameCode", "listID"),
        quantity=read_measure(el, "cbc:ValueQuantity") if f"{{{CBC}}}ValueQuantity" in found else None,
        qualifier=value("ValueQualifier"),
    )


def read_properties(item: etree._Element | None) -> tuple[ItemProperty, ...]:
    if item is None:
        return ()
    return tuple(read_property(p) for p in item.iterfind("cac:AdditionalItemProperty", _NS))


def read_hazardous(item: etree._Element | None) -> tuple[HazardousItem, ...]:
    if item is None:
        return ()
    return tuple(HazardousItem(_text(h, "cbc:UNDGCode"), _text(h, "cbc:HazardClassID"))
                 for h in item.iterfind("cac:HazardousItem", _NS))
