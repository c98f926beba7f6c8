//! Widgets put on a page or redrawn after signing. A signature field's widget may appear
//! with its signature; one that nobody signed but that draws on the page is new content no
//! signature vouches for (text "approved" over the page, say). A new form field that draws
//! is refused too: form filling fills fields, it does not add them. Empty or hidden widgets
//! (a field prepared for the next signer) are fine.

use super::super::context::OnPage;
use super::super::history::{equivalent, refs_in};
use super::super::{appearance, Change, Finding};
use super::Context;
use crate::pdf::Source;

/// Whether the widget shows what it showed when signed: it was on that page, displayed,
/// with the same appearance entry, and none of its appearance objects was rewritten.
fn drawn_as_signed<S: Source>(ctx: &Context<'_, S>, w: &OnPage) -> bool {
    if w.newly_shown || !ctx.existed(w.num) {
        return false;
    }
    let Some(old) = ctx.old(w.num).ok().and_then(|o| o.as_dict().cloned()) else {
        return false;
    };
    let same_ap = match (old.get(b"AP"), w.dict.get(b"AP")) {
        (Some(a), Some(b)) => equivalent(a, b),
        (a, b) => a.is_none() && b.is_none(),
    };
    let mut ap_objects = std::collections::HashSet::new();
    if let Some(ap) = w.dict.get(b"AP") {
        refs_in(ap, &mut ap_objects);
        for r in ap_objects.clone() {
            if let Ok(o) = ctx.pdf.get(crate::pdf::ObjRef::new(r, 0)) {
                if o.as_dict().is_some_and(|d| !d.name_is(b"Subtype", b"Form")) {
                    refs_in(&o, &mut ap_objects); // a state dictionary's streams
                }
            }
        }
    }
    same_ap && appearance::displayed(&old) && !ap_objects.iter().any(|n| ctx.written.contains(n))
}

