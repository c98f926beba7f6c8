//! What Kyso can tell about a token driver file before loading it, and what a failed load
//! means. Vietnamese middleware often installs only a 32-bit driver (in `SysWOW64` or
//! `Program Files (x86)`, or `/usr/lib/fptca_v4.so` on Linux); a 64-bit program cannot load
//! it, and Windows says only "LoadLibraryExW failed" (error 193 hidden underneath). So the
//! file's machine is read from its header (PE `Machine`, ELF `e_machine`) first, and load
//! errors are shown with their real cause and what to do.

use std::io::Read;
use std::path::Path;

/// The processor a library is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    /// 32-bit x86.
    X86,
    /// 64-bit x86.
    X86_64,
    /// 64-bit ARM.
    Arm64,
    /// Something else (the header's machine number).
    Other(u16),
}

impl Arch {
    /// Words for a user.
    pub fn describe(self) -> String {
        match self {
            Self::X86 => "32-bit (x86)".into(),
            Self::X86_64 => "64-bit (x64)".into(),
            Self::Arm64 => "64-bit ARM".into(),
            Self::Other(m) => format!("machine type {m:#06x}"),
        }
    }
}

/// The processor this program runs on.
pub fn native() -> Arch {
    if cfg!(target_arch = "x86_64") {
        Arch::X86_64
    } else if cfg!(target_arch = "aarch64") {
        Arch::Arm64
    } else if cfg!(target_arch = "x86") {
        Arch::X86
    } else {
        Arch::Other(0)
    }
}

/// The machine a PE (`.dll`) or ELF (`.so`) file is built for, from its header; `None` for
/// other files (macOS libraries, text, truncated files).
pub fn arch_of(path: &Path) -> Option<Arch> {
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    arch_of_bytes(&head)
}

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// [`arch_of`] on the first bytes of a file.
pub fn arch_of_bytes(head: &[u8]) -> Option<Arch> {
    if head.starts_with(b"MZ") {
        // DOS header → e_lfanew (offset 0x3C) → "PE\0\0" → IMAGE_FILE_HEADER.Machine.
        let pe = u32_le(head, 0x3C)? as usize;
        if head.get(pe..pe + 4)? != b"PE\0\0" {
            return None;
        }
        return Some(match u16_le(head, pe + 4)? {
            0x014C => Arch::X86,
            0x8664 => Arch::X86_64,
            0xAA64 => Arch::Arm64,
            m => Arch::Other(m),
        });
    }
    if head.starts_with(b"\x7fELF") {
        // e_machine at 18, in the file's byte order (EI_DATA: 1 little, 2 big endian).
        let raw: [u8; 2] = head.get(18..20)?.try_into().ok()?;
        let m = if head.get(5) == Some(&2) {
            u16::from_be_bytes(raw)
        } else {
            u16::from_le_bytes(raw)
        };
        return Some(match m {
            3 => Arch::X86,
            62 => Arch::X86_64,
            183 => Arch::Arm64,
            m => Arch::Other(m),
        });
    }
    None
}

/// Why this program cannot load `path`, when its header already says so.
pub fn foreign_reason(path: &Path) -> Option<String> {
    let arch = arch_of(path)?;
    let me = native();
    (arch != me).then(|| {
        format!(
            "this driver is {} but Kyso is {}, and a program can only load a driver built like itself; \
             install the {} driver from your token's supplier (on 64-bit Windows, the \"x64\" or \"64-bit\" package)",
            arch.describe(),
            me.describe(),
            me.describe()
        )
    })
}

/// Whether a library exports `C_GetFunctionList` (the entry point of every PKCS#11 driver);
/// used for drivers found through the registry or in a vendor's folder, where the file name
/// alone says nothing. Files over 64 MB are not read. The answer is remembered per file
/// (path, size, modification time): the app looks for drivers every few seconds.
pub fn exports_pkcs11(path: &Path) -> bool {
    type Key = (std::path::PathBuf, u64, Option<std::time::SystemTime>);
    static SEEN: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<Key, bool>>> =
        std::sync::OnceLock::new();
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() || meta.len() > 64 << 20 {
        return false;
    }
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let seen = SEEN.get_or_init(Default::default);
    if let Some(v) = seen.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return *v;
    }
    let answer = read_exports_pkcs11(path);
    let mut map = seen.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() > 4096 {
        map.clear();
    }
    map.insert(key, answer);
    answer
}

