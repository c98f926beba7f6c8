//! Trust anchors. The Vietnamese roots and intermediates ship with Kyso ([`builtin`]: the
//! public certificates of the official-duty and public hierarchies, each pinned by SHA-256);
//! the user may switch any of them off, import more that match a pin, or add their own
//! anchors (custom) into the config folder. Intermediates met while verifying (in documents,
//! or fetched from a certificate's AIA address) are kept in the data folder ([`cache`]), with
//! the revocation data met or fetched, so a later check works offline.
//!
//! Real government documents embed the signer's certificate but not the VGCA intermediates,
//! so shipped, imported and kept intermediates are offered to path building.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    aia;
    builtin;
    crl;
    ocsp;
    online;
    path;
    tsa;
    tst;
}
pub mod cache;

use der::Encode;
use x509_cert::Certificate;

use crate::cert;
pub use builtin::{Pin, PINS};

/// Role of a pinned certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Self-signed root: a trust anchor.
    Root,
    /// Issuing CA: helps build paths (it still has to chain to a root).
    Intermediate,
}

/// Which hierarchy a trust anchor belongs to (`../shared/design/vn-pki.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum System {
    /// Official-duty certificates (chữ ký số chuyên dùng công vụ, Decree 68/2024): VGCA.
    Official,
    /// Public CAs under the Vietnam National Root CA (Decree 23/2025).
    Public,
    /// A custom or unknown anchor.
    Other,
}

impl System {
    /// From its name (`official`, `public`, `other`).
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "official" => Some(System::Official),
            "public" => Some(System::Public),
            "other" => Some(System::Other),
            _ => None,
        }
    }

    /// Its name for a clerk, Vietnamese or English (reports, the CLI).
    pub fn words(self, vi: bool) -> &'static str {
        match (self, vi) {
            (System::Official, true) => "chuyên dùng công vụ",
            (System::Official, false) => "official-duty",
            (System::Public, true) => "công cộng",
            (System::Public, false) => "public",
            (System::Other, true) => "khác",
            (System::Other, false) => "other",
        }
    }
}

/// Where a trusted certificate comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Shipped with Kyso.
    BuiltIn,
    /// Imported by the user and matching a pin.
    Imported,
    /// Imported by the user as their own anchor.
    Custom,
    /// Met while verifying (a document, an AIA address) and kept in the data folder: offered
    /// to path building, never trusted by itself.
    Kept,
}

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
    /// No trusted certificate has that fingerprint.
    #[error("no trusted certificate has a SHA-256 starting with {0}; see the list")]
    Unknown(String),
    /// Several do: a longer prefix is needed.
    #[error("several trusted certificates have a SHA-256 starting with {0}; give more digits")]
    Ambiguous(String),
    /// A system declared for a certificate that is not a custom anchor.
    #[error("only your own (custom) anchors can be declared official or public; {0} is a pinned authority")]
    NotCustom(String),
    /// I/O.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// One trusted (or kept) certificate, as the trust list shows it.
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
    /// Built in, imported, custom, or kept from a check.
    pub source: Source,
    /// Which hierarchy (for a custom anchor: what the user declared, else `other`).
    pub system: System,
    /// Whether it is used (the user may switch one off).
    pub enabled: bool,
}

/// Certificates the user imported, in `<config>/trust/`.
pub struct TrustStore {
    dir: PathBuf,
    /// Trust anchors (roots, custom anchors).
    pub anchors: Vec<Certificate>,
    /// Intermediates offered to path building.
    pub intermediates: Vec<Certificate>,
    /// Systems the user declared for custom anchors (SHA-256 → system).
    pub declared: HashMap<String, System>,
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
    /// The hierarchy of each anchor that is not `other` (SHA-256 → system).
    pub systems: HashMap<String, System>,
}

impl Material {
    /// The user's trust: the shipped authorities (less those switched off in the settings),
    /// the store in `config` (pinned authorities imported, custom anchors), the anchor files
    /// named in the settings, and `extra` anchor files for this run. A named file without a
    /// certificate is an error, not silently nothing.
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
        let off = |c: &Certificate| settings.trust_disabled.contains(&cert::fingerprint(c));
        let store = TrustStore::open(config);
        let mut systems: HashMap<String, System> = store
            .declared
            .iter()
            .filter(|(_, s)| **s != System::Other)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        anchors.extend(store.anchors.into_iter().filter(|c| !off(c)));
        let mut intermediates: Vec<Certificate> =
            store.intermediates.into_iter().filter(|c| !off(c)).collect();
        for (pin, c) in builtin::certificates() {
            if settings.trust_disabled.iter().any(|d| d == pin.sha256) {
                continue;
            }
            systems.insert(pin.sha256.to_string(), pin.system);
            let list = if pin.role == Role::Root {
                &mut anchors
            } else {
                &mut intermediates
            };
            if !list.contains(c) {
                list.push(c.clone());
            }
        }
        Ok(Self {
            anchors,
            intermediates,
            systems,
            network: crate::net::NetPolicy::allowing(&settings.intranet_servers),
        })
    }

    /// [`Material::load`] plus the intermediates kept in the data folder from earlier checks
    /// (what the CLI, the app and the bridge check with).
    pub fn for_user(
        folders: &crate::folders::Folders,
        settings: &crate::settings::Settings,
        extra: &[PathBuf],
    ) -> Result<Self, TrustError> {
        let mut m = Self::load(&folders.config, settings, extra)?;
        for c in cache::Cache::new(&folders.data).kept_intermediates() {
            if !settings.trust_disabled.contains(&cert::fingerprint(&c)) && !m.intermediates.contains(&c) {
                m.intermediates.push(c);
            }
        }
        Ok(m)
    }

    /// The hierarchy a path ending at `anchor` belongs to.
    pub fn system_of(&self, anchor: &Certificate) -> System {
        system_in(&self.systems, anchor)
    }
}

