"""Practice organisations (sandboxes) of the training lab: clone, reset, delete.

A sandbox is an ``Organisation`` with ``is_sandbox`` set, cloned from a template municipality
(the demo municipality or the trainer's own): its units, an approval policy with the same tiers,
limits and unit budgets, membership of the same agreements (so the same catalogues and synonyms
show), the participant as orderer of one unit and a few simulated colleagues (approvers, the
named people of the route, fellow orderers) who cannot log in. Everything a participant does
(orders, carts, searches, audit events) then belongs to the sandbox, so organisation scoping keeps
it away from real municipalities and from other sandboxes, and ``orgs.scoping`` keeps it out of
every real figure. :func:`purge_organisation` removes a sandbox and every row that hangs on it,
found through the schema's foreign keys, so a table added later is cleaned up too.

Service functions flush; the caller commits.
"""
from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Table, delete, insert, or_, select, update

from webshop.approvals.models import ApprovalPolicy, ApprovalTier, UnitBudget
from webshop.catalogue.models import agreement_members
from webshop.extensions import db
from webshop.lab.rules import OrderingAuthority, orgnr_check_digit
from webshop.orgs.models import Organisation, Role, RoleAssignment, Unit, User

log = logging.getLogger(__name__)

DEMO_TEMPLATE_KEY = "fjellbygd"  # the demo municipality (seed/data/demo.toml)
SIMULATED_PASSWORD_HASH = "lab-simulated-colleague:cannot-log-in"  # not a werkzeug hash: never matches
COLLEAGUES_PER_UNIT = 8  # fellow employees of the participant's unit ("9 orderers per unit" with the participant)
DESIGNATED_ORDERERS = 1  # colleagues who may order when only a few are designated (2 with the participant)
LAB_EMAIL_DOMAIN = "opplaering.invalid"


@dataclass(frozen=True)
class SandboxSetup:
    """What a condition changes in a sandbox's own rows (the rest is applied when it is used)."""

    ordering_authority: OrderingAuthority = OrderingAuthority.EVERYONE
    auto_approve_below: Decimal | None = None  # None: the template's own threshold
    participant_approves: bool = False  # the participant is also an approver of the unit (approver exercises)


class SandboxError(Exception):
    pass


def template_for(key: str, own: Organisation) -> Organisation:
    """The organisation to clone: the demo municipality for "demo" (the trainer's own when there is
    no demo data, as on a production install), else the trainer's own municipality."""
    if key == "demo":
        demo = db.session.scalar(select(Organisation).where(Organisation.key == DEMO_TEMPLATE_KEY,
                                                            Organisation.is_sandbox.is_(False)))
        if demo is not None:
            return demo
    if own.is_sandbox:
        raise SandboxError("a sandbox cannot be the template of another sandbox")
    return own


def _free_orgnr() -> str:
    """An unused, valid organisation number (the EHF order of a sandbox is built and checked for real)."""
    while True:
        first8 = "8" + "".join(secrets.choice("0123456789") for _ in range(7))
        check = orgnr_check_digit(first8)
        if check is None:
            continue
        candidate = f"{first8}{check}"
        if db.session.scalar(select(Organisation.id).where(Organisation.orgnr == candidate)) is None:
            return candidate


def create_sandbox(template: Organisation, *, key: str, name: str) -> Organisation:
    """An empty sandbox organisation in the template's collaboration (fill it with :func:`populate`)."""
    if template.is_sandbox:
        raise SandboxError("a sandbox cannot be the template of another sandbox")
    sandbox = Organisation(collaboration_id=template.collaboration_id, key=key[:60], name=name[:200],
                           orgnr=_free_orgnr(), is_sandbox=True)
    db.session.add(sandbox)
    db.session.flush()
    return sandbox


def participant_unit(template: Organisation) -> Unit:
    """The unit the participant orders for: the template's first unit by name."""
    unit = db.session.scalar(select(Unit).where(Unit.organisation_id == template.id).order_by(Unit.name, Unit.id))
    if unit is None:
        raise SandboxError(f"{template.name} has no units to clone")
    return unit


