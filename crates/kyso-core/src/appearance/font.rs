//! Text in PDFs with an embedded, subsetted TrueType font, so any Vietnamese text renders
//! the same everywhere and extracts correctly (ToUnicode). The font ships with Kyso:
//! Liberation Serif (SIL OFL 1.1; metrics compatible with Times New Roman, the font of
//! Vietnamese official documents) — see `assets/fonts/`.
//!
//! Text is NFC-normalised first (Vietnamese typed as base letter + combining marks becomes
//! the precomposed letters the font has), mapped to glyphs through the font's cmap, and
//! written as 2-byte CIDs of a Type0/CIDFontType2 font (Identity-H) whose subset keeps only
//! the glyphs used.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::pdf::object::{Stream, StreamData};
use crate::pdf::writer::Update;
use crate::pdf::{Dict, ObjRef, Object};

/// Liberation Serif Regular.
pub static SERIF: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSerif-Regular.ttf");
/// Liberation Serif Bold.
pub static SERIF_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSerif-Bold.ttf");

/// Why text cannot be set.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The font data is not a usable TrueType font.
    #[error("unreadable font: {0}")]
    Unreadable(String),
    /// A character has no glyph in the font.
    #[error("the font has no glyph for {0:?}")]
    MissingGlyph(char),
    /// Subsetting failed.
    #[error("font subsetting failed: {0}")]
    Subset(String),
}

/// A font being used in one PDF: it remembers the glyphs used, for the subset and the
/// ToUnicode map.
pub struct PdfFont {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    /// Name inside the PDF (`/F1`).
    pub resource: String,
    /// original glyph id → text it stands for
    used: BTreeMap<u16, String>,
    remap: subsetter::GlyphRemapper,
}

impl PdfFont {
    /// Opens one of the bundled fonts.
    pub fn new(data: &'static [u8], resource: &str) -> Result<Self, FontError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| FontError::Unreadable(e.to_string()))?;
        Ok(Self {
            data,
            face,
            resource: resource.to_string(),
            used: BTreeMap::new(),
            remap: subsetter::GlyphRemapper::new(),
        })
    }

    fn units(&self) -> f32 {
        f32::from(self.face.units_per_em())
    }

