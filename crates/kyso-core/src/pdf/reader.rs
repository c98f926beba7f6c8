//! Reads a PDF's structure lazily: cross-reference sections (tables, streams, hybrids),
//! trailers, and single objects on demand (ISO 32000-2 §7.5).
//!
//! Only what is asked for is read. Everything read from the file is bounded: object size,
//! decompressed size, xref chain length, reference chains, and — across the whole document —
//! the work and memory of [`Budget`]. A broken cross-reference falls back to scanning the
//! file for objects (`reconstructed` tells callers; the signer refuses such files, the
//! verifier reports them). Strings and streams of documents encrypted with the standard
//! handler and an empty user password are decrypted as they are read.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::rc::Rc;

use memchr::memmem;

use super::budget::{Budget, MAX_OBJECT_NUMBER};
use super::crypt::{Decryptor, Locked};
use super::lexer::{LexError, Lexer};
use super::object::{Dict, ObjRef, Object, Stream, StreamData};
use super::source::Source;
use super::PdfError;

/// Largest single object (dictionary, array) we will parse.
const MAX_OBJECT: usize = 64 << 20;
/// Largest decoded stream (object streams, xref streams, content we inspect). Real object
/// streams hold a few hundred objects (well under a megabyte); the bound keeps one stream
/// plus the reader's growth within the 128 MB a document may use.
pub const MAX_DECODED: usize = 32 << 20;
/// Decoded object streams kept at once (bytes): a file with many object streams read in
/// random order costs re-decoding (charged to the budget), never unbounded memory.
const OBJSTM_CACHE: usize = 32 << 20;
/// Largest trailer dictionary looked at while reconstructing.
const MAX_TRAILER: usize = 1 << 20;
/// Conflicting cross-reference entries recorded per section (one is enough to flag a file).
const MAX_CONFLICTS: usize = 1000;
/// Longest `/Prev` chain.
const MAX_SECTIONS: usize = 10_000;
/// Longest chain of references to references.
const MAX_REF_HOPS: usize = 32;

/// Where an object lives according to the cross-reference data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefEntry {
    /// Deleted / unused.
    Free,
    /// At a byte offset, with a generation.
    Offset(u64, u16),
    /// Inside object stream `stream` at position `index`.
    InStream {
        /// Object number of the object stream.
        stream: u32,
        /// Index within it.
        index: u32,
    },
}

/// How a cross-reference section is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefKind {
    /// Classic `xref` table (possibly hybrid: trailer has `/XRefStm`).
    Table,
    /// Cross-reference stream (PDF 1.5+).
    Stream,
}

/// One cross-reference section: one revision of the file.
#[derive(Clone, Debug)]
pub struct XrefSection {
    /// Byte offset `startxref` points to.
    pub offset: u64,
    /// Table or stream.
    pub kind: XrefKind,
    /// The trailer (or the xref stream's dictionary).
    pub trailer: Dict,
    /// Entries written in this section.
    pub entries: BTreeMap<u32, XrefEntry>,
    /// Offset just past the `%%EOF` that ends this revision, when found.
    pub eof_end: Option<u64>,
    /// Objects this section defines twice, differently: readers disagree on which
    /// definition counts (most take the first, some the last).
    pub conflicts: Vec<Conflict>,
}

/// One object number given two different entries in the same cross-reference section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Object number.
    pub num: u32,
    /// The entry Kyso uses (the first).
    pub first: XrefEntry,
    /// The other one.
    pub second: XrefEntry,
}

/// Whether the document is encrypted, and whether Kyso can read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Encryption {
    /// Not encrypted.
    None,
    /// Encrypted with the standard handler and an empty user password: read transparently.
    EmptyPassword {
        /// Handler revision (2–6).
        revision: i64,
    },
    /// Needs a password Kyso does not have.
    Password,
    /// A handler or method Kyso cannot read.
    Unsupported(String),
}

/// A PDF opened for reading.
pub struct Pdf<S: Source> {
    src: S,
    /// Sections, newest first.
    pub sections: Vec<XrefSection>,
    index: HashMap<u32, XrefEntry>,
    trailer: Dict,
    /// The cross-reference data was broken and objects were found by scanning.
    pub reconstructed: bool,
    objstm: RefCell<HashMap<u32, Rc<ObjStm>>>,
    /// Bytes of decoded data in `objstm`.
    objstm_bytes: std::cell::Cell<usize>,
    budget: Budget,
    /// Offsets of every `endstream` in the file, found once (streams whose `/Length` is
    /// wrong are ended by the next one, without scanning the file again for each).
    endstreams: OnceCell<Vec<u64>>,
    /// Sorted start offsets of the objects: an object never extends past the next one's
    /// start, so an unterminated string or dictionary costs its own bytes, not the file's.
    starts: OnceCell<Vec<u64>>,
    /// Set once the index is final (before that no bound is known).
    indexed: bool,
    encryption: Encryption,
    decryptor: Option<Decryptor>,
}

struct ObjStm {
    data: Vec<u8>,
    first: usize,
    offsets: Vec<(u32, usize)>,
}

fn lex_err(offset: u64, e: LexError) -> PdfError {
    match e {
        LexError::Limit(what) => PdfError::TooComplex(what),
        LexError::Eof => PdfError::Malformed {
            offset,
            what: "unexpected end of data".into(),
        },
        LexError::Syntax(at, what) => PdfError::Malformed {
            offset: offset + at as u64,
            what: what.into(),
        },
    }
}

impl<S: Source> Pdf<S> {
    /// Opens a PDF: reads the header, `startxref` and the whole cross-reference chain.
    pub fn open(src: S) -> Result<Self, PdfError> {
        let head = src.window(0, 1024)?;
        if memmem::find(&head, b"%PDF-").is_none() {
            return Err(PdfError::NotPdf);
        }
        let budget = Budget::for_file(src.len());
        let mut pdf = Self {
            src,
            sections: Vec::new(),
            index: HashMap::new(),
            trailer: Dict::new(),
            reconstructed: false,
            objstm: RefCell::new(HashMap::new()),
            objstm_bytes: std::cell::Cell::new(0),
            budget,
            endstreams: OnceCell::new(),
            starts: OnceCell::new(),
            indexed: false,
            encryption: Encryption::None,
            decryptor: None,
        };
        let chain = pdf.read_xref_chain();
        if chain.is_ok() {
            pdf.indexed = true;
            pdf.open_encryption();
        }
        match chain {
            Ok(()) if pdf.trailer.get(b"Root").is_some() && pdf.root_is_valid() => {}
            Err(e @ PdfError::TooComplex(_)) => return Err(e),
            _ => {
                pdf.budget.check()?;
                pdf.reconstruct()?;
            }
        }
        pdf.budget.check()?;
        Ok(pdf)
    }

