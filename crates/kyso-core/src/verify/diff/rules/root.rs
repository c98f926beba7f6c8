//! The trailer's `/Root` naming another catalog. Some writers (e-Szigno) save the catalog
//! under a new number in every update, so the new catalog is judged against the old one key
//! by key, like an updated catalog.

use super::super::history::changed_keys;
use super::super::{Change, Finding};
use super::dicts::CATALOG_ALLOWED;
use super::Context;
use crate::pdf::{Object, Source};

/// A replaced catalog with other content, or one that cannot be read.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>) -> Option<Change> {
    let (old_root, new_root) = (ctx.signed_trailer.get(b"Root"), ctx.pdf.trailer().get(b"Root"));
    if old_root == new_root {
        return None;
    }
    let fetch = |r: Option<&Object>, old: bool| {
        let num = r.and_then(Object::as_ref)?.num;
        let o = if old {
            ctx.old(num)
        } else {
            ctx.pdf.get(crate::pdf::ObjRef::new(num, 0))
        };
        o.ok().and_then(|o| o.as_dict().cloned())
    };
    let keys = match (fetch(old_root, true), fetch(new_root, false)) {
        (Some(o), Some(n)) => {
            let bad: Vec<String> = changed_keys(&o, &n)
                .into_iter()
                .filter(|k| !CATALOG_ALLOWED.contains(&k.as_slice()))
                .map(|k| String::from_utf8_lossy(&k).into_owned())
                .collect();
            if bad.is_empty() {
                return None;
            }
            Some(bad)
        }
        _ => None,
    };
    Some(Change::forbidden(
        new_root.and_then(Object::as_ref).map_or(0, |r| r.num),
        None,
        Finding::CatalogReplaced { keys },
    ))
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::base;
    use super::super::super::{Finding, Severity::Forbidden};

    #[test]
    fn a_catalog_saved_under_a_new_number_with_the_same_content_passes() {
        let d = base()
            .with_root(9)
            .update(&[(9, "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R/DSS<<>>>>")]);
        assert_eq!(d.codes(Some(1)), vec![]);
    }

    #[test]
    fn a_catalog_replaced_with_another_page_tree_is_refused() {
        let d = base().with_root(9).update(&[
            (9, "<</Type/Catalog/Pages 10 0 R/AcroForm 8 0 R>>"),
            (10, "<</Type/Pages/Kids[]/Count 0>>"),
        ]);
        let c = d.changes(Some(3));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].severity, Forbidden);
        assert_eq!(c[0].object, 9);
        assert_eq!(
            c[0].finding,
            Finding::CatalogReplaced {
                keys: Some(vec!["Pages".into()])
            }
        );
        assert_eq!(
            c[0].what(),
            "the document catalog (/Root) was replaced and changed: /Pages"
        );
    }

    #[test]
    fn a_catalog_replaced_by_something_unreadable_is_refused() {
        // The reader does not believe a cross-reference chain whose /Root is no catalog: it
        // rebuilds the file from its objects and keeps no revisions, so the verifier finds no
        // complete revision under any signature (FORMAT_FAILURE) before this rule is asked.
        let d = base().with_root(9).update(&[(9, "[1 2]")]);
        let pdf = d.pdf();
        assert!(pdf.reconstructed && pdf.sections.is_empty());
    }
}