    /// Glyphs for `text` (NFC), or the first character the font cannot show.
    pub fn glyphs(&self, text: &str) -> Result<Vec<(u16, char)>, FontError> {
        text.nfc()
            .filter(|c| !c.is_control())
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .map(|g| (g.0, c))
                    .ok_or(FontError::MissingGlyph(c))
            })
            .collect()
    }

    /// `text` with every character the font cannot show replaced by `?` (for reports that
    /// quote names from untrusted files; signature appearances refuse instead).
    pub fn printable(&self, text: &str) -> String {
        text.nfc()
            .filter(|c| !c.is_control())
            .map(|c| {
                if self.face.glyph_index(c).is_some() {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// Advance width of glyph `g` in thousandths of the font size.
    fn advance(&self, g: u16) -> f32 {
        let a = self.face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0);
        f32::from(a) * 1000.0 / self.units()
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> Result<f32, FontError> {
        Ok(self
            .glyphs(text)?
            .iter()
            .map(|(g, _)| self.advance(*g))
            .sum::<f32>()
            * size
            / 1000.0)
    }

    /// Splits `text` into lines no wider than `width` at `size` (at spaces; a word longer
    /// than the line is cut).
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Result<Vec<String>, FontError> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ') {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size)? <= width
                    || line.is_empty() && self.width(word, size)? <= width
                {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it by characters.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size)? > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        Ok(lines)
    }

    /// The string operand for `Tj` showing `text` (hex CIDs), and records the glyphs.
    pub fn encode(&mut self, text: &str) -> Result<Vec<u8>, FontError> {
        let glyphs = self.glyphs(text)?;
        let mut out = Vec::with_capacity(glyphs.len() * 4 + 2);
        out.push(b'<');
        for (g, c) in glyphs {
            let cid = self.remap.remap(g);
            self.used.entry(g).or_insert_with(|| c.to_string());
            out.extend_from_slice(format!("{cid:04X}").as_bytes());
        }
        out.push(b'>');
        Ok(out)
    }

    /// Writes the font objects (Type0, CIDFont, descriptor, subset font file, ToUnicode)
    /// into `update`; returns the reference for the page's `/Font` resources.
    pub fn write(&self, update: &mut Update) -> Result<ObjRef, FontError> {
        // (The remapper keeps .notdef as glyph 0 of the subset by itself.)
        let subset =
            subsetter::subset(self.data, 0, &self.remap).map_err(|e| FontError::Subset(format!("{e:?}")))?;
        let file = update.add(stream(
            &[(b"Length1", Object::Int(subset.len() as i64))],
            compress(&subset),
            true,
        ));
        // Subset fonts are named TAG+PostScriptName with a tag unique within the file.
        let tag: String = self
            .resource
            .bytes()
            .map(|b| char::from(b'A' + b % 26))
            .chain(std::iter::repeat('A'))
            .take(6)
            .collect();
        let ps = self
            .face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "Font".into());
        let name = format!("{tag}+{ps}");
        let scale = 1000.0 / self.units();
        let bbox = self.face.global_bounding_box();
        let mut desc = Dict::new();
        desc.set(b"Type", Object::name(b"FontDescriptor"));
        desc.set(b"FontName", Object::name(name.as_bytes()));
        desc.set(b"Flags", Object::Int(34)); // serif, non-symbolic
        desc.set(
            b"FontBBox",
            Object::Array(
                [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max]
                    .iter()
                    .map(|v| Object::Int((f32::from(*v) * scale) as i64))
                    .collect(),
            ),
        );
        desc.set(b"ItalicAngle", Object::Int(0));
        desc.set(
            b"Ascent",
            Object::Int((f32::from(self.face.ascender()) * scale) as i64),
        );
        desc.set(
            b"Descent",
            Object::Int((f32::from(self.face.descender()) * scale) as i64),
        );
        desc.set(
            b"CapHeight",
            Object::Int((f32::from(self.face.capital_height().unwrap_or(1409)) * scale) as i64),
        );
        desc.set(b"StemV", Object::Int(80));
        desc.set(b"FontFile2", Object::Ref(file));
        let desc = update.add(Object::Dict(desc));

        // Widths per CID: [cid [w]] pairs.
        let mut widths = Vec::new();
        for g in self.used.keys() {
            if let Some(cid) = self.remap.get(*g) {
                widths.push(Object::Int(i64::from(cid)));
                widths.push(Object::Array(vec![Object::Int(self.advance(*g).round() as i64)]));
            }
        }
        let mut cid_font = Dict::new();
        cid_font.set(b"Type", Object::name(b"Font"));
        cid_font.set(b"Subtype", Object::name(b"CIDFontType2"));
        cid_font.set(b"BaseFont", Object::name(name.as_bytes()));
        let mut sys = Dict::new();
        sys.set(b"Registry", Object::string(b"Adobe".to_vec()));
        sys.set(b"Ordering", Object::string(b"Identity".to_vec()));
        sys.set(b"Supplement", Object::Int(0));
        cid_font.set(b"CIDSystemInfo", Object::Dict(sys));
        cid_font.set(b"FontDescriptor", Object::Ref(desc));
        cid_font.set(b"CIDToGIDMap", Object::name(b"Identity"));
        cid_font.set(b"W", Object::Array(widths));
        let cid_font = update.add(Object::Dict(cid_font));

        let to_unicode = update.add(stream(&[], compress(self.to_unicode().as_bytes()), true));
        let mut font = Dict::new();
        font.set(b"Type", Object::name(b"Font"));
        font.set(b"Subtype", Object::name(b"Type0"));
        font.set(b"BaseFont", Object::name(name.as_bytes()));
        font.set(b"Encoding", Object::name(b"Identity-H"));
        font.set(b"DescendantFonts", Object::Array(vec![Object::Ref(cid_font)]));
        font.set(b"ToUnicode", Object::Ref(to_unicode));
        Ok(update.add(Object::Dict(font)))
    }

    /// The ToUnicode CMap: each CID back to the text it shows (UTF-16BE).
    fn to_unicode(&self) -> String {
        let mut map = String::new();
        let entries: Vec<(u16, &String)> = self
            .used
            .iter()
            .filter_map(|(g, t)| self.remap.get(*g).map(|cid| (cid, t)))
            .collect();
        for chunk in entries.chunks(100) {
            map.push_str(&format!("{} beginbfchar\n", chunk.len()));
            for (cid, t) in chunk {
                let hex: String = t.encode_utf16().map(|u| format!("{u:04X}")).collect();
                map.push_str(&format!("<{cid:04X}> <{hex}>\n"));
            }
            map.push_str("endbfchar\n");
        }
        format!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{map}endcmap\n\
             CMapName currentdict /CMap defineresource pop\nend\nend\n"
        )
    }
}

/// A stream object with `/Length` (and `/Filter /FlateDecode` when `flate`).
pub fn stream(extra: &[(&[u8], Object)], data: Vec<u8>, flate: bool) -> Object {
    let mut d = Dict::new();
    for (k, v) in extra {
        d.set(k, v.clone());
    }
    if flate {
        d.set(b"Filter", Object::name(b"FlateDecode"));
    }
    d.set(b"Length", Object::Int(data.len() as i64));
    Object::Stream(Box::new(Stream {
        dict: d,
        data: StreamData::Owned(data),
    }))
}

/// zlib (FlateDecode).
pub fn compress(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_text_has_glyphs_in_either_normal_form() {
        let f = PdfFont::new(SERIF, "F1").unwrap();
        let composed = "Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang — Quyết định số 01/QĐ-UBND";
        let decomposed: String = composed.nfd().collect();
        assert_eq!(f.glyphs(composed).unwrap(), f.glyphs(&decomposed).unwrap());
        assert!(matches!(f.glyphs("漢"), Err(FontError::MissingGlyph('漢'))));
        let w = f.width("Nguyễn Văn An", 12.0).unwrap();
        assert!(w > 50.0 && w < 100.0, "{w}");
        let lines = f.wrap(composed, 12.0, 150.0).unwrap();
        assert!(lines.len() > 2 && lines.iter().all(|l| f.width(l, 12.0).unwrap() <= 150.0));
        assert_eq!(lines.join(" "), composed);
        // Untrusted names: unknown characters become '?', controls vanish.
        assert_eq!(f.printable("Ký\u{7}漢 số"), "Ký? số");
    }
}
