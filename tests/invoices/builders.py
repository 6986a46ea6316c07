"""Invoices for the test order, built as real EHF Billing 3 XML from Kontor AS to Lia kommune."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from ehf.invoice import BillingParty, DocumentKind, InvoiceLine, build_invoice, make_invoice

SELLER = BillingParty(name="Kontor AS", endpoint_id="918273646", endpoint_scheme="0192", company_id="918273646",
                      vat_id="NO918273646MVA", street="Gata 1", city="Oslo", postal_zone="0150")
BUYER = BillingParty(name="Lia kommune", endpoint_id="938472610", endpoint_scheme="0192", company_id="938472610")


def invoice_xml(order_id: int | None, lines: list[tuple[str | None, str, str]], *, number: str = "F-1",
                credit: bool = False, seller: BillingParty = SELLER, buyer_reference: str | None = "Ola") -> bytes:
    """Lines: (order line number, quantity, unit price)."""
    built = tuple(InvoiceLine(id=str(i), quantity=Decimal(q), unit_code="EA",
                              line_amount=(Decimal(q) * Decimal(p)).quantize(Decimal("0.01")), price=Decimal(p),
                              name="Vare", order_line_id=ref) for i, (ref, q, p) in enumerate(lines, 1))
    return build_invoice(make_invoice(
        id=number, issue_date=date(2026, 12, 1), seller=seller, buyer=BUYER, lines=built,
        kind=DocumentKind.CREDIT_NOTE if credit else DocumentKind.INVOICE, due_date=date(2026, 12, 31),
        order_reference=f"IK-{order_id}" if order_id is not None else None, buyer_reference=buyer_reference))


