//! Where Kyso keeps the user's files. On Windows, settings, the trust store, the
//! organisation profile and the bridge's certificate roam with the user in `%APPDATA%\Kyso`;
//! the journal (a SQLite database, which must not be copied while open by a roaming profile)
//! and downloaded updates stay on this computer in `%LOCALAPPDATA%\Kyso`. On Linux and macOS
//! the usual XDG / Library folders. Nothing is ever written next to the program (an
//! upgrade or uninstall replaces that folder, and users cannot write to Program Files).

use std::path::PathBuf;

fn env_dir(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).filter(|d| !d.is_empty()).map(PathBuf::from)
}

/// The config folder (`KYSO_CONFIG_DIR` overrides it, for tests and portable installs).
pub fn config_dir() -> PathBuf {
    if let Some(d) = env_dir("KYSO_CONFIG_DIR") {
        return d;
    }
    if cfg!(windows) {
        if let Some(b) = directories::BaseDirs::new() {
            return b.config_dir().join("Kyso");
        }
    }
    directories::ProjectDirs::from("vn", "Kyso", "Kyso")
        .map(|p| p.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".kyso"))
}

/// The data folder: the journal and its queue (`KYSO_DATA_DIR` overrides it).
pub fn data_dir() -> PathBuf {
    if let Some(d) = env_dir("KYSO_DATA_DIR") {
        return d;
    }
    if cfg!(windows) {
        if let Some(b) = directories::BaseDirs::new() {
            return b.data_local_dir().join("Kyso");
        }
    }
    directories::ProjectDirs::from("vn", "Kyso", "Kyso")
        .map(|p| p.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".kyso"))
}

/// Where accepted updates are saved before the user runs them.
pub fn updates_dir() -> PathBuf {
    data_dir().join("updates")
}
