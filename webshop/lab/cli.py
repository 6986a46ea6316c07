"""``flask --app webshop lab …``: the training lab from the command line.

``lab create FILE.toml`` makes a course from a file and prints the course id on the first line,
then one ``login password`` line per participant (P01, P02, … in order). The file format is in
docs/training.md; in short::

    [course]
    name = "Opplæring i e-handel"
    date = 2026-12-10
    template = "demo"            # or "own": the trainer's municipality
    design = "between"           # or "within": everyone does every condition, order counterbalanced
    assignment = "random"        # or "manual" with [course.manual] P01 = "A" …
    participants = 6
    invite = ["kari@kommune.no"] # optional: more participants, known by e-mail address
    trainer = "trond.bakken@example.no"  # optional: whose municipality the course belongs to

    [[conditions]]
    key = "A"
    name = "Kuratert katalog"
    catalogue = "curated"        # or "raw"
    range = "full"               # or "limited"
    ordering = "everyone"        # or "designated"
    auto_approve_below = "2000"  # optional, kroner
    supplier = "partial"         # optional: accept, reject, partial, change, silent

    [[exercises]]
    key = "finn-sukker"
    phone_seconds = 60           # optional: the phone baseline for this task
"""
from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from webshop.extensions import db
from webshop.lab.courses import ConditionSpec, CourseError, CourseSpec, create_course, send_invitations
from webshop.lab.models import Course
from webshop.lab.results import csv_text, summarise
from webshop.lab.rules import Assignment, CatalogueRange, CatalogueVariant, Design, OrderingAuthority, TemplateKey
from webshop.lab.sandboxes import DEMO_TEMPLATE_KEY
from webshop.orgs.models import Organisation, Role, User
from webshop.supplier.rules import Behaviour

lab_cli = click.Group("lab", help="Training lab: courses, sandboxes, results.")


def _choice(enum: Any, value: object, what: str) -> Any:
    try:
        return enum(value)
    except ValueError as exc:
        allowed = ", ".join(m.value for m in enum)
        raise CourseError(f"{what}: «{value}» er ikke gyldig (bruk {allowed}).") from exc


def _money(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise CourseError(f"auto_approve_below: «{value}» er ikke et beløp.") from exc


def spec_from_toml(data: dict[str, Any]) -> CourseSpec:
    """A course spec from a parsed course file; CourseError (in Norwegian) names what is wrong."""
    course = data.get("course") or {}
    held_on = course.get("date") or date.today()
    if not isinstance(held_on, date):
        raise CourseError("date: skriv datoen som 2026-12-10.")
    conditions = []
    for row in data.get("conditions") or []:
        behaviour = row.get("supplier")
        if behaviour:
            _choice(Behaviour, behaviour, "supplier")
        conditions.append(ConditionSpec(
            key=str(row.get("key", "")).strip().upper()[:4], name=str(row.get("name") or row.get("key") or ""),
            catalogue_variant=_choice(CatalogueVariant, row.get("catalogue", "curated"), "catalogue"),
            catalogue_range=_choice(CatalogueRange, row.get("range", "full"), "range"),
            ordering_authority=_choice(OrderingAuthority, row.get("ordering", "everyone"), "ordering"),
            auto_approve_below=_money(row.get("auto_approve_below")), supplier_behaviour=behaviour or None))
    exercises = data.get("exercises") or []
    return CourseSpec(
        name=str(course.get("name", "")), held_on=held_on, conditions=conditions,
        exercise_keys=[str(e["key"]) for e in exercises if "key" in e],
        phone_seconds={str(e["key"]): int(e["phone_seconds"]) for e in exercises if "phone_seconds" in e},
        participants=int(course.get("participants", 0)), invited_emails=[str(x) for x in course.get("invite", [])],
        template_key=_choice(TemplateKey, course.get("template", "demo"), "template"),
        design=_choice(Design, course.get("design", "between"), "design"),
        assignment=_choice(Assignment, course.get("assignment", "random"), "assignment"),
        manual={str(k).upper(): str(v).upper() for k, v in (course.get("manual") or {}).items()})


def owner_of(trainer_email: str | None) -> tuple[Organisation, User | None]:
    if trainer_email:
        trainer = db.session.scalar(select(User).where(User.email == trainer_email.strip().lower()))
        if trainer is None or not trainer.has_role(Role.TRAINER):
            raise CourseError(f"trainer: {trainer_email} er ikke en kursholder.")
        return trainer.organisation, trainer
    org = db.session.scalar(select(Organisation).where(Organisation.key == DEMO_TEMPLATE_KEY,
                                                       Organisation.is_sandbox.is_(False)))
    if org is None:
        raise CourseError("trainer: oppgi kursholderens e-postadresse (det finnes ingen demokommune).")
    return org, None


@lab_cli.command("create")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def create_command(file: Path) -> None:
    """Create a course from FILE.toml; print its id, then «login password» per participant."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    try:
        spec = spec_from_toml(data)
        organisation, trainer = owner_of((data.get("course") or {}).get("trainer"))
        course, logins = create_course(spec, organisation=organisation, by=trainer)
    except (CourseError, KeyError, TypeError, ValueError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    send_invitations(course, logins)
    click.echo(course.id)
    for login in logins:
        click.echo(f"{login.login} {login.password}")


@lab_cli.command("results")
@click.argument("course_id", type=int)
@click.option("--csv", "as_csv", is_flag=True, help="Print the CSV: one row per participant and exercise.")
@with_appcontext
def results_command(course_id: int, as_csv: bool) -> None:
    """Print a course's results: the CSV (--csv), or a short summary per exercise and condition."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise click.ClickException(f"Kurs {course_id} finnes ikke.")
    if as_csv:
        click.echo(csv_text(course), nl=False)
        return
    for exercise in summarise(course).exercises:
        click.echo(exercise.course_exercise.exercise.title)
        for cell in exercise.cells:
            median = "–" if cell.median is None else f"{cell.median:.0f} s"
            seq = "–" if cell.seq.value is None else f"{cell.seq.value:.1f}"
            rate = f"{cell.rate.successes}/{cell.rate.n}"
            click.echo(f"  {cell.condition.key}: {rate} lyktes, median {median}, SEQ {seq}")
        for difference in exercise.differences:
            for sentence in difference.sentences:
                click.echo(f"  {sentence}")


@lab_cli.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo course (curated against raw catalogue); print its id and the participants' logins."""
    from seed.lab import load_lab_demo  # lazy: the demo data loads only for this command

    try:
        course, logins = load_lab_demo()
    except CourseError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Demokurs {course.id}: {course.name} (kursholder trond.bakken@example.no)")
    for code, login, password in logins:
        click.echo(f"  {code} {login:45} {password}")
