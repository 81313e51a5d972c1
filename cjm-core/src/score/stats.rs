//! Small-sample statistics shared by the survey metrics and the funnel comparisons: Wilson and
//! Newcombe intervals, Fisher's exact test and Student's t quantiles. Every function takes
//! counts as they come (zero, out of range, huge) and answers `None` rather than panicking.
//! Formulas and references are in `docs/scoring.md` and `docs/events.md`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::curve::Z95;
use super::survey::Interval;

/// Wilson score interval (Wilson 1927) for `successes` of `n` at 95 %, as shares 0..1;
/// `None` when `n = 0` or `successes > n`.
pub fn wilson_interval(successes: u64, n: u64) -> Option<Interval> {
    if n == 0 || successes > n {
        return None;
    }
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // Mathematically inside 0..1; the clamp only removes rounding at 0 and n successes.
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// Newcombe's hybrid score interval (Newcombe 1998, Stat Med 17:873, method 10) at 95 % for the
/// difference `x2/n2 − x1/n1`, built from the two Wilson intervals and clamped to −1..1; `None`
/// when a side has no trials or more successes than trials.
pub fn newcombe_interval(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<Interval> {
    let (w1, w2) = (wilson_interval(x1, n1)?, wilson_interval(x2, n2)?);
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let difference = p2 - p1;
    let below = ((p2 - w2.low).powi(2) + (w1.high - p1).powi(2)).sqrt();
    let above = ((w2.high - p2).powi(2) + (p1 - w1.low).powi(2)).sqrt();
    Some(Interval {
        low: (difference - below).max(-1.0),
        high: (difference + above).min(1.0),
    })
}

/// R's `fisher.test` tolerance: tables whose probability is within this factor of the observed
/// one count as "as extreme", so exact ties survive rounding.
const FISHER_RELATIVE_TOLERANCE: f64 = 1e-7;

/// At most this many hypergeometric terms are visited (about 40 standard deviations each side
/// are enough; this is only reached with more than ~10¹⁴ users).
const FISHER_MAX_TERMS: u64 = 100_000_000;

/// ln C(n, k) through `lgamma`; only used to rule out observed tables far in the tail.
fn ln_choose(n: f64, k: f64) -> f64 {
    libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
}

/// Two-sided p-value of Fisher's exact test for the 2×2 table (`x1` of `n1` against `x2` of
/// `n2`): the probability, under the hypergeometric distribution with the margins fixed, of
/// every table no more likely than the observed one (within a relative 10⁻⁷, as R does).
/// `None` when a count is inconsistent (`x > n`, a sum overflows) or the table is too large to
/// sum (more than 10⁸ terms: a hypergeometric standard deviation above ~10⁶, i.e. some 10¹³
/// users on both sides and converted and not).
///
/// The terms are walked outward from the mode in log space with the ratio
/// `P(k+1)/P(k) = (K−k)(n1−k) / ((k+1)(n2−K+k+1))` and normalised by their own sum, so the work
/// is proportional to the spread of the distribution, not to the counts: 10⁹ users cost at
/// most a few million steps, and the small-expected-count tables the comparisons send here a
/// few dozen.
pub fn fisher_exact_two_sided(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if x1 > n1 || x2 > n2 {
        return None;
    }
    let total = n1.checked_add(n2)?;
    let converted = x1 + x2;
    // Support of the side-a count given the margins.
    let low = converted.saturating_sub(n2);
    let high = n1.min(converted);
    if low == high {
        return Some(1.0);
    }
    let mode = ((u128::from(n1) + 1) * (u128::from(converted) + 1) / (u128::from(total) + 2))
        .clamp(u128::from(low), u128::from(high)) as u64;
    let (k_all, n_a, n_b) = (converted as f64, n1 as f64, n2 as f64);
    // ln P(k+1) − ln P(k), for low <= k < high.
    let ln_ratio_up = |k: u64| {
        let k = k as f64;
        (((k_all - k) * (n_a - k)) / ((k + 1.0) * (n_b - k_all + k + 1.0))).ln()
    };
    let span = (high - low + 1) as f64;
    let ln_observed_vs_mode = ln_choose(k_all, x1 as f64) - ln_choose(k_all, mode as f64)
        + ln_choose(n_b + n_a - k_all, n_a - x1 as f64)
        - ln_choose(n_b + n_a - k_all, n_a - mode as f64);
    if ln_observed_vs_mode + span.ln() < -760.0 {
        // Even all `span` terms at the observed probability would underflow to 0.
        return Some(0.0);
    }
    // The walk covers about 40 standard deviations each side; refuse up front rather than
    // spend seconds before giving up.
    let (all, rest) = (n_a + n_b, n_a + n_b - k_all);
    let variance = n_a * n_b * k_all * rest / (all * all * (all - 1.0).max(1.0));
    if x1.abs_diff(mode) > FISHER_MAX_TERMS || 80.0 * variance.sqrt() > FISHER_MAX_TERMS as f64 {
        return None;
    }
    // The observed table's log weight relative to the mode, by the same walk as the sums below,
    // so a tie with a table on the other side is a tie within rounding.
    let mut ln_observed = 0.0;
    let mut k = mode;
    while k < x1 {
        ln_observed += ln_ratio_up(k);
        k += 1;
    }
    while k > x1 {
        ln_observed -= ln_ratio_up(k - 1);
        k -= 1;
    }
    let threshold = ln_observed + FISHER_RELATIVE_TOLERANCE.ln_1p();
    let mut sum_all = 1.0;
    let mut sum_extreme = if threshold >= 0.0 { 1.0 } else { 0.0 };
    let mut steps = 0u64;
    for upward in [true, false] {
        let (mut k, mut ln_weight) = (mode, 0.0_f64);
        loop {
            let ln_ratio = if upward {
                if k >= high {
                    break;
                }
                k += 1;
                ln_ratio_up(k - 1)
            } else {
                if k <= low {
                    break;
                }
                k -= 1;
                -ln_ratio_up(k)
            };
            ln_weight += ln_ratio;
            let weight = ln_weight.exp();
            sum_all += weight;
            if ln_weight <= threshold {
                sum_extreme += weight;
                // Past the mode the ratio only shrinks (the distribution is log-concave), so
                // the rest of this side is at most a geometric series.
                let ratio = ln_ratio.exp();
                if ratio < 1.0 && weight * ratio / (1.0 - ratio) <= 1e-17 * sum_extreme {
                    break;
                }
            }
            steps += 1;
            if steps > FISHER_MAX_TERMS {
                return None;
            }
        }
    }
    Some((sum_extreme / sum_all).min(1.0))
}

/// Which test gave a comparison's p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProportionTest {
    /// Fisher's exact test, two-sided: some expected count of the 2×2 table is below 5.
    FisherExact,
    /// The pooled two-proportion z-test: every expected count is 5 or more.
    ZTest,
}

/// The comparison of two proportions `x1/n1` (side a) and `x2/n2` (side b).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TwoProportions {
    /// `x2/n2 − x1/n1`.
    pub difference: f64,
    /// Newcombe's hybrid score 95 % interval of the difference, within −1..1.
    pub interval: Interval,
    pub test: ProportionTest,
    /// The pooled z statistic (z-test only).
    pub z: Option<f64>,
    /// Two-sided p-value of `test`.
    pub p_value: Option<f64>,
}

