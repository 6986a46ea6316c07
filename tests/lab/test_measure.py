"""Measurement of a running exercise (issue 12): what is counted for a participant, and that a normal
user's request runs no query for it at all."""
from __future__ import annotations

import statistics
import time
from contextlib import contextmanager

from sqlalchemy import event, select

from tests.lab.conftest import two_condition_spec
from webshop.catalogue.models import CatalogueItem
from webshop.extensions import db
from webshop.lab import measure
from webshop.lab.models import Attempt
from webshop.lab.rules import Outcome

ORDERER = "ola.brekke@fjellbygd.kommune.no"
ORDERER_PASSWORD = "Demo-ola-2026"


@contextmanager
def statements(app):
    """Every SQL statement run on the app's engine inside the block."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def _login(app, email, password):
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": email, "password": password}).status_code == 302
    return client


def _attempt(app, attempt_id) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        db.session.expunge(attempt)
        return attempt


def test_a_normal_users_requests_run_no_lab_query(app, seeded_demo):
    client = _login(app, ORDERER, ORDERER_PASSWORD)
    with statements(app) as seen:
        assert client.get("/katalog?q=sukker").status_code == 200
        assert client.get("/katalog?q=qqxyzzy").status_code == 200  # a zero-result search
        client.post("/handlekurv/legg-til", data={"item_id": "999999", "quantity": "1"})  # an error message
        assert client.get("/handlekurv").status_code == 200
    assert seen, "the listener saw the requests' own queries"
    assert not [s for s in seen if "lab_" in s]


def test_the_hook_itself_runs_no_query_outside_a_course(app, seeded_demo):
    client = _login(app, ORDERER, ORDERER_PASSWORD)
    client.get("/")  # the session cookie of a normal user
    with app.test_request_context("/katalog?q=x"):
        from flask import session

        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
        session.update(data)
        response = app.response_class("<p>x</p>", mimetype="text/html")
        with statements(app) as seen:
            measure.record(response)
        assert seen == []
        assert measure.running_attempt_id() is None


def test_a_running_exercise_counts_pages_submits_searches_help_and_errors(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=1))
    login = logins[0]
    client = _login(app, login.login, login.password)
    assert client.get("/opplaering/deltaker").status_code == 200  # the lab's own pages are not counted
    started = client.post("/opplaering/deltaker/start")
    assert started.status_code == 302
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id))
        farin = db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.supplier_item_id == "31339")
                                  .order_by(CatalogueItem.id.desc()).limit(1))
    assert client.get("/start").status_code == 200  # 1 page view
    assert client.get("/katalog?q=sukker").status_code == 200  # 2nd page view, a search with results
    assert client.get("/katalog?q=qqxyzzy").status_code == 200  # 3rd page view, a zero-result search
    assert client.get("/katalog?q=qqxyzzy&side=2").status_code == 200  # 4th page view, not a new search
    assert client.get("/opplaering/deltaker/oppgave").status_code == 200  # help opened (a lab page: no action)
    assert client.get("/opplaering/deltaker").status_code == 200  # the list of exercises keeps the counts
    bad = client.post("/handlekurv/legg-til", data={"item_id": "999999", "quantity": "1"})  # 5th action
    assert bad.status_code in (302, 400, 404)
    assert client.post("/handlekurv/legg-til", data={"item_id": farin, "quantity": "1"}).status_code == 302  # 6th
    static = client.get("/static/css/app.css")  # files are not counted
    assert static.status_code == 200
    static.close()
    assert _attempt(app, attempt_id).actions == 0  # gathered in the signed session, written once at the end
    assert client.post("/opplaering/deltaker/gi-opp").status_code == 302
    finished = _attempt(app, attempt_id)
    assert finished.outcome is Outcome.GAVE_UP and finished.success is False
    assert (finished.actions, finished.searches, finished.zero_result_searches, finished.help_opened,
            finished.errors_shown) == (6, 2, 1, 1, 1)
    client.get("/katalog?q=after")  # after the exercise: nothing is counted any more
    assert client.post("/opplaering/deltaker/gi-opp").status_code == 302  # nothing running: a message
    assert (_attempt(app, attempt_id).actions, _attempt(app, attempt_id).searches) == (6, 2)


def test_measuring_a_participants_request_takes_under_a_millisecond(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=1))
    client = _login(app, logins[0].login, logins[0].password)
    client.post("/opplaering/deltaker/start")
    timings: list[float] = []
    original = measure.record

    def timed(response):
        t0 = time.perf_counter()
        try:
            return original(response)
        finally:
            timings.append(time.perf_counter() - t0)

    funcs = app.after_request_funcs[None]
    index = funcs.index(original)
    funcs[index] = timed
    try:
        for _ in range(30):
            client.get("/opplaering/deltaker/oppgave")  # a lab page: only the help counter
            client.get("/handlekurv")
    finally:
        funcs[index] = original
    assert len(timings) == 60
    assert statistics.median(timings) < 0.001, f"median {statistics.median(timings) * 1000:.2f} ms"
