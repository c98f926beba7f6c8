use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::settings::Settings;
use crate::state::AppState;

/// Current settings.
#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings.lock().unwrap_or_else(|e| e.into_inner()).clone()
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
