//! Fuzz target: the split invariants of `tests/invariants` on arbitrary bytes.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/invariants/mod.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        invariants::split_invariants(text);
    }
});