    /// Sets up decryption from the trailer's `/Encrypt`, when there is one.
    fn open_encryption(&mut self) {
        self.decryptor = None;
        self.encryption = Encryption::None;
        let Some(enc) = self.trailer.get(b"Encrypt").cloned() else {
            return;
        };
        let enc_ref = enc.as_ref();
        let dict = match self.resolve(&enc) {
            Ok(o) => o.as_dict().cloned(),
            Err(_) => None,
        };
        let Some(dict) = dict else {
            self.encryption = Encryption::Unsupported("unreadable /Encrypt dictionary".into());
            return;
        };
        let id0 = self
            .trailer
            .get(b"ID")
            .and_then(Object::as_array)
            .and_then(|a| a.first())
            .and_then(Object::as_str_bytes)
            .unwrap_or_default()
            .to_vec();
        match Decryptor::open(&dict, &id0, enc_ref) {
            Ok(d) => {
                self.encryption = Encryption::EmptyPassword {
                    revision: d.revision(),
                };
                self.decryptor = Some(d);
            }
            Err(Locked::Password) => self.encryption = Encryption::Password,
            Err(Locked::Unsupported(why)) => self.encryption = Encryption::Unsupported(why),
        }
        // Object streams decoded before the key was known are garbage.
        self.objstm.borrow_mut().clear();
        self.objstm_bytes.set(0);
    }

    /// Whether the document is encrypted and readable.
    pub fn encryption(&self) -> &Encryption {
        &self.encryption
    }

