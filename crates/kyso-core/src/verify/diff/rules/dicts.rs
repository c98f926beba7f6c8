//! Dictionaries rewritten later: which keys each kind of object may change. The catalog may
//! gain what signatures and validation data need, the AcroForm its field list and defaults,
//! a page its annotation list; an unsigned signature field may be signed; under DocMDP P=2/3
//! a form field may be filled in; under P=3 an annotation may be edited. Nothing else.

use super::super::finding::Kind;
use super::super::{Change, Finding};
use super::{lists, Context, Written};
use crate::pdf::{Dict, Object, Source};

/// Keys whose value may change on the catalog when signatures or a DSS are added (and the
/// XMP metadata, which is not rendered). `/Version` may rise (a newer feature such as a
/// PAdES extension needs it); nothing drawn depends on it.
pub(in super::super) const CATALOG_ALLOWED: &[&[u8]] =
    &[b"AcroForm", b"DSS", b"Extensions", b"Metadata", b"Version"];
/// Keys an AcroForm may change: the fields list, signature flags, and the default
/// resources and appearance used to draw new fields (each field's own appearance is judged
/// separately).
const ACROFORM_ALLOWED: &[&[u8]] = &[b"Fields", b"SigFlags", b"DR", b"DA"];
/// Keys a signature field may change (signing an empty field, its appearance). Whether an
/// appearance drawn without a signature is allowed is the widgets rule's question.
const SIGFIELD_ALLOWED: &[&[u8]] = &[b"V", b"AP", b"AS", b"F"];
/// Keys a form field or its widget may change when form filling is permitted.
const FORMFILL_ALLOWED: &[&[u8]] = &[b"V", b"AP", b"AS", b"M"];
/// Keys a page may change: its annotation list (new signature widgets).
const PAGE_ALLOWED: &[&[u8]] = &[b"Annots"];

/// Whether `d` is a form field or a widget (other than a signature field's).
fn is_form_field(d: &Dict) -> bool {
    (d.get(b"FT").is_some() || d.get(b"T").is_some() || d.name_is(b"Subtype", b"Widget"))
        && !d.name_is(b"FT", b"Sig")
}

/// A dictionary (not a stream) rewritten with other values.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, w: &Written<'_>) -> Option<Vec<Change>> {
    let (Object::Dict(o), Object::Dict(n)) = (w.old, w.new) else {
        return None;
    };
    let changed = super::super::history::changed_keys(o, n);
    let allowed: &[&[u8]] = if Some(w.num) == ctx.catalog {
        CATALOG_ALLOWED
    } else if Some(w.num) == ctx.acroform {
        ACROFORM_ALLOWED
    } else if w.is_page {
        PAGE_ALLOWED
    } else if o.name_is(b"FT", b"Sig") && o.get(b"V").is_none() {
        SIGFIELD_ALLOWED
    } else if ctx.form_fill() && is_form_field(o) {
        FORMFILL_ALLOWED
    } else if ctx.annotations_allowed() && ctx.is_annotation(w.num, o) && !o.name_is(b"Subtype", b"Widget") {
        // P=3: annotations may be edited; whether one now covers signed text is the
        // covering rule's question.
        return Some(Vec::new());
    } else {
        &[]
    };
    let bad: Vec<String> = changed
        .iter()
        .filter(|k| !allowed.contains(&k.as_slice()))
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect();
    if !bad.is_empty() {
        let kind = if w.is_page {
            Kind::Page
        } else if Some(w.num) == ctx.catalog {
            Kind::Catalog
        } else {
            Kind::of(o)
        };
        return Some(vec![Change::forbidden(
            w.num,
            w.page,
            Finding::KeysChanged { kind, keys: bad },
        )]);
    }
    Some(
        lists::direct(o, n, &changed)
            .into_iter()
            .map(|f| Change::forbidden(w.num, w.page, f))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, stream};
    use super::super::super::{Finding, Kind, Severity::Forbidden};

    const FILLED: &str = "<</Type/Annot/Subtype/Widget/FT/Tx/T(SoVanBan)/V(01/QD)/F 4\
                          /Rect[50 600 250 620]/P 3 0 R/AP<</N 9 0 R>>>>";

    fn filled_ap() -> String {
        stream(
            "/Type/XObject/Subtype/Form/BBox[0 0 200 20]",
            "BT /F1 12 Tf (01/QD) Tj ET",
        )
    }

    #[test]
    fn page_content_swapped_is_named_with_its_page() {
        let d = base().update(&[(
            3,
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
             /Contents 9 0 R/Annots[6 0 R]>>",
        )]);
        let c = d.changes(Some(3));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].finding,
            Finding::KeysChanged {
                kind: Kind::Page,
                keys: vec!["Contents".into()]
            }
        );
        assert_eq!((c[0].object, c[0].page), (3, Some(1)));
        assert_eq!(c[0].what(), "page changed: /Contents");
    }

    #[test]
    fn the_catalog_may_gain_signature_bookkeeping_only() {
        let ok = base().update(&[(
            1,
            "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R/Extensions<</ADBE<</BaseVersion/1.7>>>>/Version/2.0>>",
        )]);
        assert_eq!(ok.codes(Some(1)), vec![]);
        let bad = base().update(&[(1, "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R/OpenAction 9 0 R>>")]);
        let c = bad.changes(None);
        assert_eq!(
            c[0].finding,
            Finding::KeysChanged {
                kind: Kind::Catalog,
                keys: vec!["OpenAction".into()]
            }
        );
        assert_eq!(c[0].what(), "document catalog changed: /OpenAction");
    }

    #[test]
    fn form_filling_is_allowed_only_by_a_certification_that_says_so() {
        let d = base().update(&[(9, &filled_ap()), (6, FILLED)]);
        assert_eq!(d.codes(Some(2)), vec![]);
        assert_eq!(d.codes(Some(3)), vec![]);
        let strict = d.changes(None);
        assert_eq!(strict.len(), 1, "{strict:?}");
        assert_eq!(strict[0].severity, Forbidden);
        assert_eq!(strict[0].finding.data().keys, vec!["AP", "V"]);
        // The widget is named with the page it is on.
        assert_eq!((strict[0].object, strict[0].page), (6, Some(1)));
        assert_eq!(d.codes(Some(1)).len(), 1);
    }

    #[test]
    fn form_filling_does_not_allow_moving_a_field() {
        let moved = FILLED.replace("[50 600 250 620]", "[50 100 250 120]");
        let d = base().update(&[(9, &filled_ap()), (6, &moved)]);
        let c = d.changes(Some(2));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].finding.data().keys, vec!["Rect"]);
    }

    #[test]
    fn signing_an_empty_signature_field_is_allowed() {
        let d = base()
            .update(&[
                (
                    9,
                    "<</Type/Annot/Subtype/Widget/FT/Sig/T(KyDuyet)/F 4/Rect[0 0 0 0]/P 3 0 R>>",
                ),
                (8, "<</Fields[6 0 R 9 0 R]/DA(/Helv 12 Tf 0 g)>>"),
                (
                    3,
                    "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
                     /Contents 4 0 R/Annots[6 0 R 9 0 R]>>",
                ),
            ])
            .update(&[
                (10, "<</Type/Sig/Filter/Adobe.PPKLite/Contents<00>>>"),
                (
                    9,
                    "<</Type/Annot/Subtype/Widget/FT/Sig/T(KyDuyet)/F 4/Rect[0 0 0 0]/P 3 0 R/V 10 0 R>>",
                ),
            ]);
        // Judged from the first revision: the field was added and signed.
        assert_eq!(d.codes(None), vec![]);
    }
}
