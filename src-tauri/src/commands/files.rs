//! Files enter the app only through native dialogs or drops (both register them in the
//! state); outputs leave only through "open folder" on files Kyso wrote and a save dialog.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::{CmdResult, CommandError};
use crate::state::{collect_documents, AppState};

/// Largest PDF sent to the preview.
const MAX_PREVIEW: u64 = 64 << 20;

/// Test switch (feature `e2e` only): the "dialog" answers with the paths listed in the file
/// named by `KYSO_E2E_PICK_FILE`. Release builds have no such code.
#[cfg(feature = "e2e")]
pub(crate) fn scripted_answer() -> Option<Vec<PathBuf>> {
    let file = std::env::var_os("KYSO_E2E_PICK_FILE")?;
    let text = std::fs::read_to_string(file).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(PathBuf::from)
            .collect(),
    )
}

#[cfg(not(feature = "e2e"))]
pub(crate) fn scripted_answer() -> Option<Vec<PathBuf>> {
    None
}

pub(crate) fn to_paths(files: Option<Vec<tauri_plugin_dialog::FilePath>>) -> Vec<PathBuf> {
    files
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect()
}

/// Lets the user choose documents. `purpose` is `sign` (PDFs, XML, and any file for a
/// detached signature) or `check` (PDFs, XML and .p7s).
#[tauri::command]
pub async fn pick_files(
    app: AppHandle,
    state: State<'_, AppState>,
    purpose: String,
) -> CmdResult<Vec<String>> {
    let paths = match scripted_answer() {
        Some(p) => p,
        None => {
            let mut d = app.dialog().file();
            d = if purpose == "check" {
                d.add_filter("PDF, XML, .p7s", &["pdf", "PDF", "xml", "XML", "p7s"])
            } else {
                d.add_filter("PDF, XML", &["pdf", "PDF", "xml", "XML"])
                    .add_filter("*", &["*"])
            };
            to_paths(d.blocking_pick_files())
        }
    };
    Ok(state.register(&paths))
}

/// Lets the user choose a folder; every PDF, XML and .p7s inside (recursively) is registered.
#[tauri::command]
pub async fn pick_folder(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    let folders = match scripted_answer() {
        Some(p) => p,
        None => app
            .dialog()
            .file()
            .blocking_pick_folder()
            .and_then(|f| f.into_path().ok())
            .into_iter()
            .collect(),
    };
    let mut files = Vec::new();
    for f in folders {
        collect_documents(&f, &mut files, 0);
    }
    Ok(state.register(&files))
}

/// Lets the user choose a PKCS#12 certificate file.
#[tauri::command]
pub async fn pick_p12(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<String>> {
    let paths = match scripted_answer() {
        Some(p) => p,
        None => to_paths(
            app.dialog()
                .file()
                .add_filter("PKCS#12", &["p12", "pfx", "P12", "PFX"])
                .blocking_pick_file()
                .map(|f| vec![f]),
        ),
    };
    Ok(state.register(&paths).into_iter().next())
}

/// Opens the folder of a file Kyso wrote, with the file selected.
#[tauri::command]
pub fn reveal_output(app: AppHandle, state: State<'_, AppState>, path: String) -> CmdResult<()> {
    let p = PathBuf::from(&path);
    if !state.is_produced(&p) {
        return Err(CommandError::new(
            "NOT_CHOSEN",
            "only files Kyso wrote can be revealed",
        ));
    }
    app.opener()
        .reveal_item_in_dir(p)
        .map_err(|e| CommandError::new("IO", e.to_string()))
}

/// The bytes of a chosen PDF, for the page preview.
#[tauri::command]
pub fn read_preview(state: State<'_, AppState>, path: String) -> CmdResult<tauri::ipc::Response> {
    let p = state.chosen(&path)?;
    let len = std::fs::metadata(&p)?.len();
    if len > MAX_PREVIEW {
        return Err(CommandError::new("TOO_LARGE", "too large to preview"));
    }
    Ok(tauri::ipc::Response::new(std::fs::read(p)?))
}

/// Writes the validation report of the given (chosen) files where the user says (PDF or
/// HTML by the name's extension).
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    state: State<'_, AppState>,
    files: Vec<String>,
    language: String,
) -> CmdResult<Option<String>> {
    let mut paths = Vec::new();
    for f in &files {
        paths.push(state.chosen(f)?);
    }
    let opts = state.verify_options()?;
    let reports = kyso_core::legal::check_many(&paths, None, &opts, &|_, _| {});
    let target = match scripted_answer() {
        Some(p) => p.into_iter().next(),
        None => app
            .dialog()
            .file()
            .set_file_name("bao-cao-kiem-tra-chu-ky.pdf")
            .add_filter("PDF", &["pdf"])
            .add_filter("HTML", &["html"])
            .blocking_save_file()
            .and_then(|f| f.into_path().ok()),
    };
    let Some(target) = target else { return Ok(None) };
    kyso_core::report::write(&reports, &language, &target)
        .map_err(|e| CommandError::new(e.code(), e.to_string()))?;
    state.add_produced(&target);
    Ok(Some(target.display().to_string()))
}
