//! Signed updates. Kyso's release key (Ed25519) signs a small JSON manifest naming the new
//! version and, per platform, the installer's address, size and SHA-256. Kyso trusts an
//! update only when:
//! - the manifest's signature (`manifest.json.sig`, 64 bytes, over the manifest's exact
//!   bytes) verifies under a release key compiled into this build — checked before the
//!   manifest is even parsed; no signature, a bad one or one by another key is refused;
//! - it names this product and a version newer than the running one (an older signed
//!   manifest replayed by a mirror or an attacker is refused as a downgrade);
//! - the downloaded installer has exactly the size and SHA-256 the manifest gives.
//!
//! Nothing here installs anything: the app shows the offer and starts the installer only
//! after the user agrees (no silent installs). The release public keys come from the build
//! (`KYSO_UPDATE_KEY`, hex, comma-separated for a key rotation); a build without one has
//! updates switched off. A test key is never compiled into a release build: tests pass
//! their keys to [`check`] directly.
//!
//! Make a manifest with `scripts/make-update-manifest.sh` (OpenSSL signs it).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64ct::Encoding;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

/// The product name a manifest must carry.
pub const PRODUCT: &str = "kyso";
/// Largest manifest (or signature file) read.
pub const MAX_MANIFEST: u64 = 64 << 10;
/// Largest installer accepted.
pub const MAX_INSTALLER: u64 = 512 << 20;

/// The platform name of this build in a manifest's `installers`.
pub fn platform() -> &'static str {
    if cfg!(windows) {
        "windows-x86_64"
    } else {
        "linux-x86_64"
    }
}

/// The running version.
pub fn current_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The release keys compiled into this build (`KYSO_UPDATE_KEY` at build time); empty when the
/// build has none, which switches updates off.
pub fn release_keys() -> Vec<[u8; 32]> {
    option_env!("KYSO_UPDATE_KEY").map(parse_keys).unwrap_or_default()
}

/// The manifest address compiled into this build (`KYSO_UPDATE_URL`), if any.
pub fn default_manifest_url() -> Option<&'static str> {
    option_env!("KYSO_UPDATE_URL").filter(|u| !u.is_empty())
}

/// Public keys from hex text (64 hex digits each, separated by commas or white space);
/// anything that is not a key is skipped.
pub fn parse_keys(text: &str) -> Vec<[u8; 32]> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter_map(|k| hex::decode(k.trim()).ok())
        .filter_map(|k| <[u8; 32]>::try_from(k.as_slice()).ok())
        .collect()
}

/// Why an update was refused or could not be checked. `code()` is stable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UpdateError {
    /// This build has no release key.
    #[error("this build of Kyso has no update key: updates are off (install new versions by hand)")]
    NoKey,
    /// No update address is set.
    #[error("no update address is set")]
    NoUrl,
    /// The address is not https (or http on this computer).
    #[error("update address {0} refused: only https:// (or http:// on this computer) is used")]
    BadUrl(String),
    /// The manifest has no signature.
    #[error("the update manifest is not signed; it was ignored")]
    Unsigned,
    /// The signature does not verify under a release key.
    #[error("the update manifest's signature is not from Kyso's release key (or the manifest was changed); it was ignored")]
    BadSignature,
    /// Signed, but not understood.
    #[error("the update manifest cannot be read: {0}")]
    Malformed(String),
    /// Signed, but for another product.
    #[error("the update manifest is for \"{0}\", not Kyso")]
    WrongProduct(String),
    /// Signed, but older than what runs.
    #[error(
        "the update offers version {offered}, older than the installed {current}; refused (a downgrade)"
    )]
    Downgrade {
        /// The manifest's version.
        offered: String,
        /// The running version.
        current: String,
    },
    /// Nothing for this platform.
    #[error("the update {0} has no installer for this computer ({1})")]
    NoInstaller(String, String),
    /// The download is not what the manifest promised.
    #[error("the downloaded installer does not match the signed manifest ({0}); it was deleted")]
    Mismatch(String),
    /// Network or server.
    #[error("update server: {0}")]
    Network(String),
    /// Local file system.
    #[error("saving the update: {0}")]
    Io(#[from] std::io::Error),
}

