//! Where Kyso keeps a user's things: settings, the trust store, the organisation profile,
//! remote accounts and the bridge's certificate in the config folder; the journal, the
//! revocation cache and downloaded updates in the data folder. The faces (CLI, app, bridge)
//! choose the folders once and pass them in; nothing below this module looks them up, so
//! tests and portable installs can move them freely.
//!
//! On Windows the config folder roams with the user (`%APPDATA%\Kyso`); the data folder (a
//! SQLite journal, which must not be copied while open by a roaming profile, and updates)
//! stays on this computer (`%LOCALAPPDATA%\Kyso`). On Linux and macOS the usual XDG / Library
//! folders. Nothing is ever written next to the program (an upgrade or uninstall replaces
//! that folder, and users cannot write to Program Files).

use std::path::PathBuf;

/// The user's folders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folders {
    /// Settings, trust store, profile, remote accounts (no secrets).
    pub config: PathBuf,
    /// Journal, waiting queue, revocation cache, updates.
    pub data: PathBuf,
}

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|d| !d.is_empty()).map(PathBuf::from)
}

impl Folders {
    /// The operating system's folders for Kyso, unless `KYSO_CONFIG_DIR` / `KYSO_DATA_DIR`
    /// name others. Called by the faces only.
    pub fn for_user() -> Self {
        let project = directories::ProjectDirs::from("vn", "Kyso", "Kyso");
        let base = directories::BaseDirs::new();
        let config = env_dir("KYSO_CONFIG_DIR").unwrap_or_else(|| match (&base, &project) {
            (Some(b), _) if cfg!(windows) => b.config_dir().join("Kyso"),
            (_, Some(p)) => p.config_dir().to_path_buf(),
            _ => PathBuf::from(".kyso"),
        });
        let data = env_dir("KYSO_DATA_DIR").unwrap_or_else(|| match (&base, &project) {
            (Some(b), _) if cfg!(windows) => b.data_local_dir().join("Kyso"),
            (_, Some(p)) => p.data_dir().to_path_buf(),
            _ => PathBuf::from(".kyso"),
        });
        Self { config, data }
    }

    /// Both folders under one directory (tests, portable use).
    pub fn under(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Self {
            config: dir.join("config"),
            data: dir.join("data"),
        }
    }

    /// Where accepted updates are saved before the user runs them.
    pub fn updates(&self) -> PathBuf {
        self.data.join("updates")
    }
}
