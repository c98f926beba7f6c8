//! The printable validation report as a PDF (A4), for a clerk to file with the document:
//! the same content as the HTML report, set in the bundled Vietnamese-capable serif font so
//! it prints and extracts the same on every machine.

use super::html::signature_rows;
use super::words::{self, verdict};
use crate::appearance::font::{self, FontError, PdfFont, SERIF, SERIF_BOLD};
use crate::pdf::writer::Update;
use crate::pdf::{Dict, Object};
use crate::verify::{FileReport, Indication};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const LABEL_W: f32 = 130.0;

type Rgb = (f32, f32, f32);
const BLACK: Rgb = (0.0, 0.0, 0.0);
const GREEN: Rgb = (0.09, 0.40, 0.20);
const AMBER: Rgb = (0.63, 0.38, 0.03);
const RED: Rgb = (0.73, 0.11, 0.11);

/// Lays text out top to bottom over as many pages as needed.
struct Layout {
    regular: PdfFont,
    bold: PdfFont,
    pages: Vec<Vec<u8>>,
    y: f32,
}

impl Layout {
    fn new() -> Result<Self, FontError> {
        Ok(Self {
            regular: PdfFont::new(SERIF, "F1")?,
            bold: PdfFont::new(SERIF_BOLD, "F2")?,
            pages: vec![Vec::new()],
            y: PAGE_H - MARGIN,
        })
    }

    fn room(&mut self, h: f32) {
        if self.y - h < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_H - MARGIN;
        }
    }

    fn show(&mut self, x: f32, text: &str, size: f32, bold: bool, color: Rgb) -> Result<(), FontError> {
        let f = if bold { &mut self.bold } else { &mut self.regular };
        let hex = f.encode(text)?;
        let op = format!(
            "BT /{} {size} Tf {:.3} {:.3} {:.3} rg 1 0 0 1 {x:.2} {:.2} Tm ",
            f.resource, color.0, color.1, color.2, self.y
        );
        if let Some(page) = self.pages.last_mut() {
            page.extend_from_slice(op.as_bytes());
            page.extend_from_slice(&hex);
            page.extend_from_slice(b" Tj ET\n");
        }
        Ok(())
    }

    /// A wrapped paragraph.
    fn para(&mut self, text: &str, size: f32, bold: bool, color: Rgb) -> Result<(), FontError> {
        let text = &self.regular.printable(text);
        let width = PAGE_W - 2.0 * MARGIN;
        let f = if bold { &self.bold } else { &self.regular };
        for line in f.wrap(text, size, width)? {
            self.room(size * 1.3);
            self.y -= size * 1.3;
            self.show(MARGIN, &line, size, bold, color)?;
        }
        Ok(())
    }

    /// A label and its wrapped value side by side.
    fn row(&mut self, label: &str, value: &str, color: Rgb) -> Result<(), FontError> {
        let size = 10.0;
        let value = &self.regular.printable(value);
        let lines = self.regular.wrap(value, size, PAGE_W - 2.0 * MARGIN - LABEL_W)?;
        let labels = self.bold.wrap(label, size, LABEL_W - 8.0)?;
        for i in 0..lines.len().max(labels.len()) {
            self.room(size * 1.3);
            self.y -= size * 1.3;
            if let Some(l) = labels.get(i) {
                self.show(MARGIN, l, size, true, BLACK)?;
            }
            if let Some(v) = lines.get(i) {
                self.show(MARGIN + LABEL_W, v, size, false, color)?;
            }
        }
        Ok(())
    }

    /// One row of a table: each cell wrapped in its column, the row as tall as its tallest
    /// cell, kept on one page.
    fn cells(&mut self, cells: &[(&str, Rgb)], widths: &[f32], bold: bool) -> Result<(), FontError> {
        let size = 9.0;
        let mut wrapped = Vec::new();
        for ((text, _), w) in cells.iter().zip(widths) {
            let text = self.regular.printable(text);
            let f = if bold { &self.bold } else { &self.regular };
            wrapped.push(f.wrap(&text, size, w - 6.0)?);
        }
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        self.room(size * 1.3 * lines as f32 + 4.0);
        for i in 0..lines {
            self.y -= size * 1.3;
            let mut x = MARGIN;
            for ((cell, (_, color)), w) in wrapped.iter().zip(cells).zip(widths) {
                if let Some(line) = cell.get(i) {
                    self.show(x, line, size, bold, *color)?;
                }
                x += w;
            }
        }
        self.y -= 4.0;
        Ok(())
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }
}

fn class_colour(class: &str) -> Rgb {
    match class {
        "ok" => GREEN,
        "bad" => RED,
        "warn" => AMBER,
        _ => BLACK,
    }
}

/// The summary table that opens the report.
fn summary(l: &mut Layout, reports: &[FileReport], vi: bool) -> Result<(), FontError> {
    let rows = words::summary(reports, vi);
    let legal = rows.iter().any(|r| r.legal.is_some());
    let width = PAGE_W - 2.0 * MARGIN;
    let widths: Vec<f32> = if legal {
        [0.24, 0.26, 0.16, 0.20, 0.14].iter().map(|f| f * width).collect()
    } else {
        [0.28, 0.32, 0.24, 0.16].iter().map(|f| f * width).collect()
    };
    l.gap(8.0);
    l.para(if vi { "Tóm tắt" } else { "Summary" }, 12.0, true, BLACK)?;
    let heads: Vec<(&str, Rgb)> = words::summary_heads(vi, legal)
        .into_iter()
        .map(|h| (h, BLACK))
        .collect();
    l.cells(&heads, &widths, true)?;
    for r in &rows {
        let mut cells = vec![
            (r.file.as_str(), BLACK),
            (r.verdict.as_str(), class_colour(r.class)),
        ];
        if legal {
            let (class, text) = r.legal.unwrap_or(("", ""));
            cells.push((text, class_colour(class)));
        }
        cells.push((r.signers.as_str(), BLACK));
        cells.push((r.time.as_str(), BLACK));
        l.cells(&cells, &widths, false)?;
    }
    Ok(())
}

