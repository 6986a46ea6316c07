"""Peppol BIS Order Agreement 3 / EHF Order Agreement (T110): model, parser and builder.

An order agreement is the seller's statement of an order as agreed: the parties, lines,
prices and totals of an Order, sent as a UBL ``OrderResponse`` with its own
CustomizationID. So :class:`OrderAgreement` carries that content as an :class:`ehf.Order`
(``order``) and adds what only the agreement has: the order it answers (``order_id``), the
buyer's delivery contact, the stated VAT breakdown, and per line the delivered quantity,
price type, specifications with attachments, transaction conditions and certificates
(:class:`AgreementLine`, matched to the order lines by line ID).

The element names differ from the Order's in three places, mapped both ways here: the
totals are ``LegalMonetaryTotal`` (the Order's ``AnticipatedMonetaryTotal``), delivery
periods are promised (``PromisedDeliveryPeriod``, the Order's ``RequestedDeliveryPeriod``)
and the line note is ``LineItem/Note`` (the Order's ``OrderLine/Note``). The builder writes
the OrderResponse schema order and only what the profile's data model has.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from lxml import etree

from ehf._ubl import add_contact, contact, document_root, serialize
from ehf.catalogue import Attachment, Certificate
from ehf.components import Measure, read_measure
from ehf.errors import EhfError
from ehf.model import Contact, Order
from ehf.namespaces import CAC, CBC, ORDER, ORDER_RESPONSE
from ehf.order import order_element, order_from_element
from ehf.parties import PartyRef
from ehf.profiles import Profile
from ehf.rules import ehf_tables, peppol_tables
from ehf.rules.structure import restrict_to_data_model

PEPPOL_CUSTOMIZATION: Final = "urn:fdc:peppol.eu:poacc:trns:order_agreement:3"
PEPPOL_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:order_agreement:3"
EHF_CUSTOMIZATION: Final = PEPPOL_CUSTOMIZATION + ":extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
EHF_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:03:1.0"

_NS = {"cbc": CBC, "cac": CAC}
_RENAMED: Final = {"LegalMonetaryTotal": "AnticipatedMonetaryTotal",
                   "PromisedDeliveryPeriod": "RequestedDeliveryPeriod"}
# the OrderResponse schema order of the root's children an agreement can have
_ROOT_ORDER: Final = (
    "CustomizationID", "ProfileID", "ID", "SalesOrderID", "IssueDate", "IssueTime", "Note", "DocumentCurrencyCode",
    "CustomerReference", "AccountingCost", "OrderReference", "OriginatorDocumentReference",
    "AdditionalDocumentReference", "Contract", "SellerSupplierParty", "BuyerCustomerParty", "OriginatorCustomerParty",
    "AccountingCustomerParty", "Delivery", "DeliveryTerms", "PaymentTerms", "AllowanceCharge", "TaxTotal",
    "LegalMonetaryTotal", "OrderLine",
)


@dataclass(frozen=True)
class TaxSubtotal:
    taxable_amount: Decimal
    tax_amount: Decimal
    category: str  # UNCL5305
    percent: Decimal | None = None


@dataclass(frozen=True)
class AgreementLine:
    """What an agreement line has beside the order line of the same ``line_id``."""

    line_id: str
    delivery_quantity: Measure | None = None  # LineItem/Delivery/Quantity
    price_type: str | None = None  # Price/PriceType
    specifications: tuple[Attachment, ...] = ()  # Item/ItemSpecificationDocumentReference
    transaction_actions: tuple[str, ...] = ()  # Item/TransactionConditions/ActionCode
    certificates: tuple[Certificate, ...] = ()  # Item/Certificate


@dataclass(frozen=True)
class OrderAgreement:
    order: Order  # the agreed content; ``order.id`` is the agreement's own ID
    order_id: str  # OrderReference/ID: the buyer's order this agreement answers
    delivery_contact: Contact | None = None  # BuyerCustomerParty/DeliveryContact
    tax_subtotals: tuple[TaxSubtotal, ...] = ()
    lines: tuple[AgreementLine, ...] = ()  # only lines that have such details


# ------------------------------------------------------------------------- read


def _q(term: str) -> str:
    prefix, local = term.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _text(el: etree._Element | None, path: str) -> str | None:
    found = el.find(path, _NS) if el is not None else None
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _decimal(el: etree._Element, path: str) -> Decimal | None:
    value = _text(el, path)
    return None if value is None else Decimal(value)


def parse_order_agreement(data: bytes) -> OrderAgreement:
    """Parse an order agreement (bare or in an SBDH envelope). Raises :class:`EhfError` for
    malformed XML, another document type or missing mandatory content."""
    root = document_root(data, ORDER_RESPONSE, "OrderResponse")
    customization = _text(root, "cbc:CustomizationID") or ""
    if not customization.startswith(PEPPOL_CUSTOMIZATION):
        raise EhfError(f"Not an order agreement: CustomizationID {customization!r}.")
    order_id = _text(root, "cac:OrderReference/cbc:ID")
    if order_id is None:
        raise EhfError("Missing mandatory element cac:OrderReference/cbc:ID.")
    lines = tuple(line for el in root.iterfind("cac:OrderLine/cac:LineItem", _NS)
                  if (line := _agreement_line(el)) != AgreementLine(line.line_id))
    try:
        subtotals = tuple(
            TaxSubtotal(_decimal(st, "cbc:TaxableAmount") or Decimal(0), _decimal(st, "cbc:TaxAmount") or Decimal(0),
                        _text(st, "cac:TaxCategory/cbc:ID") or "", _decimal(st, "cac:TaxCategory/cbc:Percent"))
            for st in root.iterfind("cac:TaxTotal/cac:TaxSubtotal", _NS))
    except ArithmeticError:
        raise EhfError("A TaxSubtotal amount is not a number.") from None
    return OrderAgreement(
        order=order_from_element(_as_order(root)),
        order_id=order_id,
        delivery_contact=contact(root.find("cac:BuyerCustomerParty/cac:DeliveryContact", _NS)),
        tax_subtotals=subtotals,
        lines=lines,
    )


def _agreement_line(li: etree._Element) -> AgreementLine:
    item = li.find("cac:Item", _NS)
    return AgreementLine(
        line_id=_text(li, "cbc:ID") or "",
        delivery_quantity=read_measure(li.find("cac:Delivery", _NS), "cbc:Quantity"),
        price_type=_text(li, "cac:Price/cbc:PriceType"),
        specifications=tuple(
            Attachment(id=_text(ref, "cbc:ID") or "", uri=_text(ref, "cac:Attachment/cac:ExternalReference/cbc:URI"),
                       document_type_code=_text(ref, "cbc:DocumentTypeCode"),
                       document_type=_text(ref, "cbc:DocumentType"),
                       embedded=_text(ref, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"),
                       mime_code=_attr(ref, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "mimeCode"),
                       filename=_attr(ref, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "filename"))
            for ref in li.iterfind("cac:Item/cac:ItemSpecificationDocumentReference", _NS)),
        transaction_actions=tuple(t for a in li.iterfind("cac:Item/cac:TransactionConditions/cbc:ActionCode", _NS)
                                  if a.text and (t := a.text.strip())),
        certificates=tuple(
            Certificate(id=_text(c, "cbc:ID") or "", type_code=_text(c, "cbc:CertificateTypeCode") or "",
                        type=_text(c, "cbc:CertificateType") or "", remarks=_text(c, "cbc:Remarks"),
                        issuer=_text(c, "cac:IssuerParty/cac:PartyName/cbc:Name"),
                        document_ids=tuple(d.text.strip() for d in c.iterfind("cac:DocumentReference/cbc:ID", _NS)
                                           if d.text and d.text.strip()))
            for c in (item.iterfind("cac:Certificate", _NS) if item is not None else ())),
    )


def _attr(el: etree._Element, path: str, name: str) -> str | None:
    found = el.find(path, _NS)
    return (found.get(name) or None) if found is not None else None


def _as_order(agreement: etree._Element) -> etree._Element:
    """The agreement's content as a UBL Order tree, for the Order reader."""
    root = etree.Element(f"{{{ORDER}}}Order", nsmap={None: ORDER, "cac": CAC, "cbc": CBC})
    for child in agreement:
        if isinstance(child.tag, str) and etree.QName(child).localname not in ("OrderReference", "TaxTotal"):
            root.append(copy.deepcopy(child))
        elif isinstance(child.tag, str) and child.tag == _q("cac:TaxTotal"):
            total = etree.SubElement(root, _q("cac:TaxTotal"))
            total.append(copy.deepcopy(child.find("cbc:TaxAmount", _NS)))
    _rename(root, _RENAMED)
    for ol in root.iterfind("cac:OrderLine", _NS):
        note = ol.find("cac:LineItem/cbc:Note", _NS)
        if note is not None:
            ol.insert(0, note)  # OrderLine/Note in an Order
        for item in ol.iterfind("cac:LineItem/cac:Item", _NS):
            for extra in ("cac:ItemSpecificationDocumentReference", "cac:TransactionConditions", "cac:Certificate"):
                for el in item.findall(extra, _NS):
                    item.remove(el)
        for delivery in ol.iterfind("cac:LineItem/cac:Delivery", _NS):
            for el in delivery.findall("cbc:Quantity", _NS):
                delivery.remove(el)
        for price in ol.iterfind("cac:LineItem/cac:Price", _NS):
            for el in price.findall("cbc:PriceType", _NS):
                price.remove(el)
    profile = Profile.BIS_ORDERING  # the Order reader needs an order profile; the agreement has its own
    _set_identifiers(root, profile.customization_id, profile.profile_id)
    return root


