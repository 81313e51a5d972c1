"""The core's small-sample statistics against independent implementations: SciPy
(``fisher_exact``, ``t.ppf``, ``norm.ppf``) and statsmodels (``proportion_confint`` with
``method="wilson"``, ``confint_proportions_2indep`` with ``method="newcomb"``), on grids of small
and large counts. The NPS interval is recomputed here from its published formula (Rocks 2016,
adjusted Wald)."""

from __future__ import annotations

import itertools
import math
import statistics
from typing import Any

import cjm
import pytest
from cjm import _cjm

scipy_stats: Any = pytest.importorskip("scipy.stats")
proportion: Any = pytest.importorskip("statsmodels.stats.proportion")

Z95 = float(scipy_stats.norm.ppf(0.975))

# Small counts exhaustively, then sizes where a rounding or cancellation problem would show.
SMALL_N = range(0, 7)
LARGE = [(0, 100_000), (1, 100_000), (2, 100_000), (50_000, 100_000), (99_999, 100_000)]
LARGE += [(100_000, 100_000), (37, 1_000), (999, 1_000), (3, 50)]


def small_proportions() -> list[tuple[int, int]]:
    return [(x, n) for n in SMALL_N for x in range(n + 1)]


def close(actual: float | None, expected: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_)


@pytest.mark.parametrize(("x", "n"), small_proportions() + LARGE)
def test_wilson_matches_statsmodels(x: int, n: int) -> None:
    ours = _cjm.wilson_interval(x, n)
    if n == 0:
        assert ours is None
        return
    assert ours is not None
    low, high = proportion.proportion_confint(x, n, alpha=0.05, method="wilson")
    assert close(ours[0], float(low)), (x, n, ours, low)
    assert close(ours[1], float(high)), (x, n, ours, high)


def test_wilson_refuses_impossible_counts() -> None:
    assert _cjm.wilson_interval(3, 2) is None


def pairs() -> list[tuple[int, int, int, int]]:
    small = small_proportions()
    grid = [(x1, n1, x2, n2) for (x1, n1), (x2, n2) in itertools.product(small, small)]
    grid += [(x1, n1, x2, n2) for (x1, n1), (x2, n2) in itertools.product(LARGE, LARGE)]
    grid += [(2, 2, 0, 2), (0, 100_000, 3, 100_000), (1, 1, 99_999, 100_000)]
    return grid


def expected_counts_below_five(x1: int, n1: int, x2: int, n2: int) -> bool:
    total, converted = n1 + n2, x1 + x2
    return min(n1, n2) * min(converted, total - converted) / total < 5


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), pairs())
def test_two_proportions_match_scipy_and_statsmodels(x1: int, n1: int, x2: int, n2: int) -> None:
    result = cjm.two_proportions(x1, n1, x2, n2)
    if n1 == 0 or n2 == 0:
        assert result is None
        return
    assert result is not None
    assert result["difference"] == pytest.approx(x2 / n2 - x1 / n1, rel=1e-12, abs=1e-15)

    # statsmodels' "newcomb" is Newcombe's method 10 (the hybrid score interval from the two
    # Wilson intervals) for diff = p1 − p2: pass side b first to get b − a.
    low, high = proportion.confint_proportions_2indep(
        x2, n2, x1, n1, method="newcomb", compare="diff", alpha=0.05
    )
    interval = result["interval"]
    assert close(interval["low"], max(float(low), -1.0)), (interval, low)
    assert close(interval["high"], min(float(high), 1.0)), (interval, high)
    assert -1.0 <= interval["low"] <= result["difference"] <= interval["high"] <= 1.0

    fisher = float(scipy_stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue)
    assert close(_cjm.fisher_exact(x1, n1, x2, n2), fisher, rel=1e-9, abs_=1e-300), fisher
    if expected_counts_below_five(x1, n1, x2, n2):
        assert result["test"] == "fisher_exact"
        assert result["z"] is None
        assert close(result["p_value"], fisher, rel=1e-9, abs_=1e-300)
    else:
        assert result["test"] == "z_test"
        pooled = (x1 + x2) / (n1 + n2)
        z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        assert close(result["z"], z)
        assert close(result["p_value"], float(2 * scipy_stats.norm.sf(abs(z))), abs_=1e-300)


def test_the_issue_example() -> None:
    """2/2 against 0/2 used to print p = 0.046 and an interval of [−1, −1]."""
    result = cjm.two_proportions(2, 2, 0, 2)
    assert result is not None
    assert result["test"] == "fisher_exact"
    assert result["p_value"] == pytest.approx(1 / 3)
    assert result["interval"]["low"] == -1.0
    assert result["interval"]["high"] > -0.1


