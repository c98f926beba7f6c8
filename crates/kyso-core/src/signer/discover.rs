//! Finds installed token drivers (PKCS#11 libraries) of the Vietnamese CAs. Only fixed places
//! are searched — a library path never comes from a document or a web page:
//! - the system library folders, by the middleware's known file names (Windows: `System32`,
//!   and `SysWOW64`, where only 32-bit drivers live — found so Kyso can say why it cannot use
//!   them);
//! - the vendors' own folders (Windows: `Program Files` and `Program Files (x86)` folders
//!   named for a Vietnamese CA or token maker; Linux: `/opt`), by name or by the
//!   `C_GetFunctionList` entry point every PKCS#11 driver exports;
//! - on Windows, what the middleware's installers write in the registry: the smart-card
//!   CSP they register (`…\Cryptography\Defaults\Provider\*\Image Path`; EnterSafe-style
//!   drivers register `X_s.dll` and put the PKCS#11 driver `X.dll` beside it) and the
//!   install folder of their uninstall entry.
//!
//! Each driver is listed once: the same file reached through a symbolic link (OpenSC's
//! `/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so` → `pkcs11/opensc-pkcs11.so`) or in two
//! folders counts once, and a 32-bit copy is dropped when a driver of the same name built
//! for this program exists. Drivers this program can load come first.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::library;

/// File stems of Vietnamese token middleware (see shared design notes, vn-pki.md).
pub const MIDDLEWARE_STEMS: &[&str] = &[
    "bit4xpki",
    "vnpt-ca_csp11",
    "vnpt-ca_csp11_s",
    "vnptca_p11_v6",
    "vnptca_p11_v7",
    "vnptca_p11_v8",
    "vnptca_p11_v81",
    "vnptca_p11_v9",
    "vnptca_p11_v10",
    "vnptcav2_p11_v8",
    "vnpt-ca_v34",
    "vnpt-ca_cl_v1",
    "viettel-ca",
    "viettel-ca_v1",
    "viettel-ca_v2",
    "viettel-ca_v3",
    "viettel-ca_v4",
    "viettel-ca_v5",
    "viettel-ca_v6",
    "viettel-ca_v2_s.x64",
    "fptca_v3",
    "fptca_v4",
    "fptca_v5",
    "fptca_v6",
    "fpt-ca",
    "fpt-ca-stx",
    "fpt_ca",
    "BkavCA",
    "BkavCAv2S",
    "bkavcaetoken",
    "BkavCA_P11",
    "st3csp11",
    "nca_v4",
    "nca_v5",
    "nca_v6",
    "nca_v7",
    "nca_v8",
    "nca_v9",
    "ncca_csp11_v1",
    "CA2_csp11",
    "Vina-CA",
    "Vina-CAv2",
    "Vina-CAv3",
    "Vina-CAv4",
    "Vina-CAv5",
    "Vina-CAv6",
    "Vina-CAv7",
    "Vina-CAv8",
    "Vina-CAv9",
    "Vina-CAv10",
    "safe-ca",
    "NEWTEL-CA",
    "CA2_v34",
    "fca_v1",
    "eps2003csp11",
    "eps2003csp11v2",
    "eToken",
    "etpkcs11",
    "opensc-pkcs11",
];

/// Words (lower case) in the name of a vendor's folder or uninstall entry: Vietnamese CAs,
/// the token makers they rebrand, OpenSC.
const VENDOR_WORDS: &[&str] = &[
    "vnpt",
    "viettel",
    "fpt",
    "bkav",
    "bit4id",
    "vgca",
    "nacencomm",
    "ncca",
    "ca2",
    "newtel",
    "vina",
    "vinaca",
    "smartsign",
    "safeca",
    "misa",
    "efy",
    "fastca",
    "easyca",
    "cyberlotus",
    "opensc",
    "safenet",
    "feitian",
    "entersafe",
    "epass2003",
    "securemetric",
];

/// At most this many files are looked at in one vendor folder (and this deep).
const VENDOR_FILES: usize = 400;
const VENDOR_DEPTH: usize = 4;

/// System library folders searched by file name on this OS.
pub fn search_dirs() -> Vec<PathBuf> {
    if cfg!(windows) {
        let root = windows_root();
        vec![root.join("System32"), root.join("SysWOW64")]
    } else if cfg!(target_os = "macos") {
        vec![
            "/usr/local/lib".into(),
            "/Library/Frameworks".into(),
            "/usr/lib".into(),
        ]
    } else {
        vec![
            "/usr/lib".into(),
            "/usr/lib64".into(),
            "/usr/local/lib".into(),
            "/usr/lib/x86_64-linux-gnu".into(),
            "/usr/lib/x86_64-linux-gnu/pkcs11".into(),
            "/usr/lib/pkcs11".into(),
            "/opt/lib".into(),
        ]
    }
}

