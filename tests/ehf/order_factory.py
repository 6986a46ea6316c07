"""A small, valid webshop order used by the Order tests and the benchmark."""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from ehf.model import (
    Address,
    AllowanceCharge,
    Classification,
    Contact,
    Delivery,
    Order,
    OrderLine,
    Party,
    TaxCategory,
)
from ehf.profiles import Profile

BUYER = Party(
    legal_name="Eksempel kommune",
    endpoint_id="987654325",
    endpoint_scheme="0192",
    name="Eksempel kommune, innkjøp",
    address=Address("NO", street="Rådhusgata 1", city="Oslo", postal_zone="0150"),
    vat_id="NO987654325MVA",
    company_id="987654325",
    company_id_scheme="0192",
    contact=Contact("Kari Nordmann", "22000000", "kari@example.no"),
)
SELLER = Party(
    legal_name="Leverandør AS",
    endpoint_id="123456785",
    endpoint_scheme="0192",
    address=Address("NO", city="Bergen"),
)
VAT25 = TaxCategory("S", Decimal("25"))


def make_line(n: int = 1, **overrides: Any) -> OrderLine:
    line = OrderLine(
        id=str(n),
        quantity=Decimal(n + 1),
        unit_code="EA",
        name=f"Kopipapir A4 nr {n}",
        price=Decimal("49.90"),
        seller_item_id=f"SKU-{n}",
        standard_item_id="7311518011215",
        standard_item_scheme="0160",
        classifications=(Classification("14111507"),),
        tax=VAT25,
    )
    return dataclasses.replace(line, **overrides)


def make_order(lines: int = 2, **overrides: Any) -> Order:
    order = Order(
        id="PO-1",
        issue_date=dt.date(2026, 11, 27),
        issue_time=dt.time(10, 15, 0),
        buyer=BUYER,
        seller=SELLER,
        lines=tuple(make_line(i) for i in range(1, lines + 1)),
        profile=Profile.BIS_ORDERING,
        note="Levering til varemottak",
        buyer_reference="Ola Hansen",
        accounting_cost="4010-IT",
        validity_end=dt.date(2026, 12, 11),
        contract_id="RA-2025-17",
        delivery=Delivery(
            address=Address("NO", street="Lagerveien 2", city="Oslo", postal_zone="0580"),
            period_start=dt.date(2026, 12, 1),
            period_end=dt.date(2026, 12, 3),
        ),
        allowances_charges=(AllowanceCharge(True, Decimal("150.00"), reason="Frakt", reason_code="FC", tax=VAT25),),
    )
    return dataclasses.replace(order, **overrides)
