"""Approval use cases: fix an order's route at submit time, decide on each step.

The policy (municipality settings, tiers, unit budget, person limits) is loaded
into the pure dataclasses of ``policy.py``; the route that comes out is copied
onto the order as ``ApprovalStep`` rows. Deciding a step is a compare-and-set on
that step row, so two approvers acting at once store exactly one decision. The
last decision moves the order through ``orders.lifecycle``; whatever follows an
approval (the EHF message in the outbox) is a ``signals.approved`` receiver in its
own module. Service functions flush; the caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webshop import audit
from webshop.approvals import policy as P
from webshop.approvals.access import Refusal, approval_refused
from webshop.approvals.models import (
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalStep,
    ApprovalStepApprover,
    ApprovalSubstitute,
    ApprovalTier,
    Decision,
    PersonLimit,
    UnitBudget,
)
from webshop.approvals.queries import current_step, month_spend
from webshop.cart.models import CartLine
from webshop.cart.services import CartError, cart_line_price, cart_lines
from webshop.dbtypes import utcnow
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orders.errors import AlreadyDecided, OrderError
from webshop.orders.lifecycle import change_status
from webshop.orders.models import Order, OrderDocument
from webshop.orders.money import line_total, order_total
from webshop.orders.rules import OrderStatus, Trigger
from webshop.orgs.models import Role, RoleAssignment, Unit, User
from webshop.sql import rows_changed
from webshop.templating import money


def _(message: str, **variables: object) -> str:
    """flask_babel.gettext, typed (the messages are extracted from ``_(...)`` calls as everywhere)."""
    return str(gettext(message, **variables))


REFUSAL_MESSAGES = {
    Refusal.OTHER_ORGANISATION: _l("Ordren tilhører en annen organisasjon."),
    Refusal.NOT_APPROVER_FOR_UNIT: _l("Du er ikke godkjenner for dette trinnet av ordren."),
    Refusal.OWN_ORDER: _l("Du kan ikke godkjenne din egen ordre. En annen godkjenner må gjøre det."),
    Refusal.NOT_PENDING: _l("Ordren venter ikke på godkjenning."),
    Refusal.DECIDED_EARLIER_STEP: _l("Du har allerede godkjent et tidligere trinn. Samme person kan ikke fylle "
                                     "to trinn i samme godkjenningsvei."),
}


def kr(value: Decimal | None) -> str:
    return money(value)


# ------------------------------------------------------------------ loading the policy


def _ids(text: str | None) -> frozenset[int] | None:
    return None if text is None else frozenset(int(x) for x in text.split(",") if x.strip())


def _prefixes(text: str | None) -> frozenset[str] | None:
    return None if text is None else frozenset(x.strip() for x in text.split(",") if x.strip())


def organisation_policy(organisation_id: int) -> ApprovalPolicy:
    """The municipality's settings row (an unsaved default when it has none: nothing is auto-approved)."""
    row = db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.organisation_id == organisation_id))
    return row or ApprovalPolicy(organisation_id=organisation_id, auto_approve_below=Decimal("0"),
                                 default_hard=False, escalate_after_days=3)


def tiers_of(organisation_id: int) -> list[ApprovalTier]:
    rows = list(db.session.scalars(select(ApprovalTier).where(ApprovalTier.organisation_id == organisation_id)
                                   .order_by(ApprovalTier.level)))
    return rows or [ApprovalTier(organisation_id=organisation_id, level=1, name=str(_("Godkjenner for enheten")),
                                 required_above=None, approver_role=Role.APPROVER)]


def limits_in_unit(user_ids: Iterable[int], unit_id: int) -> dict[int, PersonLimit]:
    """Each person's limits for orders of ``unit_id``: the row the unit's manager set for that unit,
    else the coordinator's municipality-wide row. A unit manager's row never reaches other units."""
    rows = db.session.scalars(select(PersonLimit).where(
        PersonLimit.user_id.in_(list(user_ids)),
        (PersonLimit.unit_id == unit_id) | PersonLimit.unit_id.is_(None)))
    chosen: dict[int, PersonLimit] = {}
    for row in rows:
        if row.user_id not in chosen or row.unit_id is not None:
            chosen[row.user_id] = row
    return chosen


