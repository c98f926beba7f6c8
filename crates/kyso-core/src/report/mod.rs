//! The printable report of a check — a PDF (set in the embedded serif font, so the
//! Vietnamese text extracts exactly) or HTML — for the clerk to file or send.

mod html;
mod legal;
mod pdf;
mod words;

use std::path::Path;

pub use html::render as html;

use crate::verify::FileReport;
use crate::Error;

/// Writes the printable report to `path`: a PDF when the name ends in `.pdf`, else HTML;
/// through a temporary file renamed into place, so a half-written report never exists.
pub fn write(reports: &[FileReport], lang: &str, path: &Path) -> Result<(), Error> {
    let pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let bytes = if pdf {
        pdf::render(reports, lang).map_err(|e| Error::Report(e.to_string()))?
    } else {
        html::render(reports, lang).into_bytes()
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".kyso-report-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut tmp, &bytes)?;
    tmp.as_file().sync_all()?;
    // A report is for sharing: ordinary file permissions, not the temp file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| Error::Io(e.error))?;
    Ok(())
}
