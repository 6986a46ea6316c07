"""Issue 10, item 1: the app never runs in production with a known secret key."""
from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from webshop import create_app
from webshop.config import Config
from webshop.security import InsecureConfigError, load_secret_key

ROOT = Path(__file__).resolve().parents[2]


class ProductionConfig(Config):
    TESTING = False
    DEBUG = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def bare_app(instance: Path, **config) -> Flask:
    app = Flask("probe", instance_path=str(instance))
    app.config.update(TESTING=False, DEBUG=False, SECRET_KEY=None)
    app.config.update(config)
    return app


@pytest.mark.parametrize("key", [None, "", "dev-only-change-me", "test", "changeme", "short"])
def test_production_refuses_to_start_without_a_real_key(tmp_path, key):
    with pytest.raises(InsecureConfigError, match="SECRET_KEY"):
        load_secret_key(bare_app(tmp_path, SECRET_KEY=key))


def test_create_app_refuses_the_old_development_fallback():
    with pytest.raises(InsecureConfigError):
        create_app(ProductionConfig, SECRET_KEY="dev-only-change-me")


def test_the_config_has_no_fallback_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    import importlib

    import webshop.config as config_module

    fresh = importlib.reload(config_module)
    try:
        assert not fresh.Config.SECRET_KEY
    finally:
        importlib.reload(config_module)


def test_a_key_from_the_environment_is_used(tmp_path):
    app = bare_app(tmp_path, SECRET_KEY="k" * 40)
    load_secret_key(app)
    assert app.secret_key == "k" * 40


def test_the_instance_key_file_is_used_when_no_key_is_configured(tmp_path):
    (tmp_path / "secret_key").write_text("a1" * 32 + "\n")
    app = bare_app(tmp_path)
    load_secret_key(app)
    assert app.secret_key == "a1" * 32


def test_tests_and_debug_may_run_without_a_key(tmp_path):
    for flags in ({"TESTING": True}, {"DEBUG": True}):
        app = bare_app(tmp_path, **flags)
        load_secret_key(app)
        assert app.secret_key and len(app.secret_key) >= 32


def test_make_creates_a_random_instance_key_once(tmp_path):
    instance = tmp_path / "inst"
    run = ["make", "-s", "-C", str(ROOT), "secret-key", f"INSTANCE={instance}"]
    subprocess.run(run, check=True, env={**os.environ, "MAKEFLAGS": ""})
    key_file = instance / "secret_key"
    first = key_file.read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    subprocess.run(run, check=True)
    assert key_file.read_text().strip() == first  # created once, never replaced


def test_the_key_file_is_never_committed():
    assert "instance/" in (ROOT / ".gitignore").read_text().split()


def test_the_docker_image_bakes_in_no_key():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert not re.search(r"^\s*(ENV|ARG)\b.*SECRET_KEY", dockerfile, re.MULTILINE)
    assert "SECRET_KEY" in dockerfile  # but it says the key must come from the environment
