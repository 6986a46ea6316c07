"""The demo course (`flask lab demo`, run by `make run`): two conditions, four participants who
can log in with the printed passwords, and a second run changes nothing (issue 12)."""
from __future__ import annotations

from sqlalchemy import func, select

from webshop.extensions import db
from webshop.lab.models import Course


def test_lab_demo_makes_the_course_once(app, seeded_demo):
    first = app.test_cli_runner().invoke(args=["lab", "demo"])
    assert first.exit_code == 0, first.output
    assert "Demo-p01-26" in first.stdout and "Demo-p04-26" in first.stdout
    again = app.test_cli_runner().invoke(args=["lab", "demo"])
    assert again.exit_code == 0 and again.stdout == first.stdout
    with app.app_context():
        assert db.session.scalar(select(func.count(Course.id))) == 1
        course = db.session.scalar(select(Course))
        assert [(c.key, c.catalogue_variant.value) for c in course.conditions] == [("A", "curated"), ("B", "raw")]
        assert [ce.exercise.key for ce in course.exercises] == [
            "finn-sukker", "tre-varer", "papirkatalog", "utgatt-vare", "finner-ikke"]
        assert [(p.code, p.condition.key) for p in course.participants] == [
            ("P01", "A"), ("P02", "B"), ("P03", "A"), ("P04", "B")]
        login = course.participants[1].user.email
    client = app.test_client()
    assert client.post("/logg-inn", data={"email": login, "password": "Demo-p02-26"}).status_code == 302
    # P02 works in the raw catalogue: «sukker» finds no farin there
    assert "Farin 1 kg" not in client.get("/katalog?q=sukker").get_data(as_text=True)
