"""User administration pages (coordinators: their municipality; the central buyer: the
collaboration) and the public one-time-link pages: set a password from an invitation or a
reset link, and ask for a reset link."""
from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from webshop import mail, ratelimit
from webshop.admin import users
from webshop.admin.users_forms import (
    ROLE_CHOICES,
    ForgotPasswordForm,
    GrantRoleForm,
    ImportUsersForm,
    InviteForm,
    SetPasswordForm,
)
from webshop.admin.users_models import TokenPurpose
from webshop.admin.users_rules import grantable_roles
from webshop.auth.sessions import end_all_sessions
from webshop.extensions import db
from webshop.forms import EmptyForm
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, User
from webshop.views_support import guard, transaction

log = logging.getLogger(__name__)
bp = Blueprint("users", __name__, template_folder="templates", url_prefix="/brukere")
guard(bp, users.may_manage_users)
account_bp = Blueprint("account", __name__, template_folder="templates")
bp.add_app_template_global(users.may_manage_users, "may_manage_users")


def _invite_lifetime() -> timedelta:
    return timedelta(days=current_app.config["USER_INVITE_DAYS"])


def _send_invitations(invitations: list[users.Invitation]) -> None:
    """After the commit: one e-mail per invitation with its one-time link."""
    days = current_app.config["USER_INVITE_DAYS"]
    mail.send([mail.message(
        inv.user.email, _("Du er invitert til innkjøpsløsningen"),
        _("Hei %(name)s,\n\n%(by)s har gitt deg tilgang til innkjøpsløsningen for %(org)s.\n"
          "Velg passordet ditt her (lenken virker én gang, i %(days)d dager):\n\n%(link)s\n\n"
          "Brukernavnet ditt er %(email)s.\n",
          name=inv.user.name, by=current_user.name, org=inv.user.organisation.name, days=days,
          email=inv.user.email,
          link=url_for("account.set_password", token=inv.token, _external=True))) for inv in invitations])


def _units() -> list[Unit]:
    return list(db.session.scalars(users.managed_units(current_user).join(Organisation)
                                   .order_by(Organisation.name, Unit.name)))


def _unit_choices(units: list[Unit], *, none: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(0, none)] if none else []
    return choices + [SelectChoice(u.id, f"{u.organisation.name} – {u.name}") for u in units]


def _organisations() -> list[Organisation]:
    return list(db.session.scalars(users.managed_organisations(current_user).order_by(Organisation.name)))


def _list_page(invite_form=None, import_form=None, errors=None, status=200):
    units = _units()
    invite_form = invite_form or InviteForm(formdata=None)
    invite_form.unit_id.choices = _unit_choices(units)
    import_form = import_form or ImportUsersForm(formdata=None)
    import_form.organisation_id.choices = [SelectChoice(o.id, o.name) for o in _organisations()]
    people = db.session.scalars(users.managed_users(current_user).join(Organisation)
                                .options(selectinload(User.roles).selectinload(RoleAssignment.unit),
                                         selectinload(User.organisation))  # one query per table, not per person
                                .order_by(Organisation.name, User.name)).all()
    return render_template("admin/users/list.html", people=people, invite_form=invite_form,
                           import_form=import_form, errors=errors or [], is_invited=users.is_invited), status


@bp.get("/")
def index():
    return _list_page()


@bp.post("/inviter")
def invite():
    form = InviteForm()
    form.unit_id.choices = _unit_choices(_units())
    if not form.validate():
        return _list_page(invite_form=form, status=400)
    unit = db.session.get(Unit, form.unit_id.data)
    if unit is None:
        abort(404)
    with transaction(render=lambda exc: _list_page(invite_form=form, errors=[str(exc)], status=400)):
        invitation = users.invite_user(name=form.name.data, email=form.email.data, unit=unit,
                                       role=Role(form.role.data), by=current_user, lifetime=_invite_lifetime())
    _send_invitations([invitation])
    flash(_("%(name)s er invitert. Invitasjonen er sendt til %(email)s.", name=invitation.user.name,
            email=invitation.user.email), "success")
    return redirect(url_for("users.detail", user_id=invitation.user.id))


