//! Crafted `profile` artifacts run through what driftscope computes with them, not only the
//! parser: see `check_profile` in `fuzz/checks.rs`. Corpus: `corpus/profile`, replayed by
//! driftscope-monitor's `fuzz_corpus` test through the same file.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("../checks.rs");

fuzz_target!(|data: &[u8]| {
    check_profile(data);
});
