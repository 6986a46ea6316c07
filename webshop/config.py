"""Configuration: the only module that reads os.environ."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("WEBSHOP_INSTANCE_DIR", Path(__file__).resolve().parent.parent / "instance"))


def _sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'webshop.sqlite'}"


def _flag(name: str) -> bool | None:
    value = os.environ.get(name, "").strip().lower()
    return None if not value else value in ("1", "true", "yes", "on")


class Config:
    # No fallback: outside debug/testing create_app refuses to start without a real key
    # (from the environment, or instance/secret_key written once by `make secret-key`).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _sqlite_default()
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    OUTBOX_DIR = os.environ.get("OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    LANGUAGES = ("nb", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies (and HSTS): on by default outside debug/testing; set SESSION_COOKIE_SECURE=0 only when
    # the app is served over plain http (make run on 127.0.0.1). FORCE_HTTPS=1 redirects http to https.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")
    FORCE_HTTPS = _flag("FORCE_HTTPS")
    # Largest request body (catalogue uploads); larger ones get a 413 before they are read into memory.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH") or 32 * 1024 * 1024)
    WTF_CSRF_TIME_LIMIT = int(os.environ.get("WTF_CSRF_TIME_LIMIT") or 8 * 3600)  # seconds a form stays valid
    # A login session ends at logout, or this long after login at the latest (checked on the server).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_LIFETIME_HOURS") or 12))
    # Failed logins before a lockout of LOGIN_LOCKOUT_MINUTES: per account, and per client address.
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES") or 10)
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS") or 100)
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES") or 15)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are trusted (0: none).
    # Set it behind a proxy, or login throttling per address sees only the proxy's address.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES") or 0)
    # A catalogue import that would discontinue more than this share of the live items, and at least
    # CATALOGUE_DISCONTINUE_CONFIRM_MIN of them, needs an explicit confirmation; so does one that would
    # leave nothing orderable (a header-only file).
    CATALOGUE_DISCONTINUE_CONFIRM_SHARE = os.environ.get("CATALOGUE_DISCONTINUE_CONFIRM_SHARE") or "0.20"
    CATALOGUE_DISCONTINUE_CONFIRM_MIN = int(os.environ.get("CATALOGUE_DISCONTINUE_CONFIRM_MIN") or 10)
    # Largest quantity one order line may carry; anything above is almost certainly a typo.
    MAX_LINE_QUANTITY = 10_000
    SEARCH_PAGE_SIZE = 25
    # This machine's own search indexes (never a shared folder: each machine's worker builds its own).
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR") or None
    # "worker": only `flask worker` writes this machine's indexes, web processes only read (production).
    # "inline": the process that changes a catalogue also updates its machine's index at once (tests, demos).
    SEARCH_INDEX_WRITER = os.environ.get("SEARCH_INDEX_WRITER") or "worker"
    # Tests only (tests/integration/test_two_machines.py): a folder where a full index build says it has
    # started and then waits while a "hold" file exists, so the test can kill the worker mid-build.
    SEARCH_INDEX_TEST_HOLD = os.environ.get("SEARCH_INDEX_TEST_HOLD") or None
    # Where suppliers or an access point drop inbound EHF documents (folder transport).
    INBOX_DIR = os.environ.get("INBOX_DIR") or None
    INBOUND_MAX_BYTES = int(os.environ.get("INBOUND_MAX_BYTES") or 2 * 1024 * 1024)
    # Documents one supplier key may post per window (counted in the database: holds across servers).
    INBOUND_RATE_LIMIT = int(os.environ.get("INBOUND_RATE_LIMIT") or 120)
    INBOUND_RATE_WINDOW_SECONDS = int(os.environ.get("INBOUND_RATE_WINDOW_SECONDS") or 60)
    # Raw XML of processed inbound documents is deleted after this many days; the record of what was done stays.
    INBOUND_RETENTION_DAYS = int(os.environ.get("INBOUND_RETENTION_DAYS") or 90)
    # Supplier endpoints over plain http to loopback (a local test receiver). Unset: only in debug and testing.
    ALLOW_HTTP_LOOPBACK_ENDPOINTS = _flag("ALLOW_HTTP_LOOPBACK_ENDPOINTS")
    # Outgoing e-mail (approval reminders). No MAIL_SERVER: reminders are in-app only.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT") or 25)
    MAIL_FROM = os.environ.get("MAIL_FROM") or "innkjop@localhost"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes")
    # Invitation and password-reset mails (webshop/mail.py): "smtp", or "outbox" (.eml files in
    # MAIL_OUTBOX_DIR, default a "mail" folder beside OUTBOX_DIR). Unset: smtp when MAIL_SERVER is set.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND") or None
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or None
    # How long an invitation link and a password-reset link stay valid (each works once).
    USER_INVITE_DAYS = int(os.environ.get("USER_INVITE_DAYS") or 7)
    PASSWORD_RESET_MINUTES = int(os.environ.get("PASSWORD_RESET_MINUTES") or 60)
    # Password-reset requests per e-mail address and per client address per hour.
    PASSWORD_RESET_MAX_PER_ACCOUNT = int(os.environ.get("PASSWORD_RESET_MAX_PER_ACCOUNT") or 3)
    PASSWORD_RESET_MAX_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_MAX_PER_ADDRESS") or 20)
    # Log lines on stderr (webshop/logs.py): a level name, and "keyvalue" or "json".
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "keyvalue").lower()


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    MAIL_SERVER = None  # tests start their own SMTP server when they need one
    # One cheap round instead of scrypt: hashing dominated the suite. Production keeps scrypt
    # (webshop/orgs/models.py password_hash_method; tests/unit/test_password_hash.py checks it).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
    SEARCH_INDEX_WRITER = "inline"  # a test's change is searchable at once (test_two_machines.py: worker mode)
