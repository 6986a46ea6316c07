"""GET /api/v1/adoption returns exactly the figures of a hand-made accounting file (issue 13).

Boundaries: orders on the last day of a month (in Oslo time), cancelled and rejected orders,
credit notes as negative amounts, a large one-off order shown apart, and a unit with no spend.
Every expected value below is written by hand from the file and the orders.
"""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import select

from webshop.orders.models import Order
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, UnitKind, User

S = OrderStatus
at = partial(datetime, tzinfo=UTC)


def _order(store, world, unit, status, total, at, org=None):
    order = Order(organisation_id=(org or world.org).id, unit_id=unit.id, supplier_id=world.supplier.id,
                  agreement_id=world.agreement.id, orderer_id=world.orderer.id, status=status,
                  submitted_at=at, total=Decimal(total), vat_total=Decimal(0))
    store.add(order)
    store.flush()
    return order


@pytest.fixture
def figures(app, world, store):
    """The orders and the accounting file; returns the file's bytes."""
    o1 = _order(store, world, world.school, S.DELIVERED, "1000.00", at(2026, 1, 31, 22, 30))  # 23:30 Oslo: Jan
    o2 = _order(store, world, world.school, S.SENT, "500.00", at(2026, 1, 31, 23, 30))  # 00:30 Oslo 1 Feb
    _order(store, world, world.school, S.CANCELLED, "700.00", at(2026, 1, 10, 9, 0))
    _order(store, world, world.school, S.REJECTED, "300.00", at(2026, 1, 11, 9, 0))
    _order(store, world, world.school, S.REJECTED_BY_SUPPLIER, "200.00", at(2026, 2, 11, 9, 0))
    _order(store, world, world.school, S.PENDING_APPROVAL, "250.00", at(2026, 3, 2, 9, 0))
    o7 = _order(store, world, world.school, S.DELIVERED, "600000.00", at(2026, 3, 3, 9, 0))  # large one-off
    _order(store, world, world.other_unit, S.DELIVERED, "999.00", at(2026, 1, 5, 9, 0), org=world.other_org)
    _order(store, world, world.school, S.DELIVERED, "1.00", at(2026, 4, 1, 0, 0))  # 1 April in Oslo: out
    store.commit()
    text = (
        "Bilagsdato;Ansvar;Leverandør orgnr;Leverandør;Beløp;Ordrenummer\n"
        f"31.01.2026;2100;918 273 646;Kontor AS;1 000,00;{o1.number}\n"
        "31.01.2026;2100;987654321;Byggmester AS;3 000,00;\n"
        f"01.02.2026;2100;918273646;Kontor AS;500,00;{o2.number}\n"
        "15.02.2026;2100;918273646;Kontor AS;-100,00;\n"  # a credit note
        f"10.03.2026;2100;918273646;Kontor AS;600 000,00;{o7.number}\n"
        "10.03.2026;2100;918273646;Kontor AS;750,00;\n"
        "01.04.2026;2100;918273646;Kontor AS;5,00;\n"  # outside the period asked for
    )
    return text.encode("cp1252")  # as older accounting systems write it


def _import(app, world, data):
    from webshop.extensions import db
    from webshop.leader.services import import_spend, save_unit_goal

    with app.app_context():
        org = db.session.get(Organisation, world.org.id)
        import_spend(org, data, "regnskap.csv", by=None)
        coordinator = db.session.get(User, world.coordinator.id)
        save_unit_goal(db.session.get(Unit, world.school.id), Decimal("30"), by=coordinator)
        db.session.commit()


def _month(month, total, e, agreement, share_total, share_potential, target, large="0.00"):
    return {"month": month, "spend_total": total, "spend_e_ordering": e, "spend_agreement_suppliers": agreement,
            "share_of_total": share_total, "share_of_potential": share_potential, "target": target,
            "large_orders": large}


