//! File names Kyso makes (outputs next to an input, documents a web page sends through the
//! bridge, downloaded updates) must be valid on Windows as well as Linux, keep Vietnamese
//! letters, and never name a device: on Windows `CON`, `NUL`, `COM1`, … (with any
//! extension, on Windows 10) open the console, the null device or a serial port instead of
//! a file. Names that come from outside (a URL's last segment) may also carry path
//! separators, control characters or bidirectional overrides that disguise an extension
//! (`hoadon` + U+202E + `fdp.exe` shows as `hoadonexe.pdf`); all are removed here.

use unicode_normalization::UnicodeNormalization;

/// Longest name produced, in UTF-8 bytes (ext4 allows 255 bytes, NTFS 255 UTF-16 units;
/// a Vietnamese letter takes up to 3 bytes), leaving room for `-signed (999)`.
const MAX_BYTES: usize = 200;

/// Device names Windows reserves in every folder (compared without case, before the first
/// dot, trailing spaces ignored). `COM¹`… are reserved too (superscript digits).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$", "COM0", "COM1", "COM2", "COM3", "COM4",
    "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4",
    "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// Whether `name` is a Windows device name (`nul`, `Con.pdf`, `COM1 .txt`, …).
pub fn is_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base))
}

fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
        // Bidirectional embeddings, overrides and isolates; zero-width marks that hide text.
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// A file name (not a path) that is valid on Windows and Linux: NFC (so a Vietnamese name
/// typed on macOS matches the one typed on Windows), forbidden characters replaced by `_`,
/// controls and bidirectional marks dropped, no leading dots, no trailing dots or spaces
/// (Windows drops them silently), device names prefixed with `_`, at most 200 bytes with the
/// extension kept. `fallback` is used when nothing is left.
pub fn safe_file_name(name: &str, fallback: &str) -> String {
    let mut s: String = name
        .nfc()
        .filter(|c| !(c.is_control() || (forbidden(*c) && !c.is_ascii())))
        .map(|c| if forbidden(c) { '_' } else { c })
        .collect();
    s = s
        .trim_start_matches(['.', ' '])
        .trim_end_matches(['.', ' '])
        .to_string();
    if s.is_empty() || s.chars().all(|c| c == '_') {
        s = fallback.to_string();
    }
    if s.len() > MAX_BYTES {
        s = shorten(&s);
    }
    if is_reserved(&s) {
        s.insert(0, '_');
    }
    s
}

/// Cuts the stem (at a character boundary) so the whole name fits, keeping a short extension.
fn shorten(s: &str) -> String {
    let (stem, ext) = match s.rfind('.') {
        Some(i) if s.len() - i <= 16 => (&s[..i], &s[i..]),
        _ => (s, ""),
    };
    let room = MAX_BYTES.saturating_sub(ext.len());
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", stem[..cut].trim_end_matches(['.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_are_kept_and_normalised() {
        assert_eq!(
            safe_file_name("Quyết định số 01.pdf", "x"),
            "Quyết định số 01.pdf"
        );
        // Decomposed (NFD) input, as macOS writes it, becomes the composed form.
        let nfd: String = "Quyết định.pdf".nfd().collect();
        assert_ne!(nfd, "Quyết định.pdf");
        assert_eq!(safe_file_name(&nfd, "x"), "Quyết định.pdf");
    }

    #[test]
    fn device_names_are_never_produced() {
        for n in [
            "CON",
            "con.pdf",
            "Nul",
            "NUL.tar.gz",
            "com1.pdf",
            "LPT9",
            "COM¹.pdf",
            "conin$",
            "AUX .pdf",
        ] {
            let s = safe_file_name(n, "x");
            assert!(!is_reserved(&s), "{n} gave {s}");
            assert!(s.starts_with('_'), "{n} gave {s}");
        }
        for n in [
            "CONSOLE.pdf",
            "nullable.pdf",
            "COM10.pdf",
            "LPT.pdf",
            "Công văn.pdf",
        ] {
            assert_eq!(safe_file_name(n, "x"), n);
        }
    }

    #[test]
    fn separators_controls_and_overrides_are_removed() {
        assert_eq!(safe_file_name("../../etc/passwd", "x"), "_.._etc_passwd");
        assert_eq!(safe_file_name(r"C:\Windows\a.pdf", "x"), "C__Windows_a.pdf");
        assert_eq!(safe_file_name("a\u{0}b\r\n.pdf", "x"), "ab.pdf");
        assert_eq!(safe_file_name("hoadon\u{202E}fdp.exe", "x"), "hoadonfdp.exe");
        assert_eq!(safe_file_name("bad<>|?*\".pdf", "x"), "bad______.pdf");
        assert_eq!(safe_file_name("report. . .", "x"), "report");
        assert_eq!(safe_file_name(" .hidden.pdf", "x"), "hidden.pdf");
        assert_eq!(safe_file_name("", "document.pdf"), "document.pdf");
        assert_eq!(safe_file_name("...", "document.pdf"), "document.pdf");
        assert_eq!(safe_file_name("///", "document.pdf"), "document.pdf");
    }

    #[test]
    fn long_names_are_cut_at_a_character_keeping_the_extension() {
        let long = format!("{}.pdf", "Nghị quyết ".repeat(40));
        let s = safe_file_name(&long, "x");
        assert!(s.len() <= MAX_BYTES, "{}", s.len());
        assert!(s.ends_with(".pdf"));
        assert!(s.starts_with("Nghị quyết"));
    }
}

#[cfg(test)]
mod output_tests {
    use std::path::Path;

    #[test]
    fn outputs_next_to_vietnamese_inputs() {
        let out = crate::workflow::output_name(Path::new("hồ sơ/Quyết định số 01.pdf"), true, 1);
        assert_eq!(out, Path::new("hồ sơ/Quyết định số 01-signed.pdf"));
        let out = crate::workflow::output_name(Path::new("hồ sơ/Công văn.docx"), false, 2);
        assert_eq!(out, Path::new("hồ sơ/Công văn.docx (2).p7s"));
        // A Linux file named like a Windows device still gets a name Windows can open.
        let out = crate::workflow::output_name(Path::new("nul"), false, 1);
        assert_eq!(out, Path::new("_nul.p7s"));
    }
}
