//! Finds installed token drivers (PKCS#11 libraries) of the Vietnamese CAs by their file names
//! in the usual library folders. Only these fixed folders are searched: a library path never
//! comes from a document or a web page.

use std::path::{Path, PathBuf};

/// File stems of Vietnamese token middleware (see shared design notes, vn-pki.md).
pub const MIDDLEWARE_STEMS: &[&str] = &[
    "bit4xpki",
    "vnpt-ca_csp11",
    "vnpt-ca_csp11_s",
    "vnptca_p11_v6",
    "vnptca_p11_v7",
    "vnptca_p11_v8",
    "vnptca_p11_v9",
    "vnptca_p11_v10",
    "vnpt-ca_v34",
    "vnpt-ca_cl_v1",
    "viettel-ca",
    "viettel-ca_v1",
    "viettel-ca_v2",
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
    "nca_v4",
    "nca_v5",
    "nca_v6",
    "nca_v7",
    "nca_v8",
    "nca_v9",
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
    "eps2003csp11",
    "eToken",
    "etpkcs11",
    "opensc-pkcs11",
];

/// Folders searched on this OS.
pub fn search_dirs() -> Vec<PathBuf> {
    if cfg!(windows) {
        let root = std::env::var_os("SystemRoot").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
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

/// Installed middleware libraries found in `dirs`.
pub fn find_in(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        for stem in MIDDLEWARE_STEMS {
            for name in file_names(stem) {
                let p = d.join(name);
                if is_regular_file(&p) && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// Installed middleware libraries in the standard folders.
pub fn find_installed() -> Vec<PathBuf> {
    find_in(&search_dirs())
}

/// A module path is acceptable only if it is an existing regular file (after following links).
pub fn is_regular_file(p: &Path) -> bool {
    std::fs::metadata(p).map(|m| m.is_file()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_middleware_by_name_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let name = if cfg!(windows) {
            "bit4xpki.dll"
        } else {
            "libbit4xpki.so"
        };
        std::fs::write(dir.path().join(name), b"").unwrap_or(());
        std::fs::write(dir.path().join("libunrelated.so"), b"").unwrap_or(());
        let found = find_in(&[dir.path().to_path_buf()]);
        assert_eq!(found, vec![dir.path().join(name)]);
    }
}
