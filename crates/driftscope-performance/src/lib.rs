//! driftscope-performance
