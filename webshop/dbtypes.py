"""Column types. Decimals are stored as scaled integers so that sums and
comparisons are exact on SQLite (which has no decimal type) and PostgreSQL alike."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Enum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of decimals, stored as an integer."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2) -> None:
        super().__init__()
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def __repr__(self) -> str:
        return f"ScaledDecimal(scale={self.scale})"

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return int(value.quantize(self._quantum, rounding=ROUND_HALF_UP).scaleb(self.scale))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)

    def coerce_compared_value(self, op: Any, value: Any) -> ScaledDecimal:
        return self


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in model definitions
    return ScaledDecimal(2)


def Quantity() -> ScaledDecimal:  # noqa: N802
    return ScaledDecimal(3)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


_clock: ContextVar[datetime | None] = ContextVar("clock", default=None)


def utcnow() -> datetime:
    """Now, in UTC. Demo and training data can set the clock to build a past."""
    return _clock.get() or datetime.now(UTC)


@contextmanager
def clock_set_to(moment: datetime) -> Iterator[None]:
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


def StrEnumType(enum: type[StrEnum], length: int = 30) -> Enum:  # noqa: N802
    """Store a StrEnum by its value ("pending_approval"), readable in SQL and reports."""
    return Enum(enum, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
