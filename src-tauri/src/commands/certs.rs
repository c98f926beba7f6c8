//! The certificate list across all sources: every driver (settings, `KYSO_PKCS11_MODULE`,
//! auto-discovery) and its tokens. Polled by the UI for hot-plug.

use std::path::PathBuf;
use std::sync::Arc;

use kyso_core::signer::pkcs11::Module;
use kyso_core::signer::PinState;
use serde::Serialize;
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Days before expiry when the UI warns.
const WARN_DAYS: i64 = 30;

/// One certificate the user can sign with.
#[derive(Serialize)]
pub struct CertEntry {
    /// Opaque key the UI sends back to sign: `module\ntoken serial\ncert id`.
    pub key: String,
    /// Driver path.
    pub module: String,
    /// Token label.
    pub token_label: String,
    /// Token serial.
    pub token_serial: String,
    /// CKA_ID (hex).
    pub cert_id: String,
    /// Holder (CN).
    pub holder: String,
    /// Organisation.
    pub organization: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Vietnamese identifier (UID).
    pub uid: Option<String>,
    /// Issuer CN.
    pub issuer: String,
    /// Expiry (RFC 3339).
    pub not_after: String,
    /// Days left (negative when expired).
    pub days_left: i64,
    /// Expired.
    pub expired: bool,
    /// Expires within 30 days.
    pub expiring_soon: bool,
    /// Token PIN flags.
    pub pin: PinState,
    /// PIN pad.
    pub protected_authentication_path: bool,
    /// Key description.
    pub key_type: String,
}

/// A driver and what loading it gave.
#[derive(Serialize)]
pub struct ModuleEntry {
    /// Path.
    pub path: String,
    /// Error, when it could not be used.
    pub error: Option<CommandError>,
    /// Tokens present.
    pub tokens: usize,
}

/// Everything the certificate picker shows.
#[derive(Serialize)]
pub struct CertList {
    /// Drivers.
    pub modules: Vec<ModuleEntry>,
    /// Signing certificates.
    pub certificates: Vec<CertEntry>,
    /// Remote-signing accounts (SIM-PKI, CSC, SmartCA, MySign), in the same list.
    pub remote: Vec<super::remote::RemoteEntry>,
}

/// Driver paths: the environment's (tests), the settings', then those found installed.
pub fn module_paths(state: &AppState) -> Vec<PathBuf> {
    let mut chosen: Vec<PathBuf> = std::env::var_os("KYSO_PKCS11_MODULE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    chosen.extend(state.settings().module_paths.iter().map(PathBuf::from));
    kyso_core::signer::drivers(&chosen)
}

/// A loaded driver (loaded once per app run).
pub fn module(state: &AppState, path: &PathBuf) -> CmdResult<Arc<Module>> {
    let mut modules = state.modules.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = modules.get(path) {
        return Ok(m.clone());
    }
    let m = Arc::new(Module::load(path)?);
    modules.insert(path.clone(), m.clone());
    Ok(m)
}

/// Lists drivers, tokens and signing certificates (no login).
#[tauri::command]
pub async fn list_certificates(state: State<'_, AppState>) -> CmdResult<CertList> {
    let now = kyso_core::timefmt::now();
    let mut modules = Vec::new();
    let mut certificates = Vec::new();
    for path in module_paths(&state) {
        let shown = path.display().to_string();
        let listed = module(&state, &path).and_then(|m| m.list(None).map_err(CommandError::from));
        match listed {
            Err(e) => modules.push(ModuleEntry {
                path: shown,
                error: Some(e),
                tokens: 0,
            }),
            Ok(tokens) => {
                modules.push(ModuleEntry {
                    path: shown.clone(),
                    error: None,
                    tokens: tokens.len(),
                });
                for t in tokens {
                    for c in t.certificates.iter().filter(|c| c.signing_certificate) {
                        let not_after = kyso_core::timefmt::parse_rfc3339(&c.not_after).unwrap_or(0);
                        let days_left = (not_after - now).div_euclid(86_400);
                        certificates.push(CertEntry {
                            key: format!("{shown}\n{}\n{}", t.serial, c.id),
                            module: shown.clone(),
                            token_label: t.label.clone(),
                            token_serial: t.serial.clone(),
                            cert_id: c.id.clone(),
                            holder: c
                                .identity
                                .common_name
                                .clone()
                                .unwrap_or_else(|| c.subject.clone()),
                            organization: c.identity.organization.clone(),
                            title: c.identity.title.clone(),
                            uid: c.identity.uid.clone(),
                            issuer: c
                                .issuer
                                .split(", ")
                                .find_map(|p| p.strip_prefix("CN="))
                                .unwrap_or(&c.issuer)
                                .to_string(),
                            not_after: c.not_after.clone(),
                            days_left,
                            expired: now > not_after,
                            expiring_soon: now <= not_after && days_left < WARN_DAYS,
                            pin: t.pin,
                            protected_authentication_path: t.protected_authentication_path,
                            key_type: c.key.clone(),
                        });
                    }
                }
            }
        }
    }
    Ok(CertList {
        modules,
        certificates,
        remote: super::remote::entries(&state.config_dir),
    })
}
