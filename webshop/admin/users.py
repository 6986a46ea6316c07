"""User administration: invite, deactivate, reactivate, give and take roles, import from CSV,
and the one-time links (invitation, password reset) that let a person set their own password.

Who may do what is decided in ``users_rules`` (pure); ``actor_of``/``account_of`` turn models
into its values and ``managed_users`` is the twin query of ``can_manage_account``. Every change
is an audit event. Services flush; the caller commits and only then sends the e-mails, so a
link never points at something that was rolled back. Passwords are the only way in today; a
single sign-on login (OpenID Connect) can be added beside them: see docs/oidc.md.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select, update

from webshop import audit
from webshop.admin.users_models import AccountToken, TokenPurpose
from webshop.admin.users_rules import (
    Account,
    Actor,
    can_manage_account,
    can_manage_users,
    grantable_roles,
    out_of_reach,
    password_problem,
    role_from_name,
    role_needs_unit,
)
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orders.models import AuditEvent
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, User
from webshop.textsafety import check_text

UNUSABLE_PASSWORD = "!"  # no hash matches it: an invited person has no password until they set one
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_IMPORT_ROWS = 2_000


class UserAdminError(DomainError):
    """An account change that cannot be made; the message is shown to the user."""


class TokenInvalid(DomainError):
    """The link is unknown, used, expired, or its account is deactivated."""


@dataclass(frozen=True)
class ImportRowError:
    line: int
    message: str

    def __str__(self) -> str:
        return str(_("linje %(line)d: %(message)s", line=self.line, message=self.message))


class UserImportError(DomainError):
    """The file has errors; nothing was imported. ``errors`` says where."""

    def __init__(self, errors: list[ImportRowError]) -> None:
        super().__init__(_("%(n)d feil i filen; ingen brukere er importert.", n=len(errors)))
        self.errors = errors


@dataclass(frozen=True)
class Invitation:
    """A person to e-mail: their account and the token of their one-time link."""

    user: User
    token: str


# ------------------------------------------------------------------ who may: models → rule values


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.organisation_id, user.organisation.collaboration_id,
                 frozenset(r.role for r in user.roles))


def account_of(user: User) -> Account:
    return Account(user.id, user.organisation_id, user.organisation.collaboration_id,
                   frozenset(r.role for r in user.roles))


def can_manage(by: User, person: User) -> bool:
    # a training sandbox's people belong to its course (webshop/lab), not to the user administration
    return not person.organisation.is_sandbox and can_manage_account(actor_of(by), account_of(person))


def managed_organisations(by: User) -> Select[Organisation]:
    """The municipalities whose people ``by`` administers (their own, or the collaboration's)."""
    query = select(Organisation)
    if by.has_role(Role.CENTRAL_BUYER):
        return query.where(Organisation.collaboration_id == by.organisation.collaboration_id,
                           Organisation.is_sandbox.is_(False))  # the training lab's sandboxes are the course's
    if by.has_role(Role.COORDINATOR):
        return query.where(Organisation.id == by.organisation_id)
    return query.where(Organisation.id.is_(None))


def managed_users(by: User) -> Select[User]:
    """The accounts ``can_manage`` lets ``by`` administer, as one query (the user list)."""
    orgs = managed_organisations(by).with_only_columns(Organisation.id)
    higher = exists().where(RoleAssignment.user_id == User.id,
                            RoleAssignment.role.in_(out_of_reach(actor_of(by))))
    return select(User).where(User.organisation_id.in_(orgs), User.id != by.id, ~higher)


def managed_units(by: User) -> Select[Unit]:
    orgs = managed_organisations(by).with_only_columns(Organisation.id)
    return select(Unit).where(Unit.organisation_id.in_(orgs))


def _require(by: User, person: User) -> None:
    if not can_manage(by, person):
        raise UserAdminError(_("Du kan ikke endre denne brukeren."))


# ------------------------------------------------------------------ one-time links


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, *, lifetime: timedelta, by: User | None = None) -> str:
    """A new one-time token for ``user``; earlier unused tokens of the same kind stop working."""
    now = utcnow()
    db.session.execute(update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_hash(token), created_at=now,
                                expires_at=now + lifetime, created_by_id=by.id if by else None))
    db.session.flush()
    return token


