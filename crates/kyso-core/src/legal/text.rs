//! A page's text as a clerk reads it: lines top to bottom, each split into segments where a
//! wide gap separates columns (the issuing body on the left, the national motto on the
//! right; "Nơi nhận:" on the left, the signature block on the right). Built from the glyphs
//! [`crate::pdf::text::page_glyphs`] reads through the fonts' ToUnicode maps, so it is what
//! the page shows, not what a text layer claims.

use std::collections::HashMap;
use std::path::Path;

use crate::pdf::text::Glyph;
use crate::pdf::{self, Pdf};

/// Most pages read for the legal check.
pub const MAX_PAGES: usize = 60;

/// A run of text on one line, with no column gap inside.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// The text (words separated by single spaces).
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Baseline.
    pub y: f32,
}

impl Segment {
    /// Horizontal centre.
    pub fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    /// Whether it shares some width with `other` (the same column).
    pub fn overlaps(&self, other: &Segment) -> bool {
        self.x0 <= other.x1 && other.x0 <= self.x1
    }
}

/// One line of a page, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Baseline.
    pub y: f32,
    /// Its segments, left to right.
    pub segments: Vec<Segment>,
}

/// Groups glyphs into lines (by baseline) and segments (split at gaps wider than about two
/// characters); spaces come from space glyphs or from gaps.
pub fn lines_of(glyphs: &[Glyph]) -> Vec<Line> {
    let mut gs: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| g.size > 0.5 && g.x.is_finite() && g.y.is_finite() && !g.text.is_empty())
        .collect();
    gs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for g in gs {
        match rows.last_mut() {
            Some(row)
                if row
                    .first()
                    .is_some_and(|f| (f.y - g.y).abs() <= 0.4 * f.size.max(g.size)) =>
            {
                row.push(g)
            }
            _ => rows.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        // A blank under a stamped glyph (the page's spaces left for a number that an
        // annotation fills in) is no word break.
        let next_start: Vec<f32> = {
            let mut v = vec![f32::MAX; row.len()];
            let mut next = f32::MAX;
            for (i, g) in row.iter().enumerate().rev() {
                v[i] = next;
                if !g.text.trim().is_empty() {
                    next = g.x;
                }
            }
            v
        };
        let mut prev_end = f32::MIN;
        let mut kept = Vec::with_capacity(row.len());
        for (i, g) in row.iter().enumerate() {
            let blank = g.text.trim().is_empty();
            let slack = 0.3 * g.width.abs();
            let covered = blank && (prev_end > g.x + slack || next_start[i] < g.x + g.width - slack);
            if !blank {
                prev_end = prev_end.max(g.x + g.width);
            }
            if !covered {
                kept.push(*g);
            }
        }
        let row = kept;
        let y = row.first().map_or(0.0, |g| g.y);
        let mut segments: Vec<Segment> = Vec::new();
        let mut end = f32::MIN;
        for g in row {
            let size = g.size.max(1.0);
            let gap = g.x - end;
            let blank = g.text.trim().is_empty();
            match segments.last_mut() {
                Some(seg) if gap <= 2.2 * size => {
                    if blank {
                        if !seg.text.ends_with(' ') {
                            seg.text.push(' ');
                        }
                    } else {
                        // Digits set one by one (a number stamped into a blank) stay one
                        // number unless clearly apart.
                        let digits = seg.text.ends_with(|c: char| c.is_ascii_digit())
                            && g.text.starts_with(|c: char| c.is_ascii_digit());
                        let word_gap = if digits { 0.5 } else { 0.18 };
                        if gap > word_gap * size && !seg.text.ends_with(' ') {
                            seg.text.push(' ');
                        }
                        seg.text.push_str(&g.text);
                    }
                    seg.x1 = seg.x1.max(g.x + g.width);
                }
                _ if blank => {}
                _ => segments.push(Segment {
                    text: g.text.clone(),
                    x0: g.x,
                    x1: g.x + g.width,
                    y,
                }),
            }
            end = end.max(g.x + g.width);
        }
        for s in &mut segments {
            s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        segments.retain(|s| !s.text.is_empty());
        if !segments.is_empty() {
            out.push(Line { y, segments });
        }
    }
    out
}

/// A document's pages as text, read on demand (the signature block may be pages after the
/// header; an inbox check should not read 300 pages it does not need).
pub struct Document<'a> {
    count: usize,
    load: Box<dyn FnMut(usize) -> Vec<Line> + 'a>,
    pages: HashMap<usize, Vec<Line>>,
}

