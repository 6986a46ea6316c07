"""A course's results (issue 12): one row per participant and exercise (the CSV), the figures per
condition and exercise with their uncertainty, the differences between conditions in plain Norwegian,
the phone baseline, and the live view of who is on which exercise and who is stuck.

Success rates count every finished attempt (given up and timed out are failures). Time on task is
taken over the successful attempts, as usability studies report it; the phone ratio is the geometric
mean time divided by the trainer's phone baseline for the task. Conditions are compared with the
first one (A): B against A, C against A. In a within-subject course each person is in both groups
and the comparison treats the groups as independent, which is cautious (wider intervals).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.lab import stats
from webshop.lab.models import Attempt, Condition, Course, CourseExercise, Participant

CSV_COLUMNS = ("course", "condition", "participant", "exercise", "started_at", "finished_at", "seconds",
               "success", "actions", "searches", "zero_result_searches", "help_opened", "seq",
               "errors_shown", "outcome")
STUCK_FACTOR = 2  # over twice the median time of those who finished the exercise


@dataclass(frozen=True)
class Row:
    """One attempt: a participant doing one exercise under one condition."""

    course_id: int
    condition: str
    participant: str
    exercise: str
    exercise_title: str
    started_at: datetime
    finished_at: datetime | None
    seconds: int | None
    success: bool | None
    actions: int
    searches: int
    zero_result_searches: int
    help_opened: int
    errors_shown: int
    seq: int | None
    outcome: str | None


@dataclass(frozen=True)
class Cell:
    """The figures of one condition on one exercise."""

    condition: Condition
    course_exercise: CourseExercise
    rate: stats.Rate
    times: list[float]
    median: float | None
    geometric: stats.Mean
    seq: stats.Mean
    phone_seconds: int

    @property
    def phone_ratio(self) -> float | None:
        if self.geometric.value is None or not self.phone_seconds:
            return None
        return self.geometric.value / self.phone_seconds


@dataclass(frozen=True)
class Difference:
    """Condition ``other`` against the first condition on one exercise, with the sentences."""

    first: Condition
    other: Condition
    success: stats.Comparison
    time: stats.Comparison
    seq: stats.Comparison
    sentences: list[str]


@dataclass
class ExerciseResults:
    course_exercise: CourseExercise
    cells: list[Cell] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)


@dataclass(frozen=True)
class SusResult:
    condition: Condition | None  # None: everybody (within-subject courses)
    scores: list[float]
    mean: stats.Mean


@dataclass
class CourseResults:
    course: Course
    exercises: list[ExerciseResults]
    sus: list[SusResult]
    sus_sentences: list[str]


def _attempts(course: Course) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).join(Participant, Attempt.participant_id == Participant.id)
        .where(Participant.course_id == course.id)
        .options(selectinload(Attempt.participant), selectinload(Attempt.course_exercise)
                 .selectinload(CourseExercise.exercise), selectinload(Attempt.condition))
        .order_by(Participant.code, Attempt.id)))


def _seconds(attempt: Attempt) -> int | None:
    if attempt.finished_at is None:
        return None
    return max(1, round((attempt.finished_at - attempt.started_at).total_seconds()))


def rows(course: Course) -> list[Row]:
    """One row per attempt, by participant and then in the order they were done."""
    return [Row(course.id, a.condition.key if a.condition else "", a.participant.code,
                a.course_exercise.exercise.key, a.course_exercise.exercise.title, a.started_at, a.finished_at,
                _seconds(a), a.success, a.actions, a.searches, a.zero_result_searches, a.help_opened,
                a.errors_shown, a.seq, a.outcome.value if a.outcome else None)
            for a in _attempts(course)]


def _iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def csv_text(course: Course) -> str:
    """The CSV: a header and one line per participant and exercise; times in UTC (ISO 8601), success 1/0."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows(course):
        writer.writerow([r.course_id, r.condition, r.participant, r.exercise, _iso(r.started_at),
                         _iso(r.finished_at), "" if r.seconds is None else r.seconds,
                         "" if r.success is None else int(r.success), r.actions, r.searches,
                         r.zero_result_searches, r.help_opened, "" if r.seq is None else r.seq,
                         r.errors_shown, r.outcome or ""])
    return out.getvalue()


def _cell(condition: Condition, course_exercise: CourseExercise, attempts: list[Attempt]) -> Cell:
    finished = [a for a in attempts if a.finished_at is not None]
    times = [float(s) for a in finished if a.success and (s := _seconds(a)) is not None]
    return Cell(condition, course_exercise, stats.adjusted_wald(sum(1 for a in finished if a.success), len(finished)),
                times, stats.median(times), stats.geometric_mean(times),
                stats.mean_with_interval([float(a.seq) for a in finished if a.seq is not None]),
                course_exercise.phone_seconds)


