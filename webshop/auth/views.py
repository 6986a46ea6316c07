"""Log in and out, and choose the interface language.

Logging in is throttled per account and per client address with counters in the database
(``webshop.ratelimit``), so the limit holds across workers and servers; an unknown address
costs the same password-hash time as a known one. A login starts a server-side session
(``webshop.auth.sessions``) that logout ends, and gets a fresh session (and CSRF token).
"""
from __future__ import annotations

import math
import secrets
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from webshop import ratelimit
from webshop.auth.forms import LanguageForm, LoginForm
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


def _dummy_hash() -> str:
    """A hash made with the configured method, checked when the account does not exist."""
    cached = current_app.extensions.get("webshop.dummy_password_hash")
    if cached is None:
        probe = User()
        probe.set_password(secrets.token_urlsafe(16))
        cached = current_app.extensions["webshop.dummy_password_hash"] = probe.password_hash
    return cached


def _password_ok(user: User | None, password: str) -> bool:
    if user is None:
        User(password_hash=_dummy_hash()).check_password(password)  # same time as a real check
        return False
    return user.check_password(password) and user.active


def _throttle_keys(email: str) -> list[tuple[str, int]]:
    config = current_app.config
    return [(f"login:account:{email}", config["LOGIN_MAX_FAILURES"]),
            (f"login:address:{request.remote_addr}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"])]


def _fresh_session() -> None:
    """Drop everything from before the login (including the CSRF token) but the language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("catalogue.search"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        keys = _throttle_keys(email)
        locks = [until for until in (ratelimit.locked_until(key) for key, _limit in keys) if until]
        if locks:
            minutes = math.ceil((max(locks) - utcnow()).total_seconds() / 60)
            form.form_errors.append(_("For mange mislykkede innlogginger. Kontoen er sperret i %(minutes)d minutter "
                                      "til; prøv igjen senere.", minutes=minutes))
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if not _password_ok(user, form.password.data):
            window = timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
            for key, limit in keys:
                ratelimit.hit(key, limit=limit, window=window, lockout=window)
            db.session.commit()
            form.form_errors.append(_("Feil e-postadresse eller passord."))
        else:
            assert user is not None
            ratelimit.clear(keys[0][0])
            _fresh_session()
            session[SESSION_KEY] = start_session(user)
            login_user(user)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("catalogue.search"))
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
