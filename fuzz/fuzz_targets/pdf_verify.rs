//! Any bytes through the PDF reader, the verifier and the page-text reader used for anchored
//! signatures: no panic, bounded work.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = kyso_core::verify::VerifyOptions {
        offline: true,
        ..Default::default()
    };
    let _ = kyso_core::verify::verify_source(data.to_vec(), "fuzz".into(), &opts);
    if let Ok(pdf) = kyso_core::pdf::reader::Pdf::open(data.to_vec()) {
        if let Ok((_, cat)) = kyso_core::pdf::catalog(&pdf) {
            if let Ok((_, page)) = kyso_core::pdf::page(&pdf, &cat, 0) {
                let _ = kyso_core::pdf::text::find(&pdf, &page, "ký số");
            }
        }
    }
});
