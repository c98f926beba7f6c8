//! Integrity: the signed bytes' digest is the one the signature vouches for, and the
//! signature value verifies with the signer's key.

use x509_cert::Certificate;

use super::{Eval, Finding};
use crate::cms::parse::{SignedData, SignerInfo};
use crate::crypto::{self, HashAlg};
use crate::oids;

/// The digest the signature must vouch for: the signed bytes' digest, or — for
/// `adbe.pkcs7.sha1` and other signatures that encapsulate content — the digest of the
/// encapsulated SHA-1, once that SHA-1 is checked to be the bytes'. `None` stops the checks.
pub(super) fn signed_content_digest(
    ev: &mut Eval,
    sd: &SignedData,
    hash: HashAlg,
    digest_of: &mut dyn FnMut(HashAlg) -> std::io::Result<Vec<u8>>,
    sha1_subfilter: bool,
) -> Option<Vec<u8>> {
    let content_digest = match digest_of(hash) {
        Ok(d) => d,
        Err(e) => {
            ev.find(Finding::ContentUnreadable { error: e.to_string() });
            return None;
        }
    };
    if !sha1_subfilter && sd.econtent.is_none() {
        return Some(content_digest);
    }
    let Some(econtent) = sd.econtent.as_deref() else {
        ev.find(Finding::EncapsulatedContentMissing);
        return None;
    };
    let sha1 = digest_of(HashAlg::Sha1).unwrap_or_default();
    if econtent != sha1.as_slice() {
        ev.report.integrity.digest_matches = Some(false);
        ev.find(Finding::EncapsulatedDigestMismatch);
        return None;
    }
    Some(hash.digest(econtent))
}

