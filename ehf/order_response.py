"""Peppol BIS Ordering 3 / EHF Order Response (T76): model, parser and builder.

An order response tells the buyer what the seller does with an order: accepted
as a whole (AP), rejected (RE), acknowledged but not yet decided (AB) or
conditionally accepted with line-level changes (CA). Only a CA response carries
order lines (PEPPOL-T76-R007..R010); each line refers to an order line and says
whether it is accepted (5), changed (3), not accepted (7), added (1) or already
delivered (42).

The helper constructors :meth:`OrderResponse.accepted`, :meth:`OrderResponse.rejected`,
:meth:`OrderResponse.acknowledged` and :meth:`OrderResponse.conditionally_accepted`
together with :meth:`OrderResponseLine.accepted`, :meth:`OrderResponseLine.rejected`
and :meth:`OrderResponseLine.changed` cover what a supplier usually answers
(accept, reject, partial delivery, changed price or date).

Parties are :class:`ehf.parties.PartyRef` and
periods :class:`ehf.parties.Period`; the XML helpers live in :mod:`ehf._ubl`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Final

from lxml import etree

from ehf._ubl import (
    NSMAP,
    add,
    add_id,
    add_party,
    add_period,
    add_tax_category,
    attr,
    decimal,
    document_root,
    identifiers,
    new_document,
    parse_enum,
    period,
    prune_empty,
    required_date,
    required_party,
    required_text,
    serialize,
    text,
    time_value,
    unless_same,
)
from ehf.components import ItemProperty, add_property, properties, read_properties
from ehf.errors import EhfError
from ehf.namespaces import ORDER_RESPONSE
from ehf.parties import PartyRef, Period
from ehf.rules import ehf_tables, peppol_tables
from ehf.rules.structure import restrict_to_data_model

PEPPOL_CUSTOMIZATION: Final = "urn:fdc:peppol.eu:poacc:trns:order_response:3"
PEPPOL_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:ordering:3"
EHF_CUSTOMIZATION: Final = (
    "urn:fdc:peppol.eu:poacc:trns:order_response:3:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"
)
EHF_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0"
EHF_ADVANCED_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:09:1.0"


class ResponseCode(StrEnum):
    """Order response code, the UNCL4343 subset used by T76."""

    ACKNOWLEDGED = "AB"
    ACCEPTED = "AP"
    REJECTED = "RE"
    CONDITIONALLY_ACCEPTED = "CA"


class LineStatus(StrEnum):
    """Line response code, the UNCL1229 subset used by T76."""

    ADDED = "1"
    CHANGED = "3"
    ACCEPTED = "5"
    NOT_ACCEPTED = "7"
    ALREADY_DELIVERED = "42"


@dataclass(frozen=True)
class SubstituteItem:
    """The item the seller delivers instead of the ordered one (SellerSubstitutedLineItem)."""

    line_id: str
    name: str | None = None
    sellers_item_id: str | None = None
    standard_item_id: str | None = None
    standard_item_scheme: str | None = None
    classification_code: str | None = None
    classification_list_id: str | None = None
    tax_category: str | None = None
    tax_percent: Decimal | None = None
    classification_list_version: str | None = None
    tax_category_scheme: str | None = None  # schemeID of the tax category code, e.g. "UNCL5305"
    properties: tuple[ItemProperty, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "properties", properties(self.properties))


@dataclass(frozen=True)
class OrderResponseLine:
    """The seller's answer to one order line.

    ``order_line_id`` is the ``LineItem/ID`` of the order line answered
    (``OrderLineReference/LineID``); ``line_id`` is this line's own id and
    defaults to the same value.
    """

    order_line_id: str
    status: LineStatus
    item_name: str
    line_id: str | None = None
    note: str | None = None
    quantity: Decimal | None = None
    unit_code: str | None = None
    max_backorder_quantity: Decimal | None = None
    promised_delivery: Period | None = None
    price: Decimal | None = None
    price_currency: str | None = None  # None: the document currency
    price_base_quantity: Decimal | None = None
    price_base_unit_code: str | None = None  # None: the line's unit code
    buyers_item_id: str | None = None
    sellers_item_id: str | None = None
    standard_item_id: str | None = None
    standard_item_scheme: str | None = None
    substitute: SubstituteItem | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", parse_enum(LineStatus, self.status, "line status code"))
        if self.line_id is None:
            object.__setattr__(self, "line_id", self.order_line_id)
        if self.quantity is not None and not self.unit_code:
            raise EhfError(f"Line {self.order_line_id}: a quantity needs a unit code.")

    @classmethod
    def accepted(cls, order_line_id: str, item_name: str, **extra: object) -> OrderResponseLine:
        """The line is accepted without amendment (status 5)."""
        return cls(order_line_id, LineStatus.ACCEPTED, item_name, **extra)  # type: ignore[arg-type]

    @classmethod
    def rejected(
        cls, order_line_id: str, item_name: str, reason: str | None = None, **extra: object
    ) -> OrderResponseLine:
        """The line is not accepted (status 7); ``reason`` goes in the line note."""
        return cls(order_line_id, LineStatus.NOT_ACCEPTED, item_name, note=reason, **extra)  # type: ignore[arg-type]

    @classmethod
    def changed(
        cls,
        order_line_id: str,
        item_name: str,
        *,
        quantity: Decimal | None = None,
        unit_code: str | None = None,
        price: Decimal | None = None,
        promised_delivery: Period | None = None,
        note: str | None = None,
        **extra: object,
    ) -> OrderResponseLine:
        """The line is accepted with changes (status 3): a new quantity (partial
        delivery), a new price, a new delivery period or a substitute item."""
        return cls(
            order_line_id,
            LineStatus.CHANGED,
            item_name,
            quantity=quantity,
            unit_code=unit_code,
            price=price,
            promised_delivery=promised_delivery,
            note=note,
            **extra,  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class OrderResponse:
    id: str
    issue_date: date
    order_id: str
    code: ResponseCode
    seller: PartyRef
    buyer: PartyRef
    currency: str = "NOK"
    note: str | None = None
    sales_order_id: str | None = None
    issue_time: time | None = None
    customer_reference: str | None = None
    promised_delivery: Period | None = None
    lines: tuple[OrderResponseLine, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", parse_enum(ResponseCode, self.code, "order response code"))
        object.__setattr__(self, "lines", tuple(self.lines))

    @classmethod
    def accepted(cls, order_id: str, **kwargs: object) -> OrderResponse:
        """The whole order is accepted as sent (AP, no lines)."""
        return cls(order_id=order_id, code=ResponseCode.ACCEPTED, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def rejected(cls, order_id: str, reason: str | None = None, **kwargs: object) -> OrderResponse:
        """The whole order is rejected (RE, no lines); ``reason`` goes in the note."""
        return cls(order_id=order_id, code=ResponseCode.REJECTED, note=reason, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def acknowledged(cls, order_id: str, **kwargs: object) -> OrderResponse:
        """The order is received; a decision follows later (AB, no lines)."""
        return cls(order_id=order_id, code=ResponseCode.ACKNOWLEDGED, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def conditionally_accepted(
        cls, order_id: str, lines: Sequence[OrderResponseLine], **kwargs: object
    ) -> OrderResponse:
        """Accepted with changes (CA): partial quantities, rejected lines, new
        prices or dates. At least one line is required (PEPPOL-T76-R007)."""
        if not lines:
            raise EhfError("A conditionally accepted order response needs at least one line.")
        return cls(
            order_id=order_id,
            code=ResponseCode.CONDITIONALLY_ACCEPTED,
            lines=tuple(lines),
            **kwargs,  # type: ignore[arg-type]
        )


# --------------------------------------------------------------------------- parse


def parse_order_response(data: bytes) -> OrderResponse:
    """Parse an order response (bare or in a Peppol SBDH envelope) into the model.

    Raises :class:`EhfError` for malformed XML, another document type or missing
    mandatory content (ID, IssueDate, OrderResponseCode, OrderReference/ID,
    seller and buyer party, line id, line status and item name)."""
    root = document_root(data, ORDER_RESPONSE, "OrderResponse")
    currency = text(root, "cbc:DocumentCurrencyCode") or "NOK"
    lines = tuple(_parse_line(el, currency) for el in root.iterfind("cac:OrderLine", NSMAP))
    return OrderResponse(
        id=required_text(root, "cbc:ID"),
        issue_date=required_date(root, "cbc:IssueDate"),
        order_id=required_text(root, "cac:OrderReference/cbc:ID"),
        code=parse_enum(ResponseCode, required_text(root, "cbc:OrderResponseCode"), "order response code"),
        seller=required_party(root, "cac:SellerSupplierParty/cac:Party"),
        buyer=required_party(root, "cac:BuyerCustomerParty/cac:Party"),
        currency=currency,
        note=text(root, "cbc:Note"),
        sales_order_id=text(root, "cbc:SalesOrderID"),
        issue_time=time_value(root, "cbc:IssueTime"),
        customer_reference=text(root, "cbc:CustomerReference"),
        promised_delivery=period(root.find("cac:Delivery/cac:PromisedDeliveryPeriod", NSMAP)),
        lines=lines,
    )


def _parse_line(el: etree._Element, currency: str) -> OrderResponseLine:
    item = "cac:LineItem/cac:Item"
    price = "cac:LineItem/cac:Price"
    unit_code = attr(el, "cac:LineItem/cbc:Quantity", "unitCode")
    order_line_id = text(el, "cac:OrderLineReference/cbc:LineID") or required_text(el, "cac:LineItem/cbc:ID")
    return OrderResponseLine(
        order_line_id=order_line_id,
        status=parse_enum(LineStatus, required_text(el, "cac:LineItem/cbc:LineStatusCode"), "line status code"),
        item_name=required_text(el, f"{item}/cbc:Name"),
        line_id=required_text(el, "cac:LineItem/cbc:ID"),
        note=text(el, "cac:LineItem/cbc:Note"),
        quantity=decimal(el, "cac:LineItem/cbc:Quantity"),
        unit_code=unit_code,
        max_backorder_quantity=decimal(el, "cac:LineItem/cbc:MaximumBackorderQuantity"),
        promised_delivery=period(el.find("cac:LineItem/cac:Delivery/cac:PromisedDeliveryPeriod", NSMAP)),
        price=decimal(el, f"{price}/cbc:PriceAmount"),
        price_currency=unless_same(attr(el, f"{price}/cbc:PriceAmount", "currencyID"), currency),
        price_base_quantity=decimal(el, f"{price}/cbc:BaseQuantity"),
        price_base_unit_code=unless_same(attr(el, f"{price}/cbc:BaseQuantity", "unitCode"), unit_code),
        buyers_item_id=text(el, f"{item}/cac:BuyersItemIdentification/cbc:ID"),
        sellers_item_id=text(el, f"{item}/cac:SellersItemIdentification/cbc:ID"),
        standard_item_id=text(el, f"{item}/cac:StandardItemIdentification/cbc:ID"),
        standard_item_scheme=attr(el, f"{item}/cac:StandardItemIdentification/cbc:ID", "schemeID"),
        substitute=_parse_substitute(el.find("cac:SellerSubstitutedLineItem", NSMAP)),
    )


def _parse_substitute(el: etree._Element | None) -> SubstituteItem | None:
    if el is None:
        return None
    return SubstituteItem(
        line_id=required_text(el, "cbc:ID"),
        name=text(el, "cac:Item/cbc:Name"),
        sellers_item_id=text(el, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        standard_item_id=text(el, "cac:Item/cac:StandardItemIdentification/cbc:ID"),
        standard_item_scheme=attr(el, "cac:Item/cac:StandardItemIdentification/cbc:ID", "schemeID"),
        classification_code=text(el, "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode"),
        classification_list_id=attr(
            el, "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", "listID"
        ),
        tax_category=text(el, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
        tax_percent=decimal(el, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        classification_list_version=attr(
            el, "cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", "listVersionID"
        ),
        tax_category_scheme=attr(el, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "schemeID"),
        properties=read_properties(el.find("cac:Item", NSMAP)),
    )


# --------------------------------------------------------------------------- build


def build_order_response(resp: OrderResponse, *, profile: str = "peppol", sbdh: bool = False) -> bytes:
    """Serialise ``resp`` as UBL 2.1 OrderResponse XML (UTF-8, with declaration).

    ``profile`` selects the Peppol BIS ("peppol"), Norwegian EHF Ordering ("ehf") or EHF
    Advanced Ordering ("ehf-advanced") CustomizationID/ProfileID. Elements follow the UBL 2.1 schema order; empty
    values are left out, and no UBLVersionID is written. With ``sbdh=True`` the
    document is wrapped in a Peppol SBDH from the seller to the buyer endpoint."""
    advanced = profile == "ehf-advanced"
    customization, profile_id = identifiers(
        "ehf" if advanced else profile, (PEPPOL_CUSTOMIZATION, PEPPOL_PROFILE),
        (EHF_CUSTOMIZATION, EHF_ADVANCED_PROFILE if advanced else EHF_PROFILE)
    )
    root = new_document(ORDER_RESPONSE, "OrderResponse", customization, profile_id)
    add(root, "cbc:ID", resp.id)
    add(root, "cbc:SalesOrderID", resp.sales_order_id)
    add(root, "cbc:IssueDate", resp.issue_date)
    add(root, "cbc:IssueTime", resp.issue_time)
    add(root, "cbc:OrderResponseCode", resp.code.value)
    add(root, "cbc:Note", resp.note)
    add(root, "cbc:DocumentCurrencyCode", resp.currency)
    add(root, "cbc:CustomerReference", resp.customer_reference)
    add(add(root, "cac:OrderReference"), "cbc:ID", resp.order_id)
    add_party(add(root, "cac:SellerSupplierParty"), resp.seller, legal_name=True)
    add_party(add(root, "cac:BuyerCustomerParty"), resp.buyer, legal_name=True)
    if resp.promised_delivery is not None:
        add_period(add(root, "cac:Delivery"), "cac:PromisedDeliveryPeriod", resp.promised_delivery)
    for line in resp.lines:
        _build_line(add(root, "cac:OrderLine"), line, resp.currency)
    prune_empty(root)
    # only what the profile's data model has (e.g. no delivery times on the lines in EHF)
    table = ehf_tables.P09_RESPONSE if advanced else ehf_tables.T76 if profile == "ehf" else peppol_tables.T76
    restrict_to_data_model(root, table.nodes)
    return serialize(root, sbdh=sbdh, sender=resp.seller, receiver=resp.buyer)


def _build_line(parent: etree._Element, line: OrderResponseLine, currency: str) -> None:
    li = add(parent, "cac:LineItem")
    add(li, "cbc:ID", line.line_id)
    add(li, "cbc:Note", line.note)
    add(li, "cbc:LineStatusCode", line.status.value)
    add(li, "cbc:Quantity", line.quantity, unitCode=line.unit_code)
    add(li, "cbc:MaximumBackorderQuantity", line.max_backorder_quantity, unitCode=line.unit_code)
    if line.promised_delivery is not None:
        add_period(add(li, "cac:Delivery"), "cac:PromisedDeliveryPeriod", line.promised_delivery)
    if line.price is not None:
        price = add(li, "cac:Price")
        add(price, "cbc:PriceAmount", line.price, currencyID=line.price_currency or currency)
        add(
            price,
            "cbc:BaseQuantity",
            line.price_base_quantity,
            unitCode=line.price_base_unit_code or line.unit_code,
        )
    item = add(li, "cac:Item")
    add(item, "cbc:Name", line.item_name)
    add_id(item, "cac:BuyersItemIdentification", line.buyers_item_id)
    add_id(item, "cac:SellersItemIdentification", line.sellers_item_id)
    add_id(item, "cac:StandardItemIdentification", line.standard_item_id, line.standard_item_scheme)
    if line.substitute is not None:
        sub = line.substitute
        sli = add(parent, "cac:SellerSubstitutedLineItem")
        add(sli, "cbc:ID", sub.line_id)
        sitem = add(sli, "cac:Item")
        add(sitem, "cbc:Name", sub.name)
        add_id(sitem, "cac:SellersItemIdentification", sub.sellers_item_id)
        add_id(sitem, "cac:StandardItemIdentification", sub.standard_item_id, sub.standard_item_scheme)
        if sub.classification_code:
            cc = add(sitem, "cac:CommodityClassification")
            add(cc, "cbc:ItemClassificationCode", sub.classification_code, listID=sub.classification_list_id,
                listVersionID=sub.classification_list_version)
        if sub.tax_category:
            add_tax_category(sitem, "cac:ClassifiedTaxCategory", sub.tax_category, sub.tax_percent,
                             sub.tax_category_scheme)
        for prop in sub.properties:
            add_property(sitem, prop)
    add(add(parent, "cac:OrderLineReference"), "cbc:LineID", line.order_line_id)
