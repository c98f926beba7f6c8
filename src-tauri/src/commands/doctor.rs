//! The System check screen ("Kiểm tra hệ thống") and the first-run welcome: the core's
//! self-check with the app's own view of things — its driver list and whether its bridge
//! listens now — and whether the welcome was already shown (a marker file in the config
//! folder, so it appears once unless the user asks for it again).

use kyso_core::doctor::{self, Inputs, Report};
use serde::Serialize;
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The marker written once the welcome was shown.
const WELCOME_SHOWN: &str = "welcome-shown";

/// The self-check and its text for the support desk.
#[derive(Serialize)]
pub struct SelfCheck {
    /// Every line, green/amber/red, with what to do.
    pub report: Report,
    /// The same as text in the UI's language (then the facts): no PIN, secret or document
    /// content, since the checks never see one.
    pub support: String,
}

/// Runs the self-check (network checks skipped in offline mode).
#[tauri::command]
pub async fn self_check(state: State<'_, AppState>, language: String) -> CmdResult<SelfCheck> {
    let drivers = super::certs::module_paths(&state);
    let settings = state.settings();
    let folders = state.folders.clone();
    // The bridge as the app runs it: "on" is this program listening, not another one.
    let bridge_running_here = state.bridge.listening();
    let lang = if language == "en" { "en" } else { "vi" };
    tauri::async_runtime::spawn_blocking(move || {
        let report = doctor::run(&Inputs {
            folders: &folders,
            settings: &settings,
            drivers,
            bridge_running_here,
        });
        let support = doctor::support_text(&report, lang);
        SelfCheck { report, support }
    })
    .await
    .map_err(|e| CommandError::new("INTERNAL", e.to_string()))
}

/// Whether the welcome should appear (not shown yet on this computer).
#[tauri::command]
pub fn welcome_pending(state: State<'_, AppState>) -> bool {
    !state.config_dir.join(WELCOME_SHOWN).exists()
}

/// Records that the welcome was shown.
#[tauri::command]
pub fn welcome_shown(state: State<'_, AppState>) -> CmdResult<()> {
    std::fs::create_dir_all(&state.config_dir).map_err(|e| CommandError::new("IO", e.to_string()))?;
    kyso_core::files::write_atomic(&state.config_dir.join(WELCOME_SHOWN), b"1\n")
        .map_err(|e| CommandError::new("IO", e.to_string()))
}
