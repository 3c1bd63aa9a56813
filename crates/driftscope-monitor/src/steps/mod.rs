//! The named steps of monitoring one batch, each a pure function over validated inputs (no
//! file or clock access): data quality, prediction drift, target drift, the rolling window,
//! gradual degradation, incidents across batches.

mod degradation;
mod incidents;
pub mod prediction;
mod quality;
mod target;
mod window;

pub use degradation::{
    degradation, DEGRADATION_MIN_BATCHES, DEGRADATION_MIN_Z, DEGRADATION_WINDOW,
};
pub use incidents::record_incidents;
pub use prediction::prediction_drift;
pub use quality::{data_quality, MISSING_SHARE_JUMP};
pub use target::target_drift;
pub use window::rolling_window;
