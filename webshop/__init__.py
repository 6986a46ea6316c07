"""The webshop Flask application: catalogue search, cart, orders, approvals, EHF out."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, redirect, render_template, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from webshop import (
    charts,
    models,  # noqa: F401  (register every table)
    security,
)
from webshop import sqlite as _sqlite  # noqa: F401  (registers the SQLite pragmas)
from webshop.admin.users_views import account_bp
from webshop.admin.users_views import bp as users_bp
from webshop.admin.views import bp as admin_bp
from webshop.api.views import bp as api_bp
from webshop.approvals.views import bp as approvals_bp
from webshop.auth.views import bp as auth_bp
from webshop.backup.views import bp as backup_bp
from webshop.cart.views import bp as cart_bp
from webshop.catalogue.curation_views import bp as curation_bp
from webshop.catalogue.quality_views import bp as quality_bp
from webshop.catalogue.versions_views import bp as versions_bp
from webshop.catalogue.views import bp as catalogue_bp
from webshop.cli import register_cli
from webshop.config import INSTANCE_DIR, Config
from webshop.extensions import babel, csrf, db, login_manager, migrate
from webshop.health.views import bp as health_bp
from webshop.home.views import bp as home_bp
from webshop.invoices.views import bp as invoices_bp
from webshop.lab import measure as lab_measure
from webshop.lab.results_views import bp as lab_results_bp
from webshop.lab.session_views import bp as lab_session_bp
from webshop.lab.views import bp as lab_bp
from webshop.leader.views import bp as leader_bp
from webshop.logs import init_logging
from webshop.orders.views import bp as orders_bp
from webshop.pages.views import bp as pages_bp
from webshop.subscriptions import connect_all
from webshop.supplier.api import bp as supplier_api_bp
from webshop.supplier.views import bp as supplier_bp
from webshop.templating import register_templating


def select_locale() -> str:
    chosen = session.get("locale") if has_request_context() else None
    if isinstance(chosen, str) and chosen in current_app.config["LANGUAGES"]:
        return chosen
    return "nb"  # bokmål is the default whatever the browser says; English is opt-in


def create_app(config: type[Config] = Config, **overrides: Any) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config)
    app.config.update(overrides)
    init_logging(app)  # first, so every later hook and log line sees the request id
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _sqlite.engine_options(app.config)  # file SQLite: no pool
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    security.init_app(app)  # secret key, URL integer bounds, upload limit, headers: before the blueprints

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    for bp in (auth_bp, catalogue_bp, cart_bp, orders_bp, approvals_bp, admin_bp, api_bp, curation_bp,
               supplier_bp, supplier_api_bp, health_bp, backup_bp, home_bp, leader_bp,
               users_bp, account_bp, versions_bp, quality_bp, lab_session_bp,
               lab_results_bp, lab_bp, invoices_bp):
        app.register_blueprint(bp)
    app.register_blueprint(pages_bp)  # error pages, favicon, accessibility statement
    connect_all()  # every receiver of the order signals: webshop/subscriptions.py
    lab_measure.init_app(app)  # the training lab's measurement: only inside a running exercise (issue 12)
    register_templating(app)
    charts.init_app(app)  # bar_chart, line_chart, ChartSeries as Jinja globals (webshop/charts)
    register_cli(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("csrf_error.html"), 400

    @app.get("/")
    def index() -> Response:
        if current_user.is_authenticated:
            return redirect(url_for("home.start"))  # the start page for the user's roles (issue 15)
        return redirect(url_for("auth.login"))

    return app
