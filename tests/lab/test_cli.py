"""`flask lab create FILE.toml`: a course from a file, its id and one «login password» per participant."""
from __future__ import annotations

from sqlalchemy import select

from webshop.extensions import db
from webshop.lab.models import Course, Participant
from webshop.orgs.models import User

COURSE = """
[course]
name = "Opplæring Fjellbygd"
date = 2026-12-10
template = "demo"
design = "between"
assignment = "manual"
participants = 3
trainer = "trond.bakken@example.no"
  [course.manual]
  P01 = "A"
  P02 = "B"
  P03 = "A"

[[conditions]]
key = "A"
name = "Kuratert katalog"
catalogue = "curated"

[[conditions]]
key = "B"
name = "Leverandørens katalog"
catalogue = "raw"
ordering = "designated"
auto_approve_below = "2000"
supplier = "partial"

[[exercises]]
key = "finn-sukker"
phone_seconds = 45

[[exercises]]
key = "tre-varer"
"""


def test_lab_create_prints_the_course_and_one_login_per_line(app, seeded_demo, tmp_path):
    path = tmp_path / "kurs.toml"
    path.write_text(COURSE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["lab", "create", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    course_id = int(lines[0])
    logins = [line.split(" ") for line in lines[1:]]
    assert [login for login, _ in logins] == [f"p0{n}.k{course_id}@opplaering.invalid" for n in (1, 2, 3)]
    with app.app_context():
        course = db.session.get(Course, course_id)
        assert course.name == "Opplæring Fjellbygd" and str(course.held_on) == "2026-12-10"
        assert course.created_by.email == "trond.bakken@example.no"
        assert [(c.key, c.catalogue_variant.value, c.ordering_authority.value, c.auto_approve_below,
                 c.supplier_behaviour) for c in course.conditions] == [
            ("A", "curated", "everyone", None, None), ("B", "raw", "designated", 2000, "partial")]
        assert [(ce.exercise.key, ce.phone_seconds) for ce in course.exercises] == [
            ("finn-sukker", 45), ("tre-varer", 150)]
        assert [(p.code, p.condition.key) for p in course.participants] == [("P01", "A"), ("P02", "B"), ("P03", "A")]
        for (login, password), participant in zip(logins, course.participants, strict=True):
            user = db.session.scalar(select(User).where(User.email == login))
            assert user.check_password(password) and participant.user_id == user.id
            assert user.organisation.is_sandbox
        # the condition's auto-approval threshold is the sandbox's policy
        from webshop.approvals.models import ApprovalPolicy

        p02 = db.session.scalar(select(Participant).where(Participant.course_id == course_id,
                                                          Participant.code == "P02"))
        policy = db.session.scalar(select(ApprovalPolicy).where(
            ApprovalPolicy.organisation_id == p02.sandbox_organisation_id))
        assert policy.auto_approve_below == 2000


def test_lab_create_names_what_is_wrong(app, seeded_demo, tmp_path):
    path = tmp_path / "kurs.toml"
    path.write_text(COURSE.replace('catalogue = "raw"', 'catalogue = "rå"'), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["lab", "create", str(path)])
    assert result.exit_code == 1
    assert "catalogue: «rå» er ikke gyldig (bruk curated, raw)" in result.output
    with app.app_context():
        assert db.session.scalars(select(Course)).all() == []
