//! Where text is on a page: enough of the content-stream text model to find an anchor (a
//! placeholder like `[CHU_KY]`, or the signer's printed name) and place a visible signature
//! relative to it. Glyphs are decoded through the font's ToUnicode CMap (Type0/CID fonts
//! with 2-byte codes included), else as single bytes; positions follow the text and
//! graphics matrices; advances use the font's widths. Bounded like the rest of the reader.

use super::lexer::Lexer;
use super::object::{Dict, Object};
use super::reader::Pdf;
use super::source::Source;
use super::PdfError;

/// Largest decoded content stream read for text, and the decoded bytes read per page with
/// the forms it draws.
#[cfg(not(fuzzing))]
const MAX_CONTENT: usize = 32 << 20;
/// Most operators interpreted per page.
#[cfg(not(fuzzing))]
const MAX_OPS: usize = 2_000_000;
// Fuzz builds (cargo-fuzz sets `cfg(fuzzing)`) get budgets a hundred times smaller. The
// inputs a fuzzer keeps are the ones that exhaust the budgets, and at the real size each of
// them costs up to a second with coverage instrumentation: the `pdf_verify` target fell
// from 4,000 to under 200 executions a second. The checks that spend and test the budgets
// are the same code; tests/hostile.rs runs them at the real size.
#[cfg(fuzzing)]
const MAX_CONTENT: usize = 512 << 10;
#[cfg(fuzzing)]
const MAX_OPS: usize = 20_000;
/// Entries a page's fonts may write into their code maps, over all the page's fonts: one
/// per code of a `bfchar` or a `bfrange` list, one per range (ranges are kept as ranges:
/// a 10 KB ToUnicode of ranges once expanded to 2 GB and aborted after 21 s), one per
/// width. Real fonts write from a few hundred entries (subsets) to 65,536 (a whole
/// two-byte font listed code by code).
#[cfg(not(fuzzing))]
const MAX_CODES: usize = 1 << 18;
#[cfg(fuzzing)]
const MAX_CODES: usize = 1 << 13;
/// Glyphs read per page: a dense page shows a few thousand. One string operand of 32 MB
/// (32 KB compressed) would otherwise make 32 million.
#[cfg(not(fuzzing))]
const MAX_GLYPHS: usize = 1 << 19;
#[cfg(fuzzing)]
const MAX_GLYPHS: usize = 1 << 12;

/// What reading a page's text may spend: operators, decoded bytes (content, forms,
/// ToUnicode maps), font-map writes and glyphs. One budget covers a page's content, the
/// forms it draws and the appearances of its annotations.
pub struct TextBudget {
    ops: usize,
    bytes: usize,
    codes: usize,
    glyphs: usize,
}

impl Default for TextBudget {
    fn default() -> Self {
        TextBudget {
            ops: MAX_OPS,
            bytes: MAX_CONTENT,
            codes: MAX_CODES,
            glyphs: MAX_GLYPHS,
        }
    }
}
/// Deepest `q` nesting followed.
const MAX_STACK: usize = 64;

/// One glyph shown on the page, in default user space (page coordinates).
#[derive(Clone, Debug)]
pub struct Glyph {
    /// The text it stands for.
    pub text: String,
    /// Origin of the glyph.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Advance along the baseline.
    pub width: f32,
    /// Font size in user space (for the glyph's height).
    pub size: f32,
}

type Matrix = [f32; 6];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// A font as far as text positions need it.
#[derive(Default)]
struct Font {
    /// Bytes per code (2 for Type0/Identity-H).
    code_len: usize,
    /// Code → Unicode from ToUnicode (`bfchar`, and `bfrange` with a list).
    to_unicode: std::collections::HashMap<u32, String>,
    /// `bfrange` with a start string: code `lo + k` → the string with `k` added to its
    /// last UTF-16 unit.
    unicode_ranges: Ranges<Vec<u16>>,
    /// Widths by code (1/1000 text space), ranges of one width (`/W c_first c_last w`),
    /// and the default.
    widths: std::collections::HashMap<u32, f32>,
    width_ranges: Ranges<f32>,
    default_width: f32,
    /// Map writes left in the page's budget ([`MAX_CODES`]) while the font is loaded.
    writes_left: usize,
}

/// Code ranges `lo..=hi` with a value, sorted by `lo` once the font is read. Real maps do
/// not overlap; for overlapping ones the range with the greatest `lo` below a code answers.
struct Ranges<T>(Vec<(u32, u32, T)>);

impl<T> Default for Ranges<T> {
    fn default() -> Self {
        Ranges(Vec::new())
    }
}

impl<T> Ranges<T> {
    fn sort(&mut self) {
        self.0.sort_by_key(|r| r.0);
    }