fn colour(i: Indication) -> Rgb {
    match i {
        Indication::TotalPassed => GREEN,
        Indication::Indeterminate => AMBER,
        Indication::TotalFailed => RED,
    }
}

/// Renders the reports in `lang` (`vi` or `en`) as a PDF.
pub fn render(reports: &[FileReport], lang: &str) -> Result<Vec<u8>, FontError> {
    let vi = lang != "en";
    let t = |a: &'static str, b: &'static str| if vi { a } else { b };
    let mut l = Layout::new()?;
    l.para(
        t("BÁO CÁO KIỂM TRA CHỮ KÝ SỐ", "SIGNATURE VALIDATION REPORT"),
        16.0,
        true,
        BLACK,
    )?;
    l.para(
        &format!(
            "{}: {} — Kyso {}",
            t("Thời điểm kiểm tra", "Checked at"),
            crate::timefmt::vietnam(crate::timefmt::now()),
            env!("CARGO_PKG_VERSION")
        ),
        10.0,
        false,
        BLACK,
    )?;
    summary(&mut l, reports, vi)?;
    for r in reports {
        l.gap(10.0);
        l.para(&r.path, 12.0, true, BLACK)?;
        let (class, text) = verdict(r.verdict, vi);
        let c = match class {
            "ok" => GREEN,
            "bad" => RED,
            _ => AMBER,
        };
        l.para(text, 12.0, true, c)?;
        if let Some(e) = &r.error {
            l.para(if vi { &e.message.vi } else { &e.message.en }, 10.0, false, RED)?;
        }
        for (i, s) in r.signatures.iter().enumerate() {
            l.gap(4.0);
            l.para(&words::label(i, s, vi), 11.0, true, BLACK)?;
            let c = colour(s.indication);
            for (k, v) in signature_rows(s, vi) {
                l.row(
                    k,
                    &v,
                    if k == t("Kết luận", "Result") {
                        c
                    } else {
                        BLACK
                    },
                )?;
            }
            for f in &s.findings {
                l.row(t("Chi tiết", "Details"), if vi { &f.vi } else { &f.en }, BLACK)?;
            }
        }
        if let Some(legal) = &r.legal {
            l.gap(4.0);
            l.para(
                t(
                    "Tính hợp lệ theo Nghị định 30/2020 và 68/2024",
                    "Legal completeness (Decrees 30/2020 and 68/2024)",
                ),
                11.0,
                true,
                BLACK,
            )?;
            for (class, k, v) in super::legal::rows(legal, vi) {
                let c = match class {
                    "ok" => GREEN,
                    "bad" => RED,
                    "warn" => AMBER,
                    _ => BLACK,
                };
                l.row(&k, &v, c)?;
            }
        }
    }

    // Objects: fonts, pages, catalog.
    let mut u = Update::new(1);
    let catalog = u.alloc();
    let pages = u.alloc();
    let f1 = l.regular.write(&mut u)?;
    let f2 = l.bold.write(&mut u)?;
    let mut fonts = Dict::new();
    fonts.set(b"F1", Object::Ref(f1));
    fonts.set(b"F2", Object::Ref(f2));
    let mut resources = Dict::new();
    resources.set(b"Font", Object::Dict(fonts));
    let mut kids = Vec::new();
    for content in &l.pages {
        let c = u.add(font::stream(&[], font::compress(content), true));
        let mut page = Dict::new();
        page.set(b"Type", Object::name(b"Page"));
        page.set(b"Parent", Object::Ref(pages));
        page.set(
            b"MediaBox",
            Object::Array(vec![
                Object::Int(0),
                Object::Int(0),
                Object::Int(595),
                Object::Int(842),
            ]),
        );
        page.set(b"Resources", Object::Dict(resources.clone()));
        page.set(b"Contents", Object::Ref(c));
        kids.push(Object::Ref(u.add(Object::Dict(page))));
    }
    let mut p = Dict::new();
    p.set(b"Type", Object::name(b"Pages"));
    p.set(b"Count", Object::Int(kids.len() as i64));
    p.set(b"Kids", Object::Array(kids));
    u.put(pages, Object::Dict(p));
    let mut cat = Dict::new();
    cat.set(b"Type", Object::name(b"Catalog"));
    cat.set(b"Pages", Object::Ref(pages));
    cat.set(
        b"Lang",
        Object::string(if vi { b"vi".to_vec() } else { b"en".to_vec() }),
    );
    u.put(catalog, Object::Dict(cat));
    let mut info = Dict::new();
    info.set(
        b"Title",
        crate::pdf::object::text_string(t("Báo cáo kiểm tra chữ ký số", "Signature validation report")),
    );
    info.set(b"Producer", crate::pdf::object::text_string("Kyso"));
    let info = u.add(Object::Dict(info));
    Ok(u.write_document(catalog, Some(info)))
}
