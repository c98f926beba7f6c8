//! The two versions of the document being compared: the signed revision (a section index,
//! newest first) and the current file. Objects are read as of either; values are compared
//! as a reader sees them.

use std::collections::{BTreeSet, HashSet};

use crate::pdf::reader::XrefEntry;
use crate::pdf::{Dict, Object, Pdf, PdfError, Source};

/// Deepest nesting followed when comparing or collecting references inside one object.
const MAX_DEPTH: usize = 32;

/// The object `num` as it was in section `idx` (sections are newest first): the first
/// entry found from `idx` onwards.
pub(super) fn entry_as_of<S: Source>(pdf: &Pdf<S>, num: u32, idx: usize) -> Option<XrefEntry> {
    pdf.sections
        .get(idx..)?
        .iter()
        .find_map(|s| s.entries.get(&num).copied())
}

/// Fetches object `num` as of section `idx` (`null` when it did not exist then).
pub(super) fn get_at<S: Source>(pdf: &Pdf<S>, num: u32, idx: usize) -> Result<Object, PdfError> {
    match entry_as_of(pdf, num, idx) {
        Some(e) => pdf.get_entry(num, e),
        None => Ok(Object::Null),
    }
}

/// `obj` with a reference followed as of section `idx` (one hop, as values are stored).
pub(super) fn resolve_at<S: Source>(pdf: &Pdf<S>, obj: &Object, idx: usize) -> Object {
    match obj {
        Object::Ref(r) => get_at(pdf, r.num, idx).unwrap_or(Object::Null),
        other => other.clone(),
    }
}

/// Whether object `num` was in use in section `idx`.
pub(super) fn existed_at<S: Source>(pdf: &Pdf<S>, num: u32, idx: usize) -> bool {
    matches!(
        entry_as_of(pdf, num, idx),
        Some(XrefEntry::Offset(..) | XrefEntry::InStream { .. })
    )
}

/// Keys that differ between two dictionaries (by value, see [`equivalent`]).
pub(super) fn changed_keys(old: &Dict, new: &Dict) -> Vec<Vec<u8>> {
    let mut keys: BTreeSet<Vec<u8>> = old.0.iter().map(|(k, _)| k.clone()).collect();
    keys.extend(new.0.iter().map(|(k, _)| k.clone()));
    keys.into_iter()
        .filter(|k| match (old.get(k), new.get(k)) {
            (Some(a), Some(b)) => !equivalent(a, b),
            (a, b) => a.is_some() != b.is_some(),
        })
        .collect()
}

/// Same value as a reader sees it: `612` and `612.0` are one number, dictionary key order
/// and string notation (hex or literal) do not matter. Streams are compared where they are
/// (a rewritten stream counts as changed).
pub(super) fn equivalent(a: &Object, b: &Object) -> bool {
    equivalent_at(a, b, 0)
}

fn equivalent_at(a: &Object, b: &Object, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return a == b;
    }
    match (a, b) {
        (Object::Int(_) | Object::Real(_), Object::Int(_) | Object::Real(_)) => {
            match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-9,
                _ => a == b,
            }
        }
        (Object::Str(x), Object::Str(y)) => x.bytes == y.bytes,
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent_at(p, q, depth + 1))
        }
        (Object::Dict(x), Object::Dict(y)) => {
            x.0.len() == y.0.len()
                && x.0
                    .iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equivalent_at(v, w, depth + 1)))
        }
        _ => a == b,
    }
}

/// `new` keeps every element of `old` (entries were only added).
pub(super) fn is_superset(old: Option<&[Object]>, new: Option<&[Object]>) -> bool {
    let old = old.unwrap_or_default();
    let new = new.unwrap_or_default();
    old.iter().all(|o| new.contains(o))
}

/// Object numbers referenced inside `obj` (its dictionary, arrays, a stream's dictionary),
/// without following the references.
pub(super) fn refs_in(obj: &Object, out: &mut HashSet<u32>) {
    fn walk(obj: &Object, out: &mut HashSet<u32>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match obj {
            Object::Ref(r) => {
                out.insert(r.num);
            }
            Object::Array(a) => a.iter().for_each(|o| walk(o, out, depth + 1)),
            Object::Dict(d) => d.0.iter().for_each(|(_, o)| walk(o, out, depth + 1)),
            Object::Stream(s) => s.dict.0.iter().for_each(|(_, o)| walk(o, out, depth + 1)),
            _ => {}
        }
    }
    walk(obj, out, 0);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pdf::lexer::Lexer;

    fn obj(s: &str) -> Object {
        Lexer::new(format!("{s} ").as_bytes(), 0).object().unwrap()
    }

    #[test]
    fn values_compare_as_a_reader_sees_them() {
        assert!(equivalent(&obj("[0 0 612 792]"), &obj("[0 0 612.0 792.00]")));
        assert!(equivalent(&obj("<</A 1/B (x)>>"), &obj("<</B <78>/A 1>>")));
        assert!(!equivalent(&obj("<</A 1>>"), &obj("<</A 1/B 2>>")));
        assert!(!equivalent(&obj("[1 2]"), &obj("[2 1]")));
        assert!(!equivalent(&obj("5 0 R"), &obj("6 0 R")));
    }

    #[test]
    fn changed_keys_name_added_removed_and_rewritten_keys() {
        let old = obj("<</Type/Page/Contents 4 0 R/Rotate 0>>");
        let new = obj("<</Type/Page/Contents 9 0 R/Annots[7 0 R]>>");
        let keys = changed_keys(old.as_dict().unwrap(), new.as_dict().unwrap());
        assert_eq!(
            keys,
            vec![b"Annots".to_vec(), b"Contents".to_vec(), b"Rotate".to_vec()]
        );
    }

    #[test]
    fn lists_may_only_grow() {
        let (a, b) = (obj("[1 0 R 2 0 R]"), obj("[1 0 R 3 0 R 2 0 R]"));
        assert!(is_superset(a.as_array(), b.as_array()));
        assert!(!is_superset(b.as_array(), a.as_array()));
        assert!(is_superset(None, a.as_array()));
    }

    #[test]
    fn references_are_collected_without_following_them() {
        let mut out = HashSet::new();
        refs_in(
            &obj("<</AP<</N 5 0 R/D<</On 6 0 R>>>>/Kids[7 0 R]/P 3 0 R/V 12>>"),
            &mut out,
        );
        assert_eq!(out, HashSet::from([3, 5, 6, 7]));
    }
}
