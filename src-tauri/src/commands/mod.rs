//! Tauri commands, one file per screen. Each is a few lines over kyso-core.

pub mod bridge;
pub mod certs;
pub mod doctor;
pub mod files;
pub mod journal;
pub mod launch;
pub mod profile;
pub mod remote;
pub mod settings;
pub mod sign;
pub mod trust;
pub mod update;
pub mod verify;
