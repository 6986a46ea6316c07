"""A supplier's settings row (transport, simulator behaviour) and its inbound bearer token.
Service functions flush; the caller commits."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from webshop import audit
from webshop.catalogue.models import Supplier
from webshop.dbtypes import utcnow
from webshop.extensions import db
from webshop.orgs.models import User
from webshop.supplier.models import SupplierSettings
from webshop.supplier.rules import Behaviour

INBOUND_TOKEN_PREFIX = "ehfin_"


def settings_for(supplier: Supplier) -> SupplierSettings:
    """The supplier's settings, created with the defaults (folder transport, no simulator) on first use."""
    settings = db.session.scalar(select(SupplierSettings).where(SupplierSettings.supplier_id == supplier.id))
    if settings is None:
        settings = SupplierSettings(supplier_id=supplier.id)
        settings.supplier = supplier
        db.session.add(settings)
        db.session.flush()
    return settings


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _shown(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def update_settings(settings: SupplierSettings, values: Mapping[str, object], *, by: User) -> list[str]:
    """Apply ``values`` (field name → new value) and write one audit event that names every
    change as ``field: old → new`` (issue 10: every settings change is audited). Nothing
    changed, nothing written. Returns the changes."""
    changes = []
    for name, new in values.items():
        old = getattr(settings, name)
        if _shown(old) != _shown(new):
            changes.append(f"{name}: {_shown(old)} → {_shown(new)}")
            setattr(settings, name, new)
    if changes:
        settings.updated_by_id = by.id
        audit.record("supplier_settings_changed", by=by, organisation_id=by.organisation_id,
                     comment=f"{settings.supplier.name}: " + "; ".join(changes))
        db.session.flush()
    return changes


def create_inbound_token(settings: SupplierSettings, *, by: User) -> str:
    """A new bearer token for the supplier's POST /api/v1/ehf/inbound, replacing any earlier one
    (the view asks for confirmation first). Only its SHA-256 is stored; the token is returned to
    be shown once. The audit event says whether a key was replaced, never the key or its start."""
    replaced_at = settings.inbound_token_created_at if settings.inbound_token_hash else None
    token = INBOUND_TOKEN_PREFIX + secrets.token_urlsafe(32)
    settings.inbound_token_hash, settings.inbound_token_hint = _token_hash(token), token[:10]
    settings.inbound_token_created_at, settings.updated_by_id = utcnow(), by.id
    if replaced_at is None:
        audit.record("inbound_token_created", by=by, organisation_id=by.organisation_id,
                     comment=f"{settings.supplier.name}: ny nøkkel for innsending av ordresvar og pakksedler")
    else:
        audit.record("inbound_token_replaced", by=by, organisation_id=by.organisation_id,
                     comment=f"{settings.supplier.name}: ny nøkkel erstatter nøkkelen laget "
                             f"{replaced_at:%Y-%m-%d %H:%M} UTC, som ikke virker lenger")
    db.session.flush()
    return token


def supplier_for_inbound_token(token: str) -> Supplier | None:
    """The supplier a valid inbound token belongs to, or None."""
    if not token.startswith(INBOUND_TOKEN_PREFIX) or len(token) > 200:
        return None
    return db.session.scalar(select(Supplier).join(SupplierSettings, SupplierSettings.supplier_id == Supplier.id)
                             .where(SupplierSettings.inbound_token_hash == _token_hash(token)))


SEED_KEYS = ("out_of_stock_items", "out_of_stock_lines", "backorder_days", "quantity_change_percent",
             "answer_delay_seconds", "delivery_parts", "part_interval_minutes")


def seed_settings(supplier: Supplier, row: dict[str, Any]) -> None:
    """Demo data: a supplier row with `simulator = "partial"` (and the knobs above) gets a simulated supplier."""
    if "simulator" not in row:
        return
    settings = SupplierSettings(supplier_id=supplier.id, behaviour=Behaviour(row["simulator"]))
    for key in SEED_KEYS:
        if key in row:
            setattr(settings, key, row[key])
    db.session.add(settings)
