"""`GET /api/v1/catalogue/search?q=&limit=`, the OpenAPI document of every JSON endpoint and its
readable page, and the profile page where API tokens are made."""
from __future__ import annotations

import time

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webshop.api.openapi import BEARER, SESSION, Resp, described, document
from webshop.api.openapi_models import ApiError, SearchQuery, SearchResult
from webshop.auth.tokens import create_token, revoke_token, tokens_of, user_for_token
from webshop.catalogue.services import search_rows
from webshop.extensions import csrf
from webshop.forms import EmptyForm
from webshop.views_support import transaction

bp = Blueprint("api", __name__, template_folder="templates")
MAX_LIMIT = 100


def _api_user():
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_token(header[7:].strip())
    return current_user if current_user.is_authenticated else None


@bp.get("/api/v1/catalogue/search")
@described(query=SearchQuery, resp=Resp(HTTP_200=SearchResult, HTTP_400=ApiError, HTTP_401=ApiError),
           tags=["catalogue"], security=[BEARER, SESSION])
@csrf.exempt
def catalogue_search():
    """Search the caller's live catalogues: item numbers first, then words, word parts, typos, synonyms."""
    started = time.perf_counter()
    user = _api_user()
    if user is None:
        return jsonify(error="unauthorized", message="Logg inn eller send Authorization: Bearer <token>."), 401
    query = (request.args.get("q") or "").strip()
    try:
        limit = int(request.args.get("limit", 20))
    except ValueError:
        return jsonify(error="bad_request", message="limit må være et heltall."), 400
    if not 1 <= limit <= MAX_LIMIT or len(query) > 200:
        return jsonify(error="bad_request", message=f"limit må være 1–{MAX_LIMIT}, q høyst 200 tegn."), 400
    with transaction():  # the token's last_used_at (at most every few minutes)
        total, rows = search_rows(user.organisation_id, query, limit=limit)
    items = [{
        "id": r.id, "supplier_item_id": r.supplier_item_id, "name": r.name, "description": r.description,
        "gtin": r.gtin, "manufacturer_item_id": r.manufacturer_item_id, "unspsc": r.unspsc,
        "price": str(r.price), "currency": "NOK", "unit": r.unit_code, "vat_rate": str(r.vat_rate),
        "discontinued": r.discontinued, "exact_number_match": r.exact_number_match,
        "agreement": {"id": r.agreement_id, "reference": r.agreement_reference},
        "supplier": {"id": r.supplier_id, "name": r.supplier_name},
    } for r in rows]
    response = jsonify(query=query, total=total, items=items)
    response.headers["Server-Timing"] = f"search;dur={(time.perf_counter() - started) * 1000:.2f}"
    g.search_ms = (time.perf_counter() - started) * 1000
    return response


@bp.get("/api/v1/openapi.json")
def openapi_json():
    """The OpenAPI 3.1 description of every JSON endpoint (public: it names no data)."""
    return jsonify(document())


@bp.get("/api/v1/docs")
def openapi_page():
    """The same description as a page to read (rendered here: no script, nothing from a CDN)."""
    return render_template("api/openapi.html", doc=document(), operations=operations(document()))


def operations(doc: dict) -> list[dict]:
    """Every operation of ``doc`` with its path and method, in path order; each parameter with a
    short summary of its schema (type, bounds, pattern, default) for the page."""
    found = []
    for path, methods in sorted(doc.get("paths", {}).items()):
        for method, op in methods.items():
            if isinstance(op, dict):
                parameters = [{**p, "summary": schema_summary(p.get("schema", {}))} for p in op.get("parameters", [])]
                found.append({"path": path, "method": method.upper(), **op, "parameters": parameters})
    return found


def schema_summary(schema: dict) -> str:
    """«integer, 1 to 100, default 20» from a parameter's JSON Schema."""
    parts = [str(schema.get("type", "any"))]
    if "minimum" in schema or "maximum" in schema:
        parts.append(f"{schema.get('minimum', '…')} to {schema.get('maximum', '…')}")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    if "pattern" in schema:
        parts.append(f"pattern {schema['pattern']}")
    if "default" in schema:
        parts.append(f"default {schema['default']!r}")
    return ", ".join(parts)


@bp.route("/profil/api-nokler", methods=["GET", "POST"])
@login_required
def tokens():
    form = EmptyForm()
    shown = None
    if request.method == "POST":
        if not form.validate():
            abort(400)
        with transaction():
            _, shown = create_token(current_user, request.form.get("name", "")[:100])
    return render_template("api/tokens.html", tokens=tokens_of(current_user), shown=shown, form=form)


@bp.post("/profil/api-nokler/<int:token_id>/trekk-tilbake")
@login_required
def revoke(token_id: int):
    if not EmptyForm().validate():
        abort(400)
    with transaction():
        if not revoke_token(current_user, token_id):
            abort(404)
    flash(_("Nøkkelen er trukket tilbake."), "success")
    return redirect(url_for("api.tokens"))
