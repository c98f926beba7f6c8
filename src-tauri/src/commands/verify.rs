//! Checking chosen files against the trust anchors in the settings.

use kyso_core::verify::{self, FileReport, VerifyOptions};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Verification options from the settings (trust anchors, offline) and the trust store.
pub fn options(state: &AppState) -> CmdResult<VerifyOptions> {
    let (files, offline) = {
        let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        (s.trust_anchor_files.clone(), s.offline)
    };
    let mut anchors = Vec::new();
    for f in files {
        let data =
            std::fs::read(&f).map_err(|e| CommandError::new("TRUST_UNREADABLE", format!("{f}: {e}")))?;
        anchors.extend(kyso_core::cert::parse_certificates(&data));
    }
    let store = kyso_core::trust::TrustStore::open(&state.config_dir);
    anchors.extend(store.anchors.iter().cloned());
    Ok(VerifyOptions {
        anchors,
        intermediates: store.intermediates,
        offline,
        now: None,
    })
}

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
    let opts = options(&state)?;
    tauri::async_runtime::spawn_blocking(move || {
        let total = paths.len();
        verify::verify_many(&paths, None, &opts, &|done, _| {
            let _ = app.emit("check-progress", Progress { done, total });
        })
    })
    .await
    .map_err(|e| CommandError::new("INTERNAL", e.to_string()))
}
