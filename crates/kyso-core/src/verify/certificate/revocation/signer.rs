//! Revocation of the signer's certificate at the time judged: a revocation before it fails
//! the signature; one after it needs a proof of time (a timestamp); revocation that cannot
//! be checked is never passed silently.

use crate::verify::Revocation;
use x509_cert::Certificate;

use super::lookup::{find, Found};
use super::Evidence;
use crate::net::NetPolicy;
use crate::timefmt;
use crate::trust::cache::Saved;
use crate::trust::{crl, ocsp};
use crate::verify::certificate::finding::Finding;
use crate::verify::report::RevocationSource;
use crate::verify::Eval;

/// Judges the signer certificate's revocation at time `at` (`poe`: proven time, if any),
/// and shows in the report what the verdict rests on.
pub(in crate::verify) fn of_signer(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    at: i64,
    poe: Option<i64>,
    online: Option<&NetPolicy>,
) {
    let mut failures = Vec::new();
    match find(cert, issuer, evidence, online, &mut failures) {
        Some(Found::Revoked { at: when }) => {
            ev.report.revocation = Revocation::Revoked;
            ev.find(if when <= at {
                Finding::SignerRevoked { at: when }
            } else if poe.is_some() {
                Finding::SignerRevokedAfterSigning { at: when }
            } else {
                Finding::SignerRevokedNoPoe { at: when }
            });
        }
        Some(Found::Good {
            this_update,
            answered,
        }) => {
            ev.report.revocation = Revocation::Good;
            ev.report.revocation_source = Some(RevocationSource {
                kind: answered.service.as_str().into(),
                origin: answered.origin.as_str().into(),
                this_update: timefmt::rfc3339(this_update),
                next_update: None,
                current: true,
            });
            ev.find(Finding::SignerNotRevoked {
                answered,
                this_update,
            });
        }
        Some(Found::Saved(saved)) => {
            ev.report.revocation = Revocation::Good;
            ev.report.revocation_source = Some(source_of(&saved, evidence.now));
            ev.find(Finding::SignerNotRevokedSaved {
                saved,
                network_failures: failures,
            });
        }
        Some(Found::Stale(saved)) => {
            ev.report.revocation = Revocation::Unknown;
            ev.report.revocation_source = Some(source_of(&saved, evidence.now));
            ev.find(Finding::SignerRevocationStale { saved });
        }
        None if crl::distribution_points(cert).is_empty() && ocsp::responder_urls(cert).is_empty() => {
            ev.report.revocation = Revocation::NotAvailable;
            ev.find(Finding::SignerNoRevocationService);
        }
        None => {
            ev.report.revocation = Revocation::Unknown;
            ev.find(match online {
                None => Finding::SignerRevocationNotChecked,
                Some(_) => Finding::SignerRevocationUnavailable { failures },
            });
        }
    }
}

