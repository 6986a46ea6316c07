"""A sandbox's orders go through the real search, cart, approval, delivery and supplier simulator,
and still never reach a real supplier, a real statistic or a real approval inbox (issue 12)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from tests.lab.conftest import two_condition_spec
from webshop.approvals.access import approvable_orders
from webshop.approvals.services import approve_order
from webshop.catalogue.models import CatalogueItem
from webshop.delivery.worker import deliver_due
from webshop.extensions import db
from webshop.lab import exercises
from webshop.lab.models import Participant
from webshop.orders.models import Order, OrderDocument
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Organisation, Role, User
from webshop.supplier import inbound
from webshop.supplier.stats import supplier_statistics


def _login(app, login):
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": login.login, "password": login.password}).status_code == 302
    return client


def _inboxes(users) -> dict[int, list[int]]:
    return {u.id: list(db.session.scalars(approvable_orders(u).with_only_columns(Order.id))) for u in users}


def _by_condition(logins):
    return {x.condition: x for x in logins}


def _farin_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.supplier_item_id == "31339")
                                 .order_by(CatalogueItem.id.desc()).limit(1))


def test_raw_catalogue_condition_has_no_synonyms(app, make_course):
    _course, logins = make_course()
    curated = _login(app, _by_condition(logins)["A"]).get("/katalog?q=sukker").get_data(as_text=True)
    raw = _login(app, _by_condition(logins)["B"]).get("/katalog?q=sukker").get_data(as_text=True)
    assert "Farin 1 kg" in curated  # the synonym «farin, sukker» works in the curated sandbox
    assert "Farin 1 kg" not in raw  # the supplier's raw catalogue has no synonyms
    # the raw name still finds it
    assert "Farin 1 kg" in _login(app, _by_condition(logins)["B"]).get("/katalog?q=farin").get_data(as_text=True)


def _order_farin(app, login) -> Order:
    client = _login(app, login)
    farin = _farin_id(app)
    assert client.post("/handlekurv/legg-til", data={"item_id": farin, "quantity": "1"}).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == login.login))
        (unit_id,) = user.unit_ids(Role.ORDERER)
    response = client.post("/handlekurv/send", data={"unit_id": unit_id})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.orderer_id == user.id))
        db.session.expunge(order)
        return order


def test_a_sandbox_order_never_reaches_a_real_supplier_or_statistic(app, make_course):
    _course, logins = make_course()
    outbox = Path(app.config["OUTBOX_DIR"])
    files_before = set(outbox.iterdir()) if outbox.exists() else set()
    with app.app_context():
        collaboration_id = db.session.scalar(select(Organisation.collaboration_id)
                                             .where(Organisation.key == "fjellbygd"))
        inbound.send_due_simulated()  # the demo's own simulated answers that are due: not ours to count
        inbound.process_received()
        stats_before = [(s.id, st) for s, st in supplier_statistics(collaboration_id)]
        real_approvers = list(db.session.scalars(select(User).join(Organisation)
                                                 .where(Organisation.is_sandbox.is_(False))))
        inboxes_before = _inboxes(real_approvers)
    login = _by_condition(logins)["A"]
    order = _order_farin(app, login)
    assert order.status is OrderStatus.PENDING_APPROVAL
    with app.app_context():
        # no real approver sees it
        assert _inboxes(real_approvers) == inboxes_before
        sandbox_order = db.session.get(Order, order.id)
        approver = db.session.scalar(select(User).where(
            User.organisation_id == sandbox_order.organisation_id, User.id != sandbox_order.orderer_id,
            User.roles.any(role=Role.APPROVER, unit_id=sandbox_order.unit_id)).order_by(User.id).limit(1))
        assert approver.organisation.is_sandbox
        approve_order(sandbox_order, by=approver)
        db.session.commit()
        rounds = deliver_due(worker_id="test")
        assert rounds.delivered == 1
        document = db.session.scalar(select(OrderDocument).where(OrderDocument.order_id == order.id))
        assert document.delivery_ref.startswith("sandbox:")
        assert db.session.get(Order, order.id).status is OrderStatus.SENT
    files_after = set(outbox.iterdir()) if outbox.exists() else set()
    assert files_after == files_before  # nothing went to the real transport (the outbox folder)
    with app.app_context():
        # the simulator answers (accept) through the real inbound path
        from webshop.supplier.models import SimulatedMessage

        db.session.execute(SimulatedMessage.__table__.update().where(SimulatedMessage.order_id == order.id)
                           .values(due_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
        assert inbound.send_due_simulated() >= 1
        inbound.process_received()
        assert db.session.get(Order, order.id).status in (OrderStatus.CONFIRMED, OrderStatus.DELIVERED,
                                                          OrderStatus.PARTLY_DELIVERED)
        stats_after = [(s.id, st) for s, st in supplier_statistics(collaboration_id)]
        assert [(i, st.orders, st.answered) for i, st in stats_after] == \
            [(i, st.orders, st.answered) for i, st in stats_before]
        # and the finding-sugar exercise's check sees the order in the sandbox
        participant = db.session.scalar(select(Participant).where(Participant.user_id == order.orderer_id))
        finn = exercises.library_exercise("finn-sukker", participant.course.organisation_id)
        assert exercises.check(finn, participant, datetime(2000, 1, 1, tzinfo=UTC))
        tre = exercises.library_exercise("tre-varer", participant.course.organisation_id)
        assert not exercises.check(tre, participant, datetime(2000, 1, 1, tzinfo=UTC))  # one item is not three


def test_two_courses_sandboxes_never_see_each_other(app, make_course):
    _c1, first = make_course(two_condition_spec(participants=1), seed=1)
    _c2, second = make_course(two_condition_spec(participants=1, name="Kurs to"), seed=2)
    order = _order_farin(app, first[0])
    other = _login(app, second[0])
    assert other.get(f"/ordrer/{order.id}").status_code == 404
    assert order.number not in other.get("/ordrer").get_data(as_text=True)
    assert not re.search(rf"\b{order.number}\b", other.get("/").get_data(as_text=True))


def test_limited_range_condition_offers_only_the_municipalitys_core_list(app, make_course):
    from webshop.lab.courses import ConditionSpec
    from webshop.lab.rules import CatalogueRange
    from webshop.orders.models import OrderLine

    spec = two_condition_spec(participants=2, conditions=[
        ConditionSpec("A", "Hele sortimentet"),
        ConditionSpec("B", "Kjernesortiment", catalogue_range=CatalogueRange.LIMITED)])
    _course, logins = make_course(spec, seed=4)
    with app.app_context():
        fjellbygd = db.session.scalar(select(Organisation).where(Organisation.key == "fjellbygd"))
        ordered = set(db.session.scalars(select(OrderLine.name).join(Order).where(
            Order.organisation_id == fjellbygd.id, OrderLine.item_id.is_not(None))))
    assert "Farin 1 kg" in ordered and not any("Knekkebrød" in name for name in ordered)
    full = _login(app, _by_condition(logins)["A"])
    limited = _login(app, _by_condition(logins)["B"])
    assert "Knekkebrød Wasa Husman" in full.get("/katalog?q=knekkebrød").get_data(as_text=True)
    assert "Knekkebrød Wasa Husman" not in limited.get("/katalog?q=knekkebrød").get_data(as_text=True)
    assert "Farin 1 kg" in limited.get("/katalog?q=farin").get_data(as_text=True)  # Fjellbygd orders it: in the list


def test_nobody_is_reminded_about_a_sandbox_order(app, make_course):
    from webshop.approvals.reminders import escalate_and_remind

    _course, logins = make_course(two_condition_spec(participants=1))
    order = _order_farin(app, logins[0])
    with app.app_context():
        db.session.execute(Order.__table__.update().where(Order.id == order.id)
                           .values(submitted_at=datetime.now(UTC) - timedelta(days=40)))
        db.session.commit()
        result = escalate_and_remind()
        assert order.number not in result.escalated
        assert not [m for m in result.mails if "opplaering.invalid" in str(m["To"])]
        db.session.rollback()


def test_a_sandbox_item_request_never_reaches_the_central_buyer(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=1))
    client = _login(app, logins[0])
    response = client.post("/katalog/etterlys", data={"query": "navneskiltholder", "description": "Finnes ikke"})
    assert response.status_code in (200, 302)
    with app.app_context():
        from webshop.catalogue.models import ItemRequest

        request = db.session.scalar(select(ItemRequest).where(ItemRequest.query == "navneskiltholder"))
        assert request is not None and request.organisation.is_sandbox
        request_id = request.id
    buyer = app.test_client()
    assert buyer.post("/logg-inn", data={"email": "ingrid.haugland@example.no",
                                         "password": "Demo-ingrid-26"}).status_code == 302
    assert "navneskiltholder" not in buyer.get("/forvaltning/etterlysninger").get_data(as_text=True)
    assert buyer.post(f"/forvaltning/etterlysninger/{request_id}/sendt").status_code == 404


def test_the_central_buyer_does_not_administer_sandbox_people(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=1))
    buyer = app.test_client()
    assert buyer.post("/logg-inn", data={"email": "ingrid.haugland@example.no",
                                         "password": "Demo-ingrid-26"}).status_code == 302
    response = buyer.get("/brukere/")
    assert response.status_code == 200
    listing = response.get_data(as_text=True)
    assert "ola.brekke@fjellbygd.kommune.no" in listing  # the collaboration's real people are listed
    assert "opplaering.invalid" not in listing and "Øvingskommune" not in listing
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == logins[0].login))
    assert buyer.get(f"/brukere/{user_id}").status_code in (403, 404)
