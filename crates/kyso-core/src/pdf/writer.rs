//! Incremental updates (ISO 32000-2 §7.5.6): new and changed objects appended after the
//! original bytes, with a cross-reference section in the original's style and a trailer
//! whose `/Prev` points back. The original file stays a byte-identical prefix.

use super::budget::MAX_OBJECT_NUMBER;
use super::object::{Dict, ObjRef, Object, PlaceholderOffsets, Serializer};
use super::reader::XrefKind;
use super::PdfError;

/// What the update needs to know about the file it extends.
#[derive(Clone, Debug)]
pub struct Base {
    /// Length of the original file (the update starts here).
    pub file_len: u64,
    /// `startxref` of the original's last revision.
    pub prev_startxref: u64,
    /// The original's newest trailer.
    pub trailer: Dict,
    /// Cross-reference style to match.
    pub xref_kind: XrefKind,
    /// The original's `/Size`.
    pub size: u32,
}

impl Base {
    /// What an update needs to know about `pdf`.
    pub fn of<S: super::Source>(pdf: &super::Pdf<S>) -> Self {
        Self {
            file_len: pdf.len(),
            prev_startxref: pdf.last_startxref().unwrap_or(0),
            trailer: pdf.trailer().clone(),
            xref_kind: pdf.sections.first().map_or(XrefKind::Table, |s| s.kind),
            size: pdf.size(),
        }
    }
}

/// Objects to append.
#[derive(Default)]
pub struct Update {
    next_num: u32,
    /// An object number was asked for past the format's limit: writing is refused (object
    /// numbers that wrapped to 0, 1, 2… would redefine the document's own objects).
    exhausted: bool,
    objects: Vec<(ObjRef, Object)>,
}

fn beyond_limit() -> PdfError {
    PdfError::TooComplex("object numbers past the PDF limit of 8,388,607")
}

/// The serialised update and where its placeholders are (absolute file offsets).
pub struct Written {
    /// Bytes to append to the original.
    pub bytes: Vec<u8>,
    /// Absolute offset of the `/ByteRange` placeholder.
    pub byte_range_at: Option<u64>,
    /// Absolute offset of the `/Contents` `<` and the reserved byte count.
    pub contents_at: Option<(u64, usize)>,
}

impl Update {
    /// An update for a file whose next free object number is `size`.
    pub fn new(size: u32) -> Self {
        Self {
            next_num: size.max(1),
            exhausted: size > MAX_OBJECT_NUMBER,
            objects: Vec::new(),
        }
    }

    /// Reserves a new object number. Past the format's limit the numbers stop growing and
    /// the update refuses to be written (checked arithmetic: never wraps).
    pub fn alloc(&mut self) -> ObjRef {
        let r = ObjRef::new(self.next_num, 0);
        match self
            .next_num
            .checked_add(1)
            .filter(|n| *n <= MAX_OBJECT_NUMBER + 1)
        {
            Some(n) => self.next_num = n,
            None => self.exhausted = true,
        }
        r
    }

    /// Whether every object number allocated is within the format's limit.
    pub fn check(&self) -> Result<(), PdfError> {
        if self.exhausted || self.objects.iter().any(|(r, _)| r.num > MAX_OBJECT_NUMBER) {
            return Err(beyond_limit());
        }
        Ok(())
    }

    /// Adds a new object and returns its reference.
    pub fn add(&mut self, obj: Object) -> ObjRef {
        let r = self.alloc();
        self.objects.push((r, obj));
        r
    }

    /// The object this update writes as `r`, if any.
    pub fn get(&self, r: ObjRef) -> Option<&Object> {
        self.objects.iter().find(|(k, _)| *k == r).map(|(_, o)| o)
    }

    /// Writes `obj` as (a new version of) `r`.
    pub fn put(&mut self, r: ObjRef, obj: Object) {
        if let Some(slot) = self.objects.iter_mut().find(|(k, _)| *k == r) {
            slot.1 = obj;
        } else {
            self.objects.push((r, obj));
        }
    }

    /// Serialises the objects as a whole new PDF (objects numbered 1.. in order, one
    /// classic cross-reference table) with `root` as its catalog.
    pub fn write_document(&self, root: ObjRef, info: Option<ObjRef>) -> Vec<u8> {
        let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets: Vec<(ObjRef, u64)> = Vec::new();
        for (r, obj) in &self.objects {
            offsets.push((*r, bytes.len() as u64));
            bytes.extend_from_slice(format!("{} {} obj\n", r.num, r.gen).as_bytes());
            Serializer::new(&mut bytes).write(obj);
            bytes.extend_from_slice(b"\nendobj\n");
        }
        offsets.sort();
        let xref_at = bytes.len();
        let size = self.next_num;
        bytes.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
        for num in 1..size {
            match offsets.iter().find(|(r, _)| r.num == num) {
                Some((r, off)) => bytes.extend_from_slice(format!("{off:010} {:05} n\r\n", r.gen).as_bytes()),
                None => bytes.extend_from_slice(b"0000000000 65535 f\r\n"),
            }
        }
        let mut trailer = Dict::new();
        trailer.set(b"Size", Object::Int(i64::from(size)));
        trailer.set(b"Root", Object::Ref(root));
        if let Some(i) = info {
            trailer.set(b"Info", Object::Ref(i));
        }
        trailer.set(b"ID", new_id(&Dict::new(), bytes.len() as u64));
        bytes.extend_from_slice(b"trailer\n");
        Serializer::new(&mut bytes).write(&Object::Dict(trailer));
        bytes.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        bytes
    }

