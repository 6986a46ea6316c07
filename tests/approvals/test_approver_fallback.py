"""Issue 15: nobody is stuck without an approver. A tier with nobody eligible falls back to the
coordinators, then the next tier, then the approvers of the municipality's other units; the route
says so, and the approver sees the orderer's message to the supplier."""
from __future__ import annotations

from decimal import Decimal as D

from helpers import page_text
from sqlalchemy import select

from webshop.approvals.models import ApprovalStep
from webshop.approvals.policy import Check, Fallback, OrderFacts, Person, Policy, Tier, required_route
from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Role, RoleAssignment, User

KIM = Person(1, "Kim Koordinator")  # the orderer: her unit's only approver and the only coordinator
DIR = Person(2, "Direktør")
PER = Person(3, "Per, annen enhet")


def facts(total: str = "100") -> OrderFacts:
    return OrderFacts(total=D(total), orderer_id=KIM.id)


def test_the_coordinator_who_is_the_only_approver_gets_another_units_approver():
    policy = Policy((Tier("Godkjenner for enheten", (KIM,)),), fallback_approvers=(KIM,), reserve_approvers=(PER,))
    route = required_route(facts(), policy)
    assert not route.is_blocked
    assert [(s.name, [p.id for p in s.approvers], s.via) for s in route.steps] == [
        ("Godkjenner for enheten", [3], Fallback.OTHER_UNIT)]


def test_the_next_tier_stands_in_before_another_unit():
    policy = Policy((Tier("Enhet", (KIM,)), Tier("Direktør", (DIR,), D("50000"))), fallback_approvers=(KIM,),
                    reserve_approvers=(PER,))
    route = required_route(facts("100"), policy)  # the director's tier is not needed for 100 kr
    assert [(s.name, [p.id for p in s.approvers], s.via) for s in route.steps] == [("Enhet", [2], Fallback.NEXT_TIER)]


def test_the_coordinator_still_comes_first_and_the_tier_itself_before_that():
    coordinator = Person(9, "Koordinator")
    policy = Policy((Tier("Enhet", (KIM,)),), fallback_approvers=(coordinator,), reserve_approvers=(PER,))
    assert [(p.id, s.via) for s in required_route(facts(), policy).steps for p in s.approvers] == [
        (9, Fallback.COORDINATOR)]
    own = Policy((Tier("Enhet", (DIR,)),), fallback_approvers=(coordinator,), reserve_approvers=(PER,))
    assert [(p.id, s.via) for s in required_route(facts(), own).steps for p in s.approvers] == [(2, None)]


def test_with_nobody_anywhere_the_order_is_still_refused():
    route = required_route(facts(), Policy((Tier("Enhet", (KIM,)),), fallback_approvers=(KIM,)))
    assert route.is_blocked and [f.check for f in route.blocked] == [Check.NOBODY_CAN_APPROVE]


def test_a_coordinator_alone_in_her_unit_can_order_and_the_route_says_who_stands_in(world, login_as, store):
    kim = store.get(User, world.coordinator.id)
    # Kim orders for the nursing home and is its only approver; Per Nursing moves to the school.
    per = store.get(User, world.nursing_approver.id)
    per.roles = [RoleAssignment(role=Role.APPROVER, unit_id=world.school.id)]
    kim.roles = [RoleAssignment(role=Role.COORDINATOR, unit_id=None),
                 RoleAssignment(role=Role.ORDERER, unit_id=world.nursing.id),
                 RoleAssignment(role=Role.APPROVER, unit_id=world.nursing.id)]
    store.commit()
    c = login_as(kim)
    assert c.post("/handlekurv/legg-til", data={"item_id": world.items["PEN-1"].id, "quantity": "2"}).status_code == 302
    cart = page_text(c.get("/handlekurv"))
    assert "kontakt e-handelskoordinatoren" not in cart
    assert "en godkjenner fra en annen enhet gjør det" in cart
    r = c.post("/handlekurv/send", data={"unit_id": world.nursing.id, "note": "Ring før levering, 41 00 00 00"})
    assert r.status_code == 302, page_text(r)[:500]
    order = store.scalar(select(Order))
    assert order.status == OrderStatus.PENDING_APPROVAL
    step = store.scalar(select(ApprovalStep).where(ApprovalStep.order_id == order.id))
    assert {a.user_id for a in step.approvers} == {world.approver.id, world.orderer_approver.id, per.id}
    review = page_text(login_as(world.approver).get(f"/godkjenning/{order.id}"))
    assert "en godkjenner fra en annen enhet gjør det" in review
    assert "Ring før levering, 41 00 00 00" in review  # the orderer's message to the supplier
