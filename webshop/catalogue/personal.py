"""What people order again and again: favourites, unit templates, "ordered before", reorder,
and substitutes for items that are discontinued or out of stock.

Favourites and template lines remember an item by agreement + supplier item number,
so they follow the item into new catalogue versions; when the live version no longer
offers it (or offers it as discontinued) the item is shown with substitutes.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from flask_babel import gettext
from sqlalchemy import Integer, func, select, tuple_
from sqlalchemy.orm import joinedload

from webshop.cart.models import CartLine
from webshop.cart.services import CartError, add_item, remove_line
from webshop.catalogue.models import (
    Agreement,
    Catalogue,
    CatalogueItem,
    Favourite,
    ItemCuration,
    OrderTemplate,
    OrderTemplateLine,
)
from webshop.catalogue.services import Facets, live_catalogues_for, orderable_filter, search_items
from webshop.extensions import db
from webshop.orders.models import Order, OrderLine
from webshop.orgs.models import Role, User
from webshop.search.index import item_key

SUBSTITUTES = 3


@dataclass(frozen=True)
class Remembered:
    """A saved item as it stands in the live catalogue now."""

    saved: CatalogueItem  # the version it was saved from
    live: CatalogueItem | None  # orderable now, or None
    substitutes: list[CatalogueItem]
    ref_id: int  # the favourite or template line id

    @property
    def unavailable(self) -> bool:
        return self.live is None


def live_items_by_key(organisation_id: int, keys: list[tuple[int, str]]) -> dict[tuple[int, str], CatalogueItem]:
    """(agreement id, supplier item id) → the orderable item of the live version."""
    if not keys:
        return {}
    rows = db.session.scalars(
        select(CatalogueItem)
        .join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .where(CatalogueItem.catalogue_id.in_(live_catalogues_for(organisation_id)),
               tuple_(Catalogue.agreement_id, CatalogueItem.supplier_item_id).in_(keys),
               CatalogueItem.discontinued.is_(False), CatalogueItem.out_of_stock_reported_at.is_(None))
        .options(joinedload(CatalogueItem.catalogue).joinedload(Catalogue.agreement).joinedload(Agreement.supplier)))
    curated = tuple_(ItemCuration.agreement_id, ItemCuration.supplier_item_id)
    hidden = {(a, s) for a, s in db.session.execute(select(ItemCuration.agreement_id, ItemCuration.supplier_item_id)
                                                    .where(ItemCuration.hidden.is_(True), curated.in_(keys)))}
    return {(i.catalogue.agreement_id, i.supplier_item_id): i for i in rows
            if (i.catalogue.agreement_id, i.supplier_item_id) not in hidden}


def substitutes_for(organisation_id: int, item: CatalogueItem, limit: int = SUBSTITUTES) -> list[CatalogueItem]:
    """Orderable items like ``item``: its name searched within its UNSPSC family, same agreement first."""
    family = (item.unspsc or "")[:4] or None
    candidates: list[CatalogueItem] = []
    for query in _substitute_queries(item.name):
        page = search_items(organisation_id, query, page_size=20, facets=Facets(category=family))
        candidates = [c for c in page.items if c.supplier_item_id != item.supplier_item_id and not c.discontinued
                      and c.out_of_stock_reported_at is None]
        if candidates:
            break
    same = item.catalogue.agreement_id if item.catalogue else None
    candidates.sort(key=lambda c: c.catalogue.agreement_id != same)  # stable: keeps relevance within groups
    return candidates[:limit]


def _substitute_queries(name: str) -> list[str]:
    words = [w for w in name.split() if len(w) >= 3 and any(ch.isalpha() for ch in w)]
    return [" ".join(words[:2]), words[0]] if words else [""]


def remembered(user: User, refs: list[tuple[int, int, str, CatalogueItem]]) -> list[Remembered]:
    live = live_items_by_key(user.organisation_id, [(a, s) for _, a, s, _ in refs])
    out = []
    for ref_id, agreement_id, sid, saved in refs:
        now = live.get((agreement_id, sid))
        subs = [] if now is not None else substitutes_for(user.organisation_id, saved)
        out.append(Remembered(saved, now, subs, ref_id))
    return out


def favourites_of(user: User) -> list[Remembered]:
    favs = db.session.scalars(select(Favourite).where(Favourite.user_id == user.id).order_by(Favourite.id)
                              .options(joinedload(Favourite.item).joinedload(CatalogueItem.catalogue))).all()
    return remembered(user, [(f.id, f.agreement_id, f.supplier_item_id, f.item) for f in favs])


def favourite_keys(user: User) -> set[tuple[int, str]]:
    rows = db.session.execute(select(Favourite.agreement_id, Favourite.supplier_item_id)
                              .where(Favourite.user_id == user.id))
    return {(a, s) for a, s in rows}


def add_favourite(user: User, item_id: int) -> Favourite:
    item = db.session.scalar(select(CatalogueItem).where(
        CatalogueItem.id == item_id, CatalogueItem.catalogue_id.in_(live_catalogues_for(user.organisation_id))))
    if item is None:
        raise CartError("Varen finnes ikke i katalogene dine.")
    agreement_id = item.catalogue.agreement_id
    found = db.session.scalar(select(Favourite).where(
        Favourite.user_id == user.id, Favourite.agreement_id == agreement_id,
        Favourite.supplier_item_id == item.supplier_item_id))
    if found is None:
        found = Favourite(user_id=user.id, agreement_id=agreement_id, supplier_item_id=item.supplier_item_id,
                          item_id=item.id)
        db.session.add(found)
        db.session.flush()
    return found


def remove_favourite(user: User, favourite_id: int) -> bool:
    fav = db.session.get(Favourite, favourite_id)
    if fav is None or fav.user_id != user.id:
        return False
    db.session.delete(fav)
    db.session.flush()
    return True


def ordered_before(user: User, limit: int = 30) -> list[tuple[CatalogueItem, int, bool]]:
    """Live items the user or the user's units ordered before: (item, times ordered, by the user)."""
    units = user.unit_ids(Role.ORDERER) | user.unit_ids(Role.APPROVER) | user.unit_ids(Role.UNIT_MANAGER)
    # The WHERE keeps catalogue lines only, so agreement and item number are never None.
    rows = cast(list[tuple[int, str, int, int]], db.session.execute(
        select(Order.agreement_id, OrderLine.supplier_item_id, func.count(OrderLine.id),
               func.max((Order.orderer_id == user.id).cast(Integer)))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.organisation_id == user.organisation_id, OrderLine.is_free_text.is_(False),
               Order.agreement_id.is_not(None),
               (Order.orderer_id == user.id) | Order.unit_id.in_(units or {-1}))
        .group_by(Order.agreement_id, OrderLine.supplier_item_id)
        .order_by(func.count(OrderLine.id).desc()).limit(limit)).all())
    live = live_items_by_key(user.organisation_id, [(a, s) for a, s, _, _ in rows])
    return [(live[(a, s)], n, bool(mine)) for a, s, n, mine in rows if (a, s) in live]


