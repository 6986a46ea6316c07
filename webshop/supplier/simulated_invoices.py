"""The supplier simulator's invoices (issue 17): real Peppol BIS Billing 3 / EHF Billing 3.0
invoices for the EHF order the simulated supplier received, so trainers can practise matching.

Variants: ``exact`` (one invoice for what was ordered), ``partial`` (two invoices that together
bill the order), ``over`` (one unit too many on the first line), ``wrong_price`` (the first line
one krone over the agreed price) and ``no_order`` (no order number, only the buyer reference).
Plain Python over ``ehf`` models: the caller schedules the documents.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from ehf import model
from ehf.despatch_advice import parse_despatch_advice
from ehf.invoice import BillingParty, InvoiceLine, build_invoice, make_invoice
from webshop.supplier.simulator import Scheduled

HUNDREDTH: Final = Decimal("0.01")


class InvoiceBehaviour(StrEnum):
    OFF = "off"
    EXACT = "exact"
    PARTIAL = "partial"
    OVER = "over"
    WRONG_PRICE = "wrong_price"
    NO_ORDER = "no_order"


def _party(party: model.Party) -> BillingParty:
    company = party.company_id or party.party_id
    vat = party.vat_id or (f"NO{company}MVA" if company and company.isdigit() and len(company) == 9 else None)
    address = party.address
    return BillingParty(name=party.legal_name or party.name or "", endpoint_id=party.endpoint_id,
                        endpoint_scheme=party.endpoint_scheme, company_id=company, vat_id=vat,
                        street=address.street if address else None, city=address.city if address else None,
                        postal_zone=address.postal_zone if address else None,
                        country=(address.country if address else None) or "NO")


def _line(no: int, line: model.OrderLine, quantity: Decimal, *, price_add: Decimal = Decimal(0)) -> InvoiceLine:
    base = line.price_base_quantity or Decimal(1)
    price = (line.price or Decimal(0)) + price_add
    tax = line.tax
    return InvoiceLine(
        id=str(no), quantity=quantity, unit_code=line.unit_code,
        line_amount=(quantity * price / base).quantize(HUNDREDTH, rounding=ROUND_HALF_UP), price=price,
        name=line.name, vat_category=tax.code if tax else "S",
        vat_percent=tax.percent if tax else Decimal(25),
        order_line_id=line.id, sellers_item_id=line.seller_item_id,
        base_quantity=line.price_base_quantity)


def _half(quantity: Decimal) -> Decimal:
    return (quantity / 2).quantize(Decimal(1), rounding=ROUND_DOWN)


def invoices_for(order: model.Order, behaviour: InvoiceBehaviour, today: date,
                 quantities: dict[str, Decimal] | None = None) -> list[tuple[int, bytes]]:
    """(part, XML) per invoice: part 0 is sent with the first delivery, part 1 after the last.
    ``quantities``: what will be delivered per order line id (default: what was ordered)."""
    if behaviour is InvoiceBehaviour.OFF:
        return []
    billed = [(line, (quantities or {}).get(line.id, line.quantity)) for line in order.lines]
    billed = [(line, q) for line, q in billed if q > 0]
    if not billed:
        return []
    seller, buyer = _party(order.seller), _party(order.buyer)

    def build(number: str, lines: list[InvoiceLine], *, with_order: bool = True) -> bytes:
        invoice = make_invoice(id=number, lines=tuple(lines), order_reference=order.id if with_order else None,
                               buyer_reference=buyer_reference, seller=seller, buyer=buyer,
                               currency=order.currency, issue_date=today, due_date=today + timedelta(days=30))
        return build_invoice(invoice)

    contact = order.buyer.contact.name if order.buyer.contact else None
    buyer_reference = order.buyer_reference or contact or "Ukjent"
    number = f"F-{order.id}"
    if behaviour is InvoiceBehaviour.PARTIAL:
        first = [(line, _half(q)) for line, q in billed if _half(q) > 0]
        rest = [(line, q - _half(q)) for line, q in billed if q - _half(q) > 0]
        out = []
        if first:
            out.append((0, build(f"{number}-1", [_line(i, ln, q) for i, (ln, q) in enumerate(first, 1)])))
        out.append((1, build(f"{number}-2", [_line(i, ln, q) for i, (ln, q) in enumerate(rest, 1)])))
        return out
    lines = [_line(i, ln, q) for i, (ln, q) in enumerate(billed, 1)]
    if behaviour is InvoiceBehaviour.OVER:
        line, quantity = billed[0]
        lines[0] = _line(1, line, quantity + 1)
    elif behaviour is InvoiceBehaviour.WRONG_PRICE:
        line, quantity = billed[0]
        lines[0] = _line(1, line, quantity, price_add=Decimal(1))
    return [(1, build(number, lines, with_order=behaviour is not InvoiceBehaviour.NO_ORDER))]


def scheduled_invoices(order: model.Order, behaviour: str, answers: list[Scheduled], now: datetime
                       ) -> list[Scheduled]:
    """The invoices to send after the simulator's other ``answers``: billing what the despatch advices
    deliver, the first part a minute after the first delivery, the rest a minute after the last."""
    wanted = InvoiceBehaviour(behaviour) if behaviour in {b.value for b in InvoiceBehaviour} else InvoiceBehaviour.OFF
    despatches = [a for a in answers if a.kind == "despatch_advice"]
    if wanted is InvoiceBehaviour.OFF or not despatches:
        return []
    delivered: dict[str, Decimal] = {}
    for answer in despatches:
        for line in parse_despatch_advice(answer.xml).lines:
            delivered[line.order_line_id] = delivered.get(line.order_line_id, Decimal(0)) + line.delivered_quantity
    first, last = min(a.delay for a in despatches), max(a.delay for a in despatches)
    return [Scheduled((first if part == 0 else last) + timedelta(minutes=1), "invoice", xml)
            for part, xml in invoices_for(order, wanted, (now + last).date(), delivered)]
