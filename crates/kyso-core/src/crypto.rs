//! Hashes and signature verification over RustCrypto (rsa, p256, p384), with the algorithm
//! policy in one place: what Kyso will create, and what it accepts when checking.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use sha2::Digest;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::oids;

/// Digest algorithms Kyso knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashAlg {
    /// SHA-1: only ever verified (and then flagged), never used to sign.
    Sha1,
    /// SHA-256 (default).
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// From a digest algorithm OID.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            oids::SHA1 => Some(Self::Sha1),
            oids::SHA256 => Some(Self::Sha256),
            oids::SHA384 => Some(Self::Sha384),
            oids::SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// From a user-supplied name (`sha256`, `SHA-384`…).
    pub fn from_name(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace('-', "").as_str() {
            "sha1" => Some(Self::Sha1),
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => oids::SHA1,
            Self::Sha256 => oids::SHA256,
            Self::Sha384 => oids::SHA384,
            Self::Sha512 => oids::SHA512,
        }
    }

    /// Algorithm identifier with absent parameters (RFC 5754 §2).
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Whether the algorithm may be used for a new signature (SHA-1/MD5 never).
    pub fn allowed_for_signing(self) -> bool {
        !matches!(self, Self::Sha1)
    }

    /// One-shot digest.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = Hasher::new(self);
        h.update(data);
        h.finish()
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// DER DigestInfo prefix for PKCS#1 v1.5 (RFC 8017 §9.2 note 1).
    pub fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Self::Sha1 => &[
                0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
            ],
            Self::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
                0x05, 0x00, 0x04, 0x20,
            ],
            Self::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
                0x05, 0x00, 0x04, 0x30,
            ],
            Self::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
                0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// Streaming hasher over any `HashAlg`.
#[derive(Clone)]
pub enum Hasher {
    /// SHA-1.
    Sha1(sha1::Sha1),
    /// SHA-256.
    Sha256(sha2::Sha256),
    /// SHA-384.
    Sha384(sha2::Sha384),
    /// SHA-512.
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// New hasher.
    pub fn new(alg: HashAlg) -> Self {
        match alg {
            HashAlg::Sha1 => Self::Sha1(sha1::Sha1::new()),
            HashAlg::Sha256 => Self::Sha256(sha2::Sha256::new()),
            HashAlg::Sha384 => Self::Sha384(sha2::Sha384::new()),
            HashAlg::Sha512 => Self::Sha512(sha2::Sha512::new()),
        }
    }

    /// Feeds data.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha1(h) => h.update(data),
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
        }
    }

    /// The digest.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
            Self::Sha384(h) => h.finalize().to_vec(),
            Self::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// Public key kinds Kyso signs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum KeyKind {
    /// RSA with modulus size in bits.
    Rsa {
        /// Modulus bits.
        bits: usize,
    },
    /// ECDSA on a named curve.
    Ec {
        /// Curve.
        curve: Curve,
    },
}

/// Named curves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Curve {
    /// NIST P-256.
    P256,
    /// NIST P-384.
    P384,
    /// NIST P-521 (recognised, not used for signing).
    P521,
}

impl KeyKind {
    /// From a SubjectPublicKeyInfo.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Option<Self> {
        match spki.algorithm.oid {
            oids::RSA_ENCRYPTION => {
                let key = rsa_public_key(spki).ok()?;
                Some(Self::Rsa {
                    bits: rsa::traits::PublicKeyParts::n(&key).bits(),
                })
            }
            oids::EC_PUBLIC_KEY => {
                let curve: ObjectIdentifier = spki.algorithm.parameters.as_ref()?.decode_as().ok()?;
                let curve = match curve {
                    oids::P256 => Curve::P256,
                    oids::P384 => Curve::P384,
                    oids::P521 => Curve::P521,
                    _ => return None,
                };
                Some(Self::Ec { curve })
            }
            _ => None,
        }
    }

    /// Human description: `RSA-2048`, `ECDSA P-256`.
    pub fn describe(&self) -> String {
        match self {
            Self::Rsa { bits } => format!("RSA-{bits}"),
            Self::Ec { curve } => format!(
                "ECDSA {}",
                match curve {
                    Curve::P256 => "P-256",
                    Curve::P384 => "P-384",
                    Curve::P521 => "P-521",
                }
            ),
        }
    }

    /// Whether new signatures may use this key (RSA ≥ 2048, P-256/P-384).
    pub fn allowed_for_signing(&self) -> bool {
        match self {
            Self::Rsa { bits } => *bits >= 2048,
            Self::Ec { curve } => matches!(curve, Curve::P256 | Curve::P384),
        }
    }

    /// Upper bound of the DER signature size, used to reserve `/Contents`.
    pub fn max_signature_len(&self) -> usize {
        match self {
            Self::Rsa { bits } => bits.div_ceil(8),
            // SEQUENCE { INTEGER r, INTEGER s } with a possible leading zero each.
            Self::Ec { curve } => {
                let n = match curve {
                    Curve::P256 => 32,
                    Curve::P384 => 48,
                    Curve::P521 => 66,
                };
                2 * (n + 3) + 3
            }
        }
    }
}

