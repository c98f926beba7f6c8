//! What checks keep in the user's data folder so that the next check works offline:
//!
//! - `revocation/crl/`, `revocation/ocsp/`: the newest CRL of each issuing CA and the newest
//!   OCSP response for each certificate met while verifying (embedded in a document or
//!   fetched) or fetched by a refresh (`kyso trust refresh`, the app's start);
//! - `revocation/sources.json`: the CRL addresses met, with their issuer, so a refresh
//!   fetches them again;
//! - `intermediates/`: CA certificates met on a trusted path (in documents, or downloaded
//!   from a certificate's AIA address), offered to later path building — never trusted by
//!   themselves.
//!
//! Everything is written with [`crate::files::write_atomic`] (temporary file, flushed,
//! renamed): a killed process leaves the old entry or the new one, never half of one. Every
//! entry is checked again when read (a CRL or OCSP response must verify against its issuer),
//! so a damaged or foreign file is ignored, not believed. The revocation folder is bounded:
//! past [`MAX_BYTES`] the least recently written entries go first.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use der::{Decode, Encode};
use x509_cert::Certificate;

use super::crl::{self, CrlStatus};
use super::ocsp::{self, OcspStatus};
use crate::cert;
use crate::crypto::HashAlg;

/// Most bytes of revocation data kept.
pub const MAX_BYTES: u64 = 128 << 20;
/// Most intermediates kept.
const MAX_KEPT: usize = 1000;
/// Most CRL addresses remembered for refreshes.
const MAX_SOURCES: usize = 256;

/// The cache in one data folder (cheap to clone: a path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

/// What saved evidence says about a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// `CRL` or `OCSP`.
    pub kind: &'static str,
    /// Revoked at this time, or not revoked (`None`).
    pub revoked_at: Option<i64>,
    /// thisUpdate of the evidence.
    pub this_update: i64,
    /// nextUpdate of the evidence: after it, newer information must exist.
    pub next_update: Option<i64>,
}

impl Saved {
    /// Whether it may still be used at `now` (before its nextUpdate; evidence without a
    /// nextUpdate is never current once saved: RFC 5280 §5.1.2.5, RFC 6960 §4.2.2.1).
    pub fn current(&self, now: i64) -> bool {
        self.next_update.is_some_and(|n| now <= n)
    }
}

/// A CRL address met while verifying, and its issuer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CrlSource {
    /// http(s) address.
    pub url: String,
    /// SHA-256 of the issuing CA's certificate.
    pub issuer: String,
}

/// One CRL fetched by a refresh.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Refreshed {
    /// Address.
    pub url: String,
    /// Issuing CA (common name).
    pub issuer: String,
    /// thisUpdate, RFC 3339.
    pub this_update: Option<String>,
    /// nextUpdate, RFC 3339.
    pub next_update: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// File contents read before, by path and (length, modification time): an inbox of documents
/// from one authority reads its CRL once.
type Memo = Mutex<HashMap<PathBuf, ((u64, std::time::SystemTime), Arc<Vec<u8>>)>>;

fn read_memo(path: &Path) -> Option<Arc<Vec<u8>>> {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > crate::net::fetch::MAX_CRL {
        return None;
    }
    let stamp = (meta.len(), meta.modified().ok()?);
    if let Some((s, d)) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
        if *s == stamp {
            return Some(d.clone());
        }
    }
    let data = Arc::new(std::fs::read(path).ok()?);
    let mut m = memo.lock().unwrap_or_else(|e| e.into_inner());
    if m.len() >= 64 {
        m.clear();
    }
    m.insert(path.to_path_buf(), (stamp, data.clone()));
    Some(data)
}

