use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::settings::Settings;
use crate::state::AppState;

/// Current settings.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// What a signing does when the user chooses nothing (decided in the core, shown by the UI).
#[derive(serde::Serialize)]
pub struct SigningDefaults {
    /// The level (`B-B`, `B-T`, …).
    pub level: kyso_core::level::Level,
    /// Whether a timestamp authority will be asked (a TSA is set and the app is online).
    pub online: bool,
}

/// The signing defaults for the current settings.
#[tauri::command]
pub fn signing_defaults(state: State<'_, AppState>) -> SigningDefaults {
    let s = state.settings();
    SigningDefaults {
        level: kyso_core::workflow::default_level(&s),
        online: !s.offline && !s.tsa_urls.is_empty(),
    }
}

/// Validates and saves settings.
#[tauri::command]
pub fn save_settings(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CmdResult<Settings> {
    settings
        .validate()
        .map_err(|e| CommandError::new("SETTINGS_INVALID", e))?;
    settings.save(&state.config_dir)?;
    *state.settings.lock().unwrap_or_else(|e| e.into_inner()) = settings.clone();
    // The bridge follows its switch and port at once.
    crate::commands::bridge::apply(&app);
    Ok(settings)
}
