"""The order page's supplier section: each line with its state, what is missing, and a
substitute to re-order instead (a few queries whatever the line count)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from webshop.catalogue.models import Catalogue, CatalogueItem
from webshop.catalogue.services import live_catalogues_for
from webshop.extensions import db
from webshop.orders.models import Order, OrderLine
from webshop.supplier import rules
from webshop.supplier.followup import facts
from webshop.supplier.models import OrderLineStatus
from webshop.supplier.rules import LineState


@dataclass(frozen=True)
class LineView:
    line: OrderLine
    status: OrderLineStatus | None
    state: LineState
    missing: Decimal
    substitute: CatalogueItem | None


def line_views(order: Order, *, with_substitutes: bool = False) -> list[LineView]:
    """Each line with its status and what is missing: two or three queries whatever the line count."""
    rows = {s.order_line_id: s for s in db.session.scalars(
        select(OrderLineStatus).where(OrderLineStatus.order_id == order.id))}
    facts_by_line = {line.id: facts(line, rows.get(line.id)) for line in order.lines}
    missing = {line_id: rules.missing_quantity(f) for line_id, f in facts_by_line.items()}
    subs = substitutes_for(order, [ln for ln in order.lines if missing[ln.id] > 0]) if with_substitutes else {}
    return [LineView(line, rows.get(line.id), rules.line_state(facts_by_line[line.id]), missing[line.id],
                     subs.get(line.id)) for line in order.lines]


def substitutes_for(order: Order, lines: list[OrderLine]) -> dict[int, CatalogueItem]:
    """A simple substitute per line: the cheapest item with the same UNSPSC in the same agreement's live
    catalogue that the organisation may order now, not discontinued, not reported out of stock (one query)."""
    codes = {line.unspsc for line in lines if line.unspsc and not line.is_free_text}
    if not codes or order.agreement_id is None:
        return {}
    candidates = list(db.session.scalars(
        select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .where(Catalogue.agreement_id == order.agreement_id, CatalogueItem.unspsc.in_(codes),
               CatalogueItem.catalogue_id.in_(live_catalogues_for(order.organisation_id)),
               CatalogueItem.discontinued.is_(False), CatalogueItem.out_of_stock_reported_at.is_(None))
        .order_by(CatalogueItem.price, CatalogueItem.id)))
    found = {}
    for line in lines:
        item = next((c for c in candidates if c.unspsc == line.unspsc and c.supplier_item_id != line.supplier_item_id),
                    None)
        if item is not None:
            found[line.id] = item
    return found


def substitute_for(order: Order, line: OrderLine) -> CatalogueItem | None:
    return substitutes_for(order, [line]).get(line.id)
