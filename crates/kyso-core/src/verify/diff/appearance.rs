//! What a widget or an annotation shows: its rectangle, whether it is displayed, the
//! appearance streams a viewer draws for it, whether they paint anything, and the form field
//! a widget belongs to.

use crate::pdf::lexer::Lexer;
use crate::pdf::object::decode_text;
use crate::pdf::{Dict, Object, Pdf, Source};

/// Largest decoded appearance stream examined.
const MAX_APPEARANCE: usize = 4 << 20;
/// Most operators examined in one appearance stream.
const MAX_OPS: usize = 1_000_000;
/// Longest `/Parent` chain followed.
const MAX_PARENTS: usize = 16;
/// Annotation flags that keep it off the screen: Hidden (bit 2) and NoView (bit 6).
const NOT_SHOWN: i64 = 2 | 32;

/// Operators that paint: text, paths, images, shadings, XObjects.
const PAINTING: &[&[u8]] = &[
    b"Tj", b"TJ", b"'", b"\"", b"Do", b"sh", b"BI", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s",
];

/// The annotation's `/Rect`, normalised to `[x1 y1 x2 y2]` with `x1 <= x2`, `y1 <= y2`.
pub(super) fn rect(d: &Dict) -> Option<[f64; 4]> {
    let v: Vec<f64> = d
        .get(b"Rect")?
        .as_array()?
        .iter()
        .filter_map(Object::as_f64)
        .collect();
    let [a, b, c, e] = <[f64; 4]>::try_from(v.as_slice()).ok()?;
    Some([a.min(c), b.min(e), a.max(c), b.max(e)])
}

/// Whether the annotation is displayed at all: a rectangle with an area, not hidden.
pub(super) fn displayed(d: &Dict) -> bool {
    let flags = d.get_int(b"F").unwrap_or(0);
    flags & NOT_SHOWN == 0 && rect(d).is_some_and(|r| r[2] - r[0] > 0.0 && r[3] - r[1] > 0.0)
}

