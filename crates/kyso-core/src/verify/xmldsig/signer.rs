//! The signer: who the certificate in `KeyInfo` names, and — once the value verified with
//! its key — the key's size and the certificate judgement every signature format shares
//! (chain, validity at the claimed time, revocation).

use der::Decode;
use x509_cert::Certificate;

use super::{Eval, VerifyOptions};
use crate::cert;
use crate::timefmt;
use crate::verify::certificate;
use crate::verify::signed_data;
use crate::xml::verify::{ValueCheck, XmlSignatureFinding};

/// The signer's certificate (the one whose key verified, else the first), named in the
/// report before any judgement, so a broken signature still says whose it claims to be.
pub(super) fn identify(ev: &mut Eval, f: &XmlSignatureFinding) -> Option<Certificate> {
    let c = f
        .signer_cert_der
        .as_deref()
        .and_then(|d| Certificate::from_der(d).ok())?;
    ev.report.signer = Some(cert::identity(&c));
    ev.report.certificate_sha256 = Some(cert::fingerprint(&c));
    ev.report.certificate_serial = Some(hex::encode(c.tbs_certificate.serial_number.as_bytes()));
    let (nb, na) = cert::validity(&c);
    ev.report.certificate_not_before = Some(timefmt::rfc3339(nb));
    ev.report.certificate_not_after = Some(timefmt::rfc3339(na));
    Some(c)
}

/// The key and the certificate, judged only when the value verified with that key: a
/// certificate that did not sign says nothing about the signature. XMLDSig carries no
/// timestamp and no revocation data, so the certificate is judged at the claimed time
/// (`claimed`, when signed) with what `KeyInfo` embeds.
pub(super) fn judge(
    ev: &mut Eval,
    f: &XmlSignatureFinding,
    signer: &Certificate,
    claimed: Option<i64>,
    opts: &VerifyOptions,
) {
    if f.value != ValueCheck::Valid {
        return;
    }
    signed_data::key_size(ev, signer);
    let embedded: Vec<Certificate> = f
        .other_certs_der
        .iter()
        .filter_map(|d| Certificate::from_der(d).ok())
        .collect();
    let evidence = certificate::Evidence {
        embedded: &embedded,
        crls: &[],
        ocsps: &[],
        claimed,
        poe: None,
    };
    certificate::judge(ev, signer, &evidence, opts);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use der::Encode;

    use super::super::testxml::{self, checked, codes, einvoice};
    use super::*;
    use crate::testkit::cms as testcms;
    use crate::verify::Indication;

    #[test]
    fn the_signer_is_named_from_the_certificate_in_key_info() {
        let f = checked(&einvoice()).signatures.remove(0);
        let mut ev = testxml::eval();
        let c = identify(&mut ev, &f).unwrap();
        assert_eq!(c, testcms::signer());
        assert_eq!(
            ev.report.signer.as_ref().and_then(|s| s.common_name.as_deref()),
            Some("Kyso unit test")
        );
        assert_eq!(ev.report.certificate_serial.as_deref(), Some("01"));
        assert!(ev.report.certificate_sha256.is_some() && ev.report.certificate_not_after.is_some());
        assert!(ev.report.findings.is_empty());
    }

    #[test]
    fn without_a_readable_certificate_no_one_is_named() {
        let mut f = testxml::bare();
        assert!(identify(&mut testxml::eval(), &f).is_none());
        f.signer_cert_der = Some(b"not a certificate".to_vec());
        let mut ev = testxml::eval();
        assert!(identify(&mut ev, &f).is_none());
        assert!(ev.report.signer.is_none());
    }

    #[test]
    fn a_short_rsa_key_is_told_before_the_certificate_judgement() {
        let rsa = testcms::rsa_certificate(1024);
        let mut f = testxml::bare();
        f.value = ValueCheck::Valid;
        f.signer_cert_der = Some(rsa.to_der().unwrap());
        let mut ev = testxml::eval();
        judge(&mut ev, &f, &rsa, None, &VerifyOptions::default());
        assert_eq!(codes(&ev).first(), Some(&"RSA_KEY_TOO_SHORT"));
        assert_eq!(ev.report.findings[0].code, Some("RSA_KEY_TOO_SHORT"));
        // The certificate was judged too (self-signed, not trusted): more was said.
        assert!(ev.report.findings.len() > 1);
        assert_ne!(ev.report.indication, Indication::TotalPassed);
    }

    #[test]
    fn a_certificate_whose_key_did_not_verify_is_not_judged() {
        let rsa = testcms::rsa_certificate(1024);
        let mut f = testxml::bare();
        f.value = ValueCheck::Invalid;
        let mut ev = testxml::eval();
        judge(&mut ev, &f, &rsa, None, &VerifyOptions::default());
        assert!(ev.report.findings.is_empty());
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }
}
