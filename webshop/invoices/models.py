"""Supplier invoices and credit notes as matched against their order, and each municipality's
matching tolerances. The document itself stays in ``inbound_documents`` (the inbound channel)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.dbtypes import Money, Quantity, ScaledDecimal, StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.invoices.rules import InvoiceStatus
from webshop.orders.models import Order, OrderLine
from webshop.orgs.models import User


class SupplierInvoice(Model):
    """One invoice or credit note for one order (amounts excl. VAT unless named otherwise)."""

    __tablename__ = "supplier_invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_document_id: Mapped[int] = mapped_column(ForeignKey("inbound_documents.id"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    is_credit_note: Mapped[bool] = mapped_column(Boolean, default=False)
    number: Mapped[str] = mapped_column(String(200))
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(Money())  # excl. VAT
    vat_total: Mapped[Decimal] = mapped_column(Money())
    payable: Mapped[Decimal] = mapped_column(Money())
    buyer_reference: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[InvoiceStatus] = mapped_column(StrEnumType(InvoiceStatus, 20), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)
    order: Mapped[Order] = relationship()
    decided_by: Mapped[User | None] = relationship()
    lines: Mapped[list[SupplierInvoiceLine]] = relationship(
        back_populates="invoice", order_by="SupplierInvoiceLine.position", cascade="all, delete-orphan")


class SupplierInvoiceLine(Model):
    """An invoice line, the order line it was matched to and what matching found."""

    __tablename__ = "supplier_invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("supplier_invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    line_ref: Mapped[str] = mapped_column(String(200))  # the invoice's own line id
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit_price: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    line_amount: Mapped[Decimal] = mapped_column(Money())
    deviations: Mapped[str] = mapped_column(String(200), default="")  # Deviation values, comma separated
    invoice: Mapped[SupplierInvoice] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine | None] = relationship()


class InvoiceTolerance(Model):
    """A municipality's matching tolerances; without a row the defaults apply (nothing over, price within 0)."""

    __tablename__ = "invoice_tolerances"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    price: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    three_way: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
