//! HTTP(S) fetching for revocation data (CRLs, OCSP), timestamps, CA certificates (AIA
//! caIssuers) and trust imports, with a timeout and a size limit; failures are reported,
//! never retried in a loop. Offline mode never calls this. HTTPS uses rustls with the
//! Mozilla roots; what is fetched is checked on its own (signatures, pins), so TLS only
//! keeps the transfer private.
//!
//! Addresses the user chose (a TSA in the settings, `kyso trust import URL`) are fetched as
//! given ([`get`], [`post`]). Addresses taken from a document or a certificate go through
//! [`get_from_document`] / [`post_from_document`]: the host must resolve to public addresses
//! unless the user named it ([`NetPolicy`]), checked when connecting (so a name that
//! resolves differently the second time gains nothing), and redirects are followed by hand,
//! each checked the same way.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use super::address::NetPolicy;

/// Largest CRL accepted.
pub const MAX_CRL: u64 = 20 << 20;
/// Largest OCSP response accepted.
pub const MAX_OCSP: u64 = 1 << 20;
/// Largest certificate (or certificate bundle) accepted.
pub const MAX_CERT: u64 = 1 << 20;
/// Redirects followed for an address from a document.
const MAX_REDIRECTS: usize = 4;
/// Time allowed for one fetch of revocation data or certificates.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an http:// or https:// URL.
    #[error("unsupported URL {0}")]
    Unsupported(String),
    /// An address on this computer or the local network that the user did not allow.
    #[error("{0}")]
    Refused(String),
    /// Network or server error.
    #[error("{0}")]
    Network(String),
}

fn http_url(url: &str) -> Result<(), FetchError> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(FetchError::Unsupported(url.to_string()))
    }
}

fn agent(url: &str) -> Result<ureq::Agent, FetchError> {
    http_url(url)?;
    Ok(ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .build()
        .into())
}

fn body(
    resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    limit: u64,
) -> Result<Vec<u8>, FetchError> {
    let mut resp = resp.map_err(|e| FetchError::Network(e.to_string()))?;
    read_limited(&mut resp, limit)
}

fn read_limited(resp: &mut ureq::http::Response<ureq::Body>, limit: u64) -> Result<Vec<u8>, FetchError> {
    resp.body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| FetchError::Network(e.to_string()))
}

/// GETs `url` (chosen by the user), at most `limit` bytes, 10 s overall.
pub fn get(url: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
    body(agent(url)?.get(url).call(), limit)
}

/// POSTs `body` to `url` (chosen by the user) as `content_type`, at most `limit` bytes back,
/// 10 s.
pub fn post(url: &str, content_type: &str, data: &[u8], limit: u64) -> Result<Vec<u8>, FetchError> {
    body(
        agent(url)?
            .post(url)
            .header("Content-Type", content_type)
            .send(data),
        limit,
    )
}

/// What a server answered to a plain GET, read for its headers only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    /// HTTP status (any status means the server is there).
    pub status: u16,
    /// Its clock: the `Date` header, Unix seconds.
    pub date: Option<i64>,
}

/// Asks `url` once (5 s, no body read, redirects not followed): is the service there, and what
/// time does it say it is.
pub fn probe(url: &str) -> Result<Probe, FetchError> {
    agent(url)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let resp = agent
        .get(url)
        .call()
        .map_err(|e| FetchError::Network(e.to_string()))?;
    let date = resp
        .headers()
        .get("date")
        .and_then(|v| v.to_str().ok())
        .and_then(crate::timefmt::parse_http_date);
    Ok(Probe {
        status: resp.status().as_u16(),
        date,
    })
}
/// Resolves like the system does, then keeps only the addresses `policy` allows for the URL's
/// host; none left is a refusal, remembered in `refused` so the caller can say why.
#[derive(Debug)]
struct Guard {
    host: String,
    policy: NetPolicy,
    refused: Arc<Mutex<Option<String>>>,
}

