//! Property tests of the merge: the profile of a batch cut at random places into parts, each
//! profiled alone and merged, equals the profile of the whole (counts, values and categories
//! bit for bit; moments and bin sums to 1e-12 of their scale), and merging is associative and
//! commutative. Partial aggregates as SQL computes them give the same column profile.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use driftscope_profile::{
    profile_part, BatchProfile, CategoricalPartial, CategoryCount, ColumnData, ColumnSpec,
    ColumnValues, FeatureType, Moments, NumericDistribution, NumericPartial, ProfileSpec,
    ValueCounts,
};
use proptest::prelude::*;

/// A cell: missing, or a number.
type Cell = Option<f64>;

fn values_of(cells: &[Cell]) -> ColumnValues {
    let mut sorted: Vec<f64> = cells.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    ColumnValues::Numerical {
        sorted,
        missing: cells.iter().filter(|c| c.is_none()).count() as u64,
    }
}

fn categories_of(cells: &[Cell]) -> ColumnValues {
    let mut counts: Vec<CategoryCount> = Vec::new();
    for v in cells.iter().flatten() {
        let text = format!("c{}", (v.abs() as u64) % 7);
        match counts.iter_mut().find(|c| c.value == text) {
            Some(c) => c.count += 1,
            None => counts.push(CategoryCount {
                value: text,
                count: 1,
            }),
        }
    }
    ColumnValues::Categorical {
        counts,
        missing: cells.iter().filter(|c| c.is_none()).count() as u64,
    }
}

fn spec(value_cap: u64) -> ProfileSpec {
    ProfileSpec {
        value_cap,
        columns: vec![
            ColumnSpec {
                name: "x".into(),
                feature_type: FeatureType::Numerical,
                fine_edges: vec![-50.0, -1.5, 0.0, 2.0, 10.0, 77.25],
            },
            ColumnSpec {
                name: "c".into(),
                feature_type: FeatureType::Categorical,
                fine_edges: vec![],
            },
        ],
    }
}

fn profile_of(cells: &[Cell], spec: &ProfileSpec) -> BatchProfile {
    let values = vec![Some(values_of(cells)), Some(categories_of(cells))];
    profile_part(spec, "b", cells.len() as u64, values, vec![]).unwrap()
}

/// Cells with many ties (small integers, halves) and some wide values.
fn cells() -> impl Strategy<Value = Vec<Cell>> {
    let cell = prop_oneof![
        1 => Just(None),
        4 => (-20i32..20).prop_map(|i| Some(f64::from(i) / 2.0)),
        2 => (-1e3f64..1e3).prop_map(Some),
        1 => Just(Some(-0.0)),
    ];
    prop::collection::vec(cell, 0..300)
}

/// `|a - b| <= 1e-12 * scale` for every moment, the scale of `m_k` being `sum |x - mean|^k`
/// of the whole (so sums that cancel to near 0 are compared at the size of their terms).
fn moments_close(a: &Moments, b: &Moments, values: &[f64]) -> Result<(), String> {
    let scale = |k: i32| {
        values
            .iter()
            .map(|x| (x - a.mean).abs().powi(k))
            .sum::<f64>()
    };
    let mean_scale = values.iter().map(|x| x.abs()).fold(0.0, f64::max);
    let checks = [
        (a.mean, b.mean, mean_scale),
        (a.m2, b.m2, scale(2)),
        (a.m3, b.m3, scale(3)),
        (a.m4, b.m4, scale(4)),
    ];
    for (i, (x, y, s)) in checks.into_iter().enumerate() {
        if (x - y).abs() > 1e-12 * s + f64::MIN_POSITIVE {
            return Err(format!("moment {i}: {x} vs {y} (scale {s})"));
        }
    }
    if a.n != b.n {
        return Err(format!("n {} vs {}", a.n, b.n));
    }
    Ok(())
}

/// Equal profiles: everything bit for bit except moments and bin sums (to 1e-12 of scale).
fn same(a: &BatchProfile, b: &BatchProfile, cells: &[Cell]) -> Result<(), String> {
    let values: Vec<f64> = cells.iter().flatten().copied().collect();
    let (mut a, mut b) = (a.clone(), b.clone());
    for (ca, cb) in a.columns.iter_mut().zip(b.columns.iter_mut()) {
        if let (ColumnData::Numerical(x), ColumnData::Numerical(y)) = (&mut ca.data, &mut cb.data) {
            moments_close(&x.moments, &y.moments, &values)?;
            y.moments = x.moments;
            if let (NumericDistribution::Binned(p), NumericDistribution::Binned(q)) =
                (&mut x.distribution, &mut y.distribution)
            {
                let scale: f64 = values.iter().map(|v| v.abs()).sum();
                for (s, t) in p.sums.iter().zip(&q.sums) {
                    if (s - t).abs() > 1e-12 * scale + f64::MIN_POSITIVE {
                        return Err(format!("bin sum {s} vs {t}"));
                    }
                }
                q.sums.clone_from(&p.sums);
            }
        }
    }
    a.sources.clear();
    b.sources.clear();
    if a == b {
        Ok(())
    } else {
        Err(format!("{a:?}\n vs\n{b:?}"))
    }
}

