//! Where Kyso may connect when the address was not chosen by the user. A certificate inside a
//! document names where its issuer, OCSP responder and CRL are published (AIA, CRL
//! distribution points); a hostile document could name `http://10.0.0.1/admin` or
//! `http://127.0.0.1:8080/` and make the clerk's computer call the office network. Such
//! addresses are refused unless the user named the host in the settings (an intranet CA
//! server); the check is made on the addresses the name resolves to, at connection time, and
//! again for every redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The hosts the user allowed although they are on this computer or the local network.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetPolicy {
    allowed: Vec<String>,
}

impl NetPolicy {
    /// Allows the local-network hosts `names` (host names or addresses, as written in a URL;
    /// compared without case, without brackets or port).
    pub fn allowing(names: &[String]) -> Self {
        Self {
            allowed: names.iter().filter_map(|n| host_name(n)).collect(),
        }
    }

    /// Whether the user named `host` (a URL's host, any case).
    pub fn allows_host(&self, host: &str) -> bool {
        let h = normalize(host);
        self.allowed.contains(&h)
    }

    /// Whether a connection to `ip` for a URL whose host is `host` may be made.
    pub fn allows(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip) || self.allows_host(host)
    }
}

fn normalize(host: &str) -> String {
    host.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// The host of an entry in the settings: a bare name or address, or a URL (its host).
pub fn host_name(entry: &str) -> Option<String> {
    let e = entry.trim();
    let rest = e.split_once("://").map_or(e, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, p)| {
            // `host:port`; an IPv6 address without brackets has several colons.
            if p.chars().all(|c| c.is_ascii_digit()) && !h.contains(':') {
                h
            } else {
                authority
            }
        })
    };
    let h = normalize(host);
    (!h.is_empty()).then_some(h)
}

/// Whether `ip` is an address on the public internet: not this computer (loopback,
/// unspecified), not a private, shared (CGNAT), link-local, benchmarking, documentation,
/// multicast or reserved range, and not an IPv6 form of one of those.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24.
        || (a == 192 && b == 0 && c == 0)
        // Benchmarking, 198.18.0.0/15.
        || (a == 198 && (b == 18 || b == 19))
        // Reserved (240.0.0.0/4).
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    // An IPv4 address written as IPv6 (::ffff:a.b.c.d, ::a.b.c.d, NAT64 64:ff9b::a.b.c.d)
    // is judged as that IPv4 address.
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_loopback() && !ip.is_unspecified() {
        return public_v4(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return public_v4(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, old site-local fec0::/10.
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        // Documentation 2001:db8::/32.
        || (s[0] == 0x2001 && s[1] == 0x0db8))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "127.8.9.1",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "1.1.1.1",
            "203.162.4.190",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn hosts_are_allowed_by_the_name_the_user_wrote() {
        let p = NetPolicy::allowing(&[
            "ca.noibo.gov.vn".into(),
            "http://10.0.0.5:8080/ocsp".into(),
            "[fd00::5]".into(),
            "".into(),
        ]);
        assert!(p.allows_host("CA.NoiBo.gov.vn"));
        assert!(p.allows_host("10.0.0.5"));
        assert!(p.allows_host("[fd00::5]"));
        assert!(!p.allows_host("127.0.0.1"));
        assert!(p.allows("ca.noibo.gov.vn", "10.9.9.9".parse().unwrap()));
        assert!(!p.allows("other.gov.vn", "10.9.9.9".parse().unwrap()));
        assert!(p.allows("other.gov.vn", "203.162.4.190".parse().unwrap()));
        assert_eq!(host_name("user@evil"), None);
        assert_eq!(host_name("Localhost:80").as_deref(), Some("localhost"));
    }
}
