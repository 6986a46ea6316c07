"""docs/training.md's complete course file works with `flask lab create`, and its CSV header is the real one."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from webshop.extensions import db
from webshop.lab.models import Course
from webshop.lab.results import CSV_COLUMNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "training.md"


def test_the_documented_course_file_creates_the_course(app, seeded_demo, tmp_path):
    text = DOC.read_text(encoding="utf-8")
    (toml,) = re.findall(r"```toml\n(.*?)```", text, re.S)
    course_file = tmp_path / "course.toml"
    course_file.write_text(toml, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["lab", "create", str(course_file)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.strip().splitlines() if not line.startswith("ts=")]  # no log lines
    assert len(lines) == 1 + 7  # the course id, then six numbered participants and one invited
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.id == int(lines[0])))
        assert course.name == "Opplæring i e-handel, desember"
        assert [c.key for c in course.conditions] == ["A", "B"]
        assert [(e.exercise.key, e.phone_seconds) for e in course.exercises] == [("finn-sukker", 60),
                                                                                 ("tre-varer", 150)]


def test_the_documented_csv_header_is_the_real_one():
    assert ",".join(CSV_COLUMNS) in DOC.read_text(encoding="utf-8")