/// Smallest expected count of the 2×2 table for which the z-test is used.
const MIN_EXPECTED_FOR_Z: f64 = 5.0;

/// Compares `x1` of `n1` (side a) with `x2` of `n2` (side b): difference b − a, Newcombe's
/// interval, and Fisher's exact test when an expected count of the 2×2 table (converted or not
/// × side) is below 5, else the pooled z-test. `None` when a side has no trials or more
/// successes than trials.
pub fn two_proportions(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<TwoProportions> {
    let interval = newcombe_interval(x1, n1, x2, n2)?;
    let (a, b) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / a, x2 as f64 / b);
    let total = a + b;
    let converted = x1 as f64 + x2 as f64;
    let smallest_expected = a.min(b) * converted.min(total - converted) / total;
    let (test, z, p_value) = if smallest_expected < MIN_EXPECTED_FOR_Z {
        (
            ProportionTest::FisherExact,
            None,
            fisher_exact_two_sided(x1, n1, x2, n2),
        )
    } else {
        let pooled = converted / total;
        let se = (pooled * (1.0 - pooled) * (1.0 / a + 1.0 / b)).sqrt();
        let z = (p2 - p1) / se;
        let p = libm::erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0);
        (ProportionTest::ZTest, Some(z), Some(p))
    };
    Some(TwoProportions {
        difference: p2 - p1,
        interval,
        test,
        z,
        p_value,
    })
}

// ---------------------------------------------------------------------------------------------
// Student's t

