//! Trust anchors: the Vietnamese roots and intermediates are pinned here by SHA-256
//! fingerprint; their certificates are imported by the user (file) and kept in the user's
//! config folder. A certificate that matches no pin is refused unless the user explicitly adds
//! it as a custom anchor. The repository ships pins, never certificates.
//!
//! Real government documents embed the signer's certificate but not the VGCA intermediates,
//! so imported intermediates are offered to path building as well.

use std::path::{Path, PathBuf};

pub mod aia;
pub mod crl;
pub mod ocsp;
pub mod online;
pub mod path;
pub mod tsa;
pub mod tst;

use der::Encode;
use x509_cert::Certificate;

use crate::cert;

/// Role of a pinned certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Self-signed root: a trust anchor.
    Root,
    /// Issuing CA: helps build paths (it still has to chain to a root).
    Intermediate,
}

/// A pinned certificate.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Pin {
    /// Name as published.
    pub name: &'static str,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: &'static str,
    /// Root or intermediate.
    pub role: Role,
    /// Where the authority publishes it.
    pub url: &'static str,
}

/// The Vietnamese roots and intermediates Kyso knows (fingerprints checked against the
/// published certificates).
pub const PINS: &[Pin] = &[
    Pin {
        name: "RootCA chuyên dùng Chính phủ G2 (Ban Cơ yếu Chính phủ)",
        sha256: "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
        role: Role::Root,
        url: "http://ca.gov.vn/pki/pub/cert/rootcag2.crt",
    },
    Pin {
        name: "CA phục vụ các cơ quan Nhà nước G2",
        sha256: "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b",
        role: Role::Intermediate,
        url: "http://ca.gov.vn/pki/pub/cert/",
    },
    Pin {
        name: "Co quan chung thuc so chuyen dung Chinh phu (RootCA, G1)",
        sha256: "f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90",
        role: Role::Root,
        url: "http://ca.gov.vn/pki/pub/cert/rootca.crt",
    },
    Pin {
        name: "Vietnam National Root CA",
        sha256: "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
        role: Role::Root,
        url: "https://rootca.gov.vn/crt/vnrca256.p7b",
    },
    Pin {
        name: "VNPT-CA SHA2",
        sha256: "7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306",
        role: Role::Intermediate,
        url: "https://rootca.gov.vn/",
    },
];

/// Trust store errors.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// No certificate in the input.
    #[error("no certificate found in the file")]
    Empty,
    /// Matches no pin and custom anchors were not allowed.
    #[error("certificate {subject} (SHA-256 {sha256}) matches none of the pinned Vietnamese authorities; add it as your own trust anchor only if you trust it")]
    NotPinned {
        /// Subject.
        subject: String,
        /// Fingerprint.
        sha256: String,
    },
    /// A custom anchor must be a CA certificate.
    #[error("{0} is not a CA certificate and cannot be a trust anchor")]
    NotCa(String),
    /// A trust anchor file that cannot be used.
    #[error("the trust anchor file {path} cannot be used: {reason}")]
    File {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// I/O.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// One stored certificate.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Entry {
    /// Subject.
    pub subject: String,
    /// SHA-256.
    pub sha256: String,
    /// Root or intermediate.
    pub role: Role,
    /// The pin it matched, or `None` for a custom anchor.
    pub pinned_as: Option<&'static str>,
    /// notAfter (RFC 3339).
    pub not_after: String,
}

/// Certificates the user imported, in `<config>/trust/`.
pub struct TrustStore {
    dir: PathBuf,
    /// Trust anchors (roots, custom anchors).
    pub anchors: Vec<Certificate>,
    /// Intermediates offered to path building.
    pub intermediates: Vec<Certificate>,
}

/// What a check or a long-term signing trusts: anchors, and intermediates offered to path
/// building (real documents often leave them out).
#[derive(Clone, Debug, Default)]
pub struct Material {
    /// Trust anchors.
    pub anchors: Vec<Certificate>,
    /// Intermediate certificates.
    pub intermediates: Vec<Certificate>,
    /// The local-network servers (an intranet CA's) that addresses inside certificates may
    /// lead to; others there are never called.
    pub network: crate::net::NetPolicy,
}

impl Material {
    /// The user's trust: the store in `config` (pinned authorities imported, custom
    /// anchors), the anchor files named in the settings, and `extra` anchor files for this
    /// run. A named file without a certificate is an error, not silently nothing.
    pub fn load(
        config: &Path,
        settings: &crate::settings::Settings,
        extra: &[PathBuf],
    ) -> Result<Self, TrustError> {
        let mut anchors = Vec::new();
        let named = settings.trust_anchor_files.iter().map(PathBuf::from);
        for file in extra.iter().cloned().chain(named) {
            let data = std::fs::read(&file).map_err(|e| TrustError::File {
                path: file.display().to_string(),
                reason: e.to_string(),
            })?;
            let certs = crate::cms::bundle::certificates(&data);
            if certs.is_empty() {
                return Err(TrustError::File {
                    path: file.display().to_string(),
                    reason: "no certificate in it".into(),
                });
            }
            anchors.extend(certs);
        }
        let store = TrustStore::open(config);
        anchors.extend(store.anchors);
        Ok(Self {
            anchors,
            intermediates: store.intermediates,
            network: crate::net::NetPolicy::allowing(&settings.intranet_servers),
        })
    }
}

