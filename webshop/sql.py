"""Compare-and-set statements: the worker's claims and results, the lifecycle's status change, taking a cart."""
from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update

from webshop.extensions import db


def rows_changed(statement: Update | Delete) -> int:
    """Run an UPDATE (or DELETE) without touching objects in the session; return how many rows it changed.
    The WHERE clause is the guard (state, lease, owner): 1 means we won, 0 that someone else did."""
    result = cast("CursorResult[Any]", db.session.execute(
        statement, execution_options={"synchronize_session": False}))
    return result.rowcount
