"""Passwords: production hashes with scrypt; only the test configuration picks one cheap
round (scrypt made up most of the suite's time). Checking reads the method from the stored hash,
so a cheap test hash never weakens how production checks its own scrypt hashes."""
from __future__ import annotations

from webshop import create_app
from webshop.config import Config, TestConfig
from webshop.orgs.models import User


def hashed_in(app, password: str) -> User:
    with app.app_context():
        user = User(email="a@b.no", name="A")
        user.set_password(password)
    return user


def test_production_config_hashes_with_scrypt() -> None:
    assert getattr(Config, "PASSWORD_HASH_METHOD", None) in (None, "scrypt")
    app = create_app(Config, SECRET_KEY="production-like-key-0123456789abcdef0123456789",
                     SQLALCHEMY_DATABASE_URI="sqlite://")
    assert not app.testing
    user = hashed_in(app, "Correct-horse-9")
    assert user.password_hash.startswith("scrypt:32768:8:1$")  # werkzeug's strong default parameters
    assert user.check_password("Correct-horse-9") and not user.check_password("correct-horse-9")


def test_outside_an_app_passwords_are_hashed_with_scrypt() -> None:
    user = User(email="a@b.no", name="A")
    user.set_password("Correct-horse-9")
    assert user.password_hash.startswith("scrypt:")


def test_test_config_hashes_cheaply_and_still_refuses_a_wrong_password() -> None:
    assert TestConfig.PASSWORD_HASH_METHOD == "pbkdf2:sha256:1"
    user = hashed_in(create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://"), "Correct-horse-9")
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert user.check_password("Correct-horse-9") and not user.check_password("Correct-horse-8")
