"""Peppol BIS Despatch Advice 3 / EHF Despatch Advice (T16): model, parser and builder.

A despatch advice tells the buyer what is on its way: per order line the
delivered quantity and, for a partial delivery, the outstanding (back-ordered)
quantity with a reason. :meth:`DespatchLine.partial` builds such a line from
the ordered and delivered quantities.

Parties: ``supplier`` is the DespatchSupplierParty and ``delivery_customer`` the
DeliveryCustomerParty (both with endpoint, postal country and legal name); the
optional ``buyer``/``seller`` are identified by party id and trade name
(``PartyRef.trade_name`` = PartyName/Name), as the T16 data model has it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Final

from lxml import etree

from ehf._ubl import (
    NSMAP,
    add,
    add_address,
    add_contact,
    add_document_reference,
    add_id,
    add_party,
    add_period,
    address,
    attr,
    contact,
    date_value,
    decimal,
    document_reference,
    document_root,
    identifiers,
    new_document,
    party,
    period,
    prune_empty,
    required_date,
    required_party,
    required_text,
    serialize,
    text,
    texts,
    time_value,
    to_decimal,
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
    read_properties,
)
from ehf.errors import EhfError
from ehf.model import Address, Classification, Contact, DocumentReference
from ehf.namespaces import DESPATCH_ADVICE
from ehf.parties import PartyRef, Period
from ehf.rules import ehf_tables, peppol_tables
from ehf.rules.structure import restrict_to_data_model

PEPPOL_CUSTOMIZATION: Final = "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3"
PEPPOL_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:despatch_advice:3"
EHF_CUSTOMIZATION: Final = (
    "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
)
EHF_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:05:1.0"


@dataclass(frozen=True)
class Package:
    id: str | None = None
    type_code: str | None = None  # PackagingTypeCode (UN/ECE rec 21)


@dataclass(frozen=True)
class HandlingUnit:
    """A TransportHandlingUnit a line was packed in: a pallet (SSCC), a box, ..."""

    id: str | None = None
    id_scheme: str | None = None  # e.g. "SSCC"
    type_code: str | None = None  # TransportHandlingUnitTypeCode (UN/ECE rec 21)
    hazardous_risk: bool | None = None  # HazardousRiskIndicator
    shipping_marks: str | None = None
    dimensions: tuple[Dimension, ...] = ()
    packages: tuple[Package, ...] = ()


@dataclass(frozen=True)
class LineShipment:
    """DespatchLine/Shipment: the handling units a line is packed in."""

    id: str = "NA"
    handling_units: tuple[HandlingUnit, ...] = ()


@dataclass(frozen=True)
class Consignment:
    id: str = "NA"
    information: str | None = None
    carrier_id: str | None = None  # CarrierParty/PartyIdentification/ID
    carrier_id_scheme: str | None = None
    carrier_name: str | None = None  # CarrierParty/PartyName/Name
    driver_document_id: str | None = None  # CarrierParty/Person/IdentityDocumentReference/ID
    driver_document_type: str | None = None


@dataclass(frozen=True)
class DespatchLine:
    id: str
    order_line_id: str
    item_name: str
    delivered_quantity: Decimal
    unit_code: str
    outstanding_quantity: Decimal | None = None
    outstanding_reason: str | None = None
    note: str | None = None
    order_id: str | None = None  # OrderLineReference/OrderReference/ID
    buyers_item_id: str | None = None
    sellers_item_id: str | None = None
    standard_item_id: str | None = None
    standard_item_scheme: str | None = None
    instances: tuple[ItemInstance, ...] = ()  # serial and lot numbers of what was delivered
    sales_order_line_id: str | None = None  # OrderLineReference/SalesOrderLineID
    documents: tuple[DocumentReference, ...] = ()  # DespatchLine/DocumentReference (ID, type)
    sellers_item_extended_id: str | None = None
    standard_item_extended_id: str | None = None
    classifications: tuple[Classification, ...] = ()
    hazardous: tuple[HazardousItem, ...] = ()
    properties: tuple[ItemProperty, ...] = ()
    shipments: tuple[LineShipment, ...] = ()  # handling units the line is packed in

    def __post_init__(self) -> None:
        object.__setattr__(self, "properties", properties(self.properties))

    @classmethod
    def partial(
        cls,
        id: str,
        order_line_id: str,
        item_name: str,
        *,
        ordered: Decimal,
        delivered: Decimal,
        unit_code: str,
        reason: str = "Restordre",
        **extra: object,
    ) -> DespatchLine:
        """A line delivering ``delivered`` of ``ordered``; the rest is outstanding
        (back-ordered) with ``reason`` (PEPPOL-T16-R007 wants a reason)."""
        if delivered < 0 or delivered > ordered:
            raise EhfError(f"Line {id}: delivered {delivered} is not between 0 and the ordered {ordered}.")
        outstanding = ordered - delivered
        return cls(
            id,
            order_line_id,
            item_name,
            delivered,
            unit_code,
            outstanding_quantity=outstanding if outstanding else None,
            outstanding_reason=reason if outstanding else None,
            **extra,  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class DespatchAdvice:
    id: str
    issue_date: date
    supplier: PartyRef
    delivery_customer: PartyRef
    lines: tuple[DespatchLine, ...]
    order_id: str | None = None
    issue_time: time | None = None
    note: str | None = None
    buyer: PartyRef | None = None
    seller: PartyRef | None = None
    shipment_id: str = "1"
    tracking_id: str | None = None
    despatch_date: date | None = None
    estimated_delivery: Period | None = None
    extra_order_ids: tuple[str, ...] = field(default_factory=tuple)
    documents: tuple[DocumentReference, ...] = ()  # AdditionalDocumentReference
    originator: PartyRef | None = None  # OriginatorCustomerParty (id, name, address)
    delivery_contact: Contact | None = None  # DeliveryCustomerParty/DeliveryContact
    shipment_information: str | None = None  # Shipment/Information
    gross_weight: Measure | None = None
    gross_volume: Measure | None = None
    handling_unit_count: Decimal | None = None  # TotalTransportHandlingUnitQuantity
    consignment: Consignment | None = None
    transport_mode: str | None = None  # ShipmentStage/TransportModeCode (UNCL 8067)
    despatch_time: time | None = None  # Delivery/Despatch/ActualDespatchTime
    despatch_address: Address | None = None  # Delivery/Despatch/DespatchAddress

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.lines:
            raise EhfError("A despatch advice needs at least one despatch line.")


def parse_despatch_advice(data: bytes) -> DespatchAdvice:
    """Parse a despatch advice (bare or in an SBDH envelope) into the model.

    Raises :class:`EhfError` for malformed XML, another document type or missing
    mandatory content."""
    root = document_root(data, DESPATCH_ADVICE, "DespatchAdvice")
    order_ids = texts(root, "cac:OrderReference/cbc:ID")
    shipment = root.find("cac:Shipment", NSMAP)
    return DespatchAdvice(
        id=required_text(root, "cbc:ID"),
        issue_date=required_date(root, "cbc:IssueDate"),
        supplier=required_party(root, "cac:DespatchSupplierParty/cac:Party"),
        delivery_customer=required_party(root, "cac:DeliveryCustomerParty/cac:Party"),
        lines=tuple(_parse_line(el) for el in root.iterfind("cac:DespatchLine", NSMAP)),
        order_id=order_ids[0] if order_ids else None,
        extra_order_ids=order_ids[1:],
        issue_time=time_value(root, "cbc:IssueTime"),
        note=text(root, "cbc:Note"),
        buyer=party(root.find("cac:BuyerCustomerParty/cac:Party", NSMAP)),
        seller=party(root.find("cac:SellerSupplierParty/cac:Party", NSMAP)),
        shipment_id=(text(shipment, "cbc:ID") or "1") if shipment is not None else "1",
        tracking_id=text(root, "cac:Shipment/cac:Delivery/cbc:TrackingID"),
        despatch_date=date_value(root, "cac:Shipment/cac:Delivery/cac:Despatch/cbc:ActualDespatchDate"),
        estimated_delivery=period(root.find("cac:Shipment/cac:Delivery/cac:EstimatedDeliveryPeriod", NSMAP)),
        documents=tuple(document_reference(d) for d in root.iterfind("cac:AdditionalDocumentReference", NSMAP)),
        originator=party(root.find("cac:OriginatorCustomerParty/cac:Party", NSMAP)),
        delivery_contact=contact(root.find("cac:DeliveryCustomerParty/cac:DeliveryContact", NSMAP)),
        shipment_information=text(root, "cac:Shipment/cbc:Information"),
        gross_weight=read_measure(shipment, "cbc:GrossWeightMeasure"),
        gross_volume=read_measure(shipment, "cbc:GrossVolumeMeasure"),
        handling_unit_count=decimal(root, "cac:Shipment/cbc:TotalTransportHandlingUnitQuantity"),
        consignment=_parse_consignment(root.find("cac:Shipment/cac:Consignment", NSMAP)),
        transport_mode=text(root, "cac:Shipment/cac:ShipmentStage/cbc:TransportModeCode"),
        despatch_time=time_value(root, "cac:Shipment/cac:Delivery/cac:Despatch/cbc:ActualDespatchTime"),
        despatch_address=address(root.find("cac:Shipment/cac:Delivery/cac:Despatch/cac:DespatchAddress", NSMAP)),
    )


def _parse_consignment(el: etree._Element | None) -> Consignment | None:
    if el is None:
        return None
    carrier = "cac:CarrierParty"
    document = f"{carrier}/cac:Person/cac:IdentityDocumentReference"
    return Consignment(
        id=text(el, "cbc:ID") or "NA",
        information=text(el, "cbc:Information"),
        carrier_id=text(el, f"{carrier}/cac:PartyIdentification/cbc:ID"),
        carrier_id_scheme=attr(el, f"{carrier}/cac:PartyIdentification/cbc:ID", "schemeID"),
        carrier_name=text(el, f"{carrier}/cac:PartyName/cbc:Name"),
        driver_document_id=text(el, f"{document}/cbc:ID"),
        driver_document_type=text(el, f"{document}/cbc:DocumentType"),
    )


def _parse_handling_unit(el: etree._Element) -> HandlingUnit:
    risk = text(el, "cbc:HazardousRiskIndicator")
    return HandlingUnit(
        id=text(el, "cbc:ID"),
        id_scheme=attr(el, "cbc:ID", "schemeID"),
        type_code=text(el, "cbc:TransportHandlingUnitTypeCode"),
        hazardous_risk=None if risk is None else risk.strip() == "true",
        shipping_marks=text(el, "cbc:ShippingMarks"),
        dimensions=read_dimensions(el, "cac:MeasurementDimension"),
        packages=tuple(Package(text(p, "cbc:ID"), text(p, "cbc:PackagingTypeCode"))
                       for p in el.iterfind("cac:Package", NSMAP)),
    )


def _parse_line(el: etree._Element) -> DespatchLine:
    item = "cac:Item"
    delivered = required_text(el, "cbc:DeliveredQuantity")
    return DespatchLine(
        id=required_text(el, "cbc:ID"),
        order_line_id=required_text(el, "cac:OrderLineReference/cbc:LineID"),
        item_name=required_text(el, f"{item}/cbc:Name"),
        delivered_quantity=to_decimal(delivered, "cbc:DeliveredQuantity"),
        unit_code=attr(el, "cbc:DeliveredQuantity", "unitCode") or "",
        outstanding_quantity=decimal(el, "cbc:OutstandingQuantity"),
        outstanding_reason=text(el, "cbc:OutstandingReason"),
        note=text(el, "cbc:Note"),
        order_id=text(el, "cac:OrderLineReference/cac:OrderReference/cbc:ID"),
        buyers_item_id=text(el, f"{item}/cac:BuyersItemIdentification/cbc:ID"),
        sellers_item_id=text(el, f"{item}/cac:SellersItemIdentification/cbc:ID"),
        standard_item_id=text(el, f"{item}/cac:StandardItemIdentification/cbc:ID"),
        standard_item_scheme=attr(el, f"{item}/cac:StandardItemIdentification/cbc:ID", "schemeID"),
        instances=tuple(read_instance(i) for i in el.findall(f"{item}/cac:ItemInstance", NSMAP)),
        sales_order_line_id=text(el, "cac:OrderLineReference/cbc:SalesOrderLineID"),
        documents=tuple(document_reference(d) for d in el.iterfind("cac:DocumentReference", NSMAP)),
        sellers_item_extended_id=text(el, f"{item}/cac:SellersItemIdentification/cbc:ExtendedID"),
        standard_item_extended_id=text(el, f"{item}/cac:StandardItemIdentification/cbc:ExtendedID"),
        classifications=tuple(
            Classification(c.text.strip(), c.get("listID") or "", c.get("listVersionID"), c.get("name"))
            for c in el.iterfind(f"{item}/cac:CommodityClassification/cbc:ItemClassificationCode", NSMAP)
            if c.text and c.text.strip()),
        hazardous=read_hazardous(el.find(item, NSMAP)),
        properties=read_properties(el.find(item, NSMAP)),
        shipments=tuple(
            LineShipment(text(sh, "cbc:ID") or "NA",
                         tuple(_parse_handling_unit(u) for u in sh.iterfind("cac:TransportHandlingUnit", NSMAP)))
            for sh in el.iterfind("cac:Shipment", NSMAP)),
    )


def build_despatch_advice(advice: DespatchAdvice, *, profile: str = "peppol", sbdh: bool = False) -> bytes:
    """Serialise ``advice`` as UBL 2.1 DespatchAdvice XML in schema order, without
    empty elements or UBLVersionID; ``profile`` is "peppol" or "ehf"."""
    customization, profile_id = identifiers(
        profile, (PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE), (EHF_CUSTOMIZATION, EHF_PROFILE)
    )
    root = new_document(DESPATCH_ADVICE, "DespatchAdvice", customization, profile_id)
    add(root, "cbc:ID", advice.id)
    add(root, "cbc:IssueDate", advice.issue_date)
    add(root, "cbc:IssueTime", advice.issue_time)
    add(root, "cbc:Note", advice.note)
    for order_id in (advice.order_id, *advice.extra_order_ids):
        add(add(root, "cac:OrderReference"), "cbc:ID", order_id)
    for document in advice.documents:
        add_document_reference(root, "cac:AdditionalDocumentReference", document)
    add_party(add(root, "cac:DespatchSupplierParty"), advice.supplier, legal_name=True, address=True, contact=True)
    customer = add(root, "cac:DeliveryCustomerParty")
    add_party(customer, advice.delivery_customer, legal_name=True, address=True, contact=True)
    add_contact(customer, "cac:DeliveryContact", advice.delivery_contact)
    for tag, other in (("cac:BuyerCustomerParty", advice.buyer), ("cac:SellerSupplierParty", advice.seller),
                       ("cac:OriginatorCustomerParty", advice.originator)):
        if other is not None:
            add_party(add(root, tag), other, legal_name=False, trade_name=True, address=True, endpoint=False)
    _shipment(root, advice)
    for line in advice.lines:
        if profile == "ehf" and line.order_id is None:
            # EHF requires the order reference on every line: the advice's own order
            line = dataclasses.replace(line, order_id=advice.order_id)
        _build_line(add(root, "cac:DespatchLine"), line)
    prune_empty(root)
    restrict_to_data_model(root, (ehf_tables.T16 if profile == "ehf" else peppol_tables.T16).nodes)
    return serialize(root, sbdh=sbdh, sender=advice.supplier, receiver=advice.delivery_customer)


def _shipment(root: etree._Element, advice: DespatchAdvice) -> None:
    a = advice
    if not (a.tracking_id or a.despatch_date or a.estimated_delivery or a.shipment_information or a.gross_weight
            or a.gross_volume or a.handling_unit_count is not None or a.consignment or a.transport_mode
            or a.despatch_time or a.despatch_address):
        if advice.shipment_id == "1":
            return
    shipment = add(root, "cac:Shipment")
    add(shipment, "cbc:ID", advice.shipment_id)
    add(shipment, "cbc:Information", a.shipment_information)
    add_measure(shipment, "cbc:GrossWeightMeasure", a.gross_weight)
    add_measure(shipment, "cbc:GrossVolumeMeasure", a.gross_volume)
    add(shipment, "cbc:TotalTransportHandlingUnitQuantity", a.handling_unit_count)
    if a.consignment is not None:
        _consignment(add(shipment, "cac:Consignment"), a.consignment)
    add(add(shipment, "cac:ShipmentStage"), "cbc:TransportModeCode", a.transport_mode)
    delivery = add(shipment, "cac:Delivery")
    add(delivery, "cbc:TrackingID", advice.tracking_id)
    if advice.estimated_delivery is not None:
        add_period(delivery, "cac:EstimatedDeliveryPeriod", advice.estimated_delivery)
    despatch = add(delivery, "cac:Despatch")
    add(despatch, "cbc:ActualDespatchDate", advice.despatch_date)
    add(despatch, "cbc:ActualDespatchTime", advice.despatch_time)
    add_address(despatch, "cac:DespatchAddress", advice.despatch_address)


def _consignment(el: etree._Element, c: Consignment) -> None:
    add(el, "cbc:ID", c.id)
    add(el, "cbc:Information", c.information)
    carrier = add(el, "cac:CarrierParty")
    add_id(carrier, "cac:PartyIdentification", c.carrier_id, c.carrier_id_scheme)
    add(add(carrier, "cac:PartyName"), "cbc:Name", c.carrier_name)
    document = add(add(carrier, "cac:Person"), "cac:IdentityDocumentReference")
    add(document, "cbc:ID", c.driver_document_id)
    add(document, "cbc:DocumentType", c.driver_document_type)


def _handling_unit(el: etree._Element, u: HandlingUnit) -> None:
    add(el, "cbc:ID", u.id, schemeID=u.id_scheme)
    add(el, "cbc:TransportHandlingUnitTypeCode", u.type_code)
    if u.hazardous_risk is not None:
        add(el, "cbc:HazardousRiskIndicator", "true" if u.hazardous_risk else "false")
    add(el, "cbc:ShippingMarks", u.shipping_marks)
    for d in u.dimensions:
        add_dimension(el, "cac:MeasurementDimension", d)
    for p in u.packages:
        package = add(el, "cac:Package")
        add(package, "cbc:ID", p.id)
        add(package, "cbc:PackagingTypeCode", p.type_code)


def _build_line(el: etree._Element, line: DespatchLine) -> None:
    add(el, "cbc:ID", line.id)
    add(el, "cbc:Note", line.note)
    add(el, "cbc:DeliveredQuantity", line.delivered_quantity, unitCode=line.unit_code)
    add(el, "cbc:OutstandingQuantity", line.outstanding_quantity, unitCode=line.unit_code)
    add(el, "cbc:OutstandingReason", line.outstanding_reason)
    ref = add(el, "cac:OrderLineReference")
    add(ref, "cbc:LineID", line.order_line_id)
    add(ref, "cbc:SalesOrderLineID", line.sales_order_line_id)
    add(add(ref, "cac:OrderReference"), "cbc:ID", line.order_id)
    for document in line.documents:
        add_document_reference(el, "cac:DocumentReference", document)
    item = add(el, "cac:Item")
    add(item, "cbc:Name", line.item_name)
    add_id(item, "cac:BuyersItemIdentification", line.buyers_item_id)
    for tag, value, scheme, extended in (
        ("cac:SellersItemIdentification", line.sellers_item_id, None, line.sellers_item_extended_id),
        ("cac:StandardItemIdentification", line.standard_item_id, line.standard_item_scheme,
         line.standard_item_extended_id),
    ):
        if value:
            identification = add(item, tag)
            add(identification, "cbc:ID", value, schemeID=scheme)
            add(identification, "cbc:ExtendedID", extended)
    for c in line.classifications:
        add(add(item, "cac:CommodityClassification"), "cbc:ItemClassificationCode", c.code,
            listID=c.list_id, listVersionID=c.list_version, name=c.name)
    for hazard in line.hazardous:
        add_hazardous(item, hazard)
    for prop in line.properties:
        add_property(item, prop)
    for i in line.instances:
        add_instance(item, i)
    for shipment in line.shipments:
        line_shipment = add(el, "cac:Shipment")
        add(line_shipment, "cbc:ID", shipment.id)
        for unit in shipment.handling_units:
            _handling_unit(add(line_shipment, "cac:TransportHandlingUnit"), unit)
