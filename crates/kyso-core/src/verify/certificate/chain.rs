//! The chain from the signer's certificate to a trusted anchor: built from the certificates
//! the signature carries and the imported intermediates, completed — online — with issuers
//! downloaded from the addresses certificates name (AIA), shown in the report.

use x509_cert::Certificate;

use super::Finding;
use crate::cert;
use crate::trust::path::{self as chain, PathOutcome};
use crate::verify::{ChainReport, Eval, VerifyOptions};

/// How many times missing issuers are fetched (each round climbs one level).
const AIA_ROUNDS: usize = 4;

/// The best path from `signer` towards an anchor; online, a missing issuer is fetched from
/// where the certificate says it is published (real documents often omit intermediates).
pub(super) fn path(
    ev: &mut Eval,
    signer: &Certificate,
    embedded: &[Certificate],
    opts: &VerifyOptions,
) -> PathOutcome {
    let mut pool: Vec<Certificate> = embedded
        .iter()
        .chain(opts.intermediates.iter())
        .cloned()
        .collect();
    let mut outcome = chain::build(signer, &pool, &opts.anchors);
    for _ in 0..AIA_ROUNDS {
        let Some(net) = opts.online().filter(|_| !outcome.trusted) else {
            break;
        };
        let Some(top) = outcome.path.last() else { break };
        let fresh: Vec<Certificate> = crate::trust::aia::issuer_certificates(top, net)
            .into_iter()
            .filter(|c| !pool.contains(c))
            .collect();
        if fresh.is_empty() {
            break;
        }
        ev.find(Finding::IssuerDownloaded);
        pool.extend(fresh);
        outcome = chain::build(signer, &pool, &opts.anchors);
    }
    outcome
}

/// Shows the chain and the signer certificate's facts in the report; the CAs of a trusted
/// path (from the document or its AIA address) are kept so the next check finds them,
/// offline too.
pub(super) fn record(ev: &mut Eval, signer: &Certificate, outcome: &PathOutcome, opts: &VerifyOptions) {
    let subject = |c: &Certificate| cert::name_to_string(&c.tbs_certificate.subject);
    ev.report.chain = ChainReport {
        trusted: outcome.trusted,
        path: outcome.path.iter().map(subject).collect(),
        anchor: outcome
            .trusted
            .then(|| outcome.path.last().map(subject))
            .flatten(),
    };
    ev.report.certificate = Some(crate::decree::class::facts(signer, outcome, &opts.systems));
    if outcome.trusted {
        if let (Some(cache), [_, cas @ .., _]) = (&opts.cache, outcome.path.as_slice()) {
            let fresh: Vec<Certificate> = cas
                .iter()
                .filter(|c| !opts.intermediates.contains(c))
                .cloned()
                .collect();
            cache.keep_intermediates(&fresh);
        }
    }
}

/// A chain that reaches no trusted anchor leaves the verdict undecided; saying that no
/// anchor is configured at all tells the user what to fix.
pub(super) fn trusted(ev: &mut Eval, outcome: &PathOutcome, opts: &VerifyOptions) {
    if outcome.trusted {
        return;
    }
    ev.find(if opts.anchors.is_empty() {
        Finding::NoTrustAnchors
    } else {
        Finding::NoTrustedChain
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testpki::{self, codes};
    use super::*;
    use crate::verify::{Indication, SubIndication};

    fn options(anchors: Vec<Certificate>, intermediates: Vec<Certificate>) -> VerifyOptions {
        VerifyOptions {
            anchors,
            intermediates,
            offline: true,
            ..VerifyOptions::default()
        }
    }

    #[test]
    fn the_signature_s_certificates_lead_to_the_anchor() {
        let opts = options(vec![testpki::root()], vec![]);
        let mut ev = testpki::eval();
        let signer = testpki::signer();
        let outcome = path(&mut ev, &signer, &[testpki::ca()], &opts);
        assert!(outcome.trusted);
        assert_eq!(outcome.path, [signer.clone(), testpki::ca(), testpki::root()]);
        record(&mut ev, &signer, &outcome, &opts);
        trusted(&mut ev, &outcome, &opts);
        assert!(codes(&ev).is_empty());
        assert_eq!(ev.report.indication, Indication::TotalPassed);
        assert!(ev.report.chain.trusted);
        assert_eq!(
            ev.report.chain.path,
            [
                "CN=Nguyen Van A, O=Kyso",
                "CN=Kyso Test CA, O=Kyso",
                "CN=Kyso Test Root, O=Kyso"
            ]
        );
        assert_eq!(
            ev.report.chain.anchor.as_deref(),
            Some("CN=Kyso Test Root, O=Kyso")
        );
        assert!(ev.report.certificate.is_some());
    }

    #[test]
    fn an_imported_intermediate_completes_the_chain() {
        let opts = options(vec![testpki::root()], vec![testpki::ca()]);
        let mut ev = testpki::eval();
        assert!(path(&mut ev, &testpki::signer(), &[], &opts).trusted);
    }

    #[test]
    fn a_missing_issuer_offline_leaves_no_chain() {
        let opts = options(vec![testpki::root()], vec![]);
        let mut ev = testpki::eval();
        let signer = testpki::signer();
        let outcome = path(&mut ev, &signer, &[], &opts);
        assert!(!outcome.trusted);
        // Offline, nothing is fetched (and so nothing said about fetching).
        assert!(codes(&ev).is_empty());
        record(&mut ev, &signer, &outcome, &opts);
        trusted(&mut ev, &outcome, &opts);
        assert_eq!(codes(&ev), ["NO_TRUSTED_CHAIN"]);
        assert_eq!(ev.report.indication, Indication::Indeterminate);
        assert_eq!(
            ev.report.sub_indication,
            Some(SubIndication::NoCertificateChainFound)
        );
        assert!(!ev.report.chain.trusted);
        assert_eq!(ev.report.chain.anchor, None);
    }

    #[test]
    fn no_anchor_at_all_is_said_so() {
        let opts = options(vec![], vec![testpki::ca()]);
        let mut ev = testpki::eval();
        let outcome = path(&mut ev, &testpki::signer(), &[], &opts);
        trusted(&mut ev, &outcome, &opts);
        assert_eq!(codes(&ev), ["NO_TRUST_ANCHORS"]);
        assert_eq!(ev.report.findings[0].en, "No trust anchors are configured.");
    }

    #[test]
    fn a_trusted_path_keeps_its_cas_for_the_next_check() {
        let dir = tempfile::tempdir().unwrap();
        let opts = options(vec![testpki::root()], vec![]).with_cache(dir.path());
        let mut ev = testpki::eval();
        let signer = testpki::signer();
        let outcome = path(&mut ev, &signer, &[testpki::ca()], &opts);
        record(&mut ev, &signer, &outcome, &opts);
        let kept = opts.cache.as_ref().unwrap().kept_intermediates();
        assert_eq!(kept, [testpki::ca()]);
    }
}
