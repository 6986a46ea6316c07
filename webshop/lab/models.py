"""The training lab's tables (issue 12): courses, their conditions and exercises, participants with
their sandboxes, attempts with the measured counters, and SUS answers.

A participant's user and sandbox organisation belong to the course: deleting the course deletes them
(webshop/lab/sandboxes.py does it in one transaction). Built-in exercises have no organisation.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.dbtypes import Money, ScaledDecimal, StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.lab.rules import (
    Assignment,
    CatalogueRange,
    CatalogueVariant,
    Design,
    OrderingAuthority,
    Outcome,
    TemplateKey,
)
from webshop.orgs.models import Organisation, User


class Course(Model):
    __tablename__ = "lab_courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    template_key: Mapped[TemplateKey] = mapped_column(StrEnumType(TemplateKey, 10), default=TemplateKey.DEMO)
    design: Mapped[Design] = mapped_column(StrEnumType(Design, 10), default=Design.BETWEEN)
    assignment: Mapped[Assignment] = mapped_column(StrEnumType(Assignment, 10), default=Assignment.RANDOM)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    conditions: Mapped[list[Condition]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Condition.key"
    )
    exercises: Mapped[list[CourseExercise]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseExercise.position"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Participant.code"
    )

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.name!r}>"


class Condition(Model):
    __tablename__ = "lab_conditions"
    __table_args__ = (UniqueConstraint("course_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lab_courses.id"), index=True)
    key: Mapped[str] = mapped_column(String(4))  # "A", "B", …
    name: Mapped[str] = mapped_column(String(200))
    catalogue_variant: Mapped[CatalogueVariant] = mapped_column(
        StrEnumType(CatalogueVariant, 10), default=CatalogueVariant.CURATED
    )
    catalogue_range: Mapped[CatalogueRange] = mapped_column(
        StrEnumType(CatalogueRange, 10), default=CatalogueRange.FULL
    )
    ordering_authority: Mapped[OrderingAuthority] = mapped_column(
        StrEnumType(OrderingAuthority, 12), default=OrderingAuthority.EVERYONE
    )
    auto_approve_below: Mapped[Decimal | None] = mapped_column(Money())
    supplier_behaviour: Mapped[str | None] = mapped_column(String(40))  # a simulator behaviour key

    course: Mapped[Course] = relationship(back_populates="conditions")


class Exercise(Model):
    """One exercise of the library: built in (no organisation) or written by a municipality's trainer."""

    __tablename__ = "lab_exercises"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text)
    check_kind: Mapped[str] = mapped_column(String(40))
    check_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    time_limit_seconds: Mapped[int] = mapped_column(Integer, default=300)
    phone_seconds: Mapped[int] = mapped_column(Integer, default=120)
    start_state: Mapped[str] = mapped_column(String(40), default="empty")

    def __repr__(self) -> str:
        return f"<Exercise {self.key}>"


class CourseExercise(Model):
    __tablename__ = "lab_course_exercises"
    __table_args__ = (UniqueConstraint("course_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lab_courses.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("lab_exercises.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    phone_seconds: Mapped[int] = mapped_column(Integer)  # the trainer's phone baseline for this task

    course: Mapped[Course] = relationship(back_populates="exercises")
    exercise: Mapped[Exercise] = relationship()


class Participant(Model):
    __tablename__ = "lab_participants"
    __table_args__ = (UniqueConstraint("course_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lab_courses.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))  # "P01"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    invited_email: Mapped[str | None] = mapped_column(String(254))  # an existing user invited by address
    condition_id: Mapped[int | None] = mapped_column(ForeignKey("lab_conditions.id"), index=True)
    condition_order: Mapped[str | None] = mapped_column(String(10))  # "AB" / "BA" within-subject
    sandbox_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    # The attempt now running; the FK is added after lab_attempts exists (the tables refer to each other).
    current_attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("lab_attempts.id", use_alter=True, ondelete="SET NULL")
    )
    sus_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    course: Mapped[Course] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()
    condition: Mapped[Condition | None] = relationship()
    sandbox: Mapped[Organisation] = relationship()
    attempts: Mapped[list[Attempt]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", foreign_keys="Attempt.participant_id",
        order_by="Attempt.id",
    )
    sus: Mapped[SusResponse | None] = relationship(back_populates="participant", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Participant {self.code} of course {self.course_id}>"


class Attempt(Model):
    __tablename__ = "lab_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("lab_participants.id"), index=True)
    course_exercise_id: Mapped[int] = mapped_column(ForeignKey("lab_course_exercises.id"), index=True)
    condition_id: Mapped[int | None] = mapped_column(ForeignKey("lab_conditions.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[Outcome | None] = mapped_column(StrEnumType(Outcome, 12))
    success: Mapped[bool | None]
    # Counters are only ever incremented with one UPDATE … SET x = x + 1.
    actions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    searches: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    zero_result_searches: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    help_opened: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    errors_shown: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    seq: Mapped[int | None] = mapped_column(Integer)  # Single Ease Question, 1–7

    participant: Mapped[Participant] = relationship(back_populates="attempts", foreign_keys=[participant_id])
    course_exercise: Mapped[CourseExercise] = relationship()
    condition: Mapped[Condition | None] = relationship()


class SusResponse(Model):
    __tablename__ = "lab_sus_responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("lab_participants.id"), unique=True)
    answers: Mapped[str] = mapped_column(String(40))  # "5,2,4,…": ten values 1–5
    score: Mapped[Decimal] = mapped_column(ScaledDecimal(1))  # 0–100 in steps of 2.5
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="sus")
