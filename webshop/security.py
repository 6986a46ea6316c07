"""Application-wide protections set up by create_app: the secret key, security headers,
upload limits and bounded integers in URLs.

See docs/security.md for what the app promises and how to deploy it safely.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_talisman import Talisman
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from webshop.params import BoundedIntConverter

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


def _flag(app: Flask, name: str, default: bool) -> bool:
    value = app.config.get(name)
    return default if value is None else bool(value)


def _size(n: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} B"


# Nothing inline: every script and style is a file under /static (see docs/security.md).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:", "https:"],  # catalogue item images (issue 15): https only, never scripts
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    """Secret key, bounded URL integers, upload limit and security headers for ``app``.

    Called by create_app before any blueprint is registered (the ``int`` converter applies
    to the routes added after it).
    """
    load_secret_key(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:  # behind N reverse proxies: take the client address and scheme from their headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies)
    app.url_map.converters["int"] = BoundedIntConverter

    relaxed = app.debug or app.testing
    secure = _flag(app, "SESSION_COOKIE_SECURE", not relaxed)
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    Talisman(app,
             force_https=_flag(app, "FORCE_HTTPS", False),
             strict_transport_security=secure,  # HSTS only where the app is served over https
             session_cookie_secure=secure,
             session_cookie_http_only=True,
             session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
             frame_options="DENY",
             content_security_policy=CONTENT_SECURITY_POLICY,
             referrer_policy="same-origin",
             permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()", "browsing-topics": "()"})

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: Exception) -> tuple[str, int]:
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        message = _("Filen er for stor. Største tillatte størrelse er %(size)s. Ingenting er lagret.",
                    size=_size(limit))
        return render_template("error.html", title=_("For stor fil"), message=message), 413
