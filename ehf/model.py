"""The Order domain as frozen dataclasses: what the webshop fills in and what
:func:`ehf.order.parse_order` returns. Money and quantities are ``Decimal``; dates are
``datetime.date``.

Derived amounts are optional: a ``None`` line amount, tax amount or monetary total
means "compute it" (see :meth:`OrderLine.amount` and :meth:`Order.totals`). The parser
stores a stated amount only when it differs from the computed one, so that
``parse_order(build_order(o)) == o``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ehf.components import ItemProperty, properties
from ehf.profiles import Profile

CENT = Decimal("0.01")
ZERO = Decimal(0)
VAT = "VAT"
UNSPSC = "STI"  # UNCL7143 code for UNSPSC
GTIN = "0160"  # ISO 6523 ICD for GTIN


def round2(value: Decimal) -> Decimal:
    """Round an amount to cents, half up (the Peppol rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Address:
    country: str  # ISO 3166-1 alpha-2
    street: str | None = None
    additional_street: str | None = None
    city: str | None = None
    postal_zone: str | None = None
    country_subentity: str | None = None
    address_line: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str | None = None
    telephone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A party. Buyer and seller need ``endpoint_id``/``endpoint_scheme`` and
    ``legal_name``; the seller also needs ``address`` (country)."""

    legal_name: str | None = None  # PartyLegalEntity/RegistrationName
    endpoint_id: str | None = None
    endpoint_scheme: str | None = None  # EAS, e.g. "0192"
    party_id: str | None = None  # PartyIdentification/ID
    party_id_scheme: str | None = None  # ICD, e.g. "0088"
    name: str | None = None  # PartyName/Name (trading name)
    address: Address | None = None
    vat_id: str | None = None  # PartyTaxScheme/CompanyID, e.g. "NO987654325MVA"
    company_id: str | None = None  # PartyLegalEntity/CompanyID (org number)
    company_id_scheme: str | None = None
    contact: Contact | None = None
    registration_address: Address | None = None  # PartyLegalEntity/RegistrationAddress (city, country)


@dataclass(frozen=True, slots=True)
class TaxCategory:
    code: str  # UNCL5305: S, Z, E, AE, K, G, O, ...
    percent: Decimal | None = None
    scheme: str = VAT
    code_list: str | None = None  # schemeID of the category code, e.g. "UNCL5305"


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    charge: bool  # True = charge, False = allowance
    amount: Decimal
    reason: str | None = None
    reason_code: str | None = None  # UNCL5189 (allowance) / UNCL7161 (charge)
    percent: Decimal | None = None  # MultiplierFactorNumeric
    base_amount: Decimal | None = None
    tax: TaxCategory | None = None  # document level only


@dataclass(frozen=True, slots=True)
class Classification:
    code: str
    list_id: str = UNSPSC  # UNCL7143
    list_version: str | None = None
    name: str | None = None  # the code's name attribute (Despatch Advice data model)


@dataclass(frozen=True, slots=True)
class OrderLine:
    id: str
    quantity: Decimal
    unit_code: str  # UN/ECE rec 20 (incl. rec 21 "X" codes), e.g. "EA"
    name: str
    price: Decimal | None = None  # net unit price
    price_base_quantity: Decimal | None = None
    line_amount: Decimal | None = None  # stated LineExtensionAmount; None = computed
    description: str | None = None
    note: str | None = None
    accounting_cost: str | None = None
    buyer_item_id: str | None = None
    seller_item_id: str | None = None  # None = free-text line
    manufacturer_item_id: str | None = None
    standard_item_id: str | None = None
    standard_item_scheme: str | None = None  # "0160" = GTIN
    classifications: tuple[Classification, ...] = ()
    tax: TaxCategory | None = None
    properties: tuple[ItemProperty, ...] = ()  # AdditionalItemProperty; (name, value) pairs accepted
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    price_discount: Decimal | None = None  # Price/AllowanceCharge/Amount: gross price - net price
    gross_price: Decimal | None = None  # Price/AllowanceCharge/BaseAmount
    partial_delivery: bool | None = None  # PartialDeliveryIndicator
    delivery_start: dt.date | None = None  # Delivery/RequestedDeliveryPeriod/StartDate
    delivery_end: dt.date | None = None  # Delivery/RequestedDeliveryPeriod/EndDate
    originator_id: str | None = None  # OriginatorParty/PartyIdentification/ID (who asked for the line)
    originator_id_scheme: str | None = None
    originator_name: str | None = None  # OriginatorParty/PartyName/Name
    specification_refs: tuple[str, ...] = ()  # Item/ItemSpecificationDocumentReference/ID
    serial_id: str | None = None  # Item/ItemInstance/SerialID
    lot_number: str | None = None  # Item/ItemInstance/LotIdentification/LotNumberID
    delivery_start_time: dt.time | None = None  # Delivery/RequestedDeliveryPeriod/StartTime
    delivery_end_time: dt.time | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "properties", properties(self.properties))

    @property
    def is_free_text(self) -> bool:
        return self.seller_item_id is None

    def computed_amount(self) -> Decimal | None:
        """Quantity * (price / base quantity) + charges - allowances, in cents."""
        if self.price is None:
            return None
        base = self.price_base_quantity or Decimal(1)
        extra = sum((ac.amount if ac.charge else -ac.amount for ac in self.allowances_charges), ZERO)
        return round2(self.quantity * self.price / base + extra)

    def amount(self) -> Decimal | None:
        """The line's net amount: the stated one, else the computed one."""
        return self.line_amount if self.line_amount is not None else self.computed_amount()


@dataclass(frozen=True, slots=True)
class Delivery:
    address: Address | None = None
    location_id: str | None = None
    location_scheme: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    party_name: str | None = None  # DeliveryParty/PartyName (recipient)
    contact: Contact | None = None  # DeliveryParty/Contact
    party_id: str | None = None  # DeliveryParty/PartyIdentification/ID
    party_id_scheme: str | None = None
    location_name: str | None = None  # DeliveryLocation/Name
    party_address: Address | None = None  # DeliveryParty/PostalAddress
    period_start_time: dt.time | None = None  # RequestedDeliveryPeriod/StartTime
    period_end_time: dt.time | None = None
    despatch_date: dt.date | None = None  # Despatch/RequestedDespatchDate
    despatch_time: dt.time | None = None  # Despatch/RequestedDespatchTime
    shipment_id: str | None = None  # Shipment/ID
    shipping_priority: str | None = None  # Shipment/ShippingPriorityLevelCode


@dataclass(frozen=True, slots=True)
class MonetaryTotal:
    line_extension: Decimal
    payable: Decimal
    tax_exclusive: Decimal | None = None
    tax_inclusive: Decimal | None = None
    allowance_total: Decimal | None = None
    charge_total: Decimal | None = None
    prepaid: Decimal | None = None
    rounding: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """An AdditionalDocumentReference: a document the order refers to or carries."""

    id: str
    document_type: str | None = None
    uri: str | None = None  # Attachment/ExternalReference/URI
    embedded: str | None = None  # Attachment/EmbeddedDocumentBinaryObject (base64 text, kept as is)
    mime_code: str | None = None  # of the embedded document
    filename: str | None = None  # of the embedded document


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    issue_date: dt.date
    buyer: Party
    seller: Party
    lines: tuple[OrderLine, ...]
    currency: str = "NOK"
    profile: Profile = Profile.BIS_ORDER_ONLY
    issue_time: dt.time | None = None
    order_type_code: str | None = None  # UNCL1001 subset; None = 220 (order)
    note: str | None = None
    buyer_reference: str | None = None  # CustomerReference
    accounting_cost: str | None = None  # cost centre
    sales_order_id: str | None = None
    validity_end: dt.date | None = None
    quotation_ref: str | None = None
    catalogue_ref: str | None = None
    contract_id: str | None = None  # framework agreement: cac:Contract/cbc:ID
    project_ref: str | None = None
    invoicee: Party | None = None  # AccountingCustomerParty
    originator: Party | None = None  # OriginatorCustomerParty (name/party id/contact)
    delivery: Delivery | None = None
    payment_terms: str | None = None
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    tax_amount: Decimal | None = None  # stated TaxTotal/TaxAmount; None = computed
    stated_totals: MonetaryTotal | None = None  # None = computed
    order_document_ref: str | None = None  # OrderDocumentReference/ID (an earlier order)
    originator_document_ref: str | None = None  # OriginatorDocumentReference/ID (the orderer's request)
    delivery_terms_id: str | None = None  # DeliveryTerms/ID (Incoterms)
    delivery_terms_text: str | None = None  # DeliveryTerms/SpecialTerms
    delivery_terms_location: str | None = None  # DeliveryTerms/DeliveryLocation/ID
    additional_documents: tuple[DocumentReference, ...] = ()

    # --- computed amounts ---------------------------------------------------------------------

    def line_total(self) -> Decimal:
        return sum((a for line in self.lines if (a := line.amount()) is not None), ZERO)

    def allowance_total(self) -> Decimal:
        return sum((ac.amount for ac in self.allowances_charges if not ac.charge), ZERO)

    def charge_total(self) -> Decimal:
        return sum((ac.amount for ac in self.allowances_charges if ac.charge), ZERO)

    def tax_exclusive(self) -> Decimal:
        return self.line_total() - self.allowance_total() + self.charge_total()

    def has_tax(self) -> bool:
        return self.tax_amount is not None or any(line.tax is not None for line in self.lines)

    def computed_tax(self) -> Decimal | None:
        """Tax per (category, rate) on line amounts and document allowances/charges;
        None when no line carries a tax category."""
        if not any(line.tax is not None for line in self.lines):
            return None
        bases: dict[tuple[str, Decimal], Decimal] = {}
        for line in self.lines:
            amount = line.amount()
            if line.tax is not None and line.tax.percent is not None and amount is not None:
                key = (line.tax.code, line.tax.percent)
                bases[key] = bases.get(key, ZERO) + amount
        for ac in self.allowances_charges:
            if ac.tax is not None and ac.tax.percent is not None:
                key = (ac.tax.code, ac.tax.percent)
                bases[key] = bases.get(key, ZERO) + (ac.amount if ac.charge else -ac.amount)
        return sum((round2(base * rate / 100) for (_, rate), base in bases.items()), ZERO)

    def tax(self) -> Decimal | None:
        return self.tax_amount if self.tax_amount is not None else self.computed_tax()

    def computed_totals(self) -> MonetaryTotal:
        tax_exclusive = self.tax_exclusive()
        tax = self.tax()
        tax_inclusive = tax_exclusive + tax if tax is not None else None
        has_allowance = any(not ac.charge for ac in self.allowances_charges)
        has_charge = any(ac.charge for ac in self.allowances_charges)
        return MonetaryTotal(
            line_extension=self.line_total(),
            payable=tax_inclusive if tax_inclusive is not None else tax_exclusive,
            tax_exclusive=tax_exclusive,
            tax_inclusive=tax_inclusive,
            allowance_total=self.allowance_total() if has_allowance else None,
            charge_total=self.charge_total() if has_charge else None,
        )

    def totals(self) -> MonetaryTotal:
        """The document totals: the stated ones, else the computed ones."""
        return self.stated_totals if self.stated_totals is not None else self.computed_totals()
