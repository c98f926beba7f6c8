//! `kyso`: the scriptable face of kyso-core. Parses flags, runs, maps errors to exit codes;
//! what a signing or a check decides lives in the core.
//!
//! Exit codes: `sign` 0 = signed, 1 = refused or failed; `verify` 0 = every signature of
//! every file passed, 1 = some file has a signature that did not pass or no signature,
//! 2 = could not run; `tokens` 0 / 2.

mod args;
mod error;
mod longterm;
mod output;
mod remote;
mod serve;
mod sign;
mod signer;
mod store;
mod verify;

use std::process::ExitCode;

use clap::Parser;
use kyso_core::folders::Folders;
use kyso_core::settings::Settings;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Sign(a) => sign::run(*a),
        Command::Verify(a) => verify::run(a),
        Command::Augment(a) => longterm::run_augment(a),
        Command::Journal(a) => longterm::run_journal(a),
        Command::Profile(c) => store::run_profile(c),
        Command::Tokens(a) => signer::run_tokens(a),
        Command::Trust(c) => store::run_trust(c),
        Command::Providers(c) => remote::run(c),
        Command::Serve(a) => serve::run(*a),
    };
    ExitCode::from(code)
}

/// The user's folders and settings (the app's settings file, so a TSA or a driver set there
/// is used here too).
pub(crate) fn user() -> (Folders, Settings) {
    let folders = Folders::for_user();
    let settings = Settings::load(&folders.config);
    (folders, settings)
}
