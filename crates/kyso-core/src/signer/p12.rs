//! PKCS#12 (.p12/.pfx) soft keys: both the OpenSSL 3 default (PBES2, AES-256, PBKDF2) and the
//! legacy (3DES/RC2, SHA-1 MAC) encodings, through `p12-keystore`.

use der::Decode;
use rand_core::OsRng;
use x509_cert::Certificate;

use super::{chain_for, SignRequest, Signer, SignerError};
use crate::crypto::{HashAlg, KeyKind, Scheme};

enum SoftKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// A key and certificate chain loaded from a PKCS#12 file.
pub struct P12Signer {
    key: SoftKey,
    cert: Certificate,
    chain: Vec<Certificate>,
    kind: KeyKind,
}

impl P12Signer {
    /// Reads a PKCS#12 file's bytes with its password.
    pub fn from_bytes(data: &[u8], password: &str) -> Result<Self, SignerError> {
        let store =
            p12_keystore::KeyStore::from_pkcs12(data, password, p12_keystore::Pkcs12ImportPolicy::Relaxed)
                .map_err(|e| match e {
                    p12_keystore::error::Error::MacError(_) => SignerError::P12Password,
                    other => SignerError::P12(other.to_string()),
                })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| SignerError::P12("no private key in the file".into()))?;
        let key_der = zeroize::Zeroizing::new(chain.key().as_der().to_vec());
        let certs: Vec<Certificate> = chain
            .certs()
            .iter()
            .filter_map(|c| Certificate::from_der(c.as_der()).ok())
            .collect();
        let key = parse_key(&key_der)?;
        // The leaf is the certificate whose public key is ours (do not trust bag order).
        let leaf = certs
            .iter()
            .find(|c| key_matches(&key, c))
            .cloned()
            .ok_or_else(|| SignerError::P12("no certificate matches the private key".into()))?;
        let kind = KeyKind::from_spki(&leaf.tbs_certificate.subject_public_key_info)
            .ok_or_else(|| SignerError::Policy("unsupported key type".into()))?;
        let chain = chain_for(&leaf, &certs);
        Ok(Self {
            key,
            cert: leaf,
            chain,
            kind,
        })
    }

    /// Adds certificates (intermediates) to the chain pool.
    pub fn add_chain(&mut self, extra: &[Certificate]) {
        let mut pool = self.chain.clone();
        pool.extend_from_slice(extra);
        self.chain = chain_for(&self.cert, &pool);
    }
}

fn parse_key(der: &[u8]) -> Result<SoftKey, SignerError> {
    use p256::pkcs8::DecodePrivateKey;
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
        return Ok(SoftKey::Rsa(Box::new(k)));
    }
    if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
        return Ok(SoftKey::P256(k));
    }
    if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
        return Ok(SoftKey::P384(k));
    }
    Err(SignerError::P12("unsupported private key type".into()))
}

fn key_matches(key: &SoftKey, cert: &Certificate) -> bool {
    use der::Encode;
    use p256::pkcs8::EncodePublicKey;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let Ok(cert_spki) = spki.to_der() else {
        return false;
    };
    let ours = match key {
        SoftKey::Rsa(k) => rsa::RsaPublicKey::from(k.as_ref()).to_public_key_der().ok(),
        SoftKey::P256(k) => k.verifying_key().to_public_key_der().ok(),
        SoftKey::P384(k) => k.verifying_key().to_public_key_der().ok(),
    };
    ours.is_some_and(|d| d.as_bytes() == cert_spki.as_slice())
}

impl Signer for P12Signer {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn key_kind(&self) -> KeyKind {
        self.kind
    }

    fn sign(&mut self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError> {
        use signature::hazmat::PrehashSigner;
        let bad = |e: &dyn std::fmt::Display| SignerError::Token(e.to_string());
        match (&self.key, req.scheme) {
            (SoftKey::Rsa(k), Scheme::RsaPkcs1) => {
                let pad = match req.hash {
                    HashAlg::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                    HashAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    HashAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    HashAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                };
                k.sign(pad, req.digest).map_err(|e| bad(&e))
            }
            (SoftKey::Rsa(k), Scheme::RsaPss) => {
                let pad = match req.hash {
                    HashAlg::Sha1 => rsa::Pss::new::<sha1::Sha1>(),
                    HashAlg::Sha256 => rsa::Pss::new::<sha2::Sha256>(),
                    HashAlg::Sha384 => rsa::Pss::new::<sha2::Sha384>(),
                    HashAlg::Sha512 => rsa::Pss::new::<sha2::Sha512>(),
                };
                k.sign_with_rng(&mut OsRng, pad, req.digest).map_err(|e| bad(&e))
            }
            (SoftKey::P256(k), Scheme::Ecdsa) => {
                let sig: p256::ecdsa::Signature = k.sign_prehash(req.digest).map_err(|e| bad(&e))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            (SoftKey::P384(k), Scheme::Ecdsa) => {
                let sig: p384::ecdsa::Signature = k.sign_prehash(req.digest).map_err(|e| bad(&e))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            _ => Err(SignerError::Policy(
                "signature scheme does not fit the key type".into(),
            )),
        }
    }
}
