"""Two courses' sandboxes never see each other: every route of the URL map that takes an order
(or an order and a line) is asked by a participant of another course for an order made in the
first course's sandbox, and refuses; the order never shows on the other participant's pages."""
from __future__ import annotations

from sqlalchemy import select

from tests.lab.conftest import two_condition_spec
from webshop.extensions import db
from webshop.orders.models import Order
from webshop.orgs.models import Role, User


def _login(app, login):
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": login.login, "password": login.password}).status_code == 302
    return client


def _order_of(app, login) -> tuple[int, int, str, str]:
    client = _login(app, login)
    with app.app_context():
        from webshop.catalogue.models import CatalogueItem
        from webshop.catalogue.services import orderable_filter

        user = db.session.scalar(select(User).where(User.email == login.login))
        item_id = db.session.scalar(select(CatalogueItem.id).where(
            CatalogueItem.supplier_item_id == "31339", orderable_filter(user.organisation_id)))
        (unit_id,) = user.unit_ids(Role.ORDERER)
    assert client.post("/handlekurv/legg-til", data={"item_id": item_id, "quantity": "1"}).status_code == 302
    assert client.post("/handlekurv/send", data={"unit_id": unit_id}).status_code == 302
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.orderer_id == user.id))
        return order.id, order.lines[0].id, order.number, order.status.value


def test_every_order_route_refuses_another_courses_participant(app, make_course):
    _c1, first = make_course(two_condition_spec(participants=1), seed=1)
    _c2, second = make_course(two_condition_spec(participants=1, name="Et annet kurs"), seed=2)
    order_id, line_id, number, status = _order_of(app, first[0])
    other = _login(app, second[0])
    asked = []
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments)
        if "order_id" not in args or not args <= {"order_id", "line_id"}:
            continue
        url = rule.build({"order_id": order_id, "line_id": line_id}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = other.open(url, method=method)
            asked.append((rule.endpoint, method))
            assert response.status_code in (403, 404), (rule.endpoint, method, response.status_code)
            assert number not in response.get_data(as_text=True)
    assert len(asked) >= 10, asked  # the order page, its documents, approve/reject, lines, receipt, reorder …
    for page in ("/", "/ordrer", "/godkjenning", "/katalog?q=farin"):
        assert number not in other.get(page).get_data(as_text=True), page
    with app.app_context():
        assert db.session.get(Order, order_id).status.value == status  # nothing the other participant did stuck
