"""Retry timing for outgoing messages (pure: no Flask, no SQLAlchemy). The message's state,
``DeliveryState``, belongs to the order document and lives in ``orders.rules``."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from webshop.orders.rules import DeliveryState

BASE_DELAY: Final = timedelta(seconds=30)
MAX_DELAY: Final = timedelta(hours=1)
FAIL_AFTER: Final = 3  # attempts before the failure is shown to the coordinator
MAX_ATTEMPTS: Final = 20  # then the worker stops and waits for someone to press "try again"


PENDING_STATES: Final = frozenset({DeliveryState.QUEUED, DeliveryState.RETRYING, DeliveryState.FAILED})


def backoff(attempts: int, base: timedelta = BASE_DELAY, cap: timedelta = MAX_DELAY) -> timedelta:
    """Wait before attempt ``attempts + 1``: base, 2×base, 4×base … capped."""
    if attempts < 1:
        return timedelta(0)
    delay: timedelta = min(base * (2 ** min(attempts - 1, 20)), cap)
    return delay


def after_failure(attempts: int, now: datetime, *, fail_after: int = FAIL_AFTER, max_attempts: int = MAX_ATTEMPTS,
                  base: timedelta = BASE_DELAY) -> tuple[DeliveryState, datetime | None]:
    """State and next attempt time after the ``attempts``-th failed attempt (None: stop retrying)."""
    state = DeliveryState.FAILED if attempts >= fail_after else DeliveryState.RETRYING
    if attempts >= max_attempts:
        return DeliveryState.FAILED, None
    return state, now + backoff(attempts, base)
