//! What the XML reader found wrong with a signature — its element and algorithms, each
//! reference and its digest, the value over `SignedInfo`, the key in `KeyInfo`, its place
//! and coverage in the form — judged into typed findings in the order it was found (the
//! reports and their tests read in that order), and the Ids repeated elsewhere in the file.

use super::{Eval, Finding};
use crate::xml::verify::{Problem, XmlSignatureFinding};

/// Records every problem of `f`, in order.
pub(super) fn judge(ev: &mut Eval, f: &XmlSignatureFinding, form: Option<&str>) {
    for p in &f.problems {
        ev.find(finding(p, form));
    }
}

/// The typed finding of one problem; `form` names the form a wrong target is judged by.
fn finding(p: &Problem, form: Option<&str>) -> Finding {
    match p {
        Problem::Malformed(what) => Finding::Malformed { what: what.clone() },
        Problem::UnsupportedAlgorithm(a) => Finding::AlgorithmUnsupported { algorithm: a.clone() },
        Problem::UnsupportedTransform(t) => Finding::TransformUnsupported { transform: t.clone() },
        Problem::ExternalReference(uri) => Finding::ExternalReference { uri: uri.clone() },
        Problem::TargetMissing(uri) => Finding::TargetMissing { uri: uri.clone() },
        Problem::DuplicateId(id, count) => Finding::DuplicateId {
            id: id.clone(),
            count: *count,
        },
        Problem::DigestMismatch(uri) => Finding::DigestMismatch { uri: uri.clone() },
        Problem::SignatureValueInvalid => Finding::SignatureValueMismatch,
        Problem::NoCertificate => Finding::CertificateMissing,
        Problem::BadCertificate(error) => Finding::CertificateUnreadable { error: error.clone() },
        Problem::SubjectNameMismatch => Finding::SubjectNameMismatch,
        Problem::UnexpectedTarget { expected, found } => Finding::UnexpectedTarget {
            form: form.unwrap_or_default().to_string(),
            expected: expected.clone(),
            found: found.clone(),
        },
        Problem::TargetInsideSignature(path) => Finding::TargetInsideSignature { path: path.clone() },
        Problem::UnexpectedLocation(place) => Finding::UnexpectedLocation { place: place.clone() },
        Problem::Weak(what) => Finding::Sha1 { what: what.clone() },
        Problem::SigningTimeUnsigned => Finding::SigningTimeUnsigned,
    }
}

