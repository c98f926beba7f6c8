//! The user's settings live in the core (`kyso_core::settings`), shared with the CLI.

pub use kyso_core::settings::Settings;
