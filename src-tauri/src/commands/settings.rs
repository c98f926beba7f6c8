//! Settings. Token drivers (loaded into the app with dlopen) and trust anchor files are paths
//! on this computer: they enter only through a file dialog run here in Rust
//! (`add_driver`, `add_trust_anchor`), never from the web side — `save_settings` refuses a
//! change to them, so a script in the window cannot make the app load a library it chose.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

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

/// Validates and saves settings. Driver and trust anchor paths must be the ones saved
/// already (they change only through the dialogs below).
#[tauri::command]
pub fn save_settings(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> CmdResult<Settings> {
    {
        let now = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        if settings.module_paths != now.module_paths || settings.trust_anchor_files != now.trust_anchor_files
        {
            return Err(CommandError::new(
                "SETTINGS_PATHS",
                "token drivers and trust anchor files are added with their Add buttons (a file dialog), not typed",
            ));
        }
    }
    store(&app, &state, settings)
}

fn store(app: &AppHandle, state: &AppState, settings: Settings) -> CmdResult<Settings> {
    settings
        .validate()
        .map_err(|e| CommandError::new("SETTINGS_INVALID", e))?;
    settings.save(&state.config_dir)?;
    *state.settings.lock().unwrap_or_else(|e| e.into_inner()) = settings.clone();
    // The bridge follows its switch and port at once.
    crate::commands::bridge::apply(app);
    Ok(settings)
}

/// Which list of paths a dialog adds to.
#[derive(Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathList {
    /// Token drivers (PKCS#11 libraries).
    Driver,
    /// Trust anchor certificates.
    TrustAnchor,
}

fn list_of(s: &mut Settings, which: PathList) -> &mut Vec<String> {
    match which {
        PathList::Driver => &mut s.module_paths,
        PathList::TrustAnchor => &mut s.trust_anchor_files,
    }
}

/// Lets the user choose a token driver or a trust anchor file in a native dialog and adds
/// it (checked like any setting: a driver must be a file, an anchor must hold a
/// certificate). `None` when the dialog was closed.
#[tauri::command]
pub async fn add_setting_path(
    app: AppHandle,
    state: State<'_, AppState>,
    which: PathList,
) -> CmdResult<Option<Settings>> {
    let chosen: Option<PathBuf> = match crate::commands::files::scripted_answer() {
        Some(p) => p.into_iter().next(),
        None => {
            let d = app.dialog().file();
            let d = match which {
                PathList::Driver => d.add_filter("PKCS#11", &["so", "dll", "dylib"]),
                PathList::TrustAnchor => d.add_filter("PEM, DER", &["pem", "crt", "cer", "der", "p7b"]),
            };
            crate::commands::files::to_paths(d.blocking_pick_file().map(|f| vec![f]))
                .into_iter()
                .next()
        }
    };
    let Some(path) = chosen else { return Ok(None) };
    let path = std::fs::canonicalize(&path).unwrap_or(path).display().to_string();
    let mut s = state.settings();
    let list = list_of(&mut s, which);
    if !list.contains(&path) {
        list.push(path);
    }
    store(&app, &state, s).map(Some)
}

/// Removes a driver or trust anchor from the settings (the file itself is left alone).
#[tauri::command]
pub fn remove_setting_path(
    app: AppHandle,
    state: State<'_, AppState>,
    which: PathList,
    path: String,
) -> CmdResult<Settings> {
    let mut s = state.settings();
    list_of(&mut s, which).retain(|p| *p != path);
    store(&app, &state, s)
}
