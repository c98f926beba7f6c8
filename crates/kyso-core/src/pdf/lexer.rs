//! Tokenizer and object parser over a byte window (ISO 32000-2 §7.2–7.3).
//!
//! Hostile input: nesting is bounded (`MAX_DEPTH`), every index is checked, numbers that do
//! not fit are errors, and running off the end of the window is reported as `Eof` so the
//! caller can fetch a larger window instead of guessing.

use super::object::{Dict, ObjRef, Object, PdfString};

/// Deepest array/dictionary nesting accepted; real files stay far below it.
pub const MAX_DEPTH: usize = 64;
/// Most array elements and dictionary entries in one parsed object (nested ones included).
/// Each costs 50–90 bytes in memory, so this keeps one object under ~40 MB however it is
/// written; real objects (a page tree's `/Kids`, a CID font's `/W`) stay far below.
pub const MAX_ITEMS: usize = 500_000;
/// Dictionaries up to this size check for a repeated key as they are read; larger ones are
/// deduplicated once at the end (a linear check per key was quadratic: 200,000 keys took
/// two minutes).
const INLINE_DEDUP: usize = 16;

/// Why parsing stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexError {
    /// The window ended inside a token or object.
    Eof,
    /// Not valid PDF syntax at this offset (within the window).
    Syntax(usize, &'static str),
    /// A limit that protects memory was reached (see [`MAX_ITEMS`]).
    Limit(&'static str),
}

/// PDF white-space characters (§7.2.3).
pub fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

/// PDF delimiter characters (§7.2.3).
pub fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_whitespace(b) && !is_delimiter(b)
}

/// A cursor over a window of the file.
pub struct Lexer<'a> {
    buf: &'a [u8],
    /// Current position within `buf`.
    pub pos: usize,
    /// Array elements and dictionary entries read by the current `object()` call.
    items: usize,
}

impl<'a> Lexer<'a> {
    /// Lexer at `pos` in `buf`.
    pub fn new(buf: &'a [u8], pos: usize) -> Self {
        Self { buf, pos, items: 0 }
    }

