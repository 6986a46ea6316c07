"""Log in and out, and choose the interface language.

Logging in is throttled per account and per client address with counters in the database
(``webshop.ratelimit``), so the limit holds across workers and servers; an unknown address
costs the same password-hash time as a known one. A login starts a server-side session
(``webshop.auth.sessions``) that logout ends, and gets a fresh session (and CSRF token).
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webshop.auth.forms import LanguageForm, LoginForm
from webshop.auth.services import LoginLimits, LoginLocked, LoginRefused, authenticate, forget_failures
from webshop.auth.sessions import end_session, start_session, user_for_session
from webshop.dbtypes import utcnow
from webshop.extensions import db, login_manager
from webshop.orgs.models import User
from webshop.urls import is_safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


SESSION_KEY = "sid"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return user_for_session(int(user_id), session.get(SESSION_KEY),
                            lifetime=current_app.permanent_session_lifetime)


def _limits() -> LoginLimits:
    config = current_app.config
    return LoginLimits(per_account=config["LOGIN_MAX_FAILURES"], per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
                       lockout=timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"]))


def _fresh_session() -> None:
    """Drop everything from before the login (including the CSRF token) but the language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.start"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, address=request.remote_addr, limits=_limits())
        except LoginLocked as locked:
            minutes = math.ceil((locked.until - utcnow()).total_seconds() / 60)
            form.form_errors.append(_("For mange mislykkede innlogginger. Kontoen er sperret i %(minutes)d minutter "
                                      "til; prøv igjen senere.", minutes=minutes))
            return render_template("auth/login.html", form=form), 429
        except LoginRefused:
            form.form_errors.append(_("Feil e-postadresse eller passord."))
        else:
            _fresh_session()
            session[SESSION_KEY] = start_session(user, lifetime=current_app.permanent_session_lifetime)
            login_user(user)
            db.session.commit()
            forget_failures(user.email)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("home.start"))
    return render_template("auth/login.html", form=form)


@bp.post("/logg-ut")
@login_required
def logout():
    end_session(session.get(SESSION_KEY))
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/sprak")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
    target = request.referrer
    return redirect(target if is_safe_next(target, host=request.host) else url_for("index"))