@bp.post("/import")
def import_csv():
    form = ImportUsersForm()
    form.organisation_id.choices = [SelectChoice(o.id, o.name) for o in _organisations()]
    if not form.validate():
        return _list_page(import_form=form, status=400)
    organisation = db.session.get(Organisation, form.organisation_id.data)
    if organisation is None:
        abort(404)
    try:
        text = form.file.data.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return _list_page(import_form=form, errors=[_("Filen er ikke UTF-8.")], status=400)

    def refused(exc):
        details = [str(e) for e in getattr(exc, "errors", [])[:200]]
        return _list_page(import_form=form, errors=[str(exc), *details], status=400)

    with transaction(render=refused):
        invitations = users.import_users(text, organisation, by=current_user, lifetime=_invite_lifetime())
    _send_invitations(invitations)
    flash(_("%(n)d brukere er importert og invitert.", n=len(invitations)), "success")
    return redirect(url_for("users.index"))


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not users.can_manage(current_user, person):
        abort(404)  # another municipality's person (or oneself): not found
    return person


def _detail_page(person: User, grant_form=None, errors=None, status=200):
    grant_form = grant_form or GrantRoleForm(formdata=None)
    grant_form.unit_id.choices = _unit_choices([u for u in _units() if u.organisation_id == person.organisation_id],
                                               none=_("Hele kommunen (koordinator)"))
    granted = grantable_roles(users.actor_of(current_user))
    grant_form.role.choices = [c for c in ROLE_CHOICES if Role(c.value) in granted]
    events = users.account_events(person)
    return render_template("admin/users/detail.html", person=person, grant_form=grant_form, form=EmptyForm(),
                           granted=granted, errors=errors or [], invited=users.is_invited(person),
                           events=events), status


@bp.get("/<int:user_id>")
def detail(user_id: int):
    return _detail_page(_person(user_id))


@bp.post("/<int:user_id>/roller")
def grant(user_id: int):
    person = _person(user_id)
    form = GrantRoleForm()
    form.unit_id.choices = _unit_choices([u for u in _units() if u.organisation_id == person.organisation_id],
                                         none="-")
    if not form.validate():
        return _detail_page(person, grant_form=form, status=400)
    unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
    with transaction(render=lambda exc: _detail_page(person, grant_form=form, errors=[str(exc)], status=400)):
        users.grant_role(person, Role(form.role.data), unit, by=current_user)
    flash(_("Rollen er gitt til %(name)s.", name=person.name), "success")
    return redirect(url_for("users.detail", user_id=person.id))


def _button() -> None:
    """The buttons of a person's page only carry the CSRF token."""
    if not EmptyForm().validate():
        abort(400)


@bp.post("/<int:user_id>/roller/<int:assignment_id>/fjern")
def revoke(user_id: int, assignment_id: int):
    person = _person(user_id)
    _button()
    with transaction(render=lambda exc: _detail_page(person, errors=[str(exc)], status=400)):
        users.revoke_role(person, assignment_id, by=current_user)
    flash(_("Rollen er tatt fra %(name)s.", name=person.name), "success")
    return redirect(url_for("users.detail", user_id=person.id))


@bp.post("/<int:user_id>/deaktiver")
def deactivate(user_id: int):
    person = _person(user_id)
    _button()
    with transaction(render=lambda exc: _detail_page(person, errors=[str(exc)], status=400)):
        users.deactivate_user(person, by=current_user)
        end_all_sessions(person)
    flash(_("%(name)s er deaktivert og kan ikke lenger logge inn.", name=person.name), "success")
    return redirect(url_for("users.detail", user_id=person.id))


