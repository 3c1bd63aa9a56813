//! Tabular input for driftscope.
//!
//! Reads CSV and Parquet files with polars, decides each column's type per `stats-spec.md`
//! (numerical, categorical or identifier, with config overrides), parses numbers with errors that
//! name the file, row and column, reads the binary target, and generates seeded Telco-like data
//! (the same 21 columns as the IBM Telco churn file) so a fresh clone runs without a download.
//!
//! **Reads:** CSV (`.csv`, any other extension) and Parquet (`.parquet`, `.pq`) files.
//! **Writes:** nothing; the generator returns CSV bytes that the caller may save.
//!
//! # Example
//! ```
//! use driftscope_data::{generate_telco_csv, infer_schema, Table};
//! use driftscope_artifacts::{FeatureType, FeaturesConfig};
//! let csv = generate_telco_csv(500, 7);
//! let table = Table::from_csv_bytes("generated", csv).unwrap();
//! let schema = infer_schema(&table, Some("Churn"), &FeaturesConfig::default()).unwrap();
//! assert_eq!(schema.type_of("MonthlyCharges"), Some(FeatureType::Numerical));
//! assert_eq!(schema.type_of("customerID"), Some(FeatureType::Identifier));
//! ```

mod baseline;
mod csv_checks;
mod digest;
mod error;
mod generator;
mod memory;
mod schema;
mod stream;
mod table;
mod text_column;
mod values;

pub use baseline::polars_read_shape;
pub use digest::{category_label, sha256_hex, MAX_CATEGORY_LABEL_BYTES};
pub use error::{abbreviate, DataError};
pub use generator::{generate_telco_csv, TELCO_COLUMNS};
pub use memory::{available_memory, CSV_MEMORY_FACTOR};
pub use schema::{infer_schema, is_missing, parse_number, read_features, ColumnInfo, Schema};
pub use stream::CsvChunks;
pub use table::{check_input_file, Table};
pub use text_column::TextColumn;
pub use values::{column_values, columns_values};

/// Result type of this crate.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
