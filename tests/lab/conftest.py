"""Fixtures for the training lab's tests: a course on the demo data, built by the real service."""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from webshop.extensions import db
from webshop.lab.courses import ConditionSpec, CourseSpec, Login, create_course
from webshop.lab.rules import CatalogueVariant
from webshop.orgs.models import Organisation, User

TRAINER = "trond.bakken@example.no"


def two_condition_spec(participants: int = 2, **overrides) -> CourseSpec:
    values = dict(
        name="Kurs i e-handel", held_on=date(2026, 12, 10),
        conditions=[ConditionSpec("A", "Kuratert katalog", CatalogueVariant.CURATED),
                    ConditionSpec("B", "Leverandørens katalog", CatalogueVariant.RAW)],
        exercise_keys=["finn-sukker", "tre-varer"], participants=participants)
    values.update(overrides)
    return CourseSpec(**values)


@pytest.fixture
def make_course(app: Flask, seeded_demo: str) -> Callable[..., tuple[int, list[Login]]]:
    """Create a course as the demo trainer; returns (course id, logins)."""

    def make(spec: CourseSpec | None = None, seed: int = 1) -> tuple[int, list[Login]]:
        with app.app_context():
            trainer = db.session.scalar(select(User).where(User.email == TRAINER))
            assert trainer is not None
            course, logins = create_course(spec or two_condition_spec(), organisation=trainer.organisation,
                                           by=trainer, rng=random.Random(seed))
            db.session.commit()
            return course.id, logins

    return make


def row_counts(app: Flask) -> dict[str, int]:
    """Rows in every table of the schema."""
    with app.app_context(), db.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in db.metadata.sorted_tables}


def sandbox_of(app: Flask, login: Login) -> Organisation:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == login.login))
        assert user is not None
        org = user.organisation
        db.session.expunge(org)
        return org
