//! Windows only: token drivers named by what the middleware's installers write in the
//! registry (read only, 64-bit and 32-bit views):
//! - the smart-card CSPs they register, `HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\
//!   Provider\<name>\Image Path` (Viettel-CA, VNPT-CA, FPT-CA … register `X_s.dll` and put the
//!   PKCS#11 driver `X.dll` beside it);
//! - the install folder of their uninstall entry (`…\CurrentVersion\Uninstall\*\
//!   InstallLocation`) when its name or publisher names a vendor; that folder is searched like
//!   the vendor folders in Program Files.

use std::path::PathBuf;

use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY};
use winreg::RegKey;

use super::discover;

const CSP: &str = r"SOFTWARE\Microsoft\Cryptography\Defaults\Provider";
const UNINSTALL: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
/// Bounds on what is read (a registry can hold thousands of uninstall entries).
const MAX_KEYS: usize = 2000;

fn open(path: &str, view: u32) -> Option<RegKey> {
    RegKey::predef(HKEY_LOCAL_MACHINE)
        .open_subkey_with_flags(path, KEY_READ | view)
        .ok()
}

/// Driver candidates from the registry (existing files only).
pub fn candidates() -> Vec<PathBuf> {
    let system = std::env::var_os("SystemRoot")
        .map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from)
        .join("System32");
    let mut out = Vec::new();
    for view in [KEY_WOW64_64KEY, KEY_WOW64_32KEY] {
        if let Some(csps) = open(CSP, view) {
            for name in csps.enum_keys().flatten().take(MAX_KEYS) {
                let Ok(k) = csps.open_subkey_with_flags(&name, KEY_READ | view) else {
                    continue;
                };
                if let Ok(image) = k.get_value::<String, _>("Image Path") {
                    out.extend(discover::from_csp_image(&discover::expand_path(&image, &system)));
                }
            }
        }
        if let Some(apps) = open(UNINSTALL, view) {
            for name in apps.enum_keys().flatten().take(MAX_KEYS) {
                let Ok(k) = apps.open_subkey_with_flags(&name, KEY_READ | view) else {
                    continue;
                };
                let shown: String = k.get_value("DisplayName").unwrap_or_default();
                let publisher: String = k.get_value("Publisher").unwrap_or_default();
                if !(discover::is_vendor_name(&shown) || discover::is_vendor_name(&publisher)) {
                    continue;
                }
                if let Ok(dir) = k.get_value::<String, _>("InstallLocation") {
                    let dir = discover::expand_path(&dir, &system);
                    if dir.is_dir() && dir.parent().is_some() {
                        out.extend(discover::scan_vendor_folder(&dir));
                    }
                }
            }
        }
    }
    out
}