/// Signature schemes for new signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1,
    /// RSASSA-PSS, MGF1 with the same hash, salt = hash length.
    RsaPss,
    /// ECDSA.
    Ecdsa,
}

impl Scheme {
    /// The CMS `signatureAlgorithm` for this scheme and hash.
    pub fn algorithm_identifier(self, hash: HashAlg) -> Result<AlgorithmIdentifierOwned, der::Error> {
        Ok(match self {
            // rsaEncryption is what RFC 3370 §3.2 says signers should put here; every
            // validator accepts it.
            Scheme::RsaPkcs1 => AlgorithmIdentifierOwned {
                oid: oids::RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            Scheme::RsaPss => {
                let params = pss_params_der(hash)?;
                AlgorithmIdentifierOwned {
                    oid: oids::RSASSA_PSS,
                    parameters: Some(der::Any::from_der(&params)?),
                }
            }
            Scheme::Ecdsa => AlgorithmIdentifierOwned {
                oid: match hash {
                    HashAlg::Sha1 => oids::ECDSA_SHA1,
                    HashAlg::Sha256 => oids::ECDSA_SHA256,
                    HashAlg::Sha384 => oids::ECDSA_SHA384,
                    HashAlg::Sha512 => oids::ECDSA_SHA512,
                },
                parameters: None,
            },
        })
    }
}

fn pss_params_der(hash: HashAlg) -> Result<Vec<u8>, der::Error> {
    let p = match hash {
        HashAlg::Sha1 => rsa::pkcs1::RsaPssParams::new::<sha1::Sha1>(20),
        HashAlg::Sha256 => rsa::pkcs1::RsaPssParams::new::<sha2::Sha256>(32),
        HashAlg::Sha384 => rsa::pkcs1::RsaPssParams::new::<sha2::Sha384>(48),
        HashAlg::Sha512 => rsa::pkcs1::RsaPssParams::new::<sha2::Sha512>(64),
    };
    p.to_der()
}

/// Largest RSA key accepted when verifying: real certificates go beyond the `rsa` crate's
/// default 4096-bit limit (Estonian ID cards carry 6143-bit keys); 16384 bits keeps the
/// cost of one verification bounded.
const MAX_RSA_BITS: usize = 16384;

/// The RSA public key in a SubjectPublicKeyInfo.
pub fn rsa_public_key(spki: &SubjectPublicKeyInfoOwned) -> Result<rsa::RsaPublicKey, VerifyError> {
    let key = spki.subject_public_key.as_bytes().ok_or(VerifyError::BadKey)?;
    let k = rsa::pkcs1::RsaPublicKey::from_der(key).map_err(|_| VerifyError::BadKey)?;
    let n = rsa::BigUint::from_bytes_be(k.modulus.as_bytes());
    let e = rsa::BigUint::from_bytes_be(k.public_exponent.as_bytes());
    rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS).map_err(|_| VerifyError::BadKey)
}

/// Why a signature did not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    /// Algorithm not supported.
    #[error("unsupported signature algorithm {0}")]
    Unsupported(String),
    /// Public key unreadable.
    #[error("unreadable public key")]
    BadKey,
    /// Signature does not match.
    #[error("signature does not match")]
    Mismatch,
}

/// The digest a signature algorithm uses (`hint` where the algorithm does not name one:
/// `rsaEncryption`, bare `id-ecPublicKey`).
pub fn signature_hash(
    sig_alg: &AlgorithmIdentifierOwned,
    hint: Option<HashAlg>,
) -> Result<(Scheme, HashAlg), VerifyError> {
    let unsupported = || VerifyError::Unsupported(sig_alg.oid.to_string());
    Ok(match sig_alg.oid {
        oids::RSA_ENCRYPTION => (Scheme::RsaPkcs1, hint.ok_or_else(unsupported)?),
        oids::SHA1_WITH_RSA => (Scheme::RsaPkcs1, HashAlg::Sha1),
        oids::SHA256_WITH_RSA => (Scheme::RsaPkcs1, HashAlg::Sha256),
        oids::SHA384_WITH_RSA => (Scheme::RsaPkcs1, HashAlg::Sha384),
        oids::SHA512_WITH_RSA => (Scheme::RsaPkcs1, HashAlg::Sha512),
        oids::RSASSA_PSS => (Scheme::RsaPss, pss_params(sig_alg)?.0),
        oids::ECDSA_SHA1 => (Scheme::Ecdsa, HashAlg::Sha1),
        oids::ECDSA_SHA256 => (Scheme::Ecdsa, HashAlg::Sha256),
        oids::ECDSA_SHA384 => (Scheme::Ecdsa, HashAlg::Sha384),
        oids::ECDSA_SHA512 => (Scheme::Ecdsa, HashAlg::Sha512),
        oids::EC_PUBLIC_KEY => (Scheme::Ecdsa, hint.ok_or_else(unsupported)?),
        _ => return Err(unsupported()),
    })
}