SCHOOL = [
    _month("2026-01", "4000.00", "1000.00", "1000.00", "25.0", "100.0", "30.00"),
    _month("2026-02", "400.00", "500.00", "400.00", "125.0", "125.0", "30.00"),
    _month("2026-03", "600750.00", "250.00", "600750.00", "33.3", "33.3", "30.00", large="600000.00"),
]
NURSING = [_month(m, "0.00", "0.00", "0.00", None, None, "25.00") for m in ("2026-01", "2026-02", "2026-03")]


def test_api_returns_the_hand_made_figures(app, world, figures, login_as):
    _import(app, world, figures)
    response = login_as(world.coordinator).get("/api/v1/adoption?from=2026-01&to=2026-03")
    assert response.status_code == 200
    body = response.get_json()
    assert body["from"] == "2026-01" and body["to"] == "2026-03" and body["target"] == "25.00"
    assert body["organisation"]["id"] == world.org.id
    units = {u["name"]: u["months"] for u in body["units"]}
    assert units == {"Lia skole": SCHOOL, "Lia sykehjem": NURSING}
    assert body["total"][0] == _month("2026-01", "4000.00", "1000.00", "1000.00", "25.0", "100.0", "25.00")


def test_api_with_a_token_and_only_the_callers_municipality(app, world, figures, client, store):
    _import(app, world, figures)
    from webshop.auth.tokens import create_token
    from webshop.extensions import db

    with app.app_context():
        bo_leader = User(email="rad@bo.no", name="Rådmann Bø", organisation_id=world.other_org.id,
                         password_hash="x", roles=[RoleAssignment(role=Role.LEADER)])
        db.session.add(bo_leader)
        db.session.flush()
        token, _text = create_token(bo_leader, "api")
        db.session.commit()
    response = client.get("/api/v1/adoption?from=2026-01&to=2026-01", headers={"Authorization": f"Bearer {_text}"})
    assert response.status_code == 200
    body = response.get_json()
    assert [u["name"] for u in body["units"]] == ["Bø skole"]
    assert body["units"][0]["months"] == [_month("2026-01", "0.00", "999.00", "0.00", None, None, "25.00")]


def test_unit_manager_sees_only_own_units(app, world, figures, store, login_as):
    _import(app, world, figures)
    manager = User(email="mia@lia.no", name="Mia Manager", organisation_id=world.org.id, password_hash="x")
    from helpers import PASSWORD

    manager.set_password(PASSWORD)
    manager.roles = [RoleAssignment(role=Role.UNIT_MANAGER, unit_id=world.nursing.id)]
    store.add(manager)
    store.commit()
    body = login_as(manager).get("/api/v1/adoption?from=2026-03&to=2026-03").get_json()
    assert [u["name"] for u in body["units"]] == ["Lia sykehjem"]
    assert body["units"][0]["months"] == [NURSING[2]]


@pytest.mark.parametrize("who, status", [("orderer", 403), ("approver", 403), ("other_orderer", 403)])
def test_api_refuses_other_roles(world, login_as, who, status):
    assert login_as(getattr(world, who)).get("/api/v1/adoption?from=2026-01&to=2026-02").status_code == status


def test_api_refuses_anonymous_and_bad_months(world, client, login_as):
    assert client.get("/api/v1/adoption?from=2026-01&to=2026-02").status_code == 401
    coordinator = login_as(world.coordinator)
    for query in ("from=2026-13&to=2026-14", "from=2026-03&to=2026-01", "from=2020-01&to=2026-12", "to=2026-01"):
        assert coordinator.get(f"/api/v1/adoption?{query}").status_code == 400, query


def test_sandbox_orders_never_count(app, world, store, login_as):
    sandbox = Organisation(collaboration_id=world.org.collaboration_id, key="lab", name="Øvingskommune",
                           orgnr="999999999", is_sandbox=True)
    store.add(sandbox)
    store.flush()
    unit = Unit(organisation_id=sandbox.id, key="lab-skole", name="Øvingsskole", kind=UnitKind.SCHOOL,
                street="x", postcode="0000", city="x")
    store.add(unit)
    store.flush()
    trainee = User(email="elev@lab.no", name="Elev", organisation_id=sandbox.id, password_hash="x")
    from helpers import PASSWORD

    trainee.set_password(PASSWORD)
    trainee.roles = [RoleAssignment(role=Role.LEADER)]
    store.add(trainee)
    _order(store, world, unit, S.DELIVERED, "100.00", at(2026, 1, 5, 9, 0), org=sandbox)
    store.commit()
    body = login_as(trainee).get("/api/v1/adoption?from=2026-01&to=2026-01").get_json()
    assert body["units"][0]["months"][0]["spend_e_ordering"] == "0.00"
    assert store.scalar(select(Order.total).where(Order.organisation_id == sandbox.id)) == Decimal("100.00")


