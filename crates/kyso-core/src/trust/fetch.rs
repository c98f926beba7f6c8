//! HTTP fetching of revocation data (CRLs). Plain `http://` only in this version — that is
//! how the Vietnamese CAs publish CRLs — with a timeout and a size limit; failures are
//! reported, never retried in a loop. Offline mode never calls this.

use std::time::Duration;

/// Largest CRL accepted.
pub const MAX_CRL: u64 = 20 << 20;
/// Largest OCSP response accepted.
pub const MAX_OCSP: u64 = 1 << 20;

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an http:// URL.
    #[error("unsupported URL {0}")]
    Unsupported(String),
    /// Network or server error.
    #[error("{0}")]
    Network(String),
}

fn agent(url: &str) -> Result<ureq::Agent, FetchError> {
    if !url.starts_with("http://") {
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

/// GETs `url` (http only), at most `limit` bytes, 10 s overall.
pub fn get(url: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
    body(agent(url)?.get(url).call(), limit)
}

/// POSTs `body` to `url` (http only) as `content_type`, at most `limit` bytes back, 10 s.
pub fn post(url: &str, content_type: &str, data: &[u8], limit: u64) -> Result<Vec<u8>, FetchError> {
    body(
        agent(url)?
            .post(url)
            .header("Content-Type", content_type)
            .send(data),
        limit,
    )
}