impl UpdateError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoKey => "UPDATE_NO_KEY",
            Self::NoUrl => "UPDATE_NO_URL",
            Self::BadUrl(_) => "UPDATE_BAD_URL",
            Self::Unsigned => "UPDATE_UNSIGNED",
            Self::BadSignature => "UPDATE_BAD_SIGNATURE",
            Self::Malformed(_) | Self::WrongProduct(_) => "UPDATE_MALFORMED",
            Self::Downgrade { .. } => "UPDATE_DOWNGRADE",
            Self::NoInstaller(..) => "UPDATE_NO_INSTALLER",
            Self::Mismatch(_) => "UPDATE_DIGEST_MISMATCH",
            Self::Network(_) => "UPDATE_NETWORK",
            Self::Io(_) => "UPDATE_IO",
        }
    }
}

/// Release notes in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notes {
    /// Vietnamese.
    #[serde(default)]
    pub vi: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

/// One installer in a manifest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Installer {
    /// `windows-x86_64` or `linux-x86_64`.
    pub platform: String,
    /// Where to download it.
    pub url: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The signed manifest.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// Always `kyso`.
    pub product: String,
    /// Semantic version of the release.
    pub version: String,
    /// Release date (YYYY-MM-DD), shown to the user.
    #[serde(default)]
    pub released: String,
    /// What changed.
    #[serde(default)]
    pub notes: Notes,
    /// One per platform.
    pub installers: Vec<Installer>,
}

/// What the user is asked about.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Offer {
    /// The new version.
    pub version: String,
    /// The running version.
    pub current: String,
    /// Release date.
    pub released: String,
    /// What changed.
    pub notes: Notes,
    /// Download address.
    pub url: String,
    /// SHA-256 of the installer, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The result of a check that passed every test.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Check {
    /// The manifest names the running version.
    UpToDate {
        /// That version.
        version: String,
    },
    /// A newer version, for this platform.
    Available(Offer),
}

/// Only https, or plain http to this computer (tests, a local mirror): the signature and the
/// digest make the content safe either way, but a manifest address on the open network
/// should not be readable by everyone on the way.
pub fn check_url(url: &str) -> Result<(), UpdateError> {
    let lower = url.to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || [
            "http://127.0.0.1:",
            "http://127.0.0.1/",
            "http://localhost:",
            "http://localhost/",
            "http://[::1]:",
        ]
        .iter()
        .any(|p| lower.starts_with(p));
    if ok && !url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        Err(UpdateError::BadUrl(url.to_string()))
    }
}

/// Verifies `manifest` against `signature` (64 raw bytes, or their base64) under `keys`,
/// then reads it and decides. The signature is checked before the JSON is parsed.
pub fn check(
    manifest: &[u8],
    signature: Option<&[u8]>,
    keys: &[[u8; 32]],
    current: &str,
    platform: &str,
) -> Result<Check, UpdateError> {
    if keys.is_empty() {
        return Err(UpdateError::NoKey);
    }
    let sig = signature.ok_or(UpdateError::Unsigned)?;
    let sig = signature_bytes(sig).ok_or(UpdateError::BadSignature)?;
    let sig = Signature::from_bytes(&sig);
    let signed = keys.iter().any(|k| {
        VerifyingKey::from_bytes(k)
            .map(|vk| vk.verify_strict(manifest, &sig).is_ok())
            .unwrap_or(false)
    });
    if !signed {
        return Err(UpdateError::BadSignature);
    }
    let m: Manifest = serde_json::from_slice(manifest).map_err(|e| UpdateError::Malformed(e.to_string()))?;
    if m.product != PRODUCT {
        return Err(UpdateError::WrongProduct(m.product));
    }
    let offered = semver::Version::parse(&m.version)
        .map_err(|e| UpdateError::Malformed(format!("version {:?}: {e}", m.version)))?;
    let running = semver::Version::parse(current)
        .map_err(|e| UpdateError::Malformed(format!("running version {current:?}: {e}")))?;
    if offered < running {
        return Err(UpdateError::Downgrade {
            offered: m.version,
            current: current.to_string(),
        });
    }
    if offered == running {
        return Ok(Check::UpToDate { version: m.version });
    }
    let inst = m
        .installers
        .iter()
        .find(|i| i.platform == platform)
        .ok_or_else(|| UpdateError::NoInstaller(m.version.clone(), platform.to_string()))?;
    check_url(&inst.url)?;
    let digest = hex::decode(&inst.sha256).ok().filter(|d| d.len() == 32);
    if digest.is_none() {
        return Err(UpdateError::Malformed(format!("sha256 {:?}", inst.sha256)));
    }
    if inst.size == 0 || inst.size > MAX_INSTALLER {
        return Err(UpdateError::Malformed(format!("size {}", inst.size)));
    }
    Ok(Check::Available(Offer {
        version: m.version.clone(),
        current: current.to_string(),
        released: m.released.clone(),
        notes: m.notes.clone(),
        url: inst.url.clone(),
        sha256: inst.sha256.to_ascii_lowercase(),
        size: inst.size,
    }))
}

