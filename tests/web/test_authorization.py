"""Every route checks role, unit and municipality on the server."""
from __future__ import annotations

import pytest
from helpers import page_text
from sqlalchemy import func, select

from webshop.approvals.models import ApprovalDecision
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus


def place_order(login_as, user, item, unit, store) -> Order:
    c = login_as(user)
    assert c.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": "1"}).status_code == 302
    assert c.post("/handlekurv/send", data={"unit_id": unit.id}).status_code == 302
    return store.scalars(select(Order).order_by(Order.id.desc())).first()


@pytest.mark.parametrize("path", ["/katalog", "/handlekurv", "/ordrer", "/godkjenning", "/admin", "/ordrer/1"])
def test_anonymous_users_are_sent_to_login(client, app, path):
    response = client.get(path)
    assert response.status_code == 302 and "/logg-inn" in response.headers["Location"]


def test_other_municipality_order_is_not_found(world, login_as, store):
    order = place_order(login_as, world.orderer, world.items["PEN-1"], world.school, store)
    outsider = login_as(world.other_approver)
    assert outsider.get(f"/ordrer/{order.id}").status_code == 404
    assert outsider.post(f"/godkjenning/{order.id}", data={"approve": "1"}).status_code == 404
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.PENDING_APPROVAL


def test_self_approval_is_refused(world, login_as, store):
    order = place_order(login_as, world.orderer_approver, world.items["PEN-1"], world.school, store)
    me = login_as(world.orderer_approver)
    assert order.number not in page_text(me.get("/godkjenning"))
    assert "Godkjenn og send" not in page_text(me.get(f"/ordrer/{order.id}"))
    response = me.post(f"/godkjenning/{order.id}", data={"approve": "1"}, follow_redirects=True)
    assert "Du kan ikke godkjenne din egen ordre" in page_text(response)
    store.expire_all()
    assert store.get(Order, order.id).status == OrderStatus.PENDING_APPROVAL
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == 0


def test_approver_of_another_unit_cannot_approve(world, login_as, store):
    order = place_order(login_as, world.orderer, world.items["PEN-1"], world.school, store)
    other_unit_approver = login_as(world.nursing_approver)
    assert other_unit_approver.get(f"/ordrer/{order.id}").status_code == 404
    assert other_unit_approver.post(f"/godkjenning/{order.id}", data={"approve": "1"}).status_code == 404


def test_orderer_cannot_open_the_approver_inbox_or_admin(world, login_as):
    orderer = login_as(world.orderer)
    assert orderer.get("/godkjenning").status_code == 403
    assert orderer.post("/godkjenning/1", data={"approve": "1"}).status_code == 403
    assert orderer.get("/admin").status_code == 403


def test_approver_without_ordering_authority_has_no_cart(world, login_as):
    approver = login_as(world.approver)
    assert approver.get("/handlekurv").status_code == 403
    assert approver.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "1"}
                         ).status_code == 403


def test_orderer_cannot_order_for_a_unit_they_do_not_order_for(world, login_as, store):
    c = login_as(world.orderer)
    c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "1"})
    response = c.post("/handlekurv/send", data={"unit_id": world.nursing.id})
    assert response.status_code == 400
    assert store.scalar(select(func.count()).select_from(Order)) == 0


def test_coordinator_sees_all_orders_of_their_municipality_only(world, login_as, store):
    mine = place_order(login_as, world.orderer, world.items["PEN-1"], world.school, store)
    theirs = place_order(login_as, world.other_orderer, world.items["PEN-1"], world.other_unit, store)
    coordinator = login_as(world.coordinator)
    listing = page_text(coordinator.get("/ordrer"))
    assert mine.number in listing and theirs.number not in listing
    assert coordinator.get(f"/ordrer/{theirs.id}").status_code == 404
    assert "Lia skole" in page_text(coordinator.get("/admin"))


def test_ehf_download_of_another_order_is_not_found(world, login_as, store):
    order = place_order(login_as, world.orderer, world.items["PEN-1"], world.school, store)
    login_as(world.approver).post(f"/godkjenning/{order.id}", data={"approve": "1"})
    outsider = login_as(world.other_orderer)
    assert outsider.get(f"/ordrer/{order.id}/ehf/1").status_code == 404


def test_open_redirect_after_login_is_refused(world, client):
    response = client.post("/logg-inn?next=https://evil.example/", data={"email": world.orderer.email,
                                                                          "password": "Correct-horse-9"})
    assert response.headers["Location"] == "/start"  # the start page for the user's roles (issue 15)


def test_wrong_password_gives_one_clear_message(world, client):
    response = client.post("/logg-inn", data={"email": world.orderer.email, "password": "nope"})
    assert response.status_code == 200
    assert "Feil e-postadresse eller passord" in page_text(response)
