"""Approval decisions, the route snapshot of every order, and the editable policy.

One decision per order and route step, enforced by the database. The policy rows
(municipality, unit budget, person limits, tiers, substitutes) are data that
coordinators and unit managers edit; the route an order takes is copied into
``ApprovalStep`` rows when it is submitted, so later edits never change it.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from webshop.dbtypes import Money, StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.orders.models import Order
from webshop.orgs.models import Role, Unit, User


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"  # sent back to the orderer for changes


class ApprovalDecision(Model):
    __tablename__ = "approval_decisions"
    __table_args__ = (UniqueConstraint("order_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    step: Mapped[int] = mapped_column(Integer, default=1)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[Decision] = mapped_column(StrEnumType(Decision, 20))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approver: Mapped[User] = relationship()
    order: Mapped[Order] = relationship(backref=backref("approval_decisions", lazy="selectin",
                                                        order_by="ApprovalDecision.step", viewonly=True))


class ApprovalPolicy(Model):
    """The municipality's settings; a municipality without a row gets the defaults (no auto-approval)."""

    __tablename__ = "approval_policies"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    auto_approve_below: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    default_per_order: Mapped[Decimal | None] = mapped_column(Money())
    default_per_month: Mapped[Decimal | None] = mapped_column(Money())
    default_hard: Mapped[bool] = mapped_column(Boolean, default=False)
    escalate_after_days: Mapped[int] = mapped_column(Integer, default=3)


class ApprovalTier(Model):
    """One level of the municipality's approval route, e.g. the unit's approver, or a director above 50 000 kr."""

    __tablename__ = "approval_tiers"
    __table_args__ = (UniqueConstraint("organisation_id", "level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    required_above: Mapped[Decimal | None] = mapped_column(Money())  # None: every order that needs approval
    approver_role: Mapped[Role | None] = mapped_column(StrEnumType(Role, 30))  # the unit's approvers/managers
    approver_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # or one named person
    approver_user: Mapped[User | None] = relationship()


class UnitBudget(Model):
    __tablename__ = "unit_budgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    monthly: Mapped[Decimal | None] = mapped_column(Money())
    hard: Mapped[bool] = mapped_column(Boolean, default=False)
    unit: Mapped[Unit] = relationship()


class PersonLimit(Model):
    """A person's own limits as orderer (override the municipality's defaults) and as approver.

    ``unit_id`` None: set by the coordinator, for the whole municipality. A unit: set by that
    unit's manager, for orders of that unit only (it overrides the municipality-wide row there).
    """

    __tablename__ = "person_limits"
    __table_args__ = (
        UniqueConstraint("user_id", "unit_id", name="uq_person_limits_user_unit"),
        # NULLs are distinct in a unique constraint: one municipality-wide row per person needs its own index
        Index("uq_person_limits_user_municipality", "user_id", unique=True,
              sqlite_where=text("unit_id IS NULL"), postgresql_where=text("unit_id IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    per_order: Mapped[Decimal | None] = mapped_column(Money())
    per_month: Mapped[Decimal | None] = mapped_column(Money())
    hard: Mapped[bool] = mapped_column(Boolean, default=False)
    agreement_ids: Mapped[str | None] = mapped_column(Text)  # "3,7"; None: every agreement
    unspsc_prefixes: Mapped[str | None] = mapped_column(Text)  # "4412,1411"; None: every category
    approval_limit: Mapped[Decimal | None] = mapped_column(Money())
    user: Mapped[User] = relationship()


class ApprovalSubstitute(Model):
    """An approver's deputy for a date range (both days included, Oslo dates)."""

    __tablename__ = "approval_substitutes"
    id: Mapped[int] = mapped_column(primary_key=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approver: Mapped[User] = relationship(foreign_keys=[approver_id])
    deputy: Mapped[User] = relationship(foreign_keys=[deputy_id])


class ApprovalStep(Model):
    """One step of an order's route as fixed at submit time, with who may decide it."""

    __tablename__ = "approval_steps"
    __table_args__ = (UniqueConstraint("order_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    required_above: Mapped[Decimal | None] = mapped_column(Money())
    explanation: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approvers: Mapped[list[ApprovalStepApprover]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ApprovalStepApprover.user_id")
    order: Mapped[Order] = relationship(backref=backref("approval_steps", lazy="selectin",
                                                        order_by="ApprovalStep.number", viewonly=True))

    @property
    def approver_ids(self) -> frozenset[int]:
        return frozenset(a.user_id for a in self.approvers)


# Order.approval_steps and Order.approval_decisions are backrefs added above: orders must not
# import approvals, so Order cannot declare them, and mypy cannot see backrefs. Read them here.
def steps_of(order: Order) -> list[ApprovalStep]:
    """The order's route steps by number (``order.approval_steps``)."""
    steps: list[ApprovalStep] = order.approval_steps  # type: ignore[attr-defined]
    return steps


def decisions_of(order: Order) -> list[ApprovalDecision]:
    """The order's approval decisions by step (``order.approval_decisions``)."""
    decisions: list[ApprovalDecision] = order.approval_decisions  # type: ignore[attr-defined]
    return decisions


class ApprovalStepApprover(Model):
    __tablename__ = "approval_step_approvers"
    step_id: Mapped[int] = mapped_column(ForeignKey("approval_steps.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    via: Mapped[str] = mapped_column(String(20), default="route")  # "route" or "escalation"
    user: Mapped[User] = relationship(lazy="joined")


class Notification(Model):
    """In-app reminders (pending orders waiting too long)."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
