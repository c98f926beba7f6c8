//! Reads a PDF's structure lazily: cross-reference sections (tables, streams, hybrids),
//! trailers, and single objects on demand (ISO 32000-2 §7.5).
//!
//! Only what is asked for is read. Everything read from the file is bounded: object size,
//! decompressed size, xref chain length, reference chains. A broken cross-reference falls
//! back to scanning the file for objects (`reconstructed` tells callers; the signer refuses
//! such files, the verifier reports them).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::rc::Rc;

use super::lexer::{LexError, Lexer};
use super::object::{Dict, ObjRef, Object, Stream, StreamData};
use super::source::Source;
use super::PdfError;

/// Largest single object (dictionary, array) we will parse.
const MAX_OBJECT: usize = 64 << 20;
/// Largest decoded stream (object streams, xref streams, content we inspect).
pub const MAX_DECODED: usize = 256 << 20;
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
}

struct ObjStm {
    data: Vec<u8>,
    first: usize,
    offsets: Vec<(u32, usize)>,
}

fn lex_err(offset: u64, e: LexError) -> PdfError {
    match e {
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
        if !head.windows(5).any(|w| w == b"%PDF-") {
            return Err(PdfError::NotPdf);
        }
        let mut pdf = Self {
            src,
            sections: Vec::new(),
            index: HashMap::new(),
            trailer: Dict::new(),
            reconstructed: false,
            objstm: RefCell::new(HashMap::new()),
        };
        match pdf.read_xref_chain() {
            Ok(()) if pdf.trailer.get(b"Root").is_some() && pdf.root_is_valid() => {}
            _ => pdf.reconstruct()?,
        }
        Ok(pdf)
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
        let pos = rfind(&tail, b"startxref").ok_or(PdfError::Malformed {
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
            let (entries, trailer, end) = self.read_table(off)?;
            let mut section = XrefSection {
                offset: off,
                kind: XrefKind::Table,
                trailer,
                entries,
                eof_end: self.find_eof_after(end),
            };
            // Hybrid file: the /XRefStm stream adds entries the table leaves out.
            if let Some(stm) = section.trailer.get_int(b"XRefStm") {
                if let Ok(stm_off) = u64::try_from(stm) {
                    if let Ok((stm_entries, _, _)) = self.read_xref_stream(stm_off) {
                        for (n, e) in stm_entries {
                            section.entries.entry(n).or_insert(e);
                        }
                    }
                }
            }
            Ok(section)
        } else {
            let (entries, trailer, end) = self.read_xref_stream(off)?;
            Ok(XrefSection {
                offset: off,
                kind: XrefKind::Stream,
                trailer,
                entries,
                eof_end: self.find_eof_after(end),
            })
        }
    }

    /// Finds the `%%EOF` that closes a revision whose last structure ends at `from`.
    fn find_eof_after(&self, from: u64) -> Option<u64> {
        let w = self.src.window(from, 256).ok()?;
        let p = find(&w, b"%%EOF")?;
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

    fn read_table(&self, off: u64) -> Result<(BTreeMap<u32, XrefEntry>, Dict, u64), PdfError> {
        let mut size = 64 * 1024;
        loop {
            let w = self.src.window(off, size)?;
            let whole = (w.len() as u64) < size as u64;
            match parse_table(&w) {
                Ok((entries, trailer, end)) => return Ok((entries, trailer, off + end as u64)),
                Err(LexError::Eof) if !whole && size < MAX_OBJECT * 4 => size *= 4,
                Err(e) => return Err(lex_err(off, e)),
            }
        }
    }

    fn read_xref_stream(&self, off: u64) -> Result<(BTreeMap<u32, XrefEntry>, Dict, u64), PdfError> {
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
        let data = self.decode_stream(&stream, MAX_DECODED)?;
        let entries = parse_xref_stream(&stream.dict, &data).ok_or(PdfError::Malformed {
            offset: off,
            what: "bad cross-reference stream".into(),
        })?;
        Ok((entries, stream.dict.clone(), end))
    }

    /// Parses `n g obj … endobj` at `off`; returns the reference, the object and the offset
    /// just past the object (after `endstream`/`endobj` when present).
    pub fn parse_indirect_at(&self, off: u64) -> Result<(ObjRef, Object, u64), PdfError> {
        let mut size = 4096;
        loop {
            let w = self.src.window(off, size)?;
            let whole = (w.len() as u64) < size as u64 || off + w.len() as u64 >= self.len();
            match self.parse_indirect_in(&w, off, whole) {
                Ok(r) => return Ok(r),
                Err(LexError::Eof) if !whole && size < MAX_OBJECT => size *= 8,
                Err(e) => return Err(lex_err(off, e)),
            }
        }
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
        // Search forward for `endstream` in chunks.
        let mut pos = data_start;
        let chunk = 1 << 20;
        while pos < file_len {
            let Ok(w) = self.src.window(pos, chunk + 9) else {
                break;
            };
            if let Some(p) = find(&w, b"endstream") {
                let mut end = pos + p as u64;
                // Drop the EOL that precedes `endstream`.
                let before = self.src.window(end.saturating_sub(2), 2).unwrap_or_default();
                if before.ends_with(b"\r\n") {
                    end -= 2;
                } else if before.ends_with(b"\n") || before.ends_with(b"\r") {
                    end -= 1;
                }
                return end.saturating_sub(data_start);
            }
            if w.len() < chunk + 9 {
                break;
            }
            pos += chunk as u64;
        }
        declared.unwrap_or(0).min(file_len.saturating_sub(data_start))
    }

    /// Fetches an object (streams come back as `Object::Stream` with data left in the file).
    pub fn get(&self, r: ObjRef) -> Result<Object, PdfError> {
        match self.index.get(&r.num).copied() {
            None | Some(XrefEntry::Free) => Ok(Object::Null),
            Some(XrefEntry::Offset(off, _)) => {
                let (found, obj, _) = self.parse_indirect_at(off)?;
                if found.num != r.num {
                    return Err(PdfError::Malformed {
                        offset: off,
                        what: format!("xref points to object {} instead of {}", found.num, r.num),
                    });
                }
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
                let (found, obj, _) = self.parse_indirect_at(off)?;
                if found.num != num {
                    return Err(PdfError::Malformed {
                        offset: off,
                        what: format!("xref points to object {} instead of {num}", found.num),
                    });
                }
                Ok(obj)
            }
            XrefEntry::InStream { stream, index } => self.get_from_objstm(num, stream, index),
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
            .or_else(|| stm.offsets.iter().find(|(n, _)| *n == num))
            .map(|(_, o)| *o)
            .ok_or(PdfError::Malformed {
                offset: 0,
                what: format!("object {num} missing from object stream {stream}"),
            })?;
        let start = stm.first.saturating_add(rel);
        let mut lx = Lexer::new(&stm.data, start);
        lx.object().map_err(|e| lex_err(0, e))
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
        let (_, obj, _) = self.parse_indirect_at(off)?;
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
        let stm = Rc::new(ObjStm { data, first, offsets });
        let mut cache = self.objstm.borrow_mut();
        if cache.len() > 64 {
            cache.clear(); // bounded: large files have many object streams
        }
        cache.insert(num, stm.clone());
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

    /// Raw (still encoded) stream bytes, bounded by `limit`.
    pub fn raw_stream(&self, s: &Stream, limit: usize) -> Result<Vec<u8>, PdfError> {
        match &s.data {
            StreamData::Owned(v) => Ok(v.clone()),
            StreamData::InFile { offset, len } => {
                if *len > limit as u64 {
                    return Err(PdfError::TooLarge("stream"));
                }
                Ok(self.src.window(*offset, *len as usize)?)
            }
        }
    }

    /// Decoded stream bytes (FlateDecode with PNG/TIFF-less predictors), output bounded by
    /// `limit`, so a decompression bomb stops at the limit with an error.
    pub fn decode_stream(&self, s: &Stream, limit: usize) -> Result<Vec<u8>, PdfError> {
        let raw = self.raw_stream(s, limit)?;
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
            Some(Object::Array(a)) => a.first().and_then(|o| o.as_dict().cloned()),
            _ => None,
        };
        let mut data = raw;
        for f in &filters {
            data = match f.as_slice() {
                b"FlateDecode" | b"Fl" => inflate_bounded(&data, limit)?,
                other => {
                    return Err(PdfError::Unsupported(format!(
                        "stream filter {}",
                        String::from_utf8_lossy(other)
                    )))
                }
            };
        }
        if let Some(p) = parms {
            let predictor = p.get_int(b"Predictor").unwrap_or(1);
            if predictor >= 10 {
                let columns = p.get_int(b"Columns").unwrap_or(1);
                let columns = usize::try_from(columns).ok().filter(|c| *c > 0 && *c < 1 << 20);
                let columns = columns.ok_or(PdfError::Unsupported("predictor columns".into()))?;
                data = png_unpredict(&data, columns)?;
            } else if predictor != 1 {
                return Err(PdfError::Unsupported(format!("predictor {predictor}")));
            }
        }
        Ok(data)
    }

    /// Rebuilds the object index by scanning the whole file for `n g obj` (broken xref).
    fn reconstruct(&mut self) -> Result<(), PdfError> {
        let len = usize::try_from(self.src.len()).map_err(|_| PdfError::TooLarge("file"))?;
        let data = self.src.window(0, len)?;
        let mut index = HashMap::new();
        let mut trailer = Dict::new();
        let mut i = 0;
        while let Some(p) = data.get(i..).and_then(|d| find(d, b"obj")) {
            let at = i + p;
            i = at + 3;
            // Walk back over "n g " to the start of the line.
            if let Some((num, gen, start)) = header_before(&data, at) {
                let after = data.get(at + 3).copied().unwrap_or(b' ');
                if super::lexer::is_whitespace(after) || super::lexer::is_delimiter(after) {
                    index.insert(num, XrefEntry::Offset(start as u64, gen));
                }
            }
        }
        let mut j = 0;
        while let Some(p) = data.get(j..).and_then(|d| find(d, b"trailer")) {
            let at = j + p + 7;
            j = at;
            let mut lx = Lexer::new(&data, at);
            if let Ok(Object::Dict(d)) = lx.object() {
                if d.get(b"Root").is_some() {
                    trailer = d;
                }
            }
        }
        self.index = index;
        self.objstm.borrow_mut().clear();
        // Objects inside object streams: index them too.
        let stm_nums: Vec<(u32, u64)> = self
            .index
            .iter()
            .filter_map(|(n, e)| match e {
                XrefEntry::Offset(o, _) => Some((*n, *o)),
                _ => None,
            })
            .collect();
        let mut catalog = None;
        for (num, off) in stm_nums {
            let Ok((_, obj, _)) = self.parse_indirect_at(off) else {
                continue;
            };
            match &obj {
                Object::Stream(s) if s.dict.name_is(b"Type", b"ObjStm") => {
                    if let Ok(stm) = self.load_objstm(num) {
                        for (k, (n, _)) in stm.offsets.iter().enumerate() {
                            self.index.entry(*n).or_insert(XrefEntry::InStream {
                                stream: num,
                                index: k as u32,
                            });
                        }
                    }
                }
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
        self.trailer = trailer;
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

fn parse_table(w: &[u8]) -> Result<(BTreeMap<u32, XrefEntry>, Dict, usize), LexError> {
    let mut lx = Lexer::new(w, 0);
    lx.expect_keyword(b"xref")?;
    let mut entries = BTreeMap::new();
    loop {
        lx.skip_ws();
        if w.get(lx.pos..).is_some_and(|r| r.starts_with(b"trailer")) {
            lx.pos += 7;
            let Object::Dict(trailer) = lx.object()? else {
                return Err(LexError::Syntax(lx.pos, "trailer is not a dictionary"));
            };
            return Ok((entries, trailer, lx.pos));
        }
        let start = lx.uint()?;
        let count = lx.uint()?;
        if count > 10_000_000 {
            return Err(LexError::Syntax(lx.pos, "xref subsection too large"));
        }
        for k in 0..count {
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
            // A buggy writer's `0 0 n` entries would point at the file header.
            if matches!(e, XrefEntry::Offset(0, _)) {
                continue;
            }
            entries.entry(num).or_insert(e);
        }
    }
}

fn parse_xref_stream(dict: &Dict, data: &[u8]) -> Option<BTreeMap<u32, XrefEntry>> {
    let w: Vec<usize> = dict
        .get(b"W")?
        .as_array()?
        .iter()
        .map(|o| o.as_int().and_then(|i| usize::try_from(i).ok()))
        .collect::<Option<_>>()?;
    if w.len() != 3 || w.iter().any(|x| *x > 8) {
        return None;
    }
    let row = w[0] + w[1] + w[2];
    if row == 0 {
        return None;
    }
    let size = dict.get_int(b"Size")?;
    let index: Vec<i64> = match dict.get(b"Index") {
        Some(Object::Array(a)) => a.iter().map(Object::as_int).collect::<Option<_>>()?,
        _ => vec![0, size],
    };
    let mut entries = BTreeMap::new();
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks_exact(2) {
        let (start, count) = (u32::try_from(pair[0]).ok()?, u32::try_from(pair[1]).ok()?);
        for k in 0..count {
            let Some(r) = rows.next() else {
                return Some(entries);
            };
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
                1 => XrefEntry::Offset(f2, u16::try_from(f3).unwrap_or(0)),
                2 => XrefEntry::InStream {
                    stream: u32::try_from(f2).ok()?,
                    index: u32::try_from(f3).ok()?,
                },
                _ => continue, // reserved types are ignored (§7.5.8.3)
            };
            entries.entry(start.checked_add(k)?).or_insert(e);
        }
    }
    Some(entries)
}

fn inflate_bounded(data: &[u8], limit: usize) -> Result<Vec<u8>, PdfError> {
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
            raw.read_to_end(&mut out).map_err(|_| PdfError::Malformed {
                offset: 0,
                what: "corrupt compressed stream".into(),
            })?;
        }
    }
    if out.len() > limit {
        return Err(PdfError::TooLarge("decompressed stream"));
    }
    Ok(out)
}

fn png_unpredict(data: &[u8], columns: usize) -> Result<Vec<u8>, PdfError> {
    let stride = columns + 1;
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; columns];
    for row in data.chunks(stride) {
        let Some((&kind, bytes)) = row.split_first() else {
            break;
        };
        let mut cur = vec![0u8; columns];
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
        prev = cur;
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

/// First occurrence of `needle`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Last occurrence of `needle`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
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
        let p = rfind(&bad, b"startxref\n").unwrap_or(0) + 10;
        bad[p] = b'9';
        let pdf = Pdf::open(bad).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.reconstructed);
        assert!(pdf.get(ObjRef::new(2, 0)).is_ok_and(|o| o.as_dict().is_some()));
    }

    #[test]
    fn prev_loop_terminates() {
        let mut f = classic();
        let start = find(&f, b"xref").unwrap_or(0);
        let p = find(&f, b"/Size 3").unwrap_or(0);
        let prev = format!("/Size 3/Prev {start}");
        f.splice(p..p + 7, prev.bytes());
        let tail = format!("startxref\n{start}\n%%EOF\n");
        let s = rfind(&f, b"startxref").unwrap_or(0);
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
            inflate_bounded(&packed, 1 << 20),
            Err(PdfError::TooLarge(_))
        ));
        assert_eq!(
            inflate_bounded(&packed, 8 << 20).map(|v| v.len()).unwrap_or(0),
            4 << 20
        );
    }

    #[test]
    fn garbage_is_not_a_pdf() {
        assert!(matches!(Pdf::open(b"hello".to_vec()), Err(PdfError::NotPdf)));
        assert!(Pdf::open(b"%PDF-1.7\n garbage".to_vec()).is_err());
    }
}
