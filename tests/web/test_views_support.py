"""The view helpers every blueprint uses: ``transaction`` (commit, or on a domain error
roll back, flash and redirect) and the role guard (``guard`` for a blueprint, ``requires``
for one view), on a small blueprint of their own in an app on the test database."""
from __future__ import annotations

import pytest
from flask import Blueprint, Flask, abort, get_flashed_messages, redirect, render_template_string
from flask_login import current_user
from helpers import PASSWORD, page_text
from sqlalchemy import select

from webshop import create_app
from webshop.cart.services import CartError
from webshop.config import TestConfig
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orders.errors import AlreadyDecided, OrderError
from webshop.orgs.models import Collaboration, Role
from webshop.supplier.errors import SupplierError
from webshop.views_support import guard, requires, transaction

probe = Blueprint("probe", __name__)
guarded = Blueprint("guarded", __name__)
guard(guarded, lambda user: user.has_role(Role.COORDINATOR))


def _half_write(name: str) -> None:
    db.session.add(Collaboration(name=name))
    db.session.flush()  # written to the database inside the transaction, not yet committed


@probe.post("/probe/ok")
def ok():
    with transaction(redirect_to="/back"):
        _half_write("committed")
    return redirect("/done")


@probe.post("/probe/refused")
def refused():
    with transaction(redirect_to="/back"):
        _half_write("half")
        raise OrderError("Ordren kan ikke endres nå.")
    return "not reached"


@probe.post("/probe/lost-race")
def lost_race():
    with transaction(redirect_to="/back", code=303):
        _half_write("half")
        raise AlreadyDecided("Noen andre var først.")
    return "not reached"


@probe.post("/probe/worded")
def worded():
    with transaction(redirect_to="/back", message=lambda exc: f"Ikke lagret: {exc}", category="warning"):
        raise SupplierError("feil antall")
    return "not reached"


@probe.post("/probe/form-again")
def form_again():
    with transaction(render=lambda exc: (render_template_string("<p>{{ e }}</p>", e=str(exc)), 400)):
        _half_write("half")
        raise CartError("Antallet er for stort.")
    return "not reached"


@probe.post("/probe/bulk")
def bulk():
    problems = []
    for name, fail in (("first", False), ("second", True), ("third", False)):
        try:
            with transaction():
                _half_write(name)
                if fail:
                    raise OrderError("nei")
        except DomainError as exc:
            problems.append(f"{name}: {exc}")
    return "; ".join(problems)


@probe.post("/probe/bug")
def bug():
    with transaction(redirect_to="/back"):
        _half_write("half")
        raise RuntimeError("a bug, not a refusal")
    return "not reached"


@probe.post("/probe/not-found")
def not_found():
    with transaction(redirect_to="/back"):
        _half_write("half")
        abort(404)
    return "not reached"


@probe.get("/probe/coordinators")
@requires(lambda user: user.has_role(Role.COORDINATOR))
def coordinators_only():
    return f"hei {current_user.name}"


@probe.get("/probe/flashes")
def flashes():
    return repr(get_flashed_messages(with_categories=True))


@guarded.get("/guarded/a")
def guarded_a():
    return "a"


@guarded.post("/guarded/b")
def guarded_b():
    return "b"


@pytest.fixture(scope="module")
def probe_app(app: Flask) -> Flask:
    """A second app on the same (migrated) test database, with the probe blueprints registered."""
    application = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                             OUTBOX_DIR=app.config["OUTBOX_DIR"])
    application.register_blueprint(probe)
    application.register_blueprint(guarded)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(probe_app):
    return probe_app.test_client()


def collaborations(store) -> list[str]:
    store.expire_all()
    return sorted(store.scalars(select(Collaboration.name)))


def test_success_commits(client, store):
    response = client.post("/probe/ok")
    assert (response.status_code, response.location) == (302, "/done")
    assert collaborations(store) == ["committed"]


def test_a_domain_error_rolls_back_flashes_and_redirects(client, store):
    response = client.post("/probe/refused")
    assert (response.status_code, response.location) == (302, "/back")
    assert collaborations(store) == []  # the flushed row is gone: nothing half-written
    assert page_text(client.get("/probe/flashes")) == "[('danger', 'Ordren kan ikke endres nå.')]"


def test_the_error_class_chooses_the_flash_category_and_the_view_the_status(client, store):
    response = client.post("/probe/lost-race")
    assert (response.status_code, response.location) == (303, "/back")
    assert collaborations(store) == []
    assert page_text(client.get("/probe/flashes")) == "[('warning', 'Noen andre var først.')]"
    client.post("/probe/worded")
    assert page_text(client.get("/probe/flashes")) == "[('warning', 'Ikke lagret: feil antall')]"


def test_render_answers_with_the_page_for_the_error_after_the_rollback(client, store):
    response = client.post("/probe/form-again")
    assert response.status_code == 400
    assert page_text(response) == "<p>Antallet er for stort.</p>"
    assert collaborations(store) == []
    assert page_text(client.get("/probe/flashes")) == "[]"


def test_without_a_target_the_error_is_raised_again_after_the_rollback(client, store):
    assert page_text(client.post("/probe/bulk")) == "second: nei"
    assert collaborations(store) == ["first", "third"]


def test_other_exceptions_roll_back_and_propagate(client, store):
    with pytest.raises(RuntimeError, match="a bug"):
        client.post("/probe/bug")
    assert collaborations(store) == []
    assert client.post("/probe/not-found").status_code == 404
    assert collaborations(store) == []


def test_every_domain_error_users_see_is_a_domain_error():
    from webshop.admin.services import AdminError
    from webshop.approvals.services import SubstituteError
    from webshop.catalogue.curation import CurationError
    from webshop.delivery.failures import DeliveryError

    for error in (OrderError, AlreadyDecided, CartError, SupplierError, SubstituteError, AdminError,
                  CurationError, DeliveryError):
        assert issubclass(error, DomainError), error


def login(client, user):
    assert client.post("/logg-inn", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_requires_sends_strangers_to_login_and_refuses_the_wrong_role(client, world):
    anonymous = client.get("/probe/coordinators")
    assert anonymous.status_code == 302 and "/logg-inn" in anonymous.location
    login(client, world.approver)
    assert client.get("/probe/coordinators").status_code == 403


def test_requires_lets_the_right_role_in(client, world):
    login(client, world.coordinator)
    response = client.get("/probe/coordinators")
    assert (response.status_code, page_text(response)) == (200, "hei Kim Coordinator")


@pytest.mark.parametrize(("method", "path"), [("get", "/guarded/a"), ("post", "/guarded/b")])
def test_guard_covers_every_route_of_the_blueprint(client, world, store, method, path):
    anonymous = getattr(client, method)(path)
    assert anonymous.status_code == 302 and "/logg-inn" in anonymous.location
    login(client, world.orderer)
    assert getattr(client, method)(path).status_code == 403
    client.post("/logg-ut")
    login(client, world.coordinator)
    response = getattr(client, method)(path)
    assert (response.status_code, page_text(response)) == (200, path[-1])