def _set_identifiers(root: etree._Element, customization: str, profile_id: str) -> None:
    for term, value in (("cbc:CustomizationID", customization), ("cbc:ProfileID", profile_id)):
        el = root.find(term, _NS)
        if el is None:
            raise EhfError(f"Missing mandatory element {term}.")
        el.text = value


def _rename(root: etree._Element, names: dict[str, str]) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and (local := etree.QName(el).localname) in names:
            el.tag = f"{{{etree.QName(el).namespace}}}{names[local]}"


# ------------------------------------------------------------------------ write


def build_order_agreement(agreement: OrderAgreement, *, profile: str = "peppol", sbdh: bool = False) -> bytes:
    """Serialise ``agreement`` as a UBL 2.1 OrderResponse with the Order Agreement
    identifiers of ``profile`` ("peppol" or "ehf"); with ``sbdh=True`` in an SBDH from the
    seller to the buyer."""
    if profile not in ("peppol", "ehf"):
        raise EhfError(f"Unknown profile {profile!r}; expected 'peppol' or 'ehf'.")
    try:
        order_root = order_element(agreement.order)
    except ValueError as exc:
        raise EhfError(f"The order agreement cannot be serialised: {exc}") from None
    root = etree.Element(f"{{{ORDER_RESPONSE}}}OrderResponse", nsmap={None: ORDER_RESPONSE, "cac": CAC, "cbc": CBC})
    children = [child for child in order_root if isinstance(child.tag, str)]
    reference = etree.Element(_q("cac:OrderReference"))
    etree.SubElement(reference, _q("cbc:ID")).text = agreement.order_id
    children.append(reference)
    root.extend(children)
    _rename(root, {v: k for k, v in _RENAMED.items()})
    position = {name: i for i, name in enumerate(_ROOT_ORDER)}
    root[:] = sorted(root, key=lambda el: position.get(etree.QName(el).localname, len(position)))
    ehf = profile == "ehf"
    _set_identifiers(root, EHF_CUSTOMIZATION if ehf else PEPPOL_CUSTOMIZATION, EHF_PROFILE if ehf else PEPPOL_PROFILE)
    buyer = root.find("cac:BuyerCustomerParty", _NS)
    if buyer is not None:
        add_contact(buyer, "cac:DeliveryContact", agreement.delivery_contact)
    _tax_subtotals(root, agreement)
    details = {line.line_id: line for line in agreement.lines}
    for ol in root.iterfind("cac:OrderLine", _NS):
        li = ol.find("cac:LineItem", _NS)
        note = ol.find("cbc:Note", _NS)
        if li is None:
            continue
        if note is not None:
            li.insert(1, note)  # after LineItem/ID
        line = details.get(_text(li, "cbc:ID") or "")
        if line is not None:
            _line_details(li, line)
    restrict_to_data_model(root, (ehf_tables.T110 if ehf else peppol_tables.T110).nodes)
    seller, buyer_party = agreement.order.seller, agreement.order.buyer
    return serialize(root, sbdh=sbdh, sender=PartyRef(seller.endpoint_id, seller.endpoint_scheme),
                     receiver=PartyRef(buyer_party.endpoint_id, buyer_party.endpoint_scheme))


