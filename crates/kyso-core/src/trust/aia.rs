//! Missing issuer certificates fetched from where the certificate says they are published
//! (Authority Information Access, caIssuers; RFC 5280 §4.2.2.1). Real Vietnamese documents
//! often embed only the signer's certificate, so online verification completes the chain
//! this way. Each URL is fetched once per process; what comes back is only a candidate —
//! path building still checks every signature up to a trusted root.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use x509_cert::Certificate;

use crate::cert;
use crate::net::{fetch, NetPolicy};

type Cache = Mutex<HashMap<String, Vec<Certificate>>>;

/// Certificates published at `c`'s caIssuers URLs (empty when none or unreachable). The URLs
/// come from the certificate, so only public addresses or hosts `net` allows are used.
pub fn issuer_certificates(c: &Certificate, net: &NetPolicy) -> Vec<Certificate> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut out = Vec::new();
    for url in cert::access_urls(c, cert::ID_AD_CA_ISSUERS).into_iter().take(4) {
        let known = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&url).cloned();
        let certs = known.unwrap_or_else(|| match fetch::get_from_document(&url, fetch::MAX_CERT, net) {
            // A refused address is not remembered: another run may allow it.
            Err(fetch::FetchError::Refused(_) | fetch::FetchError::Unsupported(_)) => Vec::new(),
            got => {
                let got = got
                    .map(|d| crate::cms::bundle::certificates(&d))
                    .unwrap_or_default();
                cache
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(url, got.clone());
                got
            }
        });
        out.extend(certs);
    }
    out
}
