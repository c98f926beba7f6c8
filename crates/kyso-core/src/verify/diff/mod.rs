//! What changed after a signature: every object written by a later revision is compared with
//! its version in the signed revision and judged against a whitelist (as pyHanko's diff
//! policy and EU DSS do). Allowed: new signatures (signature dictionaries, signature fields
//! and their widgets and appearances), the DSS, and the bookkeeping those need (AcroForm
//! `/Fields` and `/SigFlags`, page `/Annots` gaining entries, the catalog gaining `/AcroForm`,
//! `/DSS`, `/Extensions`). Anything else — page content, resources, fonts, images, the page
//! tree, a different `/Root`, deleted objects, an object number re-pointed at other content,
//! a signature field nobody signed that draws on the page, content hidden in the signed
//! revision and shown later — is reported with the objects and pages concerned. This is
//! what exposes shadow attacks: the signed bytes stay intact, but the document the reader
//! shows has changed.
//!
//! A certified document's DocMDP level moves the line (ISO 32000-2 §12.8.2.2): P=1 allows no
//! new signature (only DSS and document timestamps, as PAdES permits); P=2 also allows
//! filling in form fields (values and their appearances); P=3 also annotations (a warning
//! when one lies over signed text). Without a certification Kyso stays strict: filled-in
//! values change what the approver signed.
//!
//! Each kind of change is a rule in [`rules`]; each finding is a typed [`Finding`] (a code
//! and its data) whose sentences are made in one place, [`wording`].

mod appearance;
mod context;
mod finding;
mod history;
mod rules;
#[cfg(test)]
pub(in crate::verify) mod testpdf;
pub mod wording;

pub use finding::Finding;
#[cfg(any(test, feature = "internals"))]
pub use finding::{Data, Kind};

use crate::pdf::permissions::FieldLock;
use crate::pdf::{Pdf, PdfError, Source};
use context::Context;

/// How serious a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// Not allowed: the displayed document may differ from what was signed.
    Forbidden,
    /// Suspicious but common (an annotation added): the clerk should look.
    Suspicious,
}

/// One change found.
#[derive(Clone, Debug)]
pub struct Change {
    /// Object number.
    pub object: u32,
    /// Page number (1-based): the page the object is, or the page an annotation is on.
    pub page: Option<usize>,
    /// Severity.
    pub severity: Severity,
    /// What was found.
    pub finding: Finding,
}

impl Change {
    fn forbidden(object: u32, page: Option<usize>, finding: Finding) -> Change {
        Change {
            object,
            page,
            severity: Severity::Forbidden,
            finding,
        }
    }

    /// Stable code of the finding.
    pub fn code(&self) -> &'static str {
        self.finding.code()
    }

    /// What changed (English).
    pub fn what(&self) -> String {
        wording::wording(&self.finding).en
    }

    /// What changed (Vietnamese).
    pub fn what_vi(&self) -> String {
        wording::wording(&self.finding).vi
    }
}

/// Result of the comparison.
#[derive(Clone, Debug, Default)]
pub struct DiffOutcome {
    /// Changes that are not plain new signatures/DSS.
    pub changes: Vec<Change>,
    /// Number of objects examined.
    pub examined: usize,
}

/// Compares everything written after the revision in section `signed_idx`; `docmdp` is the
/// certification level in force, if the document is certified; `lock` the fields the
/// signature locks.
pub fn analyse<S: Source>(
    pdf: &Pdf<S>,
    signed_idx: usize,
    docmdp: Option<i64>,
    lock: Option<&FieldLock>,
) -> Result<DiffOutcome, PdfError> {
    let mut out = DiffOutcome::default();
    if signed_idx == 0 {
        return Ok(out);
    }
    let ctx = Context::build(pdf, signed_idx, docmdp, lock);
    out.changes.extend(rules::root::check(&ctx));
    let mut referrals = rules::hidden::Referrals::default();
    for &num in &ctx.written {
        out.examined += 1;
        out.changes.extend(rules::judge(&ctx, num, &mut referrals));
    }
    out.changes.extend(rules::hidden::check(&ctx, &referrals));
    out.changes.extend(rules::widgets::check(&ctx));
    out.changes.extend(rules::covering::check(&ctx));
    Ok(out)
}