/// The tail of the Stirling series: ln Γ(x) − ((x − ½) ln x − x + ½ ln 2π), for x ≥ 10.
fn stirling_tail(x: f64) -> f64 {
    let x2 = x * x;
    (1.0 / 12.0
        - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * x2)) / x2) / x2) / x2)
        / x
}

/// ln Γ(a + ½) − ln Γ(a), without the cancellation of two large `lgamma`s when `a` is large.
fn ln_gamma_half_ratio(a: f64) -> f64 {
    if a < 10.0 {
        libm::lgamma(a + 0.5) - libm::lgamma(a)
    } else {
        0.5 * a.ln() + a * (0.5 / a).ln_1p() - 0.5 + stirling_tail(a + 0.5) - stirling_tail(a)
    }
}

/// Continued fraction of the regularized incomplete beta function (modified Lentz), valid
/// where `x < (a + 1) / (a + b + 2)`.
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let max_iterations = 1000 + 20 * (a.max(b).sqrt() as u64);
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=max_iterations {
        let m = m as f64;
        let m2 = 2.0 * m;
        for aa in [
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ] {
            d = 1.0 + aa * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + aa / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// P(T > t) for Student's t with `df` degrees of freedom, t ≥ 0.
fn student_t_upper_tail(t: f64, df: f64) -> f64 {
    if df > 1e7 {
        // The normal with the first-order correction that R's `pt` uses for large df; its
        // error is O(df⁻²), below 10⁻¹⁴ here.
        let corrected = t * (1.0 - 0.25 / df) / (1.0 + t * t * 0.5 / df).sqrt();
        return 0.5 * libm::erfc(corrected / std::f64::consts::SQRT_2);
    }
    let t2 = t * t;
    // x = df/(df + t²) and 1 − x, each without cancellation or overflow of t².
    let ln_x = -ln_1p_t2_over_df(t, df);
    let ln_one_minus_x = -((df / t) / t).ln_1p();
    let (a, b) = (0.5 * df, 0.5);
    // ln B(df/2, ½) = ln Γ(½) − (ln Γ(df/2 + ½) − ln Γ(df/2)).
    let ln_beta = 0.5 * std::f64::consts::PI.ln() - ln_gamma_half_ratio(a);
    let front = (a * ln_x + b * ln_one_minus_x - ln_beta).exp();
    if t2 * (df + 2.0) > 3.0 * df {
        // x < (a+1)/(a+b+2): I_x(a, b) converges directly.
        0.5 * front * beta_continued_fraction(a, b, ln_x.exp()) / a
    } else {
        // I_x(a, b) = 1 − I_{1−x}(b, a).
        let one_minus_x = ln_one_minus_x.exp();
        0.5 * (1.0 - front * beta_continued_fraction(b, a, one_minus_x) / b)
    }
}

/// ln(1 + t²/df), also where t² overflows.
fn ln_1p_t2_over_df(t: f64, df: f64) -> f64 {
    let ratio = (t / df) * t;
    if ratio.is_finite() {
        ratio.ln_1p()
    } else {
        2.0 * t.abs().ln() - df.ln()
    }
}

/// ln of Student's t density.
fn student_t_ln_density(t: f64, df: f64) -> f64 {
    ln_gamma_half_ratio(0.5 * df)
        - 0.5 * (df * std::f64::consts::PI).ln()
        - 0.5 * (df + 1.0) * ln_1p_t2_over_df(t, df)
}

/// The normal quantile by Abramowitz & Stegun 26.2.23 (error < 4.5·10⁻⁴), as a starting point.
fn rough_normal_upper_quantile(q: f64) -> f64 {
    let s = (-2.0 * q.ln()).sqrt();
    s - (2.515_517 + 0.802_853 * s + 0.010_328 * s * s)
        / (1.0 + 1.432_788 * s + 0.189_269 * s * s + 0.001_308 * s * s * s)
}

/// The `p` quantile of Student's t with `df` degrees of freedom (SciPy's `t.ppf(p, df)`);
/// `None` unless `0 < p < 1` and `df > 0` (both finite).
///
/// Solved by Newton's method on ln P(T > t), kept inside a bracket by bisection, with the tail
/// from the regularized incomplete beta function (continued fraction); agrees with SciPy to
/// about 10⁻¹².
pub fn student_t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && df > 0.0 && df.is_finite()) {
        return None;
    }
    if p == 0.5 {
        return Some(0.0);
    }
    // Solve in the upper tail: P(T > t) = q with t > 0.
    let (q, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    let ln_q = q.ln();
    let (mut below, mut above) = (0.0_f64, f64::INFINITY);
    // Start from the normal quantile, widened for few degrees of freedom.
    let z = rough_normal_upper_quantile(q);
    let mut t = (z + (z * z * z + z) / (4.0 * df)).max(1e-3);
    for _ in 0..400 {
        let tail = student_t_upper_tail(t, df);
        let gap = tail.ln() - ln_q;
        if gap == 0.0 {
            return Some(sign * t);
        }
        if gap > 0.0 {
            below = below.max(t);
        } else {
            above = above.min(t);
        }
        // Newton in ln t: d ln Q / d ln t = −t f(t)/Q(t), nearly constant in heavy tails.
        let elasticity = t * (student_t_ln_density(t, df) - tail.ln()).exp();
        let mut next = t * (gap / elasticity).exp();
        // Also catches NaN and infinity (every comparison with NaN is false).
        if !(next > below && next < above) {
            next = if above.is_finite() {
                0.5 * (below + above)
            } else if t < f64::MAX {
                (t * 1e8).min(f64::MAX)
            } else {
                // Beyond the largest f64 (tiny df, extreme p): no answer.
                return None;
            };
        }
        if (next - t).abs() <= 1e-14 * t || (above - below) <= 1e-15 * t {
            return Some(sign * next);
        }
        t = next;
    }
    // Not converged: better no answer than a wrong one.
    None
}

/// Two-sided 95 % interval of a mean: `mean ± t(0.975, n − 1) · s / √n`; `None` when `n < 2`
/// (one answer says nothing about the spread).
pub fn t_interval_95(mean: f64, sample_sd: f64, n: u64) -> Option<Interval> {
    if n < 2 || !mean.is_finite() || !sample_sd.is_finite() {
        return None;
    }
    let t = student_t_quantile(0.975, (n - 1) as f64)?;
    let half = t * sample_sd / (n as f64).sqrt();
    Some(Interval {
        low: mean - half,
        high: mean + half,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance * expected.abs().max(1e-300)
    }

    #[test]
    fn wilson_matches_statsmodels() {
        // statsmodels proportion_confint(5, 8, method="wilson")
        let w = wilson_interval(5, 8).unwrap();
        assert!(close(w.low, 0.30574239460262735, 1e-12), "{w:?}");
        assert!(close(w.high, 0.8631557141764026, 1e-12), "{w:?}");
        assert_eq!(wilson_interval(0, 0), None);
        assert_eq!(wilson_interval(3, 2), None);
        assert_eq!(wilson_interval(0, 5).unwrap().low, 0.0);
        assert_eq!(wilson_interval(5, 5).unwrap().high, 1.0);
    }

    #[test]
    fn newcombe_two_of_two_against_none_of_two() {
        // Wilson(2, 2) = [0.34238, 1], Wilson(0, 2) = [0, 0.65762]; difference 0 − 1 = −1:
        // low = −1 − √((0 − 0)² + (1 − 1)²) = −1, high = −1 + √(0.65762² + (1 − 0.34238)²)
        // = −1 + 0.65762·√2 = −0.069985, as statsmodels' confint_proportions_2indep(0, 2, 2, 2,
        // method="newcomb").
        let i = newcombe_interval(2, 2, 0, 2).unwrap();
        assert_eq!(i.low, -1.0);
        assert!(close(i.high, -0.06998519885519949, 1e-9), "{i:?}");
        assert!(i.high < 0.0 && i.high > -1.0);
        assert_eq!(newcombe_interval(0, 0, 1, 2), None);
    }

    #[test]
    fn fisher_small_tables() {
        // scipy.stats.fisher_exact([[2, 0], [0, 2]]) → p = 1/3.
        assert!(close(
            fisher_exact_two_sided(2, 2, 0, 2).unwrap(),
            1.0 / 3.0,
            1e-12
        ));
        // [[3, 1], [1, 3]] → 0.48571428571428565 (R: 0.4857).
        assert!(close(
            fisher_exact_two_sided(3, 4, 1, 4).unwrap(),
            0.48571428571428565,
            1e-12
        ));
        // [[1, 9], [11, 3]] → 0.0027594561852200836.
        assert!(close(
            fisher_exact_two_sided(1, 10, 11, 14).unwrap(),
            0.0027594561852200836,
            1e-9
        ));
        assert_eq!(fisher_exact_two_sided(0, 5, 0, 5), Some(1.0));
        assert_eq!(fisher_exact_two_sided(0, 0, 0, 0), Some(1.0));
        assert_eq!(fisher_exact_two_sided(3, 2, 0, 2), None);
        assert_eq!(fisher_exact_two_sided(0, u64::MAX, 0, 1), None);
        let half = 1u64 << 61;
        assert_eq!(fisher_exact_two_sided(half, 2 * half, half, 2 * half), None);
    }

    #[test]
    fn fisher_huge_counts_stay_fast_and_bounded() {
        let start = std::time::Instant::now();
        let balanced =
            fisher_exact_two_sided(500_000_000, 1_000_000_000, 500_010_000, 1_000_000_000).unwrap();
        assert!((0.0..=1.0).contains(&balanced));
        let far = fisher_exact_two_sided(0, 1_000_000_000, 1_000_000_000, 1_000_000_000).unwrap();
        assert_eq!(far, 0.0);
        let tiny = fisher_exact_two_sided(0, 1_000_000_000, 3, 1_000_000_000).unwrap();
        assert!(close(tiny, 0.25, 1e-6), "{tiny}"); // 1/8 + 1/8 by symmetry
        let same = fisher_exact_two_sided(7, 1_000_000_000, 7, 1_000_000_000).unwrap();
        assert!(close(same, 1.0, 1e-12), "{same}");
        assert!(start.elapsed().as_secs_f64() < 5.0);
    }

    #[test]
    fn t_quantiles_match_scipy() {
        // scipy.stats.t.ppf(0.975, df)
        let cases = [
            (1.0, 12.706204736174694),
            (2.0, 4.302652729749462),
            (3.0, 3.1824463052837078),
            (4.0, 2.7764451051977934),
            (6.0, 2.4469118511449786),
            (30.0, 2.0422724563012378),
            (1000.0, 1.9623390808264083),
            (1e9, 1.959963986912325),
        ];
        for (df, expected) in cases {
            let t = student_t_quantile(0.975, df).unwrap();
            assert!(close(t, expected, 1e-10), "df {df}: {t} vs {expected}");
        }
        // Closed forms: df = 1 is Cauchy, df = 2 has t = (2p − 1)/√(2p(1 − p)).
        for p in [0.001, 0.2, 0.7, 0.999_999] {
            let cauchy = (std::f64::consts::PI * (p - 0.5)).tan();
            assert!(close(student_t_quantile(p, 1.0).unwrap(), cauchy, 1e-9));
            let two = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert!(close(student_t_quantile(p, 2.0).unwrap(), two, 1e-9));
        }
        // Far tails, where t² overflows: −1/(π p) and −1/√(2p) for p = 10⁻³⁰⁰.
        let cauchy = student_t_quantile(1e-300, 1.0).unwrap();
        assert!(
            close(cauchy, -1.0 / (std::f64::consts::PI * 1e-300), 1e-9),
            "{cauchy}"
        );
        let two = student_t_quantile(1e-300, 2.0).unwrap();
        assert!(close(two, -1.0 / (2e-300_f64).sqrt(), 1e-9), "{two}");
        assert_eq!(student_t_quantile(0.5, 3.0), Some(0.0));
        assert_eq!(student_t_quantile(0.0, 3.0), None);
        assert_eq!(student_t_quantile(0.5, 0.0), None);
        assert_eq!(student_t_quantile(f64::NAN, 3.0), None);
    }

    #[test]
    fn comparison_picks_the_test_by_expected_counts() {
        let tiny = two_proportions(2, 2, 0, 2).unwrap();
        assert_eq!(tiny.test, ProportionTest::FisherExact);
        assert_eq!(tiny.z, None);
        assert_eq!(tiny.difference, -1.0);
        assert!(tiny.interval.low >= -1.0 && tiny.interval.high <= 1.0);
        let large = two_proportions(50, 100, 60, 100).unwrap();
        assert_eq!(large.test, ProportionTest::ZTest);
        assert!(large.z.is_some());
        assert_eq!(two_proportions(0, 0, 0, 2), None);
        assert_eq!(two_proportions(3, 2, 0, 2), None);
        // Nobody or everybody converted: nothing to tell apart.
        assert_eq!(two_proportions(0, 10, 0, 10).unwrap().p_value, Some(1.0));
        assert_eq!(two_proportions(10, 10, 10, 10).unwrap().p_value, Some(1.0));
    }
}