    /// Serialises the update after `base`; refused when an object number (the update's or,
    /// for a cross-reference stream, its own) would pass the format's limit.
    pub fn write(&self, base: &Base) -> Result<Written, PdfError> {
        self.check()?;
        // A cross-reference stream takes the number after every other.
        if base.size > MAX_OBJECT_NUMBER {
            return Err(beyond_limit());
        }
        let mut bytes = Vec::with_capacity(4096);
        // The original may end without an end-of-line after %%EOF.
        bytes.push(b'\n');
        let mut offsets: Vec<(ObjRef, u64)> = Vec::new();
        let mut ph = PlaceholderOffsets::default();
        for (r, obj) in &self.objects {
            offsets.push((*r, base.file_len + bytes.len() as u64));
            bytes.extend_from_slice(format!("{} {} obj\n", r.num, r.gen).as_bytes());
            let mut ser = Serializer::new(&mut bytes);
            ser.write(obj);
            let p = ser.placeholders;
            ph.byte_range = ph.byte_range.or(p.byte_range);
            ph.contents = ph.contents.or(p.contents);
            bytes.extend_from_slice(b"\nendobj\n");
        }
        let size = self.next_num.max(base.size);
        let xref_at = base.file_len + bytes.len() as u64;
        let mut trailer = Dict::new();
        for key in [&b"Root"[..], b"Info", b"Encrypt"] {
            if let Some(v) = base.trailer.get(key) {
                trailer.set(key, v.clone());
            }
        }
        trailer.set(b"ID", new_id(&base.trailer, base.file_len));
        trailer.set(b"Prev", Object::Int(base.prev_startxref as i64));
        match base.xref_kind {
            XrefKind::Table => {
                trailer.set(b"Size", Object::Int(i64::from(size)));
                bytes.extend_from_slice(b"xref\n");
                offsets.sort();
                for run in runs(&offsets) {
                    let first = run.first().map_or(0, |(r, _)| r.num);
                    bytes.extend_from_slice(format!("{first} {}\n", run.len()).as_bytes());
                    for (r, off) in run {
                        bytes.extend_from_slice(format!("{off:010} {:05} n\r\n", r.gen).as_bytes());
                    }
                }
                bytes.extend_from_slice(b"trailer\n");
                Serializer::new(&mut bytes).write(&Object::Dict(trailer));
                bytes.push(b'\n');
            }
            XrefKind::Stream => {
                // The xref stream is an object too and lists itself.
                let own = ObjRef::new(size, 0);
                offsets.push((own, xref_at));
                offsets.sort();
                let width = offset_width(xref_at);
                let mut data = Vec::new();
                let mut index = Vec::new();
                for run in runs(&offsets) {
                    index.push(Object::Int(i64::from(run.first().map_or(0, |(r, _)| r.num))));
                    index.push(Object::Int(run.len() as i64));
                    for (r, off) in run {
                        data.push(1u8);
                        data.extend_from_slice(&off.to_be_bytes()[8 - width..]);
                        data.extend_from_slice(&r.gen.to_be_bytes());
                    }
                }
                trailer.set(b"Type", Object::name(b"XRef"));
                trailer.set(b"Size", Object::Int(i64::from(size) + 1));
                trailer.set(b"Index", Object::Array(index));
                trailer.set(
                    b"W",
                    Object::Array(vec![Object::Int(1), Object::Int(width as i64), Object::Int(2)]),
                );
                trailer.set(b"Length", Object::Int(data.len() as i64));
                bytes.extend_from_slice(format!("{} 0 obj\n", own.num).as_bytes());
                Serializer::new(&mut bytes).write(&Object::Dict(trailer));
                bytes.extend_from_slice(b"\nstream\n");
                bytes.extend_from_slice(&data);
                bytes.extend_from_slice(b"\nendstream\nendobj\n");
            }
        }
        bytes.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
        Ok(Written {
            bytes,
            byte_range_at: ph.byte_range.map(|p| base.file_len + p as u64),
            contents_at: ph.contents.map(|(p, n)| (base.file_len + p as u64, n)),
        })
    }
}

