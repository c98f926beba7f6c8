//! The signing journal and the queue of signatures waiting for the network.

use kyso_core::journal::{Event, Pending};
use kyso_core::workflow::{self, QueueReport};
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

/// How many events the journal screen shows at once.
const PAGE: usize = 200;

/// The journal (newest first, a page at a time) and the waiting list.
#[tauri::command]
pub fn get_journal(state: State<'_, AppState>, offset: Option<usize>) -> CmdResult<JournalView> {
    let j = &state.journal;
    let events = j
        .events_page(offset.unwrap_or(0), PAGE)
        .map_err(|e| CommandError::new("JOURNAL", e.to_string()))?;
    let pending = j
        .pending()
        .map_err(|e| CommandError::new("JOURNAL", e.to_string()))?;
    Ok(JournalView { events, pending })
}

/// Tries to complete the waiting signatures (the UI calls this while the list is not
/// empty); those that still cannot be completed stay, with their reason.
#[tauri::command]
pub async fn complete_pending(app: tauri::AppHandle) -> CmdResult<QueueReport> {
    use tauri::Manager;
    let state = app.state::<AppState>();
    let settings = state.settings();
    if settings.offline {
        return Ok(QueueReport::default());
    }
    let trust = state.trust()?;
    let app2 = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app2.state::<AppState>();
        workflow::complete_queue(&state.journal, &trust, &settings.tsa_urls)
    })
    .await
    .map_err(|e| CommandError::new("INTERNAL", e.to_string()))?
    .map_err(Into::into)
}
