"""Who sees the leader's figures, as predicates beside their twin queries.

Leaders (per municipality, read-only) and coordinators see every unit of their municipality;
unit managers see the units they manage. Only the coordinator imports spend and sets targets.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from webshop.orgs.models import Role, Unit, User


def sees_every_unit(user: User) -> bool:
    return user.has_role(Role.LEADER) or user.has_role(Role.COORDINATOR)


def can_view_adoption(user: User) -> bool:
    """The leader's view and the adoption API: leaders, coordinators and unit managers."""
    return sees_every_unit(user) or bool(user.unit_ids(Role.UNIT_MANAGER))


def can_view_unit_adoption(user: User, unit: Unit) -> bool:
    """One unit's figures. Twin of ``adoption_units``."""
    if unit.organisation_id != user.organisation_id:
        return False
    return sees_every_unit(user) or unit.id in user.unit_ids(Role.UNIT_MANAGER)


def adoption_units(user: User) -> Select[Unit]:
    """The units ``can_view_unit_adoption`` allows, as one query."""
    query = select(Unit).where(Unit.organisation_id == user.organisation_id)
    if sees_every_unit(user):
        return query
    return query.where(Unit.id.in_(user.unit_ids(Role.UNIT_MANAGER)))


def can_manage_spend(user: User) -> bool:
    """Import the accounting export, map cost centres, set the target and unit goals: the coordinator."""
    return user.has_role(Role.COORDINATOR)
