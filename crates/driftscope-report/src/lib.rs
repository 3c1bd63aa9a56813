//! driftscope-report
