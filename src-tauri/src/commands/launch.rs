//! Files named on the command line: the PDF right-click menu ("Ký số bằng Kyso" runs
//! `kyso-app --sign FILE`, "Kiểm tra chữ ký" runs `kyso-app --check FILE`; the Linux desktop
//! entry's actions do the same) and "Open with Kyso" (files alone: check them). The user
//! chose these files in Explorer or the file manager, so they are registered like a drop;
//! only existing regular files are taken, at most 100.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;

/// The screen and files asked for at start-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Launch {
    /// `sign` or `check`.
    pub view: &'static str,
    /// Registered paths, as the UI shows them.
    pub files: Vec<String>,
}

/// Not yet taken by the UI.
#[derive(Default)]
pub struct LaunchState(Mutex<Option<(&'static str, Vec<PathBuf>)>>);

const MAX_FILES: usize = 100;

/// `--sign FILE…`, `--check FILE…`, or files alone (check); anything else is ignored.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Option<(&'static str, Vec<PathBuf>)> {
    let mut view = "check";
    let mut files = Vec::new();
    for a in args.into_iter().skip(1) {
        match a.to_str() {
            Some("--sign") => view = "sign",
            Some("--check") => view = "check",
            Some(s) if s.starts_with('-') => {}
            _ => {
                let p = PathBuf::from(&a);
                if files.len() < MAX_FILES && kyso_core::signer::discover::is_regular_file(&p) {
                    files.push(p);
                }
            }
        }
    }
    (!files.is_empty()).then_some((view, files))
}

/// Reads the process's arguments (called once at start-up).
pub fn manage(app: &AppHandle) {
    app.manage(LaunchState(Mutex::new(parse(std::env::args_os()))));
}

/// The files from the command line, once; registered as chosen by the user.
#[tauri::command]
pub fn launch_request(state: State<'_, AppState>, launch: State<'_, LaunchState>) -> Option<Launch> {
    let (view, paths) = launch.0.lock().unwrap_or_else(|e| e.into_inner()).take()?;
    Some(Launch {
        view,
        files: state.register(&paths),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn menu_verbs_and_plain_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("Quyết định số 01.pdf");
        std::fs::write(&f, b"%PDF-1.7").unwrap();
        let args = |v: &[&str]| {
            std::iter::once(OsString::from("kyso-app"))
                .chain(v.iter().map(|s| OsString::from(*s)))
                .collect::<Vec<_>>()
        };
        let fs = f.to_str().unwrap();
        assert_eq!(parse(args(&["--sign", fs])), Some(("sign", vec![f.clone()])));
        assert_eq!(parse(args(&["--check", fs])), Some(("check", vec![f.clone()])));
        assert_eq!(parse(args(&[fs])), Some(("check", vec![f.clone()])));
        // Missing files, folders and unknown switches are ignored.
        assert_eq!(
            parse(args(&["--sign", "/no/such.pdf", dir.path().to_str().unwrap()])),
            None
        );
        assert_eq!(parse(args(&["--weird"])), None);
        assert_eq!(parse(args(&[])), None);
    }
}