/// The normal appearance streams a viewer may draw: `/AP /N`, or the state `/AS` selects in
/// it (every state when `/AS` names none).
pub(super) fn normal_appearances<S: Source>(pdf: &Pdf<S>, d: &Dict) -> Vec<Object> {
    let Some(ap) = d.get(b"AP").and_then(|a| pdf.resolve(a).ok()) else {
        return Vec::new();
    };
    let Some(n) = ap
        .as_dict()
        .and_then(|a| a.get(b"N"))
        .and_then(|n| pdf.resolve(n).ok())
    else {
        return Vec::new();
    };
    match n {
        Object::Stream(_) => vec![n],
        Object::Dict(states) => {
            let chosen = d.get_name(b"AS").and_then(|s| states.get(s));
            let all: Vec<&Object> = match chosen {
                Some(s) => vec![s],
                None => states.0.iter().map(|(_, s)| s).take(64).collect(),
            };
            all.into_iter()
                .filter_map(|s| pdf.resolve(s).ok())
                .filter(|s| matches!(s, Object::Stream(_)))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether the appearance `stream` paints anything. A stream that cannot be decoded counts
/// as painting: what cannot be read cannot be shown to be empty.
pub(super) fn paints<S: Source>(pdf: &Pdf<S>, stream: &Object) -> bool {
    let Object::Stream(s) = stream else {
        return false;
    };
    let Ok(mut data) = pdf.decode_stream(s, MAX_APPEARANCE) else {
        return true;
    };
    // A final operator must not touch the end of the buffer (the lexer would wait for more).
    data.push(b'\n');
    content_paints(&data)
}

/// Whether a content stream has a painting operator.
pub(super) fn content_paints(data: &[u8]) -> bool {
    let mut lx = Lexer::new(data, 0);
    for _ in 0..MAX_OPS {
        lx.skip_ws();
        let Some(&b) = data.get(lx.pos) else {
            return false;
        };
        let is_operator = b.is_ascii_alphabetic() || b == b'\'' || b == b'"' || b == b'*';
        if !is_operator {
            // An operand: skip it (a stray byte, one byte).
            if lx.object().is_err() {
                lx.pos += 1;
            }
            continue;
        }
        match lx.token() {
            Ok(op) if PAINTING.contains(&op) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    // Too many operators to read: assume it paints.
    true
}

/// The form field a widget belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FieldOf {
    /// Fully qualified name (`parent.child`).
    pub name: String,
    /// `/FT`, inherited.
    pub field_type: Option<Vec<u8>>,
    /// `/V` is set (for a signature field: it is signed).
    pub has_value: bool,
}

/// The field of widget `num` with dictionary `w` (the widget itself when merged with its
/// field), following `/Parent` for the inherited type and value and for the name. A widget
/// without `/Parent` (some writers only list it in the field's `/Kids`) is looked up in the
/// form's field tree.
pub(super) fn field_of<S: Source>(pdf: &Pdf<S>, num: u32, w: &Dict) -> FieldOf {
    if w.get(b"Parent").is_none() && w.get(b"FT").is_none() && w.get(b"T").is_none() {
        if let Some(f) = field_listing(pdf, num) {
            return f;
        }
    }
    walk_parents(pdf, w)
}

/// The terminal field whose `/Kids` lists widget `num`.
fn field_listing<S: Source>(pdf: &Pdf<S>, num: u32) -> Option<FieldOf> {
    let (_, cat) = crate::pdf::catalog(pdf).ok()?;
    crate::pdf::fields(pdf, &cat).ok()?.into_iter().find_map(|f| {
        let kids = pdf.resolve(f.dict.get(b"Kids")?).ok()?;
        kids.as_array()?
            .iter()
            .any(|k| k.as_ref().is_some_and(|r| r.num == num))
            .then(|| FieldOf {
                name: f.name,
                field_type: f.field_type,
                has_value: f.value.is_some_and(|v| !matches!(v, Object::Null)),
            })
    })
}

fn walk_parents<S: Source>(pdf: &Pdf<S>, w: &Dict) -> FieldOf {
    let mut names = Vec::new();
    let mut field_type = None;
    let mut has_value = false;
    let mut cur = Some(w.clone());
    for _ in 0..MAX_PARENTS {
        let Some(d) = cur.take() else { break };
        if let Some(t) = d.get(b"T").and_then(Object::as_str_bytes) {
            names.push(decode_text(t));
        }
        if field_type.is_none() {
            field_type = d.get_name(b"FT").map(<[u8]>::to_vec);
        }
        has_value |= d.get(b"V").is_some_and(|v| !matches!(v, Object::Null));
        cur = d
            .get(b"Parent")
            .and_then(|p| pdf.resolve(p).ok())
            .and_then(|p| p.as_dict().cloned());
    }
    names.reverse();
    FieldOf {
        name: names.join("."),
        field_type,
        has_value,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn dict(s: &str) -> Dict {
        Lexer::new(format!("{s} ").as_bytes(), 0)
            .object()
            .unwrap()
            .as_dict()
            .unwrap()
            .clone()
    }

    #[test]
    fn painting_operators_are_found_and_empty_streams_paint_nothing() {
        assert!(content_paints(b"BT /Helv 12 Tf 2 5 Td (99/QD) Tj ET\n"));
        assert!(content_paints(b"1 g 0 0 10 10 re f\n"));
        assert!(content_paints(b"q /Im0 Do Q\n"));
        assert!(content_paints(b"[(a) 20 (b)] TJ\n"));
        assert!(!content_paints(b""));
        assert!(!content_paints(b"q Q\n"));
        assert!(!content_paints(
            b"% a comment Tj\nq 1 0 0 1 0 0 cm 0 0 10 10 re n Q\n"
        ));
        // A string operand that looks like an operator is not one.
        assert!(!content_paints(b"(Tj f S) pop\n"));
    }

    #[test]
    fn a_widget_listed_only_in_its_fields_kids_belongs_to_that_field() {
        let mut f = b"%PDF-1.7\n".to_vec();
        let mut at = Vec::new();
        for body in [
            "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]>>>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1>>",
            "<</Type/Page/Parent 2 0 R/Annots[5 0 R]>>",
            "<</FT/Sig/T(Sig2)/Kids 6 0 R/V 7 0 R>>",
            "<</Type/Annot/Subtype/Widget/Rect[20 120 80 140]/P 3 0 R>>",
            "[5 0 R]",
            "<</Type/Sig>>",
        ] {
            at.push(f.len());
            f.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", at.len()).as_bytes());
        }
        let x = f.len();
        f.extend_from_slice(b"xref\n0 8\n0000000000 65535 f \n");
        for a in at {
            f.extend_from_slice(format!("{a:010} 00000 n \n").as_bytes());
        }
        f.extend_from_slice(format!("trailer\n<</Size 8/Root 1 0 R>>\nstartxref\n{x}\n%%EOF\n").as_bytes());
        let pdf = Pdf::open(f).unwrap();
        let w = pdf.get(crate::pdf::ObjRef::new(5, 0)).unwrap();
        let field = field_of(&pdf, 5, w.as_dict().unwrap());
        assert_eq!(
            field,
            FieldOf {
                name: "Sig2".into(),
                field_type: Some(b"Sig".to_vec()),
                has_value: true
            }
        );
    }

    #[test]
    fn rectangles_and_flags_decide_what_is_displayed() {
        assert_eq!(
            rect(&dict("<</Rect[550 360 350 300]>>")),
            Some([350.0, 300.0, 550.0, 360.0])
        );
        assert!(displayed(&dict("<</Rect[0 0 10 10]/F 4>>")));
        assert!(!displayed(&dict("<</Rect[0 0 0 0]>>")));
        assert!(!displayed(&dict("<</Rect[0 0 10 10]/F 2>>")));
        assert!(!displayed(&dict("<</Rect[0 0 10 10]/F 32>>")));
        assert!(!displayed(&dict("<</F 4>>")));
    }
}
