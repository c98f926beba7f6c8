//! Visible signatures: a form XObject (the widget's `/AP /N`) with an image (PNG with its
//! transparency as an SMask, or JPEG) and lines of text in the embedded font, auto-fitted to
//! the box; placed on a page by a rectangle given as the user sees the page (points from the
//! bottom-left of the displayed page), whatever the page's `/Rotate` and `/MediaBox` origin.

use super::font::{self, FontError, PdfFont, SERIF};
use crate::pdf::writer::Update;
use crate::pdf::{Dict, ObjRef, Object, Pdf, Source};

/// What to draw, and where.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// Page, 1-based.
    pub page: usize,
    /// Where on the page; `None` when signing an existing field that has its own rectangle.
    pub place: Option<Place>,
    /// Text lines (wrapped to the box; the size shrinks until all fit).
    pub lines: Vec<String>,
    /// PNG or JPEG bytes, drawn on the left of the box (or filling it without text).
    pub image: Option<Vec<u8>>,
    /// Largest font size (points); 10 by default.
    pub max_font_size: Option<f32>,
}

/// Where a visible signature goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// `[x1, y1, x2, y2]` in points on the displayed page (origin bottom-left).
    Rect([f32; 4]),
    /// A box of this size at the top right of the displayed page (Decree 30: appendix and
    /// copy stamps), 20 pt from the edges.
    TopRight(f32, f32),
    /// A box of this size at the top left (the receipt stamp of an incoming document).
    TopLeft(f32, f32),
    /// A box of this size whose right edge covers the left third of the last visible
    /// signature (Decree 30 Art. 33: the seal over the leader's signature), centred on it
    /// vertically.
    OverLastSignature(f32, f32),
    /// A box of this size next to text found on the page (a placeholder such as `[CHU_KY]`,
    /// or the signer's printed name in the signature block); the first page that shows it.
    Anchor {
        /// The text to find (spaces and case do not matter).
        text: String,
        /// Box width, points.
        width: f32,
        /// Box height, points.
        height: f32,
        /// Where the box goes relative to the text, as the page is displayed.
        at: AnchorAt,
    },
}

/// Where an anchored box goes relative to its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnchorAt {
    /// Centred on the text (a placeholder the signature replaces visually).
    Over,
    /// Just above it, centred (the signature above the printed name).
    Above,
    /// Just below it, centred.
    Below,
    /// To its right, centred vertically.
    Right,
}

impl AnchorAt {
    /// From its CLI/metadata name.
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "over" => AnchorAt::Over,
            "above" => AnchorAt::Above,
            "below" => AnchorAt::Below,
            "right" => AnchorAt::Right,
            _ => return None,
        })
    }
}

/// The size in points an image is meant to be printed at: from its pixel density (PNG
/// pHYs, JPEG JFIF), else 96 dpi. A seal is applied at real size, never shrunk.
pub fn image_size_pt(data: &[u8]) -> Result<(f32, f32), AppearanceError> {
    if data.starts_with(&[0xFF, 0xD8]) {
        let (w, h, _) =
            jpeg_size(data).ok_or_else(|| AppearanceError::Image("not a readable JPEG".into()))?;
        // JFIF APP0: units (1 = dpi, 2 = dots/cm) and densities at fixed offsets.
        let dpi = (data.len() > 18 && &data[6..11] == b"JFIF\0")
            .then(|| {
                let x = f32::from(u16::from_be_bytes([data[14], data[15]]));
                match data[13] {
                    1 => x,
                    2 => x * 2.54,
                    _ => 0.0,
                }
            })
            .filter(|d| *d > 10.0)
            .unwrap_or(96.0);
        return Ok((w as f32 * 72.0 / dpi, h as f32 * 72.0 / dpi));
    }
    let reader = png::Decoder::new(std::io::Cursor::new(data))
        .read_info()
        .map_err(|e| AppearanceError::Image(e.to_string()))?;
    let info = reader.info();
    let dpi = info
        .pixel_dims
        .filter(|d| d.unit == png::Unit::Meter && d.xppu > 400)
        .map_or(96.0, |d| d.xppu as f32 * 0.0254);
    Ok((info.width as f32 * 72.0 / dpi, info.height as f32 * 72.0 / dpi))
}

