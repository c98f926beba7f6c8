//! PDF object model (ISO 32000-2 §7.3) and its serialisation.
//!
//! Values keep what a reader needs to write them back unchanged: reals keep their original
//! text (re-formatting `0.1` as `0.10000001` changed MediaBoxes in other signers and broke
//! earlier signatures), strings remember whether they were hex.

use std::fmt;

/// Reference to an indirect object: object number and generation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ObjRef {
    /// Object number.
    pub num: u32,
    /// Generation number.
    pub gen: u16,
}

impl ObjRef {
    /// Reference `num gen R`.
    pub const fn new(num: u32, gen: u16) -> Self {
        Self { num, gen }
    }
}

impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} R", self.num, self.gen)
    }
}

/// A PDF string: raw bytes and the form it was written in.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PdfString {
    /// Decoded bytes.
    pub bytes: Vec<u8>,
    /// Written as `<hex>` rather than `(literal)`.
    pub hex: bool,
}

/// Where a stream's data lives.
#[derive(Clone, PartialEq, Debug)]
pub enum StreamData {
    /// `len` bytes at absolute offset `offset` of the file (not loaded).
    InFile {
        /// Absolute offset of the first data byte.
        offset: u64,
        /// Length from `/Length`.
        len: u64,
    },
    /// Decoded bytes held in memory (object streams, streams we create).
    Owned(Vec<u8>),
    /// Like `InFile`, encrypted with the key of object `owner` (decrypted when read).
    Encrypted {
        /// Absolute offset of the first data byte.
        offset: u64,
        /// Length from `/Length`.
        len: u64,
        /// The object the stream is (its number and generation make the key).
        owner: ObjRef,
    },
}

/// A stream object: its dictionary and where its (still encoded) data is.
#[derive(Clone, PartialEq, Debug)]
pub struct Stream {
    /// Stream dictionary.
    pub dict: Dict,
    /// The data.
    pub data: StreamData,
}

/// A dictionary, in file order (order is kept so rewritten objects differ only where we meant).
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Dict(pub Vec<(Vec<u8>, Object)>);

impl Dict {
    /// Empty dictionary.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Value for `key` (without the slash).
    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`, replacing an existing entry in place.
    pub fn set(&mut self, key: &[u8], value: Object) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
        } else {
            self.0.push((key.to_vec(), value));
        }
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &[u8]) {
        self.0.retain(|(k, _)| k != key);
    }

    /// `/Key /Name` equals `name`.
    pub fn name_is(&self, key: &[u8], name: &[u8]) -> bool {
        matches!(self.get(key), Some(Object::Name(n)) if n == name)
    }

    /// The value as a name.
    pub fn get_name(&self, key: &[u8]) -> Option<&[u8]> {
        match self.get(key) {
            Some(Object::Name(n)) => Some(n),
            _ => None,
        }
    }

    /// The value as an integer.
    pub fn get_int(&self, key: &[u8]) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }
}

/// Any PDF object.
#[derive(Clone, PartialEq, Debug)]
pub enum Object {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// Integer.
    Int(i64),
    /// Real number, kept as written.
    Real(Vec<u8>),
    /// Name, decoded (without the slash, `#xx` resolved).
    Name(Vec<u8>),
    /// String.
    Str(PdfString),
    /// Array.
    Array(Vec<Object>),
    /// Dictionary.
    Dict(Dict),
    /// Stream (only as the value of an indirect object).
    Stream(Box<Stream>),
    /// Indirect reference.
    Ref(ObjRef),
    /// Fixed-width slot the writer fills in later (signature `/ByteRange` and `/Contents`).
    Placeholder(Placeholder),
}

/// Fixed-width slots in a signature dictionary, patched after the file is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Placeholder {
    /// `[0 a b c]` padded to a fixed width.
    ByteRange,
    /// `<00…>` hex string of this many bytes.
    Contents(usize),
}

/// Width of the `/ByteRange` placeholder: `[` + 4 numbers of up to 20 digits + spaces + `]`.
pub const BYTE_RANGE_WIDTH: usize = 1 + 4 * 21 + 1;

impl Object {
    /// Integer value (reals that are whole numbers are not converted: callers asking for an
    /// integer where a real stands get `None`).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Number value (integer or real).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Object::Int(i) => Some(*i as f64),
            Object::Real(r) => std::str::from_utf8(r).ok()?.parse().ok(),
            _ => None,
        }
    }

    /// Dictionary (also the dictionary of a stream).
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    /// Array.
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Reference.
    pub fn as_ref(&self) -> Option<ObjRef> {
        match self {
            Object::Ref(r) => Some(*r),
            _ => None,
        }
    }

    /// String bytes.
    pub fn as_str_bytes(&self) -> Option<&[u8]> {
        match self {
            Object::Str(s) => Some(&s.bytes),
            _ => None,
        }
    }

    /// Literal string.
    pub fn string(bytes: impl Into<Vec<u8>>) -> Object {
        Object::Str(PdfString {
            bytes: bytes.into(),
            hex: false,
        })
    }

    /// Name.
    pub fn name(n: &[u8]) -> Object {
        Object::Name(n.to_vec())
    }
}

