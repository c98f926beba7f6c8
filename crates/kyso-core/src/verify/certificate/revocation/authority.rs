//! Revocation of the authorities a signature rests on: the CAs of its chain and the
//! timestamp authorities whose tokens prove its time. Only a revocation that takes away
//! what they vouch for counts; missing information is a note, not a verdict (CAs publish
//! revocation for their intermediates less reliably than for end entities).

use x509_cert::Certificate;

use super::lookup::{find, Found};
use super::Evidence;
use crate::net::NetPolicy;
use crate::verify::certificate::finding::Finding;
use crate::verify::Eval;

/// Revocation of a CA certificate in the chain (`cert` issued by `issuer`): a revocation
/// before time `at` fails the signature, anything else is a note.
pub(in crate::verify) fn of_ca(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    at: i64,
    online: Option<&NetPolicy>,
) {
    let name = crate::cert::identity(cert).common_name.unwrap_or_default();
    let mut failures = Vec::new();
    let finding = match find(cert, issuer, evidence, online, &mut failures) {
        Some(Found::Revoked { at: when }) if when <= at => Finding::CaRevoked { name, at: when },
        Some(Found::Revoked { at: when }) => Finding::CaRevokedAfterSigning { name, at: when },
        Some(Found::Good { answered, .. }) => Finding::CaNotRevoked { name, answered },
        Some(Found::Saved(saved)) => Finding::CaNotRevokedSaved { name, saved },
        Some(Found::Stale(saved)) => Finding::CaRevocationStale { name, saved },
        None if !failures.is_empty() => Finding::CaRevocationUnavailable { name, failures },
        None => return,
    };
    ev.find(finding);
}

