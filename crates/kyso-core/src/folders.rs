//! Where Kyso keeps a user's things: settings, the trust store, the organisation profile and
//! remote accounts in the config folder; the journal and the revocation cache in the data
//! folder. The faces (CLI, app, bridge) choose the folders once and pass them in; nothing
//! below this module looks them up, so tests and portable installs can move them freely.

use std::path::PathBuf;

/// The user's folders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folders {
    /// Settings, trust store, profile, remote accounts (no secrets).
    pub config: PathBuf,
    /// Journal, waiting queue, revocation cache.
    pub data: PathBuf,
}

impl Folders {
    /// The operating system's folders for Kyso (`%APPDATA%\Kyso` and `%LOCALAPPDATA%\Kyso`
    /// on Windows, XDG folders on Linux), unless `KYSO_CONFIG_DIR` / `KYSO_DATA_DIR` name
    /// others. Called by the faces only.
    pub fn for_user() -> Self {
        let dirs = directories::ProjectDirs::from("vn", "Kyso", "Kyso");
        let from_env = |var: &str| std::env::var_os(var).filter(|d| !d.is_empty()).map(PathBuf::from);
        Self {
            config: from_env("KYSO_CONFIG_DIR").unwrap_or_else(|| {
                dirs.as_ref()
                    .map(|p| p.config_dir().to_path_buf())
                    .unwrap_or_else(|| PathBuf::from(".kyso"))
            }),
            data: from_env("KYSO_DATA_DIR").unwrap_or_else(|| {
                dirs.as_ref()
                    .map(|p| p.data_dir().to_path_buf())
                    .unwrap_or_else(|| PathBuf::from(".kyso"))
            }),
        }
    }

    /// Both folders under one directory (tests, portable use).
    pub fn under(dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        Self {
            config: dir.join("config"),
            data: dir.join("data"),
        }
    }
}