fn hex_key(parts: &[&[u8]]) -> String {
    let mut h = crate::crypto::Hasher::new(HashAlg::Sha256);
    for p in parts {
        h.update(&(p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(&h.finish()[..16])
}

/// Key of an issuing CA: its name and key.
fn issuer_key(issuer: &Certificate) -> String {
    let name = issuer.tbs_certificate.subject.to_der().unwrap_or_default();
    let spki = issuer
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap_or_default();
    hex_key(&[&name, &spki])
}

/// Key of one certificate of that CA.
fn cert_key(cert: &Certificate, issuer: &Certificate) -> String {
    hex_key(&[
        issuer_key(issuer).as_bytes(),
        cert.tbs_certificate.serial_number.as_bytes(),
    ])
}

fn ocsp_next_update(der: &[u8], cert: &Certificate) -> Option<Option<i64>> {
    let resp = x509_ocsp::OcspResponse::from_der(der).ok()?;
    let bytes = resp.response_bytes?;
    let basic = x509_ocsp::BasicOcspResponse::from_der(bytes.response.as_bytes()).ok()?;
    basic
        .tbs_response_data
        .responses
        .iter()
        .find(|s| s.cert_id.serial_number == cert.tbs_certificate.serial_number)
        .map(|s| s.next_update.map(|t| t.0.to_unix_duration().as_secs() as i64))
}

/// Written in this process already (key and thisUpdate): a folder of documents from one
/// authority does not rewrite the same CRL for each.
fn first_time(key: &str, this_update: i64) -> bool {
    static DONE: OnceLock<Mutex<HashSet<(String, i64)>>> = OnceLock::new();
    let done = DONE.get_or_init(|| Mutex::new(HashSet::new()));
    let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
    if d.len() > 10_000 {
        d.clear();
    }
    d.insert((key.to_string(), this_update))
}

/// How much revocation data is kept and how old the newest is (for the self-check).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Contents {
    /// CRLs and OCSP responses kept.
    pub entries: usize,
    /// Their size in bytes.
    pub bytes: u64,
    /// When the newest was written (Unix seconds), if any.
    pub newest: Option<i64>,
}

impl Cache {
    /// What the revocation folder holds now (read from the files' sizes and times only).
    pub fn contents(&self) -> Contents {
        let mut c = Contents::default();
        for sub in ["revocation/crl", "revocation/ocsp"] {
            let Ok(dir) = std::fs::read_dir(self.dir.join(sub)) else {
                continue;
            };
            for e in dir.flatten() {
                let Ok(m) = e.metadata() else { continue };
                if !m.is_file() {
                    continue;
                }
                c.entries += 1;
                c.bytes += m.len();
                let written = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map(|d| d.as_secs() as i64);
                c.newest = c.newest.max(written);
            }
        }
        c
    }

    /// The cache in the data folder `data`.
    pub fn new(data: &Path) -> Self {
        Self {
            dir: data.to_path_buf(),
        }
    }

    fn crl_path(&self, issuer: &Certificate) -> PathBuf {
        self.dir
            .join("revocation/crl")
            .join(format!("{}.crl", issuer_key(issuer)))
    }

    fn ocsp_path(&self, cert: &Certificate, issuer: &Certificate) -> PathBuf {
        self.dir
            .join("revocation/ocsp")
            .join(format!("{}.ocsp", cert_key(cert, issuer)))
    }

    /// Keeps `der`, a CRL from `issuer`, unless a CRL at least as new is kept already.
    /// Returns its dates when it is a CRL of that issuer.
    pub fn put_crl(&self, der: &[u8], issuer: &Certificate) -> Option<crl::CrlInfo> {
        let info = crl::info(der, issuer)?;
        let path = self.crl_path(issuer);
        if !first_time(&path.to_string_lossy(), info.this_update) {
            return Some(info);
        }
        let newer_kept = read_memo(&path)
            .and_then(|d| crl::info(&d, issuer))
            .is_some_and(|k| k.this_update >= info.this_update);
        if !newer_kept && crate::files::write_atomic(&path, der).is_ok() {
            self.bound(&path);
        }
        Some(info)
    }

    /// Keeps `der`, an OCSP response about `cert` from (or for) `issuer`, unless a newer one
    /// is kept already.
    pub fn put_ocsp(&self, der: &[u8], cert: &Certificate, issuer: &Certificate) {
        let this_update = match ocsp::check(der, cert, issuer, None) {
            Ok(OcspStatus::Good { this_update }) => this_update,
            Ok(OcspStatus::Revoked { at }) => at,
            _ => return,
        };
        let path = self.ocsp_path(cert, issuer);
        if !first_time(&path.to_string_lossy(), this_update) {
            return;
        }
        let newer_kept = self
            .saved_ocsp(cert, issuer)
            .is_some_and(|s| s.this_update >= this_update);
        if !newer_kept && crate::files::write_atomic(&path, der).is_ok() {
            self.bound(&path);
        }
    }

    fn saved_ocsp(&self, cert: &Certificate, issuer: &Certificate) -> Option<Saved> {
        let d = read_memo(&self.ocsp_path(cert, issuer))?;
        let (revoked_at, this_update) = match ocsp::check(&d, cert, issuer, None).ok()? {
            OcspStatus::Good { this_update } => (None, this_update),
            OcspStatus::Revoked { at } => (Some(at), at),
            OcspStatus::Unknown => return None,
        };
        Some(Saved {
            kind: "OCSP",
            revoked_at,
            this_update,
            next_update: ocsp_next_update(&d, cert).flatten(),
        })
    }

    fn saved_crl(&self, cert: &Certificate, issuer: &Certificate) -> Option<Saved> {
        let d = read_memo(&self.crl_path(issuer))?;
        let info = crl::info(&d, issuer)?;
        let revoked_at = match crl::check(&d, cert, issuer)? {
            CrlStatus::Good { .. } => None,
            CrlStatus::Revoked { at } => Some(at),
        };
        Some(Saved {
            kind: "CRL",
            revoked_at,
            this_update: info.this_update,
            next_update: info.next_update,
        })
    }

    /// The newest saved evidence about `cert` (issued by `issuer`): a revocation in any of
    /// it wins (a revocation is never undone), else the newest.
    pub fn lookup(&self, cert: &Certificate, issuer: &Certificate) -> Option<Saved> {
        let all: Vec<Saved> = [self.saved_ocsp(cert, issuer), self.saved_crl(cert, issuer)]
            .into_iter()
            .flatten()
            .collect();
        if let Some(r) = all.iter().find(|s| s.revoked_at.is_some()) {
            return Some(r.clone());
        }
        all.into_iter().max_by_key(|s| s.this_update)
    }

    /// Remembers the CRL addresses `cert` names (issued by `issuer`), for refreshes.
    pub fn note_sources(&self, cert: &Certificate, issuer: &Certificate) {
        static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
        let urls = crl::distribution_points(cert);
        if urls.is_empty() {
            return;
        }
        let issuer_fp = cert::fingerprint(issuer);
        let seen = SEEN.get_or_init(|| Mutex::new(HashSet::new()));
        let fresh: Vec<CrlSource> = urls
            .into_iter()
            .map(|url| CrlSource {
                url,
                issuer: issuer_fp.clone(),
            })
            .filter(|s| {
                seen.lock().unwrap_or_else(|e| e.into_inner()).insert(format!(
                    "{}|{}|{}",
                    self.dir.display(),
                    s.url,
                    s.issuer
                ))
            })
            .collect();
        if fresh.is_empty() {
            return;
        }
        // One writer at a time in this process; another process may race, and then one of
        // the two lists wins whole (atomic rename), which only costs a remembered address.
        static ONE: Mutex<()> = Mutex::new(());
        let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = self.sources();
        let before = all.len();
        for s in fresh {
            if !all.contains(&s) {
                all.push(s);
            }
        }
        if all.len() != before {
            let skip = all.len().saturating_sub(MAX_SOURCES);
            let kept: Vec<&CrlSource> = all.iter().skip(skip).collect();
            let _ = crate::files::write_atomic(
                &self.dir.join("revocation/sources.json"),
                &serde_json::to_vec_pretty(&kept).unwrap_or_default(),
            );
        }
    }

    /// The CRL addresses met so far.
    pub fn sources(&self) -> Vec<CrlSource> {
        std::fs::read(self.dir.join("revocation/sources.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The intermediates kept from earlier checks.
    pub fn kept_intermediates(&self) -> Vec<Certificate> {
        let Ok(rd) = std::fs::read_dir(self.dir.join("intermediates")) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "der"))
            .collect();
        paths.sort();
        paths
            .iter()
            .take(MAX_KEPT)
            .filter_map(|p| {
                let d = std::fs::read(p).ok()?;
                let c = Certificate::from_der(&d).ok()?;
                // A file is named for what it holds; anything else is ignored.
                (cert::is_ca(&c)
                    && p.file_stem()
                        .is_some_and(|s| s.to_string_lossy() == cert::fingerprint(&c)))
                .then_some(c)
            })
            .collect()
    }

    /// Keeps the CA certificates among `certs` (met on a trusted path) for later checks.
    pub fn keep_intermediates(&self, certs: &[Certificate]) {
        let dir = self.dir.join("intermediates");
        for c in certs.iter().filter(|c| cert::is_ca(c)) {
            let path = dir.join(format!("{}.der", cert::fingerprint(c)));
            if path.exists() {
                continue;
            }
            let count = std::fs::read_dir(&dir).map(|r| r.count()).unwrap_or(0);
            if count >= MAX_KEPT {
                return;
            }
            let _ = crate::files::write_atomic(&path, &cert::der_of(c));
        }
    }

    /// Removes the least recently written revocation entries until the folder is under
    /// [`MAX_BYTES`], never `keep` (the entry just written).
    fn bound(&self, keep: &Path) {
        bound_folder(&self.dir.join("revocation"), MAX_BYTES, keep);
    }

    /// Fetches the current CRL of each CA in `cas` (their published addresses, those of the
    /// certificates themselves, and those met while verifying) and keeps each that its
    /// issuer signed. `known`: published subscriber-CRL addresses by CA fingerprint.
    pub fn refresh<'c>(&self, cas: &'c [Certificate], known: &[(String, String)]) -> Vec<Refreshed> {
        let by_fp: HashMap<String, &Certificate> = cas.iter().map(|c| (cert::fingerprint(c), c)).collect();
        // (url, issuer) pairs, each address once.
        let mut jobs: Vec<(String, &Certificate)> = Vec::new();
        let mut push = |url: String, issuer: Option<&'c Certificate>| {
            if let Some(c) = issuer {
                if !jobs.iter().any(|(u, _)| *u == url) {
                    jobs.push((url, c));
                }
            }
        };
        for (fp, url) in known {
            push(url.clone(), by_fp.get(fp).copied());
        }
        for s in self.sources() {
            push(s.url.clone(), by_fp.get(&s.issuer).copied());
        }
        for c in cas {
            // A CA certificate's own CRL comes from its issuer, when that is one of `cas`.
            let issuer = cas.iter().find(|i| {
                i.tbs_certificate.subject == c.tbs_certificate.issuer && super::path::signed_by(c, i)
            });
            for url in crl::distribution_points(c) {
                push(url, issuer);
            }
        }
        let mut out = Vec::new();
        for (url, issuer) in jobs {
            let name = cert::identity(issuer).common_name.unwrap_or_default();
            let r = crate::net::fetch::get(&url, crate::net::fetch::MAX_CRL)
                .map_err(|e| e.to_string())
                .and_then(|d| {
                    self.put_crl(&d, issuer)
                        .ok_or_else(|| "not a CRL signed by its issuer".to_string())
                });
            out.push(match r {
                Ok(i) => Refreshed {
                    url,
                    issuer: name,
                    this_update: Some(crate::timefmt::rfc3339(i.this_update)),
                    next_update: i.next_update.map(crate::timefmt::rfc3339),
                    error: None,
                },
                Err(e) => Refreshed {
                    url,
                    issuer: name,
                    this_update: None,
                    next_update: None,
                    error: Some(e),
                },
            });
        }
        out
    }
}

/// Deletes the oldest files under `dir` (by modification time) until the total is at most
/// `max` bytes, keeping `keep`.
fn bound_folder(dir: &Path, max: u64, keep: &Path) {
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for sub in ["crl", "ocsp"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in rd.flatten() {
            if let Ok(m) = e.metadata() {
                // A temporary file a killed process left behind is never an entry.
                let name = e.file_name().to_string_lossy().into_owned();
                let stale = m
                    .modified()
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > std::time::Duration::from_secs(600));
                if name.starts_with(".kyso-") && name.ends_with(".part") && stale {
                    let _ = std::fs::remove_file(e.path());
                    continue;
                }
                if m.is_file() {
                    files.push((m.modified().unwrap_or(std::time::UNIX_EPOCH), m.len(), e.path()));
                }
            }
        }
    }
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    files.sort();
    for (_, len, path) in files {
        if total <= max {
            break;
        }
        if path == keep {
            continue;
        }
        if std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_stays_under_its_bound_oldest_first() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let crl = dir.path().join("crl");
        std::fs::create_dir_all(&crl).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..5 {
            std::fs::write(crl.join(format!("{i}.crl")), vec![0u8; 1000]).unwrap_or_else(|e| panic!("{e}"));
            // Distinct modification times, oldest first.
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        bound_folder(dir.path(), 2500, &crl.join("0.crl"));
        let mut left: Vec<String> = std::fs::read_dir(&crl)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["0.crl", "4.crl"]);
    }

    #[test]
    fn damaged_or_foreign_entries_are_ignored() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let cache = Cache::new(dir.path());
        let (_, ca) = &super::super::builtin::certificates()[0];
        // A half-written temporary file and garbage where a CRL would be.
        let path = cache.crl_path(ca);
        std::fs::create_dir_all(path.parent().unwrap_or(dir.path())).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, b"not a CRL").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(path.with_file_name(".kyso-abc.part"), b"half").unwrap_or_else(|e| panic!("{e}"));
        assert!(cache.lookup(ca, ca).is_none());
        assert!(cache.put_crl(b"garbage", ca).is_none());
        // Intermediates: a file not named for its certificate is not believed.
        let inter = dir.path().join("intermediates");
        std::fs::create_dir_all(&inter).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(inter.join("00.der"), cert::der_of(ca)).unwrap_or_else(|e| panic!("{e}"));
        assert!(cache.kept_intermediates().is_empty());
        cache.keep_intermediates(std::slice::from_ref(ca));
        assert_eq!(cache.kept_intermediates(), vec![ca.clone()]);
    }
}
