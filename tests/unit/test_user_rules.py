"""Issue 16: who administers whose account, and which roles they give (pure rules, hand-written grids)."""
from __future__ import annotations

import pytest

from webshop.admin.users_rules import (
    Account,
    Actor,
    can_manage_account,
    can_manage_users,
    grantable_roles,
    password_problem,
    role_from_name,
)
from webshop.orgs.models import Role

COORD = Actor(1, organisation_id=10, collaboration_id=100, roles=frozenset({Role.COORDINATOR}))
BUYER = Actor(2, organisation_id=10, collaboration_id=100, roles=frozenset({Role.CENTRAL_BUYER}))
ORDERER = Actor(3, organisation_id=10, collaboration_id=100, roles=frozenset({Role.ORDERER}))
MANAGER = Actor(4, organisation_id=10, collaboration_id=100, roles=frozenset({Role.UNIT_MANAGER}))

SAME_ORG = Account(50, organisation_id=10, collaboration_id=100)
OTHER_ORG = Account(51, organisation_id=11, collaboration_id=100)
OTHER_COLLAB = Account(52, organisation_id=20, collaboration_id=200)


@pytest.mark.parametrize("actor, account, allowed", [
    (COORD, SAME_ORG, True), (COORD, OTHER_ORG, False), (COORD, OTHER_COLLAB, False),
    (COORD, Account(1, 10, 100), False),  # never oneself
    (BUYER, SAME_ORG, True), (BUYER, OTHER_ORG, True), (BUYER, OTHER_COLLAB, False),
    (BUYER, Account(2, 10, 100), False),
    (ORDERER, SAME_ORG, False), (MANAGER, SAME_ORG, False),
    # a coordinator leaves other coordinators and the central buyer alone; the buyer leaves other buyers
    (COORD, Account(53, 10, 100, frozenset({Role.COORDINATOR})), False),
    (COORD, Account(54, 10, 100, frozenset({Role.CENTRAL_BUYER})), False),
    (COORD, Account(55, 10, 100, frozenset({Role.ORDERER, Role.APPROVER})), True),
    (BUYER, Account(53, 10, 100, frozenset({Role.COORDINATOR})), True),
    (BUYER, Account(54, 11, 100, frozenset({Role.CENTRAL_BUYER})), False),
])
def test_who_manages_whose_account(actor, account, allowed):
    assert can_manage_account(actor, account) is allowed


@pytest.mark.parametrize("actor, roles", [
    (COORD, {Role.ORDERER, Role.APPROVER, Role.UNIT_MANAGER}),
    (BUYER, {Role.ORDERER, Role.APPROVER, Role.UNIT_MANAGER, Role.COORDINATOR}),
    (ORDERER, set()), (MANAGER, set()),
])
def test_grantable_roles(actor, roles):
    assert grantable_roles(actor) == roles
    assert can_manage_users(actor) is bool(roles)


@pytest.mark.parametrize("text, role", [("bestiller", Role.ORDERER), (" Godkjenner ", Role.APPROVER),
                                        ("unit manager", Role.UNIT_MANAGER), ("enhetsleder", Role.UNIT_MANAGER),
                                        ("koordinator", None), ("central_buyer", None), ("", None)])
def test_role_names_in_a_csv(text, role):
    assert role_from_name(text) is role


@pytest.mark.parametrize("password, repeated, problem", [
    ("Lang-nok-passord", "Lang-nok-passord", None), ("kort", "kort", "short"),
    ("Lang-nok-passord", "Lang-nok-passorD", "mismatch"), ("nina@lia.no", "nina@lia.no", "email"),
])
def test_password_problems(password, repeated, problem):
    assert password_problem(password, repeated, email="nina@lia.no") == problem


def test_every_unit_a_catalogue_accepts_has_a_label_on_the_order_pages():
    from webshop.catalogue.units import ACCEPTED
    from webshop.templating import UNIT_LABELS

    assert set(ACCEPTED) - set(UNIT_LABELS) == set()
