//! What the signature element says, recorded in the report as it is (no judgement): the
//! form and slot, each reference and whether its digest held, the algorithms, and whether
//! the value over `SignedInfo` verified. A clerk (and a program) sees what was signed even
//! when a check below fails.

use super::Eval;
use crate::verify::{Coverage, XmlReferenceReport, XmlReport};
use crate::xml::verify::{ValueCheck, XmlSignatureFinding};

/// Records the XML part of the report and the integrity facts of `f`.
pub(super) fn record(ev: &mut Eval, f: &XmlSignatureFinding, form: Option<&str>) {
    // An XML signature signs chosen elements, never "the whole file up to here".
    ev.report.coverage = Coverage::Elements;
    ev.report.xml = Some(XmlReport {
        profile: form.map(str::to_string),
        slot: f.slot.map(str::to_string),
        path: f.path.clone(),
        reference: f
            .references
            .iter()
            .find(|r| !r.is_signature_property)
            .and_then(|r| r.target_path.clone()),
        references: f
            .references
            .iter()
            .map(|r| XmlReferenceReport {
                uri: r.uri.clone(),
                target: r.target_path.clone(),
                digest_ok: r.digest_ok,
            })
            .collect(),
        canonicalization: f.c14n.clone(),
    });
    let integrity = &mut ev.report.integrity;
    integrity.signature_algorithm = f.signature_method.clone();
    // The first reference's digest (the data's); the signature method's when none is known.
    integrity.digest_algorithm = f
        .references
        .first()
        .and_then(|r| r.digest)
        .or(f.algorithm.map(|(_, h)| h))
        .map(|h| h.name().into());
    integrity.digest_matches = (!f.references.is_empty()).then(|| f.references.iter().all(|r| r.digest_ok));
    integrity.signature_valid = match &f.value {
        ValueCheck::Valid => Some(true),
        ValueCheck::Invalid => Some(false),
        ValueCheck::NotChecked(_) => None,
    };
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testxml;
    use super::*;

    #[test]
    fn a_signed_invoice_shows_its_form_slot_references_and_algorithms() {
        let checked = testxml::checked(&testxml::einvoice());
        let f = &checked.signatures[0];
        let mut ev = testxml::eval();
        record(&mut ev, f, Some("einvoice"));
        assert_eq!(ev.report.coverage, Coverage::Elements);
        let xml = ev.report.xml.as_ref().unwrap();
        assert_eq!(xml.profile.as_deref(), Some("einvoice"));
        assert_eq!(xml.slot.as_deref(), Some("NBan"));
        assert_eq!(xml.path, "/HDon/DSCKS/NBan/Signature");
        // The data, then the signing time the seller's slot adds.
        assert_eq!(xml.reference.as_deref(), Some("/HDon/DLHDon"));
        assert_eq!(xml.references.len(), 2);
        assert!(xml.references.iter().all(|r| r.digest_ok));
        let i = &ev.report.integrity;
        assert_eq!(i.digest_algorithm.as_deref(), Some("SHA-256"));
        assert_eq!(
            i.signature_algorithm.as_deref(),
            Some("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")
        );
        assert_eq!((i.digest_matches, i.signature_valid), (Some(true), Some(true)));
        // Facts only: nothing found, nothing judged.
        assert!(ev.report.findings.is_empty());
    }

    #[test]
    fn a_changed_part_and_value_show_as_facts() {
        let changed = testxml::einvoice()
            .replacen("<TgTTTBSo>100<", "<TgTTTBSo>900<", 1)
            .replacen("<SignatureValue>", "<SignatureValue>AAAA", 1);
        let checked = testxml::checked(&changed);
        let mut ev = testxml::eval();
        record(&mut ev, &checked.signatures[0], None);
        let xml = ev.report.xml.as_ref().unwrap();
        assert_eq!(xml.profile, None);
        assert!(!xml.references[0].digest_ok && xml.references[1].digest_ok);
        let i = &ev.report.integrity;
        assert_eq!((i.digest_matches, i.signature_valid), (Some(false), Some(false)));
    }
}
