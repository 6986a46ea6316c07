"""Logging: one line per event on stderr, key=value (default) or JSON.

`init_logging(app)` runs in `create_app`, so the web app (gunicorn, `flask run`),
the CLI and the delivery worker (`flask --app webshop ...`) all log the same way.
Every line carries the request id (taken from a sane `X-Request-ID` header or
generated, and echoed in the response) and the logged-in user's id when there is
a request; a record may add its own structured fields, as the audit log does
(action, order number, from/to status, actor)::

    log.info("audit %s", action, extra=fields(action=action, order="IK-000042"))

Configured once per process: calling `create_app` again (the tests do) only
re-applies LOG_LEVEL and LOG_FORMAT to the one handler.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from flask import Flask, g, has_app_context, has_request_context, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy or a client may hand us as a request id: a short token, no spaces,
# nothing that could forge a second key=value pair or a second log line.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+/-]{0,99}")
_BARE_VALUE = re.compile(r"[^\s\"=\\]+")
FIELDS = "fields"  # the LogRecord attribute that carries an event's structured fields
FORMATS = ("keyvalue", "json")


def fields(**values: object) -> dict[str, Mapping[str, object]]:
    """``extra=`` for a log call: structured fields printed as their own keys."""
    return {FIELDS: values}


def request_id() -> str | None:
    """The current request's id, or None outside a request."""
    if not has_request_context():
        return None
    rid: str | None = g.get("request_id")
    return rid


def _user_id() -> int | None:
    # Only a user Flask-Login has already loaded for this request: loading one here
    # would run a query from inside a log call, perhaps in a failed transaction.
    user = g.get("_login_user") if has_app_context() else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    uid = getattr(user, "id", None)
    return uid if isinstance(uid, int) else None


def event_dict(record: logging.LogRecord) -> dict[str, object]:
    """The ordered key/value pairs of one log line."""
    event: dict[str, object] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "level": record.levelname,
        "logger": record.name,
        "msg": record.getMessage(),
    }
    rid = request_id()
    if rid is not None:
        event["request_id"] = rid
    uid = _user_id()
    if uid is not None:
        event["user_id"] = uid
    extra = getattr(record, FIELDS, None)
    if isinstance(extra, Mapping):
        event.update({str(k): v for k, v in extra.items() if v is not None})
    if record.exc_info:
        event["exc"] = logging.Formatter().formatException(record.exc_info)
    return event


def _value(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    if _BARE_VALUE.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, with newlines escaped: still one line


class KeyValueFormatter(logging.Formatter):
    """``ts=… level=INFO logger=webshop.audit msg="…" request_id=… user_id=7 order=IK-000042``"""

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{key}={_value(value)}" for key, value in event_dict(record).items())


class JsonFormatter(logging.Formatter):
    """One JSON object per line, the same keys as the key=value format."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(event_dict(record), ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stderr is at the time of the call (gunicorn, the CLI, a test's capture)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:  # StreamHandler.__init__ assigns it; the property wins
        pass


_handler: StderrHandler | None = None


def _root_handler() -> StderrHandler:
    global _handler
    if _handler is None:
        _handler = StderrHandler()
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    return _handler


def init_logging(app: Flask) -> None:
    """Send every log record to stderr in the configured format and tag requests with an id."""
    log_format = str(app.config.get("LOG_FORMAT") or "keyvalue").lower()
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    handler = _root_handler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else KeyValueFormatter())
    logging.getLogger().setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
    app.logger.removeHandler(default_handler)  # the root handler prints app.logger's records too
    app.before_request(_start_request)
    app.after_request(_echo_request_id)


def _start_request() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _echo_request_id(response: Response) -> Response:
    rid = request_id()
    if rid is not None:
        response.headers[REQUEST_ID_HEADER] = rid
    return response