impl Resolver for Guard {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let found = DefaultResolver::default().resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        // Another host is a proxy the system names (the user's network settings).
        if !host.trim_matches(['[', ']']).eq_ignore_ascii_case(&self.host) {
            return Ok(found);
        }
        let mut kept = self.empty();
        for a in found.iter().filter(|a| self.policy.allows(host, a.ip())) {
            kept.push(*a);
        }
        if kept.is_empty() {
            let why = format!(
                "{host} is on this computer or the local network ({}); Kyso does not connect there for an address taken from a document unless the host is allowed in the settings",
                found.iter().map(|a| a.ip().to_string()).collect::<Vec<_>>().join(", ")
            );
            *self.refused.lock().unwrap_or_else(|e| e.into_inner()) = Some(why.clone());
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                why,
            )));
        }
        Ok(kept)
    }
}

/// A connection that only reaches the addresses `policy` allows for `url`'s host, follows no
/// redirect, and answers every HTTP status as a response (the caller reads it). The slot says
/// why a connection was refused.
pub struct Guarded {
    /// The agent to call `url` with.
    pub agent: ureq::Agent,
    refused: Arc<Mutex<Option<String>>>,
}

impl Guarded {
    /// The error for a failed call: the refusal when the address was refused.
    pub fn error(&self, url: &str, e: ureq::Error) -> FetchError {
        match self.refused.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(why) => FetchError::Refused(why),
            None => FetchError::Network(format!("{url}: {e}")),
        }
    }
}

/// An agent for `url` under `policy` (see [`Guarded`]), bounded by `timeout`.
pub fn guarded(url: &str, policy: &NetPolicy, timeout: Duration) -> Result<Guarded, FetchError> {
    http_url(url)?;
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| FetchError::Unsupported(url.to_string()))?;
    let host = uri
        .host()
        .map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .ok_or_else(|| FetchError::Unsupported(url.to_string()))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(FetchError::Unsupported(url.to_string()));
    }
    let refused = Arc::new(Mutex::new(None));
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .build();
    let guard = Guard {
        host,
        policy: policy.clone(),
        refused: refused.clone(),
    };
    Ok(Guarded {
        agent: ureq::Agent::with_parts(config, DefaultConnector::default(), guard),
        refused,
    })
}

/// Where a redirect's `Location` points, from `base`.
fn join(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    if let Some(net) = location.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if location.starts_with('/') {
        return format!("{scheme}://{authority}{location}");
    }
    let path = rest.get(authority.len()..).unwrap_or("");
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{scheme}://{authority}{dir}/{location}")
}

/// GETs `url`, an address taken from a document or certificate: only public addresses or
/// hosts `policy` names; at most four redirects, each checked the same way; at most `limit`
/// bytes, 10 s per step.
pub fn get_from_document(url: &str, limit: u64, policy: &NetPolicy) -> Result<Vec<u8>, FetchError> {
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        let g = guarded(&current, policy, TIMEOUT)?;
        let mut resp = g.agent.get(&current).call().map_err(|e| g.error(&current, e))?;
        let status = resp.status().as_u16();
        if matches!(status, 301 | 302 | 303 | 307 | 308) {
            let Some(next) = resp.headers().get("location").and_then(|v| v.to_str().ok()) else {
                return Err(FetchError::Network(format!(
                    "{current}: HTTP {status} without Location"
                )));
            };
            current = join(&current, next);
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Network(format!("{current}: HTTP {status}")));
        }
        return read_limited(&mut resp, limit);
    }
    Err(FetchError::Network(format!("{url}: too many redirects")))
}

