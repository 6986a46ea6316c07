"""The built-in supplier simulator at work: when an order reaches a simulated supplier, its
answers (real EHF documents from ``simulator.py``) are scheduled; the worker sends them when
due and they come back through the normal inbound path."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from ehf.order import parse_order
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.logs import fields
from webshop.orders.models import Order, OrderDocument
from webshop.orgs.scoping import is_real_organisation, sandbox_settings
from webshop.supplier.models import SimulatedMessage, SupplierSettings
from webshop.supplier.rules import Behaviour
from webshop.supplier.simulated_invoices import scheduled_invoices
from webshop.supplier.simulator import SimConfig, simulate

log = logging.getLogger(__name__)


def sim_config(settings: SupplierSettings) -> SimConfig:
    return SimConfig.from_text(
        settings.behaviour, settings.out_of_stock_items or "",
        out_of_stock_lines=settings.out_of_stock_lines or 0, backorder_days=settings.backorder_days or 0,
        quantity_change_percent=settings.quantity_change_percent or 0,
        price_change_percent=settings.price_change_percent or Decimal(0),
        answer_delay=timedelta(seconds=settings.answer_delay_seconds or 0),
        delivery_parts=max(1, settings.delivery_parts or 1),
        part_interval=timedelta(minutes=settings.part_interval_minutes or 0))


def sandbox_supplier(order: Order, settings: SupplierSettings | None) -> SupplierSettings:
    """A training sandbox's order reached no real supplier, so the simulator always answers it: as
    the lab's condition says, else as this supplier's simulator is set, else by accepting it. The
    returned settings are not stored (the supplier's own row stays as it is)."""
    wanted = sandbox_settings(order.organisation_id).supplier_behaviour
    if not wanted and settings is not None and settings.behaviour not in (Behaviour.OFF,):
        return settings
    answer = SupplierSettings(supplier_id=order.supplier_id, behaviour=Behaviour(wanted or Behaviour.ACCEPT))
    if settings is not None:
        for key in ("out_of_stock_items", "out_of_stock_lines", "backorder_days", "quantity_change_percent",
                    "price_change_percent", "delivery_parts", "part_interval_minutes", "invoice_behaviour"):
            setattr(answer, key, getattr(settings, key))
    if answer.behaviour is Behaviour.PARTIAL and not answer.out_of_stock_items and not answer.out_of_stock_lines:
        answer.out_of_stock_lines = 2  # the study's situation: two lines out of stock
    return answer


def order_delivered(order: Order, document: OrderDocument, *, now: datetime) -> int:
    """A simulated supplier received ``document``: schedule its answers; return how many."""
    settings = db.session.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == order.supplier_id))
    if not is_real_organisation(order.organisation):
        settings = sandbox_supplier(order, settings)
    if settings is None or settings.behaviour in (Behaviour.OFF, Behaviour.SILENT):
        return 0
    sent = parse_order(document.xml)  # the simulator reads the real EHF order, as a supplier would
    answers = simulate(sent, sim_config(settings), now)
    answers += scheduled_invoices(sent, settings.invoice_behaviour or "off", answers, now)
    for answer in answers:
        db.session.add(SimulatedMessage(supplier_id=order.supplier_id, order_id=order.id, kind=answer.kind,
                                        xml=answer.xml, due_at=now + answer.delay))
    db.session.flush()
    return len(answers)


def schedule_answers(order: Order, **_signal: object) -> None:
    """``signals.sent`` receiver. The message is out: a simulator problem must not undo that (or
    cause endless resends), so it is logged and its own savepoint rolled back."""
    document = db.session.scalar(select(OrderDocument).where(
        OrderDocument.order_id == order.id, OrderDocument.delivered_at.is_not(None))
        .order_by(OrderDocument.id.desc()).limit(1))
    if document is None:
        return
    try:
        with db.session.begin_nested():
            order_delivered(order, document, now=document.delivered_at or utcnow())
    except Exception:
        log.exception("Supplier simulator failed for order %s", order.number, extra=fields(order=order.number))
