"""The participant's side of the training lab (issue 12): the exercises page, start / done / give up,
the Single Ease Question after each exercise, SUS at the end, «reset my sandbox», and the task bar
shown on every page while the participant works (``lab_task_bar`` is a Jinja global that base.html
calls only when the session carries the lab marker, so nobody else pays for it).

Only a participant (a user whose organisation is a course's sandbox) reaches these pages; anybody
else gets 404, as for a page that does not exist for them.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from webshop.forms import EmptyForm
from webshop.lab import attempts, courses, measure
from webshop.lab.models import Participant
from webshop.views_support import transaction

bp = Blueprint("lab_session", __name__, template_folder="templates", url_prefix="/opplaering/deltaker")

SEQ_CHOICES = [SelectChoice(str(n), str(n)) for n in range(1, 8)]
SUS_CHOICES = [SelectChoice(str(n), str(n)) for n in range(1, 6)]
SUS_ITEMS = (
    _l("Jeg tror jeg kommer til å bruke dette systemet ofte."),
    _l("Jeg syns systemet var unødvendig komplisert."),
    _l("Jeg syns systemet var lett å bruke."),
    _l("Jeg tror jeg ville trenge hjelp fra en teknisk person for å kunne bruke systemet."),
    _l("Jeg syns de ulike funksjonene i systemet hang godt sammen."),
    _l("Jeg syns det var for mye som ikke stemte i systemet."),
    _l("Jeg tror de fleste ville lære seg å bruke systemet svært raskt."),
    _l("Jeg syns systemet var tungvint å bruke."),
    _l("Jeg følte meg trygg da jeg brukte systemet."),
    _l("Jeg måtte lære meg mye før jeg kom i gang med systemet."),
)


class SeqForm(FlaskForm):
    seq = RadioField(_l("Alt i alt, hvor lett eller vanskelig var denne oppgaven?"), choices=SEQ_CHOICES,
                     validators=[InputRequired(_l("Velg et tall fra 1 til 7."))])


class SusForm(FlaskForm):
    pass


for _n, _text in enumerate(SUS_ITEMS, start=1):
    setattr(SusForm, f"q{_n}", RadioField(_text, choices=SUS_CHOICES,
                                          validators=[InputRequired(_l("Svar på denne påstanden."))]))


def _participant() -> Participant:
    participant = courses.participant_of(current_user)
    if participant is None:
        abort(404)
    return participant


@bp.app_template_global()
def lab_task_bar() -> dict[str, Any] | None:
    """What the task bar shows: the running exercise with its time left, or the way back to the list."""
    if not current_user.is_authenticated or measure.marked_participant_id() is None:
        return None
    participant = courses.participant_of(current_user)
    if participant is None:
        return None
    attempt = attempts.running(participant)
    planned = courses.planned_tasks(participant)
    if attempt is None:
        return {"attempt": None, "total": len(planned)}
    number = next((n for n, (ce, c) in enumerate(planned, start=1)
                   if ce.id == attempt.course_exercise_id and c.id == attempt.condition_id), 1)
    return {"attempt": attempt, "exercise": attempt.course_exercise.exercise, "number": number,
            "total": len(planned), "seconds_left": attempts.seconds_left(attempt), "form": EmptyForm()}


@bp.get("")
@login_required
def tasks():
    participant = _participant()
    measure.mark(participant.id, participant.current_attempt_id)  # a login from before the course started
    done = {(a.course_exercise_id, a.condition_id): a for a in participant.attempts if a.finished_at is not None}
    return render_template("lab/participant_tasks.html", participant=participant,
                           planned=courses.planned_tasks(participant), done=done,
                           running=attempts.running(participant), next_task=attempts.next_task(participant),
                           awaiting=attempts.awaiting_seq(participant),
                           may_sus=attempts.may_answer_sus(participant), form=EmptyForm())


@bp.post("/start")
@login_required
def start():
    participant = _participant()
    if not EmptyForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("lab_session.tasks")):
        attempt = attempts.start_next(participant)
    measure.mark(participant.id, attempt.id)
    return redirect(url_for("home.start"))


def _finish(gave_up: bool):
    participant = _participant()
    if not EmptyForm().validate():
        abort(400)
    counts = measure.take_pending()
    with transaction(redirect_to=url_for("lab_session.tasks")):
        attempt = attempts.finish(participant, gave_up=gave_up, counts=counts)
    measure.mark(participant.id, None)
    return redirect(url_for("lab_session.seq", attempt_id=attempt.id))


@bp.post("/ferdig")
@login_required
def done():
    return _finish(gave_up=False)


@bp.post("/gi-opp")
@login_required
def give_up():
    return _finish(gave_up=True)


@bp.get("/oppgave")
@login_required
def instructions():
    """The running exercise's instructions, opened again from the task bar (counted as help)."""
    participant = _participant()
    attempt = attempts.running(participant)
    if attempt is None:
        return redirect(url_for("lab_session.tasks"))
    measure.count("help_opened")
    return render_template("lab/participant_help.html", attempt=attempt, exercise=attempt.course_exercise.exercise,
                           form=EmptyForm())


@bp.route("/forsok/<int:attempt_id>/vurdering", methods=["GET", "POST"])
@login_required
def seq(attempt_id: int):
    participant = _participant()
    attempt = next((a for a in participant.attempts if a.id == attempt_id and a.finished_at is not None), None)
    if attempt is None:
        abort(404)
    form = SeqForm()
    if form.validate_on_submit():
        with transaction(redirect_to=url_for("lab_session.tasks")):
            attempts.answer_seq(participant, attempt.id, int(form.seq.data))
        flash(_("Takk! Svaret er lagret."), "success")
        return redirect(url_for("lab_session.tasks"))
    return render_template("lab/participant_seq.html", attempt=attempt, exercise=attempt.course_exercise.exercise,
                           form=form), (400 if form.errors else 200)


@bp.route("/sus", methods=["GET", "POST"])
@login_required
def sus():
    participant = _participant()
    if not attempts.may_answer_sus(participant):
        return redirect(url_for("lab_session.tasks"))
    form = SusForm()
    if form.validate_on_submit():
        answers = [int(getattr(form, f"q{n}").data) for n in range(1, 11)]
        with transaction(redirect_to=url_for("lab_session.tasks")):
            attempts.answer_sus(participant, answers)
        flash(_("Takk for at du var med!"), "success")
        return redirect(url_for("lab_session.tasks"))
    return render_template("lab/participant_sus.html", form=form,
                           items=[getattr(form, f"q{n}") for n in range(1, 11)]), (400 if form.errors else 200)


@bp.post("/tilbakestill")
@login_required
def reset():
    """Empty the participant's sandbox and fill it again (the measured attempts stay)."""
    participant = _participant()
    if not EmptyForm().validate():
        abort(400)
    with transaction(redirect_to=url_for("lab_session.tasks")):
        courses.reset_sandbox(participant, by=current_user)
    flash(_("Øvingskommunen din er tilbakestilt."), "success")
    return redirect(url_for("lab_session.tasks"))