/// `cells` cut at `cuts` (positions, any order) into parts, each profiled.
fn parts(cells: &[Cell], cuts: &[usize], spec: &ProfileSpec) -> Vec<BatchProfile> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (cells.len() + 1)).collect();
    at.push(0);
    at.push(cells.len());
    at.sort_unstable();
    at.windows(2)
        .map(|w| profile_of(&cells[w[0]..w[1]], spec))
        .collect()
}

fn merge_all(parts: &[BatchProfile]) -> BatchProfile {
    let mut it = parts.iter();
    let first = it.next().unwrap().clone();
    it.fold(first, |m, p| m.merge(p).unwrap())
}

proptest! {
    // A recorded seed (the project's rule for every random step), no regression files.
    #![proptest_config(ProptestConfig {
        cases: 300,
        rng_seed: proptest::test_runner::RngSeed::Fixed(19),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn merged_parts_equal_the_whole(
        cells in cells(),
        cuts in prop::collection::vec(0usize..400, 0..6),
        cap in prop_oneof![Just(8u64), Just(65_536u64)],
    ) {
        let spec = spec(cap);
        let whole = profile_of(&cells, &spec);
        let merged = merge_all(&parts(&cells, &cuts, &spec));
        prop_assert_eq!(same(&whole, &merged, &cells), Ok(()));
    }

    #[test]
    fn merge_is_associative_and_commutative(
        a in cells(), b in cells(), c in cells(),
        cap in prop_oneof![Just(8u64), Just(65_536u64)],
    ) {
        let spec = spec(cap);
        let (pa, pb, pc) = (profile_of(&a, &spec), profile_of(&b, &spec), profile_of(&c, &spec));
        let all: Vec<Cell> = a.iter().chain(&b).chain(&c).copied().collect();
        let left = pa.merge(&pb).unwrap().merge(&pc).unwrap();
        let right = pa.merge(&pb.merge(&pc).unwrap()).unwrap();
        prop_assert_eq!(same(&left, &right, &all), Ok(()));
        let ab: Vec<Cell> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(same(&pa.merge(&pb).unwrap(), &pb.merge(&pa).unwrap(), &ab), Ok(()));
    }

    #[test]
    fn sql_partials_equal_the_local_profile(cells in cells(), shift in -10.0f64..10.0) {
        let spec = spec(65_536);
        let local = profile_of(&cells, &spec);
        let finite: Vec<f64> = cells.iter().flatten().copied().collect();
        let power = |k: i32| finite.iter().map(|x| (x - shift).powi(k)).sum::<f64>();
        let numeric = NumericPartial {
            rows: cells.len() as u64,
            nulls: (cells.len() - finite.len()) as u64,
            nan: 0,
            pos_inf: 0,
            neg_inf: 0,
            min: finite.iter().copied().reduce(f64::min),
            max: finite.iter().copied().reduce(f64::max),
            shift,
            power_sums: [power(1), power(2), power(3), power(4)],
            // GROUP BY compares with =, so -0.0 and 0.0 are one group in SQL; the local map
            // keeps their bits apart. Counted here as the local reader does.
            value_counts: Some(finite.iter().map(|v| (*v, 1)).collect()),
            fine_bins: None,
        };
        let ColumnValues::Categorical { counts, missing } = categories_of(&cells) else {
            unreachable!()
        };
        let categorical = CategoricalPartial {
            rows: cells.len() as u64,
            nulls: missing,
            counts: counts.into_iter().rev().map(|c| (c.value, c.count)).collect(),
        };
        let mut sql = local.clone();
        sql.columns = vec![
            numeric.into_column(&spec.columns[0], spec.value_cap).unwrap(),
            categorical.into_column(&spec.columns[1]).unwrap(),
        ];
        // Shifted power sums lose a little more than two passes: compared at 1e-9 of scale.
        let (ColumnData::Numerical(x), ColumnData::Numerical(y)) =
            (&local.columns[0].data, &sql.columns[0].data) else { unreachable!() };
        let scale = |k: i32| finite.iter().map(|v| (v - x.moments.mean).abs().powi(k)).sum::<f64>()
            + finite.iter().map(|v| (v - shift).abs().powi(k)).sum::<f64>();
        for (k, (p, q)) in [(2, (x.moments.m2, y.moments.m2)), (3, (x.moments.m3, y.moments.m3)),
                            (4, (x.moments.m4, y.moments.m4))] {
            prop_assert!((p - q).abs() <= 1e-9 * scale(k) + 1e-300, "m{}: {} vs {}", k, p, q);
        }
        prop_assert_eq!(&x.distribution, &y.distribution);
        prop_assert_eq!((x.min, x.max), (y.min, y.max));
        prop_assert_eq!(&local.columns[1], &sql.columns[1]);
    }
}

#[test]
fn value_counts_round_trip_the_sorted_column_bit_for_bit() {
    let sorted = [-3.5, -0.0, 0.0, 0.0, 1e-300, 2.0, 2.0];
    let v = ValueCounts::from_sorted(&sorted).unwrap();
    assert_eq!(v.values.len(), 5);
    let back = v.expand();
    assert!(back
        .iter()
        .zip(&sorted)
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert!(ValueCounts::from_sorted(&[2.0, 1.0]).is_err());
    assert!(ValueCounts::from_sorted(&[f64::NAN]).is_err());
    assert!(ValueCounts::from_pairs(vec![(f64::INFINITY, 1)]).is_err());
}
