"""``/healthz`` and ``/readyz``: JSON, no login, no session."""
from __future__ import annotations

from flask import Blueprint, jsonify

from webshop.health.checks import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = readiness()
    failing = [name for name, check in checks.items() if not check.ok]
    body = {"status": "fail" if failing else "ok", "failing": failing,
            "checks": {name: check.as_json() for name, check in checks.items()}}
    return jsonify(body), 503 if failing else 200
