"""The training lab's statistics against values computed by hand (the working is in each comment)."""
from __future__ import annotations

import pytest

from webshop.lab.stats import (
    adjusted_wald,
    compare_means,
    compare_success,
    compare_times,
    geometric_mean,
    mean_with_interval,
    median,
    sentence,
    sus_score,
)


def test_adjusted_wald_four_of_six():
    # z² = 3.841459; p_adj = (4 + 1.920729) / 9.841459 = 0.601611
    # margin = 1.959964 · √(0.601611 · 0.398389 / 9.841459) = 0.305863 → 0.2957 … 0.9075 (Sauro: 30 %–91 %)
    rate = adjusted_wald(4, 6)
    assert rate.share == pytest.approx(4 / 6)
    assert rate.interval.low == pytest.approx(0.295748, abs=1e-5)
    assert rate.interval.high == pytest.approx(0.907474, abs=1e-5)


def test_adjusted_wald_all_succeed_is_clipped_at_one():
    # p_adj = 7.920729 / 9.841459 = 0.804833; margin = 0.247616 → 0.5572 … 1.05, clipped to 1
    rate = adjusted_wald(6, 6)
    assert rate.interval.low == pytest.approx(0.557217, abs=1e-5)
    assert rate.interval.high == 1.0


def test_adjusted_wald_none_succeed_and_no_one():
    assert adjusted_wald(0, 6).interval.low == 0.0
    empty = adjusted_wald(0, 0)
    assert empty.share is None and empty.interval is None
    with pytest.raises(ValueError):
        adjusted_wald(7, 6)


def test_median():
    assert median([240, 60, 120]) == 120
    assert median([60, 120, 180, 600]) == 150
    assert median([]) is None


def test_geometric_mean_of_doubling_times():
    # logs 4.0943, 4.7875, 5.4806: mean 4.7875 → 120 s; sd of logs = ln 2 = 0.693147, se = 0.400189,
    # t(0.975, 2) = 4.302653, half width 1.721874 → 120·e^−1.721874 = 21.45 … 120·e^1.721874 = 671.40
    gm = geometric_mean([60, 120, 240])
    assert gm.value == pytest.approx(120)
    assert gm.interval.low == pytest.approx(21.45, abs=0.01)
    assert gm.interval.high == pytest.approx(671.40, abs=0.01)
    assert geometric_mean([90]).interval is None
    with pytest.raises(ValueError):
        geometric_mean([0, 10])


def test_seq_mean_with_t_interval():
    # 5, 6, 7: mean 6, sd 1, se 0.57735, t(0.975, 2) = 4.302653 → 6 ± 2.484138
    mean = mean_with_interval([5, 6, 7])
    assert mean.value == 6
    assert mean.interval.low == pytest.approx(3.515862, abs=1e-5)
    assert mean.interval.high == pytest.approx(8.484138, abs=1e-5)


@pytest.mark.parametrize(("answers", "score"), [
    ([5, 1, 5, 1, 5, 1, 5, 1, 5, 1], 100.0),  # best answer to every item
    ([1, 5, 1, 5, 1, 5, 1, 5, 1, 5], 0.0),
    ([3] * 10, 50.0),  # (5·2 + 5·2) · 2.5
    ([4, 2, 4, 2, 4, 2, 4, 2, 4, 2], 75.0),  # (5·3 + 5·3) · 2.5
    ([5, 2, 4, 1, 4, 2, 5, 1, 4, 2], 85.0),  # odd 4+3+3+4+3 = 17, even 3+4+3+4+3 = 17 → 34 · 2.5
])
def test_sus_score(answers, score):
    assert sus_score(answers) == score


@pytest.mark.parametrize("answers", [[3] * 9, [3] * 11, [0, 3, 3, 3, 3, 3, 3, 3, 3, 3], [6] + [3] * 9])
def test_sus_refuses_bad_answers(answers):
    with pytest.raises(ValueError):
        sus_score(answers)


def test_compare_success_fisher_and_agresti_caffo():
    # A 2/6, B 6/6. Fisher: successes in A given the margins (8 successes, 12 people, 6 in A) are
    # 2…6 with weights 28, 224, 420, 224, 28 of C(12,6) = 924; as or less likely than 2: 28 + 28 → 0.060606.
    # Agresti–Caffo: 3/8 and 7/8, se = √(0.375·0.625/8 + 0.875·0.125/8) = 0.207289, ±0.406282 around 0.5.
    c = compare_success(adjusted_wald(2, 6), adjusted_wald(6, 6))
    assert c.estimate == pytest.approx(2 / 3)
    assert c.p_value == pytest.approx(56 / 924, abs=1e-9)
    assert c.interval.low == pytest.approx(0.093718, abs=1e-5)
    assert c.interval.high == pytest.approx(0.906282, abs=1e-5)
    assert not c.significant


def test_compare_times_ratio_of_geometric_means():
    # B's logs are A's minus ln 2: ratio 0.5. Welch: se = ln2·√(2/3) = 0.565955, t = −1.224745, df = 4;
    # two-sided p for ν = 4: u = t/√(t²+4) = 0.522233, p = 1 − u(1 + (1−u²)/2) = 0.287864.
    # Interval: t(0.975, 4) = 2.776445 → 0.5·e^∓1.571342 = 0.103885 … 2.406525.
    c = compare_times([60, 120, 240], [30, 60, 120])
    assert c.estimate == pytest.approx(0.5)
    assert c.p_value == pytest.approx(0.287864, abs=1e-5)
    assert c.interval.low == pytest.approx(0.103885, abs=1e-5)
    assert c.interval.high == pytest.approx(2.406525, abs=1e-4)


def test_compare_means_without_spread_or_values_gives_no_figure():
    assert compare_means([6, 6], [6, 6]).estimate is None
    assert compare_means([6], [5, 7]).p_value is None


def test_sentence_when_we_cannot_tell():
    c = compare_times([60, 120, 240], [30, 60, 120])
    assert sentence("time", c, a="A", b="B") == (
        "Med 3 per gruppe kan vi ikke si sikkert om det er en forskjell (p = 0,29): "
        "B brukte 0,50 ganger så lang tid som A (kan ligge mellom 0,10 og 2,41).")


def test_sentence_when_the_difference_is_clear():
    # 0/8 against 8/8: Fisher p = 2/C(16,8) = 2/12870 < 0.01
    c = compare_success(adjusted_wald(0, 8), adjusted_wald(8, 8))
    assert c.significant
    text = sentence("success", c, a="Rå katalog", b="Kuratert katalog")
    assert text.startswith("Med 8 per gruppe: flere lyktes med Kuratert katalog enn med Rå katalog, "
                           "og det er neppe tilfeldig (p < 0,01); forskjellen i andel som lyktes er 100 prosentpoeng")


def test_sentence_with_too_few():
    c = compare_means([6], [5])
    assert sentence("seq", c, a="A", b="B") == "Med 1 per gruppe er det for få målinger til å sammenligne A og B."
