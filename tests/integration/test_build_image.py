"""The production image's build steps (scripts/build-image.sh, what the Dockerfile runs) in a fresh
venv on this machine, then gunicorn from that venv answering /healthz and /readyz (issue 14).

No container engine here can pull a base image, so this is how CI proves the image builds: the
same script on a copy of the checkout, in a temp dir. It needs PyPI (pip's cache is reused) and
about 35 s, so `make test` leaves it out (pyproject addopts: ``-m "not image"``) and
`make test-image` runs it; .ci/run runs both.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.image  # its own step (make test-image); it makes its own SQLite database


def _copy_checkout(target: Path) -> None:
    """The files git knows (committed or not), as a fresh clone would have them plus local edits."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_image_build_script_in_a_fresh_venv_then_gunicorn(tmp_path):
    src, venv, instance = tmp_path / "src", tmp_path / "venv", tmp_path / "instance"
    _copy_checkout(src)
    assert not list(src.glob("webshop/translations/*/LC_MESSAGES/messages.mo")), "a clean copy has no .mo files"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TEST_DATABASE_URL", "EHF_"))}
    build = subprocess.run(["bash", str(src / "scripts/build-image.sh"), str(src)],
                           env={**env, "VENV": str(venv), "PYTHON": sys.executable},
                           capture_output=True, text=True, timeout=240)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-4000:]
    assert "build-image: ok (1 translation(s)" in build.stdout
    assert (src / "webshop/translations/en/LC_MESSAGES/messages.mo").is_file()

    app_env = {**env, "SECRET_KEY": secrets.token_hex(32), "WEBSHOP_INSTANCE_DIR": str(instance),
               "DATABASE_URL": f"sqlite:///{instance}/webshop.sqlite", "SESSION_COOKIE_SECURE": "0"}
    flask = [str(venv / "bin/flask"), "--app", "webshop"]
    migrate = subprocess.run([*flask, "db", "upgrade", "heads"], cwd=src, env=app_env, capture_output=True,
                             text=True, timeout=60)
    assert migrate.returncode == 0, migrate.stderr[-3000:]

    port = _free_port()
    server = subprocess.Popen([str(venv / "bin/gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                               "--access-logfile", "/dev/null", "webshop:create_app()"],
                              cwd=src, env=app_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                status, body = _get(f"{base}/healthz")
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not come up"
                time.sleep(0.2)
        assert (status, body) == (200, {"status": "ok"})
        status, body = _get(f"{base}/readyz")
        assert (status, body["failing"]) == (503, ["worker"])  # migrated, but no worker has run yet
        worker = subprocess.run([*flask, "worker", "--once"], cwd=src, env=app_env, capture_output=True,
                                text=True, timeout=60)
        assert worker.returncode == 0, worker.stderr[-3000:]
        status, body = _get(f"{base}/readyz")
        assert (status, body["failing"]) == (200, []), body
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()
