"""Within-subject courses: everyone does every condition, the order counterbalanced, and the
sandbox switches to the next condition once the first one's exercises are done (issue 12)."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from tests.lab.conftest import two_condition_spec
from webshop.extensions import db
from webshop.lab.courses import active_condition, planned_tasks, settings_for_sandbox
from webshop.lab.models import Attempt, Participant
from webshop.lab.rules import Design


def test_within_subject_counterbalances_and_switches_condition(app, make_course):
    course_id, logins = make_course(two_condition_spec(participants=4, design=Design.WITHIN))
    assert Counter(x.condition for x in logins) == {"AB": 2, "BA": 2}
    with app.app_context():
        participant = db.session.scalar(select(Participant).where(Participant.course_id == course_id,
                                                                  Participant.condition_order == "BA"))
        assert participant.condition_id is None
        tasks = [(ce.exercise.key, c.key) for ce, c in planned_tasks(participant)]
        assert tasks == [("finn-sukker", "B"), ("tre-varer", "B"), ("finn-sukker", "A"), ("tre-varer", "A")]
        assert settings_for_sandbox(participant.sandbox_organisation_id).raw_catalogue  # B is the raw catalogue
        now = datetime.now(UTC)
        for ce, condition in planned_tasks(participant)[:2]:
            db.session.add(Attempt(participant_id=participant.id, course_exercise_id=ce.id,
                                   condition_id=condition.id, started_at=now, finished_at=now))
        db.session.flush()
        db.session.expire(participant, ["attempts"])
        assert active_condition(participant).key == "A"
        assert not settings_for_sandbox(participant.sandbox_organisation_id).raw_catalogue
