"""Invoices through the inbound channel (folder and HTTP with the supplier's key): matched, or
quarantined with a clear reason (duplicates, unknown orders, invalid or hostile documents)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from ehf.invoice import BillingParty
from tests.invoices.builders import invoice_xml
from webshop.invoices.models import SupplierInvoice
from webshop.invoices.rules import InvoiceStatus
from webshop.supplier.models import InboundDocument


def _invoices(store, order_id: int) -> list[tuple[str, str]]:
    store.expire_all()
    return [(i.number, i.status.value) for i in store.scalars(
        select(SupplierInvoice).where(SupplierInvoice.order_id == order_id).order_by(SupplierInvoice.id))]


def test_exact_invoice_after_full_receipt_is_matched(sent_order, deliver, intake, store):
    deliver(sent_order, {1: ("10", "0"), 2: ("20", "0")})
    state, outcome, _ = intake(invoice_xml(sent_order, [("1", "10", "52.00"), ("2", "20", "4.90")]))
    assert (state, outcome) == ("processed", "matched")
    (invoice,) = store.scalars(select(SupplierInvoice))
    assert (invoice.total, invoice.vat_total, invoice.payable) == (Decimal("618.00"), Decimal("154.50"),
                                                                   Decimal("772.50"))


def test_invoice_before_goods_receipt_waits_then_matches(sent_order, deliver, intake, store):
    state, outcome, _ = intake(invoice_xml(sent_order, [("1", "10", "52.00")]))
    assert (state, outcome) == ("processed", "awaiting_receipt")
    deliver(sent_order, {1: ("10", "0")})
    assert _invoices(store, sent_order) == [("F-1", "matched")]


def test_damaged_goods_do_not_count_as_received(sent_order, deliver, intake, store):
    deliver(sent_order, {1: ("10", "1")})
    intake(invoice_xml(sent_order, [("1", "10", "52.00")]))
    assert _invoices(store, sent_order) == [("F-1", "awaiting_receipt")]


def test_two_partials_then_a_credit_note(sent_order, deliver, intake, store):
    deliver(sent_order, {1: ("10", "0")})
    intake(invoice_xml(sent_order, [("1", "4", "52.00")], number="F-1"))
    intake(invoice_xml(sent_order, [("1", "6", "52.00")], number="F-2"))
    intake(invoice_xml(sent_order, [("1", "1", "52.00")], number="F-3"))  # one over the order
    intake(invoice_xml(sent_order, [("1", "1", "52.00")], number="K-1", credit=True))
    assert _invoices(store, sent_order) == [("F-1", "matched"), ("F-2", "matched"), ("F-3", "deviation"),
                                            ("K-1", "matched")]


def test_wrong_price_one_ore_over_is_a_deviation(sent_order, deliver, intake, store):
    deliver(sent_order, {1: ("10", "0")})
    intake(invoice_xml(sent_order, [("1", "10", "52.01")]))
    assert _invoices(store, sent_order) == [("F-1", "deviation")]


def test_a_resent_invoice_is_a_duplicate(sent_order, intake, store):
    xml = invoice_xml(sent_order, [("1", "10", "52.00")])
    assert intake(xml)[0] == "processed"
    state, _, reason = intake(xml)
    assert state == "duplicate" and "mottatt før" in reason
    assert len(_invoices(store, sent_order)) == 1


@pytest.mark.parametrize(("build", "reason"), [
    (lambda order: invoice_xml(None, [("1", "1", "52.00")], buyer_reference="Ola"), "uten ordrenummer"),
    (lambda order: invoice_xml(999999, [("1", "1", "52.00")]), "Ukjent ordre"),
    (lambda order: invoice_xml(order, [("1", "1", "52.00")], seller=BillingParty(
        name="Annen AS", endpoint_id="987654325", endpoint_scheme="0192", vat_id="NO987654325MVA")),
     "er ikke leverandøren"),
    (lambda order: invoice_xml(order, [("1", "1", "52.00")]).replace(b">65.00<", b">65.01<"), "BR-CO-15"),
    (lambda order: invoice_xml(order, [("1", "1", "52.00")]).replace(b"InvoicedQuantity unitCode=\"EA\">1<",
                                                                    b"InvoicedQuantity unitCode=\"EA\">x<"),
     "Ugyldig faktura"),
    (lambda order: b"<?xml version='1.0'?><!DOCTYPE Invoice [<!ENTITY x 'y'>]><Invoice>&x;</Invoice>", "DOCTYPE"),
    (lambda order: invoice_xml(order, [("1", "1e9", "52.00")]), "Urimelig"),
])
def test_bad_invoices_are_quarantined_with_a_reason(sent_order, intake, store, build, reason):
    state, _, why = intake(build(sent_order))
    assert state == "quarantined"
    assert reason in why
    assert _invoices(store, sent_order) == []
    assert store.scalar(select(InboundDocument.xml)) is not None  # kept as received, never lost


def test_http_endpoint_with_the_suppliers_key(app, sent_order, deliver, store, supplier_key):
    deliver(sent_order, {1: ("10", "0")})
    answer = app.test_client().post("/api/v1/ehf/inbound", data=invoice_xml(sent_order, [("1", "10", "52.00")]),
                                    headers={"Content-Type": "application/xml",
                                             "Authorization": f"Bearer {supplier_key}"})
    assert answer.status_code in (200, 202), answer.get_data(as_text=True)[:300]
    assert _invoices(store, sent_order) == [("F-1", InvoiceStatus.MATCHED.value)]