/// An Id twice elsewhere in the file does not touch this signature's references (those
/// are failures above), but a clerk should know: it is how a wrapping attack is prepared.
pub(super) fn ids_elsewhere(ev: &mut Eval, f: &XmlSignatureFinding, duplicate_ids: &[(String, usize)]) {
    for (id, count) in duplicate_ids {
        if !f.problems.contains(&Problem::DuplicateId(id.clone(), *count)) {
            ev.find(Finding::DuplicateIdElsewhere {
                id: id.clone(),
                count: *count,
            });
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testxml::{self, checked, codes, einvoice, INV};
    use super::*;
    use crate::verify::finding::TypedFinding;
    use crate::verify::{Indication, SubIndication};

    /// Judges the one signature of `xml` with the form the file was detected as.
    fn judged(xml: &str) -> Eval {
        let c = checked(xml);
        assert_eq!(c.signatures.len(), 1);
        let mut ev = testxml::eval();
        judge(&mut ev, &c.signatures[0], c.form.map(|x| x.as_str()));
        ev
    }

    fn verdict(ev: &Eval) -> (Indication, Option<SubIndication>) {
        (ev.report.indication, ev.report.sub_indication)
    }

    #[test]
    fn an_intact_invoice_has_no_problem() {
        let ev = judged(&einvoice());
        assert!(ev.report.findings.is_empty());
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }

    // The signature element and its algorithms.

    #[test]
    fn a_signature_without_signed_info_is_malformed() {
        let ev = judged(&format!(
            "<Doc Id=\"d\"><Signature xmlns=\"{}\"/></Doc>",
            crate::xml::DSIG_NS
        ));
        assert_eq!(codes(&ev), ["XMLDSIG_MALFORMED"]);
        assert_eq!(
            verdict(&ev),
            (Indication::TotalFailed, Some(SubIndication::FormatFailure))
        );
        assert_eq!(
            ev.report.findings[0].en,
            "The XML signature is malformed: no SignedInfo."
        );
    }

    #[test]
    fn an_unknown_canonicalisation_leaves_the_value_unchecked() {
        let ev = judged(&einvoice().replacen(
            "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"",
            "Algorithm=\"urn:kyso:unknown-c14n\"",
            1,
        ));
        assert_eq!(codes(&ev), ["XMLDSIG_ALGORITHM_UNSUPPORTED"]);
        assert_eq!(
            verdict(&ev),
            (
                Indication::Indeterminate,
                Some(SubIndication::SignatureAlgorithmUnsupported)
            )
        );
        assert!(ev.report.findings[0].en.contains("urn:kyso:unknown-c14n"));
    }

    #[test]
    fn an_xslt_transform_is_not_run() {
        let xslt = "http://www.w3.org/TR/1999/REC-xslt-19991116";
        let ev = judged(&einvoice().replacen(
            "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
            &format!("<Transform Algorithm=\"{xslt}\"/>"),
            1,
        ));
        // SignedInfo changed too, so its value fails: that verdict is the worse one.
        assert_eq!(
            codes(&ev),
            [
                "XMLDSIG_TRANSFORM_UNSUPPORTED",
                "XMLDSIG_SIGNATURE_VALUE_MISMATCH"
            ]
        );
        assert!(ev.report.findings[0].vi.contains(xslt));
        assert_eq!(ev.report.indication, Indication::TotalFailed);
    }

    // Each reference and its digest.

    #[test]
    fn a_changed_amount_is_a_digest_mismatch_of_that_reference() {
        let ev = judged(&einvoice().replacen("<TgTTTBSo>100<", "<TgTTTBSo>900<", 1));
        assert_eq!(codes(&ev), ["XMLDSIG_DIGEST_MISMATCH"]);
        assert_eq!(
            verdict(&ev),
            (Indication::TotalFailed, Some(SubIndication::HashFailure))
        );
        assert!(ev.report.findings[0].en.contains(&format!("(#{INV})")));
    }

    #[test]
    fn outside_missing_and_ambiguous_targets_fail_the_format() {
        let signed = einvoice();
        let outside = signed.replacen(&format!("URI=\"#{INV}\""), "URI=\"file:///etc/passwd\"", 1);
        assert!(codes(&judged(&outside)).contains(&"XMLDSIG_EXTERNAL_REFERENCE"));
        let missing = signed.replacen(&format!("URI=\"#{INV}\""), "URI=\"#nowhere\"", 1);
        assert!(codes(&judged(&missing)).contains(&"XMLDSIG_TARGET_MISSING"));
        let twice = signed.replacen("</HDon>", &format!("<Copy Id=\"{INV}\"/></HDon>"), 1);
        let ev = judged(&twice);
        assert_eq!(codes(&ev)[0], "XMLDSIG_DUPLICATE_ID");
        assert_eq!(
            verdict(&ev),
            (Indication::TotalFailed, Some(SubIndication::FormatFailure))
        );
        assert!(ev.report.findings[0].en.contains("occurs 2 times"));
    }

    // The value over SignedInfo.

    #[test]
    fn a_changed_value_does_not_verify() {
        let ev = judged(&einvoice().replacen("<SignatureValue>", "<SignatureValue>AAAA", 1));
        assert_eq!(codes(&ev), ["XMLDSIG_SIGNATURE_VALUE_MISMATCH"]);
        assert_eq!(
            verdict(&ev),
            (Indication::TotalFailed, Some(SubIndication::SigCryptoFailure))
        );
    }

    // The key in KeyInfo.

    #[test]
    fn no_certificate_or_an_unreadable_one_leaves_the_signer_unknown() {
        let signed = einvoice();
        let a = signed.find("<X509Certificate>").unwrap();
        let b = signed.find("</X509Certificate>").unwrap() + "</X509Certificate>".len();
        let ev = judged(&format!("{}{}", &signed[..a], &signed[b..]));
        assert_eq!(codes(&ev), ["XMLDSIG_CERTIFICATE_MISSING"]);
        assert_eq!(
            verdict(&ev),
            (
                Indication::Indeterminate,
                Some(SubIndication::NoSigningCertificateFound)
            )
        );

        let garbled = signed.replacen("<X509Certificate>", "<X509Certificate>!", 1);
        let ev = judged(&garbled);
        assert_eq!(
            codes(&ev),
            ["XMLDSIG_CERTIFICATE_UNREADABLE", "XMLDSIG_CERTIFICATE_MISSING"]
        );
        assert!(ev.report.findings[0].en.contains("not base64"));
    }

    #[test]
    fn another_subject_name_is_a_note_the_key_decides() {
        let signed = einvoice();
        let a = signed.find("<X509SubjectName>").unwrap() + "<X509SubjectName>".len();
        let b = signed.find("</X509SubjectName>").unwrap();
        let ev = judged(&format!("{}CN=Someone Else{}", &signed[..a], &signed[b..]));
        assert_eq!(codes(&ev), ["XMLDSIG_SUBJECT_NAME_MISMATCH"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }

    // The place in the form and what it covers.

    #[test]
    fn a_signature_moved_out_of_its_slot_fails() {
        let s = einvoice();
        let a = s.find("<Signature xmlns=").unwrap();
        let b = s.find("</Signature>").unwrap() + "</Signature>".len();
        let moved = format!("{}{}", &s[..a], &s[b..]).replacen("</HDon>", &format!("{}</HDon>", &s[a..b]), 1);
        let ev = judged(&moved);
        assert_eq!(codes(&ev), ["XMLDSIG_UNEXPECTED_LOCATION"]);
        assert_eq!(
            verdict(&ev),
            (Indication::TotalFailed, Some(SubIndication::FormatFailure))
        );
        assert!(ev.report.findings[0].en.contains("einvoice form"));
    }

    /// What the reader can find that a small document cannot easily show: the wrong target
    /// of a form, a target inside a signature, SHA-1, an unsigned signing time.
    #[test]
    fn every_problem_has_its_finding_and_verdict() {
        let cases = [
            (
                Problem::UnexpectedTarget {
                    expected: "HDon/DLHDon".into(),
                    found: "/HDon/DSCKS".into(),
                },
                "XMLDSIG_UNEXPECTED_TARGET",
                Some(Indication::TotalFailed),
            ),
            (
                Problem::TargetInsideSignature("/HDon/Signature/Object".into()),
                "XMLDSIG_TARGET_INSIDE_SIGNATURE",
                Some(Indication::TotalFailed),
            ),
            (
                Problem::Weak("digest http://www.w3.org/2000/09/xmldsig#sha1".into()),
                "XMLDSIG_SHA1",
                Some(Indication::Indeterminate),
            ),
            (
                Problem::SigningTimeUnsigned,
                "XMLDSIG_SIGNING_TIME_UNSIGNED",
                None,
            ),
            (
                Problem::SubjectNameMismatch,
                "XMLDSIG_SUBJECT_NAME_MISMATCH",
                None,
            ),
        ];
        for (p, code, indication) in cases {
            let f = finding(&p, Some("einvoice"));
            assert_eq!(f.code(), code);
            assert_eq!(f.verdict().map(|(i, _)| i), indication, "{p:?}");
        }
        let wrong = finding(
            &Problem::UnexpectedTarget {
                expected: "x".into(),
                found: "y".into(),
            },
            Some("tax"),
        );
        assert!(wrong.words().vi.contains("mẫu tax yêu cầu (x); nó ký: y"));
    }

    #[test]
    fn problems_keep_the_order_they_were_found_in() {
        let mut f = checked(&einvoice()).signatures.remove(0);
        f.problems = vec![
            Problem::Weak("signature method m".into()),
            Problem::DigestMismatch("#a".into()),
            Problem::SubjectNameMismatch,
        ];
        let mut ev = testxml::eval();
        judge(&mut ev, &f, None);
        assert_eq!(
            codes(&ev),
            [
                "XMLDSIG_SHA1",
                "XMLDSIG_DIGEST_MISMATCH",
                "XMLDSIG_SUBJECT_NAME_MISMATCH"
            ]
        );
        // The worst verdict wins.
        assert_eq!(
            verdict(&ev),
            (Indication::TotalFailed, Some(SubIndication::HashFailure))
        );
    }

    // Ids repeated elsewhere.

    #[test]
    fn an_id_twice_elsewhere_is_a_note_once_per_id() {
        let twice = einvoice().replacen("</HDon>", "<X Id=\"dup\"/><Y Id=\"dup\"/></HDon>", 1);
        let c = checked(&twice);
        assert_eq!(c.duplicate_ids, [("dup".to_string(), 2)]);
        let f = &c.signatures[0];
        let mut ev = testxml::eval();
        judge(&mut ev, f, Some("einvoice"));
        ids_elsewhere(&mut ev, f, &c.duplicate_ids);
        assert_eq!(codes(&ev), ["XMLDSIG_DUPLICATE_ID_ELSEWHERE"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
        assert_eq!(
            ev.report.findings[0].en,
            "The Id \"dup\" occurs 2 times in the file (this signature does not reference it)."
        );
    }

    #[test]
    fn an_id_this_signature_references_is_not_told_twice() {
        let twice = einvoice().replacen("</HDon>", &format!("<Copy Id=\"{INV}\"/></HDon>"), 1);
        let c = checked(&twice);
        let f = &c.signatures[0];
        let mut ev = testxml::eval();
        ids_elsewhere(&mut ev, f, &c.duplicate_ids);
        assert!(codes(&ev).is_empty());
    }
}
