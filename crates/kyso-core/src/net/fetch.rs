//! HTTP(S) fetching for revocation data (CRLs, OCSP), timestamps, CA certificates (AIA
//! caIssuers) and trust imports, with a timeout and a size limit; failures are reported,
//! never retried in a loop. Offline mode never calls this. HTTPS uses rustls with the
//! Mozilla roots; what is fetched is checked on its own (signatures, pins), so TLS only
//! keeps the transfer private.

use std::time::Duration;

/// Largest CRL accepted.
pub const MAX_CRL: u64 = 20 << 20;
/// Largest OCSP response accepted.
pub const MAX_OCSP: u64 = 1 << 20;
/// Largest certificate (or certificate bundle) accepted.
pub const MAX_CERT: u64 = 1 << 20;

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an http:// or https:// URL.
    #[error("unsupported URL {0}")]
    Unsupported(String),
    /// Network or server error.
    #[error("{0}")]
    Network(String),
}

fn agent(url: &str) -> Result<ureq::Agent, FetchError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(FetchError::Unsupported(url.to_string()));
    }
    Ok(ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into())
}

fn body(
    resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    limit: u64,
) -> Result<Vec<u8>, FetchError> {
    let mut resp = resp.map_err(|e| FetchError::Network(e.to_string()))?;
    resp.body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| FetchError::Network(e.to_string()))
}

/// GETs `url`, at most `limit` bytes, 10 s overall.
pub fn get(url: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
    body(agent(url)?.get(url).call(), limit)
}

/// POSTs `body` to `url` as `content_type`, at most `limit` bytes back, 10 s.
pub fn post(url: &str, content_type: &str, data: &[u8], limit: u64) -> Result<Vec<u8>, FetchError> {
    body(
        agent(url)?
            .post(url)
            .header("Content-Type", content_type)
            .send(data),
        limit,
    )
}
