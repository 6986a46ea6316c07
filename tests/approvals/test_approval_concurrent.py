"""Races, through real concurrent transactions on SQLite and on PostgreSQL (TEST_DATABASE_URL):
two approvers on one step, approve against cancel, one cart sent twice, two orders against one
hard monthly cap. tests/overlap.py forces each pair to overlap (the loser reads before the winner
commits and writes after), and each test checks which guard refused the loser. Select the
approval races with `pytest -k "approval and concurrent"`.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import outbox_files, page_text
from overlap import LOCK, Overlap, is_write, raised_in
from sqlalchemy import func, select

from webshop.approvals.models import ApprovalDecision, ApprovalStep, UnitBudget
from webshop.cart.models import CartLine
from webshop.orders.models import AuditEvent, Order, OrderDocument


def race(app, arm: str, winner, loser, **overlap) -> tuple[str, str, Overlap]:
    """Two real requests whose transactions overlap (tests/overlap.py); the two pages, followed to the end."""
    with Overlap(engine_of(app), arm=starts(arm), **overlap) as forced:
        outcome = forced.run(winner=winner, loser=loser)
    for side in ("winner", "loser"):
        assert not isinstance(outcome[side], Exception), outcome
        assert outcome[side].status_code == 200, page_text(outcome[side])[:300]
    return page_text(outcome["winner"]), page_text(outcome["loser"]), forced


def post(client, url, data):
    return lambda: client.post(url, data=data, follow_redirects=True)


@pytest.mark.parametrize("loser_presses", ["approve", "reject"])
def test_approval_concurrent_final_step_one_decision_one_ehf(app, world, people, place, login_as, store,
                                                             loser_presses):
    """Two approvers press at the same moment: the one who commits second is told, nothing of theirs is stored."""
    order = place(world.orderer, world.items["KP-100"], world.school, "2")
    url = f"/godkjenning/{order.id}"
    press = {"approve": {"approve": "1"}, "reject": {"reject": "1", "comment": "Nei"}}[loser_presses]
    won, lost, forced = race(app, STEP_CAS, post(login_as(world.approver), url, {"approve": "1"}),
                             post(login_as(people.anne), url, press), expect_wait=True)
    assert "er godkjent og sendes til Kontor AS" in won
    assert RACED in lost and "er godkjent" not in lost and "er avvist" not in lost
    assert forced.rowcounts("loser", STEP_CAS) == [0]
    store.expire_all()
    assert [d.approver_id for d in store.scalars(select(ApprovalDecision))] == [world.approver.id]
    assert store.get(Order, order.id).status == "approved"
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 1
    from webshop.delivery.worker import run_once  # approval queues the message; the delivery worker sends it

    with app.app_context():
        run_once("test")
    assert len(outbox_files(app)) == 1
    assert trail(store, order.id) == ["submitted", "approved", "ehf_built", "sent"]


def test_approval_concurrent_first_of_two_steps(app, world, people, set_policy, place, login_as, store):
    set_policy(director_above="50", director=people.director)
    order = place(world.orderer, world.items["KP-100"], world.school, "2")  # 104 kr: two steps
    url = f"/godkjenning/{order.id}"
    won, lost, forced = race(app, STEP_CAS, post(login_as(world.approver), url, {"approve": "1"}),
                             post(login_as(people.anne), url, {"approve": "1"}), expect_wait=True)
    assert "går videre til neste godkjenner" in won
    # The loser read step 1 as open (it did not see "not your step"): the step's compare-and-set refused it.
    assert RACED in lost and "ikke godkjenner for dette trinnet" not in lost
    assert forced.rowcounts("loser", STEP_CAS) == [0]
    store.expire_all()
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == 1
    assert store.get(Order, order.id).status == "pending_approval"
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 0
    steps = list(store.scalars(select(ApprovalStep).where(ApprovalStep.order_id == order.id)
                               .order_by(ApprovalStep.number)))
    assert steps[0].decided_at is not None and steps[1].decided_at is None


def test_approval_concurrent_submits_cannot_both_pass_a_hard_monthly_cap(app, world, store, login_as):
    """Two orderers of one unit press "send" at the same moment; the unit's hard monthly budget fits one order."""
    store.add(UnitBudget(unit_id=world.school.id, monthly=Decimal("150"), hard=True))
    store.commit()
    clients = [login_as(world.orderer), login_as(world.orderer_approver)]
    for c in clients:  # 2 × 52 kr = 104 kr each: one fits under 150 kr, both together do not
        assert c.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id,
                                                    "quantity": "2"}).status_code == 302
    sqlite = engine_of(app).dialect.name == "sqlite"
    send = {"unit_id": world.school.id}
    with Overlap(engine_of(app), arm=starts(SPEND_READ), expect_wait=True,
                 arrive=lambda sql: bool(LOCK.search(sql)) or (sqlite and is_write(sql)),
                 arrive_after=starts(SPEND_READ)) as forced:
        outcome = forced.run(winner=lambda: clients[0].post("/handlekurv/send", data=send),
                             loser=lambda: clients[1].post("/handlekurv/send", data=send))
    assert outcome["winner"].status_code == 302, page_text(outcome["winner"])[:300]
    assert outcome["loser"].status_code == 400
    refused = page_text(outcome["loser"])
    assert "kan ikke sendes" in refused and "månedsbudsjett" in refused
    store.expire_all()
    orders = list(store.scalars(select(Order)))
    assert len(orders) == 1 and orders[0].total == Decimal("104.00") and orders[0].orderer_id == world.orderer.id
    assert store.scalar(select(func.count()).select_from(CartLine)) == 1  # the refused cart is kept


