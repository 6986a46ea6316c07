"""Who is who: collaboration → organisations (municipalities) → units; users and their roles."""
from __future__ import annotations

from enum import StrEnum

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from webshop.dbtypes import StrEnumType
from webshop.extensions import Model

STRONG_PASSWORD_HASH = "scrypt"  # werkzeug's default, and the production setting


def password_hash_method() -> str:
    """How new passwords are hashed: the app's PASSWORD_HASH_METHOD, else scrypt. Only the
    test configuration picks a cheap method; checking a password reads the method from the hash."""
    if has_app_context():
        return str(current_app.config.get("PASSWORD_HASH_METHOD") or STRONG_PASSWORD_HASH)
    return STRONG_PASSWORD_HASH


class Role(StrEnum):
    ORDERER = "orderer"  # per unit
    APPROVER = "approver"  # per unit
    UNIT_MANAGER = "unit_manager"  # per unit
    COORDINATOR = "coordinator"  # per organisation (e-handelskoordinator)
    CENTRAL_BUYER = "central_buyer"  # in the collaboration
    TRAINER = "trainer"
    LEADER = "leader"  # per organisation: chief executive, sector director; sees adoption figures, read-only

    @property
    def is_unit_role(self) -> bool:
        return self in (Role.ORDERER, Role.APPROVER, Role.UNIT_MANAGER)


class UnitKind(StrEnum):
    SCHOOL = "school"
    NURSING_HOME = "nursing_home"
    KINDERGARTEN = "kindergarten"
    TOWN_HALL = "town_hall"
    TECHNICAL_SERVICES = "technical_services"


class Collaboration(Model):
    __tablename__ = "collaborations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisations: Mapped[list[Organisation]] = relationship(back_populates="collaboration")


class Organisation(Model):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    collaboration_id: Mapped[int] = mapped_column(ForeignKey("collaborations.id"), index=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    orgnr: Mapped[str] = mapped_column(String(9), unique=True)
    # A training lab's practice organisation (issue 12): its orders reach only simulated suppliers
    # and never count in real spend, statistics or approval inboxes. See webshop/orgs/scoping.py.
    is_sandbox: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false(), index=True)
    collaboration: Mapped[Collaboration] = relationship(back_populates="organisations")
    units: Mapped[list[Unit]] = relationship(back_populates="organisation", order_by="Unit.name")


class Unit(Model):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(StrEnumType(UnitKind, 30))
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(100))
    cost_centre: Mapped[str | None] = mapped_column(String(40))
    organisation: Mapped[Organisation] = relationship(back_populates="units")


class User(UserMixin, Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    organisation: Mapped[Organisation] = relationship()
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot log in
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def unit_ids(self, role: Role) -> set[int]:
        return {r.unit_id for r in self.roles if r.role == role and r.unit_id is not None}

    def has_role(self, role: Role) -> bool:
        return any(r.role == role for r in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleAssignment(Model):
    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 30))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    user: Mapped[User] = relationship(back_populates="roles")
    unit: Mapped[Unit | None] = relationship()
