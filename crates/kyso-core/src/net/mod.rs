//! The network as Kyso uses it: bounded HTTP(S) fetches for revocation data, timestamps and
//! CA certificates ([`fetch`]), and web origins (the allow-lists of the bridge and the
//! settings).

pub mod fetch;

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
