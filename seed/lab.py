"""The training lab's demo course (seed/data/lab_demo.toml): curated against raw catalogue, four
participants with known passwords, ready after `make run` (`flask --app webshop lab demo`).

Kept out of `flask seed demo` so the demo municipalities stay as they are for everything else;
loading it twice does nothing the second time."""
from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from webshop.extensions import db
from webshop.lab.cli import owner_of, spec_from_toml
from webshop.lab.courses import create_course
from webshop.lab.models import Course

DATA = Path(__file__).resolve().parent / "data" / "lab_demo.toml"


def demo_password(code: str) -> str:
    return f"Demo-{code.lower()}-26"


def load_lab_demo(path: Path = DATA) -> tuple[Course, list[tuple[str, str, str]]]:
    """The demo course (made now unless it exists); returns it and (code, login, password) per participant."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    spec = spec_from_toml(data)
    course = db.session.scalar(select(Course).where(Course.name == spec.name))
    if course is None:
        organisation, trainer = owner_of(data["course"].get("trainer"))
        course, _logins = create_course(spec, organisation=organisation, by=trainer)
        for participant in course.participants:
            participant.user.set_password(demo_password(participant.code))
        db.session.flush()
    return course, [(p.code, p.user.email, demo_password(p.code)) for p in course.participants]
