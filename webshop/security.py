"""Application-wide protections set up by create_app: the secret key, security headers,
upload limits and bounded integers in URLs.

See docs/security.md for what the app promises and how to deploy it safely.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

SECRET_KEY_FILE = "secret_key"
# Keys that were ever written in this repository or its docs, and other obvious placeholders.
KNOWN_KEYS = frozenset({"dev-only-change-me", "test", "dev", "secret", "changeme", "change-me", "development"})
MIN_KEY_LENGTH = 32


class InsecureConfigError(RuntimeError):
    """The app would run with a setting that makes it unsafe outside development."""


def load_secret_key(app: Flask) -> None:
    """Set ``app.secret_key`` from SECRET_KEY or ``instance/secret_key``; refuse a weak one.

    Anyone who knows the key can sign a session cookie for any user, so outside debug
    and testing the app does not start without a long key that is not a known value.
    `make run` writes a random key to the instance folder once (`make secret-key`).
    """
    key = app.config.get("SECRET_KEY")
    key_file = Path(app.instance_path) / SECRET_KEY_FILE
    if not key and key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
    relaxed = app.debug or app.testing
    if not key and relaxed:
        key = secrets.token_hex(32)  # sessions last as long as the process
    if not key or (not relaxed and (key in KNOWN_KEYS or len(key) < MIN_KEY_LENGTH)):
        raise InsecureConfigError(
            "SECRET_KEY is missing or weak: set the SECRET_KEY environment variable to a random value of at "
            f"least {MIN_KEY_LENGTH} characters (python -c 'import secrets; print(secrets.token_hex(32))'), "
            f"or put one in {key_file} (make secret-key)."
        )
    app.config["SECRET_KEY"] = key
