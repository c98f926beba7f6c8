//! What signing and long-term validation write besides signatures, and what nobody sees:
//! the document information dictionary and XMP metadata, the DSS (its arrays, VRI entries)
//! and the catalog's `/Extensions`.

use super::super::Change;
use super::{Context, Written};
use crate::pdf::{Object, Source};

/// The information dictionary or the XMP stream: not rendered, so any change is allowed.
pub(in super::super) fn is_metadata<S: Source>(ctx: &Context<'_, S>, num: u32) -> bool {
    ctx.metadata.contains(&num)
}

/// The DSS and its parts, and `/Extensions`, updated in place by every LTV update.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, w: &Written<'_>) -> Option<Vec<Change>> {
    let container = |o: &Object| matches!(o, Object::Dict(_) | Object::Array(_));
    (ctx.bookkeeping.contains(&w.num) && container(w.old) && container(w.new)).then(Vec::new)
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, stream, Doc};

    fn with_dss() -> Doc {
        Doc::new(&[
            (1, "<</Type/Catalog/Pages 2 0 R/DSS 6 0 R/Metadata 9 0 R>>"),
            (2, "<</Type/Pages/Kids[3 0 R]/Count 1>>"),
            (
                3,
                "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Contents 4 0 R>>",
            ),
            (4, &stream("", "BT /F1 12 Tf 72 700 Td (Signed text) Tj ET")),
            (5, &stream("", "certificate")),
            (6, "<</Certs 7 0 R/VRI 8 0 R>>"),
            (7, "[5 0 R]"),
            (8, "<</ABCD<</Cert[5 0 R]>>>>"),
            (9, &stream("/Type/Metadata/Subtype/XML", "<x/>")),
            (10, "<</Producer(a)>>"),
        ])
    }

    #[test]
    fn validation_data_may_grow() {
        let d = with_dss().update(&[
            (11, &stream("", "another certificate")),
            (7, "[5 0 R 11 0 R]"),
            (6, "<</Certs 7 0 R/VRI 8 0 R/OCSPs[12 0 R]>>"),
            (12, &stream("", "ocsp")),
            (8, "<</ABCD<</Cert[5 0 R]>>/EF01<</Cert[11 0 R]>>>>"),
        ]);
        assert_eq!(d.codes(None), vec![]);
        assert_eq!(d.codes(Some(1)), vec![]);
    }

    #[test]
    fn metadata_may_change() {
        let d = with_dss().update(&[(9, &stream("/Type/Metadata/Subtype/XML", "<y/>"))]);
        assert_eq!(d.codes(Some(1)), vec![]);
    }

    #[test]
    fn a_dss_made_after_signing_may_be_added_to_the_catalog() {
        let d = base().update(&[
            (1, "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R/DSS 9 0 R>>"),
            (9, "<</Certs[10 0 R]>>"),
            (10, &stream("", "certificate")),
        ]);
        assert_eq!(d.codes(Some(1)), vec![]);
    }
}
