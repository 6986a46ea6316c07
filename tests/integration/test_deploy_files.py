"""The Dockerfile, compose.yaml and the image build script say what docs/deploy.md promises (issue 14).

No container engine here can pull the base images, so this reads the files: the build fails on
any failed step, runs as a non-root user, carries no secret, serves with gunicorn; compose runs
the migrations once before the app and the worker, with health checks and the secret from the
environment. tests/integration/test_build_image.py runs the build script itself."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", dockerfile)
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
            for line in (raw.strip() for raw in joined.splitlines()) if line and not line.startswith("#")]


def test_dockerfile_fails_on_errors_runs_as_a_user_and_serves_with_gunicorn():
    text = (ROOT / "Dockerfile").read_text()
    steps = _instructions(text)
    runs = [arg for op, arg in steps if op == "RUN"]
    assert len(runs) == 1 and runs[0].startswith("bash scripts/build-image.sh /app")
    assert "|| true" not in text and "|| :" not in text
    users = [arg for op, arg in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert not re.search(r"^\s*(ENV|ARG)\b.*SECRET_KEY", text, re.M), "the secret comes from the environment"
    cmd = [arg for op, arg in steps if op == "CMD"][-1]
    assert cmd.startswith('["gunicorn"') and "webshop:create_app()" in cmd
    assert "/healthz" in [arg for op, arg in steps if op == "HEALTHCHECK"][0]


def test_build_script_stops_at_the_first_failure():
    script = (ROOT / "scripts/build-image.sh").read_text()
    assert "set -euo pipefail" in script
    assert "|| true" not in script
    assert "pybabel" in script and "compile" in script


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for name in (".venv", "instance", ".git", "**/*.mo"):
        assert name in ignored


def test_compose_migrates_once_then_starts_app_and_worker_with_health_checks():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert sorted(services) == ["app", "db", "migrate", "worker"]
    assert services["migrate"]["command"] == ["flask", "--app", "webshop", "db", "upgrade", "heads"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("app", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        assert services[name]["build"] == "."
    assert "command" not in services["app"]  # the image's CMD: gunicorn
    assert services["worker"]["command"] == ["flask", "--app", "webshop", "worker"]
    assert "/readyz" in " ".join(services["app"]["healthcheck"]["test"])
    assert services["worker"]["healthcheck"]["test"][-4:] == ["health", "check", "--only", "worker"]
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    for name in ("app", "worker", "migrate"):
        env = services[name]["environment"]
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "no default secret: compose refuses to start"
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@db:5432/" in env["DATABASE_URL"]
