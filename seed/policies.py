"""Demo approval policies (seed/data/policies.toml): three municipalities, three trade-offs.

Fjellbygd: everyone orders, nothing is auto-approved. Storvika: few orderers and
tiered approval (unit manager up to 50 000 kr, a sector director above).
Havbrekke: catalogue orders under 2 000 kr are approved automatically.
Loaded before the demo orders, so those take the route their municipality's policy
gives them (policies.toml adds a few orders that show the routes: a Storvika order
above 50 000 kr waiting for the sector director, an auto-approved Havbrekke order).
"""
from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from webshop.approvals.models import ApprovalPolicy, ApprovalTier, PersonLimit, UnitBudget
from webshop.extensions import db
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, User

DATA = Path(__file__).resolve().parent / "data" / "policies.toml"


def _money(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _data(path: Path = DATA) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def policy_accounts(path: Path = DATA) -> list[tuple[str, str, str, str]]:
    """The demo users the policies add (e.g. the sector director), for the printout."""
    return [(row["email"], row["password"], row["name"], f"{row['title']} (approver)")
            for row in _data(path).get("users", [])]


def policy_orders(path: Path = DATA) -> list[dict[str, Any]]:
    """Demo orders that show the policies' routes (same format as the orders in demo.toml)."""
    return list(_data(path).get("orders", []))


def load_policies(orgs: dict[str, Organisation], units: dict[str, Unit], users: dict[str, User],
                  path: Path = DATA) -> list[tuple[str, str, str, str]]:
    """Create the extra demo users and the policies; return the new accounts for the printout."""
    data = _data(path)
    accounts = []
    for row in data.get("users", []):
        user = User(email=row["email"], name=row["name"], organisation_id=orgs[row["organisation"]].id)
        user.set_password(row["password"])
        user.roles = [RoleAssignment(role=Role.APPROVER, unit_id=units[k].id) for k in row["approver_for"]]
        db.session.add(user)
        users[user.email] = user
        accounts.append((user.email, row["password"], user.name, f"{row['title']} (approver)"))
    db.session.flush()
    for row in data["policies"]:
        org = orgs[row["organisation"]]
        db.session.add(ApprovalPolicy(
            organisation_id=org.id, auto_approve_below=Decimal(row.get("auto_approve_below", "0")),
            default_per_order=_money(row.get("default_per_order")),
            default_per_month=_money(row.get("default_per_month")), default_hard=row.get("default_hard", False),
            escalate_after_days=row.get("escalate_after_days", 3)))
        for tier in row["tiers"]:
            db.session.add(ApprovalTier(
                organisation_id=org.id, level=tier["level"], name=tier["name"],
                required_above=_money(tier.get("required_above")),
                approver_role=Role(tier["role"]) if "role" in tier else None,
                approver_user_id=users[tier["user"]].id if "user" in tier else None))
        for budget in row.get("unit_budgets", []):
            db.session.add(UnitBudget(unit_id=units[budget["unit"]].id, monthly=_money(budget["monthly"]),
                                      hard=budget.get("hard", False)))
        for limit in row.get("person_limits", []):
            db.session.add(PersonLimit(
                user_id=users[limit["user"]].id, per_order=_money(limit.get("per_order")),
                per_month=_money(limit.get("per_month")), hard=limit.get("hard", False),
                approval_limit=_money(limit.get("approval_limit"))))
        if row.get("everyone_orders"):
            _everyone_orders(org, units)
    db.session.flush()
    return accounts


def _everyone_orders(org: Organisation, units: dict[str, Unit]) -> None:
    """Every employee with a unit role may order for that unit (the small-municipality way)."""
    unit_ids = {u.id for u in units.values() if u.organisation_id == org.id}
    for user in db.session.query(User).filter(User.organisation_id == org.id):
        have = user.unit_ids(Role.ORDERER)
        for unit_id in {r.unit_id for r in user.roles if r.unit_id in unit_ids} - have:
            user.roles.append(RoleAssignment(role=Role.ORDERER, unit_id=unit_id))
