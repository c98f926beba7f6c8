//! Objects that did not exist in the signed revision. They matter through the existing
//! objects that now point at them (judged by the other rules) — except a signature under a
//! certification that allows no change, and an annotation where annotations are not allowed.

use super::super::appearance;
use super::super::{Change, Finding, Severity};
use super::Context;
use crate::pdf::{Object, Source};

/// A new object `num`.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, num: u32, new: &Object) -> Vec<Change> {
    let Some(d) = new.as_dict() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if ctx.docmdp == Some(1) && d.name_is(b"Type", b"Sig") {
        out.push(Change::forbidden(num, None, Finding::SignatureNotAllowed));
    }
    if ctx.is_annotation(num, d)
        && !ctx.annotations_allowed()
        && !d.name_is(b"FT", b"Sig")
        && !d.name_is(b"Subtype", b"Widget")
    {
        out.push(Change {
            object: num,
            page: ctx.annot_pages.get(&num).copied(),
            // Certified documents say exactly what is allowed; otherwise an added note is
            // worth a look, not a failure.
            severity: if ctx.docmdp.is_some() {
                Severity::Forbidden
            } else {
                Severity::Suspicious
            },
            finding: Finding::AnnotationAdded {
                subtype: String::from_utf8_lossy(d.get_name(b"Subtype").unwrap_or(b"?")).into_owned(),
                rect: appearance::rect(d),
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, Doc};
    use super::super::super::{Finding, Severity::*};

    const PAGE_WITH_NOTE: &str =
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
                                  /Contents 4 0 R/Annots[6 0 R 9 0 R]>>";

    fn noted(note: &str) -> Doc {
        base().update(&[(9, note), (3, PAGE_WITH_NOTE)])
    }

    #[test]
    fn an_added_note_is_worth_a_look_without_certification_and_refused_with_p1_p2() {
        let d = noted("<</Type/Annot/Subtype/Text/Rect[10 10 30 30]/Contents(ghi chu)>>");
        let c = d.changes(None);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].severity, Suspicious);
        assert_eq!(
            c[0].finding,
            Finding::AnnotationAdded {
                subtype: "Text".into(),
                rect: Some([10.0, 10.0, 30.0, 30.0])
            }
        );
        assert_eq!(c[0].page, Some(1));
        assert_eq!(c[0].what(), "an annotation (/Text) was added after signing");
        assert_eq!(d.codes(Some(1)), vec![("ANNOTATION_ADDED", Forbidden)]);
        assert_eq!(d.codes(Some(2)), vec![("ANNOTATION_ADDED", Forbidden)]);
        assert_eq!(d.codes(Some(3)), vec![]);
    }

    /// `/Type /Annot` is optional: an annotation is one because a page lists it.
    #[test]
    fn an_annotation_without_type_is_still_an_annotation() {
        let d = noted("<</Subtype/FreeText/Rect[300 10 400 30]/Contents(x)/DA(/Helv 9 Tf)>>");
        assert_eq!(d.codes(Some(2)), vec![("ANNOTATION_ADDED", Forbidden)]);
    }

    #[test]
    fn a_signature_under_p1_is_refused() {
        let d = base().update(&[(9, "<</Type/Sig/Filter/Adobe.PPKLite/Contents<00>>>")]);
        assert_eq!(d.codes(Some(1)), vec![("SIGNATURE_NOT_ALLOWED", Forbidden)]);
        assert_eq!(d.codes(Some(2)), vec![]);
    }
}