/// The hierarchy of `anchor` in `systems` (SHA-256 → system), `other` when not listed.
pub fn system_in(systems: &HashMap<String, System>, anchor: &Certificate) -> System {
    systems
        .get(&cert::fingerprint(anchor))
        .copied()
        .unwrap_or(System::Other)
}

fn pin_of(c: &Certificate) -> Option<&'static Pin> {
    builtin::pin_of(c)
}

impl TrustStore {
    /// Opens (or starts) the store in `config/trust`.
    pub fn open(config: &Path) -> Self {
        let dir = config.join("trust");
        let declared = std::fs::read(dir.join("declared.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut s = Self {
            dir,
            anchors: Vec::new(),
            intermediates: Vec::new(),
            declared,
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
        self.import_as(data, allow_custom, None)
    }

    /// [`TrustStore::import`], declaring the hierarchy of custom anchors (an organisation's
    /// own official-duty or public test hierarchy); pinned authorities keep their own.
    pub fn import_as(
        &mut self,
        data: &[u8],
        allow_custom: bool,
        system: Option<System>,
    ) -> Result<Vec<Entry>, TrustError> {
        let certs = crate::cms::bundle::certificates(data);
        if certs.is_empty() {
            return Err(TrustError::Empty);
        }
        // Check everything first: an import is all or nothing.
        for c in &certs {
            let subject = cert::name_to_string(&c.tbs_certificate.subject);
            if pin_of(c).is_none() {
                if !allow_custom {
                    return Err(TrustError::NotPinned {
                        subject,
                        sha256: cert::fingerprint(c),
                    });
                }
                if !cert::is_ca(c) {
                    return Err(TrustError::NotCa(subject));
                }
            } else if system.is_some() {
                return Err(TrustError::NotCustom(subject));
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
            let fp = cert::fingerprint(&c);
            crate::files::write_atomic(
                &self.dir.join(sub).join(format!("{fp}.der")),
                &c.to_der().unwrap_or_default(),
            )?;
            if let (Some(sys), None) = (system, pin_of(&c)) {
                self.declared.insert(fp.clone(), sys);
                crate::files::write_atomic(
                    &self.dir.join("declared.json"),
                    &serde_json::to_vec_pretty(&self.declared).unwrap_or_default(),
                )?;
            }
            let list = if role == Role::Root {
                &mut self.anchors
            } else {
                &mut self.intermediates
            };
            if !list.iter().any(|x| cert::fingerprint(x) == fp) {
                list.push(c.clone());
            }
            out.push(self.entry(&c, role, &[]));
        }
        Ok(out)
    }

    /// Everything the user stored (imported and custom).
    pub fn list(&self) -> Vec<Entry> {
        self.anchors
            .iter()
            .map(|c| self.entry(c, Role::Root, &[]))
            .chain(
                self.intermediates
                    .iter()
                    .map(|c| self.entry(c, Role::Intermediate, &[])),
            )
            .collect()
    }

    fn entry(&self, c: &Certificate, role: Role, disabled: &[String]) -> Entry {
        let pin = pin_of(c);
        let fp = cert::fingerprint(c);
        Entry {
            subject: cert::name_to_string(&c.tbs_certificate.subject),
            system: pin.map_or_else(
                || self.declared.get(&fp).copied().unwrap_or(System::Other),
                |p| p.system,
            ),
            enabled: !disabled.contains(&fp),
            sha256: fp,
            role,
            pinned_as: pin.map(|p| p.name),
            not_after: crate::timefmt::rfc3339(cert::validity(c).1),
            source: if pin.is_some() {
                Source::Imported
            } else {
                Source::Custom
            },
        }
    }
}

/// Everything Kyso trusts or keeps for this user, built-in first: the shipped authorities,
/// what the user imported, their own anchors, and (with `data`) the intermediates kept from
/// earlier checks; each says whether it is switched on.
pub fn overview(config: &Path, settings: &crate::settings::Settings, data: Option<&Path>) -> Vec<Entry> {
    let off = &settings.trust_disabled;
    let store = TrustStore::open(config);
    let mut out: Vec<Entry> = builtin::certificates()
        .iter()
        .map(|(p, c)| Entry {
            subject: cert::name_to_string(&c.tbs_certificate.subject),
            sha256: p.sha256.to_string(),
            role: p.role,
            pinned_as: Some(p.name),
            not_after: crate::timefmt::rfc3339(cert::validity(c).1),
            source: Source::BuiltIn,
            system: p.system,
            enabled: !off.iter().any(|d| d == p.sha256),
        })
        .collect();
    let mut stored: Vec<Entry> = store
        .anchors
        .iter()
        .map(|c| store.entry(c, Role::Root, off))
        .chain(
            store
                .intermediates
                .iter()
                .map(|c| store.entry(c, Role::Intermediate, off)),
        )
        .collect();
    // A pinned authority imported by hand is also built in: listed once, as built in.
    stored.retain(|e| e.source == Source::Custom);
    out.extend(stored);
    if let Some(data) = data {
        for c in cache::Cache::new(data).kept_intermediates() {
            let fp = cert::fingerprint(&c);
            if out.iter().any(|e| e.sha256 == fp) {
                continue;
            }
            out.push(Entry {
                subject: cert::name_to_string(&c.tbs_certificate.subject),
                enabled: !off.contains(&fp),
                sha256: fp,
                role: Role::Intermediate,
                pinned_as: None,
                not_after: crate::timefmt::rfc3339(cert::validity(&c).1),
                source: Source::Kept,
                system: System::Other,
            });
        }
    }
    out
}

/// Fetches the current CRLs of the authorities Kyso trusts (shipped and switched on,
/// imported, custom, kept) and of every CRL address met while verifying, into the data
/// folder's cache; one line per address, with what failed. Never called offline.
pub fn refresh(
    folders: &crate::folders::Folders,
    settings: &crate::settings::Settings,
) -> Vec<cache::Refreshed> {
    let m = Material::for_user(folders, settings, &[]).unwrap_or_default();
    let cas: Vec<Certificate> = m.anchors.into_iter().chain(m.intermediates).collect();
    let known: Vec<(String, String)> = PINS
        .iter()
        .filter(|p| !p.crl.is_empty() && !settings.trust_disabled.iter().any(|d| d == p.sha256))
        .map(|p| (p.sha256.to_string(), p.crl.to_string()))
        .collect();
    cache::Cache::new(&folders.data).refresh(&cas, &known)
}

/// The full SHA-256 of the one listed certificate whose fingerprint starts with `prefix`
/// (at least 8 hex digits), for switching it off or on.
pub fn resolve(entries: &[Entry], prefix: &str) -> Result<String, TrustError> {
    let p = prefix.trim().to_ascii_lowercase().replace(':', "");
    if p.len() < 8 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(TrustError::Unknown(prefix.to_string()));
    }
    let mut found: Vec<&str> = entries
        .iter()
        .filter(|e| e.sha256.starts_with(&p))
        .map(|e| e.sha256.as_str())
        .collect();
    found.dedup();
    match found.as_slice() {
        [one] => Ok((*one).to_string()),
        [] => Err(TrustError::Unknown(prefix.to_string())),
        _ => Err(TrustError::Ambiguous(prefix.to_string())),
    }
}

/// Switches the certificate `sha256` off (or back on) in `settings`; the caller saves them.
pub fn set_enabled(settings: &mut crate::settings::Settings, sha256: &str, enabled: bool) {
    settings.trust_disabled.retain(|d| d != sha256);
    if !enabled {
        settings.trust_disabled.push(sha256.to_string());
        settings.trust_disabled.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_authorities_are_trusted_on_a_fresh_install_and_can_be_switched_off() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut settings = crate::settings::Settings::default();
        let m = Material::load(dir.path(), &settings, &[]).unwrap_or_else(|e| panic!("{e}"));
        let roots = PINS.iter().filter(|p| p.role == Role::Root).count();
        assert_eq!(m.anchors.len(), roots);
        assert_eq!(m.intermediates.len(), PINS.len() - roots);
        let g2 = builtin::by_fingerprint("f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8")
            .and_then(Pin::certificate)
            .unwrap_or_else(|| panic!("G2 root shipped"));
        assert_eq!(m.system_of(&g2), System::Official);
        let list = overview(dir.path(), &settings, None);
        let fp = resolve(&list, "F0:4B:A4:B4").unwrap_or_else(|e| panic!("{e}"));
        set_enabled(&mut settings, &fp, false);
        let m = Material::load(dir.path(), &settings, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.anchors.len(), roots - 1);
        assert!(!m.anchors.contains(&g2));
        assert!(!overview(dir.path(), &settings, None)
            .iter()
            .any(|e| e.sha256 == fp && e.enabled));
        assert!(matches!(
            resolve(&list, "0000000000"),
            Err(TrustError::Unknown(_))
        ));
        assert!(matches!(resolve(&list, "f0"), Err(TrustError::Unknown(_))));
    }
}