    fn count_item(&mut self) -> Result<(), LexError> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(LexError::Limit("object with too many elements"));
        }
        Ok(())
    }

    /// The window.
    pub fn buf(&self) -> &'a [u8] {
        self.buf
    }

    /// Skips white space and comments.
    pub fn skip_ws(&mut self) {
        while let Some(&b) = self.buf.get(self.pos) {
            if is_whitespace(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.buf.get(self.pos) {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Reads a keyword or number token (regular characters), after white space.
    pub fn token(&mut self) -> Result<&'a [u8], LexError> {
        self.skip_ws();
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            return if self.pos >= self.buf.len() {
                Err(LexError::Eof)
            } else {
                Err(LexError::Syntax(start, "expected a token"))
            };
        }
        // A token that touches the end of the window may continue beyond it.
        if self.pos >= self.buf.len() {
            return Err(LexError::Eof);
        }
        Ok(self.buf.get(start..self.pos).unwrap_or_default())
    }

    /// Expects the keyword `kw`.
    pub fn expect_keyword(&mut self, kw: &'static [u8]) -> Result<(), LexError> {
        let at = self.pos;
        let t = self.token()?;
        if t == kw {
            Ok(())
        } else {
            Err(LexError::Syntax(at, "unexpected keyword"))
        }
    }

    /// Reads an unsigned integer token.
    pub fn uint(&mut self) -> Result<u64, LexError> {
        let at = self.pos;
        let t = self.token()?;
        parse_uint(t).ok_or(LexError::Syntax(at, "expected an unsigned integer"))
    }

    /// Parses `num gen obj` and returns the reference.
    pub fn object_header(&mut self) -> Result<ObjRef, LexError> {
        let at = self.pos;
        let num = self.uint()?;
        let gen = self.uint()?;
        self.expect_keyword(b"obj")?;
        let num = u32::try_from(num).map_err(|_| LexError::Syntax(at, "object number too large"))?;
        let gen = u16::try_from(gen).map_err(|_| LexError::Syntax(at, "generation too large"))?;
        Ok(ObjRef::new(num, gen))
    }

    /// Parses one object (references `n g R` are recognised).
    pub fn object(&mut self) -> Result<Object, LexError> {
        self.items = 0;
        self.object_at_depth(0)
    }

    fn object_at_depth(&mut self, depth: usize) -> Result<Object, LexError> {
        if depth > MAX_DEPTH {
            return Err(LexError::Syntax(self.pos, "objects nested too deeply"));
        }
        self.skip_ws();
        let start = self.pos;
        let b = self.peek().ok_or(LexError::Eof)?;
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Object::Name(self.name_body()?))
            }
            b'(' => {
                self.pos += 1;
                Ok(Object::Str(PdfString {
                    bytes: self.literal_string()?,
                    hex: false,
                }))
            }
            b'<' => {
                if self.buf.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Ok(Object::Dict(self.dict_body(depth)?))
                } else {
                    self.pos += 1;
                    Ok(Object::Str(PdfString {
                        bytes: self.hex_string()?,
                        hex: true,
                    }))
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        None => return Err(LexError::Eof),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Object::Array(items));
                        }
                        Some(_) => {
                            self.count_item()?;
                            items.push(self.object_at_depth(depth + 1)?);
                        }
                    }
                }
            }
            _ if is_regular(b) => {
                let t = self.token()?;
                match t {
                    b"true" => Ok(Object::Bool(true)),
                    b"false" => Ok(Object::Bool(false)),
                    b"null" => Ok(Object::Null),
                    _ => self.number_or_ref(t, start),
                }
            }
            _ => Err(LexError::Syntax(start, "unexpected character")),
        }
    }

    fn number_or_ref(&mut self, t: &[u8], start: usize) -> Result<Object, LexError> {
        if let Some(n) = parse_uint(t) {
            // Look ahead for `gen R`; restore on anything else.
            let save = self.pos;
            if let (Ok(g), Ok(r)) = (self.token(), self.token()) {
                if r == b"R" {
                    if let (Ok(num), Some(gen)) = (
                        u32::try_from(n),
                        parse_uint(g).and_then(|g| u16::try_from(g).ok()),
                    ) {
                        return Ok(Object::Ref(ObjRef::new(num, gen)));
                    }
                }
            }
            self.pos = save;
        }
        if let Some(i) = parse_int(t) {
            return Ok(Object::Int(i));
        }
        if is_real(t) {
            return Ok(Object::Real(t.to_vec()));
        }
        Err(LexError::Syntax(start, "unknown token"))
    }

    fn name_body(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            if !is_regular(b) {
                return Ok(out);
            }
            self.pos += 1;
            if b == b'#' {
                let h = self.buf.get(self.pos..self.pos + 2).ok_or(LexError::Eof)?;
                match hex::decode(h) {
                    Ok(v) => {
                        out.extend(v);
                        self.pos += 2;
                    }
                    // Tolerated as in most readers: a lone '#' stands for itself.
                    Err(_) => out.push(b'#'),
                }
            } else {
                out.push(b);
            }
        }
        Err(LexError::Eof)
    }

    fn literal_string(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let b = self.peek().ok_or(LexError::Eof)?;
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(out);
                    }
                    out.push(b);
                }
                b'\\' => {
                    let e = self.peek().ok_or(LexError::Eof)?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v: u32 = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
    }

    fn hex_string(&mut self) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        loop {
            let b = self.peek().ok_or(LexError::Eof)?;
            self.pos += 1;
            if b == b'>' {
                if let Some(h) = hi {
                    out.push(h << 4);
                }
                return Ok(out);
            }
            if is_whitespace(b) {
                continue;
            }
            let v = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(LexError::Syntax(self.pos - 1, "bad hex digit")),
            };
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
    }

    fn dict_body(&mut self, depth: usize) -> Result<Dict, LexError> {
        let mut d = Dict::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(LexError::Eof),
                Some(b'>') => {
                    if self.buf.get(self.pos + 1) == Some(&b'>') {
                        self.pos += 2;
                        if d.0.len() > INLINE_DEDUP {
                            dedup_keys(&mut d);
                        }
                        return Ok(d);
                    }
                    if self.pos + 1 >= self.buf.len() {
                        return Err(LexError::Eof);
                    }
                    return Err(LexError::Syntax(self.pos, "expected >>"));
                }
                Some(b'/') => {
                    self.pos += 1;
                    let key = self.name_body()?;
                    self.count_item()?;
                    let value = self.object_at_depth(depth + 1)?;
                    // Later duplicates are ignored, as most readers do; a `null` value means
                    // absent. Large dictionaries are deduplicated when complete.
                    let small = d.0.len() <= INLINE_DEDUP;
                    if value != Object::Null && !(small && d.get(&key).is_some()) {
                        d.0.push((key, value));
                    }
                }
                Some(_) => return Err(LexError::Syntax(self.pos, "expected a name key")),
            }
        }
    }
}

