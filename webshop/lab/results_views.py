"""The trainer's results of a course (issue 12): figures per condition and exercise with charts and their
tables, the differences in plain Norwegian, the CSV, a printable summary and the live view.

Only a trainer of the course's own municipality sees a course; another municipality's course is a 404.
"""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from webshop.charts import Series
from webshop.extensions import db
from webshop.lab import courses, results, stats
from webshop.lab.models import Course
from webshop.views_support import requires

bp = Blueprint("lab_results", __name__, template_folder="templates", url_prefix="/opplaering/kurs")


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not courses.can_manage_course(current_user, course):
        abort(404)
    return course


@bp.app_template_filter("lab_share")
def lab_share(value: float | None) -> str:
    return "–" if value is None else f"{format_decimal(round(100 * value), format='#,##0')} %"


@bp.app_template_filter("lab_seconds")
def lab_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    seconds = round(value)
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else _("%(s)d s", s=seconds)


@bp.app_template_filter("lab_number")
def lab_number(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else str(format_decimal(round(value, decimals), format="#,##0." + "0" * decimals))


def _charts(summary: results.CourseResults) -> dict[str, object]:
    """The chart data: categories (exercises) and one series per condition."""
    titles = [e.course_exercise.exercise.title for e in summary.exercises]
    by_condition: dict[int, dict[str, list[Decimal | None]]] = {}
    names: dict[int, str] = {}
    for exercise in summary.exercises:
        for cell in exercise.cells:
            series = by_condition.setdefault(cell.condition.id, {"success": [], "time": [], "seq": []})
            names[cell.condition.id] = f"{cell.condition.key}: {cell.condition.name}"
            share = cell.rate.share
            series["success"].append(None if share is None else Decimal(round(100 * share)))
            geo = cell.geometric.value
            series["time"].append(None if geo is None else Decimal(round(geo)))
            seq = cell.seq.value
            series["seq"].append(None if seq is None else Decimal(str(round(seq, 1))))

    def make(kind: str) -> list[Series]:
        return [Series(names[cid], values[kind]) for cid, values in by_condition.items()]

    return {"titles": titles, "success": make("success"), "time": make("time"), "seq": make("seq"),
            "phone": [Decimal(e.course_exercise.phone_seconds) for e in summary.exercises],
            "seq_benchmark": Decimal(str(stats.SEQ_BENCHMARK))}


def _number(value: float, decimals: int) -> str:
    return str(format_decimal(round(value, decimals), format="#,##0." + "0" * decimals if decimals else "#,##0"))


def _summary(course: Course) -> results.CourseResults:
    return results.summarise(course, gettext=_, num=_number)


@bp.get("/<int:course_id>/resultater")
@requires(courses.can_run_courses)
def show(course_id: int):
    course = _course(course_id)
    summary = _summary(course)
    return render_template("lab/results.html", course=course, summary=summary, charts=_charts(summary),
                           sus_benchmark=stats.SUS_BENCHMARK, seq_benchmark=stats.SEQ_BENCHMARK)


@bp.get("/<int:course_id>/utskrift")
@requires(courses.can_run_courses)
def printable(course_id: int):
    course = _course(course_id)
    summary = _summary(course)
    return render_template("lab/results_print.html", course=course, summary=summary, charts=_charts(summary),
                           sus_benchmark=stats.SUS_BENCHMARK, seq_benchmark=stats.SEQ_BENCHMARK)


@bp.get("/<int:course_id>/resultater.csv")
@requires(courses.can_run_courses)
def csv(course_id: int):
    course = _course(course_id)
    return Response(results.csv_text(course), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="kurs-{course.id}-resultater.csv"'})


@bp.get("/<int:course_id>/direkte")
@requires(courses.can_run_courses)
def live(course_id: int):
    course = _course(course_id)
    rows = results.live(course, planned=lambda p: len(courses.planned_tasks(p)))
    return render_template("lab/live.html", course=course, rows=rows, factor=results.STUCK_FACTOR)
