"""Peppol BIS Catalogue 3 / EHF Catalogue (T19): streaming reader and writer.

Supplier catalogues can hold hundreds of thousands of lines, so the reader never
builds the whole tree: :func:`iter_catalogue` parses the header, then yields one
:class:`CatalogueItem` per ``cac:CatalogueLine`` with :func:`lxml.etree.iterparse`,
clearing each line and dropping earlier siblings, so memory stays bounded by the
largest single line. The declared encoding (e.g. ISO-8859-1) is honoured, DTDs and
entities are refused as everywhere in this library, and there is no size cap.

:func:`write_catalogue` streams the other way with :class:`lxml.etree.xmlfile`;
:func:`build_catalogue` is the in-memory convenience on top of it.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Final

from lxml import etree

from ehf._ubl import (
    NSMAP,
    XML_SPACE,
    add,
    add_address,
    add_id,
    add_period,
    add_tax_category,
    address,
    fill_party,
    identifiers,
    party,
    period,
    prune_empty,
    required_date,
    required_text,
    root_nsmap,
    text,
    to_decimal,
    unless_same,
)
from ehf.components import (
    Dimension,
    HazardousItem,
    ItemInstance,
    ItemProperty,
    Measure,
    add_dimension,
    add_hazardous,
    add_instance,
    add_measure,
    add_property,
    properties,
    read_dimensions,
    read_hazardous,
    read_instance,
    read_measure,
    read_property,
)
from ehf.errors import EhfError
from ehf.model import Address
from ehf.namespaces import CAC, CATALOGUE
from ehf.parties import PartyRef, Period
from ehf.rules import ehf_tables, peppol_tables
from ehf.rules.structure import NodeSpec, restrict_to_data_model
from ehf.xmlsafe import SAFE_PARSER_OPTIONS, refuse_doctype

PEPPOL_CUSTOMIZATION: Final = "urn:fdc:peppol.eu:poacc:trns:catalogue:3"
PEPPOL_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:catalogue_only:3"
PEPPOL_PROFILE_WITHOUT_RESPONSE: Final = "urn:fdc:peppol.eu:poacc:bis:catalogue_wo_response:3"
EHF_CUSTOMIZATION: Final = (
    "urn:fdc:peppol.eu:poacc:trns:catalogue:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
)
EHF_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:01:1.0"

_ROOT_TAG: Final = f"{{{CATALOGUE}}}Catalogue"
_LINE_TAG: Final = f"{{{CAC}}}CatalogueLine"
_TRUE: Final = {"true": True, "false": False}

Source = str | os.PathLike[str] | IO[bytes]


@dataclass(frozen=True)
class Classification:
    code: str
    list_id: str  # e.g. "TST" (UNSPSC), "MP", "STI"
    list_version_id: str | None = None
    name: str | None = None  # the code's name attribute


@dataclass(frozen=True)
class Certificate:
    """An Item/Certificate: an eco label, a safety or quality certificate."""

    id: str
    type_code: str  # CertificateTypeCode
    type: str  # CertificateType
    remarks: str | None = None
    issuer: str | None = None  # IssuerParty/PartyName/Name
    document_ids: tuple[str, ...] = ()  # DocumentReference/ID


class Relation(StrEnum):
    """How a RelatedItem relates to the line's item (one UBL element per kind, in UBL order)."""

    COMPONENT = "ComponentRelatedItem"
    ACCESSORY = "AccessoryRelatedItem"
    REQUIRED = "RequiredRelatedItem"
    REPLACEMENT = "ReplacementRelatedItem"
    COMPLEMENTARY = "ComplementaryRelatedItem"
    REPLACED = "ReplacedRelatedItem"


@dataclass(frozen=True)
class RelatedItem:
    relation: Relation
    id: str  # the related catalogue line's ID
    quantity: Measure | None = None


@dataclass(frozen=True)
class Comparison:
    """ItemComparison: a price per comparison quantity (e.g. per litre)."""

    price: Decimal | None = None
    currency: str | None = None
    quantity: Measure | None = None


