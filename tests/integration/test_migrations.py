"""The Alembic migrations build exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from webshop.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as conn:  # the session fixture ran `upgrade` on this database
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
