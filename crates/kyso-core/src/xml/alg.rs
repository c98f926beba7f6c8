//! XMLDSig algorithm identifiers (URIs) for Kyso's hashes and signature schemes. The policy —
//! what may sign, what is weak — stays in `crate::crypto`.

use crate::crypto::{HashAlg, Scheme};

const DIGESTS: [(HashAlg, &str); 4] = [
    (HashAlg::Sha1, "http://www.w3.org/2000/09/xmldsig#sha1"),
    (HashAlg::Sha256, "http://www.w3.org/2001/04/xmlenc#sha256"),
    (HashAlg::Sha384, "http://www.w3.org/2001/04/xmldsig-more#sha384"),
    (HashAlg::Sha512, "http://www.w3.org/2001/04/xmlenc#sha512"),
];

const METHODS: [(Scheme, HashAlg, &str); 8] = [
    (
        Scheme::RsaPkcs1,
        HashAlg::Sha1,
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    ),
    (
        Scheme::RsaPkcs1,
        HashAlg::Sha256,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    ),
    (
        Scheme::RsaPkcs1,
        HashAlg::Sha384,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    ),
    (
        Scheme::RsaPkcs1,
        HashAlg::Sha512,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    ),
    (
        Scheme::Ecdsa,
        HashAlg::Sha1,
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
    ),
    (
        Scheme::Ecdsa,
        HashAlg::Sha256,
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    ),
    (
        Scheme::Ecdsa,
        HashAlg::Sha384,
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    ),
    (
        Scheme::Ecdsa,
        HashAlg::Sha512,
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
    ),
];

/// `DigestMethod/@Algorithm` for a hash.
pub fn digest_uri(h: HashAlg) -> &'static str {
    DIGESTS.iter().find(|(a, _)| *a == h).map_or("", |(_, u)| *u)
}

/// The hash a `DigestMethod` names.
pub fn digest_from_uri(uri: &str) -> Option<HashAlg> {
    DIGESTS.iter().find(|(_, u)| *u == uri).map(|(a, _)| *a)
}

/// `SignatureMethod/@Algorithm` for a scheme and hash (`None`: RSA-PSS, not used in these
/// forms).
pub fn signature_uri(scheme: Scheme, h: HashAlg) -> Option<&'static str> {
    METHODS
        .iter()
        .find(|(s, a, _)| *s == scheme && *a == h)
        .map(|(_, _, u)| *u)
}

/// The scheme and hash a `SignatureMethod` names.
pub fn signature_from_uri(uri: &str) -> Option<(Scheme, HashAlg)> {
    METHODS
        .iter()
        .find(|(_, _, u)| *u == uri)
        .map(|(s, a, _)| (*s, *a))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        for h in [HashAlg::Sha1, HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
            assert_eq!(digest_from_uri(digest_uri(h)), Some(h));
            for s in [Scheme::RsaPkcs1, Scheme::Ecdsa] {
                assert_eq!(
                    signature_from_uri(signature_uri(s, h).unwrap_or("")),
                    Some((s, h))
                );
            }
        }
        assert_eq!(signature_uri(Scheme::RsaPss, HashAlg::Sha256), None);
    }
}