def boost_keys_for(user: User) -> frozenset[str]:
    keys = {item_key(a, s) for a, s in favourite_keys(user)}
    keys |= {item_key(i.catalogue.agreement_id, i.supplier_item_id) for i, _, _ in ordered_before(user, 200)}
    return frozenset(keys)


def reorder(user: User, order: Order) -> tuple[int, list[str]]:
    """Put the catalogue lines of an earlier order in the cart; return (lines added, names not available)."""
    live = live_items_by_key(user.organisation_id, [(order.agreement_id or 0, line.supplier_item_id or "")
                                                     for line in order.lines if not line.is_free_text])
    added, missing = 0, []
    for line in order.lines:
        if line.is_free_text:
            continue
        item = live.get((order.agreement_id or 0, line.supplier_item_id or ""))
        if item is None:
            missing.append(line.name)
            continue
        add_item(user, item.id, line.quantity)
        added += 1
    return added, missing


# --- order templates per unit ---------------------------------------------------------------------------

def templates_for(user: User) -> list[OrderTemplate]:
    units = user.unit_ids(Role.ORDERER)
    if not units:
        return []
    return list(db.session.scalars(select(OrderTemplate).where(OrderTemplate.unit_id.in_(units))
                                   .order_by(OrderTemplate.name)
                                   .options(joinedload(OrderTemplate.lines).joinedload(OrderTemplateLine.item)))
                .unique())


def template_from_order(user: User, order: Order, name: str) -> OrderTemplate:
    """Save the catalogue lines of ``order`` as a template for the order's unit."""
    if order.unit_id not in user.unit_ids(Role.ORDERER):
        raise CartError("Du kan bare lage maler for enheter du bestiller til.")
    template = OrderTemplate(unit_id=order.unit_id, name=name.strip()[:100], created_by_id=user.id)
    for line in order.lines:
        if not line.is_free_text and line.item_id and order.agreement_id:
            template.lines.append(OrderTemplateLine(agreement_id=order.agreement_id,
                                                    supplier_item_id=line.supplier_item_id or "",
                                                    item_id=line.item_id, quantity=line.quantity))
    if not template.lines:
        raise CartError("Ordren har ingen katalogvarer å lage mal av.")
    db.session.add(template)
    db.session.flush()
    return template