fn pss_params(sig_alg: &AlgorithmIdentifierOwned) -> Result<(HashAlg, usize), VerifyError> {
    let unsupported = || VerifyError::Unsupported("RSASSA-PSS parameters".into());
    let params_der = sig_alg
        .parameters
        .as_ref()
        .and_then(|p| p.to_der().ok())
        .ok_or_else(unsupported)?;
    let params = rsa::pkcs1::RsaPssParams::try_from(params_der.as_slice()).map_err(|_| unsupported())?;
    let hash = HashAlg::from_oid(&params.hash.oid).ok_or_else(unsupported)?;
    Ok((hash, usize::from(params.salt_len)))
}

/// Verifies `signature` over `message` with the key in `spki`; returns the hash used.
pub fn verify(
    spki: &SubjectPublicKeyInfoOwned,
    sig_alg: &AlgorithmIdentifierOwned,
    digest_hint: Option<HashAlg>,
    message: &[u8],
    signature: &[u8],
) -> Result<HashAlg, VerifyError> {
    let (_, hash) = signature_hash(sig_alg, digest_hint)?;
    verify_prehashed(spki, sig_alg, digest_hint, &hash.digest(message), signature)?;
    Ok(hash)
}

/// Verifies `signature` over a digest computed by the caller with `signature_hash`'s hash.
pub fn verify_prehashed(
    spki: &SubjectPublicKeyInfoOwned,
    sig_alg: &AlgorithmIdentifierOwned,
    digest_hint: Option<HashAlg>,
    digest: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let (scheme, hash) = signature_hash(sig_alg, digest_hint)?;
    match scheme {
        Scheme::RsaPkcs1 => {
            let key = rsa_public_key(spki)?;
            let pad = match hash {
                HashAlg::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                HashAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                HashAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                HashAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            key.verify(pad, digest, signature)
                .map_err(|_| VerifyError::Mismatch)
        }
        Scheme::RsaPss => {
            let (_, salt) = pss_params(sig_alg)?;
            let key = rsa_public_key(spki)?;
            let pad = match hash {
                HashAlg::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt),
                HashAlg::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
                HashAlg::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
                HashAlg::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
            };
            key.verify(pad, digest, signature)
                .map_err(|_| VerifyError::Mismatch)
        }
        Scheme::Ecdsa => verify_ecdsa(spki, digest, signature),
    }
}

/// ECDSA over a precomputed digest (P-256 / P-384), signature in DER.
pub fn verify_ecdsa(
    spki: &SubjectPublicKeyInfoOwned,
    digest: &[u8],
    sig_der: &[u8],
) -> Result<(), VerifyError> {
    use signature::hazmat::PrehashVerifier;
    let spki_der = spki.to_der().map_err(|_| VerifyError::BadKey)?;
    match KeyKind::from_spki(spki) {
        Some(KeyKind::Ec { curve: Curve::P256 }) => {
            use p256::pkcs8::DecodePublicKey;
            let vk =
                p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der).map_err(|_| VerifyError::BadKey)?;
            let sig = p256::ecdsa::Signature::from_der(sig_der).map_err(|_| VerifyError::Mismatch)?;
            vk.verify_prehash(digest, &sig).map_err(|_| VerifyError::Mismatch)
        }
        Some(KeyKind::Ec { curve: Curve::P384 }) => {
            use p384::pkcs8::DecodePublicKey;
            let vk =
                p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der).map_err(|_| VerifyError::BadKey)?;
            let sig = p384::ecdsa::Signature::from_der(sig_der).map_err(|_| VerifyError::Mismatch)?;
            vk.verify_prehash(digest, &sig).map_err(|_| VerifyError::Mismatch)
        }
        _ => Err(VerifyError::Unsupported("ECDSA curve".into())),
    }
}

/// Converts a raw `r || s` ECDSA signature (PKCS#11 output) to DER.
pub fn ecdsa_raw_to_der(raw: &[u8]) -> Option<Vec<u8>> {
    match raw.len() {
        64 => p256::ecdsa::Signature::from_slice(raw)
            .ok()
            .map(|s| s.to_der().as_bytes().to_vec()),
        96 => p384::ecdsa::Signature::from_slice(raw)
            .ok()
            .map(|s| s.to_der().as_bytes().to_vec()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_prefixes_match_der() {
        for h in [HashAlg::Sha1, HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
            let p = h.digest_info_prefix();
            assert_eq!(p.len() + h.output_len(), usize::from(p[1]) + 2);
        }
    }

    #[test]
    fn policy_refuses_weak() {
        assert!(!HashAlg::Sha1.allowed_for_signing());
        assert!(!KeyKind::Rsa { bits: 1024 }.allowed_for_signing());
        assert!(KeyKind::Rsa { bits: 2048 }.allowed_for_signing());
        assert!(!KeyKind::Ec { curve: Curve::P521 }.allowed_for_signing());
    }
}
