//! Updates: the app asks and shows; the core decides (`kyso_core::update`: signature under
//! Kyso's release key, newer version, installer size and SHA-256). The installer is
//! downloaded only after the user says yes, and it is the installer's own window that
//! installs (on Windows it is started without its silent switch; on Linux the user is told
//! the command). Nothing installs silently.

use std::sync::Mutex;

use kyso_core::update::{self, Check, Offer, UpdateError};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The offer last shown to the user: the only one `install_update` acts on (the UI names a
/// version, never an address).
#[derive(Default)]
pub struct UpdateState(Mutex<Option<Offer>>);

impl From<UpdateError> for CommandError {
    fn from(e: UpdateError) -> Self {
        CommandError::new(e.code(), e.to_string())
    }
}

/// The release keys this build trusts. Builds with the `e2e` test feature (never a release
/// build) also trust the key in `KYSO_UPDATE_TEST_KEY`, so the tests can sign manifests.
fn keys() -> Vec<[u8; 32]> {
    #[allow(unused_mut)]
    let mut keys = update::release_keys();
    #[cfg(feature = "e2e")]
    if let Ok(k) = std::env::var("KYSO_UPDATE_TEST_KEY") {
        keys.extend(update::parse_keys(&k));
    }
    keys
}

/// What the settings screen shows about updates.
#[derive(Serialize)]
pub struct UpdateInfo {
    /// The running version.
    version: String,
    /// Whether this build has a release key (without one, updates are off).
    enabled: bool,
    /// The manifest address in use.
    url: String,
}

fn manifest_url(state: &AppState) -> String {
    let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
    if s.update_url.is_empty() {
        update::default_manifest_url().unwrap_or_default().to_string()
    } else {
        s.update_url.clone()
    }
}

/// Version, whether updates are on, and from where.
#[tauri::command]
pub fn update_info(state: State<'_, AppState>) -> UpdateInfo {
    UpdateInfo {
        version: update::current_version().into(),
        enabled: !keys().is_empty(),
        url: manifest_url(&state),
    }
}

/// Fetches and checks the signed manifest. An offer is remembered for `install_update`.
#[tauri::command]
pub async fn check_update(state: State<'_, AppState>, offers: State<'_, UpdateState>) -> CmdResult<Check> {
    let url = manifest_url(&state);
    if url.is_empty() {
        return Err(UpdateError::NoUrl.into());
    }
    let keys = keys();
    let check = tauri::async_runtime::spawn_blocking(move || {
        update::fetch(&url, &keys, update::current_version(), update::platform())
    })
    .await
    .map_err(|e| CommandError::new("INTERNAL", e.to_string()))??;
    *offers.0.lock().unwrap_or_else(|e| e.into_inner()) = match &check {
        Check::Available(o) => Some(o.clone()),
        Check::UpToDate { .. } => None,
    };
    Ok(check)
}

/// What happened after the user agreed.
#[derive(Serialize)]
pub struct Installed {
    /// The checked installer.
    path: String,
    /// `started`: the installer's window is open and Kyso closes; `saved`: install it with
    /// `command` (Linux packages need the administrator).
    state: &'static str,
    /// The command to run, for `saved`.
    command: Option<String>,
}

#[derive(Serialize, Clone)]
struct Progress {
    received: u64,
    total: u64,
}

/// Called when the user agreed to install `version`: downloads the installer the checked
/// offer names, checks its size and SHA-256, then starts it (Windows) or says how to
/// install it (Linux).
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    state: State<'_, AppState>,
    offers: State<'_, UpdateState>,
    version: String,
) -> CmdResult<Installed> {
    let offer = offers
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .filter(|o| o.version == version)
        .ok_or_else(|| {
            CommandError::new("UPDATE_NOT_OFFERED", format!("version {version} was not offered"))
        })?;
    let dir = state.folders.updates();
    let events = app.clone();
    let path = tauri::async_runtime::spawn_blocking(move || {
        let total = offer.size;
        update::download(&offer, &dir, update::platform(), &mut |received| {
            let _ = events.emit("update-progress", Progress { received, total });
        })
    })
    .await
    .map_err(|e| CommandError::new("INTERNAL", e.to_string()))??;
    state.add_produced(&path);
    let shown = path.display().to_string();
    if cfg!(windows) {
        // The installer's own window asks for administrator rights and shows what it does;
        // Kyso closes so its files can be replaced.
        // Started through the shell (ShellExecute): a program that needs elevation cannot be
        // started with CreateProcess.
        tauri_plugin_opener::open_path(&path, None::<&str>)
            .map_err(|e| CommandError::new("IO", e.to_string()))?;
        let handle = app.clone();
        tauri::async_runtime::spawn(async move {
            pause_before_exit().await;
            handle.exit(0);
        });
        Ok(Installed {
            path: shown,
            state: "started",
            command: None,
        })
    } else {
        Ok(Installed {
            command: Some(format!("sudo apt install '{shown}'")),
            path: shown,
            state: "saved",
        })
    }
}

/// A moment for the UI to show "the installer is starting" before the window closes.
async fn pause_before_exit() {
    let _ =
        tauri::async_runtime::spawn_blocking(|| std::thread::sleep(std::time::Duration::from_secs(2))).await;
}

/// Registers the state (called once at start-up).
pub fn manage(app: &AppHandle) {
    app.manage(UpdateState::default());
}