/// Groups sorted (ref, offset) pairs into runs of consecutive object numbers.
fn runs(sorted: &[(ObjRef, u64)]) -> Vec<&[(ObjRef, u64)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=sorted.len() {
        let breaks = i == sorted.len()
            || sorted.get(i).map(|(r, _)| r.num) != sorted.get(i - 1).map(|(r, _)| r.num + 1);
        if breaks {
            if let Some(run) = sorted.get(start..i) {
                out.push(run);
            }
            start = i;
        }
    }
    out
}

fn offset_width(max: u64) -> usize {
    (1..=8).find(|w| max < 1u64 << (8 * w)).unwrap_or(8)
}

/// The trailer `/ID`: first element kept (it identifies the document), second new (§14.4).
fn new_id(trailer: &Dict, file_len: u64) -> Object {
    use sha2::{Digest, Sha256};
    let first = trailer
        .get(b"ID")
        .and_then(Object::as_array)
        .and_then(|a| a.first().cloned());
    let mut h = Sha256::new();
    h.update(file_len.to_be_bytes());
    h.update(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
            .to_be_bytes(),
    );
    let second = Object::Str(super::object::PdfString {
        bytes: h.finalize()[..16].to_vec(),
        hex: true,
    });
    Object::Array(vec![first.unwrap_or_else(|| second.clone()), second])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::reader::Pdf;

    fn base_file() -> Vec<u8> {
        let mut f = b"%PDF-1.4\n".to_vec();
        let o1 = f.len();
        f.extend_from_slice(b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
        let o2 = f.len();
        f.extend_from_slice(b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n");
        let x = f.len();
        f.extend_from_slice(format!("xref\n0 3\n0000000000 65535 f \n{o1:010} 00000 n \n{o2:010} 00000 n \ntrailer\n<</Size 3/Root 1 0 R/ID[<01><02>]>>\nstartxref\n{x}\n%%EOF").as_bytes());
        f
    }

    fn round_trip(kind: XrefKind) {
        let orig = base_file();
        let pdf = Pdf::open(orig.clone()).unwrap_or_else(|e| panic!("{e}"));
        let base = Base {
            file_len: orig.len() as u64,
            prev_startxref: pdf.last_startxref().unwrap_or(0),
            trailer: pdf.trailer().clone(),
            xref_kind: kind,
            size: pdf.size(),
        };
        let mut up = Update::new(pdf.size());
        let mut cat = Dict::new();
        cat.set(b"Type", Object::name(b"Catalog"));
        cat.set(b"Pages", Object::Ref(ObjRef::new(2, 0)));
        let new = up.add(Object::string("hello"));
        cat.set(b"X", Object::Ref(new));
        up.put(ObjRef::new(1, 0), Object::Dict(cat));
        let w = up.write(&base).unwrap_or_else(|e| panic!("{e}"));
        let mut out = orig.clone();
        out.extend_from_slice(&w.bytes);
        let pdf2 = Pdf::open(out).unwrap_or_else(|e| panic!("{e}"));
        assert!(!pdf2.reconstructed);
        assert_eq!(pdf2.sections.len(), 2);
        assert_eq!(
            pdf2.get(new)
                .ok()
                .and_then(|o| o.as_str_bytes().map(<[u8]>::to_vec)),
            Some(b"hello".to_vec())
        );
        let id = pdf2
            .trailer()
            .get(b"ID")
            .and_then(Object::as_array)
            .map(|a| a[0].clone());
        assert_eq!(
            id.and_then(|o| o.as_str_bytes().map(<[u8]>::to_vec)),
            Some(vec![1])
        );
    }

    #[test]
    fn object_numbers_never_wrap() {
        // `/Size` near u32::MAX used to wrap the new objects to 0, 1, 2… in release builds.
        let mut up = Update::new(u32::MAX - 1);
        let a = up.alloc();
        let b = up.alloc();
        let c = up.alloc();
        assert!(a.num >= u32::MAX - 1 && b.num >= a.num && c.num >= b.num);
        assert!(matches!(up.check(), Err(PdfError::TooComplex(_))));
        let base = Base {
            file_len: 10,
            prev_startxref: 0,
            trailer: Dict::new(),
            xref_kind: XrefKind::Table,
            size: u32::MAX,
        };
        assert!(up.write(&base).is_err());
        // At the limit exactly: the last number is usable, the next is not.
        let mut up = Update::new(MAX_OBJECT_NUMBER);
        assert_eq!(up.alloc().num, MAX_OBJECT_NUMBER);
        assert!(up.check().is_ok());
        up.alloc();
        assert!(up.check().is_err());
    }

    #[test]
    fn classic_update_round_trips() {
        round_trip(XrefKind::Table);
    }

    #[test]
    fn xref_stream_update_round_trips() {
        round_trip(XrefKind::Stream);
    }
}
