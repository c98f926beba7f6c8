//! Real CMS signatures for unit tests (the CMS reader's, signing's and the checks'): a
//! fixed P-256 key, a self-signed certificate, SignedData made by Kyso's own builder, and a
//! DER writer for the structures the builder never makes (eContent, CRLs, unsorted SETs).
#![cfg(test)]
#![allow(clippy::expect_used)]

use der::asn1::{BitString, UtcTime};
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::cms::build::{self, Assemble, AttrParams};
use crate::cms::parse::{self, SignedData};
use crate::crypto::{HashAlg, Scheme};

pub fn key() -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_slice(&[7u8; 32]).expect("a valid scalar")
}

/// An ECDSA signature (DER) of `message` by [`key`], SHA-256.
pub fn ecdsa_der(message: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::Signature = key().sign(message);
    sig.to_der().as_bytes().to_vec()
}

fn certificate(spki: SubjectPublicKeyInfoOwned, serial: u8) -> Certificate {
    certificate_with(spki, serial, None)
}

/// A self-signed certificate for `spki` with the given extensions (key usage, basic
/// constraints, a subject key identifier: what the policy and `sid` matching read).
pub fn certificate_with(
    spki: SubjectPublicKeyInfoOwned,
    serial: u8,
    extensions: Option<Vec<x509_cert::ext::Extension>>,
) -> Certificate {
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
        extensions,
    };
    let signature = ecdsa_der(&tbs.to_der().expect("tbs"));
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature).expect("bits"),
    }
}

/// Panics unless `si`'s value is the kit key's signature over its signed attributes (as
/// signed, SHA-256).
pub fn assert_signed_by_kit(si: &parse::SignerInfo) {
    let attrs = si.signed_attrs_der.as_deref().expect("signed attributes");
    crate::crypto::verify(
        &spki(),
        &si.signature_alg,
        Some(HashAlg::Sha256),
        attrs,
        &si.signature,
    )
    .expect("the kit's key signed these attributes");
}

/// The signer's public key.
pub fn spki() -> SubjectPublicKeyInfoOwned {
    use p256::pkcs8::EncodePublicKey;
    let spki = key().verifying_key().to_public_key_der().expect("spki");
    SubjectPublicKeyInfoOwned::from_der(spki.as_bytes()).expect("spki")
}

/// The signer's self-signed P-256 certificate.
pub fn signer() -> Certificate {
    certificate(spki(), 1)
}

/// The signer's key in a certificate with `extensions` (serial 3, so it differs from
/// [`signer`]).
pub fn signer_with(extensions: Vec<x509_cert::ext::Extension>) -> Certificate {
    certificate_with(spki(), 3, Some(extensions))
}

/// An extension of type `oid` holding `value`'s DER.
pub fn extension<T: Encode>(
    oid: der::asn1::ObjectIdentifier,
    critical: bool,
    value: &T,
) -> x509_cert::ext::Extension {
    x509_cert::ext::Extension {
        extn_id: oid,
        critical,
        extn_value: der::asn1::OctetString::new(value.to_der().expect("extension DER")).expect("octets"),
    }
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

/// One DER element: `tag`, the definite length of `body`, `body` (short and long forms).
pub fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(body);
    out
}

/// Concatenated elements.
pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// A signer holding the kit's key in memory: what a token does, minus the token. It counts
/// its calls so a test can tell a refusal came before any signing; `wrong_key` makes it
/// sign with another key, as a token holding the wrong key would.
pub struct KeySigner {
    /// The certificate it presents.
    pub cert: Certificate,
    /// Signatures made.
    pub calls: usize,
    /// Sign with a different key than the certificate's.
    pub wrong_key: bool,
}

impl Default for KeySigner {
    /// The kit's key and self-signed certificate.
    fn default() -> Self {
        Self {
            cert: signer(),
            calls: 0,
            wrong_key: false,
        }
    }
}

impl crate::signer::Signer for KeySigner {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }
    fn chain(&self) -> &[Certificate] {
        &[]
    }
    fn key_kind(&self) -> crate::crypto::KeyKind {
        crate::crypto::KeyKind::Ec {
            curve: crate::crypto::Curve::P256,
        }
    }
    fn sign(&mut self, req: &crate::signer::SignRequest<'_>) -> Result<Vec<u8>, crate::signer::SignerError> {
        assert_eq!(req.hash, HashAlg::Sha256, "the kit signs with SHA-256");
        self.calls += 1;
        let key = if self.wrong_key {
            p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).expect("a valid scalar")
        } else {
            key()
        };
        let sig: p256::ecdsa::Signature = key.sign(req.message);
        Ok(sig.to_der().as_bytes().to_vec())
    }
}
