//! Renders a site: `cargo run --release -p driftscope-report --example render -- ARTIFACTS
//! TEMPLATES OUT`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [artifacts, templates, out] = args.as_slice() else {
        eprintln!("usage: render ARTIFACTS TEMPLATES OUT");
        return ExitCode::from(2);
    };
    match driftscope_report::render(artifacts, templates, out) {
        Ok(summary) => {
            println!(
                "{} ({} pages, {} bytes)",
                summary.index.display(),
                summary.pages.len(),
                summary.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
