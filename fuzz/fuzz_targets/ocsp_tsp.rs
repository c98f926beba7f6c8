//! Any bytes as an OCSP response, a CRL and an RFC 3161 timestamp response, checked against
//! a fixed certificate pair (made once): the revocation and TSA readers must reject garbage
//! with an error, never panic.
#![no_main]
use std::sync::OnceLock;

use der::Decode;
use kyso_core::crypto::HashAlg;
use libfuzzer_sys::fuzz_target;
use x509_cert::Certificate;

fn pair() -> &'static Option<(Certificate, Certificate)> {
    static PAIR: OnceLock<Option<(Certificate, Certificate)>> = OnceLock::new();
    PAIR.get_or_init(|| {
        let ca_key = rcgen::KeyPair::generate().ok()?;
        let mut ca_params = rcgen::CertificateParams::new(vec![]).ok()?;
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).ok()?;
        let key = rcgen::KeyPair::generate().ok()?;
        let leaf = rcgen::CertificateParams::new(vec!["kyso.test".into()])
            .ok()?
            .signed_by(&key, &ca, &ca_key)
            .ok()?;
        Some((
            Certificate::from_der(leaf.der()).ok()?,
            Certificate::from_der(ca.der()).ok()?,
        ))
    })
}

fuzz_target!(|data: &[u8]| {
    let nonce = [7u8; 16];
    let digest = HashAlg::Sha256.digest(b"kyso");
    let _ = kyso_core::trust::tsa::check_response(data, HashAlg::Sha256, &digest, &nonce);
    let _ = kyso_core::trust::tst::check(data, b"kyso");
    if let Some((leaf, ca)) = pair() {
        let _ = kyso_core::trust::ocsp::check(data, leaf, ca, Some(&nonce));
        let _ = kyso_core::trust::ocsp::check(data, leaf, ca, None);
        let _ = kyso_core::trust::crl::check(data, leaf, ca);
    }
});