def _people(users: Iterable[User], unit_id: int) -> tuple[P.Person, ...]:
    users = sorted({u.id: u for u in users if u.active}.values(), key=lambda u: u.name)
    limits = limits_in_unit([u.id for u in users], unit_id)
    return tuple(P.Person(u.id, u.name, limits[u.id].approval_limit if u.id in limits else None) for u in users)


def _unit_people(unit_id: int, role: Role) -> list[User]:
    return list(db.session.scalars(select(User).join(RoleAssignment).where(
        RoleAssignment.unit_id == unit_id, RoleAssignment.role == role)))


def load_policy(organisation_id: int, unit_id: int, orderer_id: int) -> P.Policy:
    org = organisation_policy(organisation_id)
    tiers = []
    for tier in tiers_of(organisation_id):
        users: list[User | None]
        if tier.approver_user_id is not None:
            users = [db.session.get(User, tier.approver_user_id)]
        else:
            users = list(_unit_people(unit_id, tier.approver_role or Role.APPROVER))
        tiers.append(P.Tier(tier.name, _people((u for u in users if u is not None), unit_id), tier.required_above))
    person = limits_in_unit([orderer_id], unit_id).get(orderer_id)
    if person is not None and (person.per_order is not None or person.per_month is not None
                               or person.agreement_ids is not None or person.unspsc_prefixes is not None):
        rules = P.OrdererRules(person.per_order, person.per_month, person.hard, _ids(person.agreement_ids),
                               _prefixes(person.unspsc_prefixes))
    else:
        rules = P.OrdererRules(org.default_per_order, org.default_per_month, bool(org.default_hard))
    budget = db.session.scalar(select(UnitBudget).where(UnitBudget.unit_id == unit_id))
    coordinators = db.session.scalars(select(User).join(RoleAssignment).where(
        User.organisation_id == organisation_id, RoleAssignment.role == Role.COORDINATOR))
    others = db.session.scalars(select(User).join(RoleAssignment).join(Unit, Unit.id == RoleAssignment.unit_id).where(
        Unit.organisation_id == organisation_id, RoleAssignment.unit_id != unit_id,
        RoleAssignment.role == Role.APPROVER))
    return P.Policy(
        tiers=tuple(tiers), auto_approve_below=org.auto_approve_below or Decimal("0"), orderer=rules,
        unit_budget=P.UnitBudget(budget.monthly, budget.hard) if budget else P.UnitBudget(),
        fallback_approvers=_people(coordinators, unit_id),
        reserve_approvers=_people(others, unit_id),
    )


def facts_of_order(order: Order) -> P.OrderFacts:
    return P.OrderFacts(
        total=order.total, orderer_id=order.orderer_id, agreement_id=order.agreement_id,
        free_text_lines=sum(1 for line in order.lines if line.is_free_text),
        unspsc_codes=tuple(line.unspsc for line in order.lines if not line.is_free_text),
        orderer_month_spend=month_spend(orderer_id=order.orderer_id, exclude_order_id=order.id),
        unit_month_spend=month_spend(unit_id=order.unit_id, exclude_order_id=order.id),
    )


def route_for_order(order: Order) -> P.Route:
    return P.required_route(facts_of_order(order), load_policy(order.organisation_id, order.unit_id, order.orderer_id))


# ------------------------------------------------------------------ explaining in words


