"""POST /api/v1/ehf/inbound: a real supplier sends its Order Response / Despatch Advice with its
bearer token; bad tokens, oversize bodies, malformed and hostile XML are refused or quarantined,
never processed; the key is made by the central buyer and stored only as a hash."""
from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from helpers import page_text
from sqlalchemy import func, select
from test_worker_faults import _despatch, _response

from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus

URL = "/api/v1/ehf/inbound"


@pytest.fixture
def sent_order(app, world, approved_orders) -> int:
    from webshop.delivery.worker import run_once

    (order_id,) = approved_orders(1, items=("KP-100", "PEN-1"))
    with app.app_context():
        assert run_once("test").delivered == 1  # folder transport, no simulator
    return order_id


@pytest.fixture
def token(world, people, login_as, store) -> str:
    """The central buyer makes the supplier's key on the settings page; it is shown once."""
    from webshop.supplier.models import SupplierSettings

    page = page_text(login_as(people["buyer"]).post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel"))
    (made,) = set(re.findall(r"ehfin_[A-Za-z0-9_-]{40,}", page))
    settings = store.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == world.supplier.id))
    assert settings.inbound_token_hash and made not in settings.inbound_token_hash  # only the hash is stored
    assert settings.inbound_token_hint == made[:10] and "curl -X POST" in page
    return made


def post(client, body: bytes, token: str | None, **headers: str):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(URL, data=body, headers={"Content-Type": "application/xml", **headers})


def inbound_rows(store):
    from webshop.supplier.models import InboundDocument

    store.expire_all()
    return list(store.scalars(select(InboundDocument).order_by(InboundDocument.id)))


def order_xml(app, order_id, build, *args, **kwargs) -> bytes:
    from webshop.extensions import db

    with app.app_context():
        return build(db.session.get(Order, order_id), *args, **kwargs)


def test_inbound_accepts_sbdh_wrapped_response_and_despatch_and_recognises_a_duplicate(
        app, world, sent_order, token, store):
    from lxml import etree

    from ehf.sbdh import wrap
    from webshop.supplier.rules import InboundState

    response = order_xml(app, sent_order, _response, [(1, "accepted"), (2, "rejected")], doc_id="OR-1", hour=9)
    envelope = wrap(etree.fromstring(response), sender=f"0192:{world.supplier.endpoint_id}",
                    receiver=f"0192:{world.org.orgnr}", instance_id=str(uuid.uuid4()),
                    created_at=datetime.now(UTC))
    wrapped = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    assert b"StandardBusinessDocument" in wrapped
    client = app.test_client()
    answer = post(client, wrapped, token)
    assert answer.status_code == 202, answer.get_json()
    body = answer.get_json()
    assert body["state"] == "processed" and body["outcome"] == "partial" and body["order"].startswith("IK-")
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.CONFIRMED

    again = post(client, wrapped, token)
    assert again.status_code == 202 and again.get_json()["state"] == "duplicate"

    despatch = order_xml(app, sent_order, _despatch, Decimal(2), doc_id="DA-1")
    assert post(client, despatch, token).status_code == 202
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.PARTLY_DELIVERED  # line 2 rejected: missing
    rows = inbound_rows(store)
    assert [r.state for r in rows] == [InboundState.PROCESSED, InboundState.DUPLICATE, InboundState.PROCESSED]
    assert all(r.sent_by_supplier_id == world.supplier.id and r.source == "http:Kontor AS" for r in rows)
    assert rows[0].xml == wrapped  # stored exactly as received


def test_inbound_refuses_missing_or_wrong_token_and_stores_nothing(app, sent_order, token, store):
    response = order_xml(app, sent_order, _response, [], doc_id="OR-1", hour=9)
    client = app.test_client()
    for bad in (None, "", "ehfin_wrong", token + "x", token.upper()):
        answer = post(client, response, bad)
        assert answer.status_code == 401, bad
        assert answer.headers["WWW-Authenticate"].startswith("Bearer") and "nøkkel" in answer.get_json()["error"]
    basic = client.post(URL, data=response, headers={"Authorization": f"Basic {token}"})
    assert basic.status_code == 401
    assert inbound_rows(store) == []
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.SENT


def test_inbound_too_big_is_413_and_empty_is_400_and_neither_is_stored(app, sent_order, token, store):
    client = app.test_client()
    app.config["INBOUND_MAX_BYTES"] = 1000
    try:
        answer = post(client, b"<x>" + b"a" * 2000 + b"</x>", token)
        assert answer.status_code == 413 and "1000" in answer.get_json()["error"]
    finally:
        del app.config["INBOUND_MAX_BYTES"]
    answer = post(client, b"  ", token)
    assert answer.status_code == 400 and "Tom forespørsel" in answer.get_json()["error"]
    assert inbound_rows(store) == []


