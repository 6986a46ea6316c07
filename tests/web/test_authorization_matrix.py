"""The authorization matrix, generated from the URL map: every route × every role × an object of
the user's own municipality and of another municipality, and for collaboration-wide objects
(suppliers, catalogues, synonyms, item requests) of another purchasing collaboration (issue 10).

``RULES`` says, per endpoint and written by hand, who may use it and what everybody else gets. A
route without a rule fails ``test_every_route_has_an_authorization_rule``: adding a route means
deciding who may use it. ``test_every_cell_of_the_matrix`` then asks every user every route (once
with an object of their own municipality, once with one of the other) and compares each answer
with the rule. Outcomes:

- ``ok``: the user got past the authorization checks (any answer but 401/403/404/405, a redirect
  to the login page, or a server error; a POST with an empty form may well answer 400);
- ``login``: an anonymous request is sent to the login page; ``401`` for the token APIs;
- ``403`` / ``404``: refused (404 where saying "forbidden" would reveal that the object exists).

One world and one logged-in client per user serve all cells; refused requests are made before
allowed ones, and the allowed requests that delete something run last, so the cells do not depend
on each other's side effects.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from helpers import PASSWORD
from sqlalchemy import select, update

ANON = "anonymous"
ORDERER, APPROVER, UNIT_MANAGER, COORDINATOR = "orderer", "approver", "unit_manager", "coordinator"
CENTRAL_BUYER, TRAINER = "central_buyer", "trainer"
ROLES = (ORDERER, APPROVER, UNIT_MANAGER, COORDINATOR, CENTRAL_BUYER, TRAINER)
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint, and what the others get.

    ``allow``: the roles that may (for an object: of their own municipality). ``deny``: what a
    logged-in user without the right gets (``deny_roles`` where it differs by role, e.g. 403 for
    someone who may see the order but not act on it, 404 for someone who may not see it).
    ``anon``: what an anonymous request gets. ``objects``: ``ORG`` when the route's object belongs
    to one municipality; then a user of the other municipality gets ``away``, whatever their role.
    ``params`` maps URL parameters to test objects; ``data`` is the form a POST sends (empty unless
    the view validates the form before it looks at the object). ``stage`` orders the allowed
    requests that change what later requests see: 1 deletes its object, 2 removes a role.
    """

    allow: frozenset[str]
    deny: str = "403"
    deny_roles: dict[str, str] = field(default_factory=dict)
    anon: str = "login"
    objects: str | None = None
    away: str = "404"
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    stage: int = 0
    wide: frozenset[str] = frozenset()  # roles that reach ORG objects of their whole collaboration


def R(*allow: str, **kw) -> Rule:
    return Rule(frozenset(allow), **kw)


ORG = "municipality"
COLLAB = "collaboration"  # the object belongs to one purchasing collaboration (supplier, catalogue, synonyms …)
ORDER_READERS = (ORDERER, APPROVER, UNIT_MANAGER, COORDINATOR)

SENT = {"order_id": "sent_order"}  # goods receipt and line actions need an order that went to the supplier
SENT_LINE = {"order_id": "sent_order", "line_id": "order_line"}
NOT_READERS = {CENTRAL_BUYER: "404", TRAINER: "404"}  # they may not see a municipality's orders at all

