//! The certificate judgement every signature format shares (CMS in PDFs and `.p7s`,
//! XMLDSig): the chain to a trusted anchor ([`chain`]), validity at the best time known
//! ([`validity`]), and revocation of the signer, its CAs and its timestamp authorities
//! ([`revocation`]).
//!
//! Each check is a function beside its unit tests; it records typed [`Finding`]s, worded
//! in [`wording`].

mod chain;
pub mod finding;
pub mod revocation;
#[cfg(test)]
mod testpki;
mod validity;
pub mod wording;

pub use finding::Finding;

use x509_cert::Certificate;

use super::{DocRevocation, Eval, VerifyOptions};
use crate::timefmt;
use crate::trust::path::PathOutcome;
use crate::trust::tst as timestamp;

/// What a signature's certificate is judged with.
pub(in crate::verify) struct Evidence<'a> {
    /// The certificates the signature carries.
    pub embedded: &'a [Certificate],
    /// The CRLs at hand (the signature's and the document's).
    pub crls: &'a [Vec<u8>],
    /// The OCSP responses at hand (the signature's and the document's).
    pub ocsps: &'a [Vec<u8>],
    /// The signing time the signature claims.
    pub claimed: Option<i64>,
    /// The time a trusted timestamp proves.
    pub poe: Option<i64>,
}

/// The certificate judgement: the chain to a trusted anchor (missing issuers fetched by AIA
/// when online), validity at the best time known, and revocation of the signer and its CAs.
pub(in crate::verify) fn judge(
    ev: &mut Eval,
    signer: &Certificate,
    evidence: &Evidence<'_>,
    opts: &VerifyOptions,
) {
    let outcome = chain::path(ev, signer, evidence.embedded, opts);
    chain::record(ev, signer, &outcome, opts);
    chain::trusted(ev, &outcome, opts);

    // The best time known: what a timestamp proves, else what the signature claims.
    let now = opts.now.unwrap_or_else(timefmt::now);
    let at = evidence.poe.or(evidence.claimed).unwrap_or(now);
    validity::of_signer(ev, signer, at, evidence.poe, now);
    let at_hand = revocation::Evidence {
        crls: evidence.crls,
        ocsps: evidence.ocsps,
        cache: opts.cache.as_ref(),
        now,
    };
    revocation_of_path(ev, &outcome, &at_hand, at, evidence.poe, opts);
    validity::of_chain(ev, &outcome.path, at);
}

/// Revocation of the signer (when its issuer is known) and, on a trusted path, of the CAs
/// below the anchor (the anchor itself is trusted by configuration).
fn revocation_of_path(
    ev: &mut Eval,
    outcome: &PathOutcome,
    at_hand: &revocation::Evidence<'_>,
    at: i64,
    poe: Option<i64>,
    opts: &VerifyOptions,
) {
    let [signer, issuer, ..] = outcome.path.as_slice() else {
        return;
    };
    revocation::of_signer(ev, signer, issuer, at_hand, at, poe, opts.online());
    if !outcome.trusted {
        return;
    }
    let n = outcome.path.len();
    let cas = outcome.path.get(1..n.saturating_sub(1)).unwrap_or_default();
    for (ca, its_issuer) in cas.iter().zip(outcome.path.iter().skip(2)) {
        revocation::of_ca(ev, ca, its_issuer, at_hand, at, opts.online());
    }
}