/// Why an appearance cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum AppearanceError {
    /// The image is not a PNG or JPEG Kyso can read.
    #[error("the image cannot be read: {0}")]
    Image(String),
    /// The text does not fit even at the smallest size.
    #[error("the text does not fit in the signature box ({0:.0} × {1:.0} pt); make the box larger or the text shorter")]
    TooSmall(f32, f32),
    /// Text problem.
    #[error(transparent)]
    Font(#[from] FontError),
    /// Page problem.
    #[error("{0}")]
    Page(String),
}

/// The page geometry a placement needs.
#[derive(Clone, Copy, Debug)]
pub struct PageBox {
    /// MediaBox lower-left.
    pub x0: f32,
    /// MediaBox lower-left.
    pub y0: f32,
    /// Unrotated width.
    pub w: f32,
    /// Unrotated height.
    pub h: f32,
    /// `/Rotate` (0, 90, 180, 270).
    pub rotate: i64,
}

impl PageBox {
    /// The geometry of `page` (MediaBox and Rotate, inherited from the page tree).
    pub fn of<S: Source>(pdf: &Pdf<S>, page: &Dict) -> Self {
        let mb: Vec<f32> = crate::pdf::inherited(pdf, page, b"MediaBox")
            .and_then(|o| {
                o.as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_f64()).map(|v| v as f32).collect())
            })
            .filter(|v: &Vec<f32>| v.len() == 4)
            .unwrap_or_else(|| vec![0.0, 0.0, 595.0, 842.0]);
        let (x0, y0) = (mb[0].min(mb[2]), mb[1].min(mb[3]));
        let rotate = crate::pdf::inherited(pdf, page, b"Rotate")
            .and_then(|o| o.as_int())
            .unwrap_or(0)
            .rem_euclid(360);
        PageBox {
            x0,
            y0,
            w: (mb[2] - mb[0]).abs(),
            h: (mb[3] - mb[1]).abs(),
            rotate: rotate - rotate % 90,
        }
    }

    /// A point on the displayed page → the page's own coordinates.
    fn to_page(self, u: f32, v: f32) -> (f32, f32) {
        let (x, y) = match self.rotate {
            90 => (self.w - v, u),
            180 => (self.w - u, self.h - v),
            270 => (v, self.h - u),
            _ => (u, v),
        };
        (self.x0 + x, self.y0 + y)
    }

    /// A point in the page's own coordinates → the displayed page (inverse of `to_page`).
    pub fn to_displayed(self, x: f32, y: f32) -> (f32, f32) {
        let (x, y) = (x - self.x0, y - self.y0);
        match self.rotate {
            90 => (y, self.w - x),
            180 => (self.w - x, self.h - y),
            270 => (self.h - y, x),
            _ => (x, y),
        }
    }

    /// A box of `w` × `h` placed `at` a rectangle given in page coordinates (an anchor's
    /// text), worked out as the page is displayed; returned as `/Rect` in page coordinates.
    pub fn beside(self, anchor: [f32; 4], w: f32, h: f32, at: AnchorAt) -> [f32; 4] {
        let (a, b) = (
            self.to_displayed(anchor[0], anchor[1]),
            self.to_displayed(anchor[2], anchor[3]),
        );
        let (u1, v1, u2, v2) = (a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1));
        let (cu, cv) = ((u1 + u2) / 2.0, (v1 + v2) / 2.0);
        let r = match at {
            AnchorAt::Over => [cu - w / 2.0, cv - h / 2.0, cu + w / 2.0, cv + h / 2.0],
            AnchorAt::Above => [cu - w / 2.0, v2 + 2.0, cu + w / 2.0, v2 + 2.0 + h],
            AnchorAt::Below => [cu - w / 2.0, v1 - 2.0 - h, cu + w / 2.0, v1 - 2.0],
            AnchorAt::Right => [u2 + 4.0, cv - h / 2.0, u2 + 4.0 + w, cv + h / 2.0],
        };
        self.rect(r)
    }

    /// Width and height of the page as displayed.
    pub fn displayed(self) -> (f32, f32) {
        if self.rotate % 180 == 90 {
            (self.h, self.w)
        } else {
            (self.w, self.h)
        }
    }

    /// A rectangle on the displayed page → `/Rect` in page coordinates.
    pub fn rect(self, r: [f32; 4]) -> [f32; 4] {
        let (ax, ay) = self.to_page(r[0], r[1]);
        let (bx, by) = self.to_page(r[2], r[3]);
        [ax.min(bx), ay.min(by), ax.max(bx), ay.max(by)]
    }
}

