//! Objects of the signed revision that are gone, and later cross-reference entries that
//! point an object number at data that is not that object (a shadow-attack technique).

use super::super::{Change, Finding};
use super::{Context, Written};
use crate::pdf::{Object, PdfError, Source};

/// A later entry for `num` that cannot be read as object `num`.
pub(in super::super) fn foreign_entry(num: u32, page: Option<usize>, e: &PdfError) -> Vec<Change> {
    vec![Change::forbidden(
        num,
        page,
        Finding::ForeignEntry { error: e.to_string() },
    )]
}

/// An object that was freed (or replaced by `null`).
pub(in super::super) fn check<S: Source>(_: &Context<'_, S>, w: &Written<'_>) -> Option<Vec<Change>> {
    matches!(w.new, Object::Null).then(|| vec![Change::forbidden(w.num, w.page, Finding::ObjectDeleted)])
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::base;
    use super::super::super::Severity::Forbidden;

    #[test]
    fn a_freed_object_is_a_deletion() {
        let d = base().update_freeing(&[], &[5]);
        assert_eq!(d.codes(None), vec![("OBJECT_DELETED", Forbidden)]);
        // Even where form filling is allowed.
        assert_eq!(d.codes(Some(3)), vec![("OBJECT_DELETED", Forbidden)]);
    }

    #[test]
    fn an_entry_pointing_at_another_object_is_foreign() {
        let d = base();
        let at = d.offset_of(5);
        let d = d.update_pointing(&[(4, at)]);
        let c = d.changes(None);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].finding.code(), "XREF_ENTRY_FOREIGN");
        assert_eq!(c[0].object, 4);
        assert!(c[0].what().contains("instead of 4"), "{}", c[0].what());
    }
}
