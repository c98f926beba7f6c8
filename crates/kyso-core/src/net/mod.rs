//! The network as Kyso uses it: bounded HTTP(S) fetches for revocation data, timestamps and
//! CA certificates ([`fetch`]), and web origins (the allow-lists of the bridge and the
//! settings), and where Kyso may connect for an address it did not choose ([`address`]).

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    address;
}
pub mod fetch;

pub use address::NetPolicy;

/// Whether `url` may carry a secret (a signing service, its sign-in page, the token address
/// it names): `https://`, or `http://` to this computer only (a local gateway or a test
/// service) — never plain HTTP across a network. `Err` says why, for the user.
pub fn secure_service(url: &str) -> Result<(), String> {
    let Some(origin) = origin_of(url) else {
        return Err(format!("\"{url}\" is not an http(s) address"));
    };
    if origin.starts_with("https://") {
        return Ok(());
    }
    let host = address::host_name(&origin).unwrap_or_default();
    let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if local {
        Ok(())
    } else {
        Err(format!(
            "\"{url}\" is plain http:// to another computer; a signing service must use https://"
        ))
    }
}

/// `scheme://host:port` of an http(s) URL, lowercased, with the default port written out.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    // user:password@host is refused: nothing legitimate needs it and it disguises hosts.
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => match p.parse::<u16>() {
            Ok(p) => (h, p),
            Err(_) if authority.starts_with('[') && authority.ends_with(']') => (authority, default),
            Err(_) => return None,
        },
        _ => (authority, default),
    };
    Some(format!("{scheme}://{}:{port}", host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_go_over_https_or_stay_on_this_computer() {
        assert!(secure_service("https://rmgateway.vnptit.vn/csc").is_ok());
        assert!(secure_service("http://127.0.0.1:8080/csc").is_ok());
        assert!(secure_service("http://localhost/").is_ok());
        assert!(secure_service("http://[::1]:9/").is_ok());
        assert!(secure_service("http://sign.example.vn/").is_err());
        assert!(secure_service("http://10.0.0.1/").is_err());
        assert!(secure_service("http://127.0.0.1.evil.vn/").is_err());
        assert!(secure_service("ftp://127.0.0.1/").is_err());
    }
}
