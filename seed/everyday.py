"""Issue 15's demo data: a unit template, so the orderer's start page shows one-click ordering."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from webshop.catalogue.models import (
    Agreement,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    OrderTemplate,
    OrderTemplateLine,
)
from webshop.extensions import db
from webshop.orgs.models import Unit, User

TEMPLATE = ("fjellbygd-skole", "ola.brekke@fjellbygd.kommune.no", "Kontoret hver mandag",
            (("KH-10102", "5"), ("KH-10230", "2"), ("KH-10172", "10")))


def load_everyday_demo(units: dict[str, Unit], users: dict[str, User]) -> None:
    unit_key, email, name, lines = TEMPLATE
    template = OrderTemplate(unit_id=units[unit_key].id, name=name, created_by_id=users[email].id)
    for supplier_item_id, quantity in lines:
        item = db.session.scalar(
            select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
            .join(Agreement, Agreement.id == Catalogue.agreement_id)
            .where(Catalogue.status == CatalogueStatus.PUBLISHED, CatalogueItem.supplier_item_id == supplier_item_id))
        if item is not None:
            template.lines.append(OrderTemplateLine(agreement_id=item.catalogue.agreement_id,
                                                    supplier_item_id=supplier_item_id, item_id=item.id,
                                                    quantity=Decimal(quantity)))
    if template.lines:
        db.session.add(template)
        db.session.flush()
