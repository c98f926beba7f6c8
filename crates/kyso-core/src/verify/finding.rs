//! Typed findings: what a check found is a value (a stable code and its data), not a
//! sentence. Each area of the checks keeps its findings in one enum and their sentences in
//! one wording table beside it; the report carries the code with the Vietnamese and English
//! sentences, and the verdict follows from the finding, not from where it was found.

use super::report::{Indication, SubIndication};
use crate::message::Message;

/// A sentence pair for a wording table: (Vietnamese, English).
pub(in crate::verify) fn both(vi: &str, en: &str) -> (String, String) {
    (vi.to_string(), en.to_string())
}

/// A finding of one area of the checks.
pub trait TypedFinding {
    /// A stable code for programs reading the JSON report.
    fn code(&self) -> &'static str;
    /// What it does to the verdict; `None` for a note that changes nothing.
    fn verdict(&self) -> Option<(Indication, SubIndication)>;
    /// The sentences people read (from the area's wording table).
    fn words(&self) -> Message;
}
