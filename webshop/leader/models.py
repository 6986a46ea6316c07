"""The leader's data: imported accounting spend, cost-centre mapping, the municipality's target
and the unit goals (issue 13)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.dbtypes import Money, ScaledDecimal, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.orders.models import Order, OrderLine
from webshop.orgs.models import Unit, User

# The leader's figures aggregate every order of a municipality over a year; these covering indexes
# let the database answer from the index alone (bench/bench_leader.py: 100,000 orders).
Index("ix_orders_leader_spend", Order.organisation_id, Order.submitted_at, Order.status, Order.unit_id, Order.total,
      Order.orderer_id)
Index("ix_orders_leader_large", Order.organisation_id, Order.total)  # the few large one-off orders
Index("ix_order_lines_leader_mix", OrderLine.order_id, OrderLine.is_free_text, OrderLine.line_total,
      OrderLine.list_price, OrderLine.unit_price, OrderLine.quantity)

DEFAULT_TARGET_PERCENT = Decimal("25.00")  # the national goal: 25 % of operating spend through e-commerce
DEFAULT_LARGE_ORDER_LIMIT = Decimal("500000.00")


class SpendImport(Model):
    """One accounting export imported for one municipality: all its rows or none."""

    __tablename__ = "spend_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rows: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Money())
    imported_by: Mapped[User | None] = relationship()


class SpendRecord(Model):
    """One row of the accounting system: what a unit spent with a supplier on a day (excl. VAT;
    a credit note is negative), and the order number when the invoice carried one."""

    __tablename__ = "spend_records"
    __table_args__ = (Index("ix_spend_records_org_booked", "organisation_id", "booked_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("spend_imports.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    booked_on: Mapped[date] = mapped_column(Date)
    cost_centre: Mapped[str] = mapped_column(String(40))
    supplier_orgnr: Mapped[str] = mapped_column(String(9), index=True)
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    order_number: Mapped[str | None] = mapped_column(String(40))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)  # matched by order number


class SpendMonth(Model):
    """The accounting rows summed per unit, month, supplier and "with an order number or not":
    what the leader's figures read, so they stay fast at millions of rows. Rebuilt for the
    municipality after every import (``services.refresh_spend_months``); never edited by hand."""

    __tablename__ = "spend_months"
    __table_args__ = (Index("ix_spend_months_org_month", "organisation_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    supplier_orgnr: Mapped[str] = mapped_column(String(9))
    supplier_name: Mapped[str | None] = mapped_column(String(200))
    with_order_number: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[Decimal] = mapped_column(Money())
    rows: Mapped[int] = mapped_column(Integer)


class OrderMonth(Model):
    """The orders that commit money (``orders.rules.SPEND_COMMITTING``) summed per unit, Oslo month
    of submission and orderer: what the leader's figures read instead of every order. Kept current
    by ``services.on_order_changed`` (every order signal), rebuilt by ``services.rebuild_order_months``;
    never edited by hand. Training sandboxes have none."""

    __tablename__ = "order_months"
    __table_args__ = (UniqueConstraint("organisation_id", "unit_id", "month", "orderer_id"),
                      Index("ix_order_months_org_month", "organisation_id", "month"))
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month, in Oslo
    orderer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    orders: Mapped[int] = mapped_column(Integer)
    spend: Mapped[Decimal] = mapped_column(Money())  # excl. VAT, large one-off orders included
    catalogue: Mapped[Decimal] = mapped_column(Money())
    free_text: Mapped[Decimal] = mapped_column(Money())
    savings: Mapped[Decimal] = mapped_column(Money())  # agreement price against list price, line by line
    last_order_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CostCentre(Model):
    """The municipality's mapping of an accounting cost centre to one of its units (besides
    ``Unit.cost_centre``, a unit's own main cost centre)."""

    __tablename__ = "cost_centres"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    code: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    unit: Mapped[Unit] = relationship()


class AdoptionSettings(Model):
    """The municipality's own target (share of spend through e-ordering) and what counts as a
    large one-off order (shown apart, never part of the share)."""

    __tablename__ = "adoption_settings"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    target_percent: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=DEFAULT_TARGET_PERCENT)
    large_order_limit: Mapped[Decimal] = mapped_column(Money(), default=DEFAULT_LARGE_ORDER_LIMIT)


class UnitGoal(Model):
    """The coordinator's goal for one unit: its share of spend through e-ordering, in percent."""

    __tablename__ = "unit_goals"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    target_percent: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
