"""Courses of the training lab: create one with its conditions, exercises and participants (each
with a login and a sandbox), assign conditions, reset a participant's sandbox, delete a course
with everything it made, and say which condition a sandbox works under now.

Service functions flush; the caller commits.
"""
from __future__ import annotations

import logging
import random
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from webshop import audit, mail
from webshop.catalogue.models import Catalogue, CatalogueItem
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.lab import exercises, sandboxes
from webshop.lab.models import Attempt, Condition, Course, CourseExercise, Exercise, Participant
from webshop.lab.rules import (
    Assignment,
    CatalogueRange,
    CatalogueVariant,
    Design,
    OrderingAuthority,
    TemplateKey,
    balanced_assignment,
    counterbalanced_orders,
    participant_code,
)
from webshop.orders.models import Order, OrderLine
from webshop.orgs.models import Organisation, Role, User
from webshop.orgs.scoping import NORMAL, SandboxSettings
from webshop.search.index import item_key

log = logging.getLogger(__name__)

MAX_PARTICIPANTS = 60
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from a printed card


class CourseError(DomainError, ValueError):
    """The course cannot be made as asked (the message says why, in Norwegian)."""


@dataclass(frozen=True)
class ConditionSpec:
    key: str
    name: str
    catalogue_variant: CatalogueVariant = CatalogueVariant.CURATED
    catalogue_range: CatalogueRange = CatalogueRange.FULL
    ordering_authority: OrderingAuthority = OrderingAuthority.EVERYONE
    auto_approve_below: Decimal | None = None
    supplier_behaviour: str | None = None


@dataclass(frozen=True)
class CourseSpec:
    name: str
    held_on: date
    conditions: list[ConditionSpec]
    exercise_keys: list[str]
    participants: int = 0
    invited_emails: list[str] = field(default_factory=list)
    template_key: TemplateKey = TemplateKey.DEMO
    design: Design = Design.BETWEEN
    assignment: Assignment = Assignment.RANDOM
    phone_seconds: dict[str, int] = field(default_factory=dict)  # exercise key -> the trainer's baseline
    manual: dict[str, str] = field(default_factory=dict)  # participant code -> condition key (manual)


@dataclass(frozen=True)
class Login:
    code: str
    login: str
    password: str
    condition: str
    invited_email: str | None = None


def new_password() -> str:
    """A password that survives being read off a card: three groups of four."""
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def _check(spec: CourseSpec) -> None:
    if not spec.name.strip():
        raise CourseError(_("Kurset må ha et navn."))
    keys = [c.key for c in spec.conditions]
    if not keys:
        raise CourseError(_("Kurset må ha minst én betingelse."))
    if len(set(keys)) != len(keys):
        raise CourseError(_("To betingelser har samme bokstav."))
    total = spec.participants + len(spec.invited_emails)
    if not 1 <= total <= MAX_PARTICIPANTS:
        raise CourseError(_("Et kurs har mellom 1 og %(max)s deltakere.", max=MAX_PARTICIPANTS))
    if not spec.exercise_keys:
        raise CourseError(_("Velg minst én oppgave."))
    if spec.assignment is Assignment.MANUAL and spec.design is Design.BETWEEN:
        missing = [participant_code(n) for n in range(1, total + 1) if participant_code(n) not in spec.manual]
        if missing or any(v not in keys for v in spec.manual.values()):
            raise CourseError(_("Ved manuell fordeling må hver deltaker få en av kursets betingelser."))


def _library_exercise(key: str, organisation_id: int) -> Exercise:
    found = exercises.library_exercise(key, organisation_id)
    if found is None:
        raise CourseError(_("Oppgaven «%(key)s» finnes ikke i biblioteket.", key=key))
    return found


