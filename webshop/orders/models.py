"""Orders (one per supplier per submitted cart), their lines with price snapshots,
the EHF documents they produced, and the append-only audit trail."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.catalogue.models import Agreement, CatalogueItem, Supplier
from webshop.dbtypes import Money, Quantity, ScaledDecimal, StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.orders.rules import DeliveryState, OrderStatus
from webshop.orgs.models import Organisation, Unit, User


class Order(Model):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    orderer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(StrEnumType(OrderStatus, 30), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    buyer_reference: Mapped[str | None] = mapped_column(String(100))
    total: Mapped[Decimal] = mapped_column(Money())  # excl. VAT
    vat_total: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="NOK")

    organisation: Mapped[Organisation] = relationship()
    unit: Mapped[Unit] = relationship()
    supplier: Mapped[Supplier] = relationship()
    agreement: Mapped[Agreement | None] = relationship()
    orderer: Mapped[User] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )
    events: Mapped[list[AuditEvent]] = relationship(order_by="AuditEvent.id", viewonly=True)
    documents: Mapped[list[OrderDocument]] = relationship(order_by="OrderDocument.id", viewonly=True)

    @property
    def number(self) -> str:
        """The order number the supplier sees (cbc:ID in the EHF order)."""
        return f"IK-{self.id:06d}"

    @property
    def total_incl_vat(self) -> Decimal:
        return self.total + self.vat_total

    @property
    def has_free_text(self) -> bool:
        return any(line.is_free_text for line in self.lines)


class OrderLine(Model):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_items.id"))
    is_free_text: Mapped[bool] = mapped_column(Boolean, default=False)
    supplier_item_id: Mapped[str | None] = mapped_column(String(60))
    manufacturer_item_id: Mapped[str | None] = mapped_column(String(60))
    gtin: Mapped[str | None] = mapped_column(String(14))
    unspsc: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(300))
    unit_code: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit_price: Mapped[Decimal] = mapped_column(ScaledDecimal(4))  # snapshot at submit
    list_price: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    vat_rate: Mapped[Decimal] = mapped_column(ScaledDecimal(2))
    line_total: Mapped[Decimal] = mapped_column(Money())
    order: Mapped[Order] = relationship(back_populates="lines")
    item: Mapped[CatalogueItem | None] = relationship()


class OrderDocument(Model):
    """An EHF message built for an order, kept as sent (the XML is the record)."""

    __tablename__ = "order_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # "order"
    message_id: Mapped[str] = mapped_column(String(36), unique=True)  # stable id: a resend is a duplicate
    filename: Mapped[str] = mapped_column(String(200))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_ref: Mapped[str | None] = mapped_column(String(500))
    delivery_error: Mapped[str | None] = mapped_column(Text)
    # Outbox bookkeeping for the delivery worker (webshop/delivery/worker.py).
    state: Mapped[DeliveryState] = mapped_column(StrEnumType(DeliveryState, 20), default=DeliveryState.QUEUED,
                                                 server_default=DeliveryState.QUEUED.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEvent(Model):
    """Append-only log of who did what when. An order's timeline is its events."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[User | None] = relationship()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _audit_is_append_only(mapper, connection, target) -> None:
    raise RuntimeError("The audit log is append-only.")
