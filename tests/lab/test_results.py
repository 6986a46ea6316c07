"""A course's results (issue 12): figures per condition that match what the participants did, the CSV,
the live view, and who may see them. Expected values are worked out by hand in the comments."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.lab.conftest import TRAINER, two_condition_spec
from webshop.catalogue.models import CatalogueItem
from webshop.extensions import db
from webshop.lab import attempts, courses, results
from webshop.lab.models import Course, Participant
from webshop.lab.rules import Design
from webshop.orgs.models import Organisation, Role, RoleAssignment, User

TRAINER_PASSWORD = "Demo-trond-26"
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)  # the orders come after it


def _login(app, email, password):
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": email, "password": password}).status_code == 302
    return client


def _order_farin(app, login) -> None:
    """The participant orders «Farin 1 kg» through the real cart (the «find sugar» exercise done)."""
    client = _login(app, login.login, login.password)
    with app.app_context():
        farin = db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.supplier_item_id == "31339")
                                  .order_by(CatalogueItem.id.desc()).limit(1))
        user = db.session.scalar(select(User).where(User.email == login.login))
        (unit_id,) = user.unit_ids(Role.ORDERER)
    assert client.post("/handlekurv/legg-til", data={"item_id": farin, "quantity": "1"}).status_code == 302
    assert client.post("/handlekurv/send", data={"unit_id": unit_id}).status_code == 302


def _do(app, login, *, seconds: int, succeed: bool, seq: int, gave_up: bool = False) -> None:
    """Start «Finn sukker» at BASE, maybe order the sugar, finish after ``seconds``, answer the SEQ."""
    with app.app_context():
        participant = db.session.scalar(select(Participant).join(User).where(User.email == login.login))
        attempt = attempts.start_next(participant, now=BASE)
        db.session.commit()
        attempt_id = attempt.id
    if succeed:
        _order_farin(app, login)
    with app.app_context():
        participant = db.session.scalar(select(Participant).join(User).where(User.email == login.login))
        attempts.finish(participant, gave_up=gave_up, counts={"actions": 5, "searches": 1},
                        now=BASE + timedelta(seconds=seconds))
        attempts.answer_seq(participant, attempt_id, seq)
        db.session.commit()


@pytest.fixture
def done_course(app, make_course):
    """Four participants, two per condition, did «Finn sukker»:
    A: 60 s success SEQ 6, 240 s success SEQ 4; B: 30 s success SEQ 7, gave up after 300 s SEQ 2."""
    course_id, logins = make_course(two_condition_spec(participants=4))
    a = [x for x in logins if x.condition == "A"]
    b = [x for x in logins if x.condition == "B"]
    assert len(a) == len(b) == 2
    _do(app, a[0], seconds=60, succeed=True, seq=6)
    _do(app, a[1], seconds=240, succeed=True, seq=4)
    _do(app, b[0], seconds=30, succeed=True, seq=7)
    _do(app, b[1], seconds=300, succeed=False, seq=2, gave_up=True)
    return course_id, logins


def test_figures_per_condition_match_what_they_did(app, done_course):
    course_id, _logins = done_course
    with app.app_context():
        summary = results.summarise(db.session.get(Course, course_id))
        sugar = summary.exercises[0]
        assert sugar.course_exercise.exercise.key == "finn-sukker"
        a, b = sugar.cells
        assert (a.condition.key, b.condition.key) == ("A", "B")
        # A: 2 of 2; adjusted Wald: (2 + 1.920729) / 5.841459 = 0.671190 ± 0.380963 → 0.290227 … 1
        assert (a.rate.successes, a.rate.n) == (2, 2)
        assert a.rate.interval.low == pytest.approx(0.290227, abs=1e-5)
        assert a.rate.interval.high == 1.0
        # B: 1 of 2; 0.5 ± 1.959964 · √(0.25 / 5.841459) = 0.5 ± 0.405464
        assert (b.rate.successes, b.rate.n) == (1, 2)
        assert b.rate.interval.low == pytest.approx(0.094536, abs=1e-5)
        # times of the successful: A 60 and 240 → median 150, geometric mean √(60·240) = 120; B: 30
        assert (a.median, b.median) == (150, 30)
        assert a.geometric.value == pytest.approx(120)
        assert b.geometric.value == pytest.approx(30)
        # the phone baseline of «Finn sukker» is 60 s: A takes twice as long as phoning, B half
        assert a.phone_seconds == 60
        assert a.phone_ratio == pytest.approx(2.0)
        assert b.phone_ratio == pytest.approx(0.5)
        # SEQ: A (6 + 4) / 2 = 5, B (7 + 2) / 2 = 4.5
        assert (a.seq.value, b.seq.value) == (5, 4.5)
        (difference,) = sugar.differences
        assert difference.success.estimate == pytest.approx(-0.5)
        assert difference.sentences[0].startswith("Med 2 per gruppe kan vi ikke si sikkert")
        assert summary.exercises[1].cells[0].rate.n == 0  # «Bestill tre vanlige varer» not done yet


def test_csv_has_one_row_per_participant_and_exercise(app, done_course):
    course_id, logins = done_course
    client = _login(app, TRAINER, TRAINER_PASSWORD)
    response = client.get(f"/opplaering/kurs/{course_id}/resultater.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(table[0])[:13] == ["course", "condition", "participant", "exercise", "started_at", "finished_at",
                                   "seconds", "success", "actions", "searches", "zero_result_searches",
                                   "help_opened", "seq"]
    got = sorted((r["condition"], r["seconds"], r["success"], r["seq"], r["actions"], r["searches"]) for r in table)
    assert got == [("A", "240", "1", "4", "5", "1"), ("A", "60", "1", "6", "5", "1"),
                   ("B", "30", "1", "7", "5", "1"), ("B", "300", "0", "2", "5", "1")]
    assert {r["exercise"] for r in table} == {"finn-sukker"}
    assert {r["started_at"] for r in table} == {BASE.strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert {r["course"] for r in table} == {str(course_id)}


def test_cli_prints_the_same_csv(app, done_course):
    course_id, _logins = done_course
    result = app.test_cli_runner().invoke(args=["lab", "results", str(course_id), "--csv"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert result.output == results.csv_text(db.session.get(Course, course_id))
    assert result.output.startswith("course,condition,participant,exercise,started_at,finished_at,seconds,success,")
    assert len(result.output.strip().splitlines()) == 5


def test_results_pages_for_the_trainer(app, done_course):
    course_id, _logins = done_course
    client = _login(app, TRAINER, TRAINER_PASSWORD)
    page = client.get(f"/opplaering/kurs/{course_id}/resultater")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "2 / 2" in text and "1 / 2" in text
    assert "<svg" in text and "Andel som lyktes per oppgave" in text
    assert client.get(f"/opplaering/kurs/{course_id}/utskrift").status_code == 200
    assert client.get(f"/opplaering/kurs/{course_id}/direkte").status_code == 200


def test_live_view_shows_who_is_stuck(app, make_course):
    course_id, logins = make_course(two_condition_spec(participants=2))
    first, second = logins
    _do(app, first, seconds=60, succeed=False, seq=5)  # finished «Finn sukker» under its condition in 60 s
    with app.app_context():
        course = db.session.get(Course, course_id)
        for login in logins:
            participant = db.session.scalar(select(Participant).join(User).where(User.email == login.login))
            attempts.start_next(participant, now=BASE)
        db.session.commit()
        rows = {r.participant.code: r for r in results.live(
            course, planned=lambda p: len(courses.planned_tasks(p)), now=BASE + timedelta(seconds=200))}
    p_first = next(c for c, r in rows.items() if r.done == 1)
    p_second = next(c for c, r in rows.items() if r.done == 0)
    # the first is on «Bestill tre vanlige varer» (nobody finished it: stuck only past its 600 s limit)
    assert rows[p_first].exercise_title == "Bestill tre vanlige varer" and not rows[p_first].stuck
    # the second is on «Finn sukker» for 200 s: under another condition nobody has finished, limit 300 s
    assert rows[p_second].exercise_title == "Finn sukker" and rows[p_second].seconds == 200
    assert rows[p_second].stuck is (first.condition == second.condition)  # 200 > 2 × 60 under the same one


def test_only_the_courses_own_trainers_see_results(app, done_course):
    course_id, _logins = done_course
    orderer = _login(app, "ola.brekke@fjellbygd.kommune.no", "Demo-ola-2026")
    assert orderer.get(f"/opplaering/kurs/{course_id}/resultater").status_code == 403
    assert orderer.get(f"/opplaering/kurs/{course_id}/resultater.csv").status_code == 403
    with app.app_context():
        course = db.session.get(Course, course_id)
        other = db.session.scalar(select(Organisation).where(Organisation.id != course.organisation_id,
                                                             Organisation.is_sandbox.is_(False)).limit(1))
        stranger = User(email="trener@annen.no", name="Annen Trener", organisation_id=other.id)
        stranger.set_password("Another-trainer-26")
        stranger.roles = [RoleAssignment(role=Role.TRAINER)]
        db.session.add(stranger)
        db.session.commit()
    stranger_client = _login(app, "trener@annen.no", "Another-trainer-26")
    for path in ("resultater", "resultater.csv", "utskrift", "direkte"):
        assert stranger_client.get(f"/opplaering/kurs/{course_id}/{path}").status_code == 404


def test_within_subject_course_counts_each_attempt_under_its_own_condition(app, make_course):
    course_id, logins = make_course(two_condition_spec(participants=2, design=Design.WITHIN))
    with app.app_context():
        for login in logins:  # each gives up at once on their first task, under their first condition
            participant = db.session.scalar(select(Participant).join(User).where(User.email == login.login))
            assert len(courses.planned_tasks(participant)) == 4  # two exercises under each of two conditions
            attempts.start_next(participant, now=BASE)
            attempts.finish(participant, gave_up=True, now=BASE + timedelta(seconds=90))
        db.session.commit()
        summary = results.summarise(db.session.get(Course, course_id))
        first_exercise = summary.exercises[0]
        orders = sorted(x.condition for x in logins)  # "AB" and "BA": one starts under each condition
        assert orders == ["AB", "BA"]
        assert [(c.condition.key, c.rate.n, c.rate.successes) for c in first_exercise.cells] == [("A", 1, 0),
                                                                                                   ("B", 1, 0)]
        assert [s.condition for s in summary.sus] == [None]  # SUS once for everybody
