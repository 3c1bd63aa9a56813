//! The DataFusion engine on small CSV batches whose profile is known by hand: missing-looking
//! cells, NaN and infinities counted apart, `-0.0` and `0.0` two values, text that is not a
//! number refused with its column named.

use driftscope_engine::{profile_batch, Engine, EngineError, ProfileRequest};
use driftscope_profile::{
    CategoryCount, ColumnData, ColumnSpec, FeatureType, NumericDistribution, ProfileSpec,
};

fn spec() -> ProfileSpec {
    let col = |name: &str, feature_type, fine_edges: Vec<f64>| ColumnSpec {
        name: name.into(),
        feature_type,
        fine_edges,
    };
    ProfileSpec {
        value_cap: 100,
        columns: vec![
            col("x", FeatureType::Numerical, vec![0.0, 2.0]),
            col("Plan Type", FeatureType::Categorical, vec![]),
            col("gone", FeatureType::Categorical, vec![]),
        ],
    }
}

fn profile_csv(text: &str) -> Result<driftscope_profile::BatchProfile, EngineError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("batch.csv");
    std::fs::write(&path, text).expect("write");
    profile_batch(&ProfileRequest {
        engine: Engine::DataFusion,
        batches: vec![path.display().to_string()],
        spec: spec(),
        timeout_secs: 120,
    })
}

#[test]
fn csv_cells_are_counted_as_the_spec_says() {
    let csv = "x,Plan Type,other\n1.5,a,1\n-0.0,b,1\n0.0,a,1\nnan,,1\n,NULL,1\ninf,a,1\n-inf,\"c, d\",1\n1.5, ,1\n";
    let p = profile_csv(csv).expect("profile");
    assert_eq!(p.rows, 8);
    assert_eq!(p.absent_columns, vec!["gone".to_string()]);
    assert_eq!(p.extra_columns, vec!["other".to_string()]);
    let x = &p.columns[0];
    // `nan` and the empty cell are missing (nulls) as in the local reader; inf counted apart.
    assert_eq!(
        (x.rows, x.nulls, x.nan, x.pos_inf, x.neg_inf),
        (8, 2, 0, 1, 1)
    );
    let ColumnData::Numerical(n) = &x.data else {
        panic!("numerical: {x:?}")
    };
    assert_eq!((n.min, n.max), (Some(-0.0), Some(1.5)));
    let NumericDistribution::Exact(v) = &n.distribution else {
        panic!("exact")
    };
    let bits: Vec<u64> = v.values.iter().map(|v| v.to_bits()).collect();
    assert_eq!(
        bits,
        vec![(-0.0f64).to_bits(), 0.0f64.to_bits(), 1.5f64.to_bits()]
    );
    assert_eq!(v.counts, vec![1, 1, 2]);
    assert_eq!(n.moments.n, 4);
    assert_eq!(n.moments.mean, 0.75);
    let plan = &p.columns[1];
    assert_eq!(plan.nulls, 3, "empty, NULL and a blank cell");
    let c = |v: &str, n| CategoryCount {
        value: v.into(),
        count: n,
    };
    assert_eq!(
        plan.data,
        ColumnData::Categorical(vec![c("a", 3), c("b", 1), c("c, d", 1)])
    );
}

#[test]
fn a_word_in_a_numerical_column_is_refused_naming_the_column() {
    let err = profile_csv("x,Plan Type\n1,a\n2,b\nabc,c\n").expect_err("a word");
    let text = err.to_string();
    assert!(
        matches!(err, EngineError::NotNumber { cells: 1, .. }),
        "{text}"
    );
    assert!(text.contains("`x`") && text.contains("abc"), "{text}");
}
