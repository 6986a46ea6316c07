"""Load the demo collaboration from seed/data/ into the database.

Everything goes through the same services a user's clicks go through (cart,
submit, approve, deliver), so demo orders carry real, validated EHF files and a
real audit trail. The clock is set back per order so the timeline looks lived-in.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from ehf.orgnr import is_valid_orgnr
from ehf.profiles import Profile
from seed.leader import leader_accounts, load_leader_demo
from seed.policies import load_policies, policy_accounts, policy_orders
from webshop.approvals import services as approvals
from webshop.cart import services as cart
from webshop.catalogue.csv_import import read_file
from webshop.catalogue.models import Agreement, CatalogueItem, Supplier
from webshop.catalogue.publish import import_catalogue
from webshop.dbtypes import clock_set_to, utcnow
from webshop.delivery.worker import deliver_due
from webshop.extensions import db
from webshop.orders import services as orders
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Collaboration, Organisation, Role, RoleAssignment, Unit, UnitKind, User

DATA_DIR = Path(__file__).resolve().parent / "data"


# Short names in demo.toml for the profiles a Norwegian supplier may expect.
SUPPLIER_PROFILES = {"ehf": Profile.EHF_ORDERING, "peppol": Profile.BIS_ORDERING}


class SeedError(Exception):
    pass


@dataclass
class SeedResult:
    collaboration: str
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # email, password, name, roles
    orders: int = 0


def database_is_empty() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is None


def reset_database() -> None:
    """Delete every row (children first), keeping the schema."""
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "alembic_version":
            db.session.execute(table.delete())
    db.session.flush()


def load_demo(data_dir: Path = DATA_DIR, *, reset: bool = False) -> SeedResult:
    data = tomllib.loads((data_dir / "demo.toml").read_text(encoding="utf-8"))
    name = data["collaboration"]["name"]
    if not database_is_empty():
        if reset:
            reset_database()
        elif db.session.scalar(select(Collaboration).where(Collaboration.name == name)) is not None:
            return _accounts(SeedResult(name), data)  # already loaded: nothing to do (the accounts again)
        else:
            raise SeedError("Databasen har allerede data. Bruk --reset for å slette alt og laste demodata.")
    collaboration = Collaboration(name=name)
    db.session.add(collaboration)
    db.session.flush()
    orgs, units = _organisations(collaboration, data["organisations"])
    users = _users(data["users"], orgs, units)
    suppliers = _suppliers(data["suppliers"])
    discontinued = _agreements(collaboration, data["agreements"], suppliers, orgs, data_dir)
    result = _accounts(SeedResult(name), data)
    load_policies(orgs, units, users)  # before the demo orders, so each takes its municipality's route
    result.orders = _orders(data.get("orders", []) + policy_orders(), units, users, suppliers)
    # Items go out of the range after the demo orders that bought them were placed.
    db.session.execute(update(CatalogueItem).where(CatalogueItem.id.in_(discontinued)).values(discontinued=True))
    from seed.catalogue_extras import load_catalogue_extras  # issue 5: synonyms, favourite, failed searches

    load_catalogue_extras(collaboration, data_dir)
    load_leader_demo(orgs, units, data_dir)  # issue 13: leaders, targets, accounting exports
    from seed.everyday import load_everyday_demo  # issue 15: a template for the start page

    load_everyday_demo(units, users)
    return result


def _accounts(result: SeedResult, data: dict[str, Any]) -> SeedResult:
    for u in data["users"]:
        roles = ", ".join(f"{r['role']}" + (f"@{r['unit']}" if r.get("unit") else "") for r in u["roles"])
        result.accounts.append((u["email"], u["password"], u["name"], roles))
    result.accounts += policy_accounts()  # e.g. the sector director the Storvika policy adds
    result.accounts += leader_accounts()  # issue 13: a leader per municipality
    return result


def _organisations(collaboration: Collaboration, rows: list[dict[str, Any]]
                   ) -> tuple[dict[str, Organisation], dict[str, Unit]]:
    orgs: dict[str, Organisation] = {}
    units: dict[str, Unit] = {}
    for row in rows:
        if not is_valid_orgnr(row["orgnr"]):
            raise SeedError(f"{row['name']}: organisasjonsnummer {row['orgnr']} har feil kontrollsiffer")
        org = Organisation(collaboration_id=collaboration.id, key=row["key"], name=row["name"], orgnr=row["orgnr"])
        db.session.add(org)
        db.session.flush()
        orgs[org.key] = org
        for u in row.get("units", []):
            unit = Unit(organisation_id=org.id, key=u["key"], name=u["name"], kind=UnitKind(u["kind"]),
                        street=u["street"], postcode=u["postcode"], city=u["city"], cost_centre=u.get("cost_centre"))
            db.session.add(unit)
            units[u["key"]] = unit
    db.session.flush()
    return orgs, units


def _users(rows: list[dict[str, Any]], orgs: dict[str, Organisation], units: dict[str, Unit]) -> dict[str, User]:
    users: dict[str, User] = {}
    for row in rows:
        user = User(email=row["email"].lower(), name=row["name"], organisation_id=orgs[row["organisation"]].id)
        user.set_password(row["password"])
        for r in row["roles"]:
            role = Role(r["role"])
            unit = units[r["unit"]] if r.get("unit") else None
            if role.is_unit_role and unit is None:
                raise SeedError(f"{row['email']}: rollen {role} trenger en enhet")
            user.roles.append(RoleAssignment(role=role, unit_id=unit.id if unit else None))
        db.session.add(user)
        users[user.email] = user
    db.session.flush()
    return users


def _suppliers(rows: list[dict[str, Any]]) -> dict[str, Supplier]:
    suppliers = {}
    for row in rows:
        if not is_valid_orgnr(row["orgnr"]):
            raise SeedError(f"{row['name']}: organisasjonsnummer {row['orgnr']} har feil kontrollsiffer")
        supplier = Supplier(
            key=row["key"], name=row["name"], orgnr=row["orgnr"], endpoint_scheme="0192", endpoint_id=row["orgnr"],
            profile=SUPPLIER_PROFILES.get(row.get("profile", "ehf")) or Profile(row["profile"]),
            street=row["street"], postcode=row["postcode"],
            city=row["city"], min_order_value=Decimal(row.get("min_order_value", "0")),
            delivery_days=row.get("delivery_days"),
        )
        db.session.add(supplier)
        suppliers[supplier.key] = supplier
    db.session.flush()
    from webshop.supplier.settings import seed_settings  # issue 6: simulated suppliers for demos

    for row in rows:
        seed_settings(suppliers[row["key"]], row)
    db.session.flush()
    return suppliers


def _agreements(collaboration: Collaboration, rows: list[dict[str, Any]], suppliers: dict[str, Supplier],
                orgs: dict[str, Organisation], data_dir: Path) -> list[int]:
    """Create agreements with live catalogues; return the ids of items to discontinue later."""
    discontinued: list[int] = []
    for row in rows:
        agreement = Agreement(
            collaboration_id=collaboration.id, reference=row["reference"], title=row["title"],
            supplier_id=suppliers[row["supplier"]].id, valid_from=date.fromisoformat(row["valid_from"]),
            valid_to=date.fromisoformat(row["valid_to"]), members=[orgs[k] for k in row["members"]],
        )
        db.session.add(agreement)
        db.session.flush()
        items = read_file(str(data_dir / row["catalogue"]))
        catalogue = import_catalogue(agreement, [replace(i, discontinued=False) for i in items])
        gone = [i.supplier_item_id for i in items if i.discontinued]
        discontinued += db.session.scalars(select(CatalogueItem.id).where(
            CatalogueItem.catalogue_id == catalogue.id, CatalogueItem.supplier_item_id.in_(gone)))
    return discontinued


def _item(supplier: Supplier, supplier_item_id: str) -> CatalogueItem:
    from webshop.catalogue.models import Catalogue, CatalogueStatus

    item = db.session.scalar(
        select(CatalogueItem)
        .join(Catalogue, Catalogue.id == CatalogueItem.catalogue_id)
        .join(Agreement, Agreement.id == Catalogue.agreement_id)
        .where(Agreement.supplier_id == supplier.id, Catalogue.status == CatalogueStatus.PUBLISHED,
               CatalogueItem.supplier_item_id == supplier_item_id)
    )
    if item is None:
        raise SeedError(f"Fant ikke vare {supplier_item_id} hos {supplier.name}")
    return item


def _orders(rows: list[dict[str, Any]], units: dict[str, Unit], users: dict[str, User],
            suppliers: dict[str, Supplier]) -> int:
    now = utcnow()
    for row in sorted(rows, key=lambda r: -int(r.get("days_ago", 0))):
        orderer = users[row["orderer"].lower()]
        supplier = suppliers[row["supplier"]]
        submitted = now - timedelta(days=int(row.get("days_ago", 0)), hours=2)
        with clock_set_to(submitted):
            for line in row["lines"]:
                if "item" in line:
                    cart.add_item(orderer, _item(supplier, line["item"]).id, Decimal(line["quantity"]))
                else:
                    cart.add_free_text(orderer, supplier_id=supplier.id, description=line["free_text"],
                                       quantity=Decimal(line["quantity"]), unit_code=line.get("unit", "EA"),
                                       estimated_price=Decimal(line.get("price", "0")))
            (order,) = orders.submit_cart(orderer, unit_id=units[row["unit"]].id, note=row.get("note", ""))
        status = row["status"]
        # One approver per route step (Storvika's big orders have two); none for auto-approved orders.
        deciders = [users[e.lower()] for e in row.get("approvers", [row["approver"]] if "approver" in row else [])]
        with clock_set_to(submitted + timedelta(hours=3)):
            if status == "rejected":
                approvals.reject_order(order, by=deciders[0], comment=row.get("comment") or "Avvist i demodata.")
            else:
                for approver in deciders:
                    if order.status == OrderStatus.PENDING_APPROVAL:
                        approvals.approve_order(order, by=approver, comment=row.get("comment", ""))
                if order.status == OrderStatus.APPROVED:
                    deliver_due(worker_id="seed", commit=False)  # the worker's own code path, once
        expected = {"pending_approval": OrderStatus.PENDING_APPROVAL, "rejected": OrderStatus.REJECTED}
        if (order.status == OrderStatus.PENDING_APPROVAL) != (expected.get(status) is OrderStatus.PENDING_APPROVAL):
            raise SeedError(f"Demo-ordre {order.number} ({row['orderer']}): ventet {status}, fikk {order.status} "
                            "(sjekk policyene i seed/data/policies.toml)")
    db.session.flush()
    return len(rows)
