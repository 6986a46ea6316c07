"""Map a webshop Order to the ehf library's Order, and build a checked EHF message.

The ehf library is the single place that knows the XML: this module only
translates names, so an order that the library would reject never leaves us.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ehf import model, validate
from ehf.findings import Finding, has_fatal
from ehf.order import build_order
from webshop.dbtypes import utcnow
from webshop.orders.models import Order, OrderLine

OSLO = ZoneInfo("Europe/Oslo")
VALIDITY = timedelta(days=30)


class EhfBuildError(Exception):
    """The order would make an invalid EHF message; nothing was sent."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(str(f) for f in findings if f.flag == "fatal")[:2000])
        self.findings = findings


def _plain(quantity: Decimal) -> Decimal:
    """2.000 → 2 and 2.500 → 2.5, never 1E+1."""
    if quantity == quantity.to_integral_value():
        return quantity.quantize(Decimal(1))
    return quantity.normalize()


def _tax(rate: Decimal) -> model.TaxCategory:
    return model.TaxCategory(code="S", percent=rate) if rate > 0 else model.TaxCategory(code="Z", percent=Decimal(0))


def _line(line: OrderLine) -> model.OrderLine:
    return model.OrderLine(
        id=str(line.line_no),
        quantity=_plain(line.quantity),
        unit_code=line.unit_code,
        name=line.name,
        price=line.unit_price,
        line_amount=line.line_total,  # the order's own rounded total (orders.money.line_total), stated as is
        seller_item_id=None if line.is_free_text else line.supplier_item_id,
        manufacturer_item_id=line.manufacturer_item_id,
        standard_item_id=line.gtin,
        standard_item_scheme=model.GTIN if line.gtin else None,
        classifications=(model.Classification(line.unspsc),) if line.unspsc else (),
        tax=_tax(line.vat_rate),
        note="Fritekstlinje: pris er bestillerens anslag" if line.is_free_text else None,
    )


def to_ehf(order: Order) -> model.Order:
    org, unit, supplier = order.organisation, order.unit, order.supplier
    issue_date = utcnow().astimezone(OSLO).date()
    buyer = model.Party(
        legal_name=org.name,
        endpoint_id=org.orgnr,
        endpoint_scheme="0192",
        name=org.name,
        company_id=org.orgnr,
        company_id_scheme="0192",
        contact=model.Contact(name=order.orderer.name, email=order.orderer.email),
    )
    seller = model.Party(
        legal_name=supplier.name,
        endpoint_id=supplier.endpoint_id,
        endpoint_scheme=supplier.endpoint_scheme,
        name=supplier.name,
        address=model.Address(country="NO", street=supplier.street, city=supplier.city,
                              postal_zone=supplier.postcode),
        company_id=supplier.orgnr,
        company_id_scheme="0192",
    )
    delivery = model.Delivery(
        address=model.Address(country="NO", street=unit.street, city=unit.city, postal_zone=unit.postcode),
        party_name=unit.name,
        contact=model.Contact(name=order.orderer.name, email=order.orderer.email),
    )
    return model.Order(
        id=order.number,
        issue_date=issue_date,
        buyer=buyer,
        seller=seller,
        lines=tuple(_line(line) for line in order.lines),
        currency=order.currency,
        profile=supplier.profile,
        note=order.note,
        buyer_reference=order.buyer_reference,
        accounting_cost=unit.cost_centre,
        validity_end=issue_date + VALIDITY,
        contract_id=order.agreement.reference if order.agreement else None,
        delivery=delivery,
    )


def build_checked(order: Order) -> bytes:
    """The EHF order XML, XSD-valid and free of fatal Peppol rule findings, or EhfBuildError."""
    xml = build_order(to_ehf(order))
    findings = validate(xml)
    if has_fatal(findings):
        raise EhfBuildError(findings)
    return xml
