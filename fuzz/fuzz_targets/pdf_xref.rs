//! Any bytes through the cross-reference and object-stream reader: open (tables, streams,
//! hybrids, /Prev chains, reconstruction), then every indexed object fetched and every
//! stream decoded, within the document budget.
#![no_main]
use kyso_core::pdf::{reader::Pdf, ObjRef, Object};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(pdf) = Pdf::open(data.to_vec()) else {
        return;
    };
    let _ = pdf.conflicts();
    let mut nums: Vec<u32> = pdf.xref_index().keys().copied().collect();
    nums.sort_unstable();
    for num in nums.into_iter().take(2000) {
        match pdf.get(ObjRef::new(num, 0)) {
            Ok(Object::Stream(s)) => {
                let _ = pdf.decode_stream(&s, 1 << 20);
            }
            Ok(o) => {
                let _ = pdf.resolve(&o);
            }
            Err(_) => {}
        }
        if pdf.budget().exhausted().is_some() {
            break;
        }
    }
    // Older revisions' entries too (the change analysis reads them).
    for section in pdf.sections.iter().take(16) {
        for (num, e) in section.entries.iter().take(200) {
            let _ = pdf.get_entry(*num, *e);
        }
    }
});