impl<'a> Document<'a> {
    /// A document of `count` pages whose page `i` (0-based) `load` reads.
    pub fn new(count: usize, load: impl FnMut(usize) -> Vec<Line> + 'a) -> Self {
        Self {
            count: count.min(MAX_PAGES),
            load: Box::new(load),
            pages: HashMap::new(),
        }
    }

    /// Pages given as lines (tests, other sources).
    pub fn from_pages(pages: Vec<Vec<Line>>) -> Document<'static> {
        let count = pages.len();
        Document::new(count, move |i| pages.get(i).cloned().unwrap_or_default())
    }

    /// Pages that can be read.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Page `i` (0-based).
    pub fn page(&mut self, i: usize) -> &[Line] {
        if i >= self.count {
            return &[];
        }
        let load = &mut self.load;
        self.pages.entry(i).or_insert_with(|| load(i))
    }
}

/// Reads `path`'s pages as text; `None` when it is not a PDF that opens.
pub fn open_pdf(path: &Path) -> Option<(Pdf<crate::pdf::source::FileSource>, pdf::Dict, usize)> {
    let src = std::fs::File::open(path)
        .and_then(crate::pdf::source::FileSource::new)
        .ok()?;
    open(src)
}

/// Reads a PDF held by any source (a file, bytes in memory) for its pages' text: the
/// document, its catalog and its page count; `None` when it does not open.
pub fn open<S: crate::pdf::Source>(src: S) -> Option<(Pdf<S>, pdf::Dict, usize)> {
    let pdf = Pdf::open(src).ok()?;
    let (_, catalog) = pdf::catalog(&pdf).ok()?;
    let count = pdf::page_count(&pdf, &catalog).unwrap_or(0);
    Some((pdf, catalog, count))
}

/// The lines of page `i` of `pdf` as it is shown: its content and the appearances of its
/// visible annotations (the issuing clerk's tool writes the number and the date into its
/// signatures' appearances, over the blanks of the page). Empty when the page cannot be read.
pub fn page_lines<S: crate::pdf::Source>(pdf: &Pdf<S>, catalog: &pdf::Dict, i: usize) -> Vec<Line> {
    let Ok((_, page)) = pdf::page(pdf, catalog, i) else {
        return Vec::new();
    };
    // One budget for the page and its annotations' appearances: a page may name one
    // appearance hundreds of times.
    let mut budget = crate::pdf::text::TextBudget::default();
    let mut glyphs = crate::pdf::text::page_glyphs_within(pdf, &page, &mut budget).unwrap_or_default();
    glyphs.extend(annotation_glyphs(pdf, &page, &mut budget));
    lines_of(&glyphs)
}

/// Most annotations of a page read.
const MAX_ANNOTS: usize = 200;

fn numbers<S: crate::pdf::Source>(pdf: &Pdf<S>, o: Option<&pdf::Object>) -> Option<Vec<f32>> {
    let a = pdf.resolve(o?).ok()?;
    Some(
        a.as_array()?
            .iter()
            .filter_map(|x| pdf.resolve(x).ok().and_then(|v| v.as_f64()))
            .map(|v| v as f32)
            .collect(),
    )
}

