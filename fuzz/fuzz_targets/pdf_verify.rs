//! Any bytes through the PDF reader and the verifier: no panic, bounded work.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = kyso_core::verify::VerifyOptions {
        offline: true,
        ..Default::default()
    };
    let _ = kyso_core::verify::verify_source(data.to_vec(), "fuzz".into(), &opts);
});
