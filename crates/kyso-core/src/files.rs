//! How Kyso writes files: never in place. A new file is written to a temporary file in the
//! destination's folder, flushed, and renamed over the destination in one step, so a crash,
//! a full disk or a killed process leaves either the old file or the new one, never half of
//! one. Inputs are only ever read.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (creating its folder), replacing what was there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".kyso-")
        .suffix(".part")
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Renames a finished temporary file into place (no overwrite unless `force`: an existing
/// file gives `AlreadyExists`).
pub fn persist(tmp: tempfile::NamedTempFile, output: &Path, force: bool) -> std::io::Result<()> {
    let r = if force {
        tmp.persist(output)
    } else {
        tmp.persist_noclobber(output)
    };
    r.map(|_| ()).map_err(|e| e.error)
}

/// A temporary file in the output's folder, so the final rename is atomic. It takes the
/// input's permissions (plus owner write) rather than the temp file's private 0600.
pub fn temp_beside(output: &Path, like: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let tmp = tempfile::Builder::new()
        .prefix(".kyso-")
        .suffix(".part")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(like)?.permissions().mode() | 0o200;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode & 0o7777))?;
    }
    #[cfg(not(unix))]
    let _ = like;
    Ok(tmp)
}