@dataclass(frozen=True)
class Attachment:
    """An item specification document (image, data sheet): a reference, not the bytes."""

    id: str
    uri: str | None = None
    document_type_code: str | None = None  # e.g. "PRODUCT_IMAGE"
    description: str | None = None
    embedded: str | None = None  # EmbeddedDocumentBinaryObject (base64 text, kept as is)
    mime_code: str | None = None
    filename: str | None = None
    document_type: str | None = None  # DocumentType (free text), e.g. "Timesheet"


@dataclass(frozen=True)
class CatalogueHeader:
    id: str
    issue_date: date
    provider: PartyRef
    receiver: PartyRef
    validity: Period = field(default_factory=Period)
    name: str | None = None
    action_code: str | None = None  # Add / Replace / Update / Delete
    version_id: str | None = None
    contract_id: str | None = None
    seller: PartyRef | None = None
    customer: PartyRef | None = None
    profile_id: str | None = None  # as read; the writer chooses from its arguments
    source_catalogue_id: str | None = None  # SourceCatalogueReference/ID
    trading_terms: str | None = None  # TradingTerms/Information


@dataclass(frozen=True)
class CatalogueItem:
    line_id: str
    name: str
    seller_item_id: str | None = None
    standard_item_id: str | None = None  # GTIN when the scheme is 0160
    standard_item_scheme: str | None = None
    manufacturer_item_id: str | None = None
    buyers_item_id: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    brand: str | None = None
    classifications: tuple[Classification, ...] = ()
    action_code: str | None = None  # Add / Update / Delete
    orderable: bool | None = None
    orderable_unit: str | None = None  # UN/ECE Rec 20 unit code
    content_quantity: Decimal | None = None
    content_unit_code: str | None = None
    pack_size: Decimal | None = None
    min_order_quantity: Decimal | None = None
    max_order_quantity: Decimal | None = None
    line_validity: Period | None = None
    price: Decimal | None = None
    currency: str | None = None
    price_base_quantity: Decimal | None = None
    price_base_unit_code: str | None = None  # None: the orderable (or content) unit
    price_validity: Period | None = None
    vat_category: str | None = None
    vat_percent: Decimal | None = None
    origin_country: str | None = None
    attachments: tuple[Attachment, ...] = ()
    properties: tuple[ItemProperty, ...] = ()  # AdditionalItemProperty; unpacks as (name, value)
    min_order_unit: str | None = None  # MinimumOrderQuantity's own unit; None: the orderable unit
    max_order_unit: str | None = None
    order_increment: Decimal | None = None  # OrderQuantityIncrementNumeric
    warranty: str | None = None  # WarrantyInformation
    pack_level: str | None = None  # PackLevelCode (GS1 7009)
    comparisons: tuple[Comparison, ...] = ()
    related: tuple[RelatedItem, ...] = ()
    lead_time: Measure | None = None  # RequiredItemLocationQuantity/LeadTimeMeasure
    location_min_quantity: Measure | None = None  # RequiredItemLocationQuantity/MinimumQuantity
    location_max_quantity: Measure | None = None
    territory: Address | None = None  # RequiredItemLocationQuantity/ApplicableTerritoryAddress
    price_type: str | None = None  # Price/PriceType
    orderable_unit_factor: Decimal | None = None  # Price/OrderableUnitFactorRate
    pack_quantity: Measure | None = None  # Item/PackQuantity
    hazardous: tuple[HazardousItem, ...] = ()
    manufacturer: str | None = None  # ManufacturerParty/PartyName/Name
    instances: tuple[ItemInstance, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    dimensions: tuple[Dimension, ...] = ()  # Item/Dimension (length, weight, ...)
    transaction_actions: tuple[str, ...] = ()  # TransactionConditions/ActionCode, e.g. NON_RETURNABLE

    def __post_init__(self) -> None:
        object.__setattr__(self, "properties", properties(self.properties))

    @property
    def discontinued(self) -> bool:
        return self.action_code == "Delete" or self.orderable is False


# ------------------------------------------------------------------------- read


class CatalogueReader:
    """Stream a catalogue: ``header`` is read on construction, ``items()`` yields
    the lines once. Use as a context manager (or call :meth:`close`) to release
    the file when not reading to the end."""

    def __init__(self, source: Source) -> None:
        self._file: IO[bytes] | None = None
        if isinstance(source, str | os.PathLike):
            self._file = open(source, "rb")  # noqa: SIM115 - closed in close()/items()
            stream: IO[bytes] = self._file
        else:
            stream = source
        self._events = etree.iterparse(
            stream,
            events=("start", "end"),
            tag=(_ROOT_TAG, _LINE_TAG),
            remove_comments=True,
            remove_pis=True,
            **SAFE_PARSER_OPTIONS,
        )
        self._root: etree._Element | None = None  # the Catalogue element, pruned as lines are read
        self._started = False
        try:
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> CatalogueReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _next(self) -> tuple[str, etree._Element] | None:
        try:
            event, el = next(self._events)
        except StopIteration:
            return None
        except etree.XMLSyntaxError as exc:
            raise EhfError(f"Not well-formed XML: {exc}") from None
        if not self._started:
            self._started = True
            refuse_doctype(el.getroottree())
        return event, el

    def _read_header(self) -> CatalogueHeader:
        while (step := self._next()) is not None:
            event, el = step
            if el.tag == _LINE_TAG and event == "start":
                parent = el.getparent()
                if parent is None or parent.tag != _ROOT_TAG:
                    continue
                self._root = parent
                return _parse_header(parent)
            if el.tag == _ROOT_TAG and event == "end":
                return _parse_header(el)
        raise EhfError("Expected a UBL Catalogue document (optionally in an SBDH envelope).")

    def items(self) -> Iterator[CatalogueItem]:
        try:
            while (step := self._next()) is not None:
                event, el = step
                if event != "end" or el.tag != _LINE_TAG:
                    continue
                parent = el.getparent()
                if parent is None or parent.tag != _ROOT_TAG:
                    continue
                yield parse_catalogue_line(el)
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del parent[0]
        finally:
            self.close()


def iter_catalogue(source: Source) -> tuple[CatalogueHeader, Iterator[CatalogueItem]]:
    """Open ``source`` (a path or a binary file) and return the catalogue header
    and a lazy iterator over its items (bounded memory)."""
    reader = CatalogueReader(source)
    return reader.header, reader.items()


def _parse_header(root: etree._Element) -> CatalogueHeader:
    provider = party(root.find("cac:ProviderParty", NSMAP))
    receiver = party(root.find("cac:ReceiverParty", NSMAP))
    if provider is None or receiver is None:
        raise EhfError("Missing mandatory element cac:ProviderParty or cac:ReceiverParty.")
    return CatalogueHeader(
        id=required_text(root, "cbc:ID"),
        issue_date=required_date(root, "cbc:IssueDate"),
        provider=provider,
        receiver=receiver,
        validity=period(root.find("cac:ValidityPeriod", NSMAP)) or Period(),
        name=text(root, "cbc:Name"),
        action_code=text(root, "cbc:ActionCode"),
        version_id=text(root, "cbc:VersionID"),
        contract_id=text(root, "cac:ReferencedContract/cbc:ID"),
        seller=party(root.find("cac:SellerSupplierParty/cac:Party", NSMAP)),
        customer=party(root.find("cac:ContractorCustomerParty/cac:Party", NSMAP)),
        profile_id=text(root, "cbc:ProfileID"),
        source_catalogue_id=text(root, "cac:SourceCatalogueReference/cbc:ID"),
        trading_terms=text(root, "cac:TradingTerms/cbc:Information"),
    )


def parse_catalogue_line(line: etree._Element) -> CatalogueItem:
    """Map one ``cac:CatalogueLine`` element to a :class:`CatalogueItem`.

    This is the hot loop of the reader, so it indexes children by tag once per
    level instead of evaluating an ElementPath expression per field."""
    lc = _index(line)
    item = _first(lc, "cac:Item")
    if item is None:
        raise EhfError(f"Catalogue line {_text(lc, 'cbc:ID')!r} has no cac:Item.")
    ic = _index(item)
    price_el = _first(_index(_first(lc, "cac:RequiredItemLocationQuantity")), "cac:Price")
    pc = _index(price_el)
    amount, base = _first(pc, "cbc:PriceAmount"), _first(pc, "cbc:BaseQuantity")
    content = _first(lc, "cbc:ContentUnitQuantity")
    standard = _first(_index(_first(ic, "cac:StandardItemIdentification")), "cbc:ID")
    tax = _index(_first(ic, "cac:ClassifiedTaxCategory"))
    locc = _index(_first(lc, "cac:RequiredItemLocationQuantity"))
    orderable = _text(lc, "cbc:OrderableIndicator")
    quantity_unit = _text(lc, "cbc:OrderableUnit") or (content.get("unitCode") if content is not None else None) or "EA"
    line_id = _text(lc, "cbc:ID")
    name = _text(ic, "cbc:Name")
    if line_id is None or name is None:
        raise EhfError("Missing mandatory element cbc:ID or cac:Item/cbc:Name in a catalogue line.")
    return CatalogueItem(
        line_id=line_id,
        name=name,
        seller_item_id=_nested_id(ic, "cac:SellersItemIdentification"),
        standard_item_id=_el_text(standard),
        standard_item_scheme=standard.get("schemeID") if standard is not None else None,
        manufacturer_item_id=_nested_id(ic, "cac:ManufacturersItemIdentification"),
        buyers_item_id=_nested_id(ic, "cac:BuyersItemIdentification"),
        description=_text(ic, "cbc:Description"),
        keywords=tuple(t for el in ic.get(_T["cbc:Keyword"], ()) if (t := _el_text(el)) is not None),
        brand=_text(ic, "cbc:BrandName"),
        classifications=tuple(
            Classification(el.text or "", el.get("listID") or "", el.get("listVersionID"), el.get("name"))
            for cc in ic.get(_T["cac:CommodityClassification"], ())
            for el in cc
            if el.tag == _T["cbc:ItemClassificationCode"] and _el_text(el) is not None
        ),
        action_code=_text(lc, "cbc:ActionCode"),
        orderable=_TRUE.get(orderable.strip()) if orderable else None,
        orderable_unit=_text(lc, "cbc:OrderableUnit"),
        content_quantity=_number(content),
        content_unit_code=content.get("unitCode") if content is not None else None,
        pack_size=_number(_first(ic, "cbc:PackSizeNumeric")),
        min_order_quantity=_number(_first(lc, "cbc:MinimumOrderQuantity")),
        max_order_quantity=_number(_first(lc, "cbc:MaximumOrderQuantity")),
        line_validity=period(_first(lc, "cac:LineValidityPeriod")),
        price=_number(amount),
        currency=amount.get("currencyID") if amount is not None else None,
        price_base_quantity=_number(base),
        price_base_unit_code=unless_same(
            base.get("unitCode") if base is not None else None,
            quantity_unit,
        ),
        price_validity=period(_first(pc, "cac:ValidityPeriod")),
        vat_category=_text(tax, "cbc:ID"),
        vat_percent=_number(_first(tax, "cbc:Percent")),
        origin_country=_text(_index(_first(ic, "cac:OriginCountry")), "cbc:IdentificationCode"),
        attachments=tuple(_attachment(ref) for ref in ic.get(_T["cac:ItemSpecificationDocumentReference"], ())),
        properties=tuple(read_property(prop) for prop in ic.get(_T["cac:AdditionalItemProperty"], ())),
        min_order_unit=unless_same(_unit(_first(lc, "cbc:MinimumOrderQuantity")), quantity_unit),
        max_order_unit=unless_same(_unit(_first(lc, "cbc:MaximumOrderQuantity")), quantity_unit),
        order_increment=_number(_first(lc, "cbc:OrderQuantityIncrementNumeric")),
        warranty=_text(lc, "cbc:WarrantyInformation"),
        pack_level=_text(lc, "cbc:PackLevelCode"),
        comparisons=tuple(
            Comparison(_number(_first(cc, "cbc:PriceAmount")), _unit(_first(cc, "cbc:PriceAmount"), "currencyID"),
                       _measure(cc, "cbc:Quantity"))
            for c in lc.get(_T["cac:ItemComparison"], ()) if (cc := _index(c)) is not None),
        related=tuple(
            RelatedItem(relation, text(r, "cbc:ID") or "", read_measure(r, "cbc:Quantity"))
            for relation in Relation for r in lc.get(_T[f"cac:{relation.value}"], ())),
        lead_time=_measure(locc, "cbc:LeadTimeMeasure"),
        location_min_quantity=_measure(locc, "cbc:MinimumQuantity"),
        location_max_quantity=_measure(locc, "cbc:MaximumQuantity"),
        territory=address(_first(locc, "cac:ApplicableTerritoryAddress")),
        price_type=_text(pc, "cbc:PriceType"),
        orderable_unit_factor=_number(_first(pc, "cbc:OrderableUnitFactorRate")),
        pack_quantity=_measure(ic, "cbc:PackQuantity"),
        hazardous=read_hazardous(item) if _T["cac:HazardousItem"] in ic else (),
        manufacturer=(text(item, "cac:ManufacturerParty/cac:PartyName/cbc:Name")
                      if _T["cac:ManufacturerParty"] in ic else None),
        instances=tuple(read_instance(i) for i in ic.get(_T["cac:ItemInstance"], ())),
        certificates=tuple(_certificate(c) for c in ic.get(_T["cac:Certificate"], ())),
        dimensions=read_dimensions(item, "cac:Dimension") if _T["cac:Dimension"] in ic else (),
        transaction_actions=tuple(t for tc in ic.get(_T["cac:TransactionConditions"], ())
                                  if (t := _text(_index(tc), "cbc:ActionCode")) is not None),
    )


def _attachment(ref: etree._Element) -> Attachment:
    rc = _index(ref)
    ac = _index(_first(rc, "cac:Attachment"))
    embedded = _first(ac, "cbc:EmbeddedDocumentBinaryObject")
    line_id = _text(rc, "cbc:ID")
    if line_id is None:
        raise EhfError("Missing mandatory element cbc:ID of an ItemSpecificationDocumentReference.")
    return Attachment(
        id=line_id,
        uri=_text(_index(_first(ac, "cac:ExternalReference")), "cbc:URI"),
        document_type_code=_text(rc, "cbc:DocumentTypeCode"),
        description=_text(rc, "cbc:DocumentDescription"),
        embedded=_el_text(embedded),
        mime_code=_unit(embedded, "mimeCode"),
        filename=_unit(embedded, "filename"),
    )


def _measure(children: Children, term: str) -> Measure | None:
    el = _first(children, term)
    value = _number(el)
    return None if value is None else Measure(value, _unit(el))


def _unit(el: etree._Element | None, name: str = "unitCode") -> str | None:
    return (el.get(name) or None) if el is not None else None


def _certificate(el: etree._Element) -> Certificate:
    return Certificate(
        id=text(el, "cbc:ID") or "",
        type_code=text(el, "cbc:CertificateTypeCode") or "",
        type=text(el, "cbc:CertificateType") or "",
        remarks=text(el, "cbc:Remarks"),
        issuer=text(el, "cac:IssuerParty/cac:PartyName/cbc:Name"),
        document_ids=tuple(t for d in el.iterfind("cac:DocumentReference/cbc:ID", NSMAP)
                           if (t := _el_text(d)) is not None),
    )


class _Tags(dict[str, str]):
    """ "cbc:Name" -> "{urn:...CommonBasicComponents-2}Name", computed once per term."""

    def __missing__(self, term: str) -> str:
        prefix, local = term.split(":")
        clark = f"{{{NSMAP[prefix]}}}{local}"
        self[term] = clark
        return clark


_T: Final = _Tags()
Children = dict[str, list[etree._Element]]


def _index(el: etree._Element | None) -> Children:
    children: Children = {}
    if el is not None:
        for child in el:
            children.setdefault(child.tag, []).append(child)
    return children


def _first(children: Children, term: str) -> etree._Element | None:
    found = children.get(_T[term])
    return found[0] if found else None


def _el_text(el: etree._Element | None) -> str | None:
    if el is None or el.text is None or not el.text.strip(XML_SPACE):
        return None
    return el.text  # type: ignore[no-any-return]


def _text(children: Children, term: str) -> str | None:
    return _el_text(_first(children, term))


def _nested_id(children: Children, term: str) -> str | None:
    return _text(_index(_first(children, term)), "cbc:ID")


def _number(el: etree._Element | None) -> Decimal | None:
    value = _el_text(el)
    return None if value is None else to_decimal(value, etree.QName(el).localname if el is not None else "")


# ------------------------------------------------------------------------ write


def write_catalogue(
    target: str | os.PathLike[str] | IO[bytes],
    header: CatalogueHeader,
    items: Iterable[CatalogueItem],
    *,
    profile: str = "peppol",
    with_response: bool = True,
) -> int:
    """Stream a catalogue to ``target`` (UTF-8); returns the number of lines.

    ``profile`` "peppol" writes BIS Catalogue (catalogue only, or catalogue
    without response when ``with_response`` is false); "ehf" the EHF identifiers.
    Memory use does not grow with the number of items. Elements are serialised
    one by one (lxml's ``xmlfile`` would repeat the namespace declarations on
    every line)."""
    peppol_profile = PEPPOL_PROFILE if with_response else PEPPOL_PROFILE_WITHOUT_RESPONSE
    customization, profile_id = identifiers(
        profile, (PEPPOL_CUSTOMIZATION, peppol_profile), (EHF_CUSTOMIZATION, EHF_PROFILE)
    )
    root_tag = etree.tostring(etree.Element(_ROOT_TAG, nsmap=root_nsmap(CATALOGUE)))
    count = 0
    with _open_target(target) as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(root_tag[:-2] + b">")  # b"<Catalogue ... />" -> start tag
        nodes = (ehf_tables.T19 if profile == "ehf" else peppol_tables.T19).nodes
        for el in _header_elements(header, customization, profile_id, nodes):
            out.write(_without_ns_declarations(el))
        for item in items:
            line = _line_element(item)
            restrict_to_data_model(line, nodes, "/cac:CatalogueLine")
            out.write(_without_ns_declarations(line))
            count += 1
        out.write(b"</Catalogue>")
    if count == 0:
        raise EhfError("A catalogue needs at least one line.")
    return count


class _open_target:
    """A binary sink for a path (opened and closed here) or a caller's file."""

    def __init__(self, target: str | os.PathLike[str] | IO[bytes]) -> None:
        self._owned = isinstance(target, str | os.PathLike)
        self._file: IO[bytes] = open(target, "wb") if isinstance(target, str | os.PathLike) else target  # noqa: SIM115

    def __enter__(self) -> IO[bytes]:
        return self._file

    def __exit__(self, *exc: object) -> None:
        if self._owned:
            self._file.close()


_NS_DECLARATION: Final = re.compile(rb'\s+xmlns(?::\w+)?="[^"]*"')


def _without_ns_declarations(el: etree._Element) -> bytes:
    """Serialise ``el`` without the namespace declarations on its start tag; the
    enclosing Catalogue element declares them once. (libxml2 escapes ">" in
    attribute values, so the first ">" ends the start tag.)"""
    data = bytes(etree.tostring(el, encoding="UTF-8", xml_declaration=False))
    end = data.index(b">")
    return _NS_DECLARATION.sub(b"", data[:end]) + data[end:]


def build_catalogue(
    header: CatalogueHeader,
    items: Iterable[CatalogueItem],
    *,
    profile: str = "peppol",
    with_response: bool = True,
) -> bytes:
    """The whole catalogue as bytes (see :func:`write_catalogue`)."""
    buffer = io.BytesIO()
    write_catalogue(buffer, header, items, profile=profile, with_response=with_response)
    return buffer.getvalue()


def _header_elements(header: CatalogueHeader, customization: str, profile_id: str,
                     nodes: Mapping[str, NodeSpec]) -> list[etree._Element]:
    root = etree.Element(_ROOT_TAG, nsmap=root_nsmap(CATALOGUE))
    add(root, "cbc:CustomizationID", customization)
    add(root, "cbc:ProfileID", profile_id)
    add(root, "cbc:ID", header.id)
    add(root, "cbc:ActionCode", header.action_code)
    add(root, "cbc:Name", header.name)
    add(root, "cbc:IssueDate", header.issue_date)
    add(root, "cbc:VersionID", header.version_id)
    validity = add(root, "cac:ValidityPeriod")
    add(validity, "cbc:StartDate", header.validity.start_date)
    add(validity, "cbc:EndDate", header.validity.end_date)
    if not (header.validity.start_date or header.validity.end_date):
        # ValidityPeriod is mandatory in T19; an open period still needs content.
        add(validity, "cbc:StartDate", header.issue_date)
    add(add(root, "cac:ReferencedContract"), "cbc:ID", header.contract_id)
    add(add(root, "cac:SourceCatalogueReference"), "cbc:ID", header.source_catalogue_id)
    # ProviderParty and ReceiverParty are of the Party type themselves (no cac:Party child)
    for tag, p in (("cac:ProviderParty", header.provider), ("cac:ReceiverParty", header.receiver)):
        fill_party(add(root, tag), p, legal_name=True, address=True)
    for tag, other in (
        ("cac:SellerSupplierParty", header.seller),
        ("cac:ContractorCustomerParty", header.customer),
    ):
        if other is not None:
            fill_party(add(add(root, tag), "cac:Party"), other, legal_name=False, trade_name=True, address=True,
                       contact=True)
    add(add(root, "cac:TradingTerms"), "cbc:Information", header.trading_terms)
    prune_empty(root)
    restrict_to_data_model(root, nodes)
    return list(root)


def _line_element(item: CatalogueItem) -> etree._Element:
    line = etree.Element(_LINE_TAG, nsmap=NSMAP)
    add(line, "cbc:ID", item.line_id)
    add(line, "cbc:ActionCode", item.action_code)
    if item.orderable is not None:
        add(line, "cbc:OrderableIndicator", "true" if item.orderable else "false")
    add(line, "cbc:OrderableUnit", item.orderable_unit)
    add(line, "cbc:ContentUnitQuantity", item.content_quantity, unitCode=item.content_unit_code)
    quantity_unit = item.orderable_unit or item.content_unit_code or "EA"
    add(line, "cbc:OrderQuantityIncrementNumeric", item.order_increment)
    add(line, "cbc:MinimumOrderQuantity", item.min_order_quantity, unitCode=item.min_order_unit or quantity_unit)
    add(line, "cbc:MaximumOrderQuantity", item.max_order_quantity, unitCode=item.max_order_unit or quantity_unit)
    add(line, "cbc:WarrantyInformation", item.warranty)
    add(line, "cbc:PackLevelCode", item.pack_level)
    if item.line_validity is not None:
        add_period(line, "cac:LineValidityPeriod", item.line_validity)
    for comparison in item.comparisons:
        compared = add(line, "cac:ItemComparison")
        add(compared, "cbc:PriceAmount", comparison.price, currencyID=comparison.currency)
        add_measure(compared, "cbc:Quantity", comparison.quantity)
    for relation in Relation:
        for related in item.related:
            if related.relation is relation:
                el = add(line, f"cac:{relation.value}")
                add(el, "cbc:ID", related.id)
                add_measure(el, "cbc:Quantity", related.quantity)
    location = add(line, "cac:RequiredItemLocationQuantity")
    add_measure(location, "cbc:LeadTimeMeasure", item.lead_time)
    add_measure(location, "cbc:MinimumQuantity", item.location_min_quantity)
    add_measure(location, "cbc:MaximumQuantity", item.location_max_quantity)
    add_address(location, "cac:ApplicableTerritoryAddress", item.territory)
    if item.price is not None:
        if not item.currency:
            raise EhfError(f"Catalogue line {item.line_id}: a price needs a currency.")
        price = add(location, "cac:Price")
        add(price, "cbc:PriceAmount", item.price, currencyID=item.currency)
        add(
            price,
            "cbc:BaseQuantity",
            item.price_base_quantity,
            unitCode=item.price_base_unit_code or quantity_unit,
        )
        add(price, "cbc:PriceType", item.price_type)
        add(price, "cbc:OrderableUnitFactorRate", item.orderable_unit_factor)
        if item.price_validity is not None:
            add_period(price, "cac:ValidityPeriod", item.price_validity)
    el = add(line, "cac:Item")
    add(el, "cbc:Description", item.description)
    add_measure(el, "cbc:PackQuantity", item.pack_quantity)
    add(el, "cbc:PackSizeNumeric", item.pack_size)
    add(el, "cbc:Name", item.name)
    for keyword in item.keywords:
        add(el, "cbc:Keyword", keyword)
    add(el, "cbc:BrandName", item.brand)
    add_id(el, "cac:BuyersItemIdentification", item.buyers_item_id)
    add_id(el, "cac:SellersItemIdentification", item.seller_item_id)
    add_id(el, "cac:ManufacturersItemIdentification", item.manufacturer_item_id)
    add_id(el, "cac:StandardItemIdentification", item.standard_item_id, item.standard_item_scheme)
    for att in item.attachments:
        ref = add(el, "cac:ItemSpecificationDocumentReference")
        add(ref, "cbc:ID", att.id)
        add(ref, "cbc:DocumentTypeCode", att.document_type_code)
        add(ref, "cbc:DocumentDescription", att.description)
        attachment = add(ref, "cac:Attachment")
        add(attachment, "cbc:EmbeddedDocumentBinaryObject", att.embedded, mimeCode=att.mime_code,
            filename=att.filename)
        add(add(attachment, "cac:ExternalReference"), "cbc:URI", att.uri)
    add(add(el, "cac:OriginCountry"), "cbc:IdentificationCode", item.origin_country)
    for c in item.classifications:
        add(
            add(el, "cac:CommodityClassification"),
            "cbc:ItemClassificationCode",
            c.code,
            listID=c.list_id,
            listVersionID=c.list_version_id,
            name=c.name,
        )
    for action in item.transaction_actions:
        add(add(el, "cac:TransactionConditions"), "cbc:ActionCode", action)
    for hazard in item.hazardous:
        add_hazardous(el, hazard)
    if item.vat_category:
        add_tax_category(el, "cac:ClassifiedTaxCategory", item.vat_category, item.vat_percent)
    for prop in item.properties:
        add_property(el, prop)
    add(add(add(el, "cac:ManufacturerParty"), "cac:PartyName"), "cbc:Name", item.manufacturer)
    for instance in item.instances:
        add_instance(el, instance)
    for certificate in item.certificates:
        cert = add(el, "cac:Certificate")
        add(cert, "cbc:ID", certificate.id)
        add(cert, "cbc:CertificateTypeCode", certificate.type_code)
        add(cert, "cbc:CertificateType", certificate.type)
        add(cert, "cbc:Remarks", certificate.remarks)
        add(add(add(cert, "cac:IssuerParty"), "cac:PartyName"), "cbc:Name", certificate.issuer)
        for document_id in certificate.document_ids:
            add(add(cert, "cac:DocumentReference"), "cbc:ID", document_id)
    for dimension in item.dimensions:
        add_dimension(el, "cac:Dimension", dimension)
    # prune_empty skips the element it is given, so wrap the line for the pass.
    holder = etree.Element("holder")
    holder.append(line)
    prune_empty(holder)
    return line


__all__ = [
    "Attachment",
    "Certificate",
    "Comparison",
    "RelatedItem",
    "Relation",
    "CatalogueHeader",
    "CatalogueItem",
    "CatalogueReader",
    "Classification",
    "build_catalogue",
    "iter_catalogue",
    "parse_catalogue_line",
    "write_catalogue",
]