/// Text string for a user-visible value (`/T`, `/Reason`, `/Name`): PDFDocEncoding for ASCII,
/// UTF-16BE with BOM otherwise (ISO 32000-2 §7.9.2.2).
pub fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::string(s.as_bytes())
    } else {
        let mut v = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        Object::string(v)
    }
}

/// Decodes a text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding ≈ Latin-1).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// Offsets of placeholders, recorded while serialising (never found by searching the output).
#[derive(Default, Debug, Clone)]
pub struct PlaceholderOffsets {
    /// Offset (within the buffer) of the `/ByteRange` array's `[`.
    pub byte_range: Option<usize>,
    /// Offset of the `<` of `/Contents` and the reserved byte count.
    pub contents: Option<(usize, usize)>,
}

/// Serialises objects into a buffer, recording placeholder offsets.
pub struct Serializer<'a> {
    /// Output buffer.
    pub out: &'a mut Vec<u8>,
    /// Placeholders written so far.
    pub placeholders: PlaceholderOffsets,
}

impl<'a> Serializer<'a> {
    /// Serialises into `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Self {
            out,
            placeholders: PlaceholderOffsets::default(),
        }
    }

    /// Writes one object.
    pub fn write(&mut self, obj: &Object) {
        match obj {
            Object::Null => self.out.extend_from_slice(b"null"),
            Object::Bool(b) => self.out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Object::Int(i) => self.out.extend_from_slice(i.to_string().as_bytes()),
            Object::Real(r) => self.out.extend_from_slice(r),
            Object::Name(n) => write_name(self.out, n),
            Object::Str(s) => write_string(self.out, s),
            Object::Ref(r) => self.out.extend_from_slice(r.to_string().as_bytes()),
            Object::Array(items) => {
                self.out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b' ');
                    }
                    self.write(item);
                }
                self.out.push(b']');
            }
            Object::Dict(d) => self.write_dict(d),
            Object::Stream(s) => {
                self.write_dict(&s.dict);
                self.out.extend_from_slice(b"\nstream\n");
                if let StreamData::Owned(data) = &s.data {
                    self.out.extend_from_slice(data);
                }
                self.out.extend_from_slice(b"\nendstream");
            }
            Object::Placeholder(Placeholder::ByteRange) => {
                self.placeholders.byte_range = Some(self.out.len());
                self.out.push(b'[');
                self.out.extend(std::iter::repeat_n(b' ', BYTE_RANGE_WIDTH - 2));
                self.out.push(b']');
            }
            Object::Placeholder(Placeholder::Contents(n)) => {
                self.placeholders.contents = Some((self.out.len(), *n));
                self.out.push(b'<');
                self.out.extend(std::iter::repeat_n(b'0', n * 2));
                self.out.push(b'>');
            }
        }
    }

    fn write_dict(&mut self, d: &Dict) {
        self.out.extend_from_slice(b"<<");
        for (k, v) in &d.0 {
            write_name(self.out, k);
            self.out.push(b' ');
            self.write(v);
        }
        self.out.extend_from_slice(b">>");
    }
}

fn write_name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b <= 0x20 || b >= 0x7f || b == b'#' || super::lexer::is_delimiter(b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn write_string(out: &mut Vec<u8>, s: &PdfString) {
    if s.hex {
        out.push(b'<');
        out.extend_from_slice(hex::encode_upper(&s.bytes).as_bytes());
        out.push(b'>');
        return;
    }
    out.push(b'(');
    for &b in &s.bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

/// Serialises one object to a new buffer (no placeholders expected; for tests).
#[cfg(test)]
fn to_bytes(obj: &Object) -> Vec<u8> {
    let mut out = Vec::new();
    Serializer::new(&mut out).write(obj);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_round_trip() {
        assert_eq!(
            decode_text(text_string("Ký số").as_str_bytes().unwrap_or(b"")),
            "Ký số"
        );
        assert_eq!(text_string("Sig1"), Object::string("Sig1"));
    }

    #[test]
    fn names_and_strings_escape() {
        let mut d = Dict::new();
        d.set(b"A b", Object::string(b"x(y)\\".to_vec()));
        assert_eq!(to_bytes(&Object::Dict(d)), b"<</A#20b (x\\(y\\)\\\\)>>".to_vec());
    }

    #[test]
    fn placeholders_are_fixed_width_and_recorded() {
        let mut out = b"xx".to_vec();
        let mut s = Serializer::new(&mut out);
        s.write(&Object::Placeholder(Placeholder::ByteRange));
        s.write(&Object::Placeholder(Placeholder::Contents(3)));
        let p = s.placeholders.clone();
        assert_eq!(p.byte_range, Some(2));
        assert_eq!(p.contents, Some((2 + BYTE_RANGE_WIDTH, 3)));
        assert!(out.ends_with(b"<000000>"));
    }
}