/// A decoded image as PDF objects.
fn image_object(data: &[u8], update: &mut Update) -> Result<(ObjRef, f32, f32), AppearanceError> {
    if data.starts_with(&[0xFF, 0xD8]) {
        let (w, h, comps) =
            jpeg_size(data).ok_or_else(|| AppearanceError::Image("not a readable JPEG".into()))?;
        let cs: &[u8] = match comps {
            1 => b"DeviceGray",
            4 => b"DeviceCMYK",
            _ => b"DeviceRGB",
        };
        let mut entries = image_dict(w, h, cs);
        entries.push((b"Filter", Object::name(b"DCTDecode")));
        let obj = font::stream(&entries, data.to_vec(), false);
        return Ok((update.add(obj), w as f32, h as f32));
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| AppearanceError::Image(e.to_string()))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if u64::from(w) * u64::from(h) > 25_000_000 {
        return Err(AppearanceError::Image("the image is too large".into()));
    }
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| AppearanceError::Image(e.to_string()))?;
    let buf = buf.get(..info.buffer_size()).unwrap_or_default();
    let (channels, alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return Err(AppearanceError::Image("unexpanded palette".into())),
    };
    let step = channels + usize::from(alpha);
    let mut color = Vec::with_capacity(buf.len());
    let mut mask = Vec::new();
    for px in buf.chunks(step) {
        color.extend_from_slice(px.get(..channels).unwrap_or_default());
        if alpha {
            mask.push(px.get(channels).copied().unwrap_or(255));
        }
    }
    let dims = |cs: &'static [u8]| image_dict(w, h, cs);
    let mut entries = dims(if channels == 1 {
        b"DeviceGray"
    } else {
        b"DeviceRGB"
    });
    if alpha {
        let smask = update.add(font::stream(&dims(b"DeviceGray"), font::compress(&mask), true));
        entries.push((b"SMask", Object::Ref(smask)));
    }
    let entries: Vec<(&[u8], Object)> = entries.into_iter().collect();
    let img = update.add(font::stream(&entries, font::compress(&color), true));
    Ok((img, w as f32, h as f32))
}

/// The entries of an 8-bit image XObject of `w` × `h` pixels in colour space `cs`.
fn image_dict(w: u32, h: u32, cs: &'static [u8]) -> Vec<(&'static [u8], Object)> {
    vec![
        (b"Type", Object::name(b"XObject")),
        (b"Subtype", Object::name(b"Image")),
        (b"Width", Object::Int(i64::from(w))),
        (b"Height", Object::Int(i64::from(h))),
        (b"ColorSpace", Object::name(cs)),
        (b"BitsPerComponent", Object::Int(8)),
    ]
}