def token_row(token: str) -> AccountToken | None:
    """The live token row for ``token`` (unused, unexpired, of an active account), or None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def set_password_with_token(token: str, password: str, repeated: str) -> User:
    """Use the link: set the account's password and spend the token (compare-and-set: once only)."""
    row = token_row(token)
    if row is None:
        raise TokenInvalid(_("Lenken er brukt, utløpt eller ugyldig. Be om en ny."))
    user = row.user
    problem = password_problem(password, repeated, email=user.email)
    if problem is not None:
        raise UserAdminError(PASSWORD_PROBLEMS[problem]())
    spent = db.session.execute(update(AccountToken).where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
                               .values(used_at=utcnow()))
    if spent.rowcount != 1:  # type: ignore[attr-defined]  # another request used it first
        raise TokenInvalid(_("Lenken er brukt, utløpt eller ugyldig. Be om en ny."))
    user.set_password(password)
    action = "password_set" if row.purpose == TokenPurpose.INVITE else "password_reset"
    audit.record(action, by=user, organisation_id=user.organisation_id, comment=f"{user.name} ({user.email})")
    db.session.flush()
    return user


PASSWORD_PROBLEMS = {
    "mismatch": lambda: _("Passordene er ikke like."),
    "short": lambda: _("Passordet må ha minst 10 tegn."),
    "email": lambda: _("Passordet kan ikke være e-postadressen din."),
}


def password_reset_for(email: str, *, lifetime: timedelta) -> Invitation | None:
    """A reset token for the active account with this e-mail, or None (the caller says the same either way)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        return None
    token = issue_token(user, TokenPurpose.RESET, lifetime=lifetime)
    audit.record("password_reset_requested", by=None, organisation_id=user.organisation_id,
                 comment=f"{user.name} ({user.email})")
    return Invitation(user, token)


# ------------------------------------------------------------------ accounts


def clean_name(name: str) -> str:
    """A person's name on one line, without characters an EHF document could not carry."""
    text = " ".join((name or "").split())
    if not text:
        raise UserAdminError(_("Skriv inn navnet."))
    if len(text) > 200:
        raise UserAdminError(_("Navnet kan ha høyst 200 tegn."))
    problem = check_text(name)  # the name goes into EHF orders: nothing XML cannot carry
    if problem is not None:
        raise UserAdminError(problem)
    return text


def clean_email(email: str) -> str:
    text = (email or "").strip().lower()
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise UserAdminError(_("«%(email)s» er ikke en e-postadresse.", email=text[:60]))
    return text


def _email_taken(email: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(User).where(func.lower(User.email) == email)) != 0


def _check_grant(by: User, role: Role, unit: Unit | None, organisation: Organisation) -> None:
    if role not in grantable_roles(actor_of(by)):
        raise UserAdminError(_("Du kan ikke gi denne rollen."))
    if role_needs_unit(role):
        if unit is None or unit.organisation_id != organisation.id:
            raise UserAdminError(_("Velg en enhet i kommunen."))
    elif unit is not None:
        raise UserAdminError(_("Denne rollen gjelder hele kommunen, ikke én enhet."))


def invite_user(*, name: str, email: str, unit: Unit, role: Role, by: User, lifetime: timedelta) -> Invitation:
    """A new account with one role at ``unit``, no password yet, and an invitation token; audited."""
    name, email = clean_name(name), clean_email(email)
    organisation = unit.organisation
    if organisation.id not in set(db.session.scalars(managed_organisations(by).with_only_columns(Organisation.id))):
        raise UserAdminError(_("Du kan ikke invitere brukere til denne kommunen."))
    _check_grant(by, role, unit, organisation)
    if _email_taken(email):
        raise UserAdminError(_("Det finnes allerede en bruker med e-post %(email)s.", email=email))
    user = User(email=email, name=name, organisation_id=organisation.id, password_hash=UNUSABLE_PASSWORD,
                active=True)
    user.roles = [RoleAssignment(role=role, unit_id=unit.id)]
    db.session.add(user)
    db.session.flush()
    token = issue_token(user, TokenPurpose.INVITE, lifetime=lifetime, by=by)
    audit.record("user_invited", by=by, organisation_id=organisation.id,
                 comment=f"{name} ({email}): {role.value} for {unit.name}")
    return Invitation(user, token)


