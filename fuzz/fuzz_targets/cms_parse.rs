//! Any bytes through the CMS reader and the timestamp checker.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = kyso_core::cms::parse::parse(data);
    let _ = kyso_core::trust::tst::check(data, b"data");
});
