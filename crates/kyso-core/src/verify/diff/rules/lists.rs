//! Lists that signing adds to — a page's `/Annots`, the AcroForm's `/Fields` — may gain
//! entries, never lose them.

use super::super::history::is_superset;
use super::super::{Change, Finding};
use super::{Context, Written};
use crate::pdf::{Dict, Object, Source};

/// An indirect `/Annots` or `/Fields` array of the signed revision.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, w: &Written<'_>) -> Option<Vec<Change>> {
    let (Object::Array(a), Object::Array(b)) = (w.old, w.new) else {
        return None;
    };
    if !ctx.growable.contains(&w.num) {
        return None;
    }
    Some(if is_superset(Some(a), Some(b)) {
        Vec::new()
    } else {
        vec![Change::forbidden(
            w.num,
            w.page,
            Finding::EntriesRemoved { list: None },
        )]
    })
}

/// Direct `/Annots` and `/Fields` arrays of a dictionary whose `changed` keys are allowed to
/// change: they may only grow.
pub(in super::super) fn direct(old: &Dict, new: &Dict, changed: &[Vec<u8>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for list in [&b"Annots"[..], b"Fields"] {
        if !changed.iter().any(|k| k == list) {
            continue;
        }
        let (a, b) = (old.get(list), new.get(list));
        let direct = matches!((a, b), (Some(Object::Array(_)) | None, Some(Object::Array(_))));
        if direct && !is_superset(a.and_then(Object::as_array), b.and_then(Object::as_array)) {
            out.push(Finding::EntriesRemoved {
                list: Some(String::from_utf8_lossy(list).into_owned()),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, stream, Doc};
    use super::super::super::Severity::Forbidden;

    const PAGE: &str = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
                        /Contents 4 0 R/Annots 9 0 R>>";

    fn indirect_annots() -> Doc {
        Doc::new(&[
            (1, "<</Type/Catalog/Pages 2 0 R>>"),
            (2, "<</Type/Pages/Kids[3 0 R]/Count 1>>"),
            (3, PAGE),
            (4, &stream("", "BT /F1 12 Tf 72 700 Td (Signed text) Tj ET")),
            (5, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"),
            (6, "<</Type/Annot/Subtype/Link/Rect[0 0 10 10]>>"),
            (9, "[6 0 R]"),
        ])
    }

    #[test]
    fn an_indirect_annotation_list_may_grow_but_not_shrink() {
        let sig = "<</Type/Annot/Subtype/Widget/FT/Sig/T(Sig2)/Rect[0 0 0 0]/P 3 0 R>>";
        let grown = indirect_annots().update(&[(10, sig), (9, "[6 0 R 10 0 R]")]);
        assert_eq!(grown.codes(None), vec![]);
        let shrunk = indirect_annots().update(&[(9, "[]")]);
        assert_eq!(shrunk.codes(Some(3)), vec![("ENTRIES_REMOVED", Forbidden)]);
    }

    #[test]
    fn a_direct_annotation_list_may_not_lose_entries() {
        let d = base().update(&[(
            3,
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
             /Contents 4 0 R/Annots[]>>",
        )]);
        let c = d.changes(Some(2));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].finding.code(), "ENTRIES_REMOVED");
        assert_eq!(c[0].what(), "entries were removed from /Annots");
        assert_eq!(c[0].page, Some(1));
    }
}
