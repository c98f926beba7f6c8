//! Application state: settings, the files the user chose, the outputs Kyso wrote, loaded
//! token drivers, and the batch cancel flag. Paths are canonical without Windows' `\\?\`
//! prefix (`dunce`), since they are shown to the user.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use kyso_core::folders::Folders;
use kyso_core::journal::Journal;
use kyso_core::signer::pkcs11::Module;
use kyso_core::trust::Material;
use kyso_core::verify::VerifyOptions;

use crate::error::{CmdResult, CommandError};
use crate::settings::Settings;

/// Shared state behind the commands.
pub struct AppState {
    /// The user's folders (shared with the CLI, so both see the same trust store).
    pub folders: Folders,
    /// Config folder (`folders.config`).
    pub config_dir: PathBuf,
    /// The signing journal (never blocks signing).
    pub journal: Journal,
    /// Current settings.
    pub settings: Mutex<Settings>,
    chosen: Mutex<HashSet<PathBuf>>,
    produced: Mutex<HashSet<PathBuf>>,
    /// Loaded drivers, kept for the app's life (loading a driver twice is slow or unsafe).
    pub modules: Mutex<HashMap<PathBuf, Arc<Module>>>,
    /// Set by `cancel_signing`; checked between files.
    pub cancel: AtomicBool,
    /// The remote signing in progress, so `cancel_signing` can stop its wait at once.
    pub remote: Mutex<Option<kyso_core::signer::remote::Control>>,
    /// The local signing bridge.
    pub bridge: crate::commands::bridge::BridgeState,
}

impl AppState {
    /// Loads settings from the config folder.
    pub fn load() -> Result<Self, Box<dyn std::error::Error>> {
        let folders = Folders::for_user();
        let config_dir = folders.config.clone();
        let settings = Settings::load(&config_dir);
        let journal = kyso_core::workflow::journal(&folders);
        Ok(Self {
            folders,
            config_dir,
            journal,
            settings: Mutex::new(settings),
            chosen: Mutex::new(HashSet::new()),
            produced: Mutex::new(HashSet::new()),
            modules: Mutex::new(HashMap::new()),
            cancel: AtomicBool::new(false),
            remote: Mutex::new(None),
            bridge: Default::default(),
        })
    }

    /// A copy of the current settings.
    pub fn settings(&self) -> Settings {
        self.settings.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// What checks and long-term signatures trust: the shipped authorities, the store, the
    /// settings' anchors and the intermediates kept from earlier checks.
    pub fn trust(&self) -> CmdResult<Material> {
        Ok(Material::for_user(&self.folders, &self.settings(), &[])?)
    }

    /// Verification options from the settings (trust anchors, offline), the trust store and
    /// the revocation cache in the data folder.
    pub fn verify_options(&self) -> CmdResult<VerifyOptions> {
        Ok(VerifyOptions::new(self.trust()?, self.settings().offline).with_cache(&self.folders.data))
    }

    /// Registers files the user chose (dialog); returns them as strings.
    pub fn register(&self, paths: &[PathBuf]) -> Vec<String> {
        let mut chosen = self.chosen.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::new();
        for p in paths {
            let canon = dunce::canonicalize(p).unwrap_or_else(|_| p.clone());
            out.push(canon.display().to_string());
            chosen.insert(canon);
        }
        out
    }

    /// Registers dropped paths; folders expand to the PDFs and .p7s files inside.
    pub fn register_dropped(&self, paths: &[PathBuf]) -> Vec<String> {
        let mut files = Vec::new();
        for p in paths {
            if p.is_dir() {
                collect_documents(p, &mut files, 0);
            } else {
                files.push(p.clone());
            }
        }
        self.register(&files)
    }

    /// The canonical path if the user chose it, else an error.
    pub fn chosen(&self, path: &str) -> CmdResult<PathBuf> {
        let canon = dunce::canonicalize(path).map_err(|e| CommandError::new("IO", e.to_string()))?;
        let chosen = self.chosen.lock().unwrap_or_else(|e| e.into_inner());
        if chosen.contains(&canon) {
            Ok(canon)
        } else {
            Err(CommandError::new(
                "NOT_CHOSEN",
                format!("{path} was not chosen by the user"),
            ))
        }
    }

    /// Records an output Kyso wrote (the only paths "open folder" accepts).
    pub fn add_produced(&self, p: &Path) {
        let canon = dunce::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(canon);
    }

    /// Whether Kyso wrote this file.
    pub fn is_produced(&self, p: &Path) -> bool {
        let canon = dunce::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&canon)
    }
}

/// PDFs and .p7s files under `dir` (recursive, bounded depth), sorted.
pub fn collect_documents(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_documents(&p, out, depth + 1);
        } else if p
            .extension()
            .is_some_and(|x| ["pdf", "p7s", "xml"].iter().any(|k| x.eq_ignore_ascii_case(k)))
        {
            out.push(p);
        }
    }
}