/// Width, height and components from a JPEG's start-of-frame marker.
fn jpeg_size(d: &[u8]) -> Option<(u32, u32, u8)> {
    let mut i = 2;
    while i + 9 < d.len() {
        if d[i] != 0xFF {
            return None;
        }
        let marker = d[i + 1];
        let len = usize::from(u16::from_be_bytes([d[i + 2], d[i + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([d[i + 5], d[i + 6]]);
            let w = u16::from_be_bytes([d[i + 7], d[i + 8]]);
            return Some((u32::from(w), u32::from(h), d[i + 9]));
        }
        i += 2 + len;
    }
    None
}

/// Builds the appearance (a form XObject) for a widget of `rect` (page coordinates) on a
/// page rotated by `rotate`; returns its reference.
pub fn build(
    spec: &Spec,
    rect: [f32; 4],
    rotate: i64,
    update: &mut Update,
) -> Result<ObjRef, AppearanceError> {
    let (rw, rh) = (rect[2] - rect[0], rect[3] - rect[1]);
    // Drawn as the reader sees it: width and height swap on quarter turns.
    let (w, h) = if rotate % 180 == 90 { (rh, rw) } else { (rw, rh) };
    let mut content = Vec::new();
    let mut resources = Dict::new();
    let pad = 2.0_f32;
    let mut text_x = pad;
    if let Some(data) = &spec.image {
        let (img, iw, ih) = image_object(data, update)?;
        // The image keeps its proportions: the full box without text, the left part with.
        let area_w = if spec.lines.is_empty() { w } else { w * 0.4 };
        let s = (area_w / iw).min(h / ih);
        let (dw, dh) = (iw * s, ih * s);
        let y = (h - dh) / 2.0;
        content.extend_from_slice(format!("q {dw:.3} 0 0 {dh:.3} 0 {y:.3} cm /Im1 Do Q\n").as_bytes());
        let mut xo = Dict::new();
        xo.set(b"Im1", Object::Ref(img));
        resources.set(b"XObject", Object::Dict(xo));
        text_x = dw + pad * 2.0;
    }
    if !spec.lines.is_empty() {
        let mut f = PdfFont::new(SERIF, "F1")?;
        let avail_w = (w - text_x - pad).max(1.0);
        let avail_h = h - 2.0 * pad;
        let mut size = spec.max_font_size.unwrap_or(10.0);
        let lines = loop {
            let mut all = Vec::new();
            for l in &spec.lines {
                all.extend(f.wrap(l, size, avail_w)?);
            }
            if all.len() as f32 * size * 1.2 <= avail_h || size <= 4.0 {
                if all.len() as f32 * size * 1.2 > avail_h {
                    return Err(AppearanceError::TooSmall(w, h));
                }
                break all;
            }
            size -= 0.5;
        };
        let mut y = h - pad - size;
        for line in &lines {
            let hex = f.encode(line)?;
            content.extend_from_slice(
                format!("BT /F1 {size} Tf 0 0 0 rg 1 0 0 1 {text_x:.2} {y:.2} Tm ").as_bytes(),
            );
            content.extend_from_slice(&hex);
            content.extend_from_slice(b" Tj ET\n");
            y -= size * 1.2;
        }
        let font_ref = f.write(update)?;
        let mut fonts = Dict::new();
        fonts.set(b"F1", Object::Ref(font_ref));
        resources.set(b"Font", Object::Dict(fonts));
    }
    // Turn the drawing so it reads upright on a rotated page (ISO 32000-2 §12.5.5: the
    // BBox, transformed by Matrix, is fitted to the widget's Rect).
    let matrix = match rotate {
        90 => [0, 1, -1, 0],
        180 => [-1, 0, 0, -1],
        270 => [0, -1, 1, 0],
        _ => [1, 0, 0, 1],
    };
    let mut m: Vec<Object> = matrix.iter().map(|v| Object::Int(*v)).collect();
    m.extend([Object::Int(0), Object::Int(0)]);
    let bbox = vec![
        Object::Int(0),
        Object::Int(0),
        Object::Real(format!("{w:.3}").into_bytes()),
        Object::Real(format!("{h:.3}").into_bytes()),
    ];
    let form = font::stream(
        &[
            (b"Type", Object::name(b"XObject")),
            (b"Subtype", Object::name(b"Form")),
            (b"BBox", Object::Array(bbox)),
            (b"Matrix", Object::Array(m)),
            (b"Resources", Object::Dict(resources)),
        ],
        font::compress(&content),
        true,
    );
    Ok(update.add(form))
}