/// The signature value: over the signed attributes (whose message-digest must be `digest`)
/// or, without attributes, over `digest` itself. Returns the signer's certificate when the
/// value holds; `None` stops the checks. SHA-1 anywhere makes the verdict undecided.
pub(super) fn signature_value<'c>(
    ev: &mut Eval,
    si: &SignerInfo,
    hash: HashAlg,
    signer: Option<&'c Certificate>,
    digest: &[u8],
) -> Option<&'c Certificate> {
    let verified = if let Some(attrs_der) = &si.signed_attrs_der {
        if si.signed_attr_count(oids::ATTR_MESSAGE_DIGEST) != 1
            || si.signed_attr_count(oids::ATTR_CONTENT_TYPE) != 1
        {
            ev.find(Finding::DigestAttributesMalformed);
            return None;
        }
        let md_ok = si.message_digest().as_deref() == Some(digest);
        ev.report.integrity.digest_matches = Some(md_ok);
        if !md_ok {
            ev.find(Finding::DigestMismatch);
            return None;
        }
        signer.map(|c| {
            crypto::verify(
                &c.tbs_certificate.subject_public_key_info,
                &si.signature_alg,
                Some(hash),
                attrs_der,
                &si.signature,
            )
        })
    } else {
        ev.report.integrity.digest_matches = None;
        signer.map(|c| {
            crypto::verify_prehashed(
                &c.tbs_certificate.subject_public_key_info,
                &si.signature_alg,
                Some(hash),
                digest,
                &si.signature,
            )
            .map(|_| hash)
        })
    };
    let (Some(signer), Some(verified)) = (signer, verified) else {
        ev.find(Finding::SignerCertificateMissing);
        return None;
    };
    match verified {
        Ok(sig_hash) => {
            ev.report.integrity.signature_valid = Some(true);
            if !sig_hash.allowed_for_signing() || !hash.allowed_for_signing() {
                ev.find(Finding::Sha1Digest);
            }
            Some(signer)
        }
        Err(crypto::VerifyError::Unsupported(a)) => {
            ev.find(Finding::SignatureAlgorithmUnsupported {
                algorithm: a.to_string(),
            });
            None
        }
        Err(_) => {
            ev.report.integrity.signature_valid = Some(false);
            ev.find(Finding::SignatureValueMismatch);
            None
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::{codes, testcms};
    use super::*;
    use crate::verify::{Indication, SubIndication};

    fn digest_of(content: &'static [u8]) -> impl FnMut(HashAlg) -> std::io::Result<Vec<u8>> {
        move |h| Ok(h.digest(content))
    }

    /// The signature value of `sd` checked against the SHA-256 of `content`, with the
    /// certificate it carries: whether it holds, and what was found.
    fn value_over(sd: &SignedData, content: &[u8]) -> (bool, Eval) {
        let mut ev = testcms::eval();
        let digest = HashAlg::Sha256.digest(content);
        let held = signature_value(
            &mut ev,
            &sd.signer_infos[0],
            HashAlg::Sha256,
            sd.certificates.first(),
            &digest,
        );
        (held.is_some(), ev)
    }

    #[test]
    fn the_bytes_digest_is_passed_on() {
        let sd = testcms::signed_data(b"signed bytes");
        let mut ev = testcms::eval();
        let d = signed_content_digest(
            &mut ev,
            &sd,
            HashAlg::Sha256,
            &mut digest_of(b"signed bytes"),
            false,
        );
        assert_eq!(d, Some(HashAlg::Sha256.digest(b"signed bytes")));
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn unreadable_bytes_leave_the_signature_undecided() {
        let sd = testcms::signed_data(b"x");
        let mut ev = testcms::eval();
        let mut failing = |_| Err(std::io::Error::other("disk gone"));
        assert_eq!(
            signed_content_digest(&mut ev, &sd, HashAlg::Sha256, &mut failing, false),
            None
        );
        assert_eq!(codes(&ev), ["CONTENT_UNREADABLE"]);
        assert_eq!(ev.report.indication, Indication::Indeterminate);
        assert!(ev.report.findings[0].en.contains("disk gone"));
    }

    #[test]
    fn adbe_pkcs7_sha1_needs_the_encapsulated_sha1_of_the_bytes() {
        let mut sd = testcms::signed_data(b"x");
        let mut ev = testcms::eval();
        assert_eq!(
            signed_content_digest(&mut ev, &sd, HashAlg::Sha256, &mut digest_of(b"x"), true),
            None
        );
        assert_eq!(codes(&ev), ["ENCAPSULATED_CONTENT_MISSING"]);

        sd.econtent = Some(HashAlg::Sha1.digest(b"other bytes"));
        let mut ev = testcms::eval();
        assert_eq!(
            signed_content_digest(&mut ev, &sd, HashAlg::Sha256, &mut digest_of(b"x"), true),
            None
        );
        assert_eq!(codes(&ev), ["ENCAPSULATED_DIGEST_MISMATCH"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::HashFailure));
        assert_eq!(ev.report.integrity.digest_matches, Some(false));

        let sha1 = HashAlg::Sha1.digest(b"x");
        sd.econtent = Some(sha1.clone());
        let mut ev = testcms::eval();
        let d = signed_content_digest(&mut ev, &sd, HashAlg::Sha256, &mut digest_of(b"x"), true);
        assert_eq!(d, Some(HashAlg::Sha256.digest(&sha1)));
    }

    #[test]
    fn a_good_signature_value_gives_the_signer() {
        let sd = testcms::signed_data(b"content");
        let (held, ev) = value_over(&sd, b"content");
        assert!(held);
        assert_eq!(ev.report.integrity.signature_valid, Some(true));
        assert_eq!(ev.report.integrity.digest_matches, Some(true));
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }

    #[test]
    fn other_bytes_are_a_digest_mismatch() {
        let sd = testcms::signed_data(b"content");
        let (held, ev) = value_over(&sd, b"changed content");
        assert!(!held);
        assert_eq!(codes(&ev), ["DIGEST_MISMATCH"]);
        assert_eq!(ev.report.indication, Indication::TotalFailed);
        assert_eq!(ev.report.integrity.digest_matches, Some(false));
    }

    #[test]
    fn a_changed_signature_value_fails_the_crypto() {
        let mut sd = testcms::signed_data(b"content");
        let last = sd.signer_infos[0].signature.len() - 2;
        sd.signer_infos[0].signature[last] ^= 1;
        let (held, ev) = value_over(&sd, b"content");
        assert!(!held);
        assert_eq!(codes(&ev), ["SIGNATURE_VALUE_MISMATCH"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::SigCryptoFailure));
        assert_eq!(ev.report.integrity.signature_valid, Some(false));
    }

    #[test]
    fn without_the_signers_certificate_nothing_can_be_verified() {
        let sd = testcms::signed_data(b"content");
        let mut ev = testcms::eval();
        let digest = HashAlg::Sha256.digest(b"content");
        assert!(signature_value(&mut ev, &sd.signer_infos[0], HashAlg::Sha256, None, &digest).is_none());
        assert_eq!(codes(&ev), ["SIGNER_CERTIFICATE_MISSING"]);
        assert_eq!(
            ev.report.sub_indication,
            Some(SubIndication::NoSigningCertificateFound)
        );
    }

    #[test]
    fn a_repeated_message_digest_is_a_format_failure() {
        let mut sd = testcms::signed_data(b"content");
        let si = &mut sd.signer_infos[0];
        let md = si
            .signed_attrs
            .iter()
            .find(|a| a.oid == oids::ATTR_MESSAGE_DIGEST)
            .cloned()
            .unwrap();
        si.signed_attrs.push(md);
        let (held, ev) = value_over(&sd, b"content");
        assert!(!held);
        assert_eq!(codes(&ev), ["DIGEST_ATTRIBUTES_MALFORMED"]);
    }

    #[test]
    fn an_unknown_signature_algorithm_is_undecided() {
        let mut sd = testcms::signed_data(b"content");
        sd.signer_infos[0].signature_alg.oid = const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1");
        let (held, ev) = value_over(&sd, b"content");
        assert!(!held);
        assert_eq!(codes(&ev), ["SIGNATURE_ALGORITHM_UNSUPPORTED"]);
        assert_eq!(
            ev.report.sub_indication,
            Some(SubIndication::SignatureAlgorithmUnsupported)
        );
    }
}
