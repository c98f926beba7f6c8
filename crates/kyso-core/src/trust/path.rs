//! Certificate path building to a trust anchor (RFC 5280 §6, the parts a first cut needs):
//! issuer found by name, each certificate's signature verified with its issuer's key, issuers
//! must be CAs allowed to sign certificates. Loops and depth are bounded.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use der::Encode;
use x509_cert::Certificate;

use crate::cert;
use crate::crypto;

/// Longest path considered.
const MAX_DEPTH: usize = 12;

/// Result of path building.
#[derive(Clone, Debug, Default)]
pub struct PathOutcome {
    /// A path to an anchor was found and every link verified.
    pub trusted: bool,
    /// Certificates from the leaf up (the anchor last when trusted).
    pub path: Vec<Certificate>,
}

fn same_cert(a: &Certificate, b: &Certificate) -> bool {
    a == b
        || (a.tbs_certificate.subject == b.tbs_certificate.subject
            && a.tbs_certificate.subject_public_key_info == b.tbs_certificate.subject_public_key_info)
}

/// Whether `issuer`'s key verifies `child`'s signature. Results are remembered for the
/// process (keyed by the SHA-256 of both certificates): an inbox of documents from the same
/// authorities shares the same chain, and RSA verification dominates the cost of a check.
pub fn signed_by(child: &Certificate, issuer: &Certificate) -> bool {
    type Links = Mutex<HashMap<(Vec<u8>, Vec<u8>), bool>>;
    static CACHE: OnceLock<Links> = OnceLock::new();
    let (Ok(c), Ok(i)) = (child.to_der(), issuer.to_der()) else {
        return false;
    };
    let key = (
        crate::crypto::HashAlg::Sha256.digest(&c),
        crate::crypto::HashAlg::Sha256.digest(&i),
    );
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(v) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return *v;
    }
    let ok = verify_link(child, issuer);
    let mut m = cache.lock().unwrap_or_else(|e| e.into_inner());
    if m.len() < 4096 {
        m.insert(key, ok);
    }
    ok
}

fn verify_link(child: &Certificate, issuer: &Certificate) -> bool {
    let Ok(tbs) = child.tbs_certificate.to_der() else {
        return false;
    };
    let Some(sig) = child.signature.as_bytes() else {
        return false;
    };
    crypto::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &child.signature_algorithm,
        None,
        &tbs,
        sig,
    )
    .is_ok()
}

/// Extensions this verifier understands (RFC 5280 §4.2: a certificate with a critical
/// extension it does not know must be rejected). Name constraints are not processed, so a
/// critical one is not in the list.
const KNOWN_EXTENSIONS: &[&str] = &[
    "2.5.29.14",            // subjectKeyIdentifier
    "2.5.29.15",            // keyUsage
    "2.5.29.17",            // subjectAltName
    "2.5.29.18",            // issuerAltName
    "2.5.29.19",            // basicConstraints
    "2.5.29.31",            // cRLDistributionPoints
    "2.5.29.32",            // certificatePolicies
    "2.5.29.35",            // authorityKeyIdentifier
    "2.5.29.37",            // extKeyUsage
    "1.3.6.1.5.5.7.1.1",    // authorityInfoAccess
    "1.3.6.1.5.5.7.1.3",    // qcStatements
    "1.3.6.1.5.5.7.48.1.5", // id-pkix-ocsp-nocheck
];

/// Whether every critical extension of `c` is one this verifier understands.
pub fn critical_extensions_known(c: &Certificate) -> bool {
    c.tbs_certificate
        .extensions
        .iter()
        .flatten()
        .filter(|e| e.critical)
        .all(|e| KNOWN_EXTENSIONS.contains(&e.extn_id.to_string().as_str()))
}

/// Builds a path from `leaf` to one of `anchors`, using `pool` for intermediates.
pub fn build(leaf: &Certificate, pool: &[Certificate], anchors: &[Certificate]) -> PathOutcome {
    if !critical_extensions_known(leaf) {
        return PathOutcome {
            trusted: false,
            path: vec![leaf.clone()],
        };
    }
    let mut best = PathOutcome {
        trusted: false,
        path: vec![leaf.clone()],
    };
    let mut path = vec![leaf.clone()];
    if search(&mut path, pool, anchors, &mut best) {
        return best;
    }
    best
}

fn search(
    path: &mut Vec<Certificate>,
    pool: &[Certificate],
    anchors: &[Certificate],
    best: &mut PathOutcome,
) -> bool {
    let Some(cur) = path.last().cloned() else {
        return false;
    };
    if anchors.iter().any(|a| same_cert(a, &cur)) {
        *best = PathOutcome {
            trusted: true,
            path: path.clone(),
        };
        return true;
    }
    if path.len() > best.path.len() {
        best.path = path.clone();
    }
    if path.len() >= MAX_DEPTH {
        return false;
    }
    let candidates: Vec<&Certificate> = anchors
        .iter()
        .chain(pool.iter())
        .filter(|c| {
            c.tbs_certificate.subject == cur.tbs_certificate.issuer && !path.iter().any(|p| same_cert(p, c))
        })
        .collect();
    for c in candidates {
        if !(cert::is_ca(c) || anchors.iter().any(|a| same_cert(a, c)))
            || !cert::can_sign_certs(c)
            || !critical_extensions_known(c)
        {
            continue;
        }
        if !signed_by(&cur, c) {
            continue;
        }
        path.push(c.clone());
        if search(path, pool, anchors, best) {
            return true;
        }
        path.pop();
    }
    false
}