fn read_exports_pkcs11(path: &Path) -> bool {
    use object::read::Object;
    let Ok(data) = std::fs::read(path) else {
        return false;
    };
    let Ok(file) = object::File::parse(&*data) else {
        return false;
    };
    file.exports()
        .map(|e| e.iter().any(|x| x.name() == b"C_GetFunctionList"))
        .unwrap_or(false)
}

/// A load error with every cause underneath it (libloading's "LoadLibraryExW failed" hides
/// the Windows error in its source) and what the usual Windows errors mean.
pub fn explain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut os_code = None;
    let mut cur = error.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            os_code = io.raw_os_error().or(os_code);
        }
        cur = e.source();
    }
    let hint = match os_code {
        // ERROR_BAD_EXE_FORMAT
        Some(193) if cfg!(windows) => Some(
            "the file is not a driver this 64-bit program can load (a 32-bit driver, or a damaged file); \
             install the 64-bit driver from your token's supplier",
        ),
        // ERROR_MOD_NOT_FOUND: the driver itself exists, so a DLL it needs is missing.
        Some(126) if cfg!(windows) => {
            Some("a DLL this driver needs is missing; reinstall the token software from your supplier")
        }
        // ERROR_ACCESS_DENIED
        Some(5) if cfg!(windows) => Some("Windows refused access to the file (antivirus or permissions)"),
        _ => None,
    };
    match hint {
        Some(h) => format!("{text} — {h}"),
        None => text,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pe(machine: u16) -> Vec<u8> {
        let mut b = vec![0u8; 0x100];
        b[..2].copy_from_slice(b"MZ");
        b[0x3C..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        b[0x80..0x84].copy_from_slice(b"PE\0\0");
        b[0x84..0x86].copy_from_slice(&machine.to_le_bytes());
        b
    }

    #[test]
    fn pe_and_elf_machines() {
        assert_eq!(arch_of_bytes(&pe(0x014C)), Some(Arch::X86));
        assert_eq!(arch_of_bytes(&pe(0x8664)), Some(Arch::X86_64));
        assert_eq!(arch_of_bytes(&pe(0xAA64)), Some(Arch::Arm64));
        let mut bad = pe(0x8664);
        bad[0x80] = b'X';
        assert_eq!(arch_of_bytes(&bad), None);
        // e_lfanew pointing past the end, truncated files, text.
        let mut far = pe(0x8664);
        far[0x3C..0x40].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        assert_eq!(arch_of_bytes(&far), None);
        assert_eq!(arch_of_bytes(b"MZ"), None);
        assert_eq!(arch_of_bytes(b"hello"), None);
        let mut elf32 = vec![0u8; 64];
        elf32[..4].copy_from_slice(b"\x7fELF");
        elf32[4] = 1;
        elf32[5] = 1;
        elf32[18] = 3;
        assert_eq!(arch_of_bytes(&elf32), Some(Arch::X86));
    }

    #[test]
    fn real_libraries_on_this_machine() {
        // This test binary is a library-like file of the native machine; SoftHSM2's driver
        // exports C_GetFunctionList (skipped when it is not installed).
        let me = std::env::current_exe().unwrap();
        assert_eq!(arch_of(&me), Some(native()));
        assert_eq!(foreign_reason(&me), None);
        assert!(!exports_pkcs11(&me));
        let softhsm = Path::new("/usr/lib/softhsm/libsofthsm2.so");
        if softhsm.exists() {
            assert!(exports_pkcs11(softhsm));
        }
    }

    #[test]
    fn a_foreign_driver_is_explained_before_loading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bit4xpki.dll");
        let other = if native() == Arch::X86 { 0x8664 } else { 0x014C };
        std::fs::write(&p, pe(other)).unwrap();
        let why = foreign_reason(&p).unwrap();
        assert!(why.contains("but Kyso is"), "{why}");
    }

    #[test]
    fn causes_underneath_are_shown() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("LoadLibraryExW failed")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = Outer(std::io::Error::other("the real cause"));
        assert_eq!(explain(&e), "LoadLibraryExW failed: the real cause");
    }
}
