"""Hostile and wrong invoices over HTTP with the supplier's key, as for the other inbound documents:
entities and DTDs never parsed, absurd numbers refused, other people's orders not revealed; the
document is kept as received in quarantine and nothing reaches the invoices."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.invoices.builders import invoice_xml
from webshop.invoices.models import SupplierInvoice
from webshop.supplier.models import InboundDocument
from webshop.supplier.rules import InboundState

INVOICE_NS = b'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
HOSTILE = {
    "xxe file": b'<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
                b"<Invoice " + INVOICE_NS + b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:'
                b'CommonBasicComponents-2"><cbc:ID>&secret;</cbc:ID></Invoice>',
    "billion laughs": b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
                      b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<Invoice ' + INVOICE_NS
                      + b">&lol2;</Invoice>",
    "external dtd": b'<?xml version="1.0"?>\n<!DOCTYPE Invoice SYSTEM "http://127.0.0.1:9/evil.dtd">\n<Invoice '
                    + INVOICE_NS + b"/>",
}


def post(app, body: bytes, key: str):
    return app.test_client().post("/api/v1/ehf/inbound", data=body, headers={
        "Content-Type": "application/xml", "Authorization": f"Bearer {key}"})


def _rows(store) -> list[InboundDocument]:
    store.expire_all()
    return list(store.scalars(select(InboundDocument).order_by(InboundDocument.id)))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_invoice_xml_is_quarantined_never_parsed(app, sent_order, supplier_key, store, tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    body = HOSTILE[name].replace(b"{secret}", str(secret).encode())
    answer = post(app, body, supplier_key)
    assert answer.status_code == 400
    assert "DOCTYPE" in answer.get_json()["error"] and "TOPSECRET" not in answer.get_data(as_text=True)
    (row,) = _rows(store)
    assert row.state == InboundState.QUARANTINED and row.xml == body
    assert row.kind is None and row.document_id is None
    assert store.scalar(select(func.count(SupplierInvoice.id))) == 0


def test_unknown_and_foreign_orders_get_the_same_answer(app, world, sent_order, supplier_key, store):
    unknown = post(app, invoice_xml(999999, [("1", "1", "52.00")], number="F-1"), supplier_key)
    missing = post(app, invoice_xml(None, [("1", "1", "52.00")], number="F-2"), supplier_key)
    expected = "Ukjent ordre: ordrenummeret i dokumentet er ikke en ordre vi har sendt til dere."
    assert (unknown.status_code, unknown.get_json()["error"]) == (400, expected)
    assert missing.status_code == 400 and "uten ordrenummer" in missing.get_json()["error"]
    reasons = [r.reason for r in _rows(store)]
    assert "finnes ikke" in reasons[0] and "uten ordrenummer" in reasons[1]
    assert store.scalar(select(func.count(SupplierInvoice.id))) == 0


@pytest.mark.parametrize("quantity", ["10001", "1e12"])
def test_absurd_quantities_are_quarantined(app, sent_order, supplier_key, store, quantity):
    answer = post(app, invoice_xml(sent_order, [("1", quantity, "52.00")]), supplier_key)
    assert answer.status_code == 400 and "Urimelig" in answer.get_json()["error"]
    assert store.scalar(select(func.count(SupplierInvoice.id))) == 0


def test_a_credit_note_is_not_a_duplicate_of_the_invoice_with_the_same_number(app, sent_order, supplier_key,
                                                                               store):
    assert post(app, invoice_xml(sent_order, [("1", "2", "52.00")], number="7"), supplier_key).status_code < 300
    assert post(app, invoice_xml(sent_order, [("1", "2", "52.00")], number="7", credit=True),
                supplier_key).status_code < 300
    again = post(app, invoice_xml(sent_order, [("1", "2", "52.00")], number="7"), supplier_key)
    assert [r.state.value for r in _rows(store)] == ["processed", "processed", "duplicate"]
    assert again.status_code < 500
    assert store.scalar(select(func.count(SupplierInvoice.id))) == 2