/// Saved evidence a revocation verdict rests on, for the report.
fn source_of(s: &Saved, now: i64) -> RevocationSource {
    RevocationSource {
        kind: s.kind.to_string(),
        origin: "saved".to_string(),
        this_update: timefmt::rfc3339(s.this_update),
        next_update: s.next_update.map(timefmt::rfc3339),
        current: s.current(now),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::net::NetPolicy;
    use crate::trust::cache::Cache;
    use crate::verify::certificate::testpki::{self, at_hand, codes, Shape, CA, DURING, IMPOSTOR, SIGNER};
    use crate::verify::{Indication, SubIndication};

    const SIGNED: i64 = DURING;
    const LATER: i64 = DURING + 86_400;


    /// The signer judged at `SIGNED` (`poe`: proven) from `evidence`, offline.
    fn judged(evidence: &Evidence<'_>, poe: Option<i64>) -> Eval {
        let mut ev = testpki::eval();
        of_signer(
            &mut ev,
            &testpki::signer(),
            &testpki::ca(),
            evidence,
            SIGNED,
            poe,
            None,
        );
        ev
    }

    #[test]
    fn an_embedded_crl_without_the_signer_says_not_revoked() {
        let crls = [testpki::crl(CA, &[(77, SIGNED)], SIGNED, Some(LATER))];
        let ev = judged(&at_hand(&crls, None, LATER), None);
        assert_eq!(codes(&ev), ["SIGNER_NOT_REVOKED"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
        assert_eq!(ev.report.revocation, crate::verify::Revocation::Good);
        let source = ev.report.revocation_source.as_ref().unwrap();
        assert_eq!(
            (source.kind.as_str(), source.origin.as_str()),
            ("CRL", "embedded")
        );
        assert!(source.current);
        assert_eq!(
            ev.report.findings[0].en,
            "The certificate is not revoked (embedded CRL of 2023-11-14T22:13:20Z)."
        );
    }

    #[test]
    fn revoked_before_signing_fails() {
        let crls = [testpki::crl(CA, &[(3, SIGNED - 60)], SIGNED, Some(LATER))];
        let ev = judged(&at_hand(&crls, None, LATER), None);
        assert_eq!(codes(&ev), ["SIGNER_REVOKED"]);
        assert_eq!(ev.report.indication, Indication::TotalFailed);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::Revoked));
        assert_eq!(ev.report.revocation, crate::verify::Revocation::Revoked);
    }

    #[test]
    fn revoked_after_signing_needs_a_timestamp() {
        let crls = [testpki::crl(CA, &[(3, SIGNED + 60)], LATER, Some(LATER))];
        let ev = judged(&at_hand(&crls, None, LATER), Some(SIGNED));
        assert_eq!(codes(&ev), ["SIGNER_REVOKED_AFTER_SIGNING"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);

        let ev = judged(&at_hand(&crls, None, LATER), None);
        assert_eq!(codes(&ev), ["SIGNER_REVOKED_NO_POE"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::RevokedNoPoe));
        assert_eq!(ev.report.revocation, crate::verify::Revocation::Revoked);
    }

    #[test]
    fn a_crl_the_ca_did_not_sign_is_not_believed() {
        // It names the signer as revoked, but the CA's key did not sign it.
        let crls = [testpki::crl(IMPOSTOR, &[(3, SIGNED - 60)], SIGNED, Some(LATER))];
        let ev = judged(&at_hand(&crls, None, LATER), None);
        // The test certificates name no revocation service: nothing more to ask.
        assert_eq!(codes(&ev), ["SIGNER_NO_REVOCATION_SERVICE"]);
        assert_eq!(ev.report.revocation, Revocation::NotAvailable);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }

    fn signer_with_crl_url() -> x509_cert::Certificate {
        let shape = Shape {
            crl_url: Some("http://127.0.0.1:9/ca.crl"),
            ..Shape::leaf(3)
        };
        testpki::certificate(SIGNER, CA, shape)
    }

    #[test]
    fn offline_with_nothing_at_hand_is_undecided() {
        let mut ev = testpki::eval();
        let evidence = at_hand(&[], None, LATER);
        of_signer(
            &mut ev,
            &signer_with_crl_url(),
            &testpki::ca(),
            &evidence,
            SIGNED,
            None,
            None,
        );
        assert_eq!(codes(&ev), ["SIGNER_REVOCATION_NOT_CHECKED"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::TryLater));
        assert_eq!(ev.report.revocation, Revocation::Unknown);
    }

    #[test]
    fn online_a_service_that_does_not_answer_is_named() {
        // A document's address on this computer is refused before any connection.
        let net = NetPolicy::default();
        let mut ev = testpki::eval();
        let evidence = at_hand(&[], None, LATER);
        let signer = signer_with_crl_url();
        of_signer(
            &mut ev,
            &signer,
            &testpki::ca(),
            &evidence,
            SIGNED,
            None,
            Some(&net),
        );
        assert_eq!(codes(&ev), ["SIGNER_REVOCATION_UNAVAILABLE"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::TryLater));
        let en = &ev.report.findings[0].en;
        assert!(
            en.starts_with("The revocation status could not be obtained: http://127.0.0.1:9/ca.crl: "),
            "{en}"
        );
    }

    #[test]
    fn saved_evidence_decides_while_current_and_not_after() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        // Met once embedded: kept.
        let crls = [testpki::crl(CA, &[], SIGNED, Some(LATER))];
        let ev = judged(&at_hand(&crls, Some(&cache), SIGNED), None);
        assert_eq!(codes(&ev), ["SIGNER_NOT_REVOKED"]);

        // Later, nothing at hand, offline: the saved CRL, still current.
        let ev = judged(&at_hand(&[], Some(&cache), LATER), None);
        assert_eq!(codes(&ev), ["SIGNER_NOT_REVOKED_SAVED"]);
        assert_eq!(ev.report.revocation, crate::verify::Revocation::Good);
        let source = ev.report.revocation_source.as_ref().unwrap();
        assert_eq!((source.origin.as_str(), source.current), ("saved", true));
        assert!(
            ev.report.findings[0]
                .en
                .starts_with("Checked against the CRL of 15/11/2023 (saved)"),
            "{:?}",
            ev.report.findings[0]
        );

        // Past its nextUpdate: undecided, with what to do.
        let ev = judged(&at_hand(&[], Some(&cache), LATER + 1), None);
        assert_eq!(codes(&ev), ["SIGNER_REVOCATION_STALE"]);
        assert_eq!(ev.report.revocation, Revocation::Unknown);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::TryLater));
        assert!(!ev.report.revocation_source.as_ref().unwrap().current);
        assert!(ev.report.findings[0].en.contains("Connect to the network"));
    }
}