/// Signature and form-field widgets added, redrawn or newly put on a page.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>) -> Vec<Change> {
    let mut out = Vec::new();
    for w in &ctx.touched_annots {
        if !w.dict.name_is(b"Subtype", b"Widget") || !appearance::displayed(&w.dict) {
            continue;
        }
        let field = appearance::field_of(ctx.pdf, w.num, &w.dict);
        let signature = field.field_type.as_deref() == Some(b"Sig");
        let finding = if signature && !field.has_value {
            Finding::UnsignedFieldDrawn {
                field: field.name,
                rect: appearance::rect(&w.dict),
            }
        } else if !signature && (w.newly_shown || !ctx.existed(w.num)) {
            Finding::FieldAdded {
                field: field.name,
                rect: appearance::rect(&w.dict),
            }
        } else {
            continue;
        };
        if drawn_as_signed(ctx, w) {
            continue;
        }
        let paints = appearance::normal_appearances(ctx.pdf, &w.dict)
            .iter()
            .any(|s| appearance::paints(ctx.pdf, s));
        if paints {
            out.push(Change::forbidden(w.num, Some(w.page), finding));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, stream, Doc};
    use super::super::super::{Finding, Severity::Forbidden};

    const PAGE: &str = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
                        /Contents 4 0 R/Annots[6 0 R 9 0 R]>>";

    /// A signature field `KyThem` (widget 9, appearance 10) added after signing.
    fn with_field(widget_extra: &str, appearance: &str) -> Doc {
        base().update(&[
            (
                9,
                &format!(
                    "<</Type/Annot/Subtype/Widget/FT/Sig/T(KyThem)/P 3 0 R/AP<</N 10 0 R>>{widget_extra}>>"
                ),
            ),
            (
                10,
                &stream(
                    "/Type/XObject/Subtype/Form/BBox[0 0 200 60]/Resources<</Font<</F1 5 0 R>>>>",
                    appearance,
                ),
            ),
            (8, "<</Fields[6 0 R 9 0 R]/DA(/Helv 12 Tf 0 g)>>"),
            (3, PAGE),
        ])
    }

    const TEXT: &str = "BT /F1 14 Tf 5 30 Td (DA PHE DUYET) Tj ET";

    #[test]
    fn an_unsigned_signature_field_that_draws_is_refused() {
        let d = with_field("/F 4/Rect[350 300 550 360]", TEXT);
        for level in [None, Some(2), Some(3)] {
            let c = d.changes(level);
            assert_eq!(c.len(), 1, "{level:?}: {c:?}");
            assert_eq!(c[0].severity, Forbidden);
            assert_eq!(
                c[0].finding,
                Finding::UnsignedFieldDrawn {
                    field: "KyThem".into(),
                    rect: Some([350.0, 300.0, 550.0, 360.0])
                }
            );
            assert_eq!((c[0].object, c[0].page), (9, Some(1)));
        }
    }

    #[test]
    fn empty_hidden_or_signed_fields_are_fine() {
        // An empty appearance: a field prepared for the next signer.
        assert_eq!(
            with_field("/F 4/Rect[350 300 550 360]", "").codes(Some(2)),
            vec![]
        );
        assert_eq!(
            with_field("/F 4/Rect[350 300 550 360]", "q Q").codes(Some(2)),
            vec![]
        );
        // Invisible: no area, or hidden.
        assert_eq!(with_field("/F 4/Rect[0 0 0 0]", TEXT).codes(Some(2)), vec![]);
        assert_eq!(
            with_field("/F 6/Rect[350 300 550 360]", TEXT).codes(Some(2)),
            vec![]
        );
        // Signed: the signature vouches for its own appearance.
        let signed = with_field("/F 4/Rect[350 300 550 360]/V 11 0 R", TEXT)
            .update(&[(11, "<</Type/Sig/Filter/Adobe.PPKLite/Contents<00>>>")]);
        assert_eq!(signed.codes(Some(2)), vec![]);
    }

    #[test]
    fn an_existing_empty_field_drawn_without_a_signature_is_refused() {
        let prepared = with_field("/F 4/Rect[350 300 550 360]", "");
        let drawing = stream(
            "/Type/XObject/Subtype/Form/BBox[0 0 200 60]/Resources<</Font<</F1 5 0 R>>>>",
            TEXT,
        );
        // Judged from the revision with the empty field: a new appearance given to it...
        let d = prepared.update(&[
            (11, &drawing),
            (9, "<</Type/Annot/Subtype/Widget/FT/Sig/T(KyThem)/P 3 0 R/AP<</N 11 0 R>>/F 4/Rect[350 300 550 360]>>"),
        ]);
        let c = d.changes_since(1, Some(2));
        let codes: Vec<_> = c.iter().map(|c| c.finding.code()).collect();
        assert_eq!(codes, vec!["UNSIGNED_FIELD_DRAWN"]);
        // ... or its empty appearance rewritten in place.
        let d = with_field("/F 4/Rect[350 300 550 360]", "").update(&[(10, &drawing)]);
        let c = d.changes_since(1, Some(2));
        let codes: Vec<_> = c.iter().map(|c| c.finding.code()).collect();
        assert_eq!(codes, vec!["OBJECT_CHANGED"]);
    }

    #[test]
    fn a_new_text_field_that_draws_is_refused() {
        let d = base().update(&[
            (
                9,
                "<</Type/Annot/Subtype/Widget/FT/Tx/T(SoTien)/V(500.000.000)/F 4/Rect[50 500 250 520]\
                 /P 3 0 R/AP<</N 10 0 R>>>>",
            ),
            (10, &stream("/Type/XObject/Subtype/Form/BBox[0 0 200 20]", TEXT)),
            (8, "<</Fields[6 0 R 9 0 R]/DA(/Helv 12 Tf 0 g)>>"),
            (3, PAGE),
        ]);
        assert_eq!(d.codes(Some(2)), vec![("FIELD_ADDED", Forbidden)]);
    }
}