def explain(finding: P.Finding) -> str:
    c = P.Check
    limit, amount = kr(finding.limit), kr(finding.amount)
    match finding.check:
        case c.OVER_ORDER_LIMIT:
            return _("over grensen din på %(limit)s per ordre (ordren er %(amount)s)", limit=limit, amount=amount)
        case c.OVER_MONTH_LIMIT:
            return _("over månedsgrensen din på %(limit)s (denne måneden blir %(amount)s)", limit=limit, amount=amount)
        case c.OVER_UNIT_BUDGET:
            return _("over enhetens månedsbudsjett på %(limit)s (denne måneden blir %(amount)s)", limit=limit,
                     amount=amount)
        case c.AGREEMENT_NOT_ALLOWED:
            return _("du har ikke lov til å bestille fra denne avtalen")
        case c.CATEGORY_NOT_ALLOWED:
            return _("du har ikke lov til å bestille varer i disse kategoriene (UNSPSC): %(codes)s",
                     codes=finding.detail)
        case c.FREE_TEXT:
            return _("ordren har fritekstlinjer, og de må alltid godkjennes")
        case c.NO_AUTO_APPROVAL:
            return _("kommunen godkjenner alle ordrer manuelt")
        case c.NOT_BELOW_AUTO_LIMIT:
            return _("ordren er ikke under grensen for automatisk godkjenning på %(limit)s", limit=limit)
        case c.TIER_ABOVE:
            return _("over %(limit)s må også %(name)s godkjenne", limit=limit, name=finding.detail)
        case c.NOBODY_CAN_APPROVE:
            return _("ingen kan godkjenne trinnet «%(name)s» (kontakt e-handelskoordinatoren)", name=finding.detail)
        case c.AUTO_APPROVED:
            return _("katalogordre under %(limit)s godkjennes automatisk", limit=limit)
    return str(finding.check)  # pragma: no cover


def explain_step(step: P.Step) -> str:
    names = ", ".join(p.name for p in step.approvers) or "–"
    text = _("Trinn %(n)s: %(step)s (%(names)s)", n=step.number, step=step.name, names=names)
    match step.via:
        case P.Fallback.COORDINATOR:
            return text + " " + _("– ingen på trinnet kan godkjenne denne ordren, så e-handelskoordinatoren gjør det")
        case P.Fallback.NEXT_TIER:
            return text + " " + _("– ingen på trinnet kan godkjenne denne ordren, så neste nivå gjør det")
        case P.Fallback.OTHER_UNIT:
            return text + " " + _("– ingen i enheten kan godkjenne denne ordren, så en godkjenner fra en annen "
                                  "enhet gjør det")
    return text


def explain_route(route: P.Route) -> str:
    """One sentence: "over your limit of 5 000 kr → Kari Nordmann approves"."""
    why = "; ".join(explain(f) for f in (route.blocked or route.reasons))
    if route.is_blocked:
        return _("Kan ikke sendes: %(why)s.", why=why)
    if route.is_auto_approved:
        return _("Godkjennes automatisk: %(why)s.", why=why)
    who = " → ".join(explain_step(s) for s in route.steps)
    return f"{why} → {who}"


# ------------------------------------------------------------------ submit: fix the route


def lock_spend(*, orderer_id: int, unit_id: int) -> None:
    """Serialise limit checks per orderer and unit until the transaction ends.

    Month-to-date spend is read *after* this, so of two orders submitted at the same
    moment the second one sees the first (committed) one and a hard cap cannot be
    passed twice. PostgreSQL: ``FOR NO KEY UPDATE`` on the user and the unit row (always
    in that order; it does not conflict with the key-share locks the order's foreign
    keys take). SQLite has one writer at a time: a no-op write makes sure this
    transaction holds the write lock before the spend is read.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(update(Unit).where(Unit.id == unit_id).values(id=Unit.id),
                           execution_options={"synchronize_session": False})
        return
    db.session.execute(select(User.id).where(User.id == orderer_id).with_for_update(key_share=True)).all()
    db.session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update(key_share=True)).all()


def route_submitted_order(order: Order, **_signal: object) -> None:
    """``signals.submitted`` receiver, so every new order passes here: refuse it on a hard cap
    (raising undoes the submit), approve it automatically, or store its route."""
    lock_spend(orderer_id=order.orderer_id, unit_id=order.unit_id)
    route = route_for_order(order)
    if route.is_blocked:
        raise CartError(_("Bestillingen til %(supplier)s kan ikke sendes: %(why)s.", supplier=order.supplier.name,
                          why="; ".join(explain(f) for f in route.blocked)))
    if route.is_auto_approved:
        change_status(order, OrderStatus.APPROVED, by=None, trigger=Trigger.APPROVAL_POLICY,
                      comment=explain_route(route))
        return
    store_route(order, route)  # the steps carry the explanation; the audit log shows the decisions


def store_route(order: Order, route: P.Route) -> list[ApprovalStep]:
    steps = []
    for s in route.steps:
        step = ApprovalStep(order_id=order.id, number=s.number, name=s.name, required_above=s.required_above,
                            explanation=explain_step(s),
                            approvers=[ApprovalStepApprover(user_id=p.id, via="route") for p in s.approvers])
        db.session.add(step)
        steps.append(step)
    db.session.flush()
    db.session.expire(order, ["approval_steps"])
    return steps


def _steps(order: Order) -> list[ApprovalStep]:
    """The order's stored route (``Order.approval_steps`` is a backref mypy cannot see)."""
    steps: list[ApprovalStep] = order.approval_steps  # type: ignore[attr-defined]
    return steps


