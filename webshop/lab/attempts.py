"""A participant's exercises (issue 12): start the next one, finish it (the automatic check decides
success), give up, answer the Single Ease Question after each and the SUS questionnaire at the end.

An attempt runs from «Start» to «Ferdig» or «Gi opp»; its time on task is the difference. Finishing
after the exercise's time limit counts as timed out (not a success), as usability studies do. The
success check is the exercise's own (``exercises.check_attempt``), read from the sandbox's real rows.
Service functions flush; the caller commits.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.lab import courses, exercises, measure
from webshop.lab.models import Attempt, Condition, CourseExercise, Participant, SusResponse
from webshop.lab.rules import Outcome
from webshop.lab.stats import sus_score

log = logging.getLogger(__name__)


class AttemptError(DomainError):
    category = "warning"


def running(participant: Participant) -> Attempt | None:
    if participant.current_attempt_id is None:
        return None
    attempt = db.session.get(Attempt, participant.current_attempt_id)
    return attempt if attempt is not None and attempt.finished_at is None else None


def next_task(participant: Participant) -> tuple[CourseExercise, Condition] | None:
    """The first planned (exercise, condition) without a finished attempt; None when all are done."""
    done = {(a.course_exercise_id, a.condition_id) for a in participant.attempts if a.finished_at is not None}
    for course_exercise, condition in courses.planned_tasks(participant):
        if (course_exercise.id, condition.id) not in done:
            return course_exercise, condition
    return None


def awaiting_seq(participant: Participant) -> Attempt | None:
    """The last finished attempt whose Single Ease Question is not answered yet."""
    finished = [a for a in participant.attempts if a.finished_at is not None]
    return finished[-1] if finished and finished[-1].seq is None else None


def seconds_left(attempt: Attempt, now: datetime | None = None) -> int:
    elapsed = ((now or utcnow()) - attempt.started_at).total_seconds()
    return int(attempt.course_exercise.exercise.time_limit_seconds - elapsed)


def start_next(participant: Participant, *, now: datetime | None = None) -> Attempt:
    """Start the participant's next exercise (the one running already, if any)."""
    current = running(participant)
    if current is not None:
        return current
    if awaiting_seq(participant) is not None:
        raise AttemptError(_("Svar på spørsmålet om forrige oppgave først."))
    task = next_task(participant)
    if task is None:
        raise AttemptError(_("Du har gjort alle oppgavene."))
    course_exercise, condition = task
    attempt = Attempt(participant_id=participant.id, course_exercise_id=course_exercise.id,
                      condition_id=condition.id, started_at=now or utcnow())
    attempt.course_exercise = course_exercise
    db.session.add(attempt)
    db.session.flush()
    participant.current_attempt_id = attempt.id
    db.session.flush()
    log.info("Lab participant %s started attempt %s", participant.code, attempt.id)
    return attempt


def finish(participant: Participant, *, gave_up: bool = False, counts: Mapping[str, int] | None = None,
           now: datetime | None = None) -> Attempt:
    """End the running attempt: given up, or judged by the exercise's automatic check and time limit.
    ``counts`` are the measured actions, searches, … gathered during it (``measure.take_pending``)."""
    attempt = running(participant)
    if attempt is None:
        raise AttemptError(_("Ingen oppgave er i gang."))
    measure.write_counts(attempt.id, dict(counts or {}))
    attempt.finished_at = now or utcnow()
    if gave_up:
        attempt.outcome, attempt.success = Outcome.GAVE_UP, False
    else:
        succeeded = exercises.check_attempt(attempt)
        if succeeded and seconds_left(attempt, attempt.finished_at) < 0:
            attempt.outcome, attempt.success = Outcome.TIMED_OUT, False
        else:
            attempt.outcome, attempt.success = (Outcome.SUCCESS if succeeded else Outcome.FAILED), succeeded
    participant.current_attempt_id = None
    db.session.flush()
    log.info("Lab participant %s finished attempt %s: %s", participant.code, attempt.id, attempt.outcome)
    return attempt


def answer_seq(participant: Participant, attempt_id: int, value: int) -> Attempt:
    """The Single Ease Question (1 very difficult … 7 very easy) for one of the participant's finished attempts."""
    attempt = db.session.scalar(select(Attempt).where(Attempt.id == attempt_id,
                                                      Attempt.participant_id == participant.id))
    if attempt is None or attempt.finished_at is None:
        raise AttemptError(_("Oppgaven er ikke avsluttet."))
    if not 1 <= value <= 7:
        raise AttemptError(_("Velg et tall fra 1 til 7."))
    attempt.seq = value
    db.session.flush()
    return attempt


def may_answer_sus(participant: Participant) -> bool:
    return participant.sus_done_at is None and next_task(participant) is None and awaiting_seq(participant) is None


def answer_sus(participant: Participant, answers: Sequence[int], *, now: datetime | None = None) -> SusResponse:
    """The ten SUS answers (1–5) at the end of the course, scored 0–100."""
    if participant.sus_done_at is not None:
        raise AttemptError(_("Du har allerede svart på spørreskjemaet."))
    try:
        score = sus_score(list(answers))
    except ValueError as exc:
        raise AttemptError(_("Svar på alle de ti påstandene.")) from exc
    response = SusResponse(participant_id=participant.id, answers=",".join(str(a) for a in answers),
                           score=Decimal(str(score)), created_at=now or utcnow())
    db.session.add(response)
    participant.sus_done_at = response.created_at
    db.session.flush()
    return response