/// Whether a trusted TSA's certificate (`path[0]`, issued by `path[1]`) was not revoked
/// at its token's time, judged from the token's CRLs, the `(crls, ocsps)` at hand (the
/// signature's and the document's DSS) and — online — the TSA's OCSP responder or CRL.
pub(in crate::verify) fn tsa_usable(
    ev: &mut Eval,
    info: &timestamp::TimestampInfo,
    path: &[Certificate],
    (crls, ocsps): DocRevocation<'_>,
    opts: &VerifyOptions,
) -> bool {
    let [tsa, issuer, ..] = path else {
        return true; // the TSA certificate is itself an anchor: trusted by configuration
    };
    let mut all_crls = info.crls.clone();
    all_crls.extend_from_slice(crls);
    let evidence = revocation::Evidence {
        crls: &all_crls,
        ocsps,
        cache: opts.cache.as_ref(),
        now: opts.now.unwrap_or_else(timefmt::now),
    };
    revocation::tsa_usable(ev, tsa, issuer, &evidence, info.time, opts.online())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::testpki::{self, codes, Shape, CA, DURING, ROOT, VALID};
    use super::*;
    use crate::verify::{Indication, SubIndication};

    fn options(anchors: Vec<Certificate>, now: i64) -> VerifyOptions {
        VerifyOptions {
            anchors,
            offline: true,
            now: Some(now),
            ..VerifyOptions::default()
        }
    }

    fn evidence<'a>(embedded: &'a [Certificate], crls: &'a [Vec<u8>]) -> Evidence<'a> {
        Evidence {
            embedded,
            crls,
            ocsps: &[],
            claimed: Some(DURING),
            poe: None,
        }
    }

    #[test]
    fn a_good_signature_s_certificates_pass_with_what_was_checked() {
        let embedded = [testpki::ca()];
        let crls = [
            testpki::crl(CA, &[], DURING, Some(DURING + 86_400)),
            testpki::crl(ROOT, &[], DURING, Some(DURING + 86_400)),
        ];
        let mut ev = testpki::eval();
        let opts = options(vec![testpki::root()], DURING + 3600);
        judge(&mut ev, &testpki::signer(), &evidence(&embedded, &crls), &opts);
        // The signer first, then the CA below the anchor.
        assert_eq!(codes(&ev), ["SIGNER_NOT_REVOKED", "CA_NOT_REVOKED"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
        assert!(ev.report.chain.trusted);
        assert_eq!(ev.report.certificate_valid_at_time, Some(true));
        assert_eq!(ev.report.revocation, crate::verify::Revocation::Good);
    }

    #[test]
    fn an_untrusted_chain_still_judges_the_signer_but_not_its_cas() {
        let embedded = [testpki::ca()];
        let mut ev = testpki::eval();
        let opts = options(vec![], DURING);
        judge(&mut ev, &testpki::signer(), &evidence(&embedded, &[]), &opts);
        assert_eq!(codes(&ev), ["NO_TRUST_ANCHORS", "SIGNER_NO_REVOCATION_SERVICE"]);
        assert_eq!(
            ev.report.sub_indication,
            Some(SubIndication::NoCertificateChainFound)
        );
        // Without its issuer the signer's revocation cannot be asked at all.
        let mut ev = testpki::eval();
        judge(&mut ev, &testpki::signer(), &evidence(&[], &[]), &opts);
        assert_eq!(codes(&ev), ["NO_TRUST_ANCHORS"]);
        assert_eq!(ev.report.revocation, crate::verify::Revocation::NotChecked);
    }

    #[test]
    fn findings_come_in_the_order_of_the_checks_and_the_worst_wins() {
        // A CA whose validity ended before the signing time, a signer revoked before it,
        // checked after the signer expired.
        let short_ca = testpki::certificate(
            CA,
            ROOT,
            Shape {
                validity: (VALID.0, DURING - 1),
                ca: true,
                ..Shape::leaf(2)
            },
        );
        let embedded = [short_ca];
        let crls = [testpki::crl(CA, &[(3, DURING - 60)], DURING, None)];
        let mut ev = testpki::eval();
        let opts = options(vec![testpki::root()], VALID.1 + 1);
        judge(&mut ev, &testpki::signer(), &evidence(&embedded, &crls), &opts);
        assert_eq!(
            codes(&ev),
            [
                "CERTIFICATE_EXPIRED_NO_POE",
                "SIGNER_REVOKED",
                "CHAIN_CERTIFICATE_NOT_VALID"
            ]
        );
        assert_eq!(ev.report.indication, Indication::TotalFailed);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::Revoked));
    }
}
