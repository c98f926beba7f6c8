//! Fields the signature locks (FieldMDP, a field's `/Lock`): any change to them is refused,
//! whatever the certification allows.

use super::super::{Change, Finding};
use super::{Context, Written};
use crate::pdf::Source;

/// A locked field that was rewritten with a different value.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, w: &Written<'_>) -> Option<Vec<Change>> {
    let field = ctx.locked.get(&w.num)?;
    Some(vec![Change::forbidden(
        w.num,
        w.page,
        Finding::LockedFieldChanged { field: field.clone() },
    )])
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::base;
    use super::super::super::Finding;
    use crate::pdf::permissions::FieldLock;

    const FILLED: &str = "<</Type/Annot/Subtype/Widget/FT/Tx/T(SoVanBan)/V(01/QD)/F 4\
                          /Rect[50 600 250 620]/P 3 0 R/AP<</N 7 0 R>>>>";

    #[test]
    fn filling_a_locked_field_is_refused_even_when_form_filling_is_allowed() {
        let d = base().update(&[(6, FILLED)]);
        let lock = FieldLock::Include(vec!["SoVanBan".into()]);
        let c = d.changes_with(Some(2), Some(&lock));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(
            c[0].finding,
            Finding::LockedFieldChanged {
                field: "SoVanBan".into()
            }
        );
        // A lock on another field leaves the filling allowed.
        let other = FieldLock::Include(vec!["Khac".into()]);
        assert!(d.changes_with(Some(2), Some(&other)).is_empty());
    }
}