def _colleague(sandbox: Organisation, local: str, name: str) -> User:
    user = User(email=f"{local}.{sandbox.key}@{LAB_EMAIL_DOMAIN}", name=name, organisation_id=sandbox.id,
                password_hash=SIMULATED_PASSWORD_HASH)
    db.session.add(user)
    return user


def populate(sandbox: Organisation, template: Organisation, participant: User, setup: SandboxSetup) -> Unit:
    """Copy the template's units, agreements, approval policy (with its default limits), tiers and unit
    budgets into ``sandbox``; give ``participant`` the orderer role on the copy of
    the template's first unit, with simulated colleagues around them. Returns the participant's unit."""
    units: dict[int, Unit] = {}
    for unit in db.session.scalars(select(Unit).where(Unit.organisation_id == template.id).order_by(Unit.id)):
        units[unit.id] = Unit(organisation_id=sandbox.id, key=unit.key, name=unit.name, kind=unit.kind,
                              street=unit.street, postcode=unit.postcode, city=unit.city,
                              cost_centre=unit.cost_centre)
    db.session.add_all(units.values())
    agreements = list(db.session.scalars(select(agreement_members.c.agreement_id)
                                         .where(agreement_members.c.organisation_id == template.id)))
    if agreements:
        db.session.execute(insert(agreement_members), [{"agreement_id": a, "organisation_id": sandbox.id}
                                                       for a in agreements])
    db.session.flush()
    mine = units[participant_unit(template).id]

    policy = db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.organisation_id == template.id))
    auto = setup.auto_approve_below if setup.auto_approve_below is not None else (
        policy.auto_approve_below if policy else Decimal("0"))
    db.session.add(ApprovalPolicy(
        organisation_id=sandbox.id, auto_approve_below=auto,
        default_per_order=policy.default_per_order if policy else None,
        default_per_month=policy.default_per_month if policy else None,
        default_hard=policy.default_hard if policy else False,
        escalate_after_days=policy.escalate_after_days if policy else 3))

    approvers = [_colleague(sandbox, f"godkjenner{n}", f"{unit.name} – godkjenner (simulert)")
                 for n, unit in enumerate(units.values(), start=1)]
    db.session.flush()
    for approver, unit in zip(approvers, units.values(), strict=True):
        approver.roles = [RoleAssignment(role=Role.APPROVER, unit_id=unit.id),
                          RoleAssignment(role=Role.UNIT_MANAGER, unit_id=unit.id)]
    named: dict[int, User] = {}
    for tier in db.session.scalars(select(ApprovalTier).where(ApprovalTier.organisation_id == template.id)
                                   .order_by(ApprovalTier.level)):
        user_id = None
        if tier.approver_user_id is not None:
            if tier.approver_user_id not in named:
                original = db.session.get(User, tier.approver_user_id)
                clone = _colleague(sandbox, f"niva{tier.level}", f"{original.name if original else tier.name} "
                                                                 "(simulert)")
                db.session.flush()
                clone.roles = [RoleAssignment(role=Role.APPROVER, unit_id=u.id) for u in units.values()]
                named[tier.approver_user_id] = clone
            user_id = named[tier.approver_user_id].id
        db.session.add(ApprovalTier(organisation_id=sandbox.id, level=tier.level, name=tier.name,
                                    required_above=tier.required_above, approver_role=tier.approver_role,
                                    approver_user_id=user_id))
    if not db.session.scalar(select(ApprovalTier.id).where(ApprovalTier.organisation_id == template.id).limit(1)):
        db.session.add(ApprovalTier(organisation_id=sandbox.id, level=1, name="Godkjenner for enheten",
                                    approver_role=Role.APPROVER))
    for budget in db.session.scalars(select(UnitBudget).where(UnitBudget.unit_id.in_(list(units)))):
        db.session.add(UnitBudget(unit_id=units[budget.unit_id].id, monthly=budget.monthly, hard=budget.hard))

    colleagues = [_colleague(sandbox, f"kollega{n}", f"Kollega {n} (simulert)")
                  for n in range(1, COLLEAGUES_PER_UNIT + 1)]
    db.session.flush()
    ordering = (len(colleagues) if setup.ordering_authority is OrderingAuthority.EVERYONE
                else DESIGNATED_ORDERERS)
    for colleague in colleagues[:ordering]:
        colleague.roles = [RoleAssignment(role=Role.ORDERER, unit_id=mine.id)]

    participant.organisation_id = sandbox.id
    participant.roles = [RoleAssignment(role=Role.ORDERER, unit_id=mine.id)]
    if setup.participant_approves:
        participant.roles.append(RoleAssignment(role=Role.APPROVER, unit_id=mine.id))
    db.session.flush()
    log.info("Sandbox %s populated from %s", sandbox.key, template.key)
    return mine


