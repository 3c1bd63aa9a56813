//! The size-aware verdict's p-values checked against resampling: under no drift, at small and
//! moderate batch sizes, each test rejects at (or below) its nominal rate, and Benjamini-Hochberg
//! across features keeps the batch-level false-alarm rate at or below alpha.

#![allow(clippy::unwrap_used)]

use driftscope_drift::{bh_threshold, chi_square, ks_2samp, Sorted};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn category(rng: &mut ChaCha8Rng) -> usize {
    let u: f64 = rng.gen();
    [0.45, 0.75, 0.93, 1.0].iter().position(|c| u < *c).unwrap()
}

#[test]
fn null_p_values_reject_at_their_nominal_rate_and_bh_controls_batches() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut reference: Vec<f64> = (0..3000).map(|_| normal(&mut rng)).collect();
    reference.sort_by(f64::total_cmp);
    let reference = Sorted::from_sorted(&reference).unwrap();
    let mut ref_counts = [0u64; 4];
    for _ in 0..3000 {
        ref_counts[category(&mut rng)] += 1;
    }
    for m in [50usize, 200] {
        let reps = 2000;
        let (mut ks_05, mut ks_01, mut chi_05, mut chi_01, mut batches_flagged) = (0, 0, 0, 0, 0);
        for _ in 0..reps {
            let mut p = Vec::new();
            for _ in 0..5 {
                let mut c: Vec<f64> = (0..m).map(|_| normal(&mut rng)).collect();
                c.sort_by(f64::total_cmp);
                let c = Sorted::from_sorted(&c).unwrap();
                let k = ks_2samp(&reference, &c).unwrap().p_value;
                ks_05 += u32::from(k <= 0.05);
                ks_01 += u32::from(k <= 0.01);
                p.push(k);
                let mut counts = [0u64; 4];
                for _ in 0..m {
                    counts[category(&mut rng)] += 1;
                }
                let x = chi_square(&ref_counts, &counts).unwrap().p_value;
                chi_05 += u32::from(x <= 0.05);
                chi_01 += u32::from(x <= 0.01);
                p.push(x);
            }
            let t = bh_threshold(&p, 0.05).unwrap();
            batches_flagged += u32::from(p.iter().any(|q| *q <= t));
        }
        let rate = |k: u32, n: usize| f64::from(k) / n as f64;
        let tests = reps * 5;
        // Binomial 3-sigma bands around the nominal rate (the KS test may be conservative).
        for (name, k, nominal) in [
            ("ks 0.05", ks_05, 0.05),
            ("ks 0.01", ks_01, 0.01),
            ("chi 0.05", chi_05, 0.05),
            ("chi 0.01", chi_01, 0.01),
        ] {
            let r = rate(k, tests);
            let sd = (nominal * (1.0 - nominal) / tests as f64).sqrt();
            assert!(
                r <= nominal + 3.0 * sd && r >= nominal - 6.0 * sd,
                "m={m} {name}: {r}"
            );
        }
        let fwer = rate(batches_flagged, reps);
        assert!(
            fwer <= 0.05 + 3.0 * (0.05f64 * 0.95 / reps as f64).sqrt(),
            "m={m} BH: {fwer}"
        );
    }
}
