//! The signing journal and the queue of signatures waiting for the network.

use kyso_core::journal::{Event, Journal, Pending};
use kyso_core::sign::ltv;
use serde::Serialize;
use tauri::State;

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// Journal contents for the UI.
#[derive(Serialize)]
pub struct JournalView {
    /// Every signing and extension, newest first.
    pub events: Vec<Event>,
    /// Signatures waiting for the network.
    pub pending: Vec<Pending>,
}

fn open() -> CmdResult<Journal> {
    Journal::open().map_err(|e| CommandError::new("JOURNAL", e.to_string()))
}

/// The journal (newest first) and the waiting list.
#[tauri::command]
pub fn get_journal() -> CmdResult<JournalView> {
    let j = open()?;
    let mut events = j
        .events()
        .map_err(|e| CommandError::new("JOURNAL", e.to_string()))?;
    events.reverse();
    let pending = j
        .pending()
        .map_err(|e| CommandError::new("JOURNAL", e.to_string()))?;
    Ok(JournalView { events, pending })
}

/// Tries to complete the waiting signatures (the UI calls this while the list is not
/// empty); those that still cannot be completed stay, with their reason.
#[tauri::command]
pub async fn complete_pending(state: State<'_, AppState>) -> CmdResult<ltv::QueueReport> {
    let (offline, tsa) = {
        let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        (s.offline, s.tsa_urls.clone())
    };
    if offline {
        return Ok(ltv::QueueReport::default());
    }
    let o = crate::commands::verify::options(&state)?;
    let trust = (o.anchors, o.intermediates);
    tauri::async_runtime::spawn_blocking(move || ltv::complete_queue(&trust, &tsa))
        .await
        .map_err(|e| CommandError::new("INTERNAL", e.to_string()))?
        .map_err(Into::into)
}
