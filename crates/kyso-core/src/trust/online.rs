//! Fresh revocation data from the network for one certificate: its OCSP responder first (a
//! request with a nonce; the answer must be signed by the issuer or a responder it
//! authorised, and be about our certificate and nonce), then its CRL distribution points
//! (the CRL must be signed by the issuer; each URL is downloaded once per process, so a
//! folder of documents shares it). Used by verification and by B-LT augmentation, which
//! keeps the bytes.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use x509_cert::Certificate;

use super::crl::{self, CrlStatus};
use super::ocsp::{self, OcspStatus};
use crate::net::{fetch, NetPolicy};

/// What the network said, with the bytes that say it.
pub enum Answer {
    /// A good or revoked OCSP response (unknown answers are failures).
    Ocsp(OcspStatus, Vec<u8>),
    /// A CRL from the issuer.
    Crl(CrlStatus, Vec<u8>),
}

/// Download results by URL.
type FetchCache = Mutex<HashMap<String, Result<Vec<u8>, String>>>;

/// A CRL, once per URL per process (a refused address is not remembered).
fn fetched_crl(url: &str, net: &NetPolicy) -> Result<Vec<u8>, String> {
    static CACHE: OnceLock<FetchCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(r) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(url) {
        return r.clone();
    }
    let r = match fetch::get_from_document(url, fetch::MAX_CRL, net) {
        Err(e @ fetch::FetchError::Refused(_)) => return Err(e.to_string()),
        r => r.map_err(|e| e.to_string()),
    };
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(url.to_string(), r.clone());
    r
}

/// Asks the network about `cert` (issued by `issuer`); what went wrong on the way is added
/// to `failures` (`URL: reason`). `None` when no service answered usefully — or when the
/// certificate names none (then `failures` stays empty). The addresses come from the
/// certificate, so only public ones or hosts `net` allows are used.
pub fn check(
    cert: &Certificate,
    issuer: &Certificate,
    net: &NetPolicy,
    failures: &mut Vec<String>,
) -> Option<Answer> {
    for url in ocsp::responder_urls(cert) {
        let mut nonce = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce);
        let answer = ocsp::request(cert, issuer, &nonce)
            .map_err(|e| e.to_string())
            .and_then(|req| {
                fetch::post_from_document(&url, "application/ocsp-request", &req, fetch::MAX_OCSP, net)
                    .map_err(|e| e.to_string())
            })
            .and_then(|resp| {
                ocsp::check(&resp, cert, issuer, Some(&nonce))
                    .map(|s| (s, resp))
                    .map_err(|e| e.to_string())
            });
        match answer {
            Ok((OcspStatus::Unknown, _)) => {
                failures.push(format!("{url}: the responder does not know the certificate"))
            }
            Ok((s, resp)) => return Some(Answer::Ocsp(s, resp)),
            Err(e) => failures.push(format!("{url}: {e}")),
        }
    }
    for url in crl::distribution_points(cert) {
        match fetched_crl(&url, net) {
            Ok(d) => match crl::check(&d, cert, issuer) {
                Some(s) => return Some(Answer::Crl(s, d)),
                None => failures.push(format!("{url}: not a valid CRL from the issuer")),
            },
            Err(e) => failures.push(format!("{url}: {e}")),
        }
    }
    None
}