RULES: dict[str, Rule] = {
    # public pages and machinery
    "static": R(*ROLES, anon="ok", params={"filename": "css/app.css"}),
    "index": R(*ROLES),
    "home.start": R(*ROLES),  # the start page per role (issue 15)
    "home.notices_read": R(*ROLES),  # only ever the user's own notices
    "auth.login": R(*ROLES, anon="ok"),
    "auth.logout": R(deny="login"),  # everyone ends at the login page (run last: it ends the sessions)
    "auth.language": R(*ROLES, anon="ok"),
    "health.healthz": R(*ROLES, anon="ok"),  # for load balancers: no login, says nothing about data
    "health.readyz": R(*ROLES, anon="ok"),
    "pages.favicon": R(*ROLES, anon="ok"),
    "pages.accessibility": R(*ROLES, anon="ok"),  # the accessibility statement is public
    # token APIs: a bearer token or a session; the supplier channel only its supplier key
    "api.catalogue_search": R(*ROLES, anon="401"),
    "supplier_api.ehf_inbound": R(anon="401", deny="401"),
    "api.openapi_json": R(*ROLES, anon="ok"),  # the description of the JSON API names no data (issue 14)
    "api.openapi_page": R(*ROLES, anon="ok"),
    # everyone's own API tokens
    "api.tokens": R(*ROLES),
    "api.revoke": R(ORDERER, deny="404", objects=ORG, stage=1),  # the token is the orderer's
    # ordering: orderers, their own cart, favourites and their unit's templates
    "catalogue.search": R(*ROLES),
    "catalogue.request_missing": R(*ROLES),
    "catalogue.mine": R(ORDERER),
    "catalogue.add_favourite": R(ORDERER),
    "catalogue.remove_favourite": R(ORDERER, objects=ORG, stage=1),
    "catalogue.template_to_cart": R(ORDERER, objects=ORG),
    "catalogue.edit_template": R(ORDERER, objects=ORG),  # the unit's orderers edit its templates (issue 15)
    "catalogue.delete_template": R(ORDERER, objects=ORG, stage=1),
    "catalogue.template_from_order": R(ORDERER, objects=ORG),
    "catalogue.reorder": R(ORDERER, objects=ORG),
    "catalogue.replace_cart_line": R(ORDERER, objects=ORG, params={"line_id": "cart_line2"}, data={"item_id": "item"},
                                     stage=1),
    "cart.show": R(ORDERER),
    "cart.add": R(ORDERER),
    "cart.add_free_text": R(ORDERER),
    "cart.submit": R(ORDERER),
    "cart.submitted": R(ORDERER),  # the overview after submit lists only the user's own orders
    "cart.update": R(ORDERER, objects=ORG),
    "cart.remove": R(ORDERER, objects=ORG, stage=1),
    # orders: the orderer, the unit's approvers and managers, the municipality's coordinator
    "orders.mine": R(*ROLES),
    "orders.detail": R(*ORDER_READERS, deny="404", objects=ORG),
    "orders.download": R(*ORDER_READERS, deny="404", objects=ORG, params={**SENT, "document_id": "document"}),
    "orders.cancel": R(ORDERER, COORDINATOR, deny_roles={APPROVER: "403", UNIT_MANAGER: "403", **NOT_READERS},
                       objects=ORG, stage=1),  # readers of the order who may not cancel it: 403
    # goods receipt and missing lines: orderers of the unit; others who may see the order get 403
    "supplier.receive": R(ORDERER, deny_roles=NOT_READERS, objects=ORG, params=SENT),
    "supplier.reorder": R(ORDERER, deny_roles=NOT_READERS, objects=ORG, params=SENT_LINE),
    "supplier.cancel": R(ORDERER, deny_roles=NOT_READERS, objects=ORG, params=SENT_LINE),
    # approvals: approvers (and today's deputies)
    "approvals.inbox": R(APPROVER),
    "approvals.review": R(APPROVER, objects=ORG),
    "approvals.decide": R(APPROVER, objects=ORG),
    "approvals.bulk_approve": R(APPROVER),
    "approvals.notifications_read": R(APPROVER),
    "approvals.substitutes": R(APPROVER),
    "approvals.add_substitute": R(APPROVER),
    "approvals.remove_substitute": R(APPROVER, objects=ORG, stage=1),
    # administration: the coordinator for the municipality, unit managers for their units
    "admin.overview": R(UNIT_MANAGER, COORDINATOR),
    "admin.statistics": R(UNIT_MANAGER, COORDINATOR),
    # the leader's view (issue 13): leaders, coordinators and unit managers read; the coordinator sets and imports
    "leader.overview": R(UNIT_MANAGER, COORDINATOR),
    "leader.report": R(UNIT_MANAGER, COORDINATOR),
    "leader.export_csv": R(UNIT_MANAGER, COORDINATOR, params={"name": "enheter"}),
    "leader.orderers": R(UNIT_MANAGER, COORDINATOR),
    "leader.spend": R(COORDINATOR),
    "leader.spend_import": R(COORDINATOR),
    "leader.cost_centre": R(COORDINATOR),
    "leader.goals": R(COORDINATOR),
    "leader.save_settings": R(COORDINATOR),
    "leader.save_unit_goal": R(COORDINATOR),
    "leader.api_adoption": R(UNIT_MANAGER, COORDINATOR, anon="401"),
    "admin.unit": R(UNIT_MANAGER, COORDINATOR, objects=ORG),
    "admin.grant": R(UNIT_MANAGER, COORDINATOR, objects=ORG),
    "admin.revoke": R(UNIT_MANAGER, COORDINATOR, objects=ORG, stage=2),  # takes the orderer's authority
    "admin.budget": R(UNIT_MANAGER, COORDINATOR, objects=ORG),
    "admin.person": R(UNIT_MANAGER, COORDINATOR, objects=ORG),
    "admin.save_person": R(UNIT_MANAGER, COORDINATOR, objects=ORG),
    "admin.policy": R(COORDINATOR),
    "admin.save_policy": R(COORDINATOR),
    "admin.add_tier": R(COORDINATOR),
    "admin.remove_tier": R(COORDINATOR, objects=ORG, stage=1),
    "backup.export_municipality": R(COORDINATOR),  # the own municipality's data as a zip
    # failed deliveries of the municipality's orders: the coordinator
    "supplier.failed": R(COORDINATOR),
    "supplier.retry": R(COORDINATOR, objects=ORG),
    # suppliers belong to the collaboration: the central buyer manages them, coordinators follow them
    "supplier.settings_list": R(COORDINATOR, CENTRAL_BUYER, TRAINER),
    "supplier.edit_settings": R(COORDINATOR, CENTRAL_BUYER, TRAINER, objects=COLLAB),
    "supplier.new_inbound_token": R(CENTRAL_BUYER, objects=COLLAB),
    "supplier.statistics": R(COORDINATOR, CENTRAL_BUYER),
    "supplier.out_of_stock": R(COORDINATOR, CENTRAL_BUYER),
    "supplier.quarantine": R(COORDINATOR, CENTRAL_BUYER),
    # invoices (issue 17): readers of the order see its invoices; its orderer and the unit's approvers decide
    # deviations; the coordinator has the ready-for-payment list, its CSV and the tolerances
    "invoices.for_order": R(*ORDER_READERS, deny="404", objects=ORG, params=SENT),
    "invoices.decide": R(ORDERER, APPROVER, deny_roles={UNIT_MANAGER: "403", COORDINATOR: "403", **NOT_READERS},
                         objects=ORG, params=SENT),
    "invoices.deviations": R(*ROLES),  # only ever the invoices of the user's own orders and approved units
    "invoices.ready": R(COORDINATOR),
    "invoices.ready_csv": R(COORDINATOR),
    "invoices.tolerances": R(COORDINATOR),
    # the collaboration's catalogues: the central buyer
    "curation.overview": R(CENTRAL_BUYER),
    "curation.search": R(CENTRAL_BUYER),
    "curation.item": R(CENTRAL_BUYER, objects=COLLAB),
    "curation.members": R(CENTRAL_BUYER, objects=COLLAB),
    "curation.min_order": R(CENTRAL_BUYER, objects=COLLAB, data={"policy": "warn"}),  # the agreement's owner
    "curation.quality": R(CENTRAL_BUYER, objects=COLLAB),
    "curation.request_from_search": R(CENTRAL_BUYER, objects=COLLAB),
    "curation.requests": R(CENTRAL_BUYER),
    "curation.request_sent": R(CENTRAL_BUYER, objects=COLLAB),
    "curation.synonyms": R(CENTRAL_BUYER),
    "curation.delete_synonyms": R(CENTRAL_BUYER, objects=COLLAB, stage=1),
    # user administration (issue 16): the coordinator for the municipality, the central buyer for the
    # collaboration; deactivating the orderer runs late and reactivating after it
    "users.index": R(COORDINATOR, CENTRAL_BUYER),
    "users.invite": R(COORDINATOR, CENTRAL_BUYER),
    "users.import_csv": R(COORDINATOR, CENTRAL_BUYER),
    "users.detail": R(COORDINATOR, CENTRAL_BUYER, objects=ORG, wide=frozenset({CENTRAL_BUYER})),
    "users.grant": R(COORDINATOR, CENTRAL_BUYER, objects=ORG, wide=frozenset({CENTRAL_BUYER})),
    "users.revoke": R(COORDINATOR, CENTRAL_BUYER, objects=ORG, wide=frozenset({CENTRAL_BUYER}),
                      params={"assignment_id": "999999"}),
    "users.resend": R(COORDINATOR, CENTRAL_BUYER, objects=ORG, wide=frozenset({CENTRAL_BUYER})),
    "users.deactivate": R(COORDINATOR, CENTRAL_BUYER, objects=ORG, wide=frozenset({CENTRAL_BUYER}), stage=6),
    "users.reactivate": R(COORDINATOR, CENTRAL_BUYER, objects=ORG, wide=frozenset({CENTRAL_BUYER}), stage=7),
    # the one-time links: no login; an unknown token is not found for anyone
    "account.set_password": R(anon="404", deny="404", params={"token": "no-such-token"}),
    "account.forgot": R(*ROLES, anon="ok"),
    # catalogue versions (issue 16): the central buyer of the catalogue's collaboration
    "versions.draft": R(CENTRAL_BUYER, objects=COLLAB),
    "versions.publish": R(CENTRAL_BUYER, objects=COLLAB),
    "versions.history": R(CENTRAL_BUYER, objects=COLLAB),
    "versions.restore": R(CENTRAL_BUYER, objects=COLLAB),
    # quality follow-up (issue 16): answers to item requests, zero-result searches, the report as CSV
    "quality.answer": R(CENTRAL_BUYER, objects=COLLAB, data={"status": "sent"}),
    "quality.zero_results": R(CENTRAL_BUYER),
    "quality.report_csv": R(CENTRAL_BUYER, objects=COLLAB),
    # the training lab's participant pages (issue 12): only a course participant (a sandbox user); 404 for others
    "lab_session.tasks": R(deny="404"),
    "lab_session.start": R(deny="404"),
    "lab_session.done": R(deny="404"),
    "lab_session.give_up": R(deny="404"),
    "lab_session.instructions": R(deny="404"),
    "lab_session.seq": R(deny="404", params={"attempt_id": "999999"}),
    "lab_session.sus": R(deny="404"),
    "lab_session.reset": R(deny="404"),
    # a course's results (issue 12): trainers only (403 for the rest), and only their municipality's courses
    # (an unknown or another municipality's course is 404: tests/lab/test_results.py)
    "lab_results.show": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
    "lab_results.printable": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
    "lab_results.csv": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
    "lab_results.live": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
    # the trainer's pages of the training lab (issue 12): trainers only; a course of another municipality is 404
    # (tests/lab/test_views.py), and a participant (a sandbox user) is no trainer
    "lab.index": R(TRAINER),
    "lab.create": R(TRAINER),
    "lab.library": R(TRAINER),
    "lab.show": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
    "lab.cards": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
    "lab.reset": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999", "participant_id": "1"}),
    "lab.delete": R(deny="403", deny_roles={TRAINER: "404"}, params={"course_id": "999999"}),
}
# Where the rule differs by method (a page anyone of the group may read, a change only some may make).
METHOD_RULES: dict[tuple[str, str], Rule] = {
    ("supplier.edit_settings", "POST"): R(CENTRAL_BUYER, TRAINER, objects=COLLAB),
}


