"""Log lines: one per event on stderr, key=value or JSON, tagged with the request id,
the logged-in user and the order the event concerns."""
from __future__ import annotations

import json
import logging
import re

from sqlalchemy import select

from webshop import create_app
from webshop.config import TestConfig
from webshop.logs import JsonFormatter, KeyValueFormatter, StderrHandler, fields
from webshop.orders.models import Order

PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


def parse(line: str) -> dict[str, str]:
    """Read one key=value line back; quoted values are JSON strings."""
    found = PAIR.findall(line)
    pairs = {key: json.loads(value) if value.startswith('"') else value for key, value in found}
    assert len(pairs) == len(found), line  # no key twice
    return pairs


def submitted_order(world, login_as, store) -> tuple[Order, object]:
    orderer = login_as(world.orderer)
    orderer.post("/handlekurv/legg-til", data={"item_id": world.items["KP-100"].id, "quantity": "2"})
    assert orderer.post("/handlekurv/send", data={"unit_id": world.school.id}).status_code == 302
    return store.scalar(select(Order)), login_as(world.approver)


def test_an_approval_logs_one_audit_line_with_request_user_and_order(world, login_as, store, capsys, caplog):
    caplog.set_level(logging.INFO)  # whatever LOG_LEVEL the environment sets
    order, approver = submitted_order(world, login_as, store)
    capsys.readouterr()  # forget what login and submit logged

    response = approver.post(f"/godkjenning/{order.id}", data={"approve": "1"}, headers={"X-Request-ID": "req-4711"})

    assert response.status_code == 302
    every = [parse(line) for line in capsys.readouterr().err.splitlines()]
    # one line for the event, whichever module logs it
    assert len([line for line in every if line.get("order") == order.number
                and line.get("to_status") == "approved"]) == 1, every
    lines = [line for line in every if line["logger"] == "webshop.audit"]
    approved = [line for line in lines if line["action"] == "approved"]
    assert len(approved) == 1, lines
    assert approved[0]["trigger"] == "approver"
    assert approved[0]["request_id"] == "req-4711"
    assert approved[0]["user_id"] == str(world.approver.id)
    assert approved[0]["actor"] == str(world.approver.id)
    assert approved[0]["order"] == order.number == f"IK-{order.id:06d}"
    assert (approved[0]["from_status"], approved[0]["to_status"]) == ("pending_approval", "approved")
    assert approved[0]["level"] == "INFO"
    assert all(line["request_id"] == "req-4711" for line in lines)


def test_the_request_id_is_echoed_or_generated(client):
    given = client.get("/logg-inn", headers={"X-Request-ID": "abc-123.X"})
    assert given.headers["X-Request-ID"] == "abc-123.X"

    for hostile in ("has space", "x" * 101, 'q"uote', "a=b", ""):
        generated = client.get("/logg-inn", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated), (hostile, generated)
    first = client.get("/logg-inn").headers["X-Request-ID"]
    assert first != client.get("/logg-inn").headers["X-Request-ID"]


def record(msg: str, **extra: object) -> logging.LogRecord:
    rec = logging.makeLogRecord({"name": "webshop.audit", "levelname": "INFO", "levelno": logging.INFO,
                                 "msg": msg, "args": (), "created": 1764860400.5})
    rec.__dict__.update(fields(**extra))
    return rec


def test_key_value_lines_quote_what_could_break_them():
    line = KeyValueFormatter().format(record("two\nlines", order="IK-000042", comment='say "hi" a=b', skipped=None))
    assert "\n" not in line
    assert line == ('ts=2025-12-04T15:00:00.500Z level=INFO logger=webshop.audit msg="two\\nlines" '
                    'order=IK-000042 comment="say \\"hi\\" a=b"')


def test_json_lines_carry_the_same_keys():
    line = JsonFormatter().format(record("audit approved", action="approved", order="IK-000042", actor=7))
    assert json.loads(line) == {"ts": "2025-12-04T15:00:00.500Z", "level": "INFO", "logger": "webshop.audit",
                                "msg": "audit approved", "action": "approved", "order": "IK-000042", "actor": 7}


def test_create_app_configures_logging_once(app):
    before = [h for h in logging.getLogger().handlers if isinstance(h, StderrHandler)]
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    assert [h for h in logging.getLogger().handlers if isinstance(h, StderrHandler)] == before
    assert len(before) == 1
    assert logging.getLogger().level == logging.getLevelName(app.config["LOG_LEVEL"])
