//! Which files a signing takes and what it writes: output names beside the input, the PDFs
//! of a folder, and whether a file is a PDF or XML (signed inside) or something else (signed
//! with a detached `.p7s`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Error;

/// One document to sign and where its signed version goes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Job {
    /// The document (never modified).
    pub input: PathBuf,
    /// The signed document or the `.p7s`.
    pub output: PathBuf,
}

/// Whether `path` holds a PDF: its header (`%PDF-`) within the first kilobyte, as readers
/// accept it.
pub fn is_pdf(path: &Path) -> bool {
    let mut head = [0u8; 1024];
    std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map(|n| has_pdf_header(head.get(..n).unwrap_or_default()))
        .unwrap_or(false)
}

/// Whether `bytes` (a document held in memory) start like a PDF: `%PDF-` within the first
/// kilobyte.
pub fn has_pdf_header(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes.get(..1024).unwrap_or(bytes), b"%PDF-").is_some()
}

/// Whether `path` holds XML (by content, or named `.xml`): signed inside with XMLDSig.
pub fn is_xml(path: &Path) -> bool {
    crate::xml::is_xml(path)
}

/// Whether `path` is signed inside (a PDF or XML file) rather than with a detached `.p7s`:
/// the `pdf` argument of [`output_name`] and [`output_beside`].
pub fn signs_inside(path: &Path) -> bool {
    is_pdf(path) || is_xml(path)
}

/// The usual output name next to `input`: `NAME-signed.pdf` for a PDF (`NAME-signed.xml` for
/// XML: `pdf` means "signed inside"), `FILE.ext.p7s` for a detached signature; `n > 1` adds
/// ` (n)`. The name is made valid on Windows and Linux ([`crate::filename::safe_file_name`]:
/// no device names, separators or control characters).
pub fn output_name(input: &Path, pdf: bool, n: u32) -> PathBuf {
    let suffix = if n > 1 { format!(" ({n})") } else { String::new() };
    let name = input
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !pdf {
        return input.with_file_name(crate::filename::safe_file_name(
            &format!("{name}{suffix}.p7s"),
            "signature.p7s",
        ));
    }
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pdf".into());
    input.with_file_name(crate::filename::safe_file_name(
        &format!("{stem}-signed{suffix}.{ext}"),
        "signed.pdf",
    ))
}

/// The first output name beside `input` that does not exist yet: `X-signed.pdf`,
/// `X-signed (2).pdf`, … (an earlier signed copy is never replaced by default).
pub fn output_beside(input: &Path, pdf: bool) -> PathBuf {
    (1..1000)
        .map(|n| output_name(input, pdf, n))
        .find(|p| !p.exists())
        .unwrap_or_else(|| output_name(input, pdf, 1000))
}

/// The documents of a folder: every PDF directly in `dir` that is not already a `-signed`
/// output, each with its output in `out_dir` (sorted by name).
pub fn folder_jobs(dir: &Path, out_dir: &Path) -> Result<Vec<Job>, Error> {
    let mut jobs = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if p.is_file() && name.ends_with(".pdf") && !name.ends_with("-signed.pdf") {
            let out = output_name(&p, true, 1);
            let output = out_dir.join(out.file_name().unwrap_or_default());
            jobs.push(Job { input: p, output });
        }
    }
    jobs.sort_by(|a, b| a.input.cmp(&b.input));
    if jobs.is_empty() {
        return Err(Error::NothingToSign(dir.display().to_string()));
    }
    Ok(jobs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_beside_the_input_never_replace_an_earlier_copy() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("Quyết định 01.pdf");
        std::fs::write(&input, b"%PDF-1.7\n").unwrap();
        assert!(is_pdf(&input));
        let first = output_beside(&input, true);
        assert_eq!(first.file_name().unwrap(), "Quyết định 01-signed.pdf");
        std::fs::write(&first, b"x").unwrap();
        assert_eq!(
            output_beside(&input, true).file_name().unwrap(),
            "Quyết định 01-signed (2).pdf"
        );
        let doc = dir.path().join("Tờ trình.docx");
        std::fs::write(&doc, b"PK\x03\x04").unwrap();
        assert!(!is_pdf(&doc));
        assert_eq!(
            output_beside(&doc, false).file_name().unwrap(),
            "Tờ trình.docx.p7s"
        );
    }

    #[test]
    fn a_folder_gives_its_unsigned_pdfs_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for n in ["b.pdf", "a.PDF", "a-signed.pdf", "c.txt"] {
            std::fs::write(dir.path().join(n), b"%PDF-1.4").unwrap();
        }
        let out = dir.path().join("out");
        let jobs = folder_jobs(dir.path(), &out).unwrap();
        let names: Vec<_> = jobs
            .iter()
            .map(|j| j.input.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a.PDF", "b.pdf"]);
        assert_eq!(jobs[1].output, out.join("b-signed.pdf"));
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(
            folder_jobs(empty.path(), &out).unwrap_err().code(),
            "NOTHING_TO_SIGN"
        );
    }
}