fn windows_root() -> PathBuf {
    std::env::var_os("SystemRoot").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from)
}

/// Folders holding vendors' folders: `Program Files` (both) on Windows, `/opt` elsewhere.
pub fn vendor_roots() -> Vec<PathBuf> {
    if cfg!(windows) {
        let mut out: Vec<PathBuf> = ["ProgramW6432", "ProgramFiles", "ProgramFiles(x86)"]
            .iter()
            .filter_map(std::env::var_os)
            .map(PathBuf::from)
            .collect();
        if out.is_empty() {
            out.push(PathBuf::from(r"C:\Program Files"));
            out.push(PathBuf::from(r"C:\Program Files (x86)"));
        }
        out
    } else {
        vec!["/opt".into()]
    }
}

/// Candidate file names for one stem on this OS.
fn file_names(stem: &str) -> Vec<String> {
    if cfg!(windows) {
        vec![format!("{stem}.dll")]
    } else if cfg!(target_os = "macos") {
        vec![format!("lib{stem}.dylib"), format!("{stem}.dylib")]
    } else {
        vec![format!("lib{stem}.so"), format!("{stem}.so")]
    }
}

fn library_extension() -> &'static str {
    if cfg!(windows) {
        "dll"
    } else if cfg!(target_os = "macos") {
        "dylib"
    } else {
        "so"
    }
}

/// Whether a file name is one of the known middleware names (case-insensitive: Windows
/// file names are).
fn is_known_name(name: &str) -> bool {
    MIDDLEWARE_STEMS
        .iter()
        .flat_map(|s| file_names(s))
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// Whether a folder or program name names a vendor.
pub fn is_vendor_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let joined: String = words.concat();
    VENDOR_WORDS
        .iter()
        .any(|v| words.iter().any(|w| w == v) || joined.starts_with(v))
}

/// Known middleware libraries found by name in `dirs`, then drivers in the vendors' folders
/// under `vendor_roots` — each once, loadable ones first.
pub fn find_in(dirs: &[PathBuf]) -> Vec<PathBuf> {
    find_with(dirs, &[], Vec::new())
}

fn find_with(dirs: &[PathBuf], vendor_roots: &[PathBuf], extra: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        for stem in MIDDLEWARE_STEMS {
            for name in file_names(stem) {
                let p = d.join(name);
                if is_regular_file(&p) {
                    out.push(p);
                }
            }
        }
    }
    for root in vendor_roots {
        let Ok(rd) = std::fs::read_dir(root) else { continue };
        let mut vendors: Vec<PathBuf> = rd
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| is_vendor_name(&e.file_name().to_string_lossy()))
            .map(|e| e.path())
            .collect();
        vendors.sort();
        for v in vendors {
            out.extend(scan_vendor_folder(&v));
        }
    }
    out.extend(extra);
    prefer_native(unique(out))
}

/// Driver files in one vendor's folder: known names, or any library exporting
/// `C_GetFunctionList` (vendors rename their drivers with every version). Bounded in depth
/// and in files looked at.
pub fn scan_vendor_folder(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut budget = VENDOR_FILES;
    walk(dir, 0, &mut budget, &mut out);
    out
}

fn walk(dir: &Path, depth: usize, budget: &mut usize, out: &mut Vec<PathBuf>) {
    if depth > VENDOR_DEPTH {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<std::fs::DirEntry> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let Ok(t) = e.file_type() else { continue };
        let p = e.path();
        if t.is_dir() {
            walk(&p, depth + 1, budget, out);
        } else if t.is_file()
            && p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case(library_extension()))
            && (is_known_name(&e.file_name().to_string_lossy()) || library::exports_pkcs11(&p))
        {
            out.push(p);
        }
    }
}

/// Each file once: paths that lead to the same file (links, `..`, letter case on Windows)
/// keep the first spelling.
pub fn unique(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for p in paths {
        let real = dunce::canonicalize(&p).unwrap_or_else(|_| p.clone());
        let key = if cfg!(windows) {
            real.to_string_lossy().to_lowercase()
        } else {
            real.to_string_lossy().into_owned()
        };
        if seen.insert(key) {
            out.push(p);
        }
    }
    out
}

