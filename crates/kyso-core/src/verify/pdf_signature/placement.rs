//! Where a signature sits in the file: its dictionary names the bytes it covers
//! (`/ByteRange`) and its value (`/Contents`); the range must leave out exactly that value
//! (else the value shown is not the one signed: Universal Signature Forgery) and end with a
//! whole revision of the document, with nothing unexplained after it.

use super::{Eval, Finding};
use crate::pdf::source::Source;
use crate::pdf::{Dict, Object};
use crate::verify::Coverage;

/// The signed bytes: `[0, hole_start)` and `[hole_end, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Signed {
    pub hole_start: u64,
    pub hole_end: u64,
    pub end: u64,
}

/// What the signed bytes end with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Covers {
    /// The whole file (or the last revision, with only blank bytes after it).
    WholeFile,
    /// An earlier revision: `later` updates were appended after it.
    Earlier { later: usize },
}

/// The dictionary's `/ByteRange` (recorded in the report) and `/Contents`.
pub(super) fn range_and_value(ev: &mut Eval, sig: &Dict) -> Option<(Vec<u64>, Vec<u8>)> {
    let br: Option<Vec<u64>> = sig.get(b"ByteRange").and_then(Object::as_array).and_then(|a| {
        a.iter()
            .map(|o| o.as_int().and_then(|i| u64::try_from(i).ok()))
            .collect::<Option<Vec<u64>>>()
    });
    let contents = sig
        .get(b"Contents")
        .and_then(Object::as_str_bytes)
        .map(<[u8]>::to_vec);
    let (Some(br), Some(contents)) = (br, contents) else {
        ev.find(Finding::DictionaryIncomplete);
        return None;
    };
    ev.report.byte_range = Some(br.clone());
    Some((br, contents))
}

/// The four numbers, checked to start the file, stay inside it, and leave out exactly the
/// `<hex>` string that decodes to `contents`.
pub(super) fn signed_bytes<S: Source + ?Sized>(
    ev: &mut Eval,
    src: &S,
    br: &[u64],
    contents: &[u8],
) -> Option<Signed> {
    let [b0, b1, b2, b3] = br else {
        ev.find(Finding::ByteRangeNotFour);
        return None;
    };
    let (hole_start, hole_end) = (*b1, *b2);
    let end = b2.checked_add(*b3);
    let sane = *b0 == 0 && hole_start < hole_end && end.is_some_and(|e| e <= src.len());
    match end {
        Some(end) if sane && hole_is_contents(src, hole_start, hole_end, contents) => Some(Signed {
            hole_start,
            hole_end,
            end,
        }),
        _ => {
            ev.report.coverage = Coverage::Invalid;
            ev.find(Finding::ByteRangeNotTheSignature);
            None
        }
    }
}

/// Which revision the signed bytes end with, given where each revision's `%%EOF` ends
/// (`eof_ends[0]` the newest); records the coverage. `None` when they end with none.
pub(super) fn covered_revision<S: Source + ?Sized>(
    ev: &mut Eval,
    src: &S,
    eof_ends: &[Option<u64>],
    end: u64,
) -> Option<Covers> {
    let len = src.len();
    // A signature may stop right after `%%EOF` and leave its end-of-line out.
    let revision_index = eof_ends.iter().position(|e| {
        e.is_some_and(|e| {
            e == end
                || (e > end
                    && e - end <= 2
                    && src
                        .window(end, (e - end) as usize)
                        .is_ok_and(|w| w.iter().all(|b| *b == b'\r' || *b == b'\n')))
        })
    });
    let tail_is_blank = || {
        usize::try_from(len - end)
            .ok()
            .filter(|n| *n <= 4096)
            .and_then(|n| src.window(end, n).ok())
            .is_some_and(|t| t.iter().all(|b| b.is_ascii_whitespace() || *b == 0))
    };
    if revision_index == Some(0) && end < len && !tail_is_blank() {
        // Bytes after the signed (and last) revision that no cross-reference section
        // explains: some readers would still show them.
        ev.report.coverage = Coverage::Invalid;
        ev.find(Finding::DataAppended);
        return None;
    }
    if end == len || revision_index == Some(0) {
        ev.report.coverage = Coverage::WholeFile;
        ev.report.signed_revision = Some(eof_ends.len().max(1));
        return Some(Covers::WholeFile);
    }
    let Some(later) = revision_index else {
        ev.report.coverage = Coverage::Invalid;
        ev.find(Finding::NotARevision);
        return None;
    };
    ev.report.coverage = Coverage::EarlierRevision;
    ev.report.signed_revision = Some(eof_ends.len() - later);
    ev.report.later_revisions = later;
    Some(Covers::Earlier { later })
}

