//! Random-access byte sources: a file read with positional reads, or bytes in memory.
//!
//! The signing and verifying paths read only the structure they need (trailer, xref, a few
//! dictionaries), so a 100 MB scan costs a few kilobytes of memory instead of 100 MB.
//! Positional reads are used instead of a memory map so that a file truncated under us
//! (a network share, a USB stick pulled out) gives an I/O error rather than SIGBUS.

use std::fs::File;
use std::io;

/// Bytes that can be read at any offset.
pub trait Source {
    /// Total length.
    fn len(&self) -> u64;
    /// Reads up to `buf.len()` bytes at `offset`; returns how many were read.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;

    /// Whether the source is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads the bytes `[offset, offset + len)` clipped to the end of the source.
    fn window(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let total = self.len();
        if offset >= total {
            return Ok(Vec::new());
        }
        let n = usize::try_from((total - offset).min(len as u64)).unwrap_or(len);
        let mut buf = vec![0u8; n];
        let mut done = 0;
        while done < n {
            let r = self.read_at(offset + done as u64, &mut buf[done..])?;
            if r == 0 {
                buf.truncate(done);
                break;
            }
            done += r;
        }
        Ok(buf)
    }
}

impl Source for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let Ok(start) = usize::try_from(offset) else {
            return Ok(0);
        };
        let Some(src) = self.get(start..) else {
            return Ok(0);
        };
        let n = src.len().min(buf.len());
        buf[..n].copy_from_slice(&src[..n]);
        Ok(n)
    }
}

/// Borrowed bytes (a document checked in memory and then read again for its text).
impl<T: Source + ?Sized> Source for &T {
    fn len(&self) -> u64 {
        (**self).len()
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read_at(offset, buf)
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        self.as_slice().read_at(offset, buf)
    }
}

/// A file with its length fixed when opened.
pub struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    /// Wraps an open file.
    pub fn new(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Self { file, len })
    }
}

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    #[cfg(unix)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(&self.file, buf, offset)
    }

    #[cfg(windows)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(&self.file, buf, offset)
    }
}
