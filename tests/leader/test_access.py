"""Who sees which unit's figures: the predicate and its query agree, and the grid is written by hand."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from webshop.leader.access import adoption_units, can_manage_spend, can_view_adoption, can_view_unit_adoption
from webshop.orgs.models import Role, RoleAssignment, Unit, User


@pytest.fixture
def people(world, store):
    made = {}
    for key, email, roles in (("leader", "rad@lia.no", [(Role.LEADER, None)]),
                              ("manager", "mia@lia.no", [(Role.UNIT_MANAGER, world.nursing)])):
        user = User(email=email, name=key, organisation_id=world.org.id, password_hash="x")
        user.roles = [RoleAssignment(role=r, unit_id=u.id if u else None) for r, u in roles]
        store.add(user)
        made[key] = user
    store.commit()
    return made


def test_the_grid_and_the_twins(app, world, people, store):
    users = {"leader": people["leader"], "manager": people["manager"], "coordinator": world.coordinator,
             "orderer": world.orderer, "approver": world.approver, "other orderer": world.other_orderer}
    expected = {  # by hand: which units' figures each may see
        "leader": {"Lia skole", "Lia sykehjem"}, "coordinator": {"Lia skole", "Lia sykehjem"},
        "manager": {"Lia sykehjem"}, "orderer": set(), "approver": set(), "other orderer": set(),
    }
    units = list(store.scalars(select(Unit)))
    from webshop.extensions import db

    with app.app_context():
        for name, user in users.items():
            user = db.session.get(User, user.id)
            by_predicate = {u.name for u in units if can_view_unit_adoption(user, db.session.get(Unit, u.id))}
            by_query = {u.name for u in db.session.scalars(adoption_units(user))}
            assert by_predicate == by_query == expected[name], name
            assert can_view_adoption(user) == bool(expected[name]), name
        assert [n for n, u in users.items() if can_manage_spend(db.session.get(User, u.id))] == ["coordinator"]
