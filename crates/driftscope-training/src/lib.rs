//! driftscope-training
