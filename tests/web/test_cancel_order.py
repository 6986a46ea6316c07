"""Cancelling an order that still waits for approval: POST /ordrer/<id>/kanseller."""
from __future__ import annotations

from helpers import page_text
from sqlalchemy import select

from webshop.orders.models import AuditEvent, Order, OrderDocument
from webshop.orders.rules import OrderStatus


def _submit(client, world, key="KP-100"):
    assert client.post("/handlekurv/legg-til", data={"item_id": world.items[key].id, "quantity": "2"}).status_code \
        == 302
    assert client.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302


def _status(store, order_id):
    store.expire_all()
    return store.get(Order, order_id).status


def test_orderer_sees_the_button_and_cancels(world, login_as, store):
    orderer = login_as(world.orderer)
    _submit(orderer, world)
    order = store.scalar(select(Order))
    assert "Kanseller ordren" in page_text(orderer.get(f"/ordrer/{order.id}"))

    response = orderer.post(f"/ordrer/{order.id}/kanseller")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/ordrer/{order.id}")
    assert _status(store, order.id) == OrderStatus.CANCELLED
    page = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert f"Ordre {order.number} er kansellert." in page
    assert "Kanseller ordren" not in page  # nothing left to cancel
    assert store.scalars(select(AuditEvent.action).where(AuditEvent.order_id == order.id)
                         .order_by(AuditEvent.id)).all() == [
        "submitted", "cancelled"]
    assert store.scalar(select(OrderDocument.id)) is None  # never sent
    # gone from the approver's inbox
    assert order.number not in page_text(login_as(world.approver).get("/godkjenning"))


def test_coordinator_of_the_municipality_may_cancel(world, login_as, store):
    _submit(login_as(world.orderer), world)
    order = store.scalar(select(Order))
    coordinator = login_as(world.coordinator)
    assert "Kanseller ordren" in page_text(coordinator.get(f"/ordrer/{order.id}"))
    assert coordinator.post(f"/ordrer/{order.id}/kanseller").status_code == 303
    assert _status(store, order.id) == OrderStatus.CANCELLED


def test_others_may_not_cancel(world, login_as, store):
    _submit(login_as(world.orderer), world)
    order = store.scalar(select(Order))
    approver = login_as(world.approver)  # sees the order, may approve it, may not cancel it
    assert "Kanseller ordren" not in page_text(approver.get(f"/ordrer/{order.id}"))
    assert approver.post(f"/ordrer/{order.id}/kanseller").status_code == 403
    colleague = login_as(world.orderer_approver)  # orders for the same unit, but not this order's orderer
    assert colleague.post(f"/ordrer/{order.id}/kanseller").status_code == 403
    assert login_as(world.other_orderer).post(f"/ordrer/{order.id}/kanseller").status_code == 404
    assert _status(store, order.id) == OrderStatus.PENDING_APPROVAL


def test_an_order_already_decided_is_not_cancelled(world, login_as, store):
    orderer = login_as(world.orderer)
    _submit(orderer, world)
    order = store.scalar(select(Order))
    assert login_as(world.approver).post(f"/godkjenning/{order.id}", data={"approve": "1"}).status_code == 302
    assert _status(store, order.id) == OrderStatus.APPROVED
    assert "Kanseller ordren" not in page_text(orderer.get(f"/ordrer/{order.id}"))

    response = orderer.post(f"/ordrer/{order.id}/kanseller")
    assert response.status_code == 303
    page = page_text(orderer.get(f"/ordrer/{order.id}"))
    assert "venter ikke lenger på godkjenning og kan ikke kanselleres" in page
    assert _status(store, order.id) == OrderStatus.APPROVED
    assert store.scalars(select(AuditEvent.action).where(AuditEvent.action == "cancelled")).all() == []
