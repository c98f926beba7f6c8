//! The trust list in the settings: the shipped Vietnamese authorities (each can be switched
//! off), imported and custom anchors, intermediates kept from checks; and fetching the
//! current revocation lists for checks without network.

use kyso_core::trust::cache::Refreshed;
use kyso_core::trust::Entry;
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Everything Kyso trusts or keeps, built-in first, each on or off.
#[tauri::command]
pub fn trust_list(state: State<'_, AppState>) -> Vec<Entry> {
    kyso_core::trust::overview(
        &state.folders.config,
        &state.settings(),
        Some(&state.folders.data),
    )
}

/// Switches one trusted certificate (by its SHA-256) off or back on; saved in the settings.
#[tauri::command]
pub fn trust_set_enabled(state: State<'_, AppState>, sha256: String, enabled: bool) -> CmdResult<Vec<Entry>> {
    let mut settings = state.settings();
    let entries = kyso_core::trust::overview(&state.folders.config, &settings, Some(&state.folders.data));
    if !entries.iter().any(|e| e.sha256 == sha256) {
        return Err(kyso_core::trust::TrustError::Unknown(sha256).into());
    }
    kyso_core::trust::set_enabled(&mut settings, &sha256, enabled);
    settings.save(&state.config_dir)?;
    *state.settings.lock().unwrap_or_else(|e| e.into_inner()) = settings.clone();
    Ok(kyso_core::trust::overview(
        &state.folders.config,
        &settings,
        Some(&state.folders.data),
    ))
}

/// Fetches the current revocation lists now (refused in offline mode).
#[tauri::command]
pub async fn trust_refresh(state: State<'_, AppState>) -> CmdResult<Vec<Refreshed>> {
    let settings = state.settings();
    if settings.offline {
        return Err(CommandError::new("OFFLINE", "offline mode is on"));
    }
    let folders = state.folders.clone();
    tauri::async_runtime::spawn_blocking(move || kyso_core::trust::refresh(&folders, &settings))
        .await
        .map_err(|e| CommandError::new("INTERNAL", e.to_string()))
}

/// At start: the revocation lists are brought up to date in the background, unless offline.
pub fn refresh_at_start(state: &AppState) {
    let settings = state.settings();
    if settings.offline {
        return;
    }
    let folders = state.folders.clone();
    std::thread::spawn(move || {
        let _ = kyso_core::trust::refresh(&folders, &settings);
    });
}
