//! The work and memory one document may cost the reader.
//!
//! Each limit elsewhere bounds one structure (one stream, one object, one chain); a hostile
//! file defeats those by repeating a structure that is each time just under its limit: a
//! chain of cross-reference streams that each inflate to the limit, a catalog with 200,000
//! keys parsed again on every look-up, 50,000 unterminated objects each scanned to the end of
//! the file. The budget counts what a whole document costs — bytes inflated, bytes parsed,
//! cross-reference entries held — and when one runs out every later request fails with
//! [`PdfError::TooComplex`], so the verifier ends quickly with one specific finding
//! ("too complex to check safely") instead of taking the machine's memory or an hour.
//!
//! The allowances grow with the file (a large scan legitimately holds more) and are far
//! above what real documents use: the signed corpora spend a few percent of them.

use std::cell::Cell;

use super::PdfError;

/// Bytes inflated for every document, whatever its size.
const DECODED_BASE: u64 = 128 << 20;
/// More inflated bytes allowed per byte of file.
const DECODED_PER_BYTE: u64 = 4;
/// Bytes parsed (lexed as objects) for every document.
const PARSED_BASE: u64 = 64 << 20;
/// More parsed bytes allowed per byte of file.
const PARSED_PER_BYTE: u64 = 8;
/// Cross-reference entries held for every document (all sections together).
const ENTRIES_BASE: u64 = 1 << 18;
/// File bytes per further entry: a classic table row is 20 bytes, a compressed
/// cross-reference stream row rarely less than 2 bytes of file.
const BYTES_PER_ENTRY: u64 = 16;

/// Highest object number a PDF may use (ISO 32000-1 Annex C.2: 8,388,607 indirect objects;
/// Acrobat refuses larger numbers, so a reader that accepted them would show something else).
pub const MAX_OBJECT_NUMBER: u32 = 8_388_607;

/// What is left of one document's allowance (interior mutability: the reader is shared).
#[derive(Debug)]
pub struct Budget {
    decoded_left: Cell<u64>,
    parsed_left: Cell<u64>,
    entries_left: Cell<u64>,
    exhausted: Cell<Option<&'static str>>,
}

impl Budget {
    /// The allowance for a file of `len` bytes.
    pub fn for_file(len: u64) -> Self {
        Self {
            decoded_left: Cell::new(DECODED_BASE.saturating_add(len.saturating_mul(DECODED_PER_BYTE))),
            parsed_left: Cell::new(PARSED_BASE.saturating_add(len.saturating_mul(PARSED_PER_BYTE))),
            entries_left: Cell::new(ENTRIES_BASE.max(len / BYTES_PER_ENTRY)),
            exhausted: Cell::new(None),
        }
    }

    /// Which allowance ran out first, once one has.
    pub fn exhausted(&self) -> Option<&'static str> {
        self.exhausted.get()
    }

    /// Fails with `TooComplex` once anything has run out (nothing is read after that).
    pub fn check(&self) -> Result<(), PdfError> {
        match self.exhausted.get() {
            Some(what) => Err(PdfError::TooComplex(what)),
            None => Ok(()),
        }
    }

    fn spend(&self, left: &Cell<u64>, n: u64, what: &'static str) -> Result<(), PdfError> {
        self.check()?;
        match left.get().checked_sub(n) {
            Some(rest) => {
                left.set(rest);
                Ok(())
            }
            None => {
                left.set(0);
                self.exhausted.set(Some(what));
                Err(PdfError::TooComplex(what))
            }
        }
    }

    /// Inflated bytes still allowed (a decoder stops there).
    pub fn decoded_left(&self) -> u64 {
        self.decoded_left.get()
    }

    /// Charges `n` inflated bytes.
    pub fn spend_decoded(&self, n: u64) -> Result<(), PdfError> {
        self.spend(&self.decoded_left, n, "decompressed data")
    }

    /// Charges `n` parsed bytes.
    pub fn spend_parsed(&self, n: u64) -> Result<(), PdfError> {
        self.spend(&self.parsed_left, n, "parsing work")
    }

    /// Cross-reference entries still allowed.
    pub fn entries_left(&self) -> u64 {
        self.entries_left.get()
    }

    /// Charges `n` cross-reference entries.
    pub fn spend_entries(&self, n: u64) -> Result<(), PdfError> {
        self.spend(&self.entries_left, n, "cross-reference entries")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_out_is_sticky_and_named() {
        let b = Budget::for_file(0);
        assert!(b.spend_entries(ENTRIES_BASE).is_ok());
        assert!(matches!(
            b.spend_entries(1),
            Err(PdfError::TooComplex("cross-reference entries"))
        ));
        // Every later request fails too, even one that would fit.
        assert!(b.spend_parsed(1).is_err());
        assert_eq!(b.exhausted(), Some("cross-reference entries"));
    }

    #[test]
    fn allowances_grow_with_the_file() {
        let small = Budget::for_file(1 << 20);
        let large = Budget::for_file(100 << 20);
        assert!(large.decoded_left() > small.decoded_left());
        assert!(large.entries_left() > small.entries_left());
    }
}