/// Drops a driver built for another processor when one of the same name built for this
/// program exists (`System32\x.dll` beside `SysWOW64\x.dll`), and puts the foreign ones
/// last: they are kept only so the user learns why they cannot be used.
pub fn prefer_native(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().to_lowercase());
    let foreign: Vec<bool> = paths
        .iter()
        .map(|p| library::foreign_reason(p).is_some())
        .collect();
    let native_names: HashSet<Option<String>> = paths
        .iter()
        .zip(&foreign)
        .filter(|(_, f)| !**f)
        .map(|(p, _)| name(p))
        .collect();
    let (mut first, mut last) = (Vec::new(), Vec::new());
    for (p, f) in paths.into_iter().zip(foreign) {
        if !f {
            first.push(p);
        } else if !native_names.contains(&name(&p)) {
            last.push(p);
        }
    }
    first.extend(last);
    first
}

/// Installed middleware libraries in the standard places.
pub fn find_installed() -> Vec<PathBuf> {
    find_with(&search_dirs(), &vendor_roots(), registry_candidates())
}

#[cfg(windows)]
fn registry_candidates() -> Vec<PathBuf> {
    super::registry::candidates()
}

#[cfg(not(windows))]
fn registry_candidates() -> Vec<PathBuf> {
    Vec::new()
}