@bp.post("/<int:user_id>/aktiver")
def reactivate(user_id: int):
    person = _person(user_id)
    _button()
    with transaction(render=lambda exc: _detail_page(person, errors=[str(exc)], status=400)):
        users.reactivate_user(person, by=current_user)
    flash(_("%(name)s er aktivert igjen.", name=person.name), "success")
    return redirect(url_for("users.detail", user_id=person.id))


@bp.post("/<int:user_id>/invitasjon")
def resend(user_id: int):
    person = _person(user_id)
    _button()
    with transaction(render=lambda exc: _detail_page(person, errors=[str(exc)], status=400)):
        invitation = users.resend_invitation(person, by=current_user, lifetime=_invite_lifetime())
    _send_invitations([invitation])
    flash(_("En ny invitasjon er sendt til %(email)s. Den forrige lenken virker ikke lenger.",
            email=person.email), "success")
    return redirect(url_for("users.detail", user_id=person.id))


# ------------------------------------------------------------------ the one-time links (no login)


@account_bp.route("/konto/passord/<token>", methods=["GET", "POST"])
def set_password(token: str):
    row = users.token_row(token)
    if row is None:
        return render_template("admin/users/link_invalid.html"), 404
    form = SetPasswordForm()
    errors: list[str] = []
    if request.method == "POST" and form.validate():
        try:
            with transaction():
                user = users.set_password_with_token(token, form.password.data, form.repeated.data)
                end_all_sessions(user)  # a reset logs out every old session
        except users.TokenInvalid:
            return render_template("admin/users/link_invalid.html"), 404
        except users.UserAdminError as exc:
            errors = [str(exc)]
        else:
            flash(_("Passordet er lagret. Logg inn med e-postadressen din og det nye passordet."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if (errors or form.errors) else 200
    return render_template("admin/users/set_password.html", form=form, errors=errors, person=row.user,
                           invite=row.purpose == TokenPurpose.INVITE), status


def _send_after(response: Response, messages: list[EmailMessage]) -> None:
    """Send ``messages`` when the server has finished sending ``response`` (WSGI close)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send() -> None:
        with app.app_context():
            try:
                mail.send(messages)
            except Exception:  # the answer is gone already; the log must say it
                log.exception("password-reset mail not sent")

    response.call_on_close(send)


@account_bp.route("/glemt-passord", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    if request.method == "POST" and form.validate():
        config = current_app.config
        email = form.email.data.strip().lower()
        hour = timedelta(hours=1)
        allowed = (ratelimit.hit(f"reset:address:{request.remote_addr}",
                                 limit=config["PASSWORD_RESET_MAX_PER_ADDRESS"], window=hour)
                   and ratelimit.hit(f"reset:account:{email}", limit=config["PASSWORD_RESET_MAX_PER_ACCOUNT"],
                                     window=hour))
        if not allowed:
            form.form_errors.append(_("For mange forespørsler. Prøv igjen om en time."))
            return render_template("admin/users/forgot.html", form=form), 429
        minutes = config["PASSWORD_RESET_MINUTES"]
        with transaction():
            reset = users.password_reset_for(email, lifetime=timedelta(minutes=minutes))
        # The same answer whether or not the address has an account: no user enumeration. The mail
        # goes out once the answer has been sent, so a slow SMTP server does not tell either.
        flash(_("Hvis adressen hører til en konto, har vi sendt en lenke for å sette nytt passord."), "info")
        response = redirect(url_for("auth.login"))
        if reset is not None:
            _send_after(response, [mail.message(reset.user.email, _("Nytt passord til innkjøpsløsningen"), _(
                "Hei %(name)s,\n\nNoen (forhåpentlig du) ba om å få sette nytt passord.\n"
                "Bruk denne lenken innen %(minutes)d minutter (den virker én gang):\n\n%(link)s\n\n"
                "Ba du ikke om dette, kan du se bort fra e-posten; passordet ditt er uendret.\n",
                name=reset.user.name, minutes=minutes,
                link=url_for("account.set_password", token=reset.token, _external=True)))])
        return response
    return render_template("admin/users/forgot.html", form=form), (400 if form.errors else 200)
