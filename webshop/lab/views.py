"""The trainer's pages under «Opplæring» (/opplaering): courses (list, create, show, delete),
participants (printable login cards, reset a sandbox) and the exercise library with the form
for the municipality's own exercises. Every route is for trainers, and a course of another
municipality is a 404."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.lab import courses, exercises
from webshop.lab.courses import ConditionSpec, CourseError, CourseSpec, Login
from webshop.lab.forms import CourseForm, ExerciseForm
from webshop.lab.models import Course, Participant
from webshop.lab.rules import Assignment, CatalogueRange, CatalogueVariant, Design, OrderingAuthority, TemplateKey
from webshop.views_support import guard, transaction

bp = Blueprint("lab", __name__, template_folder="templates", url_prefix="/opplaering")
guard(bp, courses.can_run_courses)
bp.add_app_template_global(courses.can_run_courses, "can_run_courses")  # the «Opplæring» menu entry


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not courses.can_manage_course(current_user, course):
        abort(404)
    return course


def _condition(form: CourseForm, prefix: str, key: str) -> ConditionSpec:
    def value(name: str) -> Any:
        return getattr(form, f"{prefix}_{name}").data

    return ConditionSpec(key=key, name=value("name").strip(), catalogue_variant=CatalogueVariant(value("catalogue")),
                         catalogue_range=CatalogueRange(value("range")),
                         ordering_authority=OrderingAuthority(value("ordering")),
                         auto_approve_below=value("auto"), supplier_behaviour=value("supplier") or None)


def _spec(form: CourseForm) -> CourseSpec:
    conditions = [_condition(form, "a", "A")]
    if (form.b_name.data or "").strip():
        conditions.append(_condition(form, "b", "B"))
    invited = [line.strip().lower() for line in (form.invite.data or "").splitlines() if line.strip()]
    return CourseSpec(name=form.name.data, held_on=form.held_on.data, conditions=conditions,
                      exercise_keys=list(form.exercise_keys.data or []), participants=form.participants.data or 0,
                      invited_emails=invited, template_key=TemplateKey(form.template_key.data),
                      design=Design(form.design.data), assignment=Assignment.RANDOM)


def _cards(course: Course, logins: list[Login]) -> Any:
    response = make_response(render_template("lab/cards.html", course=course, logins=logins))
    response.headers["Cache-Control"] = "no-store"  # the passwords are shown once
    return response


@bp.get("")
def index():
    return render_template("lab/courses.html", courses=courses.courses_of(current_user.organisation_id))


@bp.route("/kurs/ny", methods=["GET", "POST"])
def create():
    with transaction():
        exercises.ensure_builtin()
    form = CourseForm()
    form.exercise_keys.choices = [SelectChoice(e.key, e.title) for e in exercises.library(current_user.organisation_id)]
    if not form.validate_on_submit():
        return render_template("lab/create.html", form=form), (400 if form.is_submitted() else 200)
    try:
        course, logins = courses.create_course(_spec(form), organisation=current_user.organisation, by=current_user)
    except CourseError as exc:
        db.session.rollback()
        return render_template("lab/create.html", form=form, errors=[str(exc)]), 400
    db.session.commit()
    courses.send_invitations(course, logins)
    return _cards(course, logins)


@bp.get("/kurs/<int:course_id>")
def show(course_id: int):
    course = _course(course_id)
    return render_template("lab/course.html", course=course, form=EmptyForm(),
                           has_results="lab_results.show" in current_app.view_functions)


@bp.post("/kurs/<int:course_id>/innloggingskort")
def cards(course_id: int):
    course = _course(course_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    logins = courses.new_passwords(course)
    db.session.commit()
    return _cards(course, logins)


@bp.post("/kurs/<int:course_id>/deltakere/<int:participant_id>/tilbakestill")
def reset(course_id: int, participant_id: int):
    course = _course(course_id)
    participant = db.session.scalar(select(Participant).where(Participant.id == participant_id,
                                                              Participant.course_id == course.id))
    if participant is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction(url_for("lab.show", course_id=course.id)):
        courses.reset_sandbox(participant, by=current_user)
    flash(_("Øvingskommunen til %(code)s er tilbakestilt.", code=participant.code), "success")
    return redirect(url_for("lab.show", course_id=course.id))


@bp.post("/kurs/<int:course_id>/slett")
def delete(course_id: int):
    course = _course(course_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = course.name
    with transaction(url_for("lab.show", course_id=course.id)):
        courses.delete_course(course, by=current_user)
    flash(_("Kurset «%(name)s» og alle øvingskommunene er slettet.", name=name), "success")
    return redirect(url_for("lab.index"))


@bp.route("/oppgaver", methods=["GET", "POST"])
def library():
    with transaction():
        exercises.ensure_builtin()
    form = ExerciseForm()
    if form.validate_on_submit():
        if form.check_kind.data != exercises.CANT_FIND and not (form.find.data or "").strip():
            form.find.errors = [*form.find.errors, _("Skriv hva deltakeren skal finne.")]
        else:
            with transaction(url_for("lab.library")):
                exercise = exercises.save_own_exercise(
                    current_user.organisation_id, title=form.title.data, find=form.find.data or "",
                    quantity=form.quantity.data, unit_code=form.unit_code.data or None,
                    check_kind=form.check_kind.data, time_limit_seconds=form.time_limit_minutes.data * 60,
                    phone_seconds=form.phone_seconds.data, instructions=form.instructions.data or "")
            flash(_("Oppgaven «%(title)s» er lagt i kommunens bibliotek.", title=exercise.title), "success")
            return redirect(url_for("lab.library"))
    status = 400 if form.is_submitted() else 200
    return render_template("lab/library.html", form=form,
                           exercises=exercises.library(current_user.organisation_id)), status
