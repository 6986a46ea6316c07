"""Build and parse Peppol BIS Order 3 / EHF Order 3.0 documents (UBL 2.1 ``Order``).

:func:`build_order` writes elements in UBL schema order, never writes empty elements,
``UBLVersionID`` or ``schemaLocation`` (all fatal in Peppol). :func:`parse_order` reads
every part the model covers and ignores the rest.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TypeVar

from lxml import etree

from ehf import sbdh as sbdh_mod
from ehf.components import add_property, read_properties
from ehf.errors import EhfError
from ehf.model import (
    Address,
    AllowanceCharge,
    Classification,
    Contact,
    Delivery,
    DocumentReference,
    MonetaryTotal,
    Order,
    OrderLine,
    Party,
    TaxCategory,
)
from ehf.namespaces import CAC, CBC, ORDER
from ehf.profiles import Profile
from ehf.rules import ehf_tables
from ehf.rules.structure import Table, restrict_to_data_model
from ehf.xmlsafe import parse_bytes

NSMAP = {None: ORDER, "cac": CAC, "cbc": CBC}
T = TypeVar("T")


# --- building -------------------------------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def _amount(value: Decimal) -> str:
    """Amounts are written with at least two decimals (R028 allows at most two)."""
    return _fmt(value.quantize(Decimal("0.01")) if value.as_tuple().exponent > -2 else value)  # type: ignore[operator]


class _Writer:
    def __init__(self, currency: str) -> None:
        self.currency = currency

    @staticmethod
    def agg(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    @staticmethod
    def text(parent: etree._Element, name: str, value: str | None, **attrs: str | None) -> None:
        if value is None or not value.strip():
            return
        el = etree.SubElement(parent, f"{{{CBC}}}{name}", {k: v for k, v in attrs.items() if v})
        el.text = value

    def money(self, parent: etree._Element, name: str, value: Decimal | None) -> None:
        if value is not None:
            self.text(parent, name, _amount(value), currencyID=self.currency)

    def address(self, parent: etree._Element, name: str, a: Address) -> None:
        el = self.agg(parent, name)
        self.text(el, "StreetName", a.street)
        self.text(el, "AdditionalStreetName", a.additional_street)
        self.text(el, "CityName", a.city)
        self.text(el, "PostalZone", a.postal_zone)
        self.text(el, "CountrySubentity", a.country_subentity)
        if a.address_line:
            self.text(self.agg(el, "AddressLine"), "Line", a.address_line)
        self.text(self.agg(el, "Country"), "IdentificationCode", a.country)

    def document_reference(self, parent: etree._Element, d: DocumentReference) -> None:
        el = self.agg(parent, "AdditionalDocumentReference")
        self.text(el, "ID", d.id)
        self.text(el, "DocumentType", d.document_type)
        if d.embedded or d.uri:
            attachment = self.agg(el, "Attachment")
            self.text(attachment, "EmbeddedDocumentBinaryObject", d.embedded, mimeCode=d.mime_code,
                      filename=d.filename)
            if d.uri:
                self.text(self.agg(attachment, "ExternalReference"), "URI", d.uri)

    def contact(self, parent: etree._Element, c: Contact | None) -> None:
        if c is None or not (c.name or c.telephone or c.email):
            return
        el = self.agg(parent, "Contact")
        self.text(el, "Name", c.name)
        self.text(el, "Telephone", c.telephone)
        self.text(el, "ElectronicMail", c.email)

    def party(self, parent: etree._Element, role: str, p: Party) -> None:
        el = self.agg(self.agg(parent, role), "Party")
        self.text(el, "EndpointID", p.endpoint_id, schemeID=p.endpoint_scheme)
        if p.party_id:
            self.text(self.agg(el, "PartyIdentification"), "ID", p.party_id, schemeID=p.party_id_scheme)
        if p.name:
            self.text(self.agg(el, "PartyName"), "Name", p.name)
        if p.address is not None:
            self.address(el, "PostalAddress", p.address)
        if p.vat_id:
            scheme = self.agg(el, "PartyTaxScheme")
            self.text(scheme, "CompanyID", p.vat_id)
            self.text(self.agg(scheme, "TaxScheme"), "ID", "VAT")
        if p.legal_name or p.company_id or p.registration_address:
            legal = self.agg(el, "PartyLegalEntity")
            self.text(legal, "RegistrationName", p.legal_name)
            self.text(legal, "CompanyID", p.company_id, schemeID=p.company_id_scheme)
            if p.registration_address is not None:
                self.address(legal, "RegistrationAddress", p.registration_address)
        self.contact(el, p.contact)

    def tax_category(self, parent: etree._Element, name: str, t: TaxCategory) -> None:
        el = self.agg(parent, name)
        self.text(el, "ID", t.code, schemeID=t.code_list)
        if t.percent is not None:
            self.text(el, "Percent", _fmt(t.percent))
        self.text(self.agg(el, "TaxScheme"), "ID", t.scheme)

    def allowance_charge(self, parent: etree._Element, ac: AllowanceCharge) -> None:
        el = self.agg(parent, "AllowanceCharge")
        self.text(el, "ChargeIndicator", "true" if ac.charge else "false")
        self.text(el, "AllowanceChargeReasonCode", ac.reason_code)
        self.text(el, "AllowanceChargeReason", ac.reason)
        if ac.percent is not None:
            self.text(el, "MultiplierFactorNumeric", _fmt(ac.percent))
        self.money(el, "Amount", ac.amount)
        self.money(el, "BaseAmount", ac.base_amount)
        if ac.tax is not None:
            self.tax_category(el, "TaxCategory", ac.tax)

    def line(self, parent: etree._Element, line: OrderLine) -> None:
        ol = self.agg(parent, "OrderLine")
        self.text(ol, "Note", line.note)
        li = self.agg(ol, "LineItem")
        self.text(li, "ID", line.id)
        self.text(li, "Quantity", _fmt(line.quantity), unitCode=line.unit_code)
        self.money(li, "LineExtensionAmount", line.amount())
        if line.partial_delivery is not None:
            self.text(li, "PartialDeliveryIndicator", "true" if line.partial_delivery else "false")
        self.text(li, "AccountingCost", line.accounting_cost)
        if line.delivery_start or line.delivery_end or line.delivery_start_time or line.delivery_end_time:
            self.period(self.agg(li, "Delivery"), "RequestedDeliveryPeriod", line.delivery_start,
                        line.delivery_start_time, line.delivery_end, line.delivery_end_time)
        if line.originator_id or line.originator_name:
            originator = self.agg(li, "OriginatorParty")
            if line.originator_id:
                self.text(self.agg(originator, "PartyIdentification"), "ID", line.originator_id,
                          schemeID=line.originator_id_scheme)
            if line.originator_name:
                self.text(self.agg(originator, "PartyName"), "Name", line.originator_name)
        for ac in line.allowances_charges:
            self.allowance_charge(li, ac)
        if line.price is not None:
            price = self.agg(li, "Price")
            self.text(price, "PriceAmount", _fmt(line.price), currencyID=self.currency)
            if line.price_base_quantity is not None:
                self.text(price, "BaseQuantity", _fmt(line.price_base_quantity), unitCode=line.unit_code)
            if line.price_discount is not None or line.gross_price is not None:
                discount = self.agg(price, "AllowanceCharge")  # a price discount: the gross price less the net
                self.text(discount, "ChargeIndicator", "false")
                amount = line.price_discount
                if amount is None:  # only the gross price given: the discount is what separates it from the net
                    amount = (line.gross_price or line.price) - line.price
                self.text(discount, "Amount", _fmt(amount), currencyID=self.currency)
                if line.gross_price is not None:
                    self.text(discount, "BaseAmount", _fmt(line.gross_price), currencyID=self.currency)
        item = self.agg(li, "Item")
        self.text(item, "Description", line.description)
        self.text(item, "Name", line.name)
        for name, value in (("BuyersItemIdentification", line.buyer_item_id),
                            ("SellersItemIdentification", line.seller_item_id),
                            ("ManufacturersItemIdentification", line.manufacturer_item_id)):
            if value:
                self.text(self.agg(item, name), "ID", value)
        if line.standard_item_id:
            self.text(self.agg(item, "StandardItemIdentification"), "ID", line.standard_item_id,
                      schemeID=line.standard_item_scheme)
        for ref in line.specification_refs:
            self.text(self.agg(item, "ItemSpecificationDocumentReference"), "ID", ref)
        for c in line.classifications:
            self.text(self.agg(item, "CommodityClassification"), "ItemClassificationCode", c.code,
                      listID=c.list_id, listVersionID=c.list_version)
        if line.tax is not None:
            self.tax_category(item, "ClassifiedTaxCategory", line.tax)
        for prop in line.properties:
            add_property(item, prop)
        if line.serial_id or line.lot_number:
            instance = self.agg(item, "ItemInstance")
            self.text(instance, "SerialID", line.serial_id)
            if line.lot_number:
                self.text(self.agg(instance, "LotIdentification"), "LotNumberID", line.lot_number)

    def delivery(self, parent: etree._Element, d: Delivery) -> None:
        el = self.agg(parent, "Delivery")
        if d.address is not None or d.location_id or d.location_name:
            loc = self.agg(el, "DeliveryLocation")
            self.text(loc, "ID", d.location_id, schemeID=d.location_scheme)
            self.text(loc, "Name", d.location_name)
            if d.address is not None:
                self.address(loc, "Address", d.address)
        if d.period_start or d.period_end or d.period_start_time or d.period_end_time:
            self.period(el, "RequestedDeliveryPeriod", d.period_start, d.period_start_time, d.period_end,
                        d.period_end_time)
        if d.party_name or d.party_id or d.party_address is not None:
            party = self.agg(el, "DeliveryParty")
            if d.party_id:
                self.text(self.agg(party, "PartyIdentification"), "ID", d.party_id, schemeID=d.party_id_scheme)
            if d.party_name:
                self.text(self.agg(party, "PartyName"), "Name", d.party_name)
            if d.party_address is not None:
                self.address(party, "PostalAddress", d.party_address)
            self.contact(party, d.contact)
        if d.despatch_date or d.despatch_time:
            despatch = self.agg(el, "Despatch")
            self.text(despatch, "RequestedDespatchDate", d.despatch_date.isoformat() if d.despatch_date else None)
            self.text(despatch, "RequestedDespatchTime", d.despatch_time.isoformat() if d.despatch_time else None)
        if d.shipment_id or d.shipping_priority:
            shipment = self.agg(el, "Shipment")
            self.text(shipment, "ID", d.shipment_id or "NA")
            self.text(shipment, "ShippingPriorityLevelCode", d.shipping_priority)

    def period(self, parent: etree._Element, name: str, start: dt.date | None, start_time: dt.time | None,
               end: dt.date | None, end_time: dt.time | None) -> None:
        el = self.agg(parent, name)
        self.text(el, "StartDate", start.isoformat() if start else None)
        self.text(el, "StartTime", start_time.isoformat() if start_time else None)
        self.text(el, "EndDate", end.isoformat() if end else None)
        self.text(el, "EndTime", end_time.isoformat() if end_time else None)

    def totals(self, parent: etree._Element, t: MonetaryTotal) -> None:
        el = self.agg(parent, "AnticipatedMonetaryTotal")
        self.money(el, "LineExtensionAmount", t.line_extension)
        self.money(el, "TaxExclusiveAmount", t.tax_exclusive)
        self.money(el, "TaxInclusiveAmount", t.tax_inclusive)
        self.money(el, "AllowanceTotalAmount", t.allowance_total)
        self.money(el, "ChargeTotalAmount", t.charge_total)
        self.money(el, "PrepaidAmount", t.prepaid)
        self.money(el, "PayableRoundingAmount", t.rounding)
        self.money(el, "PayableAmount", t.payable)


def _indicator(value: str | None) -> bool | None:
    """An xs:boolean indicator ("true"/"1", "false"/"0"), None when absent."""
    return None if value is None else value.strip() in ("true", "1")


def _reference(w: _Writer, root: etree._Element, name: str, value: str | None) -> None:
    if value:
        w.text(w.agg(root, name), "ID", value)


def order_element(order: Order) -> etree._Element:
    """The UBL ``Order`` element for ``order`` (see :func:`build_order`)."""
    w = _Writer(order.currency)
    root = etree.Element(f"{{{ORDER}}}Order", nsmap=NSMAP)
    w.text(root, "CustomizationID", order.profile.customization_id)
    w.text(root, "ProfileID", order.profile.profile_id)
    w.text(root, "ID", order.id)
    w.text(root, "SalesOrderID", order.sales_order_id)
    w.text(root, "IssueDate", order.issue_date.isoformat())
    w.text(root, "IssueTime", order.issue_time.isoformat() if order.issue_time else None)
    w.text(root, "OrderTypeCode", order.order_type_code)
    w.text(root, "Note", order.note)
    w.text(root, "DocumentCurrencyCode", order.currency)
    w.text(root, "CustomerReference", order.buyer_reference)
    w.text(root, "AccountingCost", order.accounting_cost)
    if order.validity_end:
        w.text(w.agg(root, "ValidityPeriod"), "EndDate", order.validity_end.isoformat())
    _reference(w, root, "QuotationDocumentReference", order.quotation_ref)
    _reference(w, root, "OrderDocumentReference", order.order_document_ref)
    _reference(w, root, "OriginatorDocumentReference", order.originator_document_ref)
    _reference(w, root, "CatalogueReference", order.catalogue_ref)
    for doc in order.additional_documents:
        w.document_reference(root, doc)
    _reference(w, root, "Contract", order.contract_id)
    _reference(w, root, "ProjectReference", order.project_ref)
    w.party(root, "BuyerCustomerParty", order.buyer)
    w.party(root, "SellerSupplierParty", order.seller)
    if order.originator is not None:
        w.party(root, "OriginatorCustomerParty", order.originator)
    if order.invoicee is not None:
        w.party(root, "AccountingCustomerParty", order.invoicee)
    if order.delivery is not None:
        w.delivery(root, order.delivery)
    if order.delivery_terms_id or order.delivery_terms_text or order.delivery_terms_location:
        terms = w.agg(root, "DeliveryTerms")
        w.text(terms, "ID", order.delivery_terms_id)
        w.text(terms, "SpecialTerms", order.delivery_terms_text)
        if order.delivery_terms_location:
            w.text(w.agg(terms, "DeliveryLocation"), "ID", order.delivery_terms_location)
    if order.payment_terms:
        w.text(w.agg(root, "PaymentTerms"), "Note", order.payment_terms)
    for ac in order.allowances_charges:
        w.allowance_charge(root, ac)
    tax = order.tax()
    if tax is not None:
        w.money(w.agg(root, "TaxTotal"), "TaxAmount", tax)
    w.totals(root, order.totals())
    for line in order.lines:
        w.line(root, line)
    table = _DATA_MODEL.get(order.profile)
    if table is not None:
        restrict_to_data_model(root, table.nodes)
    return root


# The EHF data models are narrower than Peppol's: an EHF order must not carry, e.g., a
# ManufacturersItemIdentification, a CatalogueReference or a ProjectReference.
_DATA_MODEL: dict[Profile, Table] = {
    Profile.EHF_ORDERING: ehf_tables.T01,
    Profile.EHF_ADVANCED_ORDERING: ehf_tables.P09_INIT,
}


def build_order(
    order: Order,
    *,
    sbdh: bool = False,
    instance_id: str | None = None,
    created_at: dt.datetime | None = None,
) -> bytes:
    """Serialise ``order`` as UTF-8 XML, optionally inside a Peppol SBDH envelope.

    With ``sbdh=True`` the sender/receiver are the buyer's/seller's endpoint ids;
    ``instance_id`` defaults to a UUID derived from the buyer endpoint and order id (so
    re-sending the same order gives the same id) and ``created_at`` to the issue date
    and time in UTC."""
    try:
        root = order_element(order)
    except ValueError as exc:  # lxml refuses control characters and the like
        raise EhfError(f"The order contains text that cannot be written as XML: {exc}") from None
    if sbdh:
        for role, party in (("buyer", order.buyer), ("seller", order.seller)):
            if not (party.endpoint_id and party.endpoint_scheme):
                raise EhfError(f"The {role} needs an endpoint id and scheme for the SBDH envelope.")
        sender = f"{order.buyer.endpoint_scheme}:{order.buyer.endpoint_id}"
        receiver = f"{order.seller.endpoint_scheme}:{order.seller.endpoint_id}"
        if instance_id is None:
            instance_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:ehf:order:{sender}:{order.id}"))
        if created_at is None:
            created_at = dt.datetime.combine(order.issue_date, order.issue_time or dt.time(), dt.UTC)
            if created_at.tzinfo is None:
                created_at = created_at.replace(tzinfo=dt.UTC)
        country = order.buyer.address.country if order.buyer.address else None
        root = sbdh_mod.wrap(root, sender=sender, receiver=receiver, instance_id=instance_id,
                             created_at=created_at, country_c1=country)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# --- parsing --------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        self.root = root

    @staticmethod
    @cache
    def path(p: str) -> str:  # cached: the reader asks for the same few hundred paths again and again
        return "/".join(
            f"{{{CAC if part.startswith('cac:') else CBC}}}{part[4:]}" for part in p.split("/")
        )

    def el(self, parent: etree._Element | None, p: str) -> etree._Element | None:
        return None if parent is None else parent.find(self.path(p))

    def all(self, parent: etree._Element, p: str) -> list[etree._Element]:
        return list(parent.findall(self.path(p)))

    def text(self, parent: etree._Element | None, p: str) -> str | None:
        el = self.el(parent, p)
        if el is None or el.text is None:
            return None
        value = el.text.strip()
        return value or None

    def attr(self, parent: etree._Element | None, p: str, name: str) -> str | None:
        el = self.el(parent, p)
        value = el.get(name) if el is not None else None
        return value.strip() if value and value.strip() else None

    def required(self, parent: etree._Element, p: str, what: str) -> str:
        value = self.text(parent, p)
        if value is None:
            raise EhfError(f"The order has no {what} ({p}).")
        return value

    def convert(self, parent: etree._Element | None, p: str, fn: Callable[[str], T], what: str) -> T | None:
        value = self.text(parent, p)
        if value is None:
            return None
        try:
            return fn(value)
        except (ValueError, InvalidOperation):
            raise EhfError(f"The order has an invalid {what}: {value!r}.") from None

    def dec(self, parent: etree._Element | None, p: str) -> Decimal | None:
        return self.convert(parent, p, Decimal, f"number in {p}")

    def date(self, parent: etree._Element | None, p: str) -> dt.date | None:
        return self.convert(parent, p, dt.date.fromisoformat, f"date in {p}")

    def time(self, parent: etree._Element | None, p: str) -> dt.time | None:
        return self.convert(parent, p, dt.time.fromisoformat, f"time in {p}")

    def address(self, el: etree._Element | None) -> Address | None:
        if el is None:
            return None
        return Address(
            country=self.text(el, "cac:Country/cbc:IdentificationCode") or "",
            street=self.text(el, "cbc:StreetName"),
            additional_street=self.text(el, "cbc:AdditionalStreetName"),
            city=self.text(el, "cbc:CityName"),
            postal_zone=self.text(el, "cbc:PostalZone"),
            country_subentity=self.text(el, "cbc:CountrySubentity"),
            address_line=self.text(el, "cac:AddressLine/cbc:Line"),
        )

    def document_reference(self, el: etree._Element) -> DocumentReference:
        return DocumentReference(
            id=self.text(el, "cbc:ID") or "",
            document_type=self.text(el, "cbc:DocumentType"),
            uri=self.text(el, "cac:Attachment/cac:ExternalReference/cbc:URI"),
            embedded=self.text(el, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"),
            mime_code=self.attr(el, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "mimeCode"),
            filename=self.attr(el, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "filename"),
        )

    def contact(self, el: etree._Element | None) -> Contact | None:
        if el is None:
            return None
        c = Contact(self.text(el, "cbc:Name"), self.text(el, "cbc:Telephone"), self.text(el, "cbc:ElectronicMail"))
        return c if (c.name or c.telephone or c.email) else None

    def party(self, role_el: etree._Element | None) -> Party | None:
        el = self.el(role_el, "cac:Party")
        if el is None:
            return None
        vat = next((s for s in self.all(el, "cac:PartyTaxScheme")
                    if self.text(s, "cac:TaxScheme/cbc:ID") == "VAT"), None)
        return Party(
            legal_name=self.text(el, "cac:PartyLegalEntity/cbc:RegistrationName"),
            endpoint_id=self.text(el, "cbc:EndpointID"),
            endpoint_scheme=self.attr(el, "cbc:EndpointID", "schemeID"),
            party_id=self.text(el, "cac:PartyIdentification/cbc:ID"),
            party_id_scheme=self.attr(el, "cac:PartyIdentification/cbc:ID", "schemeID"),
            name=self.text(el, "cac:PartyName/cbc:Name"),
            address=self.address(self.el(el, "cac:PostalAddress")),
            vat_id=self.text(vat, "cbc:CompanyID") if vat is not None else None,
            company_id=self.text(el, "cac:PartyLegalEntity/cbc:CompanyID"),
            company_id_scheme=self.attr(el, "cac:PartyLegalEntity/cbc:CompanyID", "schemeID"),
            contact=self.contact(self.el(el, "cac:Contact")),
            registration_address=self.address(self.el(el, "cac:PartyLegalEntity/cac:RegistrationAddress")),
        )

    def tax_category(self, el: etree._Element | None) -> TaxCategory | None:
        if el is None:
            return None
        return TaxCategory(self.text(el, "cbc:ID") or "", self.dec(el, "cbc:Percent"),
                           self.text(el, "cac:TaxScheme/cbc:ID") or "VAT", self.attr(el, "cbc:ID", "schemeID"))

    def allowance_charge(self, el: etree._Element) -> AllowanceCharge:
        indicator = self.text(el, "cbc:ChargeIndicator")
        if indicator not in ("true", "false"):
            raise EhfError(f"An allowance/charge has an invalid ChargeIndicator: {indicator!r}.")
        amount = self.dec(el, "cbc:Amount")
        if amount is None:
            raise EhfError("An allowance/charge has no Amount.")
        return AllowanceCharge(
            charge=indicator == "true",
            amount=amount,
            reason=self.text(el, "cbc:AllowanceChargeReason"),
            reason_code=self.text(el, "cbc:AllowanceChargeReasonCode"),
            percent=self.dec(el, "cbc:MultiplierFactorNumeric"),
            base_amount=self.dec(el, "cbc:BaseAmount"),
            tax=self.tax_category(self.el(el, "cac:TaxCategory")),
        )

    def line(self, ol: etree._Element) -> OrderLine:
        li = self.el(ol, "cac:LineItem")
        if li is None:
            raise EhfError("An order line has no LineItem.")
        line_id = self.required(li, "cbc:ID", "order line ID")
        quantity = self.dec(li, "cbc:Quantity")
        if quantity is None:
            raise EhfError(f"Order line {line_id} has no quantity.")
        item = self.el(li, "cac:Item")
        line = OrderLine(
            id=line_id,
            quantity=quantity,
            unit_code=self.attr(li, "cbc:Quantity", "unitCode") or "",
            name=self.text(item, "cbc:Name") or "",
            price=self.dec(li, "cac:Price/cbc:PriceAmount"),
            price_base_quantity=self.dec(li, "cac:Price/cbc:BaseQuantity"),
            line_amount=self.dec(li, "cbc:LineExtensionAmount"),
            description=self.text(item, "cbc:Description"),
            note=self.text(ol, "cbc:Note"),
            accounting_cost=self.text(li, "cbc:AccountingCost"),
            buyer_item_id=self.text(item, "cac:BuyersItemIdentification/cbc:ID"),
            seller_item_id=self.text(item, "cac:SellersItemIdentification/cbc:ID"),
            manufacturer_item_id=self.text(item, "cac:ManufacturersItemIdentification/cbc:ID"),
            standard_item_id=self.text(item, "cac:StandardItemIdentification/cbc:ID"),
            standard_item_scheme=self.attr(item, "cac:StandardItemIdentification/cbc:ID", "schemeID"),
            classifications=tuple(
                Classification(code, c.get("listID", "").strip(), (c.get("listVersionID") or "").strip() or None)
                for c in (
                    [] if item is None else self.all(item, "cac:CommodityClassification/cbc:ItemClassificationCode")
                )
                if (code := (c.text or "").strip())
            ),
            tax=self.tax_category(self.el(item, "cac:ClassifiedTaxCategory")),
            properties=read_properties(item),
            allowances_charges=tuple(self.allowance_charge(ac) for ac in self.all(li, "cac:AllowanceCharge")),
            price_discount=self.dec(li, "cac:Price/cac:AllowanceCharge/cbc:Amount"),
            gross_price=self.dec(li, "cac:Price/cac:AllowanceCharge/cbc:BaseAmount"),
            partial_delivery=_indicator(self.text(li, "cbc:PartialDeliveryIndicator")),
            delivery_start=self.date(li, "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:StartDate"),
            delivery_end=self.date(li, "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:EndDate"),
            delivery_start_time=self.time(li, "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:StartTime"),
            delivery_end_time=self.time(li, "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:EndTime"),
            originator_id=self.text(li, "cac:OriginatorParty/cac:PartyIdentification/cbc:ID"),
            originator_id_scheme=self.attr(li, "cac:OriginatorParty/cac:PartyIdentification/cbc:ID", "schemeID"),
            originator_name=self.text(li, "cac:OriginatorParty/cac:PartyName/cbc:Name"),
            specification_refs=tuple(
                (r.text or "").strip() for r in self.all(li, "cac:Item/cac:ItemSpecificationDocumentReference/cbc:ID")
                if (r.text or "").strip()),
            serial_id=self.text(li, "cac:Item/cac:ItemInstance/cbc:SerialID"),
            lot_number=self.text(li, "cac:Item/cac:ItemInstance/cac:LotIdentification/cbc:LotNumberID"),
        )
        if line.line_amount is not None and line.line_amount == line.computed_amount():
            line = _replace(line, line_amount=None)
        return line

    def delivery(self, el: etree._Element | None) -> Delivery | None:
        if el is None:
            return None
        loc = self.el(el, "cac:DeliveryLocation")
        party = self.el(el, "cac:DeliveryParty")
        d = Delivery(
            address=self.address(self.el(loc, "cac:Address")),
            location_id=self.text(loc, "cbc:ID"),
            location_scheme=self.attr(loc, "cbc:ID", "schemeID"),
            period_start=self.date(el, "cac:RequestedDeliveryPeriod/cbc:StartDate"),
            period_end=self.date(el, "cac:RequestedDeliveryPeriod/cbc:EndDate"),
            party_name=self.text(party, "cac:PartyName/cbc:Name"),
            party_id=self.text(party, "cac:PartyIdentification/cbc:ID"),
            party_id_scheme=self.attr(party, "cac:PartyIdentification/cbc:ID", "schemeID"),
            location_name=self.text(loc, "cbc:Name"),
            party_address=self.address(self.el(party, "cac:PostalAddress")),
            contact=self.contact(self.el(party, "cac:Contact")) if party is not None else None,
            period_start_time=self.time(el, "cac:RequestedDeliveryPeriod/cbc:StartTime"),
            period_end_time=self.time(el, "cac:RequestedDeliveryPeriod/cbc:EndTime"),
            despatch_date=self.date(el, "cac:Despatch/cbc:RequestedDespatchDate"),
            despatch_time=self.time(el, "cac:Despatch/cbc:RequestedDespatchTime"),
            shipment_id=self.text(el, "cac:Shipment/cbc:ID"),
            shipping_priority=self.text(el, "cac:Shipment/cbc:ShippingPriorityLevelCode"),
        )
        return d if d != Delivery() else None

    def totals(self, el: etree._Element | None) -> MonetaryTotal | None:
        if el is None:
            return None
        line_extension, payable = self.dec(el, "cbc:LineExtensionAmount"), self.dec(el, "cbc:PayableAmount")
        if line_extension is None or payable is None:
            raise EhfError("AnticipatedMonetaryTotal needs LineExtensionAmount and PayableAmount.")
        return MonetaryTotal(
            line_extension=line_extension,
            payable=payable,
            tax_exclusive=self.dec(el, "cbc:TaxExclusiveAmount"),
            tax_inclusive=self.dec(el, "cbc:TaxInclusiveAmount"),
            allowance_total=self.dec(el, "cbc:AllowanceTotalAmount"),
            charge_total=self.dec(el, "cbc:ChargeTotalAmount"),
            prepaid=self.dec(el, "cbc:PrepaidAmount"),
            rounding=self.dec(el, "cbc:PayableRoundingAmount"),
        )


def _replace(obj: T, **changes: object) -> T:
    import dataclasses

    return dataclasses.replace(obj, **changes)  # type: ignore[type-var]


def _profile(customization: str, profile_id: str) -> Profile:
    profile = Profile.from_ids(customization, profile_id)
    if profile is None:
        raise EhfError(f"Unsupported order specification {customization!r} with profile {profile_id!r}.")
    return profile


def order_from_element(root: etree._Element) -> Order:
    """The :class:`Order` for a parsed (unwrapped) UBL ``Order`` root."""
    if root.tag != f"{{{ORDER}}}Order":
        raise EhfError(f"Expected a UBL Order document, got {etree.QName(root).localname!r} "
                       f"in namespace {etree.QName(root).namespace!r}.")
    r = _Reader(root)
    buyer, seller = r.party(r.el(root, "cac:BuyerCustomerParty")), r.party(r.el(root, "cac:SellerSupplierParty"))
    if buyer is None or seller is None:
        raise EhfError("The order needs both a BuyerCustomerParty and a SellerSupplierParty.")
    lines = tuple(r.line(ol) for ol in r.all(root, "cac:OrderLine"))
    if not lines:
        raise EhfError("The order has no order lines.")
    order = Order(
        id=r.required(root, "cbc:ID", "order ID"),
        issue_date=r.date(root, "cbc:IssueDate") or _missing("issue date"),
        buyer=buyer,
        seller=seller,
        lines=lines,
        currency=r.required(root, "cbc:DocumentCurrencyCode", "document currency"),
        profile=_profile(r.text(root, "cbc:CustomizationID") or "", r.text(root, "cbc:ProfileID") or ""),
        issue_time=r.convert(root, "cbc:IssueTime", dt.time.fromisoformat, "issue time"),
        order_type_code=r.text(root, "cbc:OrderTypeCode"),
        note=r.text(root, "cbc:Note"),
        buyer_reference=r.text(root, "cbc:CustomerReference"),
        accounting_cost=r.text(root, "cbc:AccountingCost"),
        sales_order_id=r.text(root, "cbc:SalesOrderID"),
        validity_end=r.date(root, "cac:ValidityPeriod/cbc:EndDate"),
        quotation_ref=r.text(root, "cac:QuotationDocumentReference/cbc:ID"),
        catalogue_ref=r.text(root, "cac:CatalogueReference/cbc:ID"),
        contract_id=r.text(root, "cac:Contract/cbc:ID"),
        project_ref=r.text(root, "cac:ProjectReference/cbc:ID"),
        invoicee=r.party(r.el(root, "cac:AccountingCustomerParty")),
        originator=r.party(r.el(root, "cac:OriginatorCustomerParty")),
        delivery=r.delivery(r.el(root, "cac:Delivery")),
        payment_terms=r.text(root, "cac:PaymentTerms/cbc:Note"),
        allowances_charges=tuple(r.allowance_charge(ac) for ac in r.all(root, "cac:AllowanceCharge")),
        tax_amount=r.dec(root, "cac:TaxTotal/cbc:TaxAmount"),
        order_document_ref=r.text(root, "cac:OrderDocumentReference/cbc:ID"),
        originator_document_ref=r.text(root, "cac:OriginatorDocumentReference/cbc:ID"),
        delivery_terms_id=r.text(root, "cac:DeliveryTerms/cbc:ID"),
        delivery_terms_text=r.text(root, "cac:DeliveryTerms/cbc:SpecialTerms"),
        delivery_terms_location=r.text(root, "cac:DeliveryTerms/cac:DeliveryLocation/cbc:ID"),
        additional_documents=tuple(r.document_reference(d) for d in r.all(root, "cac:AdditionalDocumentReference")),
    )
    if order.tax_amount is not None and order.tax_amount == order.computed_tax():
        order = _replace(order, tax_amount=None)
    stated = r.totals(r.el(root, "cac:AnticipatedMonetaryTotal"))
    if stated != order.computed_totals():
        order = _replace(order, stated_totals=stated)
    return order


def _missing(what: str) -> dt.date:
    raise EhfError(f"The order has no {what}.")


def parse_order(data: bytes) -> Order:
    """Parse an Order (bare or in an SBDH envelope) into the model. Raises
    :class:`~ehf.errors.EhfError` for hostile, malformed or non-Order input."""
    return order_from_element(sbdh_mod.unwrap(parse_bytes(data)))