def is_invited(user: User) -> bool:
    """Invited and not yet in: the person has not set a password."""
    return user.password_hash == UNUSABLE_PASSWORD


def resend_invitation(user: User, *, by: User, lifetime: timedelta) -> Invitation:
    _require(by, user)
    if not is_invited(user):
        raise UserAdminError(_("%(name)s har allerede satt passord.", name=user.name))
    if not user.active:
        raise UserAdminError(_("Aktiver brukeren først."))
    token = issue_token(user, TokenPurpose.INVITE, lifetime=lifetime, by=by)
    audit.record("user_invited", by=by, organisation_id=user.organisation_id,
                 comment=f"{user.name} ({user.email}): ny invitasjon")
    return Invitation(user, token)


def deactivate_user(user: User, *, by: User) -> None:
    """The person can no longer log in (their sessions and API tokens stop working at once); audited."""
    _require(by, user)
    if not user.active:
        raise UserAdminError(_("%(name)s er allerede deaktivert.", name=user.name))
    user.active = False
    audit.record("user_deactivated", by=by, organisation_id=user.organisation_id,
                 comment=f"{user.name} ({user.email})")
    db.session.flush()


def reactivate_user(user: User, *, by: User) -> None:
    _require(by, user)
    if user.active:
        raise UserAdminError(_("%(name)s er allerede aktiv.", name=user.name))
    user.active = True
    audit.record("user_reactivated", by=by, organisation_id=user.organisation_id,
                 comment=f"{user.name} ({user.email})")
    db.session.flush()


def grant_role(user: User, role: Role, unit: Unit | None, *, by: User) -> None:
    _require(by, user)
    _check_grant(by, role, unit, user.organisation)
    unit_id = unit.id if unit is not None else None
    if any(r.role == role and r.unit_id == unit_id for r in user.roles):
        raise UserAdminError(_("%(name)s har allerede denne rollen.", name=user.name))
    user.roles.append(RoleAssignment(role=role, unit_id=unit_id))
    where = unit.name if unit is not None else user.organisation.name
    audit.record("role_granted", by=by, organisation_id=user.organisation_id,
                 comment=f"{user.name} ({user.email}): {role.value} for {where}")
    db.session.flush()


def revoke_role(user: User, assignment_id: int, *, by: User) -> None:
    _require(by, user)
    row = next((r for r in user.roles if r.id == assignment_id), None)
    if row is None:
        raise UserAdminError(_("Fant ikke rollen."))
    if row.role not in grantable_roles(actor_of(by)):
        raise UserAdminError(_("Du kan ikke ta denne rollen."))
    where = row.unit.name if row.unit is not None else user.organisation.name
    user.roles.remove(row)
    audit.record("role_revoked", by=by, organisation_id=user.organisation_id,
                 comment=f"{user.name} ({user.email}): {row.role.value} for {where}")
    db.session.flush()


# ------------------------------------------------------------------ CSV import


@dataclass(frozen=True)
class _ImportRow:
    line: int
    name: str
    email: str
    unit: Unit
    role: Role


def _unit_lookup(organisation: Organisation) -> dict[str, Unit]:
    units = db.session.scalars(select(Unit).where(Unit.organisation_id == organisation.id))
    lookup: dict[str, Unit] = {}
    for unit in units:
        lookup[unit.key.lower()] = unit
        lookup[" ".join(unit.name.lower().split())] = unit
    return lookup


