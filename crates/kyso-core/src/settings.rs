//! The user's settings, shared by the app, the CLI and the bridge: stored as JSON
//! (`settings.json`) in the config folder; no secrets. The app edits them; the CLI reads the
//! same file, so a TSA or a driver set in the app is used by `kyso sign` too.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// Settings the user manages.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Extra PKCS#11 driver libraries (besides the ones found automatically).
    pub module_paths: Vec<String>,
    /// Timestamp servers (used from the long-term signature work on).
    pub tsa_urls: Vec<String>,
    /// Trust anchor certificate files (PEM/DER).
    pub trust_anchor_files: Vec<String>,
    /// `vi` (default) or `en`.
    pub language: String,
    /// Never use the network when checking (no CRL download).
    pub offline: bool,
    /// The local signing bridge for document-management web pages (off until turned on).
    pub bridge_enabled: bool,
    /// Its port on 127.0.0.1.
    pub bridge_port: u16,
    /// Sites allowed to ask for signatures (scheme://host:port).
    pub bridge_origins: Vec<String>,
    /// Other sites documents may come from or go to.
    pub bridge_hosts: Vec<String>,
    /// Where the signed update manifest is (empty: the address built into this release).
    pub update_url: String,
    /// Servers on the local network (host names or addresses) that addresses inside
    /// certificates may lead to: an intranet CA's OCSP responder, CRL or certificate server.
    /// Any other address on this computer or the local network is never called for a
    /// document.
    pub intranet_servers: Vec<String>,
    /// Trusted certificates (SHA-256) the user switched off, built-in ones included.
    pub trust_disabled: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            module_paths: Vec::new(),
            tsa_urls: Vec::new(),
            trust_anchor_files: Vec::new(),
            language: "vi".into(),
            offline: false,
            bridge_enabled: false,
            bridge_port: 8987,
            bridge_origins: Vec::new(),
            bridge_hosts: Vec::new(),
            update_url: String::new(),
            intranet_servers: Vec::new(),
            trust_disabled: Vec::new(),
        }
    }
}

impl Settings {
    /// Loads settings (defaults when absent or unreadable).
    pub fn load(dir: &Path) -> Self {
        std::fs::read(dir.join("settings.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Saves atomically (temporary file beside it, flushed, renamed).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        crate::files::write_atomic(
            &dir.join("settings.json"),
            &serde_json::to_vec_pretty(self).unwrap_or_default(),
        )
    }

    /// Checks values before saving: driver paths must be existing regular files, anchors
    /// must contain certificates, the language must be known.
    pub fn validate(&self) -> Result<(), String> {
        if !["vi", "en"].contains(&self.language.as_str()) {
            return Err(format!("unknown language {}", self.language));
        }
        for m in &self.module_paths {
            if !crate::signer::discover::is_regular_file(Path::new(m)) {
                return Err(format!("driver not found: {m}"));
            }
        }
        for a in &self.trust_anchor_files {
            let data = std::fs::read(a).map_err(|e| format!("{a}: {e}"))?;
            if crate::cms::bundle::certificates(&data).is_empty() {
                return Err(format!("no certificate in {a}"));
            }
        }
        for o in self.bridge_origins.iter().chain(&self.bridge_hosts) {
            if crate::net::origin_of(o).is_none() {
                return Err(format!("not a web site address (http(s)://host[:port]): {o}"));
            }
        }
        for h in &self.intranet_servers {
            if crate::net::address::host_name(h).is_none() {
                return Err(format!("not a server name or address: {h}"));
            }
        }
        if self.bridge_port < 1024 {
            return Err(format!("port {} is reserved; use 1024–65535", self.bridge_port));
        }
        if !self.update_url.is_empty() {
            crate::update::check_url(&self.update_url).map_err(|e| e.to_string())?;
        }
        for u in &self.tsa_urls {
            if !(u.starts_with("http://") || u.starts_with("https://")) {
                return Err(format!("not an http(s) URL: {u}"));
            }
        }
        Ok(())
    }
}
