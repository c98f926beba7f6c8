//! Checking chosen files: the signature verdict and the legal verdict (Decree 30), against
//! the shipped and configured trust anchors, with the revocation cache for offline checks.

use kyso_core::verify::FileReport;
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

#[derive(Serialize, Clone)]
struct Progress {
    done: usize,
    total: usize,
}

/// Checks the chosen files; a broken file never stops the batch.
#[tauri::command]
pub async fn verify_documents(
    app: AppHandle,
    state: State<'_, AppState>,
    files: Vec<String>,
) -> CmdResult<Vec<FileReport>> {
    let mut paths = Vec::new();
    for f in &files {
        paths.push(state.chosen(f)?);
    }
    let opts = state.verify_options()?;
    tauri::async_runtime::spawn_blocking(move || {
        let total = paths.len();
        kyso_core::legal::check_many(&paths, None, &opts, &|done, _| {
            let _ = app.emit("check-progress", Progress { done, total });
        })
    })
    .await
    .map_err(|e| CommandError::new("INTERNAL", e.to_string()))
}