    /// The value of the range holding `code`, and `code`'s offset in it.
    fn find(&self, code: u32) -> Option<(u32, &T)> {
        let i = self.0.partition_point(|r| r.0 <= code);
        let (lo, hi, v) = self.0.get(i.checked_sub(1)?)?;
        (code <= *hi).then_some((code - lo, v))
    }
}

impl Font {
    /// Reads the font, writing at most `writes_left` map entries (see [`MAX_CODES`]; what is
    /// left of them is in `writes_left` afterwards) and decoding its ToUnicode map within
    /// the page's `bytes_left`.
    fn load<S: Source>(pdf: &Pdf<S>, dict: &Dict, writes_left: usize, bytes_left: &mut usize) -> Self {
        let subtype = dict.get_name(b"Subtype").unwrap_or(b"");
        let mut f = Font {
            code_len: 1,
            default_width: 500.0,
            writes_left,
            ..Font::default()
        };
        if subtype == b"Type0" {
            f.code_len = 2;
            f.default_width = 1000.0;
            let desc = dict
                .get(b"DescendantFonts")
                .and_then(|d| pdf.resolve(d).ok())
                .and_then(|a| a.as_array().and_then(|a| a.first().cloned()))
                .and_then(|d| pdf.resolve(&d).ok())
                .and_then(|d| d.as_dict().cloned());
            if let Some(desc) = desc {
                if let Some(dw) = desc.get(b"DW").and_then(Object::as_f64) {
                    f.default_width = dw as f32;
                }
                if let Some(w) = desc.get(b"W").and_then(|w| pdf.resolve(w).ok()) {
                    f.cid_widths(pdf, &w);
                }
            }
        } else {
            let first = dict.get(b"FirstChar").and_then(Object::as_int).unwrap_or(0);
            if let Some(Object::Array(ws)) = dict.get(b"Widths").and_then(|w| pdf.resolve(w).ok()) {
                for (i, w) in ws.iter().take(256).enumerate() {
                    if let Some(w) = pdf.resolve(w).ok().and_then(|w| w.as_f64()) {
                        f.widths.insert(first.saturating_add(i as i64).clamp(0, 255) as u32, w as f32);
                    }
                }
            } else if let Some(base) = dict.get_name(b"BaseFont") {
                // A standard font named without widths: its published metrics.
                for code in 32..127 {
                    if let Some(w) = super::std14::width(base, code) {
                        f.widths.insert(code, w);
                    }
                }
            }
        }
        if let Some(Object::Stream(s)) = dict.get(b"ToUnicode").and_then(|t| pdf.resolve(t).ok()) {
            if let Ok(data) = pdf.decode_stream(&s, (*bytes_left).min(4 << 20)) {
                *bytes_left = bytes_left.saturating_sub(data.len());
                f.parse_cmap(&data);
            }
        }
        f.unicode_ranges.sort();
        f.width_ranges.sort();
        f
    }

    /// Spends one map write; false once the page's budget is gone.
    fn spend(&mut self) -> bool {
        let ok = self.writes_left > 0;
        self.writes_left = self.writes_left.saturating_sub(1);
        ok
    }

    /// `/W [c [w1 w2 …]  cfirst clast w …]`.
    fn cid_widths<S: Source>(&mut self, pdf: &Pdf<S>, w: &Object) {
        let Some(items) = w.as_array() else { return };
        let num = |o: &Object| pdf.resolve(o).ok().and_then(|v| v.as_f64());
        let mut i = 0;
        while i < items.len() && self.widths.len() < 65536 {
            let Some(c) = num(&items[i]) else { break };
            match items.get(i + 1).and_then(|o| pdf.resolve(o).ok()) {
                Some(Object::Array(list)) => {
                    for (k, v) in list.iter().enumerate().take(65536) {
                        let Some(code) = (c as u32).checked_add(k as u32) else { break };
                        if !self.spend() {
                            return;
                        }
                        if let Some(v) = num(v) {
                            self.widths.insert(code, v as f32);
                        }
                    }
                    i += 2;
                }
                Some(o) => {
                    let (Some(last), Some(v)) = (o.as_f64(), items.get(i + 2).and_then(num)) else {
                        break;
                    };
                    let (c, last) = (c as u32, last as u32);
                    if last >= c {
                        if !self.spend() {
                            return;
                        }
                        self.width_ranges.0.push((c, last, v as f32));
                    }
                    i += 3;
                }
                None => break,
            }
        }
    }