def _ensure_route(order: Order) -> None:
    """Orders from before routes were stored get a one-step route of the unit's approvers."""
    if _steps(order):
        return
    people = _people(_unit_people(order.unit_id, Role.APPROVER), order.unit_id)
    route = P.Route(steps=(P.Step(1, str(_("Godkjenner for enheten")),
                                  tuple(p for p in people if p.id != order.orderer_id)),))
    store_route(order, route)


# ------------------------------------------------------------------ deciding


def _decide(order: Order, *, by: User, decision: Decision, comment: str) -> bool:
    """Store ``by``'s decision on the current step; return True when it settles the order."""
    refusal = approval_refused(by, order)
    if _steps(order) and current_step(order) is None:
        refusal = Refusal.NOT_PENDING  # every step was decided between loading the order and its steps
    if refusal is Refusal.NOT_PENDING:
        raise AlreadyDecided(str(REFUSAL_MESSAGES[refusal]))
    if refusal is not None:
        raise OrderError(str(REFUSAL_MESSAGES[refusal]))
    _ensure_route(order)
    step = current_step(order)
    if step is None:
        raise AlreadyDecided(str(REFUSAL_MESSAGES[Refusal.NOT_PENDING]))
    now = utcnow()
    # Compare-and-set on the step: of two approvers acting at once, only one changes this row.
    if rows_changed(update(ApprovalStep).where(ApprovalStep.id == step.id, ApprovalStep.decided_at.is_(None))
                    .values(decided_at=now)) != 1:
        raise AlreadyDecided(_("Ordren er allerede behandlet av noen andre. Last siden på nytt for å se status."))
    try:
        with db.session.begin_nested():
            db.session.add(ApprovalDecision(order_id=order.id, step=step.number, approver_id=by.id,
                                            decision=decision, comment=comment or None, decided_at=now))
    except IntegrityError:
        raise AlreadyDecided(_("Ordren er allerede behandlet av noen andre.")) from None
    db.session.expire(order, ["approval_steps", "approval_decisions"])
    total_steps = len(_steps(order))
    if decision is Decision.APPROVED and step.number < total_steps:
        audit.record("step_approved", by=by, organisation_id=order.organisation_id, order=order,
                     comment=_("Trinn %(n)s av %(of)s. %(comment)s", n=step.number, of=total_steps,
                               comment=comment).strip())
        return False
    new = {Decision.APPROVED: OrderStatus.APPROVED, Decision.REJECTED: OrderStatus.REJECTED,
           Decision.RETURNED: OrderStatus.RETURNED}[decision]
    change_status(order, new, by=by, trigger=Trigger.APPROVER, comment=comment or None)
    return True


def approve_order(order: Order, *, by: User, comment: str = "") -> OrderDocument | None:
    """Approve the current step. On the last step the order is approved and (through the
    ``signals.approved`` receiver in delivery) its EHF message queued: that message is
    returned. None: more steps wait."""
    if _decide(order, by=by, decision=Decision.APPROVED, comment=comment):
        db.session.flush()
        return db.session.scalar(select(OrderDocument).where(OrderDocument.order_id == order.id)
                                 .order_by(OrderDocument.id.desc()).limit(1))
    db.session.flush()
    return None


def reject_order(order: Order, *, by: User, comment: str) -> None:
    if not comment.strip():
        raise OrderError(_("Skriv en begrunnelse, så bestilleren vet hva som må endres."))
    _decide(order, by=by, decision=Decision.REJECTED, comment=comment.strip())
    db.session.flush()


