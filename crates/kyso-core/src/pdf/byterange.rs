//! `/ByteRange` and `/Contents`: filling the fixed-width slots and hashing what a signature
//! covers (ISO 32000-2 §12.8.1). Offsets come from the writer, never from searching output.

use std::io;

use super::object::BYTE_RANGE_WIDTH;
use super::source::Source;

/// The four numbers `[a b c d]`: bytes `[a, a+b)` and `[c, c+d)` are signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ByteRange(pub [u64; 4]);

impl ByteRange {
    /// The range that leaves out exactly the `/Contents` string `[hole_start, hole_end)` of a
    /// file of `total` bytes.
    pub fn around(hole_start: u64, hole_end: u64, total: u64) -> Self {
        Self([0, hole_start, hole_end, total - hole_end])
    }

    /// End of the covered data (`c + d`).
    pub fn end(&self) -> Option<u64> {
        self.0[2].checked_add(self.0[3])
    }

    /// Text for the placeholder: `[0 a b c]` padded with spaces to the placeholder's width.
    pub fn placeholder_text(&self) -> Option<Vec<u8>> {
        let body = format!("[{} {} {} {}", self.0[0], self.0[1], self.0[2], self.0[3]);
        if body.len() + 1 > BYTE_RANGE_WIDTH {
            return None;
        }
        let mut v = body.into_bytes();
        v.resize(BYTE_RANGE_WIDTH - 1, b' ');
        v.push(b']');
        Some(v)
    }
}

/// The `/Contents` hex text for `cms`, zero-padded to the reserved `reserved` bytes.
/// `None` when it does not fit (the caller reserved too little: never truncate a signature).
pub fn contents_text(cms: &[u8], reserved: usize) -> Option<Vec<u8>> {
    if cms.len() > reserved {
        return None;
    }
    let mut hexed = hex::encode_upper(cms).into_bytes();
    hexed.resize(reserved * 2, b'0');
    Some(hexed)
}

/// Feeds the bytes `[from, to)` of `src` to `sink` in 1 MiB chunks (constant memory).
pub fn stream_range<S: Source + ?Sized>(
    src: &S,
    from: u64,
    to: u64,
    sink: &mut dyn FnMut(&[u8]),
) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = from;
    while pos < to {
        let want = usize::try_from((to - pos).min(buf.len() as u64)).unwrap_or(buf.len());
        let n = src.read_at(pos, &mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "file shorter than its byte range",
            ));
        }
        sink(&buf[..n]);
        pos += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_text_is_fixed_width() {
        let t = ByteRange([0, 100, 200, 50])
            .placeholder_text()
            .unwrap_or_default();
        assert_eq!(t.len(), BYTE_RANGE_WIDTH);
        assert!(t.starts_with(b"[0 100 200 50 "));
        let big = ByteRange([0, u64::MAX, u64::MAX, u64::MAX]).placeholder_text();
        assert!(big.is_some());
    }

    #[test]
    fn contents_never_truncates() {
        assert!(contents_text(&[1, 2, 3], 2).is_none());
        assert_eq!(contents_text(&[0xab], 2), Some(b"AB00".to_vec()));
    }
}
