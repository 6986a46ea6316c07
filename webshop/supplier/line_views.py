"""The order page's supplier section: each line with its state, what is missing, and a
substitute to re-order instead (a few queries whatever the line count)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select

from webshop.catalogue import packs
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
    """The best substitute per line: items of the same UNSPSC family in the same agreement's live
    catalogue that the organisation may order now, ranked by category, unit and pack similarity and
    the words of the name (catalogue.packs), then price (one query)."""
    ranked = ranked_substitutes(order, lines)
    return {line_id: items[0] for line_id, items in ranked.items() if items}


def ranked_substitutes(order: Order, lines: list[OrderLine], limit: int = 3) -> dict[int, list[CatalogueItem]]:
    families = {line.unspsc[:4] for line in lines if line.unspsc and not line.is_free_text}
    if not families or order.agreement_id is None:
        return {}
    candidates = list(db.session.scalars(
        select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .where(Catalogue.agreement_id == order.agreement_id,
               or_(*(CatalogueItem.unspsc.startswith(f) for f in families)),
               CatalogueItem.catalogue_id.in_(live_catalogues_for(order.organisation_id)),
               CatalogueItem.discontinued.is_(False), CatalogueItem.out_of_stock_reported_at.is_(None))
        .order_by(CatalogueItem.price, CatalogueItem.id)))
    found: dict[int, list[CatalogueItem]] = {}
    for line in lines:
        if not line.unspsc or line.is_free_text:
            continue
        old = line_content(line)
        scored = [(packs.similarity(line.name, line.unspsc, line.unit_code, old, c.name, c.unspsc, c.unit_code,
                                    item_content(c)), c) for c in candidates
                  if c.unspsc and c.unspsc[:4] == line.unspsc[:4] and c.supplier_item_id != line.supplier_item_id]
        scored.sort(key=lambda pair: -pair[0])  # stable: the cheaper of two equally alike items first
        found[line.id] = [c for _score, c in scored[:limit]]
    return found


def item_content(item: CatalogueItem) -> packs.Content | None:
    return packs.content(item.name, item.unit_code, item.pack_size)


def line_content(line: OrderLine) -> packs.Content | None:
    return packs.content(line.name, line.unit_code, line.item.pack_size if line.item is not None else None)


def substitute_for(order: Order, line: OrderLine) -> CatalogueItem | None:
    return substitutes_for(order, [line]).get(line.id)