def summarise(course: Course, *, gettext: stats.Gettext | None = None,
              num: stats.Number | None = None) -> CourseResults:
    """The course's figures per exercise and condition, the differences and the SUS scores; the sentences
    through ``gettext`` with numbers written by ``num`` (both default to plain Norwegian)."""
    say = gettext or stats._identity
    write = num or stats._num
    attempts = _attempts(course)
    results = []
    for course_exercise in course.exercises:
        exercise_results = ExerciseResults(course_exercise)
        for condition in course.conditions:
            mine = [a for a in attempts if a.course_exercise_id == course_exercise.id
                    and a.condition_id == condition.id]
            exercise_results.cells.append(_cell(condition, course_exercise, mine))
        first = exercise_results.cells[0] if exercise_results.cells else None
        for other in exercise_results.cells[1:]:
            assert first is not None
            difference = Difference(
                first.condition, other.condition,
                stats.compare_success(first.rate, other.rate),
                stats.compare_times(first.times, other.times),
                stats.compare_means(_seqs(attempts, course_exercise, first.condition),
                                    _seqs(attempts, course_exercise, other.condition)), [])
            a, b = first.condition.name, other.condition.name
            difference.sentences.extend([
                stats.sentence("success", difference.success, a=a, b=b, _=say, num=write),
                stats.sentence("time", difference.time, a=a, b=b, _=say, num=write),
                stats.sentence("seq", difference.seq, a=a, b=b, _=say, num=write)])
            exercise_results.differences.append(difference)
        results.append(exercise_results)
    sus = _sus(course)
    sus_sentences = []
    if len(sus) > 1 and sus[0].condition is not None:
        for later in sus[1:]:
            assert later.condition is not None and sus[0].condition is not None
            sus_sentences.append(stats.sentence("sus", stats.compare_means(sus[0].scores, later.scores),
                                                a=sus[0].condition.name, b=later.condition.name, _=say,
                                                num=write))
    return CourseResults(course, results, sus, sus_sentences)


def _seqs(attempts: list[Attempt], course_exercise: CourseExercise, condition: Condition) -> list[float]:
    return [float(a.seq) for a in attempts if a.course_exercise_id == course_exercise.id
            and a.condition_id == condition.id and a.seq is not None]


def _sus(course: Course) -> list[SusResult]:
    answered = [p for p in course.participants if p.sus is not None]
    if any(p.condition_id is None for p in course.participants):  # within-subject: one figure for all
        scores = [float(p.sus.score) for p in answered if p.sus is not None]
        return [SusResult(None, scores, stats.mean_with_interval(scores))]
    out = []
    for condition in course.conditions:
        scores = [float(p.sus.score) for p in answered if p.sus is not None and p.condition_id == condition.id]
        out.append(SusResult(condition, scores, stats.mean_with_interval(scores)))
    return out


# --- live -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveRow:
    participant: Participant
    done: int
    planned: int
    exercise_title: str | None
    condition_key: str | None
    seconds: int | None
    stuck: bool


def live(course: Course, *, planned: Callable[[Participant], int], now: datetime | None = None) -> list[LiveRow]:
    """Who is on which exercise, for how long, and who is stuck: over twice the median time of those who
    already finished the same exercise under the same condition (over the time limit when nobody has)."""
    now = now or utcnow()
    attempts = _attempts(course)
    finished_times: dict[tuple[int, int | None], list[float]] = {}
    for a in attempts:
        if a.finished_at is not None and (s := _seconds(a)) is not None:
            finished_times.setdefault((a.course_exercise_id, a.condition_id), []).append(float(s))
    out = []
    for participant in course.participants:
        mine = [a for a in attempts if a.participant_id == participant.id]
        current = next((a for a in mine if a.id == participant.current_attempt_id and a.finished_at is None), None)
        seconds = stuck = None
        if current is not None:
            seconds = max(0, round((now - current.started_at).total_seconds()))
            median = stats.median(finished_times.get((current.course_exercise_id, current.condition_id), []))
            limit = STUCK_FACTOR * median if median is not None else current.course_exercise.exercise.time_limit_seconds
            stuck = seconds > limit
        out.append(LiveRow(participant, sum(1 for a in mine if a.finished_at is not None), planned(participant),
                           current.course_exercise.exercise.title if current else None,
                           current.condition.key if current and current.condition else None, seconds, bool(stuck)))
    return out