# ------------------------------------------------------------------------------------- the world


@dataclass
class Person:
    key: str
    role: str | None
    municipality: str | None  # "lia" or "bo" (one collaboration), "fjord" (another); None for anonymous
    email: str | None
    collaboration: str = "first"


def _build(world, store, login_as, app):
    """Extra people and one object of every kind in each municipality (Lia is "own", Bø "other")."""
    from webshop.approvals.models import ApprovalSubstitute, ApprovalTier
    from webshop.auth.tokens import create_token
    from webshop.cart.models import CartLine
    from webshop.catalogue.models import (
        Catalogue,
        Favourite,
        ItemRequest,
        OrderTemplate,
        OrderTemplateLine,
        SynonymGroup,
    )
    from webshop.extensions import db
    from webshop.orders.models import Order, OrderDocument
    from webshop.orders.rules import OrderStatus
    from webshop.orgs.models import Role, RoleAssignment, User

    def person(email, name, org, *roles):
        user = User(email=email, name=name, organisation_id=org.id)
        user.set_password(PASSWORD)
        user.roles = [RoleAssignment(role=r, unit_id=u.id if u else None) for r, u in roles]
        store.add(user)
        return user

    manager = person("mia@lia.no", "Mia Manager", world.org, (Role.UNIT_MANAGER, world.school))
    buyer = person("innkjop@lia.no", "Ingrid Innkjøp", world.org, (Role.CENTRAL_BUYER, None))
    trainer = person("trener@lia.no", "Trond Trener", world.org, (Role.TRAINER, None))
    bo_coordinator = person("koord@bo.no", "Bo Coordinator", world.other_org, (Role.COORDINATOR, None))
    bo_manager = person("leder@bo.no", "Bo Manager", world.other_org, (Role.UNIT_MANAGER, world.other_unit))
    store.commit()
    people = [
        Person(ANON, None, None, None),
        Person("lia orderer", ORDERER, "lia", world.orderer.email),
        Person("lia approver", APPROVER, "lia", world.approver.email),
        Person("lia unit manager", UNIT_MANAGER, "lia", manager.email),
        Person("lia coordinator", COORDINATOR, "lia", world.coordinator.email),
        Person("central buyer", CENTRAL_BUYER, "lia", buyer.email),
        Person("trainer", TRAINER, "lia", trainer.email),
        Person("bø orderer", ORDERER, "bo", world.other_orderer.email),
        Person("bø approver", APPROVER, "bo", world.other_approver.email),
        Person("bø unit manager", UNIT_MANAGER, "bo", bo_manager.email),
        Person("bø coordinator", COORDINATOR, "bo", bo_coordinator.email),
    ]
    people += _second_collaboration(app)

    item = world.items["PEN-1"]
    objects: dict[str, dict[str, int]] = {"lia": {}, "bo": {}}
    sides = {
        "lia": (world.orderer, world.approver, world.school, world.org, manager),
        "bo": (world.other_orderer, world.other_approver, world.other_unit, world.other_org, bo_manager),
    }
    for side, (orderer, approver, unit, org, _) in sides.items():
        c = login_as(orderer)
        for _n in range(2):
            assert c.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": "1"}).status_code == 302
            assert c.post("/handlekurv/send", data={"unit_id": unit.id}).status_code == 302
        pending, sent = store.scalars(select(Order).where(Order.orderer_id == orderer.id).order_by(Order.id))
        assert login_as(approver).post(f"/godkjenning/{sent.id}", data={"approve": "1"}).status_code == 302
        store.expire_all()
        store.execute(update(Order).where(Order.id == sent.id).values(status=OrderStatus.SENT))
        document = store.scalar(select(OrderDocument).where(OrderDocument.order_id == sent.id))
        store.commit()
        assert c.post("/handlekurv/legg-til", data={"item_id": item.id, "quantity": "1"}).status_code == 302
        store.commit()
        assert c.post("/handlekurv/legg-til", data={"item_id": world.items["FAR-1"].id, "quantity": "1"}
                      ).status_code == 302
        line, line2 = store.scalars(select(CartLine).where(CartLine.user_id == orderer.id).order_by(CartLine.id))
        favourite = Favourite(user_id=orderer.id, agreement_id=world.agreement.id, supplier_item_id="PEN-1",
                              item_id=item.id)
        template = OrderTemplate(unit_id=unit.id, name="Mal", created_by_id=orderer.id, lines=[OrderTemplateLine(
            agreement_id=world.agreement.id, supplier_item_id="PEN-1", item_id=item.id, quantity=Decimal(1))])
        tier = ApprovalTier(organisation_id=org.id, level=2, name="Direktør", required_above=Decimal("50000"),
                            approver_role=Role.UNIT_MANAGER)
        today = store.scalar(select(Order.submitted_at).where(Order.id == pending.id)).date()
        substitute = ApprovalSubstitute(approver_id=approver.id, deputy_id=orderer.id,
                                        starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=40))
        request = ItemRequest(organisation_id=org.id, user_id=orderer.id, agreement_id=world.agreement.id,
                              query="stiftemaskin", description="Finner ingen")
        store.add_all([favourite, template, tier, substitute, request])
        store.commit()
        with app.app_context():
            token, _text = create_token(db.session.get(User, orderer.id), "matrix")
            token_id = token.id
            db.session.commit()
        objects[side] = {
            "order": pending.id, "sent_order": sent.id, "order_line": sent.lines[0].id,
            "document": document.id, "cart_line": line.id, "cart_line2": line2.id, "favourite": favourite.id,
            "template": template.id,
            "tier": tier.id, "substitute": substitute.id, "token": token_id, "unit": unit.id,
            "user": orderer.id, "request": request.id,
        }
    synonyms = SynonymGroup(collaboration_id=world.org.collaboration_id, terms="farin, sukker")
    store.add(synonyms)
    store.commit()
    catalogue = store.scalar(select(Catalogue.id).where(Catalogue.agreement_id == world.agreement.id))
    shared = {"supplier": world.supplier.id, "item": item.id, "agreement": world.agreement.id,
              "catalogue": catalogue, "synonyms": synonyms.id}
    for side in objects.values():
        side.update(shared)
    objects["fjord"] = SECOND
    return people, objects


