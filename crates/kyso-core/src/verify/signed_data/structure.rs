//! The shape of the SignedData: exactly one signer, a digest algorithm Kyso knows, and the
//! signer's certificate among those it carries.

use x509_cert::Certificate;

use super::{Eval, Finding};
use crate::cert;
use crate::cms::parse::{self, SignedData, SignerInfo};
use crate::crypto::HashAlg;
use crate::timefmt;

/// The one SignerInfo (PAdES and CAdES signatures have exactly one).
pub(super) fn the_signer<'a>(ev: &mut Eval, sd: &'a SignedData) -> Option<&'a SignerInfo> {
    match sd.signer_infos.as_slice() {
        [one] => Some(one),
        [] => {
            ev.find(Finding::NoSigner);
            None
        }
        _ => {
            ev.find(Finding::SeveralSigners);
            None
        }
    }
}

/// The digest algorithm, when Kyso knows it; recorded in the report with the signature
/// algorithm.
pub(super) fn digest_algorithm(ev: &mut Eval, si: &SignerInfo) -> Option<HashAlg> {
    let Some(hash) = HashAlg::from_oid(&si.digest_alg.oid) else {
        ev.find(Finding::DigestAlgorithmUnsupported {
            oid: si.digest_alg.oid.to_string(),
        });
        return None;
    };
    ev.report.integrity.digest_algorithm = Some(hash.name().into());
    ev.report.integrity.signature_algorithm = Some(si.signature_alg.oid.to_string());
    Some(hash)
}

/// The certificate the SignerInfo names, among those the signature carries; who it names
/// is recorded before any check can fail, so a broken signature still says whose it was.
pub(super) fn signer_certificate<'a>(
    ev: &mut Eval,
    sd: &'a SignedData,
    si: &SignerInfo,
) -> Option<&'a Certificate> {
    let signer = sd.certificates.iter().find(|c| parse::sid_matches(&si.sid, c))?;
    ev.report.signer = Some(cert::identity(signer));
    ev.report.certificate_sha256 = Some(cert::fingerprint(signer));
    let (nb, na) = cert::validity(signer);
    ev.report.certificate_not_before = Some(timefmt::rfc3339(nb));
    ev.report.certificate_not_after = Some(timefmt::rfc3339(na));
    Some(signer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::{codes, testcms};
    use super::*;
    use crate::verify::Indication;

    #[test]
    fn one_signer_is_taken() {
        let sd = testcms::signed_data(b"content");
        let mut ev = testcms::eval();
        assert!(the_signer(&mut ev, &sd).is_some());
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn no_signer_or_two_fail_the_format() {
        let mut sd = testcms::signed_data(b"content");
        let one = sd.signer_infos[0].clone();
        sd.signer_infos.clear();
        let mut ev = testcms::eval();
        assert!(the_signer(&mut ev, &sd).is_none());
        assert_eq!(codes(&ev), ["CMS_NO_SIGNER"]);
        assert_eq!(ev.report.indication, Indication::TotalFailed);

        sd.signer_infos = vec![one.clone(), one];
        let mut ev = testcms::eval();
        assert!(the_signer(&mut ev, &sd).is_none());
        assert_eq!(codes(&ev), ["CMS_SEVERAL_SIGNERS"]);
    }

    #[test]
    fn an_unknown_digest_algorithm_is_undecided_and_named() {
        let mut sd = testcms::signed_data(b"content");
        let mut ev = testcms::eval();
        assert_eq!(
            digest_algorithm(&mut ev, &sd.signer_infos[0]),
            Some(HashAlg::Sha256)
        );
        assert_eq!(ev.report.integrity.digest_algorithm.as_deref(), Some("SHA-256"));

        // MD5: verified never, named always.
        sd.signer_infos[0].digest_alg.oid = const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
        let mut ev = testcms::eval();
        assert_eq!(digest_algorithm(&mut ev, &sd.signer_infos[0]), None);
        assert_eq!(codes(&ev), ["DIGEST_ALGORITHM_UNSUPPORTED"]);
        assert_eq!(ev.report.indication, Indication::Indeterminate);
        assert!(ev.report.findings[0].en.contains("1.2.840.113549.2.5"));
    }

    #[test]
    fn the_signer_is_named_from_its_certificate_or_not_at_all() {
        let mut sd = testcms::signed_data(b"content");
        let mut ev = testcms::eval();
        let si = sd.signer_infos[0].clone();
        assert!(signer_certificate(&mut ev, &sd, &si).is_some());
        assert!(ev.report.signer.is_some() && ev.report.certificate_sha256.is_some());

        sd.certificates.clear();
        let mut ev = testcms::eval();
        assert!(signer_certificate(&mut ev, &sd, &si).is_none());
        assert!(ev.report.signer.is_none());
        // Not a finding by itself: the integrity check says it when it needs the key.
        assert!(codes(&ev).is_empty());
    }
}
