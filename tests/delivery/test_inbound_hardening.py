"""Issue 10, item 14: the inbound endpoint has a rate limit per supplier key (kept in the
database, so it holds across app servers), bounds on quantities, answers that do not tell
which order numbers exist or whose they are, a retention period for raw documents (the
record of what was done stays), and quarantine entries the concerned municipality sees."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers import PASSWORD, page_text
from sqlalchemy import func, select
from test_supplier_trust import make_key, order_in
from test_worker_faults import _despatch, _response

from webshop.dbtypes import utcnow
from webshop.orders.models import AuditEvent, Order
from webshop.orders.rules import OrderStatus

URL = "/api/v1/ehf/inbound"


def post(client, body: bytes, token: str):
    return client.post(URL, data=body, headers={"Content-Type": "application/xml", "Authorization": f"Bearer {token}"})


@pytest.fixture
def sent_order(app, world, approved_orders) -> int:
    from webshop.delivery.worker import run_once

    (order_id,) = approved_orders(1, items=("KP-100", "PEN-1"))
    with app.app_context():
        assert run_once("test").delivered == 1
    return order_id


@pytest.fixture
def token(world, people, login_as) -> str:
    return make_key(login_as(people["buyer"]), world)


@pytest.fixture
def other_supplier_token(app, world, people) -> str:
    """A second supplier in the collaboration with its own valid key."""
    from webshop.catalogue.models import Agreement, Supplier
    from webshop.extensions import db
    from webshop.orgs.models import User
    from webshop.supplier import settings as supplier_settings

    with app.app_context():
        other = Supplier(key="annen", name="Annen AS", orgnr="987654321", endpoint_id="987654321",
                         profile=world.supplier.profile, street="Vei 2", postcode="5003", city="Bergen")
        db.session.add(other)
        db.session.flush()
        db.session.add(Agreement(collaboration_id=world.org.collaboration_id, reference="RA-2025-2", title="Annet",
                                 supplier_id=other.id, valid_from=world.agreement.valid_from,
                                 valid_to=world.agreement.valid_to))
        buyer = db.session.get(User, people["buyer"].id)
        made = supplier_settings.create_inbound_token(supplier_settings.settings_for(other), by=buyer)
        db.session.commit()
    return made


def xml_for(app, order_id: int, build, *args, **kwargs) -> bytes:
    from webshop.extensions import db

    with app.app_context():
        return build(db.session.get(Order, order_id), *args, **kwargs)


def inbound_rows(store):
    from webshop.supplier.models import InboundDocument

    store.expire_all()
    return list(store.scalars(select(InboundDocument).order_by(InboundDocument.id)))


# ------------------------------------------------------------------ answers reveal nothing


def test_unknown_foreign_and_unsent_orders_get_the_same_answer(app, world, sent_order, token, other_supplier_token,
                                                                store):
    response = xml_for(app, sent_order, _response, [], doc_id="OR-1", hour=9)
    pending = order_in(app, world, OrderStatus.PENDING_APPROVAL)
    pending_number = store.get(Order, pending).number
    sent_number = store.get(Order, sent_order).number
    client = app.test_client()

    def error_for(body: bytes, key: str) -> tuple[int, str]:
        answer = post(client, body, key)
        return answer.status_code, answer.get_json()["error"]

    unknown = error_for(response.replace(sent_number.encode(), b"IK-999999"), token)
    foreign = error_for(response, other_supplier_token)  # Kontor AS's sent order, Annen AS's key
    unsent = error_for(response.replace(sent_number.encode(), pending_number.encode()), token)
    expected = "Ukjent ordre: ordrenummeret i dokumentet er ikke en ordre vi har sendt til dere."
    assert unknown == foreign == unsent == (400, expected)
    for text in (unknown[1], foreign[1], unsent[1]):
        assert "IK-" not in text and "Kontor" not in text and "nøkkel" not in text
    # the people who look at the quarantine still get the real reason
    reasons = [r.reason for r in inbound_rows(store)]
    assert "finnes ikke" in reasons[0] and "annen leverandørs nøkkel" in reasons[1] and "ikke sendt" in reasons[2]
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.SENT


# ------------------------------------------------------------------ quantities


@pytest.mark.parametrize("quantity", [Decimal("1E+12"), Decimal("10001")])
def test_despatch_quantities_over_the_largest_line_quantity_are_quarantined(app, sent_order, token, store,
                                                                            quantity):
    from webshop.supplier.models import OrderLineStatus
    from webshop.supplier.rules import InboundState

    body = xml_for(app, sent_order, _despatch, quantity, doc_id="DA-1")
    answer = post(app.test_client(), body, token)
    assert answer.status_code == 400
    assert "10000" in answer.get_json()["error"] and "antall" in answer.get_json()["error"]
    (row,) = inbound_rows(store)
    assert row.state == InboundState.QUARANTINED
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.SENT
    assert store.scalar(select(func.coalesce(func.sum(OrderLineStatus.delivered_quantity), 0))) == 0


def test_a_changed_quantity_over_the_bound_in_an_order_response_is_quarantined(app, sent_order, token, store):
    from datetime import time

    from ehf.order_response import OrderResponse, OrderResponseLine, build_order_response
    from ehf.parties import PartyRef
    from webshop.extensions import db

    with app.app_context():
        order = db.session.get(Order, sent_order)
        seller = PartyRef(endpoint_id=order.supplier.endpoint_id, endpoint_scheme="0192", name=order.supplier.name)
        buyer = PartyRef(endpoint_id=order.organisation.orgnr, endpoint_scheme="0192", name=order.organisation.name)
        lines = [OrderResponseLine.changed("1", "x", quantity=Decimal("1E+12"), unit_code="XPK"),
                 OrderResponseLine.accepted("2", "x")]
        body = build_order_response(OrderResponse.conditionally_accepted(
            order.number, lines, id="OR-9", issue_date=utcnow().date(), issue_time=time(9), seller=seller,
            buyer=buyer))
    answer = post(app.test_client(), body, token)
    assert answer.status_code == 400 and "10000" in answer.get_json()["error"]
    store.expire_all()
    assert store.get(Order, sent_order).status == OrderStatus.SENT


def test_many_despatch_advices_cannot_add_up_past_the_bound(app, sent_order, token, store):
    client = app.test_client()
    for n in range(1, 3):
        assert post(client, xml_for(app, sent_order, _despatch, Decimal("6000"), doc_id=f"DA-{n}"), token
                    ).status_code == (202 if n == 1 else 400)


# ------------------------------------------------------------------ rate limit


def test_rate_limit_per_key_holds_across_two_app_servers(app, world, sent_order, token, other_supplier_token,
                                                         store, monkeypatch):
    from webshop import create_app
    from webshop.config import TestConfig
    from webshop.extensions import db

    monkeypatch.setitem(app.config, "INBOUND_RATE_LIMIT", 3)
    second = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                        OUTBOX_DIR=app.config["OUTBOX_DIR"], INBOUND_RATE_LIMIT=3)
    try:
        body = b"<not-xml"
        servers = [app.test_client(), second.test_client(), app.test_client()]
        assert [post(c, body, token).status_code for c in servers] == [400, 400, 400]
        refused = post(second.test_client(), body, token)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1 and "For mange" in refused.get_json()["error"]
        assert post(app.test_client(), body, other_supplier_token).status_code == 400  # another key: its own count
    finally:
        with second.app_context():
            db.session.remove()
            db.engine.dispose()
    assert len(inbound_rows(store)) == 4  # the refused one was not stored


# ------------------------------------------------------------------ retention


def make_document(store, *, days_ago: int, state: str, processed: bool = True):
    from webshop.supplier.models import InboundDocument

    at = utcnow() - timedelta(days=days_ago)
    document = InboundDocument(source="folder:x.xml", sha256="ab" * 32, xml=b"<OrderResponse/>", state=state,
                               received_at=at, processed_at=at if processed else None, outcome="accepted",
                               reason="why")
    store.add(document)
    store.commit()
    return document.id


def test_raw_documents_older_than_the_retention_period_are_purged_and_the_record_kept(app, world, store,
                                                                                     monkeypatch):
    from webshop.supplier.models import InboundDocument

    monkeypatch.setitem(app.config, "INBOUND_RETENTION_DAYS", 30)
    old = make_document(store, days_ago=31, state="processed")
    old_quarantined = make_document(store, days_ago=40, state="quarantined")
    recent = make_document(store, days_ago=29, state="processed")
    waiting = make_document(store, days_ago=60, state="received", processed=False)
    result = app.test_cli_runner().invoke(args=["inbound", "purge"])
    assert result.exit_code == 0, result.output
    assert "2" in result.output
    store.expire_all()
    rows = {d.id: d for d in store.scalars(select(InboundDocument))}
    for purged in (old, old_quarantined):
        assert rows[purged].xml == b"" and rows[purged].xml_purged_at is not None
        assert rows[purged].sha256 == "ab" * 32 and rows[purged].outcome == "accepted"  # what was done stays
        assert rows[purged].reason == "why"
    for kept in (recent, waiting):
        assert rows[kept].xml == b"<OrderResponse/>" and rows[kept].xml_purged_at is None
    (event,) = store.scalars(select(AuditEvent).where(AuditEvent.action == "inbound_xml_purged"))
    assert "2" in event.comment and "30" in event.comment
    # a second run finds nothing more and writes no event
    assert app.test_cli_runner().invoke(args=["inbound", "purge"]).exit_code == 0
    assert store.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "inbound_xml_purged")) == 1


def test_the_worker_purges_too_with_the_default_of_90_days(app, world, store):
    from webshop.delivery.worker import run_once
    from webshop.supplier.models import InboundDocument

    assert app.config["INBOUND_RETENTION_DAYS"] == 90
    old = make_document(store, days_ago=91, state="duplicate")
    recent = make_document(store, days_ago=89, state="processed")
    with app.app_context():
        assert run_once("test").errors == []
    store.expire_all()
    assert store.get(InboundDocument, old).xml == b"" and store.get(InboundDocument, recent).xml != b""


# ------------------------------------------------------------------ quarantine for the municipality


def test_quarantine_is_shown_to_the_coordinators_of_the_municipality_whose_order_it_concerns(
        app, world, people, sent_order, other_supplier_token, login_as, store):
    from webshop.extensions import db
    from webshop.orgs.models import Role, RoleAssignment, User

    with app.app_context():
        other = User(email="koord@bo.no", name="Bo Coordinator", organisation_id=world.other_org.id)
        other.set_password(PASSWORD)
        other.roles = [RoleAssignment(role=Role.COORDINATOR, unit_id=None)]
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    other = store.get(User, other_id)
    forged = xml_for(app, sent_order, _response, [], doc_id="OR-FORGED", hour=9)
    assert post(app.test_client(), forged, other_supplier_token).status_code == 400
    number = store.get(Order, sent_order).number
    mine = page_text(login_as(world.coordinator).get("/leverandorer/karantene"))
    assert number in mine and "annen leverandørs nøkkel" in mine and "http:Annen AS" in mine
    assert number not in page_text(login_as(other).get("/leverandorer/karantene"))
    assert number in page_text(login_as(people["buyer"]).get("/leverandorer/karantene"))