def create_course(spec: CourseSpec, *, organisation: Organisation, by: User | None,
                  rng: random.Random | None = None) -> tuple[Course, list[Login]]:
    """Make the course, its conditions and exercises, and per participant a login (P01, P02, … and
    one per invited address) with a sandbox cloned from the template; return the logins."""
    _check(spec)
    if organisation.is_sandbox:
        raise CourseError(_("Et kurs hører til en ekte kommune."))
    rng = rng or random.Random(secrets.randbits(64))
    exercises.ensure_builtin()
    chosen = [_library_exercise(k, organisation.id) for k in spec.exercise_keys]
    course = Course(organisation_id=organisation.id, created_by_id=by.id if by else None, name=spec.name.strip(),
                    held_on=spec.held_on, template_key=spec.template_key, design=spec.design,
                    assignment=spec.assignment)
    course.conditions = [Condition(key=c.key, name=c.name, catalogue_variant=c.catalogue_variant,
                                   catalogue_range=c.catalogue_range, ordering_authority=c.ordering_authority,
                                   auto_approve_below=c.auto_approve_below, supplier_behaviour=c.supplier_behaviour)
                         for c in spec.conditions]
    course.exercises = [CourseExercise(exercise_id=e.id, position=n,
                                       phone_seconds=spec.phone_seconds.get(e.key, e.phone_seconds))
                        for n, e in enumerate(chosen, start=1)]
    db.session.add(course)
    db.session.flush()
    template = sandboxes.template_for(spec.template_key.value, organisation)
    total = spec.participants + len(spec.invited_emails)
    keys = [c.key for c in course.conditions]
    if spec.design is Design.WITHIN:
        orders = counterbalanced_orders(total, keys, rng)
    elif spec.assignment is Assignment.MANUAL:
        orders = [spec.manual[participant_code(n)] for n in range(1, total + 1)]
    else:
        orders = balanced_assignment(total, keys, rng)
    by_key = {c.key: c for c in course.conditions}
    invited = [None] * spec.participants + list(spec.invited_emails)
    logins = []
    for n, (order, email) in enumerate(zip(orders, invited, strict=True), start=1):
        code = participant_code(n)
        password = new_password()
        participant = _add_participant(course, template, code=code, password=password, email=email,
                                       condition=by_key[order[0]],
                                       order=order if spec.design is Design.WITHIN else None)
        logins.append(Login(code, participant.user.email, password, order, email))
    audit.record("lab_course_created", by=by, organisation_id=organisation.id,
                 comment=f"{course.name}: {total} deltakere, betingelser {', '.join(keys)}")
    db.session.flush()
    log.info("Course %s created with %s participants", course.id, total)
    return course, logins


def _setup(condition: Condition, course: Course) -> sandboxes.SandboxSetup:
    kinds = {ce.exercise.check_kind for ce in course.exercises}
    return sandboxes.SandboxSetup(ordering_authority=condition.ordering_authority,
                                  auto_approve_below=condition.auto_approve_below,
                                  participant_approves=bool(kinds & exercises.APPROVER_KINDS))


def _add_participant(course: Course, template: Organisation, *, code: str, password: str, email: str | None,
                     condition: Condition, order: str | None) -> Participant:
    sandbox = sandboxes.create_sandbox(template, key=f"lab-{course.id}-{code.lower()}",
                                       name=f"Øvingskommune {code} – {course.name}")
    user = sandboxes.new_participant_user(sandbox, local=f"{code.lower()}.k{course.id}",
                                          name=f"Deltaker {code}", password=password)
    participant = Participant(course_id=course.id, code=code, user_id=user.id, invited_email=email,
                              condition_id=condition.id if order is None else None, condition_order=order,
                              sandbox_organisation_id=sandbox.id)
    participant.user, participant.sandbox = user, sandbox
    db.session.add(participant)
    db.session.flush()
    unit = sandboxes.populate(sandbox, template, user, _setup(condition, course))
    exercises.prepare_start_states(participant, unit)
    return participant


def reset_sandbox(participant: Participant, *, by: User | None) -> None:
    """Empty the participant's sandbox and fill it again from the template, as on the first day.

    The login, the sandbox's id and the measured attempts stay; orders, carts, searches and the
    simulated colleagues are made anew.
    """
    course = participant.course
    sandbox_id = participant.sandbox_organisation_id
    sandboxes.purge_organisation(sandbox_id, keep_organisation=True, keep_user_ids=[participant.user_id],
                                 stop_tables=[t for t in db.metadata.tables if t.startswith("lab_")])
    sandbox = db.session.get(Organisation, sandbox_id)
    user = db.session.get(User, participant.user_id)
    assert sandbox is not None and user is not None
    organisation = db.session.get(Organisation, course.organisation_id)
    assert organisation is not None
    template = sandboxes.template_for(course.template_key.value, organisation)
    unit = sandboxes.populate(sandbox, template, user, _setup(first_condition(participant), course))
    exercises.prepare_start_states(participant, unit)
    audit.record("lab_sandbox_reset", by=by, organisation_id=course.organisation_id,
                 comment=f"{course.name}: {participant.code}")
    db.session.flush()


def delete_course(course: Course, *, by: User | None) -> None:
    """Delete the course and everything it made: conditions, exercises of the course, participants,
    attempts, SUS answers, the participants' logins and their sandboxes with all their rows."""
    name, organisation_id = course.name, course.organisation_id
    sandbox_ids = [p.sandbox_organisation_id for p in course.participants]
    db.session.execute(update(Participant).where(Participant.course_id == course.id)
                       .values(current_attempt_id=None).execution_options(synchronize_session=False))
    db.session.delete(course)  # cascades to conditions, course exercises, participants, attempts, SUS
    db.session.flush()
    for sandbox_id in sandbox_ids:
        sandboxes.purge_organisation(sandbox_id)
    audit.record("lab_course_deleted", by=by, organisation_id=organisation_id,
                 comment=f"{name}: {len(sandbox_ids)} øvingskommuner slettet")
    db.session.flush()