def test_two_proportions_refuse_impossible_counts() -> None:
    assert cjm.two_proportions(3, 2, 0, 2) is None
    assert _cjm.fisher_exact(3, 2, 0, 2) is None


def test_fisher_stays_fast_on_huge_counts() -> None:
    big = 10**9
    assert _cjm.fisher_exact(0, big, big, big) == 0.0
    p = _cjm.fisher_exact(big // 2, big, big // 2 + 10_000, big)
    assert p is not None
    assert 0.0 <= p <= 1.0
    expected = float(scipy_stats.fisher_exact([[0, big], [3, big - 3]]).pvalue)
    assert close(_cjm.fisher_exact(0, big, 3, big), expected, rel=1e-6)


DEGREES = [1, 2, 3, 4, 5, 7, 10, 29, 100, 1_000, 99_999, 10**7, 10**9]
PROBABILITIES = [1e-10, 1e-4, 0.005, 0.025, 0.1, 0.4, 0.5, 0.6, 0.9, 0.975, 0.995, 0.9999]


@pytest.mark.parametrize("df", DEGREES)
@pytest.mark.parametrize("p", PROBABILITIES)
def test_t_quantile_matches_scipy(p: float, df: int) -> None:
    ours = _cjm.student_t_quantile(p, df)
    assert ours is not None
    assert close(ours, float(scipy_stats.t.ppf(p, df)), rel=1e-9, abs_=1e-12), (p, df)


def test_t_quantile_refuses_nonsense() -> None:
    for p, df in [(0.0, 3), (1.0, 3), (0.5, 0), (math.nan, 3), (0.5, -1), (0.5, math.inf)]:
        assert _cjm.student_t_quantile(p, df) is None


CES_SAMPLES = [
    [4, 5, 5],
    [1, 7],
    [7, 6, 5, 5, 3, 2, 1],
    [3, 3, 3, 3],
    [1, 2, 3, 4, 5, 6, 7] * 30,
    [5, 6] * 50_000,
]


@pytest.mark.parametrize("answers", CES_SAMPLES, ids=lambda a: f"n={len(a)}")
def test_ces_mean_interval_is_students_t(answers: list[int]) -> None:
    result = cjm.ces(answers)
    n, mean, sd = len(answers), statistics.fmean(answers), statistics.stdev(answers)
    # No spread in the sample: the t interval has zero width (SciPy refuses scale 0).
    low, high = (
        scipy_stats.t.interval(0.95, n - 1, loc=mean, scale=sd / math.sqrt(n))
        if sd > 0
        else (mean, mean)
    )
    interval = result.mean_interval
    assert close(interval["low"], max(float(low), 1.0), rel=1e-9, abs_=1e-9)
    assert close(interval["high"], min(float(high), 7.0), rel=1e-9, abs_=1e-9)


def test_ces_single_answer_spans_the_scale() -> None:
    interval = cjm.ces([4]).mean_interval
    assert (interval["low"], interval["high"]) == (1.0, 7.0)


def rocks_adjusted_wald(promoters: int, passives: int, detractors: int) -> tuple[float, float]:
    """Rocks (2016), adjusted Wald: 0.75 / 1.5 / 0.75 pseudo-answers, then the Wald interval of
    the difference of two multinomial shares, in points, clamped to −100..100."""
    n = promoters + passives + detractors + 3.0
    p_promoter, p_detractor = (promoters + 0.75) / n, (detractors + 0.75) / n
    score = p_promoter - p_detractor
    variance = (p_promoter + p_detractor - score**2) / n
    half = Z95 * math.sqrt(variance)
    return max(-100.0, 100 * (score - half)), min(100.0, 100 * (score + half))


NPS_MIXES = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (5, 0, 0), (0, 0, 5), (2, 1, 1), (5, 2, 3)]
NPS_MIXES += [(40, 0, 0), (500, 300, 200), (10**5, 0, 0), (3, 3, 3)]


@pytest.mark.parametrize(("promoters", "passives", "detractors"), NPS_MIXES)
def test_nps_interval_is_rocks_adjusted_wald(
    promoters: int, passives: int, detractors: int
) -> None:
    answers = [10] * promoters + [8] * passives + [0] * detractors
    result = cjm.nps(answers)
    low, high = rocks_adjusted_wald(promoters, passives, detractors)
    assert close(result.interval["low"], low), (result.interval, low)
    assert close(result.interval["high"], high), (result.interval, high)
    # Honest at the extremes: never a zero-width interval, whatever the answers.
    assert result.interval["high"] - result.interval["low"] > 0
