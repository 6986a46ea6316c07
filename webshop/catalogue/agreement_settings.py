"""Settings that belong to a framework agreement, owned by its collaboration's central buyer.

For now one: whether an order under the supplier's minimum order value is refused
(``min_order_blocks``) or only warned about. Every change is an audit event.
"""
from __future__ import annotations

from flask_babel import gettext as _

from webshop import audit
from webshop.catalogue.models import Agreement
from webshop.errors import DomainError
from webshop.extensions import db
from webshop.orgs.models import Role, User


class AgreementSettingError(DomainError):
    """A change the user may not make; the message is shown."""


def can_edit_agreement(user: User, agreement: Agreement) -> bool:
    """Only the central buyer of the agreement's own collaboration."""
    return user.has_role(Role.CENTRAL_BUYER) and user.organisation.collaboration_id == agreement.collaboration_id


def set_min_order_blocks(agreement: Agreement, blocks: bool, *, by: User) -> bool:
    """Make the minimum order value block (True) or warn (False); returns whether it changed."""
    if not can_edit_agreement(by, agreement):
        raise AgreementSettingError(_("Bare avtalens sentrale innkjøper kan endre dette."))
    if agreement.min_order_blocks == blocks:
        return False
    before = "block" if agreement.min_order_blocks else "warn"
    agreement.min_order_blocks = blocks
    audit.record("agreement_min_order", by=by, organisation_id=by.organisation_id,
                 comment=f"{agreement.reference}: {before} → {'block' if blocks else 'warn'}")
    db.session.flush()
    return True
