"""schemathesis against the running app: gunicorn on the test database, every operation of
/api/v1/openapi.json fuzzed with a real API token (issue 14).

Every check schemathesis has (``--checks all``): no 5xx, status codes, content types, headers
and bodies as described, invalid input refused, valid input accepted, auth not ignored. Bounded:
a fixed number of examples per operation and a hard timeout. About 20 s, so it is its own
step (``make test-api``, run by .ci/run after ``make test``); pyproject's addopts leave it out
of ``make test``.
"""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

pytestmark = pytest.mark.fuzz


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def api_token(app, world) -> str:
    from webshop.auth.tokens import create_token
    from webshop.extensions import db
    from webshop.health.heartbeat import record_heartbeat
    from webshop.orgs.models import User

    with app.app_context():
        _row, token = create_token(db.session.get(User, world.coordinator.id), "schemathesis")  # search and adoption
        db.session.commit()
        record_heartbeat("fuzz:1", now=datetime.now(UTC))
    return token


def test_schemathesis_finds_nothing(app, api_token, tmp_path):
    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TEST_DATABASE_URL", "EHF_"))},
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": secrets.token_hex(32),
           "WEBSHOP_INSTANCE_DIR": str(tmp_path), "SEARCH_INDEX_DIR": str(tmp_path / "search"),
           "OUTBOX_DIR": str(tmp_path / "outbox"), "SEARCH_INDEX_WRITER": "inline", "SESSION_COOKIE_SECURE": "0",
           "LOG_LEVEL": "WARNING"}
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115  (closed below)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--access-logfile", "/dev/null", "webshop:create_app()"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        run = subprocess.run(
            [str(SCHEMATHESIS), "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
             "run", f"{base}/api/v1/openapi.json", "--checks", "all",
             "--phases", "examples,coverage,fuzzing", "--max-examples", "40", "--workers", "1",
             "--request-timeout", "10", "--header", f"Authorization: Bearer {api_token}",
             "--suppress-health-check", "too_slow", "--no-color"],
            cwd=tmp_path, env={**env, "SCHEMATHESIS_HOOKS": ""}, capture_output=True, text=True, timeout=300)
        print(run.stdout[-6000:])
        assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
        assert "No issues found" in run.stdout or " passed" in run.stdout
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
        print((tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:])
