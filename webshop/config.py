"""Configuration: the only module that reads os.environ."""
from __future__ import annotations

import os
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("WEBSHOP_INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))


def _sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'webshop.sqlite'}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _sqlite_default()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    OUTBOX_DIR = os.environ.get("OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    LANGUAGES = ("nb", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    # Largest quantity one order line may carry; anything above is almost certainly a typo.
    MAX_LINE_QUANTITY = 10_000
    SEARCH_PAGE_SIZE = 25
    DEMO_DATA = os.environ.get("WEBSHOP_DEMO") == "1"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
