//! Whole-file findings that touch every signature: signature dictionaries no field reaches
//! any more, and objects a cross-reference section defines twice, differently.

use super::{Eval, Finding};
use crate::pdf::source::Source;
use crate::pdf::Pdf;
use crate::verify::finding::TypedFinding;
use crate::verify::SignatureKind;
use crate::verify::{Coverage, SignatureReport};

/// Signature dictionaries still in the file that no form field reaches (a tool re-saved the
/// file after signing and dropped the fields, or rewrote it so the byte ranges no longer fit):
/// the file carries signatures that no longer cover it, which a clerk must be told.
pub(in crate::verify) fn orphan_signatures<S: Source>(
    pdf: &Pdf<S>,
    found: &[SignatureReport],
) -> Vec<SignatureReport> {
    let known: Vec<&Vec<u64>> = found.iter().filter_map(|s| s.byte_range.as_ref()).collect();
    // A trailer's /AuthCode (ISO/TS 32004 document MAC, written by pyHanko's encryption)
    // has a /ByteRange too; it is not a signature.
    let macs: Vec<Vec<u64>> = pdf
        .sections
        .iter()
        .filter_map(|s| s.trailer.get(b"AuthCode"))
        .filter_map(|a| pdf.resolve(a).ok())
        .filter_map(|a| {
            a.as_dict()?
                .get(b"ByteRange")?
                .as_array()?
                .iter()
                .map(|o| o.as_int().and_then(|i| u64::try_from(i).ok()))
                .collect::<Option<Vec<u64>>>()
        })
        .collect();
    let mut out = Vec::new();
    for (i, br) in scan_byte_ranges(pdf.source()).into_iter().enumerate() {
        if known.contains(&&br) || macs.contains(&br) || out.len() >= 100 {
            continue;
        }
        let mut ev = Eval::new(
            &format!("(orphan signature {})", i + 1),
            SignatureKind::Signature,
            None,
        );
        ev.report.byte_range = Some(br.clone());
        ev.report.coverage = Coverage::Invalid;
        let fits = br.len() == 4 && br[2].checked_add(br[3]).is_some_and(|e| e <= pdf.len());
        let finding = Finding::OrphanSignature { fits };
        let headline = finding.words();
        ev.find(finding);
        let mut r = ev.finish();
        // The finding itself is the headline: it says more than "invalid".
        r.message = headline;
        out.push(r);
    }
    out
}

/// Every `/ByteRange [a b c d]` in the raw bytes (signature dictionaries are never in object
/// streams, whose /Contents could not be patched in place).
fn scan_byte_ranges<S: Source + ?Sized>(src: &S) -> Vec<Vec<u64>> {
    const KEY: &[u8] = b"/ByteRange";
    let finder = memchr::memmem::Finder::new(KEY);
    let mut out = Vec::new();
    let chunk = 4 << 20;
    let mut pos = 0u64;
    while pos < src.len() {
        let Ok(w) = src.window(pos, chunk + 256) else {
            break;
        };
        for at in finder.find_iter(&w) {
            if at >= chunk && pos + (chunk as u64) < src.len() {
                break; // the next window sees it
            }
            let tail = &w[at + KEY.len()..w.len().min(at + KEY.len() + 200)];
            let Some(end) = tail.iter().position(|&b| b == b']') else {
                continue;
            };
            let nums: Vec<u64> = String::from_utf8_lossy(&tail[..end])
                .replace('[', " ")
                .split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect();
            if nums.len() == 4 && !out.contains(&nums) {
                out.push(nums);
            }
            if out.len() > 1000 {
                return out;
            }
        }
        if w.len() <= chunk {
            break;
        }
        pos += chunk as u64;
    }
    out
}

/// An object that one cross-reference section defines twice, differently, means one thing in
/// one viewer and another in the next (most take the first definition, some the last): what
/// the signer saw cannot be known, so no signature in the file can pass.
pub(in crate::verify) fn conflicting_definitions<S: Source>(
    pdf: &Pdf<S>,
    signatures: &mut [SignatureReport],
) {
    let conflicts = pdf.conflicts();
    let Some((section, c)) = conflicts.first() else {
        return;
    };
    let finding = Finding::ConflictingDefinitions {
        revision: pdf.sections.len() - section,
        object: c.num,
        more: conflicts.len() - 1,
    };
    for s in signatures.iter_mut() {
        let mut ev = Eval { report: s.clone() };
        ev.find(finding.clone());
        *s = ev.finish();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::verify::diff::testpdf::base;
    use crate::verify::{Indication, SubIndication};

    #[test]
    fn byte_ranges_are_found_in_the_raw_bytes_once_each() {
        let bytes = b"1 0 obj <</ByteRange [0 10 20 30]/Contents <00>>> endobj\n\
                      2 0 obj <</ByteRange[0 5 7 9]>> endobj 3 0 obj <</ByteRange [0 10 20 30]>> endobj\n\
                      4 0 obj <</ByteRange [1 2 3]>> endobj"
            .to_vec();
        assert_eq!(scan_byte_ranges(&bytes), [vec![0, 10, 20, 30], vec![0, 5, 7, 9]]);
    }

    #[test]
    fn a_signature_no_field_reaches_is_reported_as_such() {
        // The base document plus a signature dictionary no field points at: the byte range
        // fits the file, so the field was dropped after signing.
        let doc = base().update(&[(9, "<</Type/Sig/ByteRange [0 10 20 30]/Contents <00>>>")]);
        let pdf = doc.pdf();
        let orphans = orphan_signatures(&pdf, &[]);
        assert_eq!(orphans.len(), 1);
        let o = &orphans[0];
        assert_eq!(o.field, "(orphan signature 1)");
        assert_eq!(o.coverage, Coverage::Invalid);
        assert_eq!(
            (o.indication, o.sub_indication),
            (Indication::TotalFailed, Some(SubIndication::FormatFailure))
        );
        assert_eq!(o.findings[0].code, Some("ORPHAN_SIGNATURE"));
        assert!(o.message.en.contains("no longer attached"), "{:?}", o.message);

        // A signature the fields reach is not an orphan.
        let mut known = crate::verify::blank_report("Signature1", crate::verify::SignatureKind::Signature);
        known.byte_range = Some(vec![0, 10, 20, 30]);
        assert!(orphan_signatures(&pdf, &[known]).is_empty());
    }

    #[test]
    fn a_range_past_the_end_says_the_file_was_rewritten() {
        let doc = base().update(&[(9, "<</Type/Sig/ByteRange [0 10 20 999999]/Contents <00>>>")]);
        let orphans = orphan_signatures(&doc.pdf(), &[]);
        assert!(
            orphans[0].message.en.contains("no longer fits the file"),
            "{:?}",
            orphans[0].message
        );
    }

    #[test]
    fn without_conflicting_definitions_signatures_are_untouched() {
        let doc = base();
        let mut sigs = vec![crate::verify::blank_report(
            "Signature1",
            crate::verify::SignatureKind::Signature,
        )];
        conflicting_definitions(&doc.pdf(), &mut sigs);
        assert_eq!(sigs[0].indication, Indication::TotalPassed);
        assert!(sigs[0].findings.is_empty());
    }
}