/// Keeps the first entry of each key, in file order (hash set: linear in the entries).
fn dedup_keys(d: &mut Dict) {
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::with_capacity(d.0.len());
        d.0.iter().map(|(k, _)| seen.insert(k.as_slice())).collect()
    };
    let mut flags = keep.into_iter();
    d.0.retain(|_| flags.next().unwrap_or(false));
}

/// Parses an unsigned decimal integer token.
pub fn parse_uint(t: &[u8]) -> Option<u64> {
    if t.is_empty() || t.len() > 19 || !t.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

fn parse_int(t: &[u8]) -> Option<i64> {
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let v = parse_uint(digits)?;
    let v = i64::try_from(v).ok()?;
    Some(if neg { -v } else { v })
}

fn is_real(t: &[u8]) -> bool {
    let body = t.strip_prefix(b"-").or_else(|| t.strip_prefix(b"+")).unwrap_or(t);
    let dots = body.iter().filter(|&&b| b == b'.').count();
    !body.is_empty()
        && dots <= 1
        && body.iter().all(|&b| b.is_ascii_digit() || b == b'.')
        && body.iter().any(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &[u8]) -> Result<Object, LexError> {
        Lexer::new(s, 0).object()
    }

    #[test]
    fn parses_common_objects() {
        let o = parse(b"<</Type/Page/Kids[1 0 R 2 0 R]/N -3/R .5/S(a\\(b\\)\\101)/H<41 4>/A#20B true>> ")
            .unwrap_or(Object::Null);
        let d = o.as_dict().cloned().unwrap_or_default();
        assert!(d.name_is(b"Type", b"Page"));
        assert_eq!(
            d.get(b"Kids"),
            Some(&Object::Array(vec![
                Object::Ref(ObjRef::new(1, 0)),
                Object::Ref(ObjRef::new(2, 0))
            ]))
        );
        assert_eq!(d.get_int(b"N"), Some(-3));
        assert_eq!(d.get(b"R"), Some(&Object::Real(b".5".to_vec())));
        assert_eq!(d.get(b"S").and_then(Object::as_str_bytes), Some(&b"a(b)A"[..]));
        assert_eq!(d.get(b"H").and_then(Object::as_str_bytes), Some(&b"A@"[..]));
        assert_eq!(d.get(b"A B"), Some(&Object::Bool(true)));
    }

    #[test]
    fn truncated_input_is_eof_not_a_guess() {
        assert_eq!(parse(b"<</A [1 2"), Err(LexError::Eof));
        assert_eq!(parse(b"(abc"), Err(LexError::Eof));
        assert_eq!(parse(b"12"), Err(LexError::Eof));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut s = vec![b'['; 10_000];
        s.extend(vec![b']'; 10_000]);
        assert!(matches!(parse(&s), Err(LexError::Syntax(_, _))));
    }

    #[test]
    fn large_dictionaries_keep_the_first_of_each_key() {
        let mut src = b"<<".to_vec();
        for i in 0..1000 {
            src.extend_from_slice(format!("/K{} {i} ", i % 300).as_bytes());
        }
        src.extend_from_slice(b"/N null /N 7>> ");
        let d = parse(&src)
            .ok()
            .and_then(|o| o.as_dict().cloned())
            .unwrap_or_default();
        assert_eq!(d.0.len(), 301);
        assert_eq!(d.get_int(b"K5"), Some(5));
        assert_eq!(d.get_int(b"N"), Some(7)); // null means absent: the later value counts
    }

    #[test]
    fn objects_past_the_element_limit_are_refused() {
        let mut src = b"[".to_vec();
        src.extend(std::iter::repeat_n(&b"1 "[..], MAX_ITEMS + 1).flatten());
        src.push(b']');
        assert!(matches!(parse(&src), Err(LexError::Limit(_))));
    }

    #[test]
    fn huge_numbers_are_errors_not_panics() {
        // Out of integer range: read as a real (as other readers do), never wrapped or a panic.
        assert!(!matches!(
            parse(b"99999999999999999999999999 "),
            Ok(Object::Int(_))
        ));
        // Too large for an object number: read as a plain integer, not a wrapped reference.
        assert_eq!(parse(b"4294967296 0 R "), Ok(Object::Int(4294967296)));
    }
}
