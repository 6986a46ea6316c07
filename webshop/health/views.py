"""``/healthz`` and ``/readyz``: JSON, no login, no session.

Both also answer over plain http when FORCE_HTTPS is on (Talisman's per-view option): the
orchestrator asks the container on loopback, behind the TLS-terminating proxy."""
from __future__ import annotations

from flask import Blueprint, jsonify

from webshop.api.openapi import Resp, described
from webshop.api.openapi_models import Alive, Readiness
from webshop.health.checks import readiness

bp = Blueprint("health", __name__)


def _plain_http_allowed(view):
    view.talisman_view_options = {"force_https": False}
    return view


@bp.get("/healthz")
@_plain_http_allowed
@described(resp=Resp(HTTP_200=Alive), tags=["health"], security=[])
def healthz():
    """Liveness: the process answers (touches neither the database nor the disk)."""
    return jsonify(status="ok")


@bp.get("/readyz")
@_plain_http_allowed
@described(resp=Resp(HTTP_200=Readiness, HTTP_503=Readiness), tags=["health"], security=[])
def readyz():
    """Readiness: this machine can serve (database, migrations, search index, outbox, worker)."""
    checks = readiness()
    failing = [name for name, check in checks.items() if not check.ok]
    body = {"status": "fail" if failing else "ok", "failing": failing,
            "checks": {name: check.as_json() for name, check in checks.items()}}
    return jsonify(body), 503 if failing else 200
