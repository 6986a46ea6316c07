"""Demo data for catalogue search (issue 5): synonyms, a favourite that has gone out of the
range (so it shows a substitute), and a failed search for the central buyer's quality report."""
from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from webshop.catalogue.models import (
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    Favourite,
    SearchLog,
    SynonymGroup,
)
from webshop.catalogue.services import live_catalogues_for
from webshop.extensions import db
from webshop.orgs.models import Collaboration, User

DEMO_ORDERER = "ola.brekke@fjellbygd.kommune.no"
FAILED_SEARCHES = ("laminatorlommer", "laminatorlommer", "ståldunk med lokk")


def load_catalogue_extras(collaboration: Collaboration, data_dir: Path) -> None:
    data = tomllib.loads((data_dir / "synonyms.toml").read_text(encoding="utf-8"))
    for terms in data["groups"]:
        db.session.add(SynonymGroup(collaboration_id=collaboration.id, terms=terms))
    orderer = db.session.scalar(select(User).where(User.email == DEMO_ORDERER))
    if orderer is None:
        return
    gone = db.session.scalar(
        select(CatalogueItem).join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .where(CatalogueItem.discontinued.is_(True), Catalogue.status == CatalogueStatus.PUBLISHED,
               CatalogueItem.catalogue_id.in_(live_catalogues_for(orderer.organisation_id)))
        .order_by(CatalogueItem.id).limit(1))
    if gone is not None:
        db.session.add(Favourite(user_id=orderer.id, agreement_id=gone.catalogue.agreement_id,
                                 supplier_item_id=gone.supplier_item_id, item_id=gone.id))
    for query in FAILED_SEARCHES:
        db.session.add(SearchLog(organisation_id=orderer.organisation_id, user_id=orderer.id, query=query, results=0))
    db.session.flush()