/// POSTs `data` to `url`, an address taken from a certificate (an OCSP responder): only
/// public addresses or hosts `policy` names, no redirect; at most `limit` bytes back, 10 s.
pub fn post_from_document(
    url: &str,
    content_type: &str,
    data: &[u8],
    limit: u64,
    policy: &NetPolicy,
) -> Result<Vec<u8>, FetchError> {
    let g = guarded(url, policy, TIMEOUT)?;
    let mut resp = g
        .agent
        .post(url)
        .header("Content-Type", content_type)
        .send(data)
        .map_err(|e| g.error(url, e))?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(FetchError::Network(format!("{url}: HTTP {status}")));
    }
    read_limited(&mut resp, limit)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// A server on 127.0.0.1 answering every connection with `answer(path)`; returns its
    /// port and a count of requests served.
    fn serve(answer: fn(&str, u16) -> String) -> (u16, Arc<Mutex<usize>>) {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(0));
        let h = hits.clone();
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(mut s) = s else { continue };
                let mut buf = [0u8; 4096];
                let n = s.read(&mut buf).unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                *h.lock().unwrap() += 1;
                let _ = s.write_all(answer(&path, port).as_bytes());
            }
        });
        (port, hits)
    }

    fn ok_or_redirect(path: &str, port: u16) -> String {
        match path {
            "/away" => format!("HTTP/1.1 302 Found\r\nLocation: http://localhost:{port}/crl\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            "/here" => "HTTP/1.1 301 Moved\r\nLocation: /crl\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
            _ => "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nCRL".into(),
        }
    }

    #[test]
    fn a_document_cannot_make_kyso_call_this_computer_unless_the_host_is_allowed() {
        let (port, hits) = serve(ok_or_redirect);
        let url = format!("http://127.0.0.1:{port}/crl");
        // The user's own address (a TSA in the settings): fetched.
        assert_eq!(get(&url, 100).unwrap(), b"CRL");
        assert_eq!(*hits.lock().unwrap(), 1);
        // The same address from a certificate: refused before any connection.
        let e = get_from_document(&url, 100, &NetPolicy::default()).unwrap_err();
        assert!(matches!(e, FetchError::Refused(_)), "{e}");
        assert!(e.to_string().contains("127.0.0.1"), "{e}");
        let e = post_from_document(&url, "application/ocsp-request", b"q", 100, &NetPolicy::default())
            .unwrap_err();
        assert!(matches!(e, FetchError::Refused(_)), "{e}");
        // A name that resolves to this computer is refused the same way.
        let by_name = format!("http://localhost:{port}/crl");
        assert!(matches!(
            get_from_document(&by_name, 100, &NetPolicy::default()),
            Err(FetchError::Refused(_))
        ));
        assert_eq!(*hits.lock().unwrap(), 1, "nothing reached the server");
        // Allowed by name in the settings (an intranet CA server): fetched.
        let allowed = NetPolicy::allowing(&["127.0.0.1".into()]);
        assert_eq!(get_from_document(&url, 100, &allowed).unwrap(), b"CRL");
        assert_eq!(
            post_from_document(&url, "application/ocsp-request", b"q", 100, &allowed).unwrap(),
            b"CRL"
        );
    }

    #[test]
    fn redirects_are_checked_like_the_first_address() {
        let (port, hits) = serve(ok_or_redirect);
        let allowed = NetPolicy::allowing(&["127.0.0.1".into()]);
        // A redirect on the allowed host: followed.
        let here = format!("http://127.0.0.1:{port}/here");
        assert_eq!(get_from_document(&here, 100, &allowed).unwrap(), b"CRL");
        assert_eq!(*hits.lock().unwrap(), 2);
        // A redirect to another name for this computer, which the user did not allow: the
        // first request is made, the redirect is not followed.
        let away = format!("http://127.0.0.1:{port}/away");
        let e = get_from_document(&away, 100, &allowed).unwrap_err();
        assert!(matches!(e, FetchError::Refused(_)), "{e}");
        assert!(e.to_string().contains("localhost"), "{e}");
        assert_eq!(*hits.lock().unwrap(), 3);
        // Other schemes and user@host are refused.
        for bad in ["file:///etc/passwd", "ftp://127.0.0.1/x", "http://a@127.0.0.1/"] {
            assert!(get_from_document(bad, 100, &allowed).is_err(), "{bad}");
        }
    }

    #[test]
    fn relative_redirects_resolve_against_the_request() {
        assert_eq!(join("http://a.vn/x/y.crl", "/z.crl"), "http://a.vn/z.crl");
        assert_eq!(join("http://a.vn/x/y.crl", "z.crl"), "http://a.vn/x/z.crl");
        assert_eq!(join("http://a.vn/x/y.crl", "//b.vn/c"), "http://b.vn/c");
        assert_eq!(join("http://a.vn/x", "https://c.vn/"), "https://c.vn/");
    }
}
