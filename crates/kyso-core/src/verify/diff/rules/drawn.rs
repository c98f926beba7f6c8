//! Everything else rewritten later: content streams, form XObjects, images, fonts, arrays.
//! Only two kinds pass: a form field's redrawn appearance where form filling is allowed,
//! and the signature machinery itself (signature dictionaries, xref and object streams).

use super::super::finding::Kind;
use super::super::{Change, Finding};
use super::{Context, Written};
use crate::pdf::{Dict, Source};

/// Signature dictionaries, signature fields and cross-reference machinery: rewritten by
/// signing tools, never drawn.
fn is_signature_machinery(d: &Dict) -> bool {
    d.name_is(b"Type", b"Sig")
        || d.name_is(b"Type", b"DocTimeStamp")
        || d.name_is(b"FT", b"Sig")
        || d.name_is(b"Type", b"XRef")
        || d.name_is(b"Type", b"ObjStm")
}

/// The last rule: anything not claimed before is a change, unless it is one of the two kinds
/// above.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, w: &Written<'_>) -> Option<Vec<Change>> {
    if ctx.appearances.contains(&w.num) {
        return Some(Vec::new()); // a form field's redrawn appearance, permitted by P=2/3
    }
    let kind = match w.old.as_dict() {
        Some(d) if is_signature_machinery(d) => return Some(Vec::new()),
        Some(d) => Kind::of(d),
        None => Kind::Other,
    };
    Some(vec![Change::forbidden(
        w.num,
        w.page,
        Finding::ObjectChanged { kind },
    )])
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, stream};
    use super::super::super::{Finding, Kind};

    #[test]
    fn rewritten_page_content_is_a_change() {
        let d = base().update(&[(4, &stream("", "BT /F1 12 Tf 72 700 Td (Other text) Tj ET"))]);
        let c = d.changes(Some(3));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].finding,
            Finding::ObjectChanged {
                kind: Kind::ContentStream
            }
        );
        assert_eq!(c[0].what(), "a content stream changed");
        assert_eq!(c[0].what_vi(), "một luồng nội dung trang bị sửa");
    }

    #[test]
    fn a_field_appearance_redrawn_in_place_passes_only_with_form_filling() {
        let ap = stream(
            "/Type/XObject/Subtype/Form/BBox[0 0 200 20]",
            "BT /F1 12 Tf (01/QD) Tj ET",
        );
        let d = base().update(&[(7, &ap)]);
        assert_eq!(d.codes(Some(2)), vec![]);
        let c = d.changes(None);
        assert_eq!(
            c[0].finding,
            Finding::ObjectChanged {
                kind: Kind::FormXObject
            }
        );
    }

    #[test]
    fn fonts_and_arrays_are_named() {
        let d = base().update(&[(5, "<</Type/Font/Subtype/Type1/BaseFont/Courier>>")]);
        assert_eq!(d.changes(None)[0].what(), "a font changed: /BaseFont");
        let d = base().update(&[(2, "[1 2 3]")]);
        assert_eq!(d.changes(None)[0].what(), "a /Pages object changed");
    }
}