SECOND: dict[str, int] = {}  # the second collaboration's objects, filled by _second_collaboration
SIDE_COLLABORATION = {"lia": "first", "bo": "first", "fjord": "second"}


def _second_collaboration(app) -> list[Person]:
    """Another purchasing collaboration (Fjord kommune) with its own supplier, agreement, catalogue,
    synonyms and item request, and its own central buyer and coordinator."""
    from ehf.profiles import Profile
    from webshop.catalogue.csv_import import ItemRow
    from webshop.catalogue.models import Agreement, CatalogueItem, ItemRequest, Supplier, SynonymGroup
    from webshop.catalogue.publish import import_catalogue
    from webshop.extensions import db
    from webshop.orgs.models import Collaboration, Organisation, Role, RoleAssignment, User

    with app.app_context():
        collaboration = Collaboration(name="Fjordsamarbeidet")
        db.session.add(collaboration)
        db.session.flush()
        fjord = Organisation(collaboration_id=collaboration.id, key="fjord", name="Fjord kommune", orgnr="964965226")
        supplier = Supplier(key="fjordkontor", name="Fjordkontor AS", orgnr="987654325", endpoint_id="987654325",
                            profile=Profile.EHF_ORDERING, street="Kaia 1", postcode="6900", city="Florø")
        db.session.add_all([fjord, supplier])
        db.session.flush()
        agreement = Agreement(collaboration_id=collaboration.id, reference="FJ-2025-1", title="Fjordkontor",
                              supplier_id=supplier.id, valid_from=date(2024, 1, 1), valid_to=date(2099, 12, 31),
                              members=[fjord])
        db.session.add(agreement)
        db.session.flush()
        catalogue = import_catalogue(agreement, [ItemRow(1, "FJ-1", "Blyant HB", "", "44121706", "EA",
                                                         Decimal("3.00"))])
        emails = {CENTRAL_BUYER: "innkjop@fjord.no", COORDINATOR: "koord@fjord.no"}
        for role, email in emails.items():
            user = User(email=email, name=f"Fjord {role}", organisation_id=fjord.id)
            user.set_password(PASSWORD)
            user.roles = [RoleAssignment(role=Role(role), unit_id=None)]
            db.session.add(user)
        synonyms = SynonymGroup(collaboration_id=collaboration.id, terms="blyant, stift")
        request = ItemRequest(organisation_id=fjord.id, agreement_id=agreement.id, query="viskelær",
                              description="Finner ingen")
        db.session.add_all([synonyms, request])
        db.session.commit()
        item = db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.catalogue_id == catalogue.id))
        SECOND.clear()
        SECOND.update({"supplier": supplier.id, "item": item, "agreement": agreement.id, "catalogue": catalogue.id,
                       "synonyms": synonyms.id, "request": request.id})
    return [Person("fjord central buyer", CENTRAL_BUYER, "fjord", emails[CENTRAL_BUYER], "second"),
            Person("fjord coordinator", COORDINATOR, "fjord", emails[COORDINATOR], "second")]