fn pin_of(c: &Certificate) -> Option<&'static Pin> {
    let fp = cert::fingerprint(c);
    PINS.iter().find(|p| p.sha256 == fp)
}

impl TrustStore {
    /// Opens (or starts) the store in `config/trust`.
    pub fn open(config: &Path) -> Self {
        let dir = config.join("trust");
        let mut s = Self {
            dir,
            anchors: Vec::new(),
            intermediates: Vec::new(),
        };
        for (sub, is_anchor) in [("anchors", true), ("intermediates", false)] {
            let Ok(rd) = std::fs::read_dir(s.dir.join(sub)) else {
                continue;
            };
            let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
            paths.sort();
            for p in paths {
                for c in std::fs::read(&p)
                    .map(|d| crate::cms::bundle::certificates(&d))
                    .unwrap_or_default()
                {
                    if is_anchor {
                        s.anchors.push(c);
                    } else {
                        s.intermediates.push(c);
                    }
                }
            }
        }
        s
    }

    /// Imports the certificates in `data` (PEM or DER). Pinned ones are stored by role; others
    /// only with `allow_custom`, and then only CA certificates, as anchors.
    pub fn import(&mut self, data: &[u8], allow_custom: bool) -> Result<Vec<Entry>, TrustError> {
        let certs = crate::cms::bundle::certificates(data);
        if certs.is_empty() {
            return Err(TrustError::Empty);
        }
        // Check everything first: an import is all or nothing.
        for c in &certs {
            if pin_of(c).is_none() {
                let subject = cert::name_to_string(&c.tbs_certificate.subject);
                if !allow_custom {
                    return Err(TrustError::NotPinned {
                        subject,
                        sha256: cert::fingerprint(c),
                    });
                }
                if !cert::is_ca(c) {
                    return Err(TrustError::NotCa(subject));
                }
            }
        }
        let mut out = Vec::new();
        for c in certs {
            let role = pin_of(&c).map_or(Role::Root, |p| p.role);
            let sub = if role == Role::Root {
                "anchors"
            } else {
                "intermediates"
            };
            let dir = self.dir.join(sub);
            std::fs::create_dir_all(&dir)?;
            let fp = cert::fingerprint(&c);
            let path = dir.join(format!("{fp}.der"));
            let tmp = dir.join(format!(".{fp}.tmp"));
            std::fs::write(&tmp, c.to_der().unwrap_or_default())?;
            std::fs::rename(&tmp, &path)?;
            let list = if role == Role::Root {
                &mut self.anchors
            } else {
                &mut self.intermediates
            };
            if !list.iter().any(|x| cert::fingerprint(x) == fp) {
                list.push(c.clone());
            }
            out.push(entry(&c, role));
        }
        Ok(out)
    }

    /// Everything stored.
    pub fn list(&self) -> Vec<Entry> {
        self.anchors
            .iter()
            .map(|c| entry(c, Role::Root))
            .chain(self.intermediates.iter().map(|c| entry(c, Role::Intermediate)))
            .collect()
    }
}

fn entry(c: &Certificate, role: Role) -> Entry {
    Entry {
        subject: cert::name_to_string(&c.tbs_certificate.subject),
        sha256: cert::fingerprint(c),
        role,
        pinned_as: pin_of(c).map(|p| p.name),
        not_after: crate::timefmt::rfc3339(cert::validity(c).1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_well_formed_and_unique() {
        for p in PINS {
            assert_eq!(p.sha256.len(), 64);
            assert!(p
                .sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
        let mut fps: Vec<&str> = PINS.iter().map(|p| p.sha256).collect();
        fps.sort_unstable();
        fps.dedup();
        assert_eq!(fps.len(), PINS.len());
    }

    #[test]
    fn the_published_certificates_match_their_pins() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/trust");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return; // shared material absent: nothing to compare with
        };
        let mut matched = 0;
        for e in rd.flatten() {
            for c in std::fs::read(e.path())
                .map(|d| crate::cms::bundle::certificates(&d))
                .unwrap_or_default()
            {
                if pin_of(&c).is_some() {
                    matched += 1;
                }
            }
        }
        assert_eq!(
            matched,
            PINS.len(),
            "every pin has its published certificate in shared/trust"
        );
    }
}