def template_to_cart(user: User, template: OrderTemplate) -> tuple[int, list[str]]:
    live = live_items_by_key(user.organisation_id, [(t.agreement_id, t.supplier_item_id) for t in template.lines])
    added, missing = 0, []
    for line in template.lines:
        item = live.get((line.agreement_id, line.supplier_item_id))
        if item is None:
            missing.append(line.item.name)
            continue
        add_item(user, item.id, line.quantity)
        added += 1
    return added, missing


def can_use_template(user: User, template: OrderTemplate) -> bool:
    """The unit's orderers use, edit and delete its templates (issue 15)."""
    return template.unit_id in user.unit_ids(Role.ORDERER)


def update_template(user: User, template: OrderTemplate, *, name: str, quantities: dict[int, Decimal],
                    removed: set[int]) -> OrderTemplate:
    """Rename the template, change its lines' quantities and drop lines; at least one line stays."""
    if not can_use_template(user, template):
        raise CartError(gettext("Du kan bare endre maler for enheter du bestiller til."))
    if not name.strip():
        raise CartError(gettext("Gi malen et navn."))
    keep = [line for line in template.lines if line.id not in removed]
    if not keep:
        raise CartError(gettext("En mal må ha minst én vare. Slett malen hvis du ikke trenger den."))
    template.name = name.strip()[:100]
    for line in list(template.lines):
        if line.id in removed:
            template.lines.remove(line)
        elif line.id in quantities:
            line.quantity = quantities[line.id]
    db.session.flush()
    return template


def delete_template(user: User, template: OrderTemplate) -> None:
    if not can_use_template(user, template):
        raise CartError(gettext("Du kan bare slette maler for enheter du bestiller til."))
    db.session.delete(template)
    db.session.flush()



# --- cart lines whose item is gone -------------------------------------------------------------------------

def cart_line_status(user: User, lines: list[Any]) -> dict[int, Remembered]:  # CartLine rows
    """For each catalogue line of the cart (``CartLine``): the item as the live catalogue offers it now.

    ``live`` is None when the item is discontinued, out of stock, hidden or no longer in
    the live version (then ``substitutes`` are offered); a ``live`` item with another id
    than the line's means the catalogue got a new version and the line should follow it.
    """
    catalogue_lines = [line for line in lines if line.item_id is not None]
    if not catalogue_lines:
        return {}
    agreements = {item_id: agreement_id for item_id, agreement_id in db.session.execute(
        select(CatalogueItem.id, Catalogue.agreement_id).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .where(CatalogueItem.id.in_({line.item_id for line in catalogue_lines})))}
    refs = [(line.id, agreements[line.item_id], line.item.supplier_item_id, line.item) for line in catalogue_lines
            if line.item_id in agreements]
    return {r.ref_id: r for r in remembered(user, refs) if r.live is None or r.live.id != r.saved.id}


def replace_cart_line(user: User, line_id: int, item_id: int) -> None:
    """Swap a cart line for a substitute (or the item's new catalogue version), keeping the quantity."""
    line = db.session.scalar(select(CartLine).where(CartLine.id == line_id, CartLine.user_id == user.id))
    if line is None or line.item_id is None:
        raise LookupError(line_id)
    if line.item_id == item_id:
        return
    quantity = line.quantity
    remove_line(user, line_id)
    add_item(user, item_id, quantity)


def refusal_to_order(organisation_id: int, item_id: int) -> str | None:
    """Why the organisation may not order item ``item_id`` now, with substitutes to try; None if it may.

    The cart (add) and submit ask this, so a hidden, discontinued or sold-out item cannot be ordered by
    posting its id. An item outside the organisation's live catalogues is "not found", nothing more.
    """
    if db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.id == item_id,
                                                        orderable_filter(organisation_id))) is not None:
        return None
    item = db.session.scalar(select(CatalogueItem).where(
        CatalogueItem.id == item_id, CatalogueItem.catalogue_id.in_(live_catalogues_for(organisation_id))))
    if item is None:
        return str(gettext("Varen finnes ikke i katalogene dine."))  # Flask-Babel is untyped
    if item.discontinued:
        why = gettext("varen er utgått")
    elif item.out_of_stock_reported_at is not None:
        why = gettext("leverandøren har meldt at varen er utsolgt")
    else:
        why = gettext("varen er tatt ut av katalogen")
    substitutes = substitutes_for(organisation_id, item)
    if not substitutes:
        return str(gettext("%(name)s kan ikke bestilles: %(why)s. Vi fant ingen erstatning; søk i katalogen.",
                           name=item.name, why=why))
    names = ", ".join(f"{s.name} ({s.supplier_item_id})" for s in substitutes)
    return str(gettext("%(name)s kan ikke bestilles: %(why)s. Forslag: %(substitutes)s.",
                       name=item.name, why=why, substitutes=names))
