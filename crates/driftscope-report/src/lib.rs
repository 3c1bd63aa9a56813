//! The static HTML report site of driftscope (work in progress: issue 5 fills this crate).
//!
//! Will build view models from the artifacts folder, Plotly figures in Rust, and render the
//! Tera templates of `templates/` into a static site that opens offline.
//!
//! **Reads:** the artifacts folder. **Writes:** the site folder.
//!
//! # Example
//! ```
//! assert!(driftscope_artifacts::PRODUCER.starts_with("driftscope "));
//! ```
