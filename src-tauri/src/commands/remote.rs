//! Remote-signing accounts (SIM-PKI, CSC, SmartCA, MySign) as the settings screen manages them.
//! Only settings are stored; secrets are typed at signing time and never saved.

use kyso_core::signer::remote::{self, Provider};
use serde::Serialize;

use crate::error::{CmdResult, CommandError};

/// A saved account as the certificate picker shows it.
#[derive(Serialize)]
pub struct RemoteEntry {
    /// Key the UI sends back to sign: `remote:NAME`.
    pub key: String,
    /// The account's name.
    pub name: String,
    /// `csc`, `sim`, `smartca` or `mysign`.
    pub kind: String,
    /// Who or what: phone number, user id or credential.
    pub detail: String,
    /// The account secret is asked for at signing (all but CSC without sign-in).
    pub asks_secret: bool,
    /// A credential PIN is asked for at signing (CSC).
    pub asks_pin: bool,
    /// The account secret is remembered in the system keyring (not asked again).
    pub secret_saved: bool,
    /// The settings, for the settings screen.
    pub provider: Provider,
}

/// The saved accounts.
pub fn entries(config: &std::path::Path) -> Vec<RemoteEntry> {
    remote::load_providers(config)
        .into_iter()
        .map(|(name, p)| {
            let (detail, asks_secret) = match &p {
                Provider::Csc(c) => (
                    c.credential
                        .clone()
                        .or(c.user.clone())
                        .unwrap_or_else(|| c.url.clone()),
                    matches!(
                        c.login,
                        remote::csc::CscLogin::Basic | remote::csc::CscLogin::ClientCredentials
                    ),
                ),
                Provider::Sim(c) => (c.msisdn.clone(), true),
                Provider::SmartCa(c) => (c.user_id.clone(), true),
                Provider::MySign(c) => (c.user_id.clone(), true),
            };
            RemoteEntry {
                secret_saved: asks_secret && remote::keyring::saved(&name).is_some(),
                key: format!("remote:{name}"),
                kind: p.kind().into(),
                asks_pin: p.asks_pin(),
                name,
                detail,
                asks_secret,
                provider: p,
            }
        })
        .collect()
}

/// Lists the saved accounts.
#[tauri::command]
pub fn list_providers(state: tauri::State<'_, crate::state::AppState>) -> Vec<RemoteEntry> {
    entries(&state.config_dir)
}

/// Saves an account (settings only).
#[tauri::command]
pub fn save_provider(
    state: tauri::State<'_, crate::state::AppState>,
    name: String,
    provider: Provider,
) -> CmdResult<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(CommandError::new("POLICY", "the account needs a short name"));
    }
    remote::save_provider(&state.config_dir, name, Some(&provider))?;
    Ok(())
}

/// Removes an account.
#[tauri::command]
pub fn remove_provider(state: tauri::State<'_, crate::state::AppState>, name: String) -> CmdResult<()> {
    remote::save_provider(&state.config_dir, &name, None)?;
    remote::keyring::forget(&name);
    Ok(())
}
