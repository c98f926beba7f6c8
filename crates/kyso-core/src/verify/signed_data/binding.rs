//! The signer's key and its binding to the certificate: a key long enough, and the
//! signing-certificate attribute (which stops a certificate substitution) naming it.

use x509_cert::Certificate;

use super::{Eval, Finding};
use crate::cms::parse::SignerInfo;
use crate::crypto::{HashAlg, KeyKind};
use crate::oids;

/// An RSA key under 2048 bits makes the verdict undecided (crypto constraints). Shared
/// with XML signatures.
pub(in crate::verify) fn key_size(ev: &mut Eval, signer: &Certificate) {
    if let Some(KeyKind::Rsa { bits }) = KeyKind::from_spki(&signer.tbs_certificate.subject_public_key_info) {
        if bits < 2048 {
            ev.find(Finding::RsaKeyTooShort { bits });
        }
    }
}

/// The signed signing-certificate-v2 (or the older SHA-1 signing-certificate) attribute
/// must hash to the signer's certificate; PAdES requires v2, so its absence is noted.
pub(super) fn signing_certificate(ev: &mut Eval, si: &SignerInfo, signer: &Certificate, pades: bool) {
    use crate::cms::ess::{SigningCertificateV1, SigningCertificateV2};
    use der::{Decode, Encode};
    let cert_der = signer.to_der().unwrap_or_default();
    if let Some(raw) = si.signed_attr(oids::ATTR_SIGNING_CERT_V2) {
        let ok = SigningCertificateV2::from_der(raw)
            .ok()
            .and_then(|v| v.certs.into_iter().next())
            .is_some_and(|id| {
                let h = id
                    .hash_algorithm
                    .as_ref()
                    .map_or(Some(HashAlg::Sha256), |a| HashAlg::from_oid(&a.oid));
                h.is_some_and(|h| h.digest(&cert_der) == id.cert_hash.as_bytes())
            });
        if !ok {
            ev.find(Finding::SigningCertificateMismatch { v2: true });
        }
    } else if let Some(raw) = si.signed_attr(oids::ATTR_SIGNING_CERT) {
        let ok = SigningCertificateV1::from_der(raw)
            .ok()
            .and_then(|v| v.certs.into_iter().next())
            .is_some_and(|id| HashAlg::Sha1.digest(&cert_der) == id.cert_hash.as_bytes());
        if !ok {
            ev.find(Finding::SigningCertificateMismatch { v2: false });
        }
    } else if pades {
        ev.find(Finding::SigningCertificateAbsent);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::{codes, testcms};
    use super::*;
    use crate::verify::{Indication, SubIndication};

    #[test]
    fn a_p256_key_is_long_enough() {
        let sd = testcms::signed_data(b"x");
        let mut ev = testcms::eval();
        key_size(&mut ev, &sd.certificates[0]);
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn a_1024_bit_rsa_key_is_too_short() {
        let mut ev = testcms::eval();
        key_size(&mut ev, &testcms::rsa_certificate(1024));
        assert_eq!(codes(&ev), ["RSA_KEY_TOO_SHORT"]);
        assert_eq!(
            ev.report.sub_indication,
            Some(SubIndication::CryptoConstraintsFailureNoPoe)
        );
        assert!(ev.report.findings[0].en.contains("1024 bits"));
    }

    #[test]
    fn the_attribute_must_name_the_signers_certificate() {
        let sd = testcms::signed_data(b"x");
        let si = &sd.signer_infos[0];
        let mut ev = testcms::eval();
        signing_certificate(&mut ev, si, &sd.certificates[0], true);
        assert!(codes(&ev).is_empty());

        // The same signature presented with another certificate (a substitution).
        let mut ev = testcms::eval();
        signing_certificate(&mut ev, si, &testcms::rsa_certificate(2048), true);
        assert_eq!(codes(&ev), ["SIGNING_CERTIFICATE_MISMATCH"]);
        assert_eq!(ev.report.indication, Indication::Indeterminate);
        assert!(ev.report.findings[0].en.contains("signing-certificate-v2"));
    }

    #[test]
    fn pades_without_the_attribute_is_noted_cades_is_not() {
        let mut sd = testcms::signed_data(b"x");
        sd.signer_infos[0]
            .signed_attrs
            .retain(|a| a.oid != oids::ATTR_SIGNING_CERT_V2);
        let mut ev = testcms::eval();
        signing_certificate(&mut ev, &sd.signer_infos[0], &sd.certificates[0], true);
        assert_eq!(codes(&ev), ["SIGNING_CERTIFICATE_ABSENT"]);
        // A note: the verdict stays.
        assert_eq!(ev.report.indication, Indication::TotalPassed);

        let mut ev = testcms::eval();
        signing_certificate(&mut ev, &sd.signer_infos[0], &sd.certificates[0], false);
        assert!(codes(&ev).is_empty());
    }
}
