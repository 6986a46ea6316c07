"""An order page someone may open is also on their order list, and an order they may
decide is also in their approval inbox: the route approver and the deputy cases."""
from __future__ import annotations

from helpers import page_text
from sqlalchemy import select

from webshop.approvals.models import ApprovalSubstitute
from webshop.catalogue.services import today_in_norway
from webshop.orders.models import Order


def test_named_route_approver_finds_the_order_on_the_list_they_may_open(world, set_policy, place, login_as, store):
    # Per approves for the nursing home only, but the policy names him for orders above 1 000 kr.
    set_policy(director_above="1000", director=world.nursing_approver)
    order = place(world.orderer, world.items["KP-100"], world.school, "25")  # 1 300 kr, from the school
    assert [s.approver_ids for s in order.approval_steps][1] == {world.nursing_approver.id}
    per = login_as(world.nursing_approver)
    assert per.get(f"/ordrer/{order.id}").status_code == 200
    assert order.number in page_text(per.get("/ordrer"))
    # Not his step yet: no decision, and not in his inbox.
    assert order.number not in page_text(per.get("/godkjenning"))
    login_as(world.approver).post(f"/godkjenning/{order.id}", data={"approve": "1"})
    assert order.number in page_text(per.get("/godkjenning"))
    assert "decide-heading" in page_text(per.get(f"/ordrer/{order.id}"))


def test_deputy_finds_the_order_on_the_list_they_may_open_and_decide(world, place, login_as, store):
    order = place(world.orderer, world.items["PEN-1"], world.school)
    today = today_in_norway()
    store.add(ApprovalSubstitute(approver_id=world.approver.id, deputy_id=world.nursing_approver.id,
                                 starts_on=today, ends_on=today))
    store.commit()
    per = login_as(world.nursing_approver)
    assert per.get(f"/ordrer/{order.id}").status_code == 200
    assert order.number in page_text(per.get("/ordrer"))
    assert order.number in page_text(per.get("/godkjenning"))
    # A different school order Per has nothing to do with stays hidden from him once Kari is back.
    store.delete(store.scalar(select(ApprovalSubstitute)))
    store.commit()
    assert per.get(f"/ordrer/{order.id}").status_code == 404
    assert order.number not in page_text(per.get("/ordrer"))


def test_an_away_approver_keeps_an_order_without_a_stored_route_in_the_inbox(world, place, login_as, store):
    """Orders from before routes were stored go to the unit's approvers; being away does not hide them."""
    order = place(world.orderer, world.items["PEN-1"], world.school)
    for step in list(order.approval_steps):
        for approver in list(step.approvers):
            store.delete(approver)
        store.delete(step)
    store.commit()
    today = today_in_norway()
    store.add(ApprovalSubstitute(approver_id=world.approver.id, deputy_id=world.nursing_approver.id,
                                 starts_on=today, ends_on=today))
    store.commit()
    kari = login_as(world.approver)
    assert "decide-heading" in page_text(kari.get(f"/ordrer/{order.id}"))  # she may decide it ...
    assert order.number in page_text(kari.get("/godkjenning"))  # ... so her inbox shows it
    store.expire_all()
    assert store.get(Order, order.id).status == "pending_approval"
