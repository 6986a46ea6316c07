"""Measurement of the training lab (issue 12): what a participant does during a running exercise.

Counted on the server from the app's own events, into the running ``Attempt``:

- ``actions``: page views (a GET answered with an HTML page) and form submits (every POST);
- ``searches`` and ``zero_result_searches``: from ``catalogue.signals.searched``;
- ``help_opened``: the exercise's instructions opened from the task bar (``session_views.help``);
- ``errors_shown``: a danger or warning message (Flask's ``message_flashed``) or an error page (4xx/5xx).

Outside a course nothing runs: whether a request belongs to a running attempt is read from the
signed session cookie (``session["lab"]``, set at a participant's login and when an attempt starts
or ends), so a normal user's request costs one dictionary lookup and no query. A participant's
request adds its counts to the same signed cookie (a few microseconds, no query: a commit per
request would cost a disk sync, 30 ms and more); «Ferdig» / «Gi opp» writes them to the attempt
with one ``UPDATE lab_attempts SET actions = actions + n, …`` (never read and written back). The
lab's own pages and static files are not counted as actions.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from flask import Flask, g, message_flashed, request, session
from flask_login import user_logged_in
from sqlalchemy import select, update
from werkzeug.wrappers import Response

from webshop.catalogue import signals as catalogue_signals
from webshop.extensions import db
from webshop.lab.models import Attempt, Participant
from webshop.lab.sandboxes import LAB_EMAIL_DOMAIN

log = logging.getLogger(__name__)

SESSION_KEY = "lab"
COUNTERS = ("actions", "searches", "zero_result_searches", "help_opened", "errors_shown")
ERROR_CATEGORIES = frozenset({"danger", "warning", "error"})
NOT_COUNTED_PREFIXES = ("lab_session.", "static", "health.")  # the task bar's own pages, files, probes


# --- the session marker --------------------------------------------------------------------------------

def mark(participant_id: int, attempt_id: int | None) -> None:
    """Remember in the session that this user is participant ``participant_id`` with ``attempt_id`` running
    (the counts gathered so far stay while it is the same attempt)."""
    marker = session.get(SESSION_KEY)
    kept = marker.get("c") if isinstance(marker, dict) and attempt_id is not None and marker.get("a") == attempt_id \
        else None
    session[SESSION_KEY] = {"p": participant_id, "a": attempt_id, "c": kept}


def marked_participant_id() -> int | None:
    marker = session.get(SESSION_KEY)
    return marker.get("p") if isinstance(marker, dict) else None


def running_attempt_id() -> int | None:
    """The running attempt of this session, from the cookie alone (no query)."""
    marker = session.get(SESSION_KEY)
    return marker.get("a") if isinstance(marker, dict) else None


def _on_login(sender: Any, user: Any, **extra: Any) -> None:
    """A participant logs in: put the marker in the session (only lab logins are looked up)."""
    if not str(user.email).endswith("@" + LAB_EMAIL_DOMAIN):
        return
    row = db.session.execute(select(Participant.id, Participant.current_attempt_id)
                             .where(Participant.user_id == user.id)).first()
    if row is not None:
        mark(row.id, row.current_attempt_id)


# --- counting ------------------------------------------------------------------------------------------

def count(counter: str, n: int = 1) -> None:
    """Add ``n`` to a counter of this request's running attempt (written once, after the view)."""
    if running_attempt_id() is None:
        return
    counts = g.get("lab_counts")
    if counts is None:
        counts = g.lab_counts = Counter()
    counts[counter] += n


def _on_search(sender: Any, *, query: str, results: int, **extra: Any) -> None:
    count("searches")
    if results == 0:
        count("zero_result_searches")


def _on_flash(sender: Any, message: Any, category: str, **extra: Any) -> None:
    if category in ERROR_CATEGORIES:
        count("errors_shown")


def _request_counts(response: Response) -> Counter[str]:
    counts: Counter[str] = g.pop("lab_counts", None) or Counter()
    endpoint = request.endpoint or ""
    if endpoint.startswith(NOT_COUNTED_PREFIXES):
        return counts
    if request.method == "POST":
        counts["actions"] += 1
    elif request.method == "GET" and response.mimetype == "text/html" and response.status_code < 300:
        counts["actions"] += 1
    if response.status_code >= 400 and not counts["errors_shown"]:
        counts["errors_shown"] += 1
    return counts


def record(response: Response) -> Response:
    """``after_request``: add this request's counts to the running attempt's pending counts (in the session)."""
    marker = session.get(SESSION_KEY)
    if not isinstance(marker, dict) or marker.get("a") is None:
        return response  # not in a course: nothing at all
    counts = _request_counts(response)
    if +counts:
        pending = marker.get("c") or [0] * len(COUNTERS)
        session[SESSION_KEY] = {**marker, "c": [int(pending[i]) + counts[name] for i, name in enumerate(COUNTERS)]}
    return response


def take_pending() -> dict[str, int]:
    """The running attempt's counts gathered so far, removed from the session (to be written once)."""
    marker = session.get(SESSION_KEY)
    if not isinstance(marker, dict) or not marker.get("c"):
        return {}
    session[SESSION_KEY] = {**marker, "c": None}
    return {name: int(n) for name, n in zip(COUNTERS, marker["c"], strict=False) if int(n) > 0}


def write_counts(attempt_id: int, counts: dict[str, int]) -> None:
    """Add ``counts`` to the attempt's counters with one ``UPDATE … SET x = x + n`` (never read and
    written back, so nothing is lost when two requests overlap). The caller commits."""
    counts = {name: n for name, n in counts.items() if name in COUNTERS and n > 0}
    if not counts:
        return
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id)
                       .values({name: getattr(Attempt, name) + n for name, n in counts.items()})
                       .execution_options(synchronize_session=False))


def init_app(app: Flask) -> None:
    """Connect the receivers and the request hook (idempotent for the process-wide signals)."""
    app.after_request(record)
    catalogue_signals.searched.connect(_on_search, weak=False)
    message_flashed.connect(_on_flash, weak=False)
    user_logged_in.connect(_on_login, weak=False)