def _changed(app, order_id):
    from webshop.extensions import db
    from webshop.leader.services import on_order_changed

    with app.app_context():
        on_order_changed(db.session.get(Order, order_id))
        db.session.commit()


def test_the_cache_answers_again_only_while_nothing_changed(app, world, figures, store, login_as):
    """With LEADER_CACHE on, a new order or a status change (an audit event) makes the figures fresh."""
    _import(app, world, figures)
    coordinator = login_as(world.coordinator)
    url = "/api/v1/adoption?from=2026-03&to=2026-03"
    app.config["LEADER_CACHE"] = True
    try:
        before = coordinator.get(url).get_json()["units"][0]["months"][0]
        assert before["spend_e_ordering"] == "250.00"
        added = _order(store, world, world.school, S.SENT, "50.00", at(2026, 3, 9, 9, 0))
        store.commit()
        _changed(app, added.id)  # what the lifecycle's signal does for every new order
        after = coordinator.get(url).get_json()["units"][0]["months"][0]
        assert after["spend_e_ordering"] == "300.00"
        from webshop import audit
        from webshop.extensions import db

        pending = store.scalar(select(Order).where(Order.status == S.PENDING_APPROVAL))
        with app.app_context():  # a status change goes through the lifecycle, which writes an audit event
            order = db.session.get(Order, pending.id)
            order.status = S.CANCELLED
            audit.record("cancelled", by=None, organisation_id=order.organisation_id, order=order)
            db.session.commit()
        _changed(app, pending.id)
        assert coordinator.get(url).get_json()["units"][0]["months"][0]["spend_e_ordering"] == "50.00"
    finally:
        app.config.pop("LEADER_CACHE")


def test_the_monthly_cells_follow_the_order_lifecycle(app, world, store, login_as):
    """Real orders through the cart and the approval: the signals keep the cells current."""
    from lxml import html

    from webshop.extensions import db
    from webshop.leader.models import OrderMonth

    client = login_as(world.orderer)
    page = client.get("/katalog?q=kopipapir")
    token = html.fromstring(page.data).xpath("//input[@name='csrf_token']/@value")[0]
    client.post("/handlekurv/legg-til", data={"csrf_token": token, "item_id": world.items["KP-100"].id,
                                               "quantity": "3"})
    cart = client.get("/handlekurv")
    token = html.fromstring(cart.data).xpath("//input[@name='csrf_token']/@value")[0]
    response = client.post("/handlekurv/send", data={"csrf_token": token, "unit_id": world.school.id})
    assert response.status_code in (302, 303), response.data[:300]
    with app.app_context():
        cells = list(db.session.scalars(select(OrderMonth)))
        assert [(c.unit_id, c.orders, c.spend, c.catalogue, c.savings) for c in cells] == [
            (world.school.id, 1, Decimal("156.00"), Decimal("156.00"), Decimal("45.90"))]  # 3 x 52; 3 x 15.30
        order = db.session.scalar(select(Order))
    approver = login_as(world.approver)
    page = approver.get(f"/godkjenning/{order.id}")
    token = html.fromstring(page.data).xpath("//input[@name='csrf_token']/@value")[0]
    approver.post(f"/godkjenning/{order.id}", data={"csrf_token": token, "reject": "1", "comment": "Nei"})
    with app.app_context():
        assert db.session.get(Order, order.id).status == S.REJECTED
        assert list(db.session.scalars(select(OrderMonth))) == []  # a rejected order no longer counts
