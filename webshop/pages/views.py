"""Error pages, favicon and accessibility statement.

An error page is the app's layout with what happened, what to do and a way back; the JSON
APIs keep answering JSON. A 500 rolls the request's transaction back before rendering, and if
the layout itself cannot be drawn (the database is gone), a page without the header is shown.
"""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, make_response, render_template, request, send_from_directory
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from webshop.extensions import db
from webshop.logs import request_id
from webshop.pages.statement import CRITERIA, STATUS_LABELS, UPDATED, Status
from webshop.urls import is_safe_next

bp = Blueprint("pages", __name__, template_folder="templates")
log = logging.getLogger(__name__)

JSON_BLUEPRINTS = frozenset({"api", "supplier_api", "health"})
TEXTS = {
    400: (_l("Ugyldig forespørsel"), _l("Noe i det som ble sendt, kunne vi ikke lese. Ingenting er lagret.")),
    403: (_l("Ingen tilgang"), _l("Du har ikke tilgang til denne siden. Trenger du tilgang, spør "
                                  "e-handelskoordinatoren i kommunen din.")),
    404: (_l("Fant ikke siden"), _l("Siden finnes ikke, eller den er flyttet eller slettet. Sjekk adressen.")),
    405: (_l("Kan ikke gjøres slik"), _l("Denne siden kan ikke brukes på den måten. Gå tilbake og bruk knappene "
                                         "på siden.")),
    429: (_l("For mange forsøk"), _l("Vent litt og prøv igjen.")),
    500: (_l("Noe gikk galt"), _l("Det oppstod en feil hos oss, og ingenting er lagret. Prøv igjen om litt. "
                                  "Skjer det igjen, si fra til e-handelskoordinatoren og oppgi feilkoden.")),
}


def _back() -> str | None:
    referrer = request.referrer
    if referrer and referrer != request.url and is_safe_next(referrer, request.host):
        return referrer
    return None


def render_error(status: int) -> tuple[Response | str, int]:
    title, message = TEXTS.get(status, TEXTS[500] if status >= 500 else TEXTS[400])
    if request.blueprint in JSON_BLUEPRINTS or request.path.startswith("/api/"):
        return jsonify(error=str(status), message=str(message)), status
    context = {"status": status, "title": title, "message": message, "back": _back(),
               "code": request_id() if status >= 500 else None}
    try:
        return render_template("pages/error.html", **context), status
    except Exception:  # the layout needs the database (header counts): without it, the bare page
        log.exception("error page layout failed")
        db.session.rollback()
        return render_template("pages/error_bare.html", **context), status


@bp.before_app_request
def refuse_nul_characters() -> None:
    """A NUL character is no text anyone types, and PostgreSQL refuses to store it (a 500):
    a form or query string carrying one is a 400 before any view sees it."""
    for values in (request.args, request.form):
        if any("\x00" in v for v in values.values() if isinstance(v, str)):
            abort(400)


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response | HTTPException:
    if error.code is None or error.code < 400 or error.code in (401, 413):
        return error  # 401: the token APIs answer it themselves; 413: security.py's own page
    if error.code >= 500:
        db.session.rollback()
    body, status = render_error(error.code)
    response = make_response(body, status)
    for name, value in error.get_headers():  # Allow on a 405 (RFC 9110), Retry-After ...: kept
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@bp.app_errorhandler(InternalServerError)
def server_error(error: InternalServerError) -> tuple[Response | str, int]:
    db.session.rollback()
    return render_error(500)


@bp.get("/favicon.ico")
def favicon() -> Response:
    static = Path(current_app.root_path) / "static"
    return send_from_directory(static, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.get("/tilgjengelighet")
def accessibility() -> str:
    counts = {s: sum(1 for c in CRITERIA if c.status is s) for s in Status}
    return render_template("pages/accessibility.html", criteria=CRITERIA, counts=counts, Status=Status,
                           status_labels=STATUS_LABELS, updated=UPDATED)
