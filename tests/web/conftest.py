"""Fixtures for the web tests."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from webshop import create_app
from webshop.config import TestConfig


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Another app instance (another worker or server) on the test database, with config overrides.

    Its connections are closed at the end, so none is left for the garbage collector."""
    made: list[Flask] = []

    def make(config: type[TestConfig] = TestConfig, **overrides) -> Flask:
        settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                    "OUTBOX_DIR": app.config["OUTBOX_DIR"], **overrides}
        made.append(create_app(config, **settings))
        return made[-1]

    yield make
    from webshop.extensions import db

    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
