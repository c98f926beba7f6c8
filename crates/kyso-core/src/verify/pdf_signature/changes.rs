//! What was appended after the signed revision: a certification level is noted, and the
//! changes-after-signing analysis ([`crate::verify::diff`]) gives the verdict — only
//! signatures and validation data keep it, annotations make it undecided, anything else
//! that changes what is shown fails it.

use super::{Eval, Finding};
use crate::pdf::permissions::FieldLock;
use crate::pdf::source::Source;
use crate::pdf::{self, Pdf};
use crate::verify::diff::{self, Severity};
use crate::verify::ChangeReport;

/// Judges the revisions appended after the signed one (section index `later`), under the
/// document's certification and this signature's field lock.
pub(super) fn later_changes<S: Source>(ev: &mut Eval, pdf: &Pdf<S>, later: usize, lock: Option<&FieldLock>) {
    let docmdp = pdf::catalog(pdf)
        .ok()
        .and_then(|(_, c)| pdf::permissions::docmdp_level(pdf, &c).ok().flatten());
    if let Some(level) = docmdp {
        ev.find(Finding::Certified { level });
    }
    match diff::analyse(pdf, later, docmdp, lock) {
        Err(e) => ev.find(Finding::ChangesUnreadable { error: e.to_string() }),
        Ok(d) if d.changes.is_empty() => ev.find(Finding::OnlySignaturesAdded { updates: later }),
        Ok(d) => {
            ev.report.changes.extend(d.changes.iter().map(report));
            let forbidden: Vec<diff::Change> = d
                .changes
                .iter()
                .filter(|c| c.severity == Severity::Forbidden)
                .cloned()
                .collect();
            ev.find(if forbidden.is_empty() {
                Finding::AnnotationsAdded { changes: d.changes }
            } else {
                Finding::ChangedAfterSigning { changes: forbidden }
            });
        }
    }
}

/// One change as the report lists it.
fn report(c: &diff::Change) -> ChangeReport {
    let data = c.finding.data();
    ChangeReport {
        object: c.object,
        page: c.page,
        what: c.what(),
        what_vi: c.what_vi(),
        severity: c.severity,
        code: c.code().into(),
        field: data.field,
        annotation: data.annotation,
        rect: data.rect,
        keys: data.keys,
        referenced_by: data.referenced_by,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::codes;
    use super::*;
    use crate::verify::diff::testpdf::{base, stream};
    use crate::verify::{Indication, SubIndication};

    fn eval() -> Eval {
        Eval::new("Signature1", crate::verify::SignatureKind::Signature, None)
    }

    #[test]
    fn an_update_that_changes_nothing_shown_keeps_the_verdict() {
        // A new, empty revision rewriting nothing of the signed one.
        let doc = base().update(&[(9, "<</Type/Sig/Filter/Adobe.PPKLite>>")]);
        let mut ev = eval();
        later_changes(&mut ev, &doc.pdf(), 1, None);
        assert_eq!(codes(&ev), ["ONLY_SIGNATURES_ADDED"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
        assert!(ev.report.changes.is_empty());
        assert!(ev.report.findings[0].en.starts_with("1 update(s) after signing"));
    }

    #[test]
    fn new_page_content_fails_and_is_named_with_its_object() {
        let doc = base().update(&[(4, &stream("", "BT /F1 12 Tf 72 700 Td (Other text) Tj ET"))]);
        let mut ev = eval();
        later_changes(&mut ev, &doc.pdf(), 1, None);
        assert_eq!(codes(&ev), ["CHANGED_AFTER_SIGNING"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::ChangesNotAllowed));
        assert_eq!(ev.report.indication, Indication::TotalFailed);
        assert!(!ev.report.changes.is_empty());
        assert!(ev
            .report
            .changes
            .iter()
            .all(|c| c.severity == crate::verify::diff::Severity::Forbidden));
        let words = &ev.report.findings[0];
        assert!(
            words.en.ends_with("a content stream changed (object 4)"),
            "{words:?}"
        );
        assert!(words.vi.ends_with("(đối tượng 4)"), "{words:?}");
    }

    #[test]
    fn an_added_annotation_leaves_the_clerk_to_look() {
        let doc = base().update(&[
            (
                3,
                "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
                 /Contents 4 0 R/Annots[6 0 R 9 0 R]>>",
            ),
            (
                9,
                "<</Type/Annot/Subtype/Text/Rect[400 50 420 70]/Contents(ghi chu)/P 3 0 R>>",
            ),
        ]);
        let mut ev = eval();
        later_changes(&mut ev, &doc.pdf(), 1, None);
        assert_eq!(codes(&ev), ["ANNOTATIONS_ADDED"], "{:?}", ev.report.changes);
        assert_eq!(ev.report.indication, Indication::Indeterminate);
        assert!(ev
            .report
            .changes
            .iter()
            .all(|c| c.severity == crate::verify::diff::Severity::Suspicious));
        // Where to look: the page and the object.
        assert!(
            ev.report.findings[0].en.contains("(page 1, object 9)"),
            "{:?}",
            ev.report.findings
        );
    }
}