# ------------------------------------------------------------------ forced overlap, one guard each
#
# Each test below makes the two transactions overlap for certain (tests/overlap.py): the loser
# reads before the winner commits and writes after it. Then it checks WHICH guard refused the
# loser: the exception, its message, where it was raised, and the rowcount of the guarded
# statement. Each guard was switched off by monkeypatching in a scratch run, and the test went red.

STATUS_CAS = "UPDATE orders SET status"
STEP_CAS = "UPDATE approval_steps SET decided_at"
TAKE_CART = "DELETE FROM cart_lines"
SPEND_READ = "SELECT orders.total FROM orders"
RACED = "Ordren er allerede behandlet av noen andre. Last siden på nytt for å se status."


def starts(prefix: str):
    return lambda sql: sql.lstrip().startswith(prefix)


def in_own_transaction(app, work):
    """``work()`` in its own app context, so its own session and connection; committed, or rolled back."""
    from webshop.extensions import db

    def run():
        with app.app_context():
            try:
                result = work()
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return run


def engine_of(app):
    from webshop.extensions import db

    with app.app_context():
        return db.engine


def trail(store, order_id: int) -> list[str]:
    store.expire_all()
    return list(store.scalars(select(AuditEvent.action).where(AuditEvent.order_id == order_id)
                              .order_by(AuditEvent.id)))


def approve_as(app, user_id: int, order_id: int):
    from webshop.approvals import services as approvals
    from webshop.extensions import db
    from webshop.orgs.models import User

    return in_own_transaction(app, lambda: approvals.approve_order(db.session.get(Order, order_id),
                                                                   by=db.session.get(User, user_id)))


def cancel_as(app, user_id: int, order_id: int):
    from webshop.extensions import db
    from webshop.orders import services as orders
    from webshop.orgs.models import User

    return in_own_transaction(app, lambda: orders.cancel_order(db.session.get(Order, order_id),
                                                               by=db.session.get(User, user_id)))


def submit_as(app, user_id: int, unit_id: int):
    from webshop.extensions import db
    from webshop.orders import services as orders
    from webshop.orgs.models import User

    return in_own_transaction(app, lambda: [o.id for o in orders.submit_cart(db.session.get(User, user_id),
                                                                             unit_id=unit_id)])


@pytest.mark.parametrize("winner", ["approver", "orderer"])
def test_approval_concurrent_approve_and_cancel_the_order_status_compare_and_set_refuses_the_loser(
        app, world, place, store, winner):
    """Guard: the compare-and-set on the order status in ``lifecycle.change_status``. The approver
    and the orderer both see the order pending; whoever commits second changes no row and is refused."""
    from webshop.orders.errors import AlreadyDecided

    order = place(world.orderer, world.items["KP-100"], world.school, "2")
    sides = {"approver": approve_as(app, world.approver.id, order.id),
             "orderer": cancel_as(app, world.orderer.id, order.id)}
    loser = "orderer" if winner == "approver" else "approver"
    # The orderer's first write is the guarded UPDATE itself: on PostgreSQL it must wait for the row lock.
    with Overlap(engine_of(app), arm=starts(STATUS_CAS), expect_wait=loser == "orderer") as overlap:
        outcome = overlap.run(winner=sides[winner], loser=sides[loser])
    refused = outcome["loser"]
    assert isinstance(refused, AlreadyDecided), refused
    assert str(refused) == RACED  # not the early "no longer waits for approval": the loser read it pending
    assert raised_in(refused) == "webshop.orders.lifecycle.change_status"
    assert overlap.rowcounts("winner", STATUS_CAS) == [1] and overlap.rowcounts("loser", STATUS_CAS) == [0]
    if loser == "approver":  # the approver's own step guard let it through: only the status guard stopped it
        assert overlap.rowcounts("loser", STEP_CAS) == [1]
    store.expire_all()
    assert store.get(Order, order.id).status == {"approver": "approved", "orderer": "cancelled"}[winner]
    assert trail(store, order.id) == {"approver": ["submitted", "approved", "ehf_built"],
                                      "orderer": ["submitted", "cancelled"]}[winner]
    assert store.scalar(select(func.count()).select_from(ApprovalDecision)) == (winner == "approver")
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == (winner == "approver")


