//! A tiny real PKI for the certificate checks' unit tests: a root, an issuing CA under it
//! and end-entity certificates under the CA, all P-256 with fixed keys, and CRLs signed by
//! the CA — so path building, signatures and CRL lookups run as they do on real documents.
#![allow(clippy::expect_used)]

use der::asn1::{BitString, Ia5String, OctetString, UtcTime};
use der::{Decode, Encode};
use p256::ecdsa::signature::Signer;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{BasicConstraints, CrlDistributionPoints};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::crypto::{HashAlg, Scheme};
use crate::verify::Eval;

/// The validity every certificate gets unless a test says otherwise (2020-09 to 2033-05).
pub const VALID: (i64, i64) = (1_600_000_000, 2_000_000_000);
/// A time inside [`VALID`].
pub const DURING: i64 = 1_700_000_000;

/// Who holds a key: a common name and a fixed private scalar.
#[derive(Clone, Copy)]
pub struct Party {
    cn: &'static str,
    key: u8,
}

/// The self-signed root (the trust anchor in the tests).
pub const ROOT: Party = Party {
    cn: "Kyso Test Root",
    key: 1,
};
/// The issuing CA under the root.
pub const CA: Party = Party {
    cn: "Kyso Test CA",
    key: 2,
};
/// The signer, under the CA.
pub const SIGNER: Party = Party {
    cn: "Nguyen Van A",
    key: 3,
};
/// A timestamp authority, under the CA.
pub const TSA: Party = Party {
    cn: "Kyso Test TSA",
    key: 4,
};

/// Someone who writes the CA's name without its key (a forged CRL).
pub const IMPOSTOR: Party = Party {
    cn: "Kyso Test CA",
    key: 9,
};

fn key(p: Party) -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_slice(&[p.key; 32]).expect("a valid scalar")
}

fn name(p: Party) -> Name {
    format!("CN={},O=Kyso", p.cn).parse().expect("a name")
}

fn time(secs: i64) -> Time {
    let secs = u64::try_from(secs).expect("after 1970");
    Time::UtcTime(UtcTime::from_unix_duration(std::time::Duration::from_secs(secs)).expect("a time"))
}

fn sign(by: Party, message: &[u8]) -> BitString {
    let sig: p256::ecdsa::Signature = key(by).sign(message);
    BitString::from_bytes(sig.to_der().as_bytes()).expect("bits")
}

fn extension(oid: der::asn1::ObjectIdentifier, critical: bool, value: &impl Encode) -> Extension {
    Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value.to_der().expect("extension")).expect("octets"),
    }
}

/// What a test certificate looks like beyond its subject and issuer.
#[derive(Clone, Copy)]
pub struct Shape {
    /// The serial number.
    pub serial: u8,
    /// notBefore, notAfter.
    pub validity: (i64, i64),
    /// A CA certificate (basicConstraints cA).
    pub ca: bool,
    /// A CRL distribution point to name.
    pub crl_url: Option<&'static str>,
}

impl Shape {
    /// An end-entity certificate valid over [`VALID`] naming no revocation service.
    pub const fn leaf(serial: u8) -> Self {
        Self {
            serial,
            validity: VALID,
            ca: false,
            crl_url: None,
        }
    }
}

/// `subject`'s certificate, issued (signed) by `issuer`.
pub fn certificate(subject: Party, issuer: Party, shape: Shape) -> Certificate {
    use p256::pkcs8::EncodePublicKey;
    let spki = key(subject).verifying_key().to_public_key_der().expect("spki");
    let mut extensions = Vec::new();
    if shape.ca {
        let bc = BasicConstraints {
            ca: true,
            path_len_constraint: None,
        };
        extensions.push(extension(
            const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
            true,
            &bc,
        ));
    }
    if let Some(url) = shape.crl_url {
        let dp = CrlDistributionPoints(vec![DistributionPoint {
            distribution_point: Some(DistributionPointName::FullName(vec![
                GeneralName::UniformResourceIdentifier(Ia5String::new(url).expect("an URL")),
            ])),
            reasons: None,
            crl_issuer: None,
        }]);
        extensions.push(extension(
            const_oid::db::rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS,
            false,
            &dp,
        ));
    }
    let algorithm = Scheme::Ecdsa
        .algorithm_identifier(HashAlg::Sha256)
        .expect("ecdsa-with-SHA256");
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&[shape.serial]).expect("a serial"),
        signature: algorithm.clone(),
        issuer: name(issuer),
        validity: Validity {
            not_before: time(shape.validity.0),
            not_after: time(shape.validity.1),
        },
        subject: name(subject),
        subject_public_key_info: SubjectPublicKeyInfoOwned::from_der(spki.as_bytes()).expect("spki"),
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: (!extensions.is_empty()).then_some(extensions),
    };
    let signature = sign(issuer, &tbs.to_der().expect("tbs"));
    Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature,
    }
}

/// The self-signed root.
pub fn root() -> Certificate {
    certificate(
        ROOT,
        ROOT,
        Shape {
            ca: true,
            ..Shape::leaf(1)
        },
    )
}

/// The issuing CA, under the root.
pub fn ca() -> Certificate {
    certificate(
        CA,
        ROOT,
        Shape {
            ca: true,
            ..Shape::leaf(2)
        },
    )
}

/// The signer's certificate (serial 3), under the CA, valid over [`VALID`].
pub fn signer() -> Certificate {
    certificate(SIGNER, CA, Shape::leaf(3))
}

/// A timestamp authority's certificate (serial 4), under the CA.
pub fn tsa() -> Certificate {
    certificate(TSA, CA, Shape::leaf(4))
}

/// A CRL from `issuer` listing `revoked` (serial, revocation time), issued at `this_update`.
pub fn crl(issuer: Party, revoked: &[(u8, i64)], this_update: i64, next_update: Option<i64>) -> Vec<u8> {
    let algorithm = Scheme::Ecdsa
        .algorithm_identifier(HashAlg::Sha256)
        .expect("ecdsa-with-SHA256");
    let revoked: Vec<RevokedCert> = revoked
        .iter()
        .map(|(serial, at)| RevokedCert {
            serial_number: SerialNumber::new(&[*serial]).expect("a serial"),
            revocation_date: time(*at),
            crl_entry_extensions: None,
        })
        .collect();
    let tbs = TbsCertList {
        version: Version::V2,
        signature: algorithm.clone(),
        issuer: name(issuer),
        this_update: time(this_update),
        next_update: next_update.map(time),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: None,
    };
    let signature = sign(issuer, &tbs.to_der().expect("tbs"));
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: algorithm,
        signature,
    }
    .to_der()
    .expect("CRL")
}

/// A signature report with nothing found yet.
pub fn eval() -> Eval {
    Eval::new("Signature1", crate::verify::SignatureKind::Signature, None)
}

pub(in crate::verify) use crate::verify::codes;

/// Revocation evidence at hand for the checks' tests: `crls` (no OCSP), the saved evidence
/// in `cache`, judged at `now`.
pub fn at_hand<'a>(
    crls: &'a [Vec<u8>],
    cache: Option<&'a crate::trust::cache::Cache>,
    now: i64,
) -> crate::verify::certificate::revocation::Evidence<'a> {
    crate::verify::certificate::revocation::Evidence {
        crls,
        ocsps: &[],
        cache,
        now,
    }
}
