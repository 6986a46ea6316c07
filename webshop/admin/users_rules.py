"""Who may administer whose account, and which roles they may give: plain Python, no Flask or SQL.

The coordinator looks after the people of their own municipality; the central buyer after
the people of every municipality in the purchasing collaboration. Nobody administers their
own account (no one grants themselves a role or deactivates themselves). Unit roles
(orderer, approver, unit manager) belong to one unit; the coordinator role to a municipality,
and only the central buyer gives it. The central buyer and trainer roles are not given here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from webshop.orgs.models import Role

UNIT_ROLES: Final = frozenset({Role.ORDERER, Role.APPROVER, Role.UNIT_MANAGER})


@dataclass(frozen=True)
class Actor:
    """The one who administers: their account, municipality, collaboration and roles."""

    user_id: int
    organisation_id: int
    collaboration_id: int
    roles: frozenset[Role]


@dataclass(frozen=True)
class Account:
    """The account being administered."""

    user_id: int
    organisation_id: int
    collaboration_id: int
    roles: frozenset[Role] = frozenset()


def out_of_reach(actor: Actor) -> frozenset[Role]:
    """Accounts holding one of these roles are not ``actor``'s to administer: a coordinator does not
    administer another coordinator or the central buyer; the central buyer not another central buyer."""
    if Role.CENTRAL_BUYER in actor.roles:
        return frozenset({Role.CENTRAL_BUYER})
    return frozenset({Role.COORDINATOR, Role.CENTRAL_BUYER})


def can_manage_users(actor: Actor) -> bool:
    """The user administration at all: coordinators and the central buyer."""
    return Role.COORDINATOR in actor.roles or Role.CENTRAL_BUYER in actor.roles


def can_manage_account(actor: Actor, account: Account) -> bool:
    """A coordinator: the people of their municipality; the central buyer: of their collaboration.
    Never oneself, and never an account ``out_of_reach``."""
    if actor.user_id == account.user_id or account.roles & out_of_reach(actor):
        return False
    if Role.CENTRAL_BUYER in actor.roles and actor.collaboration_id == account.collaboration_id:
        return True
    return Role.COORDINATOR in actor.roles and actor.organisation_id == account.organisation_id


def grantable_roles(actor: Actor) -> frozenset[Role]:
    """The roles ``actor`` may give and take: unit roles, and the coordinator role for the central buyer."""
    if Role.CENTRAL_BUYER in actor.roles:
        return UNIT_ROLES | {Role.COORDINATOR}
    if Role.COORDINATOR in actor.roles:
        return UNIT_ROLES
    return frozenset()


def role_needs_unit(role: Role) -> bool:
    return role in UNIT_ROLES


# Names a CSV may use for a role (Norwegian and English, any case).
ROLE_NAMES: Final[dict[str, Role]] = {
    "bestiller": Role.ORDERER, "orderer": Role.ORDERER,
    "godkjenner": Role.APPROVER, "approver": Role.APPROVER,
    "enhetsleder": Role.UNIT_MANAGER, "unit_manager": Role.UNIT_MANAGER, "unit manager": Role.UNIT_MANAGER,
}


def role_from_name(text: str) -> Role | None:
    return ROLE_NAMES.get(" ".join(text.strip().lower().split()))


MIN_PASSWORD_LENGTH: Final = 10


def password_problem(password: str, repeated: str, *, email: str) -> str | None:
    """Why a new password is refused (a short message key), or None."""
    if password != repeated:
        return "mismatch"
    if len(password) < MIN_PASSWORD_LENGTH:
        return "short"
    if password.strip().lower() == email.strip().lower() or password.lower() in email.lower():
        return "email"
    return None
