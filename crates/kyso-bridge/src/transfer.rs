//! Files travel only between the requesting site and Kyso: the document is fetched from the
//! page's own origin (or a host the user allow-listed), the result is posted to an upload
//! target on the same terms, with the page's session token. A web page can never name a
//! local path, another scheme, or a redirect elsewhere. The connections go through the
//! core's address rules ([`kyso_core::net::fetch::guarded`]): only the hosts the user allowed
//! (the page's site and the allowed hosts, often on the office network) may be on this
//! computer or the local network, and no redirect is followed.

use std::time::Duration;

use kyso_core::net::fetch::{guarded, Guarded};
use kyso_core::net::NetPolicy;

/// Why a transfer was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// Not an address Kyso may use for this page.
    #[error("{0}")]
    Refused(String),
    /// Larger than allowed.
    #[error("the file is larger than {0} MB")]
    TooLarge(u64),
    /// Network or server error.
    #[error("{0}")]
    Network(String),
}

pub use kyso_core::net::origin_of;

/// The absolute URL a page's `FileName` / `FileUploadHandler` stands for, if the page may use
/// it: an absolute http(s) URL on the page's origin or an allowed one, or a path on the
/// page's origin. Local paths, other schemes and hosts are refused.
pub fn resolve(name: &str, page_origin: &str, allowed: &[String]) -> Result<String, TransferError> {
    let name = name.trim();
    let refuse = |why: &str| TransferError::Refused(format!("\"{name}\": {why}"));
    if name.is_empty() {
        return Err(refuse("no file named"));
    }
    let page = origin_of(page_origin).ok_or_else(|| refuse("the requesting page has no web origin"))?;
    if name.contains("://") {
        let o = origin_of(name).ok_or_else(|| refuse("only http and https addresses are accepted"))?;
        let ok = o == page
            || allowed
                .iter()
                .any(|a| origin_of(a).as_deref() == Some(o.as_str()));
        return if ok {
            Ok(name.to_string())
        } else {
            Err(refuse(
                "it is on another site than the page that asked (add it to the allowed sites)",
            ))
        };
    }
    // A drive letter, a UNC path or a backslash is a local path: never from a web page.
    if name.contains('\\') || name.contains(':') || name.starts_with("//") {
        return Err(refuse("a web page cannot name a file on this computer"));
    }
    let base = page_origin.trim_end_matches('/');
    let base = base.split_once("://").map_or(base, |(s, rest)| {
        // Keep scheme://authority only.
        let auth = rest.split('/').next().unwrap_or(rest);
        &base[..s.len() + 3 + auth.len()]
    });
    Ok(if name.starts_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    })
}

/// The address rules for a page at `page_origin`: its own host and the `allowed` sites the
/// user named may be on this computer or the office network (document-management systems
/// usually are); any other host only on the public internet.
pub fn policy(page_origin: &str, allowed: &[String]) -> NetPolicy {
    let mut names = vec![page_origin.to_string()];
    names.extend(allowed.iter().cloned());
    NetPolicy::allowing(&names)
}

fn agent(url: &str, policy: &NetPolicy, timeout: Duration) -> Result<Guarded, TransferError> {
    // No redirect is followed: it could lead anywhere.
    guarded(url, policy, timeout).map_err(|e| TransferError::Refused(e.to_string()))
}

fn failed(g: &Guarded, url: &str, e: ureq::Error) -> TransferError {
    match g.error(url, e) {
        kyso_core::net::fetch::FetchError::Refused(why) => TransferError::Refused(why),
        other => TransferError::Network(other.to_string()),
    }
}

/// GETs `url` under `policy`, at most `limit` bytes.
pub fn fetch(url: &str, limit: u64, timeout: Duration, policy: &NetPolicy) -> Result<Vec<u8>, TransferError> {
    let g = agent(url, policy, timeout)?;
    let mut resp = g.agent.get(url).call().map_err(|e| failed(&g, url, e))?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(TransferError::Network(format!("{url}: HTTP {status}")));
    }
    if let Some(len) = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > limit {
            return Err(TransferError::TooLarge(limit >> 20));
        }
    }
    resp.body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => TransferError::TooLarge(limit >> 20),
            e => TransferError::Network(format!("{url}: {e}")),
        })
}