def new_participant_user(sandbox: Organisation, *, local: str, name: str, password: str) -> User:
    """The participant's own login, living in the sandbox."""
    user = User(email=f"{local}@{LAB_EMAIL_DOMAIN}", name=name, organisation_id=sandbox.id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


# ---------------------------------------------------------------- purging


def _id_column(table: Table):  # type: ignore[no-untyped-def]
    return table.c.id if "id" in table.c and table.c.id.primary_key else None


def purge_organisation(organisation_id: int, *, keep_organisation: bool = False,
                       keep_user_ids: Iterable[int] = (), stop_tables: Iterable[str] = ()) -> dict[str, int]:
    """Delete the sandbox ``organisation_id`` and every row that refers to it, directly or through
    other deleted rows (its units, users, orders and their lines, documents, audit events, cart
    lines, search logs, decisions, …), found from the schema's foreign keys. ``keep_organisation``
    and ``keep_user_ids`` (a reset) spare those rows and what only they hold; ``stop_tables`` are
    neither deleted nor followed (the lab's own rows during a reset). Returns rows deleted per table.

    Refuses a real organisation: this must never run on anything but a sandbox.
    """
    org = db.session.get(Organisation, organisation_id)
    if org is None or not org.is_sandbox:
        raise SandboxError("only a training sandbox can be purged")
    db.session.flush()
    keep_users = set(keep_user_ids)
    stop = set(stop_tables)
    tables = [t for t in db.metadata.sorted_tables if t.name not in stop]
    doomed: dict[str, set[int]] = defaultdict(set)
    if not keep_organisation:
        doomed["organisations"].add(organisation_id)
    conditions: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    roots = {"organisations": {organisation_id}}
    # Rows to delete, parents first; repeat until nothing new turns up (self references, cycles).
    changed = True
    while changed:
        changed = False
        for table in tables:
            ident = _id_column(table)
            where = []
            for fk in table.foreign_keys:
                target = fk.column.table.name
                ids = doomed.get(target, set()) | (roots.get(target, set()) if target == "organisations" else set())
                if ids and fk.column.name == "id":
                    where.append(fk.parent.in_(sorted(ids)))
            if not where:
                continue
            conditions[table.name] = where
            if ident is None:
                continue
            found = set(db.session.scalars(select(ident).where(or_(*where))))
            if table.name == "users":
                found -= keep_users
            new = found - doomed[table.name]
            if new:
                doomed[table.name] |= new
                changed = True
    counts: dict[str, int] = {}
    for table in reversed(tables):  # children first
        ident = _id_column(table)
        for fk in table.foreign_keys:  # break references between doomed rows (cycles, self references)
            if fk.parent.nullable and ident is not None and doomed.get(table.name) \
                    and doomed.get(fk.column.table.name):
                db.session.execute(update(table).where(ident.in_(sorted(doomed[table.name])))
                                   .values({fk.parent.name: None}).execution_options(synchronize_session=False))
    for table in reversed(tables):
        ident = _id_column(table)
        if ident is not None:
            gone = sorted(doomed.get(table.name, ()))
            if not gone:
                continue
            result = db.session.execute(delete(table).where(ident.in_(gone)).execution_options(
                synchronize_session=False))
        elif table.name in conditions:
            result = db.session.execute(delete(table).where(or_(*conditions[table.name])).execution_options(
                synchronize_session=False))
        else:
            continue
        if result.rowcount:  # type: ignore[attr-defined]
            counts[table.name] = result.rowcount  # type: ignore[attr-defined]
    db.session.expire_all()
    log.info("Sandbox %s purged: %s", organisation_id, counts)
    return counts
