//! driftscope-alerting
