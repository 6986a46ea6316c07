"""Sandboxes: cloned from the demo municipality, isolated from real data and from each other,
reset and deleted without leaving a row behind (issue 12)."""
from __future__ import annotations

from sqlalchemy import select

from tests.lab.conftest import row_counts, sandbox_of
from webshop.catalogue.models import agreement_members
from webshop.extensions import db
from webshop.lab.courses import delete_course, reset_sandbox
from webshop.lab.models import Course, Participant
from webshop.orgs.models import Organisation, Role, Unit, User


def _login(app, login):
    client = app.test_client()
    response = client.post("/logg-inn", data={"email": login.login, "password": login.password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def test_a_sandbox_is_a_copy_of_the_demo_municipality(app, make_course):
    course_id, logins = make_course()
    assert [x.code for x in logins] == ["P01", "P02"]
    assert sorted(x.condition for x in logins) == ["A", "B"]  # balanced: one each
    with app.app_context():
        fjellbygd = db.session.scalar(select(Organisation).where(Organisation.key == "fjellbygd"))
        for login in logins:
            user = db.session.scalar(select(User).where(User.email == login.login))
            sandbox = user.organisation
            assert sandbox.is_sandbox and sandbox.id != fjellbygd.id
            assert sandbox.collaboration_id == fjellbygd.collaboration_id
            assert sorted(u.name for u in sandbox.units) == sorted(u.name for u in fjellbygd.units)
            members = set(db.session.scalars(select(agreement_members.c.agreement_id)
                                             .where(agreement_members.c.organisation_id == sandbox.id)))
            real = set(db.session.scalars(select(agreement_members.c.agreement_id)
                                          .where(agreement_members.c.organisation_id == fjellbygd.id)))
            assert members == real and members
            (unit_id,) = user.unit_ids(Role.ORDERER)
            assert db.session.get(Unit, unit_id).organisation_id == sandbox.id
            assert user.check_password(login.password)
            # the simulated colleagues cannot log in
            others = db.session.scalars(select(User).where(User.organisation_id == sandbox.id, User.id != user.id))
            assert all(not o.check_password("") and not o.check_password(login.password) for o in others)


def test_deleting_a_course_leaves_nothing_behind(app, make_course):
    before = row_counts(app)
    course_id, logins = make_course()
    client = _login(app, logins[0])
    assert client.get("/katalog?q=sukker").status_code == 200  # a search log row in the sandbox
    during = row_counts(app)
    assert during["organisations"] == before["organisations"] + 2
    assert during["search_logs"] == before["search_logs"] + 1
    with app.app_context():
        delete_course(db.session.get(Course, course_id), by=None)
        db.session.commit()
    after = row_counts(app)
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    # only the trainer's two audit events (course created, course deleted) stay, in the real municipality
    assert changed == {"audit_events": (before["audit_events"], before["audit_events"] + 2),
                       "lab_exercises": (0, after["lab_exercises"])}


def test_reset_empties_the_sandbox_and_keeps_the_login(app, make_course):
    course_id, logins = make_course()
    client = _login(app, logins[0])
    client.get("/katalog?q=kaffe")
    sandbox = sandbox_of(app, logins[0])
    with app.app_context():
        participant = db.session.scalar(select(Participant).where(Participant.code == "P01",
                                                                  Participant.course_id == course_id))
        units_before = len(db.session.get(Organisation, sandbox.id).units)
        reset_sandbox(participant, by=None)
        db.session.commit()
        org = db.session.get(Organisation, sandbox.id)
        assert org is not None and org.is_sandbox and len(org.units) == units_before
        from webshop.catalogue.models import SearchLog

        assert db.session.scalars(select(SearchLog).where(SearchLog.organisation_id == sandbox.id)).all() == []
    assert _login(app, logins[0]).get("/katalog?q=kaffe").status_code == 200


def test_purging_refuses_a_real_municipality(app, seeded_demo):
    import pytest

    from webshop.lab.sandboxes import SandboxError, purge_organisation

    with app.app_context():
        fjellbygd = db.session.scalar(select(Organisation).where(Organisation.key == "fjellbygd"))
        with pytest.raises(SandboxError):
            purge_organisation(fjellbygd.id)
