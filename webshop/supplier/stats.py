"""What coordinators and central buyers follow about suppliers: the collaboration's suppliers,
response-time statistics, items reported out of stock and quarantined documents (read only)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from webshop.catalogue.models import Agreement, Catalogue, CatalogueItem, CatalogueStatus, Supplier
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orders.models import Order, OrderDocument
from webshop.orgs.models import Organisation, User
from webshop.orgs.scoping import real_organisation_ids
from webshop.supplier import rules
from webshop.supplier.models import InboundDocument
from webshop.supplier.rules import InboundState


def collaboration_supplier_ids(collaboration_id: int) -> Select[int]:
    return select(Agreement.supplier_id).where(Agreement.collaboration_id == collaboration_id)


def collaboration_suppliers(collaboration_id: int) -> list[Supplier]:
    return list(db.session.scalars(select(Supplier).where(Supplier.id.in_(collaboration_supplier_ids(
        collaboration_id))).order_by(Supplier.name)))


def out_of_stock_items(collaboration_id: int) -> list[CatalogueItem]:
    return list(db.session.scalars(
        select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .join(Agreement, Agreement.id == Catalogue.agreement_id)
        .where(Agreement.collaboration_id == collaboration_id, Catalogue.status == CatalogueStatus.PUBLISHED,
               CatalogueItem.out_of_stock_reported_at.is_not(None))
        .options(joinedload(CatalogueItem.catalogue).joinedload(Catalogue.agreement).joinedload(Agreement.supplier))
        .order_by(CatalogueItem.out_of_stock_reported_at.desc()).limit(500)))


def quarantined(user: User, *, collaboration_wide: bool) -> list[InboundDocument]:
    """Quarantined documents. A coordinator sees those naming an order of their municipality
    (also answers refused for another supplier's key or an order never sent: inbound links
    them to the order they name); the central buyer sees the collaboration's, and those that
    name no order at all (malformed, unknown order) unless another collaboration's key sent them."""
    query = (select(InboundDocument).where(InboundDocument.state == InboundState.QUARANTINED)
             .options(selectinload(InboundDocument.order)).order_by(InboundDocument.id.desc()).limit(200))
    if not collaboration_wide:
        return list(db.session.scalars(query.join(Order, Order.id == InboundDocument.order_id).where(
            Order.organisation_id == user.organisation_id)))
    collaboration_id = user.organisation.collaboration_id
    members = select(Organisation.id).where(Organisation.collaboration_id == collaboration_id)
    ours = InboundDocument.order_id.in_(select(Order.id).where(Order.organisation_id.in_(members)))
    unlinked = InboundDocument.order_id.is_(None) & (
        InboundDocument.sent_by_supplier_id.is_(None)
        | InboundDocument.sent_by_supplier_id.in_(collaboration_supplier_ids(collaboration_id)))
    return list(db.session.scalars(query.where(ours | unlinked)))


def supplier_statistics(collaboration_id: int,
                        now: datetime | None = None) -> list[tuple[Supplier, rules.SupplierStats]]:
    """Per supplier in the collaboration: response time and the shares rejected / partial / late."""
    now = now or utcnow()
    members = select(Organisation.id).where(Organisation.collaboration_id == collaboration_id,
                                            Organisation.id.in_(real_organisation_ids()))  # never a training sandbox
    sent = db.session.execute(
        select(Order.id, Order.supplier_id, OrderDocument.delivered_at)
        .join(OrderDocument, OrderDocument.order_id == Order.id)
        .where(Order.organisation_id.in_(members), OrderDocument.delivered_at.is_not(None))).all()
    docs = db.session.execute(
        select(InboundDocument.order_id, InboundDocument.kind, InboundDocument.received_at,
               InboundDocument.response_code, InboundDocument.outcome)
        .where(InboundDocument.state == InboundState.PROCESSED,
               InboundDocument.order_id.in_([row.id for row in sent] or [-1]))
        .order_by(InboundDocument.received_at)).all()
    first: dict[int, dict[str, object]] = defaultdict(dict)
    for doc in docs:
        seen = first[doc.order_id]
        if doc.kind == "order_response":
            seen.setdefault("response_at", doc.received_at)
            seen.setdefault("code", doc.response_code)
            seen["partial"] = seen.get("partial", False) or doc.outcome == "partial"
        else:
            seen.setdefault("delivery_at", doc.received_at)
    outcomes: dict[int, list[rules.OrderOutcome]] = defaultdict(list)
    for row in sent:
        seen = first.get(row.id, {})
        outcomes[row.supplier_id].append(rules.OrderOutcome(
            sent_at=row.delivered_at, first_response_at=seen.get("response_at"),  # type: ignore[arg-type]
            response_code=seen.get("code"), partial=bool(seen.get("partial")),  # type: ignore[arg-type]
            first_delivery_at=seen.get("delivery_at")))  # type: ignore[arg-type]
    return [(s, rules.supplier_stats(outcomes.get(s.id, []), now)) for s in collaboration_suppliers(collaboration_id)]