def _sub(parent: etree._Element, term: str, value: object, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, _q(term))
    el.text = format(value, "f") if isinstance(value, Decimal) else str(value)
    for name, val in attrs.items():
        if val:
            el.set(name, val)
    return el


def _tax_subtotals(root: etree._Element, agreement: OrderAgreement) -> None:
    total = root.find("cac:TaxTotal", _NS)
    if total is None or not agreement.tax_subtotals:
        return
    currency = agreement.order.currency
    for st in agreement.tax_subtotals:
        el = etree.SubElement(total, _q("cac:TaxSubtotal"))
        _sub(el, "cbc:TaxableAmount", st.taxable_amount, currencyID=currency)
        _sub(el, "cbc:TaxAmount", st.tax_amount, currencyID=currency)
        category = etree.SubElement(el, _q("cac:TaxCategory"))
        _sub(category, "cbc:ID", st.category)
        if st.percent is not None:
            _sub(category, "cbc:Percent", st.percent)
        _sub(etree.SubElement(category, _q("cac:TaxScheme")), "cbc:ID", "VAT")


def _insert(parent: etree._Element, el: etree._Element, before: Iterable[str]) -> None:
    """Put ``el`` before the first child named in ``before`` (schema order), else last."""
    names = {_q(term) for term in before}
    for i, child in enumerate(parent):
        if child.tag in names:
            parent.insert(i, el)
            return
    parent.append(el)