/// The glyphs of the page's visible annotations' normal appearances, each mapped from its
/// form's box to the annotation's rectangle (ISO 32000-2 §12.5.5).
fn annotation_glyphs<S: crate::pdf::Source>(
    pdf: &Pdf<S>,
    page: &pdf::Dict,
    budget: &mut crate::pdf::text::TextBudget,
) -> Vec<Glyph> {
    let mut out = Vec::new();
    let Some(annots) = page.get(b"Annots").and_then(|a| pdf.resolve(a).ok()) else {
        return out;
    };
    for a in annots.as_array().unwrap_or_default().iter().take(MAX_ANNOTS) {
        let Some(d) = pdf.resolve(a).ok().and_then(|d| d.as_dict().cloned()) else {
            continue;
        };
        let flags = d.get_int(b"F").unwrap_or(0);
        if flags & (2 | 32) != 0 {
            continue; // hidden, or not to be viewed
        }
        let Some(n) = d
            .get(b"AP")
            .and_then(|ap| pdf.resolve(ap).ok())
            .and_then(|ap| ap.as_dict().and_then(|ap| ap.get(b"N").cloned()))
            .and_then(|n| pdf.resolve(&n).ok())
        else {
            continue;
        };
        let stream = match n {
            pdf::Object::Stream(s) => s,
            // Several appearance states: the one in /AS.
            pdf::Object::Dict(states) => {
                let Some(Ok(pdf::Object::Stream(s))) = d
                    .get_name(b"AS")
                    .and_then(|s| states.get(s))
                    .map(|o| pdf.resolve(o))
                else {
                    continue;
                };
                s
            }
            _ => continue,
        };
        let (Some(rect), Some(bbox)) = (
            numbers(pdf, d.get(b"Rect")),
            numbers(pdf, stream.dict.get(b"BBox")),
        ) else {
            continue;
        };
        let (Ok([rx0, ry0, rx1, ry1]), Ok([bx0, by0, bx1, by1])) = (
            <[f32; 4]>::try_from(rect.as_slice()),
            <[f32; 4]>::try_from(bbox.as_slice()),
        ) else {
            continue;
        };
        let m = numbers(pdf, stream.dict.get(b"Matrix"))
            .and_then(|m| <[f32; 6]>::try_from(m.as_slice()).ok())
            .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        // The form's box after its /Matrix.
        let corners = [(bx0, by0), (bx1, by0), (bx0, by1), (bx1, by1)]
            .map(|(x, y)| (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]));
        let (tx0, tx1) = corners
            .iter()
            .fold((f32::MAX, f32::MIN), |a, c| (a.0.min(c.0), a.1.max(c.0)));
        let (ty0, ty1) = corners
            .iter()
            .fold((f32::MAX, f32::MIN), |a, c| (a.0.min(c.1), a.1.max(c.1)));
        let (w, h) = (tx1 - tx0, ty1 - ty0);
        if w.abs() < 1e-3 || h.abs() < 1e-3 {
            continue;
        }
        let (sx, sy) = ((rx1 - rx0).abs() / w, (ry1 - ry0).abs() / h);
        let a = [sx, 0.0, 0.0, sy, rx0.min(rx1) - tx0 * sx, ry0.min(ry1) - ty0 * sy];
        out.extend(crate::pdf::text::form_glyphs(pdf, &stream, a, budget));
        if out.len() > 200_000 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(x: f32, y: f32, s: &str) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string(),
                x: x + i as f32 * 6.0,
                y,
                width: 6.0,
                size: 12.0,
            })
            .collect()
    }

    #[test]
    fn columns_split_and_lines_order_top_down() {
        let mut g = glyphs(300.0, 700.0, "KT. BO TRUONG");
        g.extend(glyphs(50.0, 700.0, "Noi nhan:"));
        g.extend(glyphs(300.0, 686.0, "THU TRUONG"));
        let lines = lines_of(&g);
        assert_eq!(lines.len(), 2);
        let texts: Vec<&str> = lines[0].segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Noi nhan:", "KT. BO TRUONG"]);
        assert_eq!(lines[1].segments[0].text, "THU TRUONG");
        assert!(lines[1].segments[0].overlaps(&lines[0].segments[1]));
    }
}
