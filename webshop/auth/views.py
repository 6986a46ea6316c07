"""Log in and out, and choose the interface language."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from webshop.auth.forms import LanguageForm, LoginForm
from webshop.extensions import db, login_manager
from webshop.orgs.models import User
from webshop.urls import is_safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


@bp.route("/logg-inn", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("catalogue.search"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None or not user.check_password(form.password.data) or not user.active:
            form.form_errors.append(_("Feil e-postadresse eller passord."))
        else:
            login_user(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("catalogue.search"))
    return render_template("auth/login.html", form=form)


@bp.post("/logg-ut")
@login_required
def logout():
    logout_user()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/sprak")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
    target = request.referrer
    return redirect(target if is_safe_next(target, host=request.host) else url_for("index"))