    /// The document's work and memory allowance (what is left of it, and whether it ran out).
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Objects some cross-reference section defines twice, differently (newest section
    /// first, with the section's index).
    pub fn conflicts(&self) -> Vec<(usize, Conflict)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.conflicts.iter().map(move |c| (i, *c)))
            .collect()
    }

    /// The underlying source.
    pub fn source(&self) -> &S {
        &self.src
    }

    /// File length.
    pub fn len(&self) -> u64 {
        self.src.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.src.len() == 0
    }

    /// Newest trailer.
    pub fn trailer(&self) -> &Dict {
        &self.trailer
    }

    /// Merged cross-reference index (newest entry per object).
    pub fn xref_index(&self) -> &HashMap<u32, XrefEntry> {
        &self.index
    }

    /// Offset `startxref` of the last revision points to.
    pub fn last_startxref(&self) -> Option<u64> {
        self.sections.first().map(|s| s.offset)
    }

    /// Highest object number + 1 (the trailer's `/Size`, or derived).
    pub fn size(&self) -> u32 {
        let from_trailer = self
            .trailer
            .get_int(b"Size")
            .and_then(|s| u32::try_from(s).ok())
            .unwrap_or(0);
        let from_index = self.index.keys().max().map_or(0, |m| m.saturating_add(1));
        from_trailer.max(from_index)
    }

    fn root_is_valid(&self) -> bool {
        self.trailer
            .get(b"Root")
            .and_then(|r| self.resolve(r).ok())
            .and_then(|o| o.as_dict().map(|d| d.get(b"Pages").is_some()))
            .unwrap_or(false)
    }

    fn read_xref_chain(&mut self) -> Result<(), PdfError> {
        let len = self.src.len();
        let tail_len = 2048.min(len) as usize;
        let tail = self.src.window(len - tail_len as u64, tail_len)?;
        let pos = memmem::rfind(&tail, b"startxref").ok_or(PdfError::Malformed {
            offset: len,
            what: "no startxref".into(),
        })?;
        let mut lx = Lexer::new(&tail, pos + 9);
        let mut next = Some(lx.uint().map_err(|e| lex_err(len, e))?);
        let mut seen = HashSet::new();
        while let Some(off) = next {
            if !seen.insert(off) || self.sections.len() >= MAX_SECTIONS {
                break; // a loop in /Prev: stop rather than spin
            }
            self.budget.check()?;
            let section = self.read_section(off)?;
            next = section
                .trailer
                .get_int(b"Prev")
                .and_then(|p| u64::try_from(p).ok());
            for (num, e) in &section.entries {
                self.index.entry(*num).or_insert(*e);
            }
            if self.sections.is_empty() {
                self.trailer = section.trailer.clone();
            }
            self.sections.push(section);
        }
        Ok(())
    }

    fn read_section(&self, off: u64) -> Result<XrefSection, PdfError> {
        // Writers are sometimes a few bytes early (pointing at the end-of-line before
        // `xref`); skip that whitespace as Acrobat and pyHanko do.
        let head = self.src.window(off, 8)?;
        let skip = head
            .iter()
            .take(4)
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        let off = off + skip as u64;
        let start = head.get(skip..).unwrap_or_default();
        if start.starts_with(b"xref") {
            let (mut xref, trailer, end) = self.read_table(off)?;
            // Hybrid file: the /XRefStm stream adds entries the table leaves out.
            if let Some(stm) = trailer.get_int(b"XRefStm") {
                if let Ok(stm_off) = u64::try_from(stm) {
                    match self.read_xref_stream(stm_off) {
                        Ok((stm_xref, _, _)) => {
                            for (n, e) in stm_xref.entries {
                                xref.add(n, e, true);
                            }
                        }
                        Err(e @ PdfError::TooComplex(_)) => return Err(e),
                        Err(_) => {}
                    }
                }
            }
            Ok(XrefSection {
                offset: off,
                kind: XrefKind::Table,
                trailer,
                entries: xref.entries,
                eof_end: self.find_eof_after(end),
                conflicts: xref.conflicts,
            })
        } else {
            let (xref, trailer, end) = self.read_xref_stream(off)?;
            Ok(XrefSection {
                offset: off,
                kind: XrefKind::Stream,
                trailer,
                entries: xref.entries,
                eof_end: self.find_eof_after(end),
                conflicts: xref.conflicts,
            })
        }
    }

    /// Finds the `%%EOF` that closes a revision whose last structure ends at `from`.
    fn find_eof_after(&self, from: u64) -> Option<u64> {
        let w = self.src.window(from, 256).ok()?;
        let p = memmem::find(&w, b"%%EOF")?;
        let mut end = p + 5;
        // The end-of-line after %%EOF belongs to the revision.
        if w.get(end) == Some(&b'\r') {
            end += 1;
        }
        if w.get(end) == Some(&b'\n') {
            end += 1;
        }
        Some(from + end as u64)
    }

    fn read_table(&self, off: u64) -> Result<(SectionEntries, Dict, u64), PdfError> {
        let mut size = 64 * 1024;
        loop {
            let w = self.src.window(off, size)?;
            let whole = (w.len() as u64) < size as u64;
            let max_rows = self.budget.entries_left();
            match parse_table(&w, max_rows) {
                Ok((xref, trailer, end)) => {
                    self.budget.spend_entries(xref.rows)?;
                    self.budget.spend_parsed(end as u64)?;
                    return Ok((xref, trailer, off + end as u64));
                }
                Err(LexError::Eof) if !whole && size < MAX_OBJECT * 4 => {
                    self.budget.spend_parsed(w.len() as u64)?;
                    size *= 4;
                }
                Err(LexError::Limit(_)) => {
                    return Err(self
                        .budget
                        .spend_entries(max_rows.saturating_add(1))
                        .err()
                        .unwrap_or(PdfError::TooComplex("cross-reference entries")))
                }
                Err(e) => return Err(lex_err(off, e)),
            }
        }
    }

    fn read_xref_stream(&self, off: u64) -> Result<(SectionEntries, Dict, u64), PdfError> {
        let (_, obj, end) = self.parse_indirect_at(off)?;
        let Object::Stream(stream) = obj else {
            return Err(PdfError::Malformed {
                offset: off,
                what: "startxref points to neither a table nor a stream".into(),
            });
        };
        if !stream.dict.name_is(b"Type", b"XRef") {
            return Err(PdfError::Malformed {
                offset: off,
                what: "cross-reference stream without /Type /XRef".into(),
            });
        }
        let bad = || PdfError::Malformed {
            offset: off,
            what: "bad cross-reference stream".into(),
        };
        let layout = XrefLayout::of(&stream.dict).ok_or_else(bad)?;
        // Only the rows the sections ask for are decoded, and no more than the budget allows:
        // a small file declaring 2^28 rows of a 256 MiB stream costs what it may, not 5 GB.
        let max_rows = layout.rows().min(self.budget.entries_left().saturating_add(1));
        let want = usize::try_from(max_rows)
            .unwrap_or(usize::MAX)
            .saturating_mul(layout.row)
            .min(MAX_DECODED);
        let data = self.decode_stream_prefix(&stream, want)?;
        let xref = parse_xref_stream(&layout, &data);
        self.budget.spend_entries(xref.rows)?;
        Ok((xref, stream.dict.clone(), end))
    }

    /// Parses `n g obj … endobj` at `off`; returns the reference, the object and the offset
    /// just past the object (after `endstream`/`endobj` when present).
    pub fn parse_indirect_at(&self, off: u64) -> Result<(ObjRef, Object, u64), PdfError> {
        self.budget.check()?;
        // The object cannot extend past the start of the next one.
        let bound = self
            .object_starts()
            .and_then(|st| st.get(st.partition_point(|s| *s <= off)).copied())
            .map(|next| next - off);
        let mut size = 4096;
        loop {
            let mut want = size;
            let mut clipped = false;
            if let Some(b) = bound.and_then(|b| usize::try_from(b).ok()) {
                if b <= want {
                    want = b;
                    clipped = true;
                }
            }
            let w = self.src.window(off, want)?;
            let whole = clipped || (w.len() as u64) < want as u64 || off + w.len() as u64 >= self.len();
            match self.parse_indirect_in(&w, off, whole) {
                Ok(r) => {
                    self.budget
                        .spend_parsed(r.2.saturating_sub(off).min(w.len() as u64))?;
                    return Ok(r);
                }
                Err(LexError::Eof) if !whole && size < MAX_OBJECT => {
                    self.budget.spend_parsed(w.len() as u64)?;
                    size *= 8;
                }
                Err(e) => {
                    self.budget.spend_parsed(w.len() as u64)?;
                    return Err(lex_err(off, e));
                }
            }
        }
    }

    /// Sorted object start offsets, once the index is final.
    fn object_starts(&self) -> Option<&Vec<u64>> {
        if !self.indexed {
            return None;
        }
        Some(self.starts.get_or_init(|| {
            let mut v: Vec<u64> = self
                .sections
                .iter()
                .flat_map(|s| s.entries.values())
                .chain(self.index.values())
                .filter_map(|e| match e {
                    XrefEntry::Offset(o, _) => Some(*o),
                    _ => None,
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        }))
    }

    fn parse_indirect_in(&self, w: &[u8], off: u64, whole: bool) -> Result<(ObjRef, Object, u64), LexError> {
        let mut lx = Lexer::new(w, 0);
        let r = lx.object_header()?;
        let obj = lx.object()?;
        let after_obj = lx.pos;
        lx.skip_ws();
        let rest = w.get(lx.pos..).unwrap_or_default();
        if rest.starts_with(b"stream") {
            let Object::Dict(dict) = obj else {
                return Err(LexError::Syntax(lx.pos, "stream without a dictionary"));
            };
            let mut data_start = lx.pos + 6;
            // `stream` is followed by CRLF or LF (a lone CR is tolerated).
            if w.get(data_start) == Some(&b'\r') {
                data_start += 1;
            }
            if w.get(data_start) == Some(&b'\n') {
                data_start += 1;
            }
            let abs_start = off + data_start as u64;
            let len = self.stream_length(&dict, abs_start);
            let end = abs_start.saturating_add(len);
            let stream = Stream {
                dict,
                data: StreamData::InFile {
                    offset: abs_start,
                    len,
                },
            };
            return Ok((r, Object::Stream(Box::new(stream)), end));
        }
        if rest.is_empty() && !whole {
            return Err(LexError::Eof);
        }
        let end = if rest.starts_with(b"endobj") {
            lx.pos + 6
        } else {
            after_obj
        };
        Ok((r, obj, off + end as u64))
    }

    /// A stream's data length: `/Length` when it is consistent (followed by `endstream`),
    /// else found by searching for `endstream` (broken writers miscount).
    fn stream_length(&self, dict: &Dict, data_start: u64) -> u64 {
        let declared = match dict.get(b"Length") {
            Some(Object::Int(n)) => u64::try_from(*n).ok(),
            Some(Object::Ref(r)) => self
                .get_no_stream(*r)
                .ok()
                .and_then(|o| o.as_int())
                .and_then(|n| u64::try_from(n).ok()),
            _ => None,
        };
        let file_len = self.len();
        if let Some(n) = declared {
            if let Some(end) = data_start.checked_add(n).filter(|e| *e <= file_len) {
                if let Ok(after) = self.src.window(end, 32) {
                    let mut lx = Lexer::new(&after, 0);
                    lx.skip_ws();
                    if after.get(lx.pos..).is_some_and(|r| r.starts_with(b"endstream")) {
                        return n;
                    }
                }
            }
        }
        // The next `endstream` after the data, from an index of them all built once.
        let ends = self.endstreams.get_or_init(|| self.find_endstreams());
        if let Some(&at) = ends.get(ends.partition_point(|e| *e < data_start)) {
            let mut end = at;
            // Drop the EOL that precedes `endstream`.
            let before = self.src.window(end.saturating_sub(2), 2).unwrap_or_default();
            if before.ends_with(b"\r\n") {
                end -= 2;
            } else if before.ends_with(b"\n") || before.ends_with(b"\r") {
                end -= 1;
            }
            return end.saturating_sub(data_start);
        }
        declared.unwrap_or(0).min(file_len.saturating_sub(data_start))
    }

    /// Offsets of every `endstream` keyword, in order (one pass over the file).
    fn find_endstreams(&self) -> Vec<u64> {
        const KEY: &[u8] = b"endstream";
        let finder = memmem::Finder::new(KEY);
        let chunk = 4 << 20;
        let mut out = Vec::new();
        let mut pos = 0u64;
        let len = self.len();
        while pos < len {
            let Ok(w) = self.src.window(pos, chunk + KEY.len() - 1) else {
                break;
            };
            for at in finder.find_iter(&w) {
                // A match in the overlap is found again by the next window.
                if at < chunk || w.len() < chunk + KEY.len() - 1 {
                    out.push(pos + at as u64);
                }
            }
            if w.len() < chunk + KEY.len() - 1 {
                break;
            }
            pos += chunk as u64;
        }
        out
    }

    /// Fetches an object (streams come back as `Object::Stream` with data left in the file).
    pub fn get(&self, r: ObjRef) -> Result<Object, PdfError> {
        match self.index.get(&r.num).copied() {
            None | Some(XrefEntry::Free) => Ok(Object::Null),
            Some(XrefEntry::Offset(off, _)) => {
                let (found, mut obj, _) = self.parse_indirect_at(off)?;
                if found.num != r.num {
                    return Err(PdfError::Malformed {
                        offset: off,
                        what: format!("xref points to object {} instead of {}", found.num, r.num),
                    });
                }
                self.unseal(found, &mut obj);
                Ok(obj)
            }
            Some(XrefEntry::InStream { stream, index }) => self.get_from_objstm(r.num, stream, index),
        }
    }

    /// Fetches object `num` from a specific cross-reference entry (an older revision's).
    pub fn get_entry(&self, num: u32, entry: XrefEntry) -> Result<Object, PdfError> {
        match entry {
            XrefEntry::Free => Ok(Object::Null),
            XrefEntry::Offset(off, _) => {
                let (found, mut obj, _) = self.parse_indirect_at(off)?;
                if found.num != num {
                    return Err(PdfError::Malformed {
                        offset: off,
                        what: format!("xref points to object {} instead of {num}", found.num),
                    });
                }
                self.unseal(found, &mut obj);
                Ok(obj)
            }
            XrefEntry::InStream { stream, index } => self.get_from_objstm(num, stream, index),
        }
    }

    /// Decrypts what an object read from the file as `owner` holds: its strings now, its
    /// stream data when it is read.
    fn unseal(&self, owner: ObjRef, obj: &mut Object) {
        let Some(d) = &self.decryptor else { return };
        d.object(owner, obj);
        if let Object::Stream(s) = obj {
            if let StreamData::InFile { offset, len } = s.data {
                s.data = StreamData::Encrypted { offset, len, owner };
            }
        }
    }

    /// Like `get`, for places where a stream would be an error (`/Length` values).
    fn get_no_stream(&self, r: ObjRef) -> Result<Object, PdfError> {
        match self.index.get(&r.num).copied() {
            Some(XrefEntry::Offset(off, _)) => {
                let w = self.src.window(off, 256)?;
                let mut lx = Lexer::new(&w, 0);
                lx.object_header().map_err(|e| lex_err(off, e))?;
                lx.object().map_err(|e| lex_err(off, e))
            }
            _ => self.get(r),
        }
    }

    fn get_from_objstm(&self, num: u32, stream: u32, index: u32) -> Result<Object, PdfError> {
        let stm = self.load_objstm(stream)?;
        let rel = stm
            .offsets
            .get(index as usize)
            .filter(|(n, _)| *n == num)
            .or_else(|| {
                // A wrong index: searched, and the search is paid for.
                self.budget.spend_parsed(stm.offsets.len() as u64).ok()?;
                stm.offsets.iter().find(|(n, _)| *n == num)
            })
            .map(|(_, o)| *o)
            .ok_or(PdfError::Malformed {
                offset: 0,
                what: format!("object {num} missing from object stream {stream}"),
            })?;
        let start = stm.first.saturating_add(rel);
        let mut lx = Lexer::new(&stm.data, start);
        let obj = lx.object();
        self.budget.spend_parsed(lx.pos.saturating_sub(start) as u64)?;
        obj.map_err(|e| lex_err(0, e))
    }

    fn load_objstm(&self, num: u32) -> Result<Rc<ObjStm>, PdfError> {
        if let Some(s) = self.objstm.borrow().get(&num) {
            return Ok(s.clone());
        }
        let bad = |what: &str| PdfError::Malformed {
            offset: 0,
            what: format!("object stream {num}: {what}"),
        };
        let Some(XrefEntry::Offset(off, _)) = self.index.get(&num).copied() else {
            return Err(bad("not found"));
        };
        let (found, mut obj, _) = self.parse_indirect_at(off)?;
        self.unseal(found, &mut obj);
        let Object::Stream(s) = obj else {
            return Err(bad("not a stream"));
        };
        let n = s
            .dict
            .get_int(b"N")
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad("no /N"))?;
        let first = s
            .dict
            .get_int(b"First")
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| bad("no /First"))?;
        let data = self.decode_stream(&s, MAX_DECODED)?;
        let mut lx = Lexer::new(&data, 0);
        let mut offsets = Vec::with_capacity(n.min(100_000));
        for _ in 0..n {
            let (Ok(o), Ok(rel)) = (lx.uint(), lx.uint()) else {
                break;
            };
            let (Ok(o), Ok(rel)) = (u32::try_from(o), usize::try_from(rel)) else {
                break;
            };
            offsets.push((o, rel));
        }
        let size = data.len() + offsets.len() * std::mem::size_of::<(u32, usize)>();
        let stm = Rc::new(ObjStm { data, first, offsets });
        let mut cache = self.objstm.borrow_mut();
        // Bounded in bytes, not streams: 64 streams of 32 MiB each would be 2 GiB.
        if self.objstm_bytes.get() + size > OBJSTM_CACHE {
            cache.clear();
            self.objstm_bytes.set(0);
        }
        if size <= OBJSTM_CACHE {
            cache.insert(num, stm.clone());
            self.objstm_bytes.set(self.objstm_bytes.get() + size);
        }
        Ok(stm)
    }

    /// Follows references (bounded) to a direct object; a dangling reference is `Null`.
    pub fn resolve(&self, obj: &Object) -> Result<Object, PdfError> {
        let mut cur = obj.clone();
        for _ in 0..MAX_REF_HOPS {
            match cur {
                Object::Ref(r) => cur = self.get(r)?,
                other => return Ok(other),
            }
        }
        Err(PdfError::Malformed {
            offset: 0,
            what: "reference chain too long".into(),
        })
    }

    /// Resolves `key` in `dict` to a dictionary, if it is one.
    pub fn resolve_dict(&self, dict: &Dict, key: &[u8]) -> Result<Option<Dict>, PdfError> {
        match dict.get(key) {
            None => Ok(None),
            Some(o) => Ok(self.resolve(o)?.as_dict().cloned()),
        }
    }

    /// Raw (still encoded, but decrypted) stream bytes, bounded by `limit`.
    pub fn raw_stream(&self, s: &Stream, limit: usize) -> Result<Vec<u8>, PdfError> {
        match &s.data {
            StreamData::Owned(v) => Ok(v.clone()),
            StreamData::InFile { offset, len } => {
                if *len > limit as u64 {
                    return Err(PdfError::TooLarge("stream"));
                }
                Ok(self.src.window(*offset, *len as usize)?)
            }
            StreamData::Encrypted { offset, len, owner } => {
                if *len > limit as u64 {
                    return Err(PdfError::TooLarge("stream"));
                }
                let data = self.src.window(*offset, *len as usize)?;
                Ok(match &self.decryptor {
                    Some(d) => d.stream(*owner, &s.dict, &data),
                    None => data,
                })
            }
        }
    }

    /// Decoded stream bytes (FlateDecode with PNG/TIFF-less predictors), output bounded by
    /// `limit` and by the document's budget, so a decompression bomb stops at the limit with
    /// an error.
    pub fn decode_stream(&self, s: &Stream, limit: usize) -> Result<Vec<u8>, PdfError> {
        self.decode(s, limit, false)
    }

    /// The first `want` decoded bytes of a stream (the rest is not decoded).
    fn decode_stream_prefix(&self, s: &Stream, want: usize) -> Result<Vec<u8>, PdfError> {
        self.decode(s, want, true)
    }

    fn decode(&self, s: &Stream, limit: usize, prefix: bool) -> Result<Vec<u8>, PdfError> {
        self.budget.check()?;
        let raw = self.raw_stream(s, if prefix { MAX_OBJECT } else { limit })?;
        self.budget.spend_decoded(raw.len() as u64)?;
        let filters: Vec<Vec<u8>> = match s.dict.get(b"Filter") {
            None => Vec::new(),
            Some(Object::Name(n)) => vec![n.clone()],
            Some(Object::Array(a)) => a
                .iter()
                .filter_map(|o| match o {
                    Object::Name(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            Some(_) => return Err(PdfError::Unsupported("filter".into())),
        };
        let parms = match s.dict.get(b"DecodeParms") {
            Some(Object::Dict(d)) => Some(d.clone()),
            Some(Object::Array(a)) => a.iter().find_map(|o| o.as_dict().cloned()),
            _ => None,
        };
        let predictor = parms.as_ref().and_then(|p| p.get_int(b"Predictor")).unwrap_or(1);
        let columns = parms.as_ref().and_then(|p| p.get_int(b"Columns")).unwrap_or(1);
        let columns = usize::try_from(columns).ok().filter(|c| *c > 0 && *c < 1 << 20);
        // Before the predictor each row carries one more byte.
        let stage_limit = match (predictor >= 10, columns) {
            (true, Some(c)) => (limit / c).saturating_add(1).saturating_mul(c + 1),
            _ => limit,
        };
        let mut data = raw;
        for f in &filters {
            data = match f.as_slice() {
                b"FlateDecode" | b"Fl" => {
                    let left = usize::try_from(self.budget.decoded_left()).unwrap_or(usize::MAX);
                    let cap = stage_limit.min(left);
                    let out = inflate_bounded(&data, cap, prefix && cap == stage_limit);
                    match out {
                        Err(PdfError::TooLarge(_)) if cap < stage_limit => {
                            // The budget, not this stream's limit, ran out.
                            self.budget.spend_decoded(cap as u64 + 1)?;
                            return Err(PdfError::TooComplex("decompressed data"));
                        }
                        other => other?,
                    }
                }
                // Decryption is done before decoding; `/Crypt` with `/Identity` is a no-op.
                b"Crypt" => data,
                other => {
                    return Err(PdfError::Unsupported(format!(
                        "stream filter {}",
                        String::from_utf8_lossy(other)
                    )))
                }
            };
            self.budget.spend_decoded(data.len() as u64)?;
        }
        if predictor >= 10 {
            let columns = columns.ok_or(PdfError::Unsupported("predictor columns".into()))?;
            data = png_unpredict(&data, columns)?;
        } else if predictor != 1 {
            return Err(PdfError::Unsupported(format!("predictor {predictor}")));
        }
        if prefix {
            data.truncate(limit);
        }
        Ok(data)
    }

    /// Rebuilds the object index by scanning the whole file for `n g obj` (broken xref).
    fn reconstruct(&mut self) -> Result<(), PdfError> {
        let len = usize::try_from(self.src.len()).map_err(|_| PdfError::TooLarge("file"))?;
        let data = self.src.window(0, len)?;
        let mut index = HashMap::new();
        let mut starts = Vec::new();
        let mut trailer = Dict::new();
        for at in memmem::find_iter(&data, b"obj") {
            // Walk back over "n g " to the start of the line.
            if let Some((num, gen, start)) = header_before(&data, at) {
                let after = data.get(at + 3).copied().unwrap_or(b' ');
                if super::lexer::is_whitespace(after) || super::lexer::is_delimiter(after) {
                    index.insert(num, XrefEntry::Offset(start as u64, gen));
                    starts.push(start as u64);
                }
            }
        }
        self.budget.spend_entries(starts.len() as u64)?;
        // Each trailer dictionary is read up to the next `trailer` keyword at most: a file of
        // unterminated trailers costs its own length, not its length squared.
        let trailers: Vec<usize> = memmem::find_iter(&data, b"trailer").collect();
        for (k, &t) in trailers.iter().enumerate() {
            let at = t + 7;
            let end = trailers
                .get(k + 1)
                .copied()
                .unwrap_or(data.len())
                .min(at.saturating_add(MAX_TRAILER));
            let Some(w) = data.get(at..end) else { continue };
            self.budget.spend_parsed(w.len() as u64)?;
            let mut lx = Lexer::new(w, 0);
            if let Ok(Object::Dict(d)) = lx.object() {
                if d.get(b"Root").is_some() {
                    trailer = d;
                }
            }
        }
        self.index = index;
        self.sections.clear();
        starts.sort_unstable();
        starts.dedup();
        self.starts = OnceCell::from(starts);
        self.indexed = true;
        self.objstm.borrow_mut().clear();
        self.objstm_bytes.set(0);
        // Decryption (the trailer found names /Encrypt) before object streams are read.
        let found_trailer = trailer.clone();
        if found_trailer.get(b"Encrypt").is_some() {
            self.trailer = found_trailer;
            self.open_encryption();
        }
        // Objects inside object streams: index them too.
        let mut stm_nums: Vec<(u32, u64)> = self
            .index
            .iter()
            .filter_map(|(n, e)| match e {
                XrefEntry::Offset(o, _) => Some((*n, *o)),
                _ => None,
            })
            .collect();
        stm_nums.sort_unstable();
        let mut catalog = None;
        for (num, off) in stm_nums {
            let obj = match self.parse_indirect_at(off) {
                Ok((_, obj, _)) => obj,
                Err(e @ PdfError::TooComplex(_)) => return Err(e),
                Err(_) => continue,
            };
            match &obj {
                Object::Stream(s) if s.dict.name_is(b"Type", b"ObjStm") => match self.load_objstm(num) {
                    Ok(stm) => {
                        self.budget.spend_entries(stm.offsets.len() as u64)?;
                        for (k, (n, _)) in stm.offsets.iter().enumerate() {
                            self.index.entry(*n).or_insert(XrefEntry::InStream {
                                stream: num,
                                index: k as u32,
                            });
                        }
                    }
                    Err(e @ PdfError::TooComplex(_)) => return Err(e),
                    Err(_) => {}
                },
                Object::Stream(s) if s.dict.name_is(b"Type", b"XRef") && trailer.get(b"Root").is_none() => {
                    trailer = s.dict.clone();
                }
                Object::Dict(d) if d.name_is(b"Type", b"Catalog") => catalog = Some(num),
                _ => {}
            }
        }
        if trailer.get(b"Root").is_none() {
            let Some(c) = catalog else {
                return Err(PdfError::Malformed {
                    offset: 0,
                    what: "no document catalog found".into(),
                });
            };
            trailer.set(b"Root", Object::Ref(ObjRef::new(c, 0)));
        }
        let had_encrypt = self.trailer.get(b"Encrypt").is_some();
        self.trailer = trailer;
        if self.trailer.get(b"Encrypt").is_some() != had_encrypt || self.decryptor.is_none() {
            self.open_encryption();
        }
        self.reconstructed = true;
        Ok(())
    }
}

fn header_before(data: &[u8], obj_at: usize) -> Option<(u32, u16, usize)> {
    let mut p = obj_at;
    let skip_ws_back = |p: &mut usize| {
        while *p > 0 && data.get(*p - 1).is_some_and(|b| super::lexer::is_whitespace(*b)) {
            *p -= 1;
        }
    };
    let digits_back = |p: &mut usize| -> Option<u64> {
        let end = *p;
        while *p > 0 && data.get(*p - 1).is_some_and(u8::is_ascii_digit) {
            *p -= 1;
        }
        super::lexer::parse_uint(data.get(*p..end)?)
    };
    skip_ws_back(&mut p);
    let gen = digits_back(&mut p)?;
    skip_ws_back(&mut p);
    let num = digits_back(&mut p)?;
    if p > 0
        && !data
            .get(p - 1)
            .is_some_and(|b| super::lexer::is_whitespace(*b) || super::lexer::is_delimiter(*b))
    {
        return None;
    }
    Some((u32::try_from(num).ok()?, u16::try_from(gen).ok()?, p))
}

/// Entries of one cross-reference section as they are read.
#[derive(Default)]
struct SectionEntries {
    entries: BTreeMap<u32, XrefEntry>,
    conflicts: Vec<Conflict>,
    /// Rows read (the budget's measure).
    rows: u64,
}

impl SectionEntries {
    /// Records an entry; the first one for a number counts, and a different second one is a
    /// conflict. `hybrid`: an entry from a table's /XRefStm, which only fills what the table
    /// leaves out (the table takes precedence in every reader that reads the stream, and
    /// older readers see only the table), so it is never a conflict.
    fn add(&mut self, num: u32, e: XrefEntry, hybrid: bool) {
        use std::collections::btree_map::Entry;
        match self.entries.entry(num) {
            Entry::Vacant(v) => {
                v.insert(e);
            }
            Entry::Occupied(o) => {
                let first = *o.get();
                if !hybrid && first != e && num != 0 && self.conflicts.len() < MAX_CONFLICTS {
                    self.conflicts.push(Conflict {
                        num,
                        first,
                        second: e,
                    });
                }
            }
        }
    }
}

fn parse_table(w: &[u8], max_rows: u64) -> Result<(SectionEntries, Dict, usize), LexError> {
    let mut lx = Lexer::new(w, 0);
    lx.expect_keyword(b"xref")?;
    let mut xref = SectionEntries::default();
    loop {
        lx.skip_ws();
        if w.get(lx.pos..).is_some_and(|r| r.starts_with(b"trailer")) {
            lx.pos += 7;
            let Object::Dict(trailer) = lx.object()? else {
                return Err(LexError::Syntax(lx.pos, "trailer is not a dictionary"));
            };
            return Ok((xref, trailer, lx.pos));
        }
        let start = lx.uint()?;
        let count = lx.uint()?;
        if count > 10_000_000 {
            return Err(LexError::Syntax(lx.pos, "xref subsection too large"));
        }
        for k in 0..count {
            xref.rows += 1;
            if xref.rows > max_rows {
                return Err(LexError::Limit("cross-reference entries"));
            }
            let off = lx.uint()?;
            let gen = lx.uint()?;
            let at = lx.pos;
            let kind = lx.token()?;
            let num = start
                .checked_add(k)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(LexError::Syntax(at, "object number too large"))?;
            let e = match kind {
                b"n" => XrefEntry::Offset(off, u16::try_from(gen).unwrap_or(u16::MAX)),
                b"f" => XrefEntry::Free,
                _ => return Err(LexError::Syntax(at, "bad xref entry")),
            };
            // A buggy writer's `0 0 n` entries would point at the file header; numbers past
            // the format's limit are refused by Acrobat, so they are not read here either.
            if matches!(e, XrefEntry::Offset(0, _)) || num > MAX_OBJECT_NUMBER {
                continue;
            }
            xref.add(num, e, false);
        }
    }
}

/// `/W`, `/Index` of a cross-reference stream.
struct XrefLayout {
    w: [usize; 3],
    row: usize,
    /// `(first, count)` subsections, counts clipped to the format's object-number limit.
    index: Vec<(u32, u32)>,
}

impl XrefLayout {
    fn of(dict: &Dict) -> Option<Self> {
        let w: Vec<usize> = dict
            .get(b"W")?
            .as_array()?
            .iter()
            .map(|o| o.as_int().and_then(|i| usize::try_from(i).ok()))
            .collect::<Option<_>>()?;
        let [w0, w1, w2] = w.as_slice() else { return None };
        if w.iter().any(|x| *x > 8) {
            return None;
        }
        let row = w0 + w1 + w2;
        if row == 0 {
            return None;
        }
        let size = dict.get_int(b"Size")?;
        let pairs: Vec<i64> = match dict.get(b"Index") {
            Some(Object::Array(a)) => a.iter().map(Object::as_int).collect::<Option<_>>()?,
            _ => vec![0, size],
        };
        let limit = i64::from(MAX_OBJECT_NUMBER) + 1;
        let mut index = Vec::new();
        for pair in pairs.chunks_exact(2) {
            let (start, count) = (pair[0], pair[1]);
            if !(0..limit).contains(&start) || count < 0 {
                return None;
            }
            let count = count.min(limit - start);
            index.push((u32::try_from(start).ok()?, u32::try_from(count).ok()?));
        }
        Some(Self {
            w: [*w0, *w1, *w2],
            row,
            index,
        })
    }

    /// Rows the subsections ask for.
    fn rows(&self) -> u64 {
        self.index.iter().map(|(_, c)| u64::from(*c)).sum()
    }
}

fn parse_xref_stream(layout: &XrefLayout, data: &[u8]) -> SectionEntries {
    let w = layout.w;
    let mut xref = SectionEntries::default();
    let mut rows = data.chunks_exact(layout.row);
    for &(start, count) in &layout.index {
        for k in 0..count {
            let Some(r) = rows.next() else {
                return xref;
            };
            xref.rows += 1;
            let field = |from: usize, width: usize| -> u64 {
                r.get(from..from + width)
                    .unwrap_or_default()
                    .iter()
                    .fold(0u64, |acc, b| acc << 8 | u64::from(*b))
            };
            let t = if w[0] == 0 { 1 } else { field(0, w[0]) };
            let f2 = field(w[0], w[1]);
            let f3 = field(w[0] + w[1], w[2]);
            let e = match t {
                0 => XrefEntry::Free,
                // Offset 0 is the file header, never an object.
                1 if f2 == 0 => continue,
                1 => XrefEntry::Offset(f2, u16::try_from(f3).unwrap_or(0)),
                2 => match (u32::try_from(f2), u32::try_from(f3)) {
                    (Ok(stream), Ok(index)) => XrefEntry::InStream { stream, index },
                    _ => continue,
                },
                _ => continue, // reserved types are ignored (§7.5.8.3)
            };
            if let Some(num) = start.checked_add(k) {
                xref.add(num, e, false);
            }
        }
    }
    xref
}

/// Inflates at most `limit` bytes. Over the limit: `TooLarge`, or (with `prefix`) the first
/// `limit` bytes.
fn inflate_bounded(data: &[u8], limit: usize, prefix: bool) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    let mut dec = flate2::read::ZlibDecoder::new(data).take(limit as u64 + 1);
    match dec.read_to_end(&mut out) {
        Ok(_) => {}
        // Truncated streams are common; keep what decoded, as readers do.
        Err(_) if !out.is_empty() => {}
        Err(_) => {
            // Some writers emit raw deflate without the zlib header.
            out.clear();
            let mut raw = flate2::read::DeflateDecoder::new(data).take(limit as u64 + 1);
            if raw.read_to_end(&mut out).is_err() && out.is_empty() {
                return Err(PdfError::Malformed {
                    offset: 0,
                    what: "corrupt compressed stream".into(),
                });
            }
        }
    }
    if out.len() > limit {
        if !prefix {
            return Err(PdfError::TooLarge("decompressed stream"));
        }
        out.truncate(limit);
    }
    Ok(out)
}

/// Undoes PNG row prediction in place of a new buffer (two row buffers, reused: a stream of
/// millions of one-byte rows must not cost millions of allocations).
fn png_unpredict(data: &[u8], columns: usize) -> Result<Vec<u8>, PdfError> {
    let stride = columns + 1;
    let mut out = Vec::with_capacity(data.len() / stride * columns + columns);
    let mut prev = vec![0u8; columns];
    let mut cur = vec![0u8; columns];
    for row in data.chunks(stride) {
        let Some((&kind, bytes)) = row.split_first() else {
            break;
        };
        cur.fill(0);
        for (i, &b) in bytes.iter().enumerate().take(columns) {
            let left = if i > 0 { cur[i - 1] } else { 0 };
            let up = prev[i];
            let up_left = if i > 0 { prev[i - 1] } else { 0 };
            cur[i] = match kind {
                0 => b,
                1 => b.wrapping_add(left),
                2 => b.wrapping_add(up),
                3 => b.wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => b.wrapping_add(paeth(left, up, up_left)),
                _ => {
                    return Err(PdfError::Malformed {
                        offset: 0,
                        what: "bad PNG predictor row".into(),
                    })
                }
            };
        }
        out.extend_from_slice(&cur);
        std::mem::swap(&mut prev, &mut cur);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal classic-xref file with correct offsets.
    fn classic() -> Vec<u8> {
        let mut f = b"%PDF-1.4\n".to_vec();
        let o1 = f.len();
        f.extend_from_slice(b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
        let o2 = f.len();
        f.extend_from_slice(b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n");
        let x = f.len();
        f.extend_from_slice(
            format!("xref\n0 3\n0000000000 65535 f \n{o1:010} 00000 n \n{o2:010} 00000 n \ntrailer\n<</Size 3/Root 1 0 R>>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
        );
        f
    }

    #[test]
    fn reads_a_classic_file() {
        let pdf = Pdf::open(classic()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!pdf.reconstructed);
        assert_eq!(pdf.sections.len(), 1);
        assert_eq!(pdf.sections[0].eof_end, Some(classic().len() as u64));
        let root = pdf
            .resolve(pdf.trailer().get(b"Root").unwrap_or(&Object::Null))
            .unwrap_or(Object::Null);
        assert!(root.as_dict().is_some_and(|d| d.name_is(b"Type", b"Catalog")));
    }

    #[test]
    fn broken_xref_is_reconstructed() {
        let mut bad = classic();
        let p = memmem::rfind(&bad, b"startxref\n").unwrap_or(0) + 10;
        bad[p] = b'9';
        let pdf = Pdf::open(bad).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.reconstructed);
        assert!(pdf.get(ObjRef::new(2, 0)).is_ok_and(|o| o.as_dict().is_some()));
    }

    #[test]
    fn prev_loop_terminates() {
        let mut f = classic();
        let start = memmem::find(&f, b"xref").unwrap_or(0);
        let p = memmem::find(&f, b"/Size 3").unwrap_or(0);
        let prev = format!("/Size 3/Prev {start}");
        f.splice(p..p + 7, prev.bytes());
        let tail = format!("startxref\n{start}\n%%EOF\n");
        let s = memmem::rfind(&f, b"startxref").unwrap_or(0);
        f.truncate(s);
        f.extend_from_slice(tail.as_bytes());
        assert!(Pdf::open(f).is_ok());
    }

    #[test]
    fn decompression_bomb_stops_at_the_limit() {
        let zeros = vec![0u8; 4 << 20];
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &zeros).unwrap_or(());
        let packed = enc.finish().unwrap_or_default();
        assert!(matches!(
            inflate_bounded(&packed, 1 << 20, false),
            Err(PdfError::TooLarge(_))
        ));
        assert_eq!(
            inflate_bounded(&packed, 1 << 20, true)
                .map(|v| v.len())
                .unwrap_or(0),
            1 << 20
        );
        assert_eq!(
            inflate_bounded(&packed, 8 << 20, false)
                .map(|v| v.len())
                .unwrap_or(0),
            4 << 20
        );
    }

    #[test]
    fn an_object_listed_twice_differently_is_a_conflict() {
        let mut f = classic();
        let x = memmem::find(&f, b"xref").unwrap_or(0);
        let table = format!(
            "xref\n0 3\n0000000000 65535 f \n{:010} 00000 n \n{:010} 00000 n \n2 1\n0000000009 00000 n \n",
            9,
            memmem::find(&f, b"2 0 obj").unwrap_or(0)
        );
        let trailer_at = memmem::find(&f, b"trailer").unwrap_or(0);
        f.splice(x..trailer_at, table.bytes());
        let s = memmem::rfind(&f, b"startxref").unwrap_or(0);
        f.truncate(s);
        f.extend_from_slice(format!("startxref\n{x}\n%%EOF\n").as_bytes());
        let pdf = Pdf::open(f).unwrap_or_else(|e| panic!("{e}"));
        let c = pdf.conflicts();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].1.num, 2);
        // The first entry is the one read.
        assert!(pdf
            .get(ObjRef::new(2, 0))
            .is_ok_and(|o| o.as_dict().is_some_and(|d| d.name_is(b"Type", b"Pages"))));
    }

    #[test]
    fn xref_stream_rows_stop_at_the_format_limit() {
        let mut d = Dict::new();
        d.set(
            b"W",
            Object::Array(vec![Object::Int(0), Object::Int(0), Object::Int(1)]),
        );
        d.set(b"Size", Object::Int(1 << 28));
        let layout = XrefLayout::of(&d).unwrap_or_else(|| panic!("layout"));
        assert_eq!(layout.rows(), u64::from(MAX_OBJECT_NUMBER) + 1);
        // Rows at offset 0 (the /W [0 0 1] bomb) are read and dropped.
        let xref = parse_xref_stream(&layout, &[7u8; 1000]);
        assert_eq!(xref.rows, 1000);
        assert!(xref.entries.is_empty());
    }

    #[test]
    fn garbage_is_not_a_pdf() {
        assert!(matches!(Pdf::open(b"hello".to_vec()), Err(PdfError::NotPdf)));
        assert!(Pdf::open(b"%PDF-1.7\n garbage".to_vec()).is_err());
    }
}
