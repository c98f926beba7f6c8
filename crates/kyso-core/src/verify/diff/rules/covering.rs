//! Annotations over signed text where the certification allows annotations (DocMDP P=3).
//! The standard allows them, so this is a warning, not a failure: a free-text box, a filled
//! rectangle or a stamp placed over signed words can hide them or show other words in their
//! place, and the clerk should look. Markup meant to sit on text (highlight, underline) and
//! small icons (notes, attachments) are not warned about.

use std::collections::HashMap;

use super::super::{appearance, Change, Finding, Severity};
use super::Context;
use crate::pdf::{Object, Source};

/// Annotation subtypes that draw an area over the page.
const COVERING: &[&[u8]] = &[
    b"FreeText",
    b"Square",
    b"Circle",
    b"Polygon",
    b"PolyLine",
    b"Ink",
    b"Stamp",
    b"Line",
    b"Redact",
];

/// Boxes `[x1 y1 x2 y2]` of the signed text on a page; `None` when the text cannot be read.
fn text_boxes<S: Source>(ctx: &Context<'_, S>, page: usize) -> Option<Vec<[f64; 4]>> {
    let pnum = ctx.pages.iter().find(|(_, p)| **p == page).map(|(n, _)| *n)?;
    // The page as signed: its content is judged by the other rules.
    let dict = match ctx.old(pnum) {
        Ok(Object::Dict(d)) => d,
        _ => return None,
    };
    let glyphs = crate::pdf::text::page_glyphs(ctx.pdf, &dict).ok()?;
    Some(
        glyphs
            .iter()
            .filter(|g| !g.text.trim().is_empty())
            .map(|g| {
                let (x1, x2) = (g.x.min(g.x + g.width), g.x.max(g.x + g.width));
                let (y1, y2) = (g.y - g.size * 0.2, g.y + g.size * 0.8);
                [f64::from(x1), f64::from(y1), f64::from(x2), f64::from(y2)]
            })
            .collect(),
    )
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Covering annotations added or changed under P=3 that lie over signed text.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>) -> Vec<Change> {
    if !ctx.annotations_allowed() {
        return Vec::new(); // elsewhere an added annotation is itself reported
    }
    let mut text: HashMap<usize, Option<Vec<[f64; 4]>>> = HashMap::new();
    let mut out = Vec::new();
    for a in &ctx.touched_annots {
        let Some(subtype) = a.dict.get_name(b"Subtype").filter(|s| COVERING.contains(s)) else {
            continue;
        };
        let Some(rect) = appearance::rect(&a.dict).filter(|_| appearance::displayed(&a.dict)) else {
            continue;
        };
        let boxes = text.entry(a.page).or_insert_with(|| text_boxes(ctx, a.page));
        // Text that cannot be read cannot be shown to be clear of the annotation.
        let over = boxes
            .as_ref()
            .is_none_or(|b| b.iter().any(|g| overlaps(g, &rect)));
        if over {
            out.push(Change {
                object: a.num,
                page: Some(a.page),
                severity: Severity::Suspicious,
                finding: Finding::AnnotationOverText {
                    subtype: String::from_utf8_lossy(subtype).into_owned(),
                    rect,
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, Doc};
    use super::super::super::{Finding, Severity::Suspicious};

    const PAGE: &str = "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
                        /Contents 4 0 R/Annots[6 0 R 9 0 R]>>";

    fn annotated(subtype: &str, rect: &str) -> Doc {
        base().update(&[
            (
                9,
                &format!("<</Type/Annot/Subtype/{subtype}/Rect[{rect}]/F 4/Contents(Quyet dinh so 99)/DA(/Helv 12 Tf)>>"),
            ),
            (3, PAGE),
        ])
    }

    #[test]
    fn free_text_over_signed_text_is_a_warning_naming_it() {
        // "Signed text" is drawn at (72, 700) in 12-point Helvetica.
        let d = annotated("FreeText", "60 690 300 720");
        let c = d.changes(Some(3));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].severity, Suspicious);
        assert_eq!((c[0].object, c[0].page), (9, Some(1)));
        assert_eq!(
            c[0].finding,
            Finding::AnnotationOverText {
                subtype: "FreeText".into(),
                rect: [60.0, 690.0, 300.0, 720.0]
            }
        );
        let data = c[0].finding.data();
        assert_eq!(data.annotation.as_deref(), Some("FreeText"));
        assert_eq!(data.rect, Some([60.0, 690.0, 300.0, 720.0]));
    }

    #[test]
    fn annotations_clear_of_text_or_meant_for_text_pass_under_p3() {
        assert_eq!(annotated("FreeText", "300 100 500 130").codes(Some(3)), vec![]);
        assert_eq!(annotated("Highlight", "60 690 300 720").codes(Some(3)), vec![]);
        assert_eq!(annotated("Text", "60 690 80 710").codes(Some(3)), vec![]);
    }

    #[test]
    fn a_free_text_moved_over_text_later_is_a_warning() {
        let d = annotated("FreeText", "300 100 500 130").update(&[(
            9,
            "<</Type/Annot/Subtype/FreeText/Rect[60 690 300 720]/F 4/Contents(x)/DA(/Helv 12 Tf)>>",
        )]);
        let c = d.changes_since(1, Some(3));
        assert_eq!(
            c.iter().map(|c| c.finding.code()).collect::<Vec<_>>(),
            vec!["ANNOTATION_OVER_TEXT"]
        );
    }

    #[test]
    fn without_p3_the_added_annotation_itself_is_reported() {
        let codes = annotated("FreeText", "60 690 300 720").codes(Some(2));
        assert_eq!(
            codes.iter().map(|c| c.0).collect::<Vec<_>>(),
            vec!["ANNOTATION_ADDED"]
        );
    }
}
