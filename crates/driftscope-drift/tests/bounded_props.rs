//! Property test (seeded): over many random reference and current samples and fine edges, every
//! bounded statistic's interval holds the exact value (`ks_2samp`, `mann_whitney`,
//! `wasserstein` of the rows, numpy's quantiles of the current sample).

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use driftscope_artifacts::{linear_quantile, BoundedStat, Exactness};
use driftscope_drift::{
    bounded_drift, ks_2samp, mann_whitney, quantile_edges, wasserstein, BinnedSide, Sorted,
};
use proptest::prelude::*;

fn sample() -> impl Strategy<Value = Vec<f64>> {
    let value = prop_oneof![
        3 => (0i32..30).prop_map(f64::from),
        3 => -5.0f64..40.0,
        1 => (0i32..4).prop_map(|i| f64::from(i) * 100.0),
    ];
    prop::collection::vec(value, 1..400)
}

fn inside(what: &str, s: BoundedStat, v: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        s.lower <= v && v <= s.upper && (s.estimate - v).abs() <= s.error_bound * (1.0 + 1e-12),
        "{}: exact {} outside {:?}",
        what,
        v,
        s
    );
    prop_assert_eq!(s.exactness == Exactness::Exact, s.lower == s.upper);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(19),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_bound_holds_the_exact_value(
        reference in sample(),
        current in sample(),
        shift in -10.0f64..10.0,
        n_fine in prop_oneof![Just(2usize), Just(8), Just(64), Just(2048)],
    ) {
        let r = Sorted::new(reference).unwrap();
        let c = Sorted::new(current.iter().map(|v| v + shift).collect()).unwrap();
        let psi_edges = quantile_edges(&r, 10).unwrap();
        let edges = driftscope_profile::fine_edges(r.as_slice(), n_fine, &psi_edges);
        let (rb, cb) = (
            BinnedSide::of_sorted(r.as_slice(), &edges).unwrap(),
            BinnedSide::of_sorted(c.as_slice(), &edges).unwrap(),
        );
        let n = r.len() as f64;
        let mean = r.as_slice().iter().sum::<f64>() / n;
        let std = (r.as_slice().iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
        let b = bounded_drift(&edges, &rb, &cb, std).unwrap();
        let (ks, mw, w) = (ks_2samp(&r, &c).unwrap(), mann_whitney(&r, &c).unwrap(),
                           wasserstein(&r, &c).unwrap());
        inside("ks", b.ks_statistic, ks.statistic)?;
        inside("ks.p", b.ks_p_value, ks.p_value)?;
        inside("u", b.mann_whitney_u, mw.statistic)?;
        inside("u.p", b.mann_whitney_p_value, mw.p_value)?;
        inside("w", b.wasserstein, w)?;
        inside("wn", b.wasserstein_normed, if std > 0.0 { w / std } else { w })?;
        let q = |p| linear_quantile(c.as_slice(), p);
        inside("p25", b.current_p25, q(0.25))?;
        inside("median", b.current_median, q(0.5))?;
        inside("p75", b.current_p75, q(0.75))?;
    }
}
