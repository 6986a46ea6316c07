"""The training lab's statistics (issue 12): pure functions, no Flask, no SQLAlchemy.

Small-sample usability statistics as Sauro & Lewis (*Quantifying the User Experience*) teach them:
the adjusted-Wald 95 % interval for a success rate, the median and the geometric mean (with its
t-interval on log times) for time on task, the SEQ mean against the usual benchmark 5.5, SUS scoring
and the mean against 68, and the difference between two conditions with a test that holds for a few
people per group: Fisher's exact test for success, Welch's t-test on log times (a ratio of geometric
means) and on SEQ. The tests come from ``scipy.stats`` (maintained, exact for these sizes). Finally a
plain-Norwegian sentence that says what the difference is and how unsure it is.

Figures are floats: these are estimates, not money. ``None`` means "no figure" (too few values).
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scipy import stats as sps

Z95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval
SEQ_BENCHMARK = 5.5  # the average SEQ across many tasks (Sauro 2012)
SUS_BENCHMARK = 68.0  # the average SUS score (Sauro & Lewis)
SIGNIFICANT = 0.05


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class Rate:
    """A success rate: ``successes`` of ``n``, the observed share and its adjusted-Wald interval."""

    successes: int
    n: int
    share: float | None
    interval: Interval | None


@dataclass(frozen=True)
class Mean:
    """A mean (or geometric mean) with its 95 % t-interval (``None`` with fewer than two values)."""

    value: float | None
    interval: Interval | None
    n: int


@dataclass(frozen=True)
class Comparison:
    """Condition B against condition A: the estimate of the difference (or ratio), its 95 % interval and
    the test's p-value; ``kind`` says which ("share": B − A in percentage points, "ratio": B / A,
    "difference": B − A)."""

    kind: str
    estimate: float | None
    interval: Interval | None
    p_value: float | None
    n_a: int
    n_b: int

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANT


# --- one condition -----------------------------------------------------------------------------------

def adjusted_wald(successes: int, n: int, *, z: float = Z95) -> Rate:
    """The success rate with its adjusted-Wald (Agresti–Coull) interval, clipped to 0–1.

    Add z²/2 successes and z² trials, then take the Wald interval around that adjusted share: it
    keeps its promised coverage down to a handful of participants, where the plain Wald does not."""
    if n <= 0:
        return Rate(successes, 0, None, None)
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    z2 = z * z
    adjusted = (successes + z2 / 2) / (n + z2)
    margin = z * math.sqrt(adjusted * (1 - adjusted) / (n + z2))
    return Rate(successes, n, successes / n, Interval(max(0.0, adjusted - margin), min(1.0, adjusted + margin)))


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _t_interval(values: Sequence[float]) -> tuple[float, Interval | None]:
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, None
    half = float(sps.t.ppf(0.975, len(values) - 1)) * statistics.stdev(values) / math.sqrt(len(values))
    return mean, Interval(mean - half, mean + half)


def mean_with_interval(values: Sequence[float]) -> Mean:
    """The arithmetic mean with its 95 % t-interval (for SEQ and SUS)."""
    if not values:
        return Mean(None, None, 0)
    mean, interval = _t_interval(values)
    return Mean(mean, interval, len(values))


def geometric_mean(seconds: Sequence[float]) -> Mean:
    """The geometric mean of times on task with its 95 % interval: a t-interval on the log times,
    taken back with exp. Task times are skewed (a few very slow people), and for small samples the
    geometric mean estimates the middle better than the arithmetic mean or the median."""
    if not seconds:
        return Mean(None, None, 0)
    if any(s <= 0 for s in seconds):
        raise ValueError("times must be positive")
    log_mean, interval = _t_interval([math.log(s) for s in seconds])
    back = Interval(math.exp(interval.low), math.exp(interval.high)) if interval else None
    return Mean(math.exp(log_mean), back, len(seconds))


def sus_score(answers: Sequence[int]) -> float:
    """The SUS score 0–100 of ten answers 1–5: odd items count (answer − 1), even items (5 − answer),
    and the sum times 2.5."""
    if len(answers) != 10 or any(not 1 <= a <= 5 for a in answers):
        raise ValueError("SUS has ten answers from 1 to 5")
    total = sum((a - 1) if i % 2 == 0 else (5 - a) for i, a in enumerate(answers))
    return total * 2.5


# --- two conditions ----------------------------------------------------------------------------------

def compare_success(a: Rate, b: Rate, *, z: float = Z95) -> Comparison:
    """B's success rate minus A's, with the Agresti–Caffo interval (one success and one failure added to
    each group) and Fisher's exact p-value, right for the tiny groups of a course."""
    if a.n == 0 or b.n == 0:
        return Comparison("share", None, None, None, a.n, b.n)
    pa, pb = (a.successes + 1) / (a.n + 2), (b.successes + 1) / (b.n + 2)
    margin = z * math.sqrt(pa * (1 - pa) / (a.n + 2) + pb * (1 - pb) / (b.n + 2))
    estimate = b.successes / b.n - a.successes / a.n
    table = [[a.successes, a.n - a.successes], [b.successes, b.n - b.successes]]
    p_value = float(sps.fisher_exact(table).pvalue)
    return Comparison("share", estimate, Interval(max(-1.0, pb - pa - margin), min(1.0, pb - pa + margin)),
                      p_value, a.n, b.n)