# ---------------------------------------------------------------- conditions at work


def condition_order(participant: Participant) -> list[Condition]:
    """The conditions in the order the participant works under them."""
    if participant.condition is not None:
        return [participant.condition]
    by_key = {c.key: c for c in participant.course.conditions}
    return [by_key[k] for k in (participant.condition_order or "") if k in by_key] or list(
        participant.course.conditions[:1])


def first_condition(participant: Participant) -> Condition:
    return condition_order(participant)[0]


def planned_tasks(participant: Participant) -> list[tuple[CourseExercise, Condition]]:
    """Every (exercise, condition) the participant does, in order: each exercise once per condition
    (one condition between subjects, all of them in the participant's order within subjects)."""
    return [(ce, condition) for condition in condition_order(participant) for ce in participant.course.exercises]


def active_condition(participant: Participant) -> Condition:
    """The condition the sandbox works under now: the running attempt's, else the next planned task's."""
    if participant.current_attempt_id is not None:
        attempt = db.session.get(Attempt, participant.current_attempt_id)
        if attempt is not None and attempt.condition is not None:
            return attempt.condition
    done = {(a.course_exercise_id, a.condition_id) for a in participant.attempts if a.finished_at is not None}
    for ce, condition in planned_tasks(participant):
        if (ce.id, condition.id) not in done:
            return condition
    return condition_order(participant)[-1]


def settings_for_sandbox(organisation_id: int) -> SandboxSettings | None:
    """``orgs.scoping.sandbox_settings_requested`` receiver: the condition a sandbox works under."""
    participant = db.session.scalar(select(Participant).where(Participant.sandbox_organisation_id == organisation_id))
    if participant is None:
        return None
    condition = active_condition(participant)
    if condition is None:
        return NORMAL
    limited = condition.catalogue_range is CatalogueRange.LIMITED
    return SandboxSettings(raw_catalogue=condition.catalogue_variant is CatalogueVariant.RAW,
                           limited_range=limited, supplier_behaviour=condition.supplier_behaviour,
                           range_keys=core_range(participant.course) if limited else None)


def core_range(course: Course) -> frozenset[str]:
    """A limited range: the items the template municipality has ordered from the catalogue (its
    everyday core list), as search keys. Everything else is out of the sandbox's search."""
    organisation = db.session.get(Organisation, course.organisation_id)
    assert organisation is not None
    template = sandboxes.template_for(course.template_key.value, organisation)
    rows = db.session.execute(
        select(Catalogue.agreement_id, CatalogueItem.supplier_item_id).distinct()
        .join(CatalogueItem, CatalogueItem.catalogue_id == Catalogue.id)
        .join(OrderLine, OrderLine.item_id == CatalogueItem.id).join(Order, Order.id == OrderLine.order_id)
        .where(Order.organisation_id == template.id))
    return frozenset(item_key(agreement_id, sid) for agreement_id, sid in rows)


def participant_of(user: User) -> Participant | None:
    """The user's participation, if the user is a lab participant (their organisation is a sandbox)."""
    if not user.organisation.is_sandbox:
        return None
    return db.session.scalar(select(Participant).where(Participant.user_id == user.id))


def courses_of(organisation_id: int) -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.organisation_id == organisation_id)
                                   .order_by(Course.held_on.desc(), Course.id.desc())))


def _login_address() -> str:
    return url_for("auth.login", _external=True) if has_request_context() else "innloggingssiden"


def send_invitations(course: Course, logins: list[Login]) -> int:
    """E-mail each participant invited by address their login (after the course is committed)."""
    mails = [mail.message(login.invited_email, f"Kurs: {course.name}",
                          f"Du er med på kurset «{course.name}» {course.held_on:%d.%m.%Y}.\n\n"
                          f"Logg inn på {_login_address()} med\n"
                          f"  e-postadresse: {login.login}\n  passord: {login.password}\n\n"
                          "Du øver i din egen øvingskommune: ingenting du bestiller går til en ekte leverandør.\n")
             for login in logins if login.invited_email]
    return mail.send(mails)


# ---------------------------------------------------------------- who may


def can_run_courses(user: User) -> bool:
    """Trainers run the courses of their own municipality (never from inside a sandbox)."""
    return bool(user.is_authenticated and user.has_role(Role.TRAINER) and not user.organisation.is_sandbox)


def can_manage_course(user: User, course: Course) -> bool:
    return can_run_courses(user) and course.organisation_id == user.organisation_id


def new_passwords(course: Course) -> list[Login]:
    """New passwords for every participant of the course (for printing the login cards again):
    the old ones stop working. Returned in participant order."""
    logins = []
    for participant in course.participants:
        password = new_password()
        participant.user.set_password(password)
        keys = participant.condition.key if participant.condition else (participant.condition_order or "")
        logins.append(Login(participant.code, participant.user.email, password, keys))
    db.session.flush()
    return logins