fn signature_bytes(data: &[u8]) -> Option<[u8; 64]> {
    if let Ok(raw) = <[u8; 64]>::try_from(data) {
        return Some(raw);
    }
    let text = std::str::from_utf8(data).ok()?.trim();
    let decoded = base64ct::Base64::decode_vec(text).ok()?;
    <[u8; 64]>::try_from(decoded.as_slice()).ok()
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .timeout_connect(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// GETs a small file; `Ok(None)` when the server says 404 (no such file).
fn get_small(url: &str) -> Result<Option<Vec<u8>>, UpdateError> {
    let mut resp = agent(Duration::from_secs(20))
        .get(url)
        .call()
        .map_err(|e| UpdateError::Network(format!("{url}: {e}")))?;
    match resp.status().as_u16() {
        200 => {}
        404 | 410 => return Ok(None),
        s => return Err(UpdateError::Network(format!("{url}: HTTP {s}"))),
    }
    resp.body_mut()
        .with_config()
        .limit(MAX_MANIFEST)
        .read_to_vec()
        .map(Some)
        .map_err(|e| UpdateError::Network(format!("{url}: {e}")))
}

/// Downloads `url` and `url.sig` and checks them ([`check`]).
pub fn fetch(url: &str, keys: &[[u8; 32]], current: &str, platform: &str) -> Result<Check, UpdateError> {
    if keys.is_empty() {
        return Err(UpdateError::NoKey);
    }
    check_url(url)?;
    let manifest = get_small(url)?.ok_or_else(|| UpdateError::Network(format!("{url}: HTTP 404")))?;
    let sig = get_small(&format!("{url}.sig"))?;
    check(&manifest, sig.as_deref(), keys, current, platform)
}

/// The file name an accepted installer is saved under.
pub fn installer_name(offer: &Offer, platform: &str) -> String {
    let ext = if platform.starts_with("windows") {
        "exe"
    } else {
        "deb"
    };
    crate::filename::safe_file_name(&format!("kyso-{}-{platform}.{ext}", offer.version), "kyso-update")
}

/// Downloads the offered installer into `dir`, checking its size while it arrives and its
/// SHA-256 at the end; only a matching file is kept (written to a temporary file and
/// renamed). `progress` gets the bytes received so far.
pub fn download(
    offer: &Offer,
    dir: &Path,
    platform: &str,
    progress: &mut dyn FnMut(u64),
) -> Result<PathBuf, UpdateError> {
    check_url(&offer.url)?;
    let mut resp = agent(Duration::from_secs(30 * 60))
        .get(&offer.url)
        .call()
        .map_err(|e| UpdateError::Network(format!("{}: {e}", offer.url)))?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(UpdateError::Network(format!("{}: HTTP {status}", offer.url)));
    }
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut reader = resp.body_mut().with_config().limit(offer.size + 1).reader();
    let mut hasher = Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(UpdateError::Network(format!("{}: {e}", offer.url))),
        };
        total += n as u64;
        if total > offer.size {
            return Err(UpdateError::Mismatch(format!(
                "larger than the {} bytes announced",
                offer.size
            )));
        }
        hasher.update(&buf[..n]);
        tmp.write_all(&buf[..n])?;
        progress(total);
    }
    if total != offer.size {
        return Err(UpdateError::Mismatch(format!(
            "{total} bytes instead of {}",
            offer.size
        )));
    }
    let got = hex::encode(hasher.finalize());
    if got != offer.sha256 {
        return Err(UpdateError::Mismatch(format!(
            "SHA-256 {got}, expected {}",
            offer.sha256
        )));
    }
    tmp.as_file().sync_all()?;
    let path = dir.join(installer_name(offer, platform));
    tmp.persist(&path).map_err(|e| UpdateError::Io(e.error))?;
    Ok(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn manifest(version: &str) -> Vec<u8> {
        serde_json::to_vec(&Manifest {
            product: PRODUCT.into(),
            version: version.into(),
            released: "2025-06-01".into(),
            notes: Notes {
                vi: "Sửa lỗi".into(),
                en: "Fixes".into(),
            },
            installers: vec![Installer {
                platform: "windows-x86_64".into(),
                url: "https://updates.example.vn/Kyso-setup.exe".into(),
                sha256: "ab".repeat(32),
                size: 1000,
            }],
        })
        .unwrap()
    }

    fn signed(k: &SigningKey, m: &[u8]) -> Vec<u8> {
        k.sign(m).to_bytes().to_vec()
    }

    #[test]
    fn a_newer_signed_release_is_offered() {
        let k = key(1);
        let m = manifest("0.2.0");
        let keys = [k.verifying_key().to_bytes()];
        let c = check(&m, Some(&signed(&k, &m)), &keys, "0.1.0", "windows-x86_64").unwrap();
        let Check::Available(o) = c else { panic!("{c:?}") };
        assert_eq!(
            (o.version.as_str(), o.size, o.current.as_str()),
            ("0.2.0", 1000, "0.1.0")
        );
        assert_eq!(o.notes.vi, "Sửa lỗi");
        // The signature as base64 text is the same signature.
        let b64 = base64ct::Base64::encode_string(&signed(&k, &m));
        assert!(check(&m, Some(b64.as_bytes()), &keys, "0.1.0", "windows-x86_64").is_ok());
        // A second (rotated) key may sign.
        let keys2 = [key(9).verifying_key().to_bytes(), k.verifying_key().to_bytes()];
        assert!(check(&m, Some(&signed(&k, &m)), &keys2, "0.1.0", "windows-x86_64").is_ok());
    }

    #[test]
    fn unsigned_tampered_foreign_and_older_are_refused() {
        let k = key(1);
        let keys = [k.verifying_key().to_bytes()];
        let m = manifest("0.2.0");
        let sig = signed(&k, &m);
        let code = |r: Result<Check, UpdateError>| r.map_err(|e| e.code()).err();
        assert_eq!(
            code(check(&m, None, &keys, "0.1.0", "windows-x86_64")),
            Some("UPDATE_UNSIGNED")
        );
        let mut tampered = m.clone();
        let at = tampered.len() - 20;
        tampered[at] ^= 1;
        assert_eq!(
            code(check(&tampered, Some(&sig), &keys, "0.1.0", "windows-x86_64")),
            Some("UPDATE_BAD_SIGNATURE")
        );
        let other = key(2);
        assert_eq!(
            code(check(
                &m,
                Some(&signed(&other, &m)),
                &keys,
                "0.1.0",
                "windows-x86_64"
            )),
            Some("UPDATE_BAD_SIGNATURE")
        );
        assert_eq!(
            code(check(&m, Some(&sig[..63]), &keys, "0.1.0", "windows-x86_64")),
            Some("UPDATE_BAD_SIGNATURE")
        );
        assert_eq!(
            code(check(&m, Some(&sig), &[], "0.1.0", "windows-x86_64")),
            Some("UPDATE_NO_KEY")
        );
        let old = manifest("0.0.9");
        assert_eq!(
            code(check(
                &old,
                Some(&signed(&k, &old)),
                &keys,
                "0.1.0",
                "windows-x86_64"
            )),
            Some("UPDATE_DOWNGRADE")
        );
        assert_eq!(
            check(&m, Some(&sig), &keys, "0.2.0", "windows-x86_64").unwrap(),
            Check::UpToDate {
                version: "0.2.0".into()
            }
        );
        // 0.10.0 is newer than 0.9.0 (numbers, not text), a pre-release older than the release.
        let ten = manifest("0.10.0");
        assert!(matches!(
            check(&ten, Some(&signed(&k, &ten)), &keys, "0.9.0", "windows-x86_64"),
            Ok(Check::Available(_))
        ));
        let pre = manifest("0.2.0-rc.1");
        assert_eq!(
            code(check(
                &pre,
                Some(&signed(&k, &pre)),
                &keys,
                "0.2.0",
                "windows-x86_64"
            )),
            Some("UPDATE_DOWNGRADE")
        );
        assert_eq!(
            code(check(&m, Some(&sig), &keys, "0.1.0", "linux-x86_64")),
            Some("UPDATE_NO_INSTALLER")
        );
    }

    #[test]
    fn signed_but_unsound_manifests_are_refused() {
        let k = key(1);
        let keys = [k.verifying_key().to_bytes()];
        let mut m: Manifest = serde_json::from_slice(&manifest("0.2.0")).unwrap();
        let try_one = |m: &Manifest| {
            let b = serde_json::to_vec(m).unwrap();
            check(&b, Some(&signed(&k, &b)), &keys, "0.1.0", "windows-x86_64").map_err(|e| e.code())
        };
        m.installers[0].url = "http://updates.example.vn/Kyso-setup.exe".into();
        assert_eq!(try_one(&m).err(), Some("UPDATE_BAD_URL"));
        m.installers[0].url = "http://127.0.0.1:8000/Kyso-setup.exe".into();
        assert!(try_one(&m).is_ok());
        m.installers[0].sha256 = "xyz".into();
        assert_eq!(try_one(&m).err(), Some("UPDATE_MALFORMED"));
        m.installers[0].sha256 = "ab".repeat(32);
        m.installers[0].size = 0;
        assert_eq!(try_one(&m).err(), Some("UPDATE_MALFORMED"));
        m.installers[0].size = 1;
        m.product = "other".into();
        assert_eq!(try_one(&m).err(), Some("UPDATE_MALFORMED"));
        m.product = PRODUCT.into();
        m.version = "latest".into();
        assert_eq!(try_one(&m).err(), Some("UPDATE_MALFORMED"));
        let garbage = b"not json".to_vec();
        assert_eq!(
            check(
                &garbage,
                Some(&signed(&k, &garbage)),
                &keys,
                "0.1.0",
                "windows-x86_64"
            )
            .map_err(|e| e.code())
            .err(),
            Some("UPDATE_MALFORMED")
        );
    }

    #[test]
    fn keys_and_addresses() {
        let a = "11".repeat(32);
        let b = "22".repeat(32);
        assert_eq!(
            parse_keys(&format!("{a}, {b}\nnot-a-key")),
            vec![[0x11; 32], [0x22; 32]]
        );
        assert!(parse_keys("").is_empty());
        assert!(check_url("https://kyso.example.vn/update/manifest.json").is_ok());
        assert!(check_url("http://localhost:9000/m.json").is_ok());
        assert!(check_url("http://127.0.0.1.evil.vn/m.json").is_err());
        assert!(check_url("http://example.vn/m.json").is_err());
        assert!(check_url("file:///etc/passwd").is_err());
        let o = Offer {
            version: "1.2.3".into(),
            current: "1.0.0".into(),
            released: String::new(),
            notes: Notes::default(),
            url: String::new(),
            sha256: String::new(),
            size: 1,
        };
        assert_eq!(
            installer_name(&o, "windows-x86_64"),
            "kyso-1.2.3-windows-x86_64.exe"
        );
        assert_eq!(installer_name(&o, "linux-x86_64"), "kyso-1.2.3-linux-x86_64.deb");
    }
}