def _line_details(li: etree._Element, line: AgreementLine) -> None:
    if line.delivery_quantity is not None:
        delivery = li.find("cac:Delivery", _NS)
        if delivery is None:
            delivery = etree.Element(_q("cac:Delivery"))
            _insert(li, delivery, ("cac:DeliveryTerms", "cac:OriginatorParty", "cac:AllowanceCharge", "cac:Price",
                                   "cac:Item"))
        quantity = etree.Element(_q("cbc:Quantity"))
        quantity.text = format(line.delivery_quantity.value, "f")
        if line.delivery_quantity.unit:
            quantity.set("unitCode", line.delivery_quantity.unit)
        delivery.insert(0, quantity)
    price = li.find("cac:Price", _NS)
    if line.price_type and price is not None:
        price_type = etree.Element(_q("cbc:PriceType"))
        price_type.text = line.price_type
        _insert(price, price_type, ("cbc:OrderableUnitFactorRate", "cac:ValidityPeriod", "cac:PriceList",
                                    "cac:AllowanceCharge"))
    item = li.find("cac:Item", _NS)
    if item is None:
        return
    after_specifications = ("cac:OriginCountry", "cac:CommodityClassification", "cac:TransactionConditions",
                            "cac:HazardousItem", "cac:ClassifiedTaxCategory", "cac:AdditionalItemProperty",
                            "cac:ManufacturerParty", "cac:InformationContentProviderParty", "cac:OriginAddress",
                            "cac:ItemInstance", "cac:Certificate", "cac:Dimension")
    for spec in line.specifications:
        ref = etree.Element(_q("cac:ItemSpecificationDocumentReference"))
        _sub(ref, "cbc:ID", spec.id)
        if spec.document_type_code:
            _sub(ref, "cbc:DocumentTypeCode", spec.document_type_code)
        if spec.document_type:
            _sub(ref, "cbc:DocumentType", spec.document_type)
        if spec.embedded or spec.uri:
            attachment = etree.SubElement(ref, _q("cac:Attachment"))
            if spec.embedded:
                _sub(attachment, "cbc:EmbeddedDocumentBinaryObject", spec.embedded, mimeCode=spec.mime_code,
                     filename=spec.filename)
            if spec.uri:
                _sub(etree.SubElement(attachment, _q("cac:ExternalReference")), "cbc:URI", spec.uri)
        _insert(item, ref, after_specifications)
    for action in line.transaction_actions:
        conditions = etree.Element(_q("cac:TransactionConditions"))
        _sub(conditions, "cbc:ActionCode", action)
        _insert(item, conditions, after_specifications[3:])
    for certificate in line.certificates:
        cert = etree.SubElement(item, _q("cac:Certificate"))
        _sub(cert, "cbc:ID", certificate.id)
        _sub(cert, "cbc:CertificateTypeCode", certificate.type_code)
        _sub(cert, "cbc:CertificateType", certificate.type)
        if certificate.remarks:
            _sub(cert, "cbc:Remarks", certificate.remarks)
        if certificate.issuer:
            party = etree.SubElement(etree.SubElement(cert, _q("cac:IssuerParty")), _q("cac:PartyName"))
            _sub(party, "cbc:Name", certificate.issuer)
        for document_id in certificate.document_ids:
            _sub(etree.SubElement(cert, _q("cac:DocumentReference")), "cbc:ID", document_id)
        dimension = item.find("cac:Dimension", _NS)
        if dimension is not None:
            dimension.addprevious(cert)