def _read_import(text: str, organisation: Organisation, by: User) -> list[_ImportRow]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise UserImportError([ImportRowError(1, _("filen er tom"))])
    header = lines[0]
    delimiter = max((";", ",", "\t"), key=header.count)
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    columns = [c.strip().lower() for c in next(reader)]
    aliases = {"navn": "name", "e-post": "email", "epost": "email", "enhet": "unit", "rolle": "role"}
    columns = [aliases.get(c, c) for c in columns]
    missing = [c for c in ("name", "email", "unit", "role") if c not in columns]
    if missing:
        raise UserImportError([ImportRowError(1, _("mangler kolonne: %(cols)s", cols=", ".join(missing)))])
    index = {c: columns.index(c) for c in ("name", "email", "unit", "role")}
    units = _unit_lookup(organisation)
    allowed = grantable_roles(actor_of(by))
    errors: list[ImportRowError] = []
    rows: list[_ImportRow] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_IMPORT_ROWS:
            errors.append(ImportRowError(line, _("høyst %(n)d brukere per fil", n=MAX_IMPORT_ROWS)))
            break

        def cell(name: str, record: list[str] = record) -> str:
            i = index[name]
            return record[i].strip() if i < len(record) else ""

        try:
            name, email = clean_name(cell("name")), clean_email(cell("email"))
        except UserAdminError as exc:
            errors.append(ImportRowError(line, str(exc)))
            continue
        unit = units.get(" ".join(cell("unit").lower().split()))
        role = role_from_name(cell("role"))
        if unit is None:
            errors.append(ImportRowError(line, _("enheten «%(unit)s» finnes ikke i %(org)s",
                                                 unit=cell("unit")[:60], org=organisation.name)))
        elif role is None or role not in allowed:
            errors.append(ImportRowError(line, _("rollen «%(role)s» kan ikke brukes (bestiller, godkjenner "
                                                 "eller enhetsleder)", role=cell("role")[:40])))
        elif email in seen:
            errors.append(ImportRowError(line, _("%(email)s står også på linje %(other)d", email=email,
                                                 other=seen[email])))
        elif _email_taken(email):
            errors.append(ImportRowError(line, _("det finnes allerede en bruker med e-post %(email)s", email=email)))
        else:
            seen[email] = line
            rows.append(_ImportRow(line, name, email, unit, role))
    if errors:
        raise UserImportError(errors)
    if not rows:
        raise UserImportError([ImportRowError(1, _("filen har ingen brukere"))])
    return rows


def import_users(text: str, organisation: Organisation, *, by: User, lifetime: timedelta) -> list[Invitation]:
    """Invite every person in a CSV (name, e-mail, unit, role) to ``organisation``, all or none.

    Every bad row is reported (``UserImportError``) and then nobody is created.
    """
    if organisation.id not in set(db.session.scalars(managed_organisations(by).with_only_columns(Organisation.id))):
        raise UserAdminError(_("Du kan ikke invitere brukere til denne kommunen."))
    rows = _read_import(text, organisation, by)
    invitations = [invite_user(name=r.name, email=r.email, unit=r.unit, role=r.role, by=by, lifetime=lifetime)
                   for r in rows]
    audit.record("users_imported", by=by, organisation_id=organisation.id,
                 comment=f"{len(invitations)} brukere importert fra CSV")
    return invitations


def may_manage_users(user: User) -> bool:
    """The user administration pages: coordinators and the central buyer (``users_rules.can_manage_users``)."""
    return bool(getattr(user, "is_authenticated", False)) and can_manage_users(actor_of(user))


_ACCOUNT_ACTIONS = ("user_invited", "user_deactivated", "user_reactivated", "role_granted", "role_revoked",
                    "password_set", "password_reset", "password_reset_requested",
                    "authority_granted", "authority_revoked")  # the last two: *Enheter og roller*


def account_events(person: User, *, limit: int = 50) -> list[AuditEvent]:
    """The audit events about ``person``'s account, newest first (their e-mail is in each comment)."""
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.organisation_id == person.organisation_id, AuditEvent.action.in_(_ACCOUNT_ACTIONS),
        AuditEvent.comment.contains(f"({person.email})")).order_by(AuditEvent.id.desc()).limit(limit)))