HOSTILE = {
    "xxe file": b"""<?xml version="1.0"?>
<!DOCTYPE OrderResponse [<!ENTITY secret SYSTEM "file://{secret}">]>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>&secret;</cbc:ID></OrderResponse>""",
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2">&lol3;</OrderResponse>""",
    "external dtd": b"""<?xml version="1.0"?>
<!DOCTYPE OrderResponse SYSTEM "http://127.0.0.1:9/evil.dtd">
<OrderResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderResponse-2"/>""",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_inbound_hostile_xml_is_quarantined_never_processed(app, sent_order, token, store, tmp_path, name):
    from webshop.orders.models import AuditEvent
    from webshop.supplier.rules import InboundState

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-42")
    body = HOSTILE[name].replace(b"{secret}", str(secret).encode())
    events_before = store.scalar(select(func.count(AuditEvent.id)))
    answer = post(app.test_client(), body, token)
    assert answer.status_code == 400
    assert "DOCTYPE" in answer.get_json()["error"] and "TOPSECRET" not in answer.get_data(as_text=True)
    (row,) = inbound_rows(store)
    assert row.state == InboundState.QUARANTINED and row.xml == body  # kept as received, for people to look at
    assert row.order_id is None and row.kind is None and row.document_id is None  # never parsed into anything
    assert "TOPSECRET" not in (row.reason or "")
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.SENT
    assert store.scalar(select(func.count(AuditEvent.id))) == events_before


def test_inbound_malformed_and_foreign_documents_are_400_with_the_reason(app, world, sent_order, token, store,
                                                                         login_as, people):
    from webshop.catalogue.models import Supplier
    from webshop.extensions import db
    from webshop.supplier import settings as supplier_settings
    from webshop.supplier.rules import InboundState

    response = order_xml(app, sent_order, _response, [], doc_id="OR-1", hour=9)
    client = app.test_client()
    half = post(client, response[: len(response) // 2], token)
    assert half.status_code == 400 and half.get_json()["error"].startswith("Ikke gyldig XML")
    unknown = post(client, response.replace(b"IK-", b"IK-9"), token)
    assert unknown.status_code == 400 and "Ukjent ordre" in unknown.get_json()["error"]

    with app.app_context():  # another supplier's valid key may not answer Kontor AS's order
        other = Supplier(key="annen", name="Annen AS", orgnr="987654321", endpoint_id="987654321",
                         profile=world.supplier.profile, street="Vei 2", postcode="5003", city="Bergen")
        db.session.add(other)
        db.session.flush()
        admin = db.session.get(type(world.coordinator), world.coordinator.id)
        other_token = supplier_settings.create_inbound_token(supplier_settings.settings_for(other), by=admin)
        db.session.commit()
    foreign = post(client, response, other_token)
    # the same answer as for an unknown order: the endpoint does not tell whose order it is (issue 10)
    assert foreign.status_code == 400 and foreign.get_json()["error"] == unknown.get_json()["error"]
    assert "annen leverandørs nøkkel" in inbound_rows(store)[-1].reason  # people see the real reason
    assert [r.state for r in inbound_rows(store)] == [InboundState.QUARANTINED] * 3
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.SENT
    # the quarantine page shows them to the central buyer
    page = page_text(login_as(people["buyer"]).get("/leverandorer/karantene"))
    assert page.count("http:") >= 3


def test_inbound_is_csrf_exempt_but_nothing_else_is(app, sent_order, token):
    response = order_xml(app, sent_order, _response, [], doc_id="OR-1", hour=9)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        assert post(client, response, token).status_code == 202
        assert client.post("/logg-inn", data={"email": "x@y.no", "password": "x"}).status_code == 400  # CSRF
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_only_the_central_buyer_makes_inbound_keys(world, people, login_as, store):
    from webshop.supplier.models import SupplierSettings

    path = f"/leverandorer/{world.supplier.id}/innsendingsnokkel"
    assert login_as(world.coordinator).post(path).status_code == 403
    assert login_as(people["trainer"]).post(path).status_code == 403
    assert login_as(world.orderer).post(path).status_code == 403
    assert login_as(people["buyer"]).post("/leverandorer/999999/innsendingsnokkel").status_code == 404
    assert store.scalar(select(SupplierSettings.inbound_token_hash)) is None
    trainer_page = page_text(login_as(people["trainer"]).get(f"/leverandorer/{world.supplier.id}/innstillinger"))
    assert "Lag nøkkel" not in trainer_page
    assert "Lag nøkkel" in page_text(login_as(people["buyer"]).get(f"/leverandorer/{world.supplier.id}/innstillinger"))