    /// The `bfchar` and `bfrange` sections of a ToUnicode CMap.
    fn parse_cmap(&mut self, data: &[u8]) {
        let mut lx = Lexer::new(data, 0);
        let mut operands: Vec<Object> = Vec::new();
        let mut mode = 0u8; // 1 bfchar, 2 bfrange, 3 codespacerange
        for _ in 0..200_000 {
            lx.skip_ws();
            let Some(&b) = lx.buf().get(lx.pos) else { break };
            if b.is_ascii_alphabetic() {
                let Ok(t) = lx.token() else { break };
                match t {
                    b"beginbfchar" => mode = 1,
                    b"beginbfrange" => mode = 2,
                    b"begincodespacerange" => mode = 3,
                    b"endbfchar" | b"endbfrange" | b"endcodespacerange" => mode = 0,
                    _ => {}
                }
                operands.clear();
                continue;
            }
            let Ok(o) = lx.object() else { break };
            operands.push(o);
            let code = |o: &Object| o.as_str_bytes().map(|b| (be(b), b.len()));
            match (mode, operands.len()) {
                (3, 2) => {
                    if let Some((_, n)) = code(&operands[0]) {
                        self.code_len = n.clamp(1, 4);
                    }
                    operands.clear();
                }
                (1, 2) => {
                    if !self.spend() {
                        return;
                    }
                    if let (Some((c, _)), Some(u)) = (code(&operands[0]), operands[1].as_str_bytes()) {
                        self.to_unicode.insert(c, utf16(u));
                    }
                    operands.clear();
                }
                (2, 3) => {
                    if let (Some((lo, _)), Some((hi, _))) = (code(&operands[0]), code(&operands[1])) {
                        // One range covers at most 65,536 codes (the last unit counts up).
                        let hi = hi.min(lo.saturating_add(65535));
                        match &operands[2] {
                            Object::Array(list) if hi >= lo => {
                                for (k, u) in list.iter().enumerate().take((hi - lo) as usize + 1) {
                                    if !self.spend() {
                                        return;
                                    }
                                    if let Some(u) = u.as_str_bytes() {
                                        self.to_unicode.insert(lo + k as u32, utf16(u));
                                    }
                                }
                            }
                            o => {
                                if let (Some(start), true) = (o.as_str_bytes(), hi >= lo) {
                                    if !self.spend() {
                                        return;
                                    }
                                    let units: Vec<u16> = start
                                        .chunks(2)
                                        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
                                        .collect();
                                    self.unicode_ranges.0.push((lo, hi, units));
                                }
                            }
                        }
                    }
                    operands.clear();
                }
                (0, _) => operands.clear(),
                _ => {}
            }
        }
    }

    fn decode(&self, code: u32) -> String {
        if let Some(s) = self.to_unicode.get(&code) {
            return s.clone();
        }
        if let Some((k, start)) = self.unicode_ranges.find(code) {
            let mut units = start.clone();
            if let Some(last) = units.last_mut() {
                *last = last.wrapping_add(k as u16);
            }
            return String::from_utf16_lossy(&units);
        }
        if self.code_len == 1 {
            // WinAnsi and Latin-1 agree on the letters that matter for an anchor.
            return char::from_u32(code).map(String::from).unwrap_or_default();
        }
        String::new()
    }

    fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .or_else(|| self.width_ranges.find(code).map(|(_, w)| w))
            .copied()
            .unwrap_or(self.default_width)
    }
}

fn be(b: &[u8]) -> u32 {
    b.iter().take(4).fold(0u32, |a, &x| (a << 8) | u32::from(x))
}

fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// The page's content streams, decoded and joined.
fn contents<S: Source>(pdf: &Pdf<S>, page: &Dict) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    let list = match page.get(b"Contents").map(|c| pdf.resolve(c)).transpose()? {
        Some(Object::Array(a)) => a,
        Some(o) => vec![o],
        None => Vec::new(),
    };
    for c in list.iter().take(1000) {
        if let Object::Stream(s) = pdf.resolve(c)? {
            out.extend(pdf.decode_stream(&s, MAX_CONTENT.saturating_sub(out.len()))?);
            out.push(b'\n');
        }
    }
    Ok(out)
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for State {
    fn default() -> Self {
        Self {
            ctm: IDENTITY,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Deepest nesting of form XObjects entered (a form may draw another form).
const MAX_FORM_DEPTH: usize = 8;

/// Every glyph shown on the page, in order: its content streams and the form XObjects they
/// draw (headers and stamps are often forms), within one [`TextBudget`] so that a form
/// drawn many times, or forms drawing each other, stay bounded.
pub fn page_glyphs<S: Source>(pdf: &Pdf<S>, page: &Dict) -> Result<Vec<Glyph>, PdfError> {
    page_glyphs_within(pdf, page, &mut TextBudget::default())
}

/// [`page_glyphs`], spending `budget` (shared with the page's annotations by the caller).
pub fn page_glyphs_within<S: Source>(
    pdf: &Pdf<S>,
    page: &Dict,
    budget: &mut TextBudget,
) -> Result<Vec<Glyph>, PdfError> {
    let data = contents(pdf, page)?;
    budget.bytes = budget.bytes.saturating_sub(data.len());
    let resources = super::inherited(pdf, page, b"Resources")
        .and_then(|r| r.as_dict().cloned())
        .unwrap_or_default();
    let mut t = Interp::new(pdf, budget);
    t.run(&data, &resources, State::default(), None, 0);
    *budget = t.budget;
    Ok(t.glyphs)
}

/// Every glyph a form XObject shows (an annotation's appearance stream), placed on the page
/// by `ctm` after the form's own `/Matrix`, spending `budget` (the page's).
pub fn form_glyphs<S: Source>(
    pdf: &Pdf<S>,
    form: &super::object::Stream,
    ctm: [f32; 6],
    budget: &mut TextBudget,
) -> Vec<Glyph> {
    if budget.ops == 0 {
        return Vec::new();
    }
    let Ok(data) = pdf.decode_stream(form, budget.bytes) else {
        return Vec::new();
    };
    budget.bytes = budget.bytes.saturating_sub(data.len());
    let resources = form
        .dict
        .get(b"Resources")
        .and_then(|r| pdf.resolve(r).ok())
        .and_then(|r| r.as_dict().cloned())
        .unwrap_or_default();
    let matrix = form
        .dict
        .get(b"Matrix")
        .and_then(|m| pdf.resolve(m).ok())
        .and_then(|m| {
            let v: Vec<f32> = m
                .as_array()?
                .iter()
                .filter_map(Object::as_f64)
                .map(|v| v as f32)
                .collect();
            <[f32; 6]>::try_from(v.as_slice()).ok()
        })
        .unwrap_or(IDENTITY);
    let mut t = Interp::new(pdf, budget);
    let st = State {
        ctm: mul(&matrix, &ctm),
        ..State::default()
    };
    t.run(&data, &resources, st, None, 0);
    *budget = t.budget;
    t.glyphs
}

/// The text-showing part of a content-stream interpreter.
struct Interp<'p, S: Source> {
    pdf: &'p Pdf<S>,
    glyphs: Vec<Glyph>,
    /// What is left to spend, over the page, its forms and its annotations.
    budget: TextBudget,
    /// Fonts loaded, by object (fonts are shared between a page and its forms). At most
    /// [`MAX_FONTS`] are loaded; a font given directly in a resource dictionary is loaded
    /// once per content stream that names it.
    fonts: std::collections::HashMap<super::ObjRef, std::rc::Rc<Font>>,
}

/// Most fonts loaded for one page (each may parse a ToUnicode map of up to 4 MB).
const MAX_FONTS: usize = 256;

impl<'p, S: Source> Interp<'p, S> {
    /// An interpreter spending what is left of `budget` (given back by the caller).
    fn new(pdf: &'p Pdf<S>, budget: &mut TextBudget) -> Self {
        Interp {
            pdf,
            glyphs: Vec::new(),
            budget: std::mem::replace(
                budget,
                TextBudget {
                    ops: 0,
                    bytes: 0,
                    codes: 0,
                    glyphs: 0,
                },
            ),
            fonts: std::collections::HashMap::new(),
        }
    }

    /// Spends `n` operators' worth of work (looking through a resource dictionary costs
    /// one per entry); false once none is left.
    fn spend_ops(&mut self, n: usize) -> bool {
        self.budget.ops = self.budget.ops.saturating_sub(n);
        self.budget.ops > 0
    }

    /// The font named `name` in `fonts_dict`.
    fn font(&mut self, fonts_dict: &Dict, name: &[u8]) -> Option<std::rc::Rc<Font>> {
        let entry = fonts_dict.get(name)?;
        let key = match entry {
            Object::Ref(r) => Some(*r),
            _ => None,
        };
        if let Some(f) = key.and_then(|k| self.fonts.get(&k)) {
            return Some(f.clone());
        }
        if self.fonts.len() >= MAX_FONTS {
            return None;
        }
        let dict = self.pdf.resolve(entry).ok()?.as_dict()?.clone();
        let font = Font::load(self.pdf, &dict, self.budget.codes, &mut self.budget.bytes);
        self.budget.codes = font.writes_left;
        let font = std::rc::Rc::new(font);
        if let Some(k) = key {
            self.fonts.insert(k, font.clone());
        }
        Some(font)
    }

    /// The XObject `entry` (from the `resources` of the stream drawing it), drawn with
    /// graphics state `st` and `font` when it is a form.
    fn form(
        &mut self,
        resources: &Dict,
        entry: &Object,
        st: &State,
        font: Option<std::rc::Rc<Font>>,
        depth: usize,
    ) {
        if depth >= MAX_FORM_DEPTH || self.budget.ops == 0 {
            return;
        }
        let pdf = self.pdf;
        let Ok(Object::Stream(x)) = pdf.resolve(entry) else {
            return;
        };
        if !x.dict.name_is(b"Subtype", b"Form") {
            return;
        }
        let Ok(data) = pdf.decode_stream(&x, self.budget.bytes) else {
            return;
        };
        self.budget.bytes = self.budget.bytes.saturating_sub(data.len());
        let matrix = x
            .dict
            .get(b"Matrix")
            .and_then(|m| pdf.resolve(m).ok())
            .and_then(|m| {
                let a = m.as_array()?;
                let v: Vec<f32> = a.iter().filter_map(Object::as_f64).map(|v| v as f32).collect();
                <[f32; 6]>::try_from(v.as_slice()).ok()
            })
            .unwrap_or(IDENTITY);
        // A form without its own resources uses those of the stream that draws it.
        let own = x
            .dict
            .get(b"Resources")
            .and_then(|r| pdf.resolve(r).ok())
            .and_then(|r| r.as_dict().cloned());
        if !self.spend_ops(own.as_ref().map_or(0, |d| d.0.len())) {
            return;
        }
        let mut inner = st.clone();
        inner.ctm = mul(&matrix, &st.ctm);
        self.run(&data, own.as_ref().unwrap_or(resources), inner, font, depth + 1);
    }

    /// Interprets one content stream with `resources`, starting in graphics state `st`
    /// with `font` current.
    fn run(
        &mut self,
        data: &[u8],
        resources: &Dict,
        mut st: State,
        mut font: Option<std::rc::Rc<Font>>,
        depth: usize,
    ) {
        let pdf = self.pdf;
        let fonts_dict = resources
            .get(b"Font")
            .and_then(|f| pdf.resolve(f).ok())
            .and_then(|f| f.as_dict().cloned())
            .unwrap_or_default();
        let xobjects_dict = resources
            .get(b"XObject")
            .and_then(|d| pdf.resolve(d).ok())
            .and_then(|d| d.as_dict().cloned())
            .unwrap_or_default();
        // Looking through a resource dictionary costs one operator per entry, once per
        // stream (a form drawn a thousand times pays for its resources a thousand times);
        // the names are then found in a hash map, however wide the dictionary.
        if !self.spend_ops(fonts_dict.0.len() + xobjects_dict.0.len()) {
            return;
        }
        let xobjects: std::collections::HashMap<&[u8], &Object> = xobjects_dict
            .0
            .iter()
            .rev() // the first of a repeated key wins, as in `Dict::get`
            .map(|(k, v)| (k.as_slice(), v))
            .collect();
        // Fonts by name for this stream: a `Tf` repeated a million times looks once.
        let mut by_name: std::collections::HashMap<Vec<u8>, Option<std::rc::Rc<Font>>> =
            std::collections::HashMap::new();
        let mut stack: Vec<(State, Option<std::rc::Rc<Font>>)> = Vec::new();
        let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
        let mut lx = Lexer::new(data, 0);
        let mut ops: Vec<Object> = Vec::new();
        while self.budget.ops > 0 {
            self.budget.ops -= 1;
            lx.skip_ws();
            let Some(&b) = data.get(lx.pos) else { break };
            let is_operator = b.is_ascii_alphabetic() || b == b'\'' || b == b'"' || b == b'*';
            if !is_operator {
                match lx.object() {
                    Ok(o) => ops.push(o),
                    // A stray byte: skip it rather than give up on the page.
                    Err(_) => lx.pos += 1,
                }
                if ops.len() > 4096 {
                    ops.clear();
                }
                continue;
            }
            let Ok(op) = lx.token() else { break };
            let num = |i: usize| {
                ops.get(i)
                    .and_then(Object::as_f64)
                    .map(|v| v as f32)
                    .unwrap_or(0.0)
            };
            match op {
                b"BI" => {
                    // Inline image data is binary: jump past `EI`.
                    let rest = data.get(lx.pos..).unwrap_or_default();
                    let skip = rest
                        .windows(4)
                        .position(|w| {
                            super::lexer::is_whitespace(w[0])
                                && &w[1..3] == b"EI"
                                && super::lexer::is_whitespace(w[3])
                        })
                        .map_or(rest.len(), |i| i + 4);
                    lx.pos += skip;
                }
                b"q" if stack.len() < MAX_STACK => stack.push((st.clone(), font.clone())),
                b"Q" => {
                    if let Some((s, f)) = stack.pop() {
                        st = s;
                        font = f;
                    }
                }
                b"Do" => {
                    if let Some(entry) = ops.first().and_then(|n| match n {
                        Object::Name(n) => xobjects.get(n.as_slice()).copied(),
                        _ => None,
                    }) {
                        self.form(resources, entry, &st, font.clone(), depth);
                    }
                }
                b"cm" if ops.len() >= 6 => {
                    let m = [num(0), num(1), num(2), num(3), num(4), num(5)];
                    st.ctm = mul(&m, &st.ctm);
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" if ops.len() >= 2 => {
                    st.size = num(1);
                    font = match &ops[0] {
                        Object::Name(n) => match by_name.get(n) {
                            Some(f) => f.clone(),
                            None => {
                                let f = self.font(&fonts_dict, n);
                                by_name.insert(n.clone(), f.clone());
                                f
                            }
                        },
                        _ => None,
                    };
                }
                b"Tc" => st.char_spacing = num(0),
                b"Tw" => st.word_spacing = num(0),
                b"Tz" => st.scale = num(0) / 100.0,
                b"TL" => st.leading = num(0),
                b"Ts" => st.rise = num(0),
                b"Td" | b"TD" if ops.len() >= 2 => {
                    if op == b"TD" {
                        st.leading = -num(1);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, num(0), num(1)], &tlm);
                    tm = tlm;
                }
                b"Tm" if ops.len() >= 6 => {
                    tlm = [num(0), num(1), num(2), num(3), num(4), num(5)];
                    tm = tlm;
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" | b"TJ" => {
                    if op == b"'" || op == b"\"" {
                        if op == b"\"" {
                            st.word_spacing = num(0);
                            st.char_spacing = num(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], &tlm);
                        tm = tlm;
                    }
                    let items: Vec<Object> = match ops.last() {
                        Some(Object::Array(a)) if op == b"TJ" => a.clone(),
                        Some(o) => vec![o.clone()],
                        None => Vec::new(),
                    };
                    let font = font.as_deref();
                    for item in items {
                        if let Some(adj) = item.as_f64() {
                            let tx = -(adj as f32) / 1000.0 * st.size * st.scale;
                            tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                            continue;
                        }
                        let (Some(bytes), Some(font)) = (item.as_str_bytes(), font) else {
                            continue;
                        };
                        for code in bytes.chunks(font.code_len.max(1)) {
                            let c = be(code);
                            let w0 = font.width(c) / 1000.0;
                            let space = if font.code_len == 1 && c == 32 {
                                st.word_spacing
                            } else {
                                0.0
                            };
                            let tx = (w0 * st.size + st.char_spacing + space) * st.scale;
                            let trm = mul(&mul(&[1.0, 0.0, 0.0, 1.0, 0.0, st.rise], &tm), &st.ctm);
                            let end = mul(&mul(&[1.0, 0.0, 0.0, 1.0, tx, st.rise], &tm), &st.ctm);
                            let height = (st.size * (trm[2] * trm[2] + trm[3] * trm[3]).sqrt()).abs();
                            if self.budget.glyphs == 0 {
                                return;
                            }
                            self.budget.glyphs -= 1;
                            self.glyphs.push(Glyph {
                                text: font.decode(c),
                                x: trm[4],
                                y: trm[5],
                                width: ((end[4] - trm[4]).powi(2) + (end[5] - trm[5]).powi(2)).sqrt(),
                                size: height,
                            });
                            tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                        }
                    }
                }
                _ => {}
            }
            ops.clear();
        }
    }
}

/// The box `[x1, y1, x2, y2]` (page coordinates) around the first place `needle` is shown,
/// ignoring spaces and case (text is often split into runs and spaced by positioning).
pub fn find<S: Source>(pdf: &Pdf<S>, page: &Dict, needle: &str) -> Result<Option<[f32; 4]>, PdfError> {
    let glyphs = page_glyphs(pdf, page)?;
    let norm = |s: &str| -> Vec<char> {
        use unicode_normalization::UnicodeNormalization;
        s.nfc()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let want = norm(needle);
    if want.is_empty() {
        return Ok(None);
    }
    // Each character of the page's text, with the glyph it came from.
    let mut chars: Vec<(char, usize)> = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        for c in norm(&g.text) {
            chars.push((c, i));
        }
    }
    let Some(start) = chars
        .windows(want.len())
        .position(|w| w.iter().map(|(c, _)| *c).eq(want.iter().copied()))
    else {
        return Ok(None);
    };
    let (first, last) = (chars[start].1, chars[start + want.len() - 1].1);
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for g in glyphs.get(first..=last).unwrap_or_default() {
        b[0] = b[0].min(g.x);
        b[1] = b[1].min(g.y - g.size * 0.2);
        b[2] = b[2].max(g.x + g.width);
        b[3] = b[3].max(g.y + g.size * 0.8);
    }
    Ok(Some(b))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A classic-xref PDF of `objs` (object 1 is the catalog).
    fn pdf(objs: &[&str]) -> Pdf<Vec<u8>> {
        let mut f = b"%PDF-1.7\n".to_vec();
        let mut at = Vec::new();
        for (i, body) in objs.iter().enumerate() {
            at.push(f.len());
            f.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let x = f.len();
        f.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
        for a in at {
            f.extend_from_slice(format!("{a:010} 00000 n \n").as_bytes());
        }
        f.extend_from_slice(
            format!(
                "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{x}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        Pdf::open(f).unwrap()
    }

    fn stream(dict: &str, data: &str) -> String {
        format!("<<{dict}/Length {}>>stream\n{data}\nendstream", data.len())
    }

    fn first_page(p: &Pdf<Vec<u8>>) -> Dict {
        let (_, cat) = crate::pdf::catalog(p).unwrap();
        crate::pdf::page(p, &cat, 0).unwrap().1
    }

    #[test]
    fn text_inside_nested_forms_is_placed_by_every_matrix() {
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</XObject<</A 4 0 R>>>>/Contents 6 0 R>>",
            &stream("/Type/XObject/Subtype/Form/BBox[0 0 500 500]/Matrix[1 0 0 1 0 100]/Resources<</XObject<</B 5 0 R>>>>", "q 2 0 0 2 0 0 cm /B Do Q"),
            &stream("/Type/XObject/Subtype/Form/BBox[0 0 500 500]/Resources<</Font<</F 7 0 R>>>>", "BT /F 10 Tf 5 7 Td (Ky) Tj ET"),
            &stream("", "q 1 0 0 1 50 60 cm /A Do Q"),
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/FirstChar 75/LastChar 121/Widths[600 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 500]>>",
        ]);
        let g = page_glyphs(&p, &first_page(&p)).unwrap();
        assert_eq!(g.iter().map(|g| g.text.as_str()).collect::<String>(), "Ky");
        // Page cm (50,60), form A's /Matrix (0,100), A's cm scale 2, then Td (5,7) in B.
        assert_eq!((g[0].x, g[0].y), (60.0, 174.0));
        assert_eq!(g[0].size, 20.0);
        assert_eq!(g[1].x, 60.0 + 12.0);
        assert!(find(&p, &first_page(&p), "ky").unwrap().is_some());
    }

    /// Loads the page's font `F1` (object 4) with the page's full budgets.
    fn load_f1(p: &Pdf<Vec<u8>>) -> Font {
        let dict = p.get(crate::pdf::object::ObjRef { num: 4, gen: 0 }).unwrap().as_dict().unwrap().clone();
        let mut bytes = MAX_CONTENT;
        Font::load(p, &dict, MAX_CODES, &mut bytes)
    }

    #[test]
    fn tounicode_ranges_are_kept_as_ranges() {
        // 2,000 ranges of 65,536 distinct codes each: 131 million entries (gigabytes) if
        // written out code by code; kept as ranges, each costs one write.
        let ranges: String = (0..2000u32)
            .map(|i| format!("<{:08X}> <{:08X}> <0041>\n", i << 16, (i << 16) | 0xFFFF))
            .collect();
        let cmap = format!("begincmap 2000 beginbfrange\n{ranges}endbfrange endcmap");
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Resources<</Font<</F1 4 0 R>>>>>>",
            "<</Type/Font/Subtype/Type0/Encoding/Identity-H/DescendantFonts[<</Subtype/CIDFontType2>>]/ToUnicode 5 0 R>>",
            &stream("", &cmap),
        ]);
        let f = load_f1(&p);
        assert_eq!(f.writes_left, MAX_CODES - 2000);
        assert!(f.to_unicode.is_empty());
        assert_eq!(f.decode(0), "A");
        // The last unit counts up within a range, and restarts in the next one.
        assert_eq!(f.decode(25), "Z");
        assert_eq!(f.decode((1999 << 16) | 1), "B");
        assert_eq!(f.decode(2000 << 16), "");
    }

    #[test]
    fn width_ranges_are_kept_as_ranges() {
        // One range of 65,535 codes repeated: expanded, 1.3 million writes for 65,535 entries.
        let w = "0 65534 500 ".repeat(20) + "70000 70010 250";
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Resources<</Font<</F1 4 0 R>>>>>>",
            &format!("<</Type/Font/Subtype/Type0/Encoding/Identity-H/DescendantFonts[<</Subtype/CIDFontType2/DW 900/W[{w} 5 [111 222]]>>]>>"),
        ]);
        let f = load_f1(&p);
        assert_eq!(f.writes_left, MAX_CODES - 23);
        assert_eq!(f.width(7), 500.0);
        assert_eq!(f.width(70005), 250.0);
        assert_eq!(f.width(65535), 900.0);
        // A code listed one by one wins over a range.
        assert_eq!(f.width(6), 222.0);
    }

    #[test]
    fn code_lists_stop_at_the_page_budget_shared_by_its_fonts() {
        // `bfrange` with a list writes one entry per code: three full lists per font.
        let list = "<0041> ".repeat(65536);
        let ranges = format!("<0000> <FFFF> [{list}]\n").repeat(3);
        let cmap = format!("begincmap 3 beginbfrange\n{ranges}endbfrange endcmap");
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Resources<</Font<</F1 4 0 R/F2 5 0 R>>>>/Contents 7 0 R>>",
            "<</Type/Font/Subtype/Type0/Encoding/Identity-H/DescendantFonts[<</Subtype/CIDFontType2>>]/ToUnicode 6 0 R>>",
            "<</Type/Font/Subtype/Type0/Encoding/Identity-H/DescendantFonts[<</Subtype/CIDFontType2>>]/ToUnicode 6 0 R>>",
            &stream("", &cmap),
            &stream("", "BT /F1 10 Tf <0001> Tj /F2 10 Tf <0001> Tj ET"),
        ]);
        let mut budget = TextBudget::default();
        let g = page_glyphs_within(&p, &first_page(&p), &mut budget).unwrap();
        // F1 wrote 3 × 65,536; F2 the 65,536 left (MAX_CODES is 4 × 65,536), then stopped.
        assert_eq!(budget.codes, 0);
        assert_eq!(g.iter().map(|g| g.text.as_str()).collect::<String>(), "AA");
    }

    #[test]
    fn a_page_and_its_annotations_share_one_budget() {
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Resources<</Font<</F 5 0 R>>>>/Contents 4 0 R>>",
            &stream("", &"BT /F 10 Tf (ab) Tj ET ".repeat(10)),
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
            &stream("/Type/XObject/Subtype/Form/BBox[0 0 10 10]/Resources<</Font<</F 5 0 R>>>>", "BT /F 10 Tf (cd) Tj ET"),
        ]);
        let mut budget = TextBudget {
            glyphs: 21,
            ..TextBudget::default()
        };
        assert_eq!(page_glyphs_within(&p, &first_page(&p), &mut budget).unwrap().len(), 20);
        let Object::Stream(form) = p.get(crate::pdf::object::ObjRef { num: 6, gen: 0 }).unwrap() else {
            panic!("object 6 is the form");
        };
        let g = form_glyphs(&p, &form, IDENTITY, &mut budget);
        assert_eq!(g.iter().map(|g| g.text.as_str()).collect::<String>(), "c");
        assert_eq!(budget.glyphs, 0);
        assert!(form_glyphs(&p, &form, IDENTITY, &mut budget).is_empty());
    }

    #[test]
    fn one_string_operand_stops_at_the_glyph_budget() {
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Resources<</Font<</F 5 0 R>>>>/Contents 4 0 R>>",
            &stream("", &format!("BT /F 1 Tf ({}) Tj ET", "A".repeat(MAX_GLYPHS + 10))),
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        ]);
        assert_eq!(page_glyphs(&p, &first_page(&p)).unwrap().len(), MAX_GLYPHS);
    }

    #[test]
    fn a_wide_resource_dictionary_is_looked_through_once_per_stream() {
        // 100,000 names in /XObject, drawn 1,000 times: 100 million comparisons if each
        // `Do` searched the dictionary.
        let names: String = (0..100_000).map(|i| format!("/N{i} 6 0 R")).collect();
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            &format!("<</Type/Page/Parent 2 0 R/Resources<</XObject<<{names}/X 6 0 R>>/Font<</F 5 0 R>>>>/Contents 4 0 R>>"),
            &stream("", &"/X Do ".repeat(1000)),
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
            &stream("/Type/XObject/Subtype/Form/BBox[0 0 10 10]/Resources<</Font<</F 5 0 R>>>>", "BT /F 10 Tf (x) Tj ET"),
        ]);
        let mut budget = TextBudget::default();
        let g = page_glyphs_within(&p, &first_page(&p), &mut budget).unwrap();
        assert_eq!(g.len(), 1000);
        // The page paid for its 100,002 resource entries once; each draw paid its own
        // operators and its form's two resource entries.
        let spent = MAX_OPS - budget.ops;
        assert!((100_002..120_000).contains(&spent), "{spent}");
    }

    #[test]
    fn forms_drawing_themselves_stay_bounded() {
        // Each level draws itself ten times: 10^depth without the budgets.
        let draw = "BT /F 10 Tf (x) Tj ET ".to_string() + &"/X Do ".repeat(10);
        let p = pdf(&[
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Resources<</XObject<</X 4 0 R>>>>/Contents 5 0 R>>",
            &stream(
                "/Type/XObject/Subtype/Form/Resources<</XObject<</X 4 0 R>>/Font<</F 6 0 R>>>>",
                &draw,
            ),
            &stream("", "/X Do"),
            "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        ]);
        let t = std::time::Instant::now();
        let g = page_glyphs(&p, &first_page(&p)).unwrap();
        assert!(!g.is_empty() && g.len() < 10usize.pow(MAX_FORM_DEPTH as u32));
        assert!(t.elapsed() < std::time::Duration::from_secs(10));
    }
}