/// What an upload carries besides the file.
pub struct UploadTo<'a> {
    /// The upload target.
    pub url: &'a str,
    /// The page's session (`SessionId` field).
    pub session_id: Option<&'a str>,
    /// The page's bearer token.
    pub jwt: Option<&'a str>,
    /// Time allowed.
    pub timeout: Duration,
    /// Address rules.
    pub policy: &'a NetPolicy,
}

/// POSTs `data` as `file_name` (multipart/form-data, field `file`, plus `SessionId`) with the
/// page's bearer token; returns what the target answered (at most 64 KB).
pub fn upload(to: &UploadTo<'_>, file_name: &str, data: &[u8]) -> Result<String, TransferError> {
    let (url, session_id, jwt) = (to.url, to.session_id, to.jwt);
    let boundary = format!("kyso-{}", kyso_core::signer::remote::random_id());
    let safe_name: String = file_name
        .chars()
        .filter(|c| !matches!(c, '"' | '\r' | '\n' | '\\'))
        .collect();
    let mut body = Vec::with_capacity(data.len() + 512);
    if let Some(s) = session_id {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"SessionId\"\r\n\r\n{s}\r\n")
                .as_bytes(),
        );
    }
    let ctype = if safe_name.to_lowercase().ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/pkcs7-signature"
    };
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\nContent-Type: {ctype}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let g = agent(url, to.policy, to.timeout)?;
    let mut req = g.agent.post(url).header(
        "Content-Type",
        &format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(t) = jwt {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut resp = req.send(&body[..]).map_err(|e| failed(&g, url, e))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 << 10)
        .read_to_string()
        .unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(text.trim().to_string())
    } else {
        Err(TransferError::Network(format!(
            "{url}: HTTP {status} {}",
            text.trim()
        )))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_the_page_origin_or_allowed_sites() {
        let page = "http://127.0.0.1:8000";
        assert_eq!(
            origin_of("HTTP://Example.vn/x").as_deref(),
            Some("http://example.vn:80")
        );
        assert_eq!(
            origin_of("https://a.vn:8443/").as_deref(),
            Some("https://a.vn:8443")
        );
        assert_eq!(origin_of("http://user@evil/"), None);
        assert_eq!(
            resolve("/docs/a.pdf", page, &[]).unwrap(),
            "http://127.0.0.1:8000/docs/a.pdf"
        );
        assert_eq!(
            resolve("a.pdf", page, &[]).unwrap(),
            "http://127.0.0.1:8000/a.pdf"
        );
        assert!(resolve("http://127.0.0.1:8000/a.pdf", page, &[]).is_ok());
        assert!(resolve("http://127.0.0.1:9000/a.pdf", page, &[]).is_err());
        assert!(resolve("http://files.vn/a.pdf", page, &["http://files.vn".into()]).is_ok());
        for local in [
            "C:\\Users\\a.pdf",
            "file:///etc/passwd",
            "\\\\server\\share\\a.pdf",
            "//evil/a.pdf",
            "data:,x",
        ] {
            assert!(resolve(local, page, &[]).is_err(), "{local}");
        }
    }

    #[test]
    fn only_the_sites_the_user_allowed_may_be_on_the_local_network() {
        let p = policy("http://qlvb.noibo.vn:8080", &["https://files.noibo.vn".into()]);
        let lan = "10.1.2.3".parse().unwrap();
        assert!(p.allows("qlvb.noibo.vn", lan));
        assert!(p.allows("files.noibo.vn", lan));
        assert!(!p.allows("other.noibo.vn", lan));
        // A page on this computer (tests, a local gateway) fetches from itself.
        let here = policy("http://127.0.0.1:8000", &[]);
        assert!(here.allows("127.0.0.1", "127.0.0.1".parse().unwrap()));
        assert!(!here.allows("localhost", "127.0.0.1".parse().unwrap()));
    }
}
