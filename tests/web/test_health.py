"""/healthz and /readyz: public JSON, 200 when ready, 503 naming each failing check (issue 14)."""
from __future__ import annotations

import re
import signal
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from webshop.extensions import db
from webshop.health.heartbeat import record_heartbeat
from webshop.search.services import indexes

CHECKS = ["database", "migrations", "search_index", "outbox", "worker"]


@pytest.fixture
def beat(app):
    def beat(age_seconds: float = 0, worker_id: str = "host-a:1") -> None:
        with app.app_context():
            assert record_heartbeat(worker_id, now=datetime.now(UTC) - timedelta(seconds=age_seconds))
    return beat


def test_healthz_answers_without_login_or_database(client, make_app, tmp_path):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no/such/dir/db.sqlite")
    assert broken.test_client().get("/healthz").status_code == 200


def test_ready_when_every_check_passes(client, world, beat):
    beat(age_seconds=5)
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert sorted(body["checks"]) == sorted(CHECKS)
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["search_index"]["detail"] == "1 live catalogue(s)"


def test_no_worker_ever_ran(client, world):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["worker"]
    assert "no delivery worker" in body["checks"]["worker"]["detail"]


def test_stale_heartbeat(client, world, beat):
    beat(age_seconds=90)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["worker"]
    assert "90 s ago" in body["checks"]["worker"]["detail"]
    beat(age_seconds=0, worker_id="host-b:2")  # another machine's worker is alive: ready again
    assert client.get("/readyz").status_code == 200


def test_database_behind_the_migration_head(app, client, world, beat):
    beat()
    with app.app_context():
        with db.engine.begin() as conn:
            heads = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
            conn.execute(text("DELETE FROM alembic_version"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('f6b4bee865a1')"))
    try:
        response = client.get("/readyz")
    finally:
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM alembic_version"))
                for head in heads:
                    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["migrations"]
    assert "f6b4bee865a1" in body["checks"]["migrations"]["detail"]
    assert client.get("/readyz").status_code == 200


def test_missing_search_index(make_app, world, beat, tmp_path):
    beat()
    other_machine = make_app(SEARCH_INDEX_DIR=str(tmp_path / "empty-index"))
    response = other_machine.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["search_index"]
    detail = body["checks"]["search_index"]["detail"]
    assert detail.startswith("no search index for catalogue ") and detail.endswith(" on this machine")
    warmed = other_machine.test_cli_runner().invoke(args=["health", "warm"])
    assert warmed.exit_code == 0 and "1 søkeindeks(er) bygget." in warmed.output, warmed.output
    assert other_machine.test_client().get("/readyz").status_code == 200
    assert (tmp_path / "empty-index").is_dir()


def test_unwritable_outbox(app, make_app, world, beat, tmp_path):
    beat()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with app.app_context():
        same_index = str(indexes().root)
    response = make_app(OUTBOX_DIR=str(blocker / "outbox"), SEARCH_INDEX_DIR=same_index).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"]["detail"] == "cannot write to the outbox folder: Not a directory"


def test_unreachable_database(make_app, tmp_path):
    response = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no/such/dir/db.sqlite"
                        ).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failing"][0] == "database" and "migrations" in body["failing"]
    assert body["checks"]["database"]["detail"].startswith("unreachable")


def test_the_worker_records_a_heartbeat_each_round(app, client, world):
    assert client.get("/readyz").get_json()["failing"] == ["worker"]
    previous = signal.getsignal(signal.SIGTERM)  # the worker command installs its own SIGTERM handler
    try:
        result = app.test_cli_runner().invoke(args=["worker", "--once", "--name", "test-worker:1"])
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.exit_code == 0, result.output
    body = client.get("/readyz").get_json()
    assert body["failing"] == [], body
    with app.app_context():
        rows = db.session.execute(text("SELECT worker_id FROM worker_heartbeats")).all()
    assert [r[0] for r in rows] == ["test-worker:1"]


def test_health_answers_plain_http_when_https_is_forced(make_app):
    forced = make_app(FORCE_HTTPS=True).test_client()
    assert forced.get("/healthz").status_code == 200
    assert forced.get("/readyz").status_code == 503  # answered (no worker here), not redirected
    assert forced.get("/logg-inn").status_code == 302  # everything else still goes to https


def test_health_check_command_for_containers_without_http(app, world, beat):
    runner = app.test_cli_runner()
    stale = runner.invoke(args=["health", "check", "--only", "worker"])
    assert stale.exit_code == 1 and "not ready: worker" in stale.output
    assert '"search_index"' not in stale.output  # only the checks asked for
    beat()
    fresh = runner.invoke(args=["health", "check"])
    assert fresh.exit_code == 0, fresh.output
    assert re.search(r'"worker": \{"detail": "last heartbeat \d s ago", "ok": true\}', fresh.output), fresh.output
