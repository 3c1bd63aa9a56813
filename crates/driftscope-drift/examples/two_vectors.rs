//! PSI, Kolmogorov-Smirnov and chi-square on two plain vectors, with `driftscope-drift` only.
//!
//! Run: `cargo run --release -p driftscope-drift --example two_vectors`

use driftscope_drift::{chi_square, ks_2samp, psi_samples, DriftError, Sorted};

fn main() -> Result<(), DriftError> {
    // Two numerical samples: the current one is shifted by 0.3.
    let reference: Vec<f64> = (0..1000).map(|i| (i % 100) as f64 / 100.0).collect();
    let current: Vec<f64> = (0..500).map(|i| (i % 100) as f64 / 100.0 + 0.3).collect();
    // Sorted once; a NaN or infinite value would be an error here, not a hang later.
    let (r, c) = (Sorted::new(reference)?, Sorted::new(current)?);
    let psi = psi_samples(&r, &c, 10)?;
    let ks = ks_2samp(&r, &c)?;
    println!("PSI (10 quantile bins of the reference): {psi:.4}");
    println!(
        "Kolmogorov-Smirnov: statistic {:.4}, p-value {:.3e}",
        ks.statistic, ks.p_value
    );

    // Two categorical samples as counts per category (same categories, same order).
    let reference_counts = [500u64, 300, 200];
    let current_counts = [200u64, 150, 150];
    let chi = chi_square(&reference_counts, &current_counts)?;
    println!(
        "chi-square: statistic {:.4}, p-value {:.3e}, dof {}",
        chi.statistic, chi.p_value, chi.dof
    );

    // Bad input is an error.
    if let Err(e) = Sorted::new(vec![1.0, f64::NAN]) {
        println!("refused: {e}");
    }
    if let Err(e) = chi_square(&[1, 2], &[1, 2, 3]) {
        println!("refused: {e}");
    }
    Ok(())
}