def return_order(order: Order, *, by: User, comment: str) -> None:
    """Send the order back for changes: it is closed, and (``signals.returned`` receiver in
    cart.services) its lines go back into the orderer's cart."""
    if not comment.strip():
        raise OrderError(_("Skriv hva som må endres før ordren sendes tilbake."))
    _decide(order, by=by, decision=Decision.RETURNED, comment=comment.strip())
    db.session.flush()


# ------------------------------------------------------------------ substitutes


# Who may stand in for an approver: someone with a leader's role (they need not approve for any unit).
DEPUTY_ROLES = (Role.APPROVER, Role.UNIT_MANAGER, Role.COORDINATOR)


class SubstituteError(DomainError):
    """A deputy that cannot be named; the message is shown to the user."""


def add_substitute(approver: User, *, deputy_id: int, starts_on: date, ends_on: date) -> ApprovalSubstitute:
    """Name a deputy: while the range lasts, the approver's pending steps are decided by the deputy."""
    deputy = db.session.get(User, deputy_id)
    if deputy is None or deputy.organisation_id != approver.organisation_id or not deputy.active:
        raise SubstituteError(_("Velg en stedfortreder i din kommune."))
    if deputy.id == approver.id:
        raise SubstituteError(_("Du kan ikke være din egen stedfortreder."))
    if not any(deputy.has_role(r) for r in DEPUTY_ROLES):
        raise SubstituteError(_("Stedfortrederen må være godkjenner, enhetsleder eller e-handelskoordinator."))
    if ends_on < starts_on:
        raise SubstituteError(_("Sluttdatoen kan ikke være før startdatoen."))
    overlapping = db.session.scalar(select(ApprovalSubstitute.id).where(
        ApprovalSubstitute.approver_id == approver.id, ApprovalSubstitute.starts_on <= ends_on,
        ApprovalSubstitute.ends_on >= starts_on).limit(1))
    if overlapping is not None:
        raise SubstituteError(_("Du har allerede en stedfortreder i denne perioden."))
    row = ApprovalSubstitute(approver_id=approver.id, deputy_id=deputy.id, starts_on=starts_on, ends_on=ends_on)
    db.session.add(row)
    audit.record("substitute_named", by=approver, organisation_id=approver.organisation_id,
                 comment=f"{deputy.name} {starts_on.isoformat()}–{ends_on.isoformat()}")
    db.session.flush()
    return row


def remove_substitute(approver: User, substitute_id: int) -> None:
    row = db.session.get(ApprovalSubstitute, substitute_id)
    if row is None or row.approver_id != approver.id:
        raise SubstituteError(_("Fant ikke stedfortrederen."))
    audit.record("substitute_removed", by=approver, organisation_id=approver.organisation_id,
                 comment=f"{row.deputy.name} {row.starts_on.isoformat()}–{row.ends_on.isoformat()}")
    db.session.delete(row)
    db.session.flush()


# ------------------------------------------------------------------ preview before submit


def preview_cart(user: User, unit_id: int | None) -> list[tuple[str, Decimal, P.Route, str]]:
    """For each supplier in the cart: (supplier, total, route, explanation) if it were submitted now."""
    if unit_id is None or unit_id not in user.unit_ids(Role.ORDERER):
        return []
    groups: dict[int, list[CartLine]] = {}
    for line in cart_lines(user):
        groups.setdefault(line.supplier_id, []).append(line)
    policy = load_policy(user.organisation_id, unit_id, user.id)
    mine, unit_spend = month_spend(orderer_id=user.id), month_spend(unit_id=unit_id)
    previews = []
    for lines in groups.values():
        total = order_total(line_total(line.quantity, cart_line_price(line)) for line in lines)
        agreement_id = next((line.item.catalogue.agreement_id for line in lines if line.item), None)
        facts = P.OrderFacts(total=total, orderer_id=user.id, agreement_id=agreement_id,
                             free_text_lines=sum(1 for line in lines if line.item is None),
                             unspsc_codes=tuple(line.item.unspsc for line in lines if line.item),
                             orderer_month_spend=mine, unit_month_spend=unit_spend)
        route = P.required_route(facts, policy)
        previews.append((lines[0].supplier.name, total, route, explain_route(route)))
        mine, unit_spend = mine + total, unit_spend + total
    return previews