/// Revocation of a TSA certificate (`cert` issued by `issuer`) at `gen_time`, the time its
/// token gives. Returns `false` when the TSA was revoked at or before that time: such a
/// token proves nothing (RFC 3161 §4, and EU DSS treat it as not trustworthy). A later
/// revocation or missing information is a note, as for the CAs in a chain.
pub(in crate::verify) fn tsa_usable(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    gen_time: i64,
    online: Option<&NetPolicy>,
) -> bool {
    let name = crate::cert::identity(cert).common_name.unwrap_or_default();
    let mut failures = Vec::new();
    let finding = match find(cert, issuer, evidence, online, &mut failures) {
        Some(Found::Revoked { at }) if at <= gen_time => {
            ev.find(Finding::TsaRevoked { name, at });
            return false;
        }
        Some(Found::Revoked { at }) => Finding::TsaRevokedAfterTimestamp { name, at },
        Some(Found::Good { answered, .. }) => Finding::TsaNotRevoked { name, answered },
        Some(Found::Saved(saved)) => Finding::TsaNotRevokedSaved { name, saved },
        Some(Found::Stale(saved)) => Finding::TsaRevocationStale { name, saved },
        None if !failures.is_empty() => Finding::TsaRevocationUnavailable { name, failures },
        None => return true,
    };
    ev.find(finding);
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::trust::cache::Cache;
    use crate::verify::certificate::testpki::{self, at_hand, codes, CA, DURING, ROOT};
    use crate::verify::{Indication, SubIndication};

    const SIGNED: i64 = DURING;
    const LATER: i64 = DURING + 86_400;


    /// The CA (serial 2, under the root) judged at `SIGNED`, offline.
    fn ca_judged(evidence: &Evidence<'_>) -> Eval {
        let mut ev = testpki::eval();
        of_ca(&mut ev, &testpki::ca(), &testpki::root(), evidence, SIGNED, None);
        ev
    }

    /// The TSA (serial 4, under the CA) judged at a token time of `SIGNED`, offline.
    fn tsa_judged(evidence: &Evidence<'_>) -> (bool, Eval) {
        let mut ev = testpki::eval();
        let usable = tsa_usable(&mut ev, &testpki::tsa(), &testpki::ca(), evidence, SIGNED, None);
        (usable, ev)
    }

    #[test]
    fn a_ca_revoked_before_signing_fails_the_signature() {
        let crls = [testpki::crl(ROOT, &[(2, SIGNED - 60)], SIGNED, Some(LATER))];
        let ev = ca_judged(&at_hand(&crls, None, LATER));
        assert_eq!(codes(&ev), ["CA_REVOKED"]);
        assert_eq!(ev.report.indication, Indication::TotalFailed);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::Revoked));
        assert!(ev.report.findings[0]
            .en
            .contains("issuing authority Kyso Test CA"));
        // The signer's own revocation fields are not the CA's to set.
        assert_eq!(ev.report.revocation, crate::verify::Revocation::NotChecked);
    }

    #[test]
    fn what_else_is_known_about_a_ca_is_a_note() {
        let later = [testpki::crl(ROOT, &[(2, SIGNED + 60)], LATER, Some(LATER))];
        let ev = ca_judged(&at_hand(&later, None, LATER));
        assert_eq!(codes(&ev), ["CA_REVOKED_AFTER_SIGNING"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);

        let good = [testpki::crl(ROOT, &[], SIGNED, Some(LATER))];
        let ev = ca_judged(&at_hand(&good, None, LATER));
        assert_eq!(codes(&ev), ["CA_NOT_REVOKED"]);
        assert_eq!(
            ev.report.findings[0].en,
            "The issuing authority's certificate Kyso Test CA is not revoked (embedded CRL)."
        );
        assert_eq!(ev.report.indication, Indication::TotalPassed);

        // A CRL of another issuer says nothing about it; offline, nothing is said.
        let foreign = [testpki::crl(CA, &[(2, SIGNED - 60)], SIGNED, Some(LATER))];
        let ev = ca_judged(&at_hand(&foreign, None, LATER));
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn saved_evidence_about_a_ca_is_a_note_current_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let crls = [testpki::crl(ROOT, &[], SIGNED, Some(LATER))];
        ca_judged(&at_hand(&crls, Some(&cache), SIGNED));
        let ev = ca_judged(&at_hand(&[], Some(&cache), LATER));
        assert_eq!(codes(&ev), ["CA_NOT_REVOKED_SAVED"]);
        let ev = ca_judged(&at_hand(&[], Some(&cache), LATER + 1));
        assert_eq!(codes(&ev), ["CA_REVOCATION_STALE"]);
        assert!(ev.report.findings[0]
            .en
            .starts_with("Kyso Test CA: Only the CRL of"));
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }

    #[test]
    fn online_an_authority_whose_service_does_not_answer_is_a_note() {
        use crate::verify::certificate::testpki::{certificate, Shape};
        let ca = certificate(
            CA,
            ROOT,
            Shape {
                ca: true,
                crl_url: Some("http://127.0.0.1:9/root.crl"),
                ..Shape::leaf(2)
            },
        );
        let mut ev = testpki::eval();
        let net = crate::net::NetPolicy::default();
        of_ca(
            &mut ev,
            &ca,
            &testpki::root(),
            &at_hand(&[], None, LATER),
            SIGNED,
            Some(&net),
        );
        assert_eq!(codes(&ev), ["CA_REVOCATION_UNAVAILABLE"]);
        assert!(ev.report.findings[0].en.contains("http://127.0.0.1:9/root.crl"));
        assert_eq!(ev.report.indication, Indication::TotalPassed);

        // The same for a timestamp authority: its token still counts.
        let tsa = certificate(
            testpki::TSA,
            CA,
            Shape {
                crl_url: Some("http://127.0.0.1:9/ca.crl"),
                ..Shape::leaf(4)
            },
        );
        let mut ev = testpki::eval();
        let evidence = at_hand(&[], None, LATER);
        assert!(tsa_usable(
            &mut ev,
            &tsa,
            &testpki::ca(),
            &evidence,
            SIGNED,
            Some(&net)
        ));
        assert_eq!(codes(&ev), ["TSA_REVOCATION_UNAVAILABLE"]);
        assert!(ev.report.findings[0]
            .en
            .contains("timestamp authority Kyso Test TSA"));
    }

    #[test]
    fn a_tsa_revoked_by_its_token_time_proves_nothing() {
        let crls = [testpki::crl(CA, &[(4, SIGNED)], SIGNED, Some(LATER))];
        let (usable, ev) = tsa_judged(&at_hand(&crls, None, LATER));
        assert!(!usable);
        assert_eq!(codes(&ev), ["TSA_REVOKED"]);
        // The caller says what a token without proof does to the verdict.
        assert_eq!(ev.report.indication, Indication::TotalPassed);
        assert!(ev.report.findings[0]
            .en
            .contains("timestamp authority Kyso Test TSA"));
    }

    #[test]
    fn a_tsa_revoked_later_or_not_at_all_is_usable() {
        let later = [testpki::crl(CA, &[(4, SIGNED + 1)], LATER, Some(LATER))];
        let (usable, ev) = tsa_judged(&at_hand(&later, None, LATER));
        assert!(usable);
        assert_eq!(codes(&ev), ["TSA_REVOKED_AFTER_TIMESTAMP"]);

        let good = [testpki::crl(CA, &[(3, SIGNED - 60)], SIGNED, Some(LATER))];
        let (usable, ev) = tsa_judged(&at_hand(&good, None, LATER));
        assert!(usable);
        assert_eq!(codes(&ev), ["TSA_NOT_REVOKED"]);

        let (usable, ev) = tsa_judged(&at_hand(&[], None, LATER));
        assert!(usable);
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn saved_evidence_about_a_tsa_is_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let crls = [testpki::crl(CA, &[], SIGNED, Some(LATER))];
        tsa_judged(&at_hand(&crls, Some(&cache), SIGNED));
        let (usable, ev) = tsa_judged(&at_hand(&[], Some(&cache), LATER));
        assert!(usable);
        assert_eq!(codes(&ev), ["TSA_NOT_REVOKED_SAVED"]);
        let (usable, ev) = tsa_judged(&at_hand(&[], Some(&cache), LATER + 1));
        assert!(usable);
        assert_eq!(codes(&ev), ["TSA_REVOCATION_STALE"]);
    }
}
