"""`POST /api/v1/ehf/inbound`: real suppliers (or their access point) send an Order Response or
a Despatch Advice, bare or in a Peppol SBDH envelope, as the raw XML body with
``Authorization: Bearer <the supplier's inbound token>``.

The document is stored as received (committed before anything else happens, so it is never
lost) and then processed through the same path as the simulator's and the inbox folder's
documents (``supplier.inbound``). Answers: 202 accepted (processed, or a harmless duplicate
or older response), 400 with the reason when the document was quarantined (for an order that
does not exist, is another supplier's or was never sent, one and the same reason: the endpoint
does not tell which order numbers exist), 401 for a missing or wrong token, 413 when the body is
over ``INBOUND_MAX_BYTES``, 429 with ``Retry-After`` over ``INBOUND_RATE_LIMIT`` documents per
``INBOUND_RATE_WINDOW_SECONDS`` for one key. CSRF does not apply here: there is no browser
session, the bearer token is the credential.
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _

from webshop import ratelimit
from webshop.api.openapi import BEARER, Resp, described
from webshop.api.openapi_models import InboundAnswer, InboundBadRequest, InboundRefusal
from webshop.dbtypes import utcnow
from webshop.extensions import csrf
from webshop.supplier import inbound
from webshop.supplier.rules import InboundState
from webshop.supplier.settings import supplier_for_inbound_token
from webshop.views_support import transaction

bp = Blueprint("supplier_api", __name__)
DEFAULT_MAX_BYTES = 2 * 1024 * 1024  # an order response for a thousand lines is well under 1 MB


def _answer(status: int, **body: object) -> tuple[Response, int]:
    return jsonify(body), status


def _bearer() -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _over_rate_limit(supplier_id: int) -> tuple[Response, int] | None:
    """At most INBOUND_RATE_LIMIT documents per INBOUND_RATE_WINDOW_SECONDS per supplier key,
    counted in the database so the limit holds across workers and app servers; else a 429."""
    key = f"inbound:supplier-key:{supplier_id}"
    window = timedelta(seconds=int(current_app.config.get("INBOUND_RATE_WINDOW_SECONDS", 60)))
    with transaction():  # counted and committed at once: the row lock is held only for this
        allowed = ratelimit.hit(key, limit=int(current_app.config.get("INBOUND_RATE_LIMIT", 120)), window=window)
    if allowed:
        return None
    until = ratelimit.locked_until(key)
    wait = max(1, math.ceil((until - utcnow()).total_seconds())) if until else int(window.total_seconds())
    response, status = _answer(429, error=_("For mange dokumenter på kort tid. Vent %(n)s sekunder og prøv igjen.",
                                            n=wait))
    response.headers["Retry-After"] = str(wait)
    return response, status


@bp.post("/api/v1/ehf/inbound")
@described(resp=Resp(HTTP_202=InboundAnswer, HTTP_400=InboundBadRequest, HTTP_401=InboundRefusal,
                     HTTP_413=InboundRefusal, HTTP_429=InboundRefusal), tags=["supplier"], security=[BEARER])
@csrf.exempt
def ehf_inbound() -> tuple[Response, int]:
    """A supplier's Order Response or Despatch Advice (raw XML) for an order sent to it."""
    supplier = supplier_for_inbound_token(_bearer())
    if supplier is None:
        response, status = _answer(401, error=_("Mangler eller ugyldig nøkkel. Send «Authorization: Bearer "
                                                "<nøkkel>» med nøkkelen kunden har gitt dere."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="ehf-inbound"'
        return response, status
    refused = _over_rate_limit(supplier.id)
    if refused is not None:
        return refused
    limit = int(current_app.config.get("INBOUND_MAX_BYTES", DEFAULT_MAX_BYTES))
    too_big = _answer(413, error=_("Dokumentet er større enn %(n)s byte.", n=limit))
    if request.content_length is not None and request.content_length > limit:
        return too_big
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        return too_big
    if not body.strip():
        return _answer(400, error=_("Tom forespørsel: send EHF-dokumentet (XML) som innhold."))
    with transaction():  # stored as received before we try to understand it
        document = inbound.receive(body, source=f"http:{supplier.name}", sent_by_supplier_id=supplier.id)
    document_id = document.id
    processed = inbound.process_one(document_id)
    if processed is None:  # a worker took it first: it will be processed there
        return _answer(202, id=document_id, state=InboundState.RECEIVED.value)
    if processed.state is InboundState.QUARANTINED:
        # public_reason: the same words for an unknown order, another supplier's and one never sent
        return _answer(400, id=document_id, state=processed.state.value,
                       error=processed.public_reason or processed.reason)
    return _answer(202, id=document_id, state=processed.state.value, outcome=processed.outcome,
                   order=processed.order.number if processed.order else None, note=processed.reason)
