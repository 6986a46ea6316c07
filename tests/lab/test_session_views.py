"""The participant's pages (issue 12): SEQ and SUS answers with their validation, the order of things
(no new exercise before the SEQ, SUS only at the end), reset, and nobody else gets in."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.lab.conftest import two_condition_spec
from webshop.extensions import db
from webshop.lab.models import Attempt, Participant, SusResponse
from webshop.lab.rules import Outcome


def _login(app, login):
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": login.login, "password": login.password}).status_code == 302
    return client


def _latest_attempt(app) -> Attempt:
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).order_by(Attempt.id.desc()).limit(1))
        db.session.expunge(attempt)
        return attempt


def test_seq_after_each_exercise_and_sus_at_the_end(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=1))
    client = _login(app, logins[0])
    assert client.get("/opplaering/deltaker/sus").status_code == 302  # not yet: back to the exercises
    client.post("/opplaering/deltaker/start")
    done = client.post("/opplaering/deltaker/ferdig")  # nothing ordered: the check says failed
    attempt = _latest_attempt(app)
    assert done.headers["Location"].endswith(f"/opplaering/deltaker/forsok/{attempt.id}/vurdering")
    assert attempt.outcome is Outcome.FAILED and attempt.success is False
    client.post("/opplaering/deltaker/start")  # refused until the SEQ is answered
    assert _latest_attempt(app).id == attempt.id
    assert client.post(f"/opplaering/deltaker/forsok/{attempt.id}/vurdering", data={"seq": "8"}).status_code == 400
    assert client.post(f"/opplaering/deltaker/forsok/{attempt.id}/vurdering", data={}).status_code == 400
    assert client.post(f"/opplaering/deltaker/forsok/{attempt.id}/vurdering", data={"seq": "3"}).status_code == 302
    assert _latest_attempt(app).seq == 3
    client.post("/opplaering/deltaker/start")
    second = _latest_attempt(app)
    assert second.id != attempt.id and second.course_exercise_id != attempt.course_exercise_id
    client.post("/opplaering/deltaker/gi-opp")
    client.post(f"/opplaering/deltaker/forsok/{second.id}/vurdering", data={"seq": "1"})
    page = client.get("/opplaering/deltaker").get_data(as_text=True)
    assert "Svar på ti korte påstander om systemet" in page
    answers = {f"q{n}": "3" for n in range(1, 10)}  # one missing
    assert client.post("/opplaering/deltaker/sus", data=answers).status_code == 400
    answers["q10"] = "1"  # odd items 3 → 2 each (10), even items 3,3,3,3,1 → 2,2,2,2,4 (12): 22 × 2.5 = 55
    assert client.post("/opplaering/deltaker/sus", data=answers).status_code == 302
    with app.app_context():
        sus = db.session.scalar(select(SusResponse))
        assert (sus.answers, sus.score) == ("3,3,3,3,3,3,3,3,3,1", Decimal("55.0"))
    assert client.get("/opplaering/deltaker/sus").status_code == 302  # once only


def test_another_participants_attempt_is_not_found(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=2))
    first, second = (_login(app, x) for x in logins)
    first.post("/opplaering/deltaker/start")
    first.post("/opplaering/deltaker/gi-opp")
    attempt = _latest_attempt(app)
    assert second.get(f"/opplaering/deltaker/forsok/{attempt.id}/vurdering").status_code == 404
    assert second.post(f"/opplaering/deltaker/forsok/{attempt.id}/vurdering", data={"seq": "7"}).status_code == 404
    assert _latest_attempt(app).seq is None


def test_reset_keeps_the_measurements(app, make_course):
    _course, logins = make_course(two_condition_spec(participants=1))
    client = _login(app, logins[0])
    client.post("/opplaering/deltaker/start")
    client.post("/opplaering/deltaker/gi-opp")
    assert client.post("/opplaering/deltaker/tilbakestill").status_code == 302
    with app.app_context():
        participant = db.session.scalar(select(Participant))
        assert len(participant.attempts) == 1 and participant.attempts[0].outcome is Outcome.GAVE_UP
    assert client.get("/opplaering/deltaker").status_code == 200


def test_normal_users_do_not_see_the_participant_pages(app, seeded_demo):
    client = app.test_client()
    client.post("/logg-inn", data={"email": "ola.brekke@fjellbygd.kommune.no", "password": "Demo-ola-2026"})
    assert client.get("/opplaering/deltaker").status_code == 404
    assert client.post("/opplaering/deltaker/start").status_code == 404
    assert "Oppgavelinje" not in client.get("/start").get_data(as_text=True)