# URL parameter → object kind, unless the rule says otherwise.
PARAMS = {
    "order_id": "order", "unit_id": "unit", "user_id": "user", "tier_id": "tier", "token_id": "token",
    "substitute_id": "substitute", "favourite_id": "favourite", "template_id": "template",
    "supplier_id": "supplier", "item_id": "item", "agreement_id": "agreement", "catalogue_id": "catalogue",
    "group_id": "synonyms", "request_id": "request", "document_id": "document", "line_id": "cart_line",
}


def _url(rule, endpoint_rule: Rule, objects: dict[str, int]) -> str:
    values = {}
    for name in rule.arguments:
        kind = endpoint_rule.params.get(name) or PARAMS.get(name)
        if kind is None:
            raise AssertionError(f"{rule.endpoint}: say in RULES which test object fills <{name}>")
        values[name] = objects[kind] if kind in objects else kind
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)
    return path


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303) and "/logg-inn" in response.headers.get("Location", ""):
        return "login"
    if status in (401, 403, 404, 405) or (status >= 500 and status != 503):  # 503: /readyz "not ready yet"
        return str(status)
    return "ok"


def _expected(rule: Rule, person: Person, side: str) -> str:
    if person.role is None:
        return rule.anon
    away = ((rule.objects == ORG and side != person.municipality)
            or (rule.objects == COLLAB and SIDE_COLLABORATION[side] != person.collaboration))
    if rule.objects == ORG and person.role in rule.wide:  # e.g. the central buyer: every municipality of theirs
        away = SIDE_COLLABORATION[side] != person.collaboration
    if person.role not in rule.allow:
        if away and rule.deny_roles:
            return rule.away  # the object check answers first: not found
        return rule.deny_roles.get(person.role, rule.deny)
    return rule.away if away else "ok"


