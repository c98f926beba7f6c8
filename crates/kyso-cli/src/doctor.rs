//! `kyso doctor`: the self-check, as text (Vietnamese first, `--english`) or JSON. Exit 0 when
//! no line is red, 1 when one is.

use kyso_core::doctor::{self, Inputs, Status};

use crate::args::DoctorArgs;

/// Runs `kyso doctor`.
pub fn run(a: DoctorArgs) -> u8 {
    let (folders, settings) = crate::user();
    let report = doctor::run(&Inputs {
        folders: &folders,
        settings: &settings,
        drivers: crate::signer::module_paths(a.pkcs11.as_deref()),
        bridge_running_here: false,
    });
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print!(
            "{}",
            doctor::support_text(&report, if a.english { "en" } else { "vi" })
        );
    }
    u8::from(report.status == Status::Red)
}