/// The hole `[a, b)` must be exactly `<hex>` and decode to the parsed `/Contents` (Universal
/// Signature Forgery places a different string there).
fn hole_is_contents<S: Source + ?Sized>(src: &S, a: u64, b: u64, contents: &[u8]) -> bool {
    let Ok(n) = usize::try_from(b - a) else {
        return false;
    };
    if n > 64 << 20 {
        return false;
    }
    let Ok(hole) = src.window(a, n) else { return false };
    if hole.len() != n || hole.first() != Some(&b'<') || hole.last() != Some(&b'>') {
        return false;
    }
    let inner: Vec<u8> = hole[1..n - 1]
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let padded = if inner.len() % 2 == 1 {
        let mut v = inner.clone();
        v.push(b'0');
        v
    } else {
        inner
    };
    hex::decode(&padded).is_ok_and(|d| d == contents)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::codes;
    use super::*;
    use crate::verify::Indication;

    fn eval() -> Eval {
        Eval::new("Signature1", crate::verify::SignatureKind::Signature, None)
    }

    /// A file whose signature value `<0a0b>` sits at bytes 10..16.
    const FILE: &[u8] = b"%PDF-1.7\n(<0a0b>) signed tail\n%%EOF\n";

    fn hole() -> (u64, u64) {
        let at = memchr::memmem::find(FILE, b"<0a0b>").unwrap() as u64;
        (at, at + 6)
    }

    #[test]
    fn a_range_that_leaves_out_exactly_the_value_is_the_signed_bytes() {
        let (a, b) = hole();
        let len = FILE.len() as u64;
        let mut ev = eval();
        let s = signed_bytes(&mut ev, FILE, &[0, a, b, len - b], &[0x0a, 0x0b]);
        assert_eq!(
            s,
            Some(Signed {
                hole_start: a,
                hole_end: b,
                end: len
            })
        );
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn a_hole_holding_another_value_is_forgery() {
        let (a, b) = hole();
        let len = FILE.len() as u64;
        for (br, value) in [
            // The value parsed from the dictionary is not the one in the hole.
            (vec![0, a, b, len - b], vec![0x0a, 0x0c]),
            // The hole takes one more byte than the value.
            (vec![0, a, b + 1, len - b - 1], vec![0x0a, 0x0b]),
            // The range does not start the file.
            (vec![1, a - 1, b, len - b], vec![0x0a, 0x0b]),
            // It runs past the end.
            (vec![0, a, b, len], vec![0x0a, 0x0b]),
        ] {
            let mut ev = eval();
            assert_eq!(signed_bytes(&mut ev, FILE, &br, &value), None, "{br:?}");
            assert_eq!(codes(&ev), ["BYTE_RANGE_NOT_THE_SIGNATURE"], "{br:?}");
            assert_eq!(ev.report.coverage, Coverage::Invalid);
            assert_eq!(ev.report.indication, Indication::TotalFailed);
        }
        let mut ev = eval();
        assert_eq!(signed_bytes(&mut ev, FILE, &[0, a, b], &[0x0a, 0x0b]), None);
        assert_eq!(codes(&ev), ["BYTE_RANGE_NOT_FOUR"]);
    }

    #[test]
    fn the_dictionary_must_name_both_range_and_value() {
        let mut sig = Dict::new();
        let mut ev = eval();
        assert!(range_and_value(&mut ev, &sig).is_none());
        assert_eq!(codes(&ev), ["SIGNATURE_DICTIONARY_INCOMPLETE"]);

        sig.set(
            b"ByteRange",
            Object::Array(vec![
                Object::Int(0),
                Object::Int(10),
                Object::Int(16),
                Object::Int(20),
            ]),
        );
        sig.set(b"Contents", Object::string(vec![0x0a, 0x0b]));
        let mut ev = eval();
        let (br, value) = range_and_value(&mut ev, &sig).unwrap();
        assert_eq!((br, value), (vec![0, 10, 16, 20], vec![0x0a, 0x0b]));
        assert_eq!(ev.report.byte_range, Some(vec![0, 10, 16, 20]));
    }

    #[test]
    fn the_signed_bytes_end_with_a_revision() {
        let len = FILE.len() as u64;
        // Signed to the end: the whole file.
        let mut ev = eval();
        assert_eq!(
            covered_revision(&mut ev, FILE, &[Some(len)], len),
            Some(Covers::WholeFile)
        );
        assert_eq!(ev.report.signed_revision, Some(1));

        // Signed up to `%%EOF` without its newline: still the whole file.
        let mut ev = eval();
        assert_eq!(
            covered_revision(&mut ev, FILE, &[Some(len)], len - 1),
            Some(Covers::WholeFile)
        );

        // Two updates after the signed revision.
        let mut ev = eval();
        let first = 20;
        assert_eq!(
            covered_revision(&mut ev, FILE, &[Some(len), Some(30), Some(first)], first),
            Some(Covers::Earlier { later: 2 })
        );
        assert_eq!(
            (
                ev.report.coverage,
                ev.report.signed_revision,
                ev.report.later_revisions
            ),
            (Coverage::EarlierRevision, Some(1), 2)
        );
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn bytes_no_revision_explains_or_a_partial_revision_fail() {
        let len = FILE.len() as u64;
        // The newest revision ends at 20, and text follows that no update explains.
        let mut ev = eval();
        assert_eq!(covered_revision(&mut ev, FILE, &[Some(20)], 20), None);
        assert_eq!(codes(&ev), ["DATA_APPENDED"]);

        // The signed bytes stop in the middle of a revision.
        let mut ev = eval();
        assert_eq!(covered_revision(&mut ev, FILE, &[Some(len), Some(20)], 15), None);
        assert_eq!(codes(&ev), ["NOT_A_REVISION"]);
        assert_eq!(ev.report.coverage, Coverage::Invalid);
    }

    #[test]
    fn blank_bytes_after_the_last_revision_are_harmless() {
        let file = b"%PDF-1.7\nbody\n%%EOF\n\n   \0\n";
        let eof = memchr::memmem::find(file, b"%%EOF").unwrap() as u64 + 5;
        let mut ev = eval();
        assert_eq!(
            covered_revision(&mut ev, &file[..], &[Some(eof)], eof),
            Some(Covers::WholeFile)
        );
        assert!(codes(&ev).is_empty());
    }
}
