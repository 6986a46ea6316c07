"""Issue 10, items 2 and 3: suppliers, their transports, endpoints and inbound keys belong to the
purchasing collaboration and are managed by the central buyer only. Coordinators may look;
trainers change the simulated behaviour only. Endpoints must be https to a public address (at
save and at send), every settings or key change is audited (never the key), and an answer is
accepted only for an order that was sent to the supplier whose key sent it."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import use_transport
from helpers import PASSWORD, page_text
from sqlalchemy import select
from test_supplier_flow import SETTINGS
from test_worker_faults import _response

from webshop.delivery.transports import HttpTransport, Outgoing, TransportError
from webshop.orders.models import AuditEvent, Order, OrderDocument
from webshop.orders.rules import OrderStatus

URL = "/api/v1/ehf/inbound"
MESSAGE = Outgoing("0b5c-1", "IK-000001.xml", b"<Order/>", "918273646")


def settings_row(store, world):
    from webshop.supplier.models import SupplierSettings

    store.expire_all()
    return store.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == world.supplier.id))


def audit_rows(store, action: str) -> list[AuditEvent]:
    store.expire_all()
    return list(store.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def make_key(client, world, **data) -> str:
    response = client.post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel", data=data)
    assert response.status_code == 200, page_text(response)[:300]
    (made,) = set(re.findall(r"ehfin_[A-Za-z0-9_-]{40,}", page_text(response)))
    return made


@pytest.fixture
def other_coordinator(app, world, store):
    """The coordinator of the other municipality (Bø) in the same collaboration."""
    from webshop.extensions import db
    from webshop.orgs.models import Role, RoleAssignment, User

    with app.app_context():
        user = User(email="koord@bo.no", name="Bo Coordinator", organisation_id=world.other_org.id)
        user.set_password(PASSWORD)
        user.roles = [RoleAssignment(role=Role.COORDINATOR, unit_id=None)]
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    from webshop.orgs.models import User as U

    return store.get(U, user_id)


def order_in(app, world, status: OrderStatus, *, user=None, unit=None) -> int:
    """An order for Kontor AS left in ``status`` (pending, rejected or approved: never sent)."""
    from webshop.cart import services as cart
    from webshop.extensions import db
    from webshop.orders import lifecycle
    from webshop.orders import services as orders
    from webshop.orders.rules import Trigger
    from webshop.orgs.models import User

    with app.app_context():
        orderer = db.session.get(User, (user or world.orderer).id)
        cart.add_item(orderer, world.items["KP-100"].id, Decimal(2))
        (order,) = orders.submit_cart(orderer, unit_id=(unit or world.school).id)
        approver = db.session.get(User, world.approver.id)
        if status is OrderStatus.REJECTED:
            lifecycle.change_status(order, OrderStatus.REJECTED, by=approver, trigger=Trigger.APPROVER)
        elif status is OrderStatus.APPROVED:
            lifecycle.change_status(order, OrderStatus.APPROVED, by=approver, trigger=Trigger.APPROVER)
        db.session.commit()
        assert order.status is status
        return order.id


def answer_xml(app, order_id: int, doc_id: str) -> bytes:
    from webshop.extensions import db

    with app.app_context():
        return _response(db.session.get(Order, order_id), [], doc_id=doc_id, hour=9)


def post(client, body: bytes, token: str):
    return client.post(URL, data=body, headers={"Content-Type": "application/xml", "Authorization": f"Bearer {token}"})


# ------------------------------------------------------------------ item 2: who manages suppliers


def test_coordinator_sees_suppliers_read_only_and_cannot_change_them(world, people, login_as, store,
                                                                     other_coordinator):
    for coordinator in (world.coordinator, other_coordinator):
        client = login_as(coordinator)
        assert "Kontor AS" in page_text(client.get("/leverandorer"))
        page = client.get(f"/leverandorer/{world.supplier.id}/innstillinger")
        assert page.status_code == 200
        text = page_text(page)
        assert "Lagre" not in text and "Lag nøkkel" not in text and "sentral innkjøper" in text
        changed = client.post(f"/leverandorer/{world.supplier.id}/innstillinger",
                              data={**SETTINGS, "transport": "http", "endpoint_url": "https://evil.example.com/"})
        assert changed.status_code == 403
        assert client.post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel").status_code == 403
    row = settings_row(store, world)
    assert row is None or (row.transport == "folder" and row.endpoint_url is None and row.inbound_token_hash is None)
    assert audit_rows(store, "supplier_settings_changed") == []


def test_trainer_changes_the_simulator_only_never_transport_endpoint_or_keys(world, people, login_as, store):
    trainer = login_as(people["trainer"])
    page = page_text(trainer.get(f"/leverandorer/{world.supplier.id}/innstillinger"))
    assert 'name="behaviour"' in page and 'name="endpoint_url"' not in page and 'name="transport"' not in page
    response = trainer.post(f"/leverandorer/{world.supplier.id}/innstillinger",
                            data={**SETTINGS, "transport": "http", "endpoint_url": "https://evil.example.com/"})
    assert response.status_code == 302
    row = settings_row(store, world)
    assert row.behaviour == "partial" and row.out_of_stock_lines == 2  # the simulator fields were saved
    assert row.transport == "folder" and row.endpoint_url is None  # the transport fields were not
    assert trainer.post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel").status_code == 403
    (event,) = audit_rows(store, "supplier_settings_changed")
    assert event.actor_id == people["trainer"].id
    assert "Kontor AS" in event.comment and "behaviour: off → partial" in event.comment
    assert "out_of_stock_lines: 0 → 2" in event.comment and "transport" not in event.comment


def test_central_buyer_sets_an_https_endpoint_and_the_change_is_audited(world, people, login_as, store):
    buyer = login_as(people["buyer"])
    response = buyer.post(f"/leverandorer/{world.supplier.id}/innstillinger",
                          data={**SETTINGS, "behaviour": "off", "transport": "http",
                                "endpoint_url": "https://ehf.kontor.no/inbound"})
    assert response.status_code == 302, page_text(response)[:500]
    row = settings_row(store, world)
    assert (row.transport, row.endpoint_url, row.updated_by_id) == ("http", "https://ehf.kontor.no/inbound",
                                                                     people["buyer"].id)
    (event,) = audit_rows(store, "supplier_settings_changed")
    assert event.actor_id == people["buyer"].id and event.organisation_id == world.org.id
    assert event.comment.startswith("Kontor AS: ")
    assert "transport: folder → http" in event.comment
    assert "endpoint_url: – → https://ehf.kontor.no/inbound" in event.comment
    # saving the same values again changes nothing and writes no event
    buyer.post(f"/leverandorer/{world.supplier.id}/innstillinger",
               data={**SETTINGS, "behaviour": "off", "transport": "http", "endpoint_url": "https://ehf.kontor.no/inbound"})
    assert len(audit_rows(store, "supplier_settings_changed")) == 1


@pytest.mark.parametrize(("url", "message"), [
    ("http://169.254.169.254/latest/meta-data/", "lenkelokal"),
    ("https://10.1.2.3/ehf", "privat"),
    ("https://[::1]/ehf", "maskinen selv"),
    ("http://ehf.kontor.no/inbound", "https"),
    ("https://2852039166/", "lenkelokal"),
])
def test_unsafe_endpoints_are_refused_at_save_with_a_clear_message(app, world, people, login_as, store, url, message,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "ALLOW_HTTP_LOOPBACK_ENDPOINTS", False)  # as in production
    buyer = login_as(people["buyer"])
    response = buyer.post(f"/leverandorer/{world.supplier.id}/innstillinger",
                          data={**SETTINGS, "transport": "http", "endpoint_url": url})
    assert response.status_code == 400
    text = page_text(response)
    assert "ds-error-summary" in text and message in text
    row = settings_row(store, world)
    assert row is None or (row.transport == "folder" and row.endpoint_url is None)
    assert audit_rows(store, "supplier_settings_changed") == []


def test_http_transport_refuses_loopback_before_connecting_unless_allowed(receiver):
    with pytest.raises(TransportError, match="maskinen selv"):
        HttpTransport(receiver.url, timeout=2).send(MESSAGE)
    with pytest.raises(TransportError, match="maskinen selv"):
        HttpTransport(receiver.url.replace("127.0.0.1", "localhost"), timeout=2).send(MESSAGE)
    with pytest.raises(TransportError, match="lenkelokal"):
        HttpTransport("https://2852039166/ehf", timeout=2).send(MESSAGE)  # 169.254.169.254, resolved at send
    with pytest.raises(TransportError, match="https"):
        HttpTransport("http://ehf.kontor.no/inbound", timeout=2).send(MESSAGE)
    assert receiver.posts == []  # nothing reached the socket
    assert HttpTransport(receiver.url, timeout=2, allow_loopback=True).send(MESSAGE).startswith("HTTP 200")
    assert receiver.posts == ["0b5c-1"]


def test_the_worker_refuses_an_unsafe_endpoint_stored_earlier(app, world, approved_orders, receiver, store,
                                                              monkeypatch):
    """An endpoint written before the check existed (or straight into the database) is refused at send."""
    from webshop.delivery.worker import run_once
    from webshop.orders.rules import DeliveryState

    use_transport(app, world.supplier.id, receiver.url)
    monkeypatch.setitem(app.config, "ALLOW_HTTP_LOOPBACK_ENDPOINTS", False)
    (order_id,) = approved_orders(1)
    with app.app_context():
        result = run_once("test")
    assert (result.delivered, result.failed) == (0, 1)
    assert receiver.posts == []
    store.expire_all()
    (document,) = store.scalars(select(OrderDocument).where(OrderDocument.order_id == order_id))
    assert document.state != DeliveryState.DELIVERED and "maskinen selv" in document.delivery_error
    assert store.get(Order, order_id).status == OrderStatus.APPROVED


# ------------------------------------------------------------------ item 3: keys and forged answers


def test_only_the_central_buyer_makes_keys_and_replacing_one_needs_confirmation(app, world, people, login_as,
                                                                                store, other_coordinator):
    buyer = login_as(people["buyer"])
    first = make_key(buyer, world)
    first_hash = settings_row(store, world).inbound_token_hash
    for outsider in (world.coordinator, other_coordinator, people["trainer"], world.orderer):
        assert login_as(outsider).post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel",
                                       data={"confirm_replace": "y"}).status_code == 403
    assert settings_row(store, world).inbound_token_hash == first_hash  # the real key was not replaced

    page = page_text(buyer.get(f"/leverandorer/{world.supplier.id}/innstillinger"))
    assert "Lag ny nøkkel" in page and "den gamle slutter å virke" in page
    unconfirmed = buyer.post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel")
    assert unconfirmed.status_code == 400 and "den gamle slutter å virke" in page_text(unconfirmed)
    assert settings_row(store, world).inbound_token_hash == first_hash

    replaced = buyer.post(f"/leverandorer/{world.supplier.id}/innsendingsnokkel", data={"confirm_replace": "y"})
    assert replaced.status_code == 200 and "Den gamle nøkkelen virker ikke lenger" in page_text(replaced)
    (second,) = set(re.findall(r"ehfin_[A-Za-z0-9_-]{40,}", page_text(replaced)))
    assert second != first and settings_row(store, world).inbound_token_hash != first_hash

    (created,) = audit_rows(store, "inbound_token_created")
    (swapped,) = audit_rows(store, "inbound_token_replaced")
    for event, token in ((created, first), (swapped, second)):
        assert event.actor_id == people["buyer"].id and event.comment.startswith("Kontor AS")
        assert token not in event.comment and token[:10] not in event.comment  # never the key, not even its start
    client = app.test_client()
    sent_body = b"<x/>"
    assert post(client, sent_body, first).status_code == 401  # the old key is dead
    assert post(client, sent_body, second).status_code == 400  # the new one gets in (and the body is refused)


@pytest.mark.parametrize("status", [OrderStatus.PENDING_APPROVAL, OrderStatus.REJECTED, OrderStatus.APPROVED])
def test_a_key_holder_cannot_answer_an_order_that_was_never_sent(app, world, people, login_as, store, status):
    from webshop.supplier.models import InboundDocument
    from webshop.supplier.rules import InboundState

    token = make_key(login_as(people["buyer"]), world)
    order_id = order_in(app, world, status)
    answer = post(app.test_client(), answer_xml(app, order_id, "OR-1"), token)
    assert answer.status_code == 400
    store.expire_all()
    assert store.get(Order, order_id).status == status  # untouched
    (row,) = store.scalars(select(InboundDocument))
    assert row.state == InboundState.QUARANTINED and "ikke sendt" in row.reason
    assert store.scalars(select(AuditEvent).where(AuditEvent.action == "supplier_response")).all() == []


def test_a_folder_document_for_an_order_never_sent_is_quarantined_too(app, world, store):
    """Not only the HTTP endpoint: the inbox folder and the simulator take the same path."""
    from webshop.extensions import db
    from webshop.supplier import inbound
    from webshop.supplier.rules import InboundState

    order_id = order_in(app, world, OrderStatus.PENDING_APPROVAL)
    xml = answer_xml(app, order_id, "OR-1")
    with app.app_context():
        document = inbound.receive_and_process(xml, source="folder:svar.xml")
        db.session.commit()
        state, reason = document.state, document.reason
    assert state == InboundState.QUARANTINED and "ikke sendt" in reason
    store.expire_all()
    assert store.get(Order, order_id).status == OrderStatus.PENDING_APPROVAL
