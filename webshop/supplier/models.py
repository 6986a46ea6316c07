"""Supplier settings (transport and simulator behaviour), messages the simulator will
send, inbound EHF documents as received, and the per-line status they produce."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webshop.catalogue.models import Supplier
from webshop.dbtypes import Quantity, ScaledDecimal, StrEnumType, UTCDateTime, utcnow
from webshop.extensions import Model
from webshop.orders.models import Order, OrderLine
from webshop.supplier.rules import Behaviour, InboundState, LineResponse, TransportKind


class SupplierSettings(Model):
    """How we reach a supplier, and (for training and demos) how its simulator answers."""

    __tablename__ = "supplier_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), unique=True)
    transport: Mapped[TransportKind] = mapped_column(StrEnumType(TransportKind, 20), default=TransportKind.FOLDER)
    endpoint_url: Mapped[str | None] = mapped_column(String(500))
    behaviour: Mapped[Behaviour] = mapped_column(StrEnumType(Behaviour, 20), default=Behaviour.OFF)
    out_of_stock_items: Mapped[str] = mapped_column(Text, default="")  # supplier item ids, comma separated
    out_of_stock_lines: Mapped[int] = mapped_column(Integer, default=0)
    backorder_days: Mapped[int] = mapped_column(Integer, default=0)  # >0: out-of-stock lines are back-ordered
    quantity_change_percent: Mapped[int] = mapped_column(Integer, default=0)
    price_change_percent: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=Decimal("0"))
    answer_delay_seconds: Mapped[int] = mapped_column(Integer, default=0)
    delivery_parts: Mapped[int] = mapped_column(Integer, default=1)
    part_interval_minutes: Mapped[int] = mapped_column(Integer, default=1440)
    # the simulator's invoices (issue 17): off, exact, partial, over, wrong_price, no_order
    invoice_behaviour: Mapped[str] = mapped_column(String(20), default="off", server_default="off")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # POST /api/v1/ehf/inbound: only a SHA-256 of the supplier's bearer token is kept (shown once when made)
    inbound_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    inbound_token_hint: Mapped[str | None] = mapped_column(String(12))
    inbound_token_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supplier: Mapped[Supplier] = relationship()


class SimulatedMessage(Model):
    """A document the simulated supplier will send at ``due_at`` (through the normal inbound path)."""

    __tablename__ = "simulated_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboundDocument(Model):
    """An EHF document received from a supplier, kept as received until the retention period ends."""

    __tablename__ = "inbound_documents"
    __table_args__ = (Index("ix_inbound_documents_dedup", "kind", "sender_endpoint", "document_id"),
                      Index("ix_inbound_documents_purge", "xml_purged_at", "received_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[InboundState] = mapped_column(StrEnumType(InboundState, 20), default=InboundState.RECEIVED,
                                                index=True)
    kind: Mapped[str | None] = mapped_column(String(30))  # "order_response" | "despatch_advice"
    document_id: Mapped[str | None] = mapped_column(String(200))
    sender_endpoint: Mapped[str | None] = mapped_column(String(60))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    response_code: Mapped[str | None] = mapped_column(String(2))
    outcome: Mapped[str | None] = mapped_column(String(30))  # accepted/rejected/partial/changed/delivered/late
    reason: Mapped[str | None] = mapped_column(Text)  # why quarantined, duplicate or ignored (shown to people)
    # what the sender was told instead, where the reason would reveal other orders (issue 10)
    public_reason: Mapped[str | None] = mapped_column(Text)
    # the raw XML is emptied after INBOUND_RETENTION_DAYS; the row (what was done, sha256) stays
    xml_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the supplier whose token sent it over HTTP: the document must be about that supplier's order
    sent_by_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    order: Mapped[Order | None] = relationship()
    supplier: Mapped[Supplier | None] = relationship(foreign_keys=[supplier_id])


class OrderLineStatus(Model):
    """What the supplier said and what arrived, per order line."""

    __tablename__ = "order_line_statuses"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    response: Mapped[LineResponse | None] = mapped_column(StrEnumType(LineResponse, 20))
    response_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_quantity: Mapped[Decimal | None] = mapped_column(Quantity())
    confirmed_price: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4))
    backorder_until: Mapped[date | None] = mapped_column(Date)
    supplier_note: Mapped[str | None] = mapped_column(Text)
    delivered_quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    received_quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    damaged_quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reordered_as_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    # The missing rest went into the orderer's cart as a substitute, for a last look (issue 15).
    replaced_in_cart_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    line: Mapped[OrderLine] = relationship()
