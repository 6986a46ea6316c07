"""Pure vocabulary and rules of the training lab (issue 12): no Flask, no SQLAlchemy.

The keys a course file, the trainer's form and the database share, and the small decisions that
need no database: balanced random assignment, counterbalanced condition orders, participant codes.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from enum import StrEnum
from itertools import permutations


class TemplateKey(StrEnum):
    DEMO = "demo"  # the demo municipality (Fjellbygd)
    OWN = "own"  # the trainer's own municipality


class Design(StrEnum):
    BETWEEN = "between"  # each participant works under one condition
    WITHIN = "within"  # everyone works under every condition, order counterbalanced


class Assignment(StrEnum):
    RANDOM = "random"  # balanced random
    MANUAL = "manual"  # the trainer picks


class CatalogueVariant(StrEnum):
    CURATED = "curated"  # curated names, keywords and synonyms
    RAW = "raw"  # the supplier's raw names, no synonyms


class CatalogueRange(StrEnum):
    FULL = "full"
    LIMITED = "limited"


class OrderingAuthority(StrEnum):
    EVERYONE = "everyone"  # every colleague orders
    DESIGNATED = "designated"  # a few designated orderers


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILED = "failed"
    GAVE_UP = "gave_up"
    TIMED_OUT = "timed_out"


def participant_code(number: int) -> str:
    """P01, P02, …, P99, P100."""
    return f"P{number:02d}"


def balanced_assignment(n: int, condition_keys: Sequence[str], rng: random.Random) -> list[str]:
    """Condition keys for ``n`` participants: every condition gets ``n // k`` or one more, shuffled.

    The remainder goes to randomly chosen conditions so no condition is always the bigger one.
    """
    if not condition_keys:
        raise ValueError("a course needs at least one condition")
    k = len(condition_keys)
    extra = rng.sample(list(condition_keys), n % k)
    keys = [key for key in condition_keys for _ in range(n // k)] + extra
    rng.shuffle(keys)
    return keys


def counterbalanced_orders(n: int, condition_keys: Sequence[str], rng: random.Random) -> list[str]:
    """Condition orders ("AB", "BA", …) for a within-subject course, each order used equally often
    (up to one), in random sequence. With more than four conditions the permutations are sampled."""
    if not condition_keys:
        raise ValueError("a course needs at least one condition")
    orders = ["".join(p) for p in permutations(condition_keys)]
    if len(orders) > 24:
        orders = rng.sample(orders, 24)
    return balanced_assignment(n, orders, rng)


def orgnr_check_digit(first8: str) -> int | None:
    """The MOD11 check digit of a Norwegian organisation number (None: no valid number starts so).
    A sandbox gets a valid number because its EHF orders are built and checked for real."""
    remainder = sum(int(d) * w for d, w in zip(first8, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    digit = 11 - remainder
    return 0 if digit == 11 else None if digit == 10 else digit