/// `%SystemRoot%\x.dll` → `C:\Windows\x.dll` (registry values of type REG_EXPAND_SZ); a
/// relative name is in `System32`. Unknown variables are left as they are.
pub fn expand_path(value: &str, system_dir: &Path) -> PathBuf {
    let mut out = String::new();
    let mut rest = value.trim().trim_matches('"');
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('%') {
            Some(end) => {
                let var = &after[..end];
                match std::env::var(var) {
                    Ok(v) if !var.is_empty() => out.push_str(&v),
                    _ => {
                        out.push('%');
                        out.push_str(var);
                        out.push('%');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('%');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let p = PathBuf::from(&out);
    let absolute = p.is_absolute() || out.starts_with('\\') || out.get(1..2) == Some(":");
    if absolute {
        p
    } else {
        system_dir.join(p)
    }
}

/// The PKCS#11 drivers a smart-card CSP registration points at: the CSP image itself when it
/// exports `C_GetFunctionList`, and `X.dll` beside a CSP `X_s.dll`.
pub fn from_csp_image(image: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let (Some(dir), Some(stem)) = (
        image.parent(),
        image.file_stem().map(|s| s.to_string_lossy().into_owned()),
    ) {
        if let Some(base) = stem.strip_suffix("_s").or_else(|| stem.strip_suffix("_S")) {
            let derived = dir.join(format!("{base}.{}", library_extension()));
            if is_regular_file(&derived) && library::exports_pkcs11(&derived) {
                out.push(derived);
            }
        }
    }
    if is_regular_file(image) && library::exports_pkcs11(image) {
        out.push(image.to_path_buf());
    }
    out
}

/// A module path is acceptable only if it is an existing regular file (after following links).
pub fn is_regular_file(p: &Path) -> bool {
    std::fs::metadata(p).map(|m| m.is_file()).unwrap_or(false)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn lib_name(stem: &str) -> String {
        if cfg!(windows) {
            format!("{stem}.dll")
        } else {
            format!("lib{stem}.so")
        }
    }

    #[test]
    fn finds_middleware_by_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let name = lib_name("bit4xpki");
        std::fs::write(dir.path().join(&name), b"").unwrap();
        std::fs::write(dir.path().join("libunrelated.so"), b"").unwrap();
        let found = find_in(&[dir.path().to_path_buf()]);
        assert_eq!(found, vec![dir.path().join(name)]);
    }

    #[cfg(unix)]
    #[test]
    fn a_driver_reached_twice_is_listed_once() {
        // OpenSC on Debian: x86_64-linux-gnu/opensc-pkcs11.so is a link to pkcs11/opensc-pkcs11.so,
        // and both folders are searched.
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("pkcs11");
        std::fs::create_dir(&real_dir).unwrap();
        std::fs::copy(
            std::env::current_exe().unwrap(),
            real_dir.join("opensc-pkcs11.so"),
        )
        .unwrap();
        std::os::unix::fs::symlink("pkcs11/opensc-pkcs11.so", dir.path().join("opensc-pkcs11.so")).unwrap();
        let found = find_in(&[
            dir.path().to_path_buf(),
            real_dir.clone(),
            dir.path().to_path_buf(),
        ]);
        assert_eq!(found, vec![dir.path().join("opensc-pkcs11.so")]);
    }

    #[test]
    fn a_foreign_copy_is_dropped_when_a_native_one_exists_and_listed_last_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let (native_dir, wow) = (dir.path().join("System32"), dir.path().join("SysWOW64"));
        std::fs::create_dir(&native_dir).unwrap();
        std::fs::create_dir(&wow).unwrap();
        // A 32-bit PE header (this test runs 64-bit) and this test binary as the native driver.
        let mut pe32 = vec![0u8; 0x100];
        pe32[..2].copy_from_slice(b"MZ");
        pe32[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        pe32[0x80..0x84].copy_from_slice(b"PE\0\0");
        pe32[0x84..0x86].copy_from_slice(&0x014Cu16.to_le_bytes());
        let a = lib_name("bit4xpki");
        let b = lib_name("vnptca_p11_v8");
        std::fs::write(wow.join(&a), &pe32).unwrap();
        std::fs::write(wow.join(&b), &pe32).unwrap();
        std::fs::copy(std::env::current_exe().unwrap(), native_dir.join(&a)).unwrap();
        let found = find_in(&[wow.clone(), native_dir.clone()]);
        assert_eq!(found, vec![native_dir.join(&a), wow.join(&b)]);
    }

    #[test]
    fn vendor_folders_are_recognised_by_name() {
        for n in [
            "VNPT-CA Plugin",
            "Viettel-CA",
            "BkavCA Token Manager",
            "Bkav Corporation",
            "FPT-CA",
            "OpenSC Project",
            "Vina-CA",
            "NEWTEL-CA",
        ] {
            assert!(is_vendor_name(n), "{n}");
        }
        for n in [
            "Microsoft Office",
            "Common Files",
            "Applications",
            "Mozilla Firefox",
            "Windows Defender",
        ] {
            assert!(!is_vendor_name(n), "{n}");
        }
    }

    #[test]
    fn vendor_folders_are_scanned_for_drivers() {
        let root = tempfile::tempdir().unwrap();
        let vendor = root.path().join("VNPT-CA Token").join("x64");
        std::fs::create_dir_all(&vendor).unwrap();
        let other = root.path().join("Some Editor");
        std::fs::create_dir_all(&other).unwrap();
        let name = lib_name("vnptca_p11_v8");
        std::fs::write(vendor.join(&name), b"").unwrap();
        std::fs::write(other.join(&name), b"").unwrap();
        // An unknown name that is no PKCS#11 driver is skipped; SoftHSM2 (a real driver under an
        // unknown name) is found by its entry point when installed.
        std::fs::write(
            vendor.join(format!("helper.{}", library_extension())),
            b"not a library",
        )
        .unwrap();
        let softhsm = Path::new("/usr/lib/softhsm/libsofthsm2.so");
        let renamed = vendor.join("libnewtoken_v11.so");
        if cfg!(unix) && softhsm.exists() {
            std::fs::copy(softhsm, &renamed).unwrap();
        }
        let found = find_with(&[], &[root.path().to_path_buf()], Vec::new());
        let mut want = vec![];
        if cfg!(unix) && softhsm.exists() {
            want.push(renamed);
        }
        want.push(vendor.join(&name));
        assert_eq!(found, want);
    }

    #[test]
    fn registry_values_become_paths() {
        let sys = Path::new("/sys32");
        std::env::set_var("KYSO_TEST_ROOT", "/win");
        assert_eq!(
            expand_path("%KYSO_TEST_ROOT%/a_s.dll", sys),
            PathBuf::from("/win/a_s.dll")
        );
        assert_eq!(expand_path("\"a_s.dll\"", sys), PathBuf::from("/sys32/a_s.dll"));
        assert_eq!(
            expand_path("%NO_SUCH_VAR_KYSO%/x.dll", sys),
            PathBuf::from("/sys32/%NO_SUCH_VAR_KYSO%/x.dll")
        );
        assert_eq!(expand_path("C:\\x\\y.dll", sys), PathBuf::from("C:\\x\\y.dll"));
    }

    #[cfg(unix)]
    #[test]
    fn a_csp_shell_leads_to_the_driver_beside_it() {
        let softhsm = Path::new("/usr/lib/softhsm/libsofthsm2.so");
        if !softhsm.exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("viettel-ca_v6_s.so"), b"csp").unwrap();
        std::fs::copy(softhsm, dir.path().join("viettel-ca_v6.so")).unwrap();
        assert_eq!(
            from_csp_image(&dir.path().join("viettel-ca_v6_s.so")),
            vec![dir.path().join("viettel-ca_v6.so")]
        );
        assert!(from_csp_image(&dir.path().join("rsaenh.so")).is_empty());
    }
}