# ------------------------------------------------------------------------------------- the tests


def _routes(app):
    return sorted((r for r in app.url_map.iter_rules()), key=lambda r: (r.endpoint, r.rule))


def test_every_route_has_an_authorization_rule(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    missing = sorted(endpoints - RULES.keys())
    assert not missing, ("Routes without an authorization rule in tests/web/test_authorization_matrix.py "
                         f"RULES (decide who may use them): {missing}")
    stale = sorted(RULES.keys() - endpoints)
    assert not stale, f"RULES names endpoints that no longer exist: {stale}"


def test_every_cell_of_the_matrix(app, world, store, login_as):
    people, objects = _build(world, store, login_as, app)
    clients = {p.key: (login_as(p) if p.email else app.test_client()) for p in people}
    cells = []
    for route in _routes(app):
        rule = RULES.get(route.endpoint) or (R(*ROLES, objects=ORG) if os.environ.get("MATRIX_DUMP") else None)
        if rule is None:
            continue  # reported by test_every_route_has_an_authorization_rule
        sides = {ORG: ("lia", "bo"), COLLAB: ("lia", "fjord")}.get(rule.objects or "", ("lia",))
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            this = METHOD_RULES.get((route.endpoint, method), rule)
            for side in sides:
                url = _url(route, this, objects[side])
                data = {k: str(objects[side].get(v, v)) for k, v in this.data.items()}
                for p in people:
                    expected = _expected(this, p, side)
                    order = 0 if expected != "ok" else 1 + this.stage
                    if route.endpoint == "auth.logout":
                        order = 9  # ends the sessions the other cells use
                    cells.append((order, route.endpoint, method, url, data, p, side, expected))
    cells.sort(key=lambda c: c[0])  # refusals first, then what is allowed; deletions and logout last
    wrong, seen = [], []
    for _order, endpoint, method, url, data, p, side, expected in cells:
        client = clients[p.key]
        try:
            response = client.get(url) if method == "GET" else client.open(url, method=method, data=data)
        except Exception as exc:  # TESTING propagates errors: count them as the 500 they would be
            got, status = "500", f"{type(exc).__name__}: {exc}"
        else:
            got, status = _outcome(response), str(response.status_code)
            response.close()
        seen.append(f"{endpoint} {method} {side} {p.key}: {got}")
        if got != expected:
            wrong.append(f"{method} {url} ({endpoint}) as {p.key} [{side}]: expected {expected}, got {got}"
                         f" ({status})")
    if os.environ.get("MATRIX_DUMP"):
        with open(os.environ["MATRIX_DUMP"], "w") as f:
            f.write("\n".join(seen))
    assert not wrong, f"{len(wrong)} of {len(cells)} cells differ from RULES:\n" + "\n".join(wrong)