def test_approval_concurrent_two_approvers_the_step_compare_and_set_refuses_the_loser(app, world, people, place,
                                                                                       store):
    """Guard: the compare-and-set on the approval step in ``approvals.services._decide``: both approvers
    see the step open; the second to write changes no row, and never reaches the order status."""
    from webshop.orders.errors import AlreadyDecided

    order = place(world.orderer, world.items["KP-100"], world.school, "2")
    with Overlap(engine_of(app), arm=starts(STEP_CAS), expect_wait=True) as overlap:
        outcome = overlap.run(winner=approve_as(app, world.approver.id, order.id),
                              loser=approve_as(app, people.anne.id, order.id))
    refused = outcome["loser"]
    assert isinstance(refused, AlreadyDecided), refused
    assert str(refused) == RACED
    assert raised_in(refused) == "webshop.approvals.services._decide"
    assert overlap.rowcounts("winner", STEP_CAS) == [1] and overlap.rowcounts("loser", STEP_CAS) == [0]
    assert overlap.rowcounts("loser", STATUS_CAS) == []
    store.expire_all()
    assert [d.approver_id for d in store.scalars(select(ApprovalDecision))] == [world.approver.id]
    assert store.get(Order, order.id).status == "approved"
    assert trail(store, order.id) == ["submitted", "approved", "ehf_built"]
    assert store.scalar(select(func.count()).select_from(OrderDocument)) == 1


def test_concurrent_submits_of_one_cart_the_cart_rowcount_check_refuses_the_second(app, world, store, login_as):
    """Guard: ``submit_cart`` deletes the cart lines it read and checks that it deleted all of them.
    The same cart submitted twice at once (two tabs): both read the same lines, one order is made."""
    from webshop.cart.services import CartError

    c = login_as(world.orderer)
    for key in ("KP-100", "PEN-1"):
        assert c.post("/handlekurv/legg-til", data={"item_id": world.items[key].id, "quantity": "2"}).status_code == 302
    submit = submit_as(app, world.orderer.id, world.school.id)
    with Overlap(engine_of(app), arm=starts(TAKE_CART), expect_wait=True) as overlap:
        outcome = overlap.run(winner=submit, loser=submit)
    refused = outcome["loser"]
    assert isinstance(refused, CartError), refused
    assert str(refused) == "Handlekurven er allerede sendt. Se ordrene dine."
    assert raised_in(refused) == "webshop.orders.services.submit_cart"
    assert overlap.rowcounts("winner", TAKE_CART) == [2] and overlap.rowcounts("loser", TAKE_CART) == [0]
    store.expire_all()
    (order,) = store.scalars(select(Order))
    assert outcome["winner"] == [order.id] and order.total == Decimal("113.80")  # 2 × 52.00 + 2 × 4.90
    assert trail(store, order.id) == ["submitted"]
    assert store.scalar(select(func.count()).select_from(CartLine)) == 0


def test_approval_concurrent_submits_the_spend_lock_makes_the_second_see_the_first(app, world, store, login_as):
    """Guard: ``lock_spend`` before the month's spend is read. Two orderers of one unit submit at once;
    the unit's hard monthly budget (150 kr) fits one order of 104 kr. The winner has read the spend and
    holds its transaction open; the loser must not read the spend before the winner commits.
    PostgreSQL: the loser waits on the unit row lock (checked in pg_stat_activity). SQLite: the loser's
    first write (taking its cart) waits for the winner's write lock, so it reads the spend afterwards."""
    from webshop.cart.services import CartError

    store.add(UnitBudget(unit_id=world.school.id, monthly=Decimal("150"), hard=True))
    store.commit()
    for user in (world.orderer, world.orderer_approver):
        r = login_as(user).post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "2"})
        assert r.status_code == 302
    sqlite = engine_of(app).dialect.name == "sqlite"
    with Overlap(engine_of(app), arm=starts(SPEND_READ), expect_wait=True,
                 arrive=lambda sql: bool(LOCK.search(sql)) or (sqlite and is_write(sql)),
                 arrive_after=starts(SPEND_READ)) as overlap:
        outcome = overlap.run(winner=submit_as(app, world.orderer.id, world.school.id),
                              loser=submit_as(app, world.orderer_approver.id, world.school.id))
    refused = outcome["loser"]
    assert isinstance(refused, CartError), refused
    assert "kan ikke sendes" in str(refused) and "månedsbudsjett" in str(refused)
    assert raised_in(refused) == "webshop.approvals.services.route_submitted_order"
    assert overlap.arrived_before  # the loser was stopped before it read the spend, not after
    if not sqlite:
        assert overlap.lock_waited
    store.expire_all()
    (order,) = store.scalars(select(Order))
    assert outcome["winner"] == [order.id] and order.orderer_id == world.orderer.id
    assert order.total == Decimal("104.00")
    assert store.scalar(select(func.count()).select_from(CartLine)) == 1  # the refused cart is kept
