//! Real CMS signatures for the checks' unit tests: a fixed P-256 key, a self-signed
//! certificate, and SignedData made by Kyso's own builder.
#![allow(clippy::expect_used)]

use der::asn1::{BitString, UtcTime};
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use super::Eval;
use crate::cms::build::{self, Assemble, AttrParams};
use crate::cms::parse::{self, SignedData};
use crate::crypto::{HashAlg, Scheme};

pub fn key() -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).expect("a valid scalar")
}

fn ecdsa_der(message: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::Signature = key().sign(message);
    sig.to_der().as_bytes().to_vec()
}

fn certificate(spki: SubjectPublicKeyInfoOwned, serial: u8) -> Certificate {
    let time = |secs| {
        Time::UtcTime(UtcTime::from_unix_duration(std::time::Duration::from_secs(secs)).expect("a time"))
    };
    let name: Name = "CN=Kyso unit test,O=Kyso".parse().expect("a name");
    let algorithm = Scheme::Ecdsa
        .algorithm_identifier(HashAlg::Sha256)
        .expect("ecdsa-with-SHA256");
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&[serial]).expect("a serial"),
        signature: algorithm.clone(),
        issuer: name.clone(),
        validity: Validity {
            not_before: time(1_600_000_000),
            not_after: time(2_000_000_000),
        },
        subject: name,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: None,
    };
    let signature = ecdsa_der(&tbs.to_der().expect("tbs"));
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature).expect("bits"),
    }
}

/// The signer's self-signed P-256 certificate.
pub fn signer() -> Certificate {
    use p256::pkcs8::EncodePublicKey;
    let spki = key().verifying_key().to_public_key_der().expect("spki");
    certificate(
        SubjectPublicKeyInfoOwned::from_der(spki.as_bytes()).expect("spki"),
        1,
    )
}

/// A certificate for an RSA key of `bits` (a made-up modulus: only its size is read).
pub fn rsa_certificate(bits: usize) -> Certificate {
    use rsa::pkcs8::EncodePublicKey;
    let n = (rsa::BigUint::from(1u8) << (bits - 1)) + 1u8;
    let key = rsa::RsaPublicKey::new(n, rsa::BigUint::from(65537u32)).expect("an RSA key");
    let spki = key.to_public_key_der().expect("spki");
    certificate(
        SubjectPublicKeyInfoOwned::from_der(spki.as_bytes()).expect("spki"),
        2,
    )
}

/// A detached CAdES signature over `content`, as DER.
pub fn signed_data_der(content: &[u8]) -> Vec<u8> {
    let signer = signer();
    let hash = HashAlg::Sha256;
    let attrs = build::signed_attributes(&AttrParams {
        hash,
        content_digest: &hash.digest(content),
        signer: &signer,
        signing_time: None,
    })
    .expect("attributes");
    let signature = ecdsa_der(&build::signed_attributes_der(&attrs).expect("attributes DER"));
    build::assemble(Assemble {
        hash,
        signed_attrs: attrs,
        signature_algorithm: Scheme::Ecdsa.algorithm_identifier(hash).expect("algorithm"),
        signature: &signature,
        signer: &signer,
        certificates: &[],
        unsigned_attrs: None,
    })
    .expect("SignedData")
}

/// The same, read back by Kyso's parser (what the checks receive).
pub fn signed_data(content: &[u8]) -> SignedData {
    parse::parse(&signed_data_der(content)).expect("Kyso reads its own signature")
}

/// A signature report with nothing found yet.
pub fn eval() -> Eval {
    Eval::new("Signature1", crate::verify::SignatureKind::Signature, None)
}
