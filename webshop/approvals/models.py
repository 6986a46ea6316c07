"""Approval decisions. One decision per order and route step, enforced by the database."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.dbtypes import StrEnumType, UTCDateTime, utcnow
from webshop.extensions import db
from webshop.orgs.models import User


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalDecision(db.Model):
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
