"""The trainer's pages under /opplaering: create the two-condition course in one form, print the
login cards, reset a participant, delete the course; the library form; who may (issue 12)."""
from __future__ import annotations

import re

from sqlalchemy import select

from webshop.extensions import db
from webshop.lab.models import Course, Exercise
from webshop.orgs.models import Organisation, Role, RoleAssignment, User

TRAINER, TRAINER_PASSWORD = "trond.bakken@example.no", "Demo-trond-26"


def _client(app, email, password):
    client = app.test_client()
    response = client.post("/logg-inn", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


FORM = {"name": "Kurs i e-handel", "held_on": "2026-12-10", "participants": "2", "template_key": "demo",
        "design": "between", "exercise_keys": ["finn-sukker", "tre-varer"],
        "a_name": "Kuratert katalog", "a_catalogue": "curated", "a_range": "full", "a_ordering": "everyone",
        "a_supplier": "", "b_name": "Leverandørens katalog", "b_catalogue": "raw", "b_range": "full",
        "b_ordering": "everyone", "b_supplier": ""}


def _cards(html: str) -> list[tuple[str, str, str, str]]:
    return re.findall(r'data-code="(P\d+)" data-condition="(\w+)">.*?class="lab-login">([^<]+)<.*?'
                      r'class="lab-password">([^<]+)<', html, re.S)


def test_a_trainer_creates_the_two_condition_course_and_gets_login_cards(app, seeded_demo):
    trainer = _client(app, TRAINER, TRAINER_PASSWORD)
    assert trainer.get("/opplaering").status_code == 200
    page = trainer.get("/opplaering/kurs/ny")
    assert page.status_code == 200 and "Finn sukker" in page.get_data(as_text=True)
    response = trainer.post("/opplaering/kurs/ny", data=FORM)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    assert response.headers["Cache-Control"] == "no-store"
    cards = _cards(response.get_data(as_text=True))
    assert [(code, condition) for code, condition, _l, _p in sorted(cards)] in (
        [("P01", "A"), ("P02", "B")], [("P01", "B"), ("P02", "A")])
    for _code, _condition, login, password in cards:
        participant = _client(app, login, password)
        assert participant.get("/opplaering").status_code == 403  # a participant is no trainer
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert course.name == "Kurs i e-handel" and [c.key for c in course.conditions] == ["A", "B"]
        assert course.organisation.key == "storvika"  # the trainer's municipality
        course_id = course.id
        participant_id = course.participants[0].id
    listing = trainer.get("/opplaering").get_data(as_text=True)
    assert "Kurs i e-handel" in listing
    detail = trainer.get(f"/opplaering/kurs/{course_id}").get_data(as_text=True)
    assert "P01" in detail and "P02" in detail
    # new passwords: the old ones stop working
    again = _cards(trainer.post(f"/opplaering/kurs/{course_id}/innloggingskort").get_data(as_text=True))
    old = {c[2]: c[3] for c in cards}
    for _code, _condition, login, password in again:
        assert password != old[login]
        assert app.test_client().post("/logg-inn", data={"email": login, "password": old[login]}).status_code != 302
        _client(app, login, password)
    response = trainer.post(f"/opplaering/kurs/{course_id}/deltakere/{participant_id}/tilbakestill")
    assert response.status_code == 302
    response = trainer.post(f"/opplaering/kurs/{course_id}/slett")
    assert response.status_code == 302 and response.headers["Location"] == "/opplaering"
    with app.app_context():
        assert db.session.scalars(select(Course)).all() == []
        assert db.session.scalars(select(Organisation).where(Organisation.is_sandbox.is_(True))).all() == []


def test_a_bad_course_form_is_shown_again(app, seeded_demo):
    trainer = _client(app, TRAINER, TRAINER_PASSWORD)
    response = trainer.post("/opplaering/kurs/ny", data={**FORM, "exercise_keys": [], "participants": "0"})
    assert response.status_code == 400
    assert "Et kurs har mellom 1 og 60 deltakere." in response.get_data(as_text=True)


def test_another_municipalitys_trainer_gets_404_and_others_403(app, seeded_demo):
    trainer = _client(app, TRAINER, TRAINER_PASSWORD)
    assert trainer.post("/opplaering/kurs/ny", data=FORM).status_code == 200
    with app.app_context():
        course_id = db.session.scalar(select(Course.id))
        fjellbygd = db.session.scalar(select(Organisation).where(Organisation.key == "fjellbygd"))
        other = User(email="trener@fjellbygd.kommune.no", name="Annen trener", organisation_id=fjellbygd.id)
        other.set_password("Trener-passord-26")
        other.roles = [RoleAssignment(role=Role.TRAINER)]
        db.session.add(other)
        db.session.commit()
    stranger = _client(app, "trener@fjellbygd.kommune.no", "Trener-passord-26")
    assert stranger.get(f"/opplaering/kurs/{course_id}").status_code == 404
    assert stranger.post(f"/opplaering/kurs/{course_id}/slett").status_code == 404
    assert course_id not in [c for c in re.findall(r"/opplaering/kurs/(\d+)", stranger.get("/opplaering").get_data(
        as_text=True))]
    orderer = _client(app, "ola.brekke@fjellbygd.kommune.no", "Demo-ola-2026")
    assert orderer.get("/opplaering").status_code == 403
    assert orderer.get(f"/opplaering/kurs/{course_id}").status_code == 403
    assert app.test_client().get("/opplaering").status_code == 302  # to the login page


def test_a_trainer_saves_an_own_exercise_to_the_municipalitys_library(app, seeded_demo):
    trainer = _client(app, TRAINER, TRAINER_PASSWORD)
    response = trainer.post("/opplaering/oppgaver", data={
        "title": "Bestill kaffe", "find": "Kaffe Friele", "quantity": "2", "unit_code": "XPK",
        "check_kind": "order_items", "time_limit_minutes": "4", "phone_seconds": "50"})
    assert response.status_code == 302
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.organisation_id.is_not(None)))
        assert (exercise.key, exercise.check_kind, exercise.check_params, exercise.time_limit_seconds,
                exercise.phone_seconds) == ("bestill-kaffe", "order_items",
                                            {"items": [{"match": "kaffe friele", "quantity": "2", "unit": "XPK"}]},
                                            240, 50)
        storvika = db.session.scalar(select(Organisation).where(Organisation.key == "storvika"))
        assert exercise.organisation_id == storvika.id
    assert "Bestill kaffe" in trainer.get("/opplaering/oppgaver").get_data(as_text=True)
    # and it can be chosen for a course
    assert "Bestill kaffe" in trainer.get("/opplaering/kurs/ny").get_data(as_text=True)


def test_invited_users_get_their_login_by_email(app, seeded_demo):
    from pathlib import Path

    from webshop.mail import outbox_dir

    folder = Path(outbox_dir(app.config))
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    trainer = _client(app, TRAINER, TRAINER_PASSWORD)
    response = trainer.post("/opplaering/kurs/ny", data={**FORM, "participants": "1",
                                                         "invite": "kari.nordmann@havbrekke.kommune.no\n"})
    assert response.status_code == 200
    cards = _cards(response.get_data(as_text=True))
    assert sorted(code for code, *_rest in cards) == ["P01", "P02"]
    invited = next(c for c in cards if c[0] == "P02")
    mails = [f.read_text(encoding="utf-8") for f in set(folder.glob("*.eml")) - before]
    assert len(mails) == 1
    assert "To: kari.nordmann@havbrekke.kommune.no" in mails[0]
    assert invited[2] in mails[0] and invited[3] in mails[0]