def _welch(a: Sequence[float], b: Sequence[float]) -> tuple[float, Interval, float] | None:
    """B's mean minus A's, Welch's 95 % interval and p-value; None when it cannot be computed."""
    if len(a) < 2 or len(b) < 2:
        return None
    if statistics.pvariance(a) == 0 and statistics.pvariance(b) == 0:
        return None  # no spread at all: the t statistic is undefined
    result = sps.ttest_ind(b, a, equal_var=False)
    ci = result.confidence_interval(0.95)
    return float(statistics.fmean(b) - statistics.fmean(a)), Interval(float(ci.low), float(ci.high)), \
        float(result.pvalue)


def compare_times(a: Sequence[float], b: Sequence[float]) -> Comparison:
    """B's geometric mean time as a ratio of A's (0.5: B took half as long), with the interval and the
    p-value of Welch's t-test on log times."""
    result = _welch([math.log(s) for s in a], [math.log(s) for s in b])
    if result is None:
        return Comparison("ratio", None, None, None, len(a), len(b))
    diff, ci, p_value = result
    return Comparison("ratio", math.exp(diff), Interval(math.exp(ci.low), math.exp(ci.high)), p_value,
                      len(a), len(b))


def compare_means(a: Sequence[float], b: Sequence[float]) -> Comparison:
    """B's mean minus A's (SEQ, SUS) with Welch's interval and p-value."""
    result = _welch(a, b)
    if result is None:
        return Comparison("difference", None, None, None, len(a), len(b))
    diff, ci, p_value = result
    return Comparison("difference", diff, ci, p_value, len(a), len(b))


# --- in plain Norwegian --------------------------------------------------------------------------------

Gettext = Callable[..., str]


def _identity(message: str, **values: object) -> str:
    return message % values if values else message


def _num(value: float, decimals: int = 0) -> str:
    return f"{value:.{decimals}f}".replace(".", ",").replace("-", "−")


def _group_size(c: Comparison) -> str:
    return str(c.n_a) if c.n_a == c.n_b else f"{c.n_a}/{c.n_b}"


Number = Callable[[float, int], str]


def sentence(measure: str, c: Comparison, *, a: str, b: str, _: Gettext = _identity, num: Number = _num) -> str:
    """One sentence in plain Norwegian for the trainer: which condition did better on ``measure``
    ("success", "time", "seq" or "sus"), by how much, and how sure we can be, e.g. «Med 6 per gruppe
    kan vi ikke si om B er raskere eller tregere enn A: B brukte 0,8 ganger så lang tid (kan ligge
    mellom 0,4 og 1,6).» ``_`` is the caller's gettext (flask_babel's in a request), ``num(value,
    decimals)`` writes a number (default: a decimal comma)."""
    n = _group_size(c)
    if c.estimate is None or c.interval is None:
        return _("Med %(n)s per gruppe er det for få målinger til å sammenligne %(a)s og %(b)s.", n=n, a=a, b=b)
    low, high = c.interval.low, c.interval.high
    if measure == "time":
        span = _("%(b)s brukte %(est)s ganger så lang tid som %(a)s (kan ligge mellom %(low)s og %(high)s)",
                 b=b, a=a, est=num(c.estimate, 2), low=num(low, 2), high=num(high, 2))
        better = c.estimate < 1
        verdict = _("%(b)s er raskere enn %(a)s") if better else _("%(b)s er tregere enn %(a)s")
    elif measure == "success":
        span = _("forskjellen i andel som lyktes er %(est)s prosentpoeng (kan ligge mellom %(low)s og %(high)s)",
                 est=num(100 * c.estimate, 0), low=num(100 * low, 0), high=num(100 * high, 0))
        better = c.estimate > 0
        verdict = _("flere lyktes med %(b)s enn med %(a)s") if better else _("færre lyktes med %(b)s enn med %(a)s")
    else:
        label = _("SEQ") if measure == "seq" else _("SUS")
        span = _("%(b)s fikk %(est)s poeng mer på %(label)s enn %(a)s (kan ligge mellom %(low)s og %(high)s)",
                 b=b, a=a, est=num(c.estimate, 1), label=label, low=num(low, 1), high=num(high, 1))
        better = c.estimate > 0
        verdict = _("%(b)s oppleves som lettere enn %(a)s") if better else _("%(b)s oppleves som tyngre enn %(a)s")
    verdict = verdict % {"a": a, "b": b}
    p = f"p = {num(c.p_value, 2)}" if c.p_value is not None and c.p_value >= 0.01 else f"p < {num(0.01, 2)}"
    if c.significant:
        return _("Med %(n)s per gruppe: %(verdict)s, og det er neppe tilfeldig (%(p)s); %(span)s.",
                 n=n, verdict=verdict, p=p, span=span)
    return _("Med %(n)s per gruppe kan vi ikke si sikkert om det er en forskjell (%(p)s): %(span)s.",
             n=n, p=p, span=span)
