"""Peppol BIS Billing 3 (EHF Billing 3.0) Invoice and Credit Note: model, build and parse.

Norway uses Peppol BIS Billing 3 itself as "EHF Billing 3.0", so one CustomizationID serves
both. The model keeps what the webshop needs to match an invoice against its order and goods
receipt: the order reference, the buyer reference, per line the referenced order line, the
quantity and the net price, and the totals and VAT breakdown the rules check. A credit note is
the same model with ``kind=DocumentKind.CREDIT_NOTE``; its quantities and amounts are written
as positive numbers (the document type says they reduce).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final
from uuid import uuid4

from lxml import etree

from ehf._ubl import (
    add,
    attr,
    decimal,
    new_document,
    prune_empty,
    required_date,
    required_text,
    text,
    texts,
)
from ehf.errors import EhfError
from ehf.namespaces import NS as NSMAP
from ehf.sbdh import unwrap, wrap
from ehf.xmlsafe import parse_bytes

INVOICE_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS: Final = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
BILLING_CUSTOMIZATION: Final = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
BILLING_PROFILE: Final = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
TWO: Final = Decimal("0.01")


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class BillingParty:
    """Seller (AccountingSupplierParty) or buyer (AccountingCustomerParty)."""

    name: str  # registration name (BT-27 / BT-44)
    endpoint_id: str | None = None
    endpoint_scheme: str | None = None
    company_id: str | None = None  # legal registration (organisation number)
    vat_id: str | None = None  # e.g. NO999999999MVA
    street: str | None = None
    city: str | None = None
    postal_zone: str | None = None
    country: str = "NO"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    id: str
    quantity: Decimal  # invoiced (or credited) quantity
    unit_code: str
    line_amount: Decimal  # net amount excl. VAT
    price: Decimal  # item net price
    name: str
    vat_category: str = "S"
    vat_percent: Decimal | None = Decimal("25")
    order_line_id: str | None = None  # OrderLineReference/LineID: the order line number
    sellers_item_id: str | None = None
    base_quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    taxable_amount: Decimal
    tax_amount: Decimal
    category: str = "S"
    percent: Decimal | None = Decimal("25")


@dataclass(frozen=True, slots=True)
class Invoice:
    id: str
    issue_date: date
    currency: str
    seller: BillingParty
    buyer: BillingParty
    lines: tuple[InvoiceLine, ...]
    vat_breakdown: tuple[VatBreakdown, ...]
    line_extension_amount: Decimal
    tax_exclusive_amount: Decimal
    tax_inclusive_amount: Decimal
    payable_amount: Decimal
    tax_amount: Decimal
    kind: DocumentKind = DocumentKind.INVOICE
    type_code: str = "380"  # 380 commercial invoice, 381 credit note
    due_date: date | None = None
    buyer_reference: str | None = None
    order_reference: str | None = None
    billing_references: tuple[str, ...] = field(default_factory=tuple)  # invoices a credit note corrects
    note: str | None = None
    customization_id: str = BILLING_CUSTOMIZATION
    profile_id: str = BILLING_PROFILE


def totals_for(lines: tuple[InvoiceLine, ...]) -> tuple[Decimal, tuple[VatBreakdown, ...], Decimal]:
    """Sum of line net amounts, the VAT breakdown per (category, rate) and the total VAT, rounded to
    øre the way BR-CO-10/BR-S-08/BR-S-09 compute them."""
    groups: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in lines:
        key = (line.vat_category, line.vat_percent)
        groups[key] = groups.get(key, Decimal(0)) + line.line_amount
    breakdown = tuple(
        VatBreakdown(taxable.quantize(TWO), (taxable * (percent or Decimal(0)) / 100).quantize(TWO), category, percent)
        for (category, percent), taxable in groups.items())
    net = sum((line.line_amount for line in lines), Decimal(0)).quantize(TWO)
    return net, breakdown, sum((b.tax_amount for b in breakdown), Decimal(0))


def make_invoice(*, id: str, issue_date: date, seller: BillingParty, buyer: BillingParty,
                 lines: tuple[InvoiceLine, ...], currency: str = "NOK",
                 kind: DocumentKind = DocumentKind.INVOICE, **extra: object) -> Invoice:
    """An invoice (or credit note) whose totals and VAT breakdown are computed from its lines."""
    net, breakdown, vat = totals_for(lines)
    return Invoice(id=id, issue_date=issue_date, currency=currency, seller=seller, buyer=buyer, lines=lines,
                   vat_breakdown=breakdown, line_extension_amount=net, tax_exclusive_amount=net,
                   tax_inclusive_amount=net + vat, payable_amount=net + vat, tax_amount=vat, kind=kind,
                   type_code="381" if kind is DocumentKind.CREDIT_NOTE else "380", **extra)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- build


def _amount(parent: etree._Element, tag: str, value: Decimal | None, currency: str) -> None:
    if value is not None:
        add(parent, tag, value, currencyID=currency)


def _party(parent: etree._Element, tag: str, p: BillingParty) -> None:
    party = add(add(parent, tag), "cac:Party")
    add(party, "cbc:EndpointID", p.endpoint_id, schemeID=p.endpoint_scheme)
    add(add(party, "cac:PartyName"), "cbc:Name", p.name)
    address = add(party, "cac:PostalAddress")
    add(address, "cbc:StreetName", p.street)
    add(address, "cbc:CityName", p.city)
    add(address, "cbc:PostalZone", p.postal_zone)
    add(add(address, "cac:Country"), "cbc:IdentificationCode", p.country)
    if p.vat_id:
        scheme = add(party, "cac:PartyTaxScheme")
        add(scheme, "cbc:CompanyID", p.vat_id)
        add(add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    if p.country == "NO" and p.vat_id:  # Norwegian sellers state Foretaksregisteret (EHF, NO-R-002)
        scheme = add(party, "cac:PartyTaxScheme")
        add(scheme, "cbc:CompanyID", "Foretaksregisteret")
        add(add(scheme, "cac:TaxScheme"), "cbc:ID", "TAX")
    legal = add(party, "cac:PartyLegalEntity")
    add(legal, "cbc:RegistrationName", p.name)
    add(legal, "cbc:CompanyID", p.company_id, schemeID="0192" if p.country == "NO" and p.company_id else None)


def _category(parent: etree._Element, tag: str, category: str, percent: Decimal | None) -> None:
    el = add(parent, tag)
    add(el, "cbc:ID", category)
    add(el, "cbc:Percent", percent)
    add(add(el, "cac:TaxScheme"), "cbc:ID", "VAT")


def build_invoice(invoice: Invoice, *, sbdh: bool = False) -> bytes:
    """UTF-8 bytes of the Invoice (or CreditNote, by ``invoice.kind``), in UBL 2.1 element order."""
    credit = invoice.kind is DocumentKind.CREDIT_NOTE
    root_name = "CreditNote" if credit else "Invoice"
    root = new_document(CREDIT_NOTE_NS if credit else INVOICE_NS, root_name,
                        invoice.customization_id, invoice.profile_id)
    cur = invoice.currency
    add(root, "cbc:ID", invoice.id)
    add(root, "cbc:IssueDate", invoice.issue_date)
    if not credit:
        add(root, "cbc:DueDate", invoice.due_date)
    add(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", invoice.type_code)
    add(root, "cbc:Note", invoice.note)
    add(root, "cbc:DocumentCurrencyCode", cur)
    add(root, "cbc:BuyerReference", invoice.buyer_reference)
    if invoice.order_reference:
        add(add(root, "cac:OrderReference"), "cbc:ID", invoice.order_reference)
    for ref in invoice.billing_references:
        add(add(add(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"), "cbc:ID", ref)
    _party(root, "cac:AccountingSupplierParty", invoice.seller)
    _party(root, "cac:AccountingCustomerParty", invoice.buyer)
    if credit and invoice.due_date:  # a CreditNote has no DueDate; BIS puts it in PaymentMeans
        means = add(root, "cac:PaymentMeans")
        add(means, "cbc:PaymentMeansCode", "30")
        add(means, "cbc:PaymentDueDate", invoice.due_date)
    tax_total = add(root, "cac:TaxTotal")
    _amount(tax_total, "cbc:TaxAmount", invoice.tax_amount, cur)
    for b in invoice.vat_breakdown:
        sub = add(tax_total, "cac:TaxSubtotal")
        _amount(sub, "cbc:TaxableAmount", b.taxable_amount, cur)
        _amount(sub, "cbc:TaxAmount", b.tax_amount, cur)
        _category(sub, "cac:TaxCategory", b.category, b.percent)
    totals = add(root, "cac:LegalMonetaryTotal")
    _amount(totals, "cbc:LineExtensionAmount", invoice.line_extension_amount, cur)
    _amount(totals, "cbc:TaxExclusiveAmount", invoice.tax_exclusive_amount, cur)
    _amount(totals, "cbc:TaxInclusiveAmount", invoice.tax_inclusive_amount, cur)
    _amount(totals, "cbc:PayableAmount", invoice.payable_amount, cur)
    for line in invoice.lines:
        el = add(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        add(el, "cbc:ID", line.id)
        add(el, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", line.quantity, unitCode=line.unit_code)
        _amount(el, "cbc:LineExtensionAmount", line.line_amount, cur)
        if line.order_line_id:
            add(add(el, "cac:OrderLineReference"), "cbc:LineID", line.order_line_id)
        item = add(el, "cac:Item")
        add(item, "cbc:Name", line.name)
        if line.sellers_item_id:
            add(add(item, "cac:SellersItemIdentification"), "cbc:ID", line.sellers_item_id)
        _category(item, "cac:ClassifiedTaxCategory", line.vat_category, line.vat_percent)
        price = add(el, "cac:Price")
        _amount(price, "cbc:PriceAmount", line.price, cur)
        if line.base_quantity is not None:
            add(price, "cbc:BaseQuantity", line.base_quantity, unitCode=line.unit_code)
    prune_empty(root)
    if sbdh:
        if not (invoice.seller.endpoint_id and invoice.buyer.endpoint_id):
            raise EhfError("An SBDH needs the endpoint ids of seller and buyer.")
        root = wrap(root, sender=f"{invoice.seller.endpoint_scheme}:{invoice.seller.endpoint_id}",
                    receiver=f"{invoice.buyer.endpoint_scheme}:{invoice.buyer.endpoint_id}",
                    instance_id=str(uuid4()), created_at=datetime.now(UTC))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# ----------------------------------------------------------------------------- parse


def _money(el: etree._Element, path: str) -> Decimal:
    value = decimal(el, path)
    if value is None:
        raise EhfError(f"Missing mandatory element {path}.")
    return value


def _parse_party(root: etree._Element, path: str) -> BillingParty:
    el = root.find(path, NSMAP)
    if el is None:
        raise EhfError(f"Missing mandatory element {path}.")
    vat_ids = [c for c in texts(el, "cac:PartyTaxScheme/cbc:CompanyID") if c != "Foretaksregisteret"]
    return BillingParty(
        name=text(el, "cac:PartyLegalEntity/cbc:RegistrationName") or text(el, "cac:PartyName/cbc:Name") or "",
        endpoint_id=text(el, "cbc:EndpointID"), endpoint_scheme=attr(el, "cbc:EndpointID", "schemeID"),
        company_id=text(el, "cac:PartyLegalEntity/cbc:CompanyID"), vat_id=vat_ids[0] if vat_ids else None,
        street=text(el, "cac:PostalAddress/cbc:StreetName"), city=text(el, "cac:PostalAddress/cbc:CityName"),
        postal_zone=text(el, "cac:PostalAddress/cbc:PostalZone"),
        country=text(el, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") or "")


def _parse_line(el: etree._Element, quantity_tag: str) -> InvoiceLine:
    return InvoiceLine(
        id=required_text(el, "cbc:ID"), quantity=_money(el, quantity_tag),
        unit_code=attr(el, quantity_tag, "unitCode") or "", line_amount=_money(el, "cbc:LineExtensionAmount"),
        price=_money(el, "cac:Price/cbc:PriceAmount"), name=text(el, "cac:Item/cbc:Name") or "",
        vat_category=text(el, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") or "",
        vat_percent=decimal(el, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        order_line_id=text(el, "cac:OrderLineReference/cbc:LineID"),
        sellers_item_id=text(el, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        base_quantity=decimal(el, "cac:Price/cbc:BaseQuantity"))


def is_billing_document(data: bytes) -> bool:
    """Whether ``data`` (bare or in an SBDH) is an Invoice or CreditNote; EhfError on hostile XML."""
    return unwrap(parse_bytes(data)).tag in (f"{{{INVOICE_NS}}}Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote")


def parse_invoice(data: bytes) -> Invoice:
    """Parse an Invoice or a CreditNote (bare or in an SBDH envelope) into the model.

    Raises :class:`EhfError` for hostile or malformed XML, another document type or missing
    mandatory content (amounts, dates, identifiers)."""
    root = unwrap(parse_bytes(data))
    if root.tag == f"{{{INVOICE_NS}}}Invoice":
        kind, line_tag, quantity_tag, type_tag = DocumentKind.INVOICE, "cac:InvoiceLine", "cbc:InvoicedQuantity", \
            "cbc:InvoiceTypeCode"
    elif root.tag == f"{{{CREDIT_NOTE_NS}}}CreditNote":
        kind, line_tag, quantity_tag, type_tag = DocumentKind.CREDIT_NOTE, "cac:CreditNoteLine", \
            "cbc:CreditedQuantity", "cbc:CreditNoteTypeCode"
    else:
        raise EhfError(f"Expected a UBL Invoice or CreditNote document, got <{etree.QName(root).localname}>.")
    breakdown = tuple(
        VatBreakdown(_money(sub, "cbc:TaxableAmount"), _money(sub, "cbc:TaxAmount"),
                     text(sub, "cac:TaxCategory/cbc:ID") or "", decimal(sub, "cac:TaxCategory/cbc:Percent"))
        for sub in root.iterfind("cac:TaxTotal/cac:TaxSubtotal", NSMAP))
    tax = next((decimal(t, "cbc:TaxAmount") for t in root.iterfind("cac:TaxTotal", NSMAP)
                if t.find("cac:TaxSubtotal", NSMAP) is not None), None)
    return Invoice(
        id=required_text(root, "cbc:ID"), issue_date=required_date(root, "cbc:IssueDate"),
        currency=required_text(root, "cbc:DocumentCurrencyCode"),
        seller=_parse_party(root, "cac:AccountingSupplierParty/cac:Party"),
        buyer=_parse_party(root, "cac:AccountingCustomerParty/cac:Party"),
        lines=tuple(_parse_line(el, quantity_tag) for el in root.iterfind(line_tag, NSMAP)),
        vat_breakdown=breakdown,
        line_extension_amount=_money(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
        tax_exclusive_amount=_money(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
        tax_inclusive_amount=_money(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
        payable_amount=_money(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
        tax_amount=tax if tax is not None else Decimal(0), kind=kind,
        type_code=text(root, type_tag) or "", due_date=(
            required_date(root, "cbc:DueDate") if text(root, "cbc:DueDate") else
            required_date(root, "cac:PaymentMeans/cbc:PaymentDueDate")
            if text(root, "cac:PaymentMeans/cbc:PaymentDueDate") else None),
        buyer_reference=text(root, "cbc:BuyerReference"), order_reference=text(root, "cac:OrderReference/cbc:ID"),
        billing_references=texts(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
        note=text(root, "cbc:Note"), customization_id=text(root, "cbc:CustomizationID") or "",
        profile_id=text(root, "cbc:ProfileID") or "")
