//! driftscope-drift
