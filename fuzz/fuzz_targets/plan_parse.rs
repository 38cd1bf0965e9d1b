#![no_main]
//! Any bytes as a plan file: decode, then parse. Must never panic or hang.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = plansite::plan::decode(data) {
        let _ = plansite::plan::parse(&decoded.text);
    }
});
