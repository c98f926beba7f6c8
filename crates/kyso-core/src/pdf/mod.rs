//! PDF plumbing: reading structure lazily, writing incremental updates, byte ranges.
//! Knows nothing about certificates or CMS.

pub mod budget;
pub mod byterange;
mod crypt;
pub mod lexer;
pub mod object;
pub mod permissions;
pub mod reader;
pub mod source;
mod std14;
pub mod text;
pub mod writer;

use std::collections::HashSet;

pub use object::{Dict, ObjRef, Object};
pub use reader::Pdf;
pub use source::{FileSource, Source};

/// Errors reading or writing PDF structure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No `%PDF-` header.
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// Structure is broken at an offset.
    #[error("damaged PDF near byte {offset}: {what}")]
    Malformed {
        /// Approximate byte offset.
        offset: u64,
        /// What was wrong.
        what: String,
    },
    /// A size limit protecting memory was hit.
    #[error("{0} is larger than Kyso accepts")]
    TooLarge(&'static str),
    /// The document would cost more work or memory than one document may (see `budget`).
    #[error("the file is too complex to handle safely ({0})")]
    TooComplex(&'static str),
    /// Encrypted with a password Kyso does not have (only the empty user password is tried).
    #[error("the PDF is protected by a password")]
    Encrypted,
    /// A feature this version does not handle.
    #[error("unsupported PDF feature: {0}")]
    Unsupported(String),
    /// Reading or writing failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Deepest page tree / field tree walked.
const MAX_TREE_DEPTH: usize = 64;
/// Most fields considered in one document.
const MAX_FIELDS: usize = 100_000;

/// The document catalog: its reference (when indirect, as it should be) and dictionary.
pub fn catalog<S: Source>(pdf: &Pdf<S>) -> Result<(Option<ObjRef>, Dict), PdfError> {
    let root = pdf.trailer().get(b"Root").cloned().unwrap_or(Object::Null);
    let dict = pdf
        .resolve(&root)?
        .as_dict()
        .cloned()
        .ok_or(PdfError::Malformed {
            offset: 0,
            what: "no document catalog".into(),
        })?;
    Ok((root.as_ref(), dict))
}

/// A page attribute that may be inherited from the page tree (`/Resources`, `/MediaBox`,
/// `/Rotate`), resolved; at most 32 levels up.
pub fn inherited<S: Source>(pdf: &Pdf<S>, page: &Dict, key: &[u8]) -> Option<Object> {
    let mut cur = page.clone();
    for _ in 0..32 {
        if let Some(v) = cur.get(key) {
            return pdf.resolve(v).ok();
        }
        cur = pdf.resolve(cur.get(b"Parent")?).ok()?.as_dict()?.clone();
    }
    None
}

/// Page `index` (0-based) in document order: its reference and dictionary.
pub fn page<S: Source>(pdf: &Pdf<S>, cat: &Dict, index: usize) -> Result<(ObjRef, Dict), PdfError> {
    let mut remaining = index;
    let pages = cat.get(b"Pages").cloned().unwrap_or(Object::Null);
    let mut seen = HashSet::new();
    find_page(pdf, &pages, &mut remaining, 0, &mut seen)?.ok_or(PdfError::Malformed {
        offset: 0,
        what: format!("page {} not found", index + 1),
    })
}

fn find_page<S: Source>(
    pdf: &Pdf<S>,
    node: &Object,
    remaining: &mut usize,
    depth: usize,
    seen: &mut HashSet<ObjRef>,
) -> Result<Option<(ObjRef, Dict)>, PdfError> {
    if depth > MAX_TREE_DEPTH {
        return Err(PdfError::Malformed {
            offset: 0,
            what: "page tree too deep".into(),
        });
    }
    let Some(r) = node.as_ref() else {
        return Ok(None);
    };
    if !seen.insert(r) {
        return Err(PdfError::Malformed {
            offset: 0,
            what: "loop in the page tree".into(),
        });
    }
    let Some(dict) = pdf.get(r)?.as_dict().cloned() else {
        return Ok(None);
    };
    if dict.get(b"Kids").is_some() && !dict.name_is(b"Type", b"Page") {
        let kids = pdf.resolve(dict.get(b"Kids").unwrap_or(&Object::Null))?;
        for kid in kids.as_array().unwrap_or_default() {
            if let Some(found) = find_page(pdf, kid, remaining, depth + 1, seen)? {
                return Ok(Some(found));
            }
        }
        return Ok(None);
    }
    if *remaining == 0 {
        return Ok(Some((r, dict)));
    }
    *remaining -= 1;
    Ok(None)
}

/// References of all pages in document order (bounded, loop-safe).
pub fn page_refs<S: Source>(pdf: &Pdf<S>, cat: &Dict, limit: usize) -> Vec<ObjRef> {
    fn walk<S: Source>(
        pdf: &Pdf<S>,
        node: &Object,
        depth: usize,
        seen: &mut HashSet<ObjRef>,
        out: &mut Vec<ObjRef>,
        limit: usize,
    ) {
        let Some(r) = node.as_ref() else { return };
        if depth > MAX_TREE_DEPTH || out.len() >= limit || !seen.insert(r) {
            return;
        }
        let Ok(obj) = pdf.get(r) else { return };
        let Some(d) = obj.as_dict() else { return };
        if d.get(b"Kids").is_some() && !d.name_is(b"Type", b"Page") {
            let kids = pdf
                .resolve(d.get(b"Kids").unwrap_or(&Object::Null))
                .unwrap_or(Object::Null);
            for k in kids.as_array().unwrap_or_default() {
                walk(pdf, k, depth + 1, seen, out, limit);
            }
        } else {
            out.push(r);
        }
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    walk(
        pdf,
        cat.get(b"Pages").unwrap_or(&Object::Null),
        0,
        &mut seen,
        &mut out,
        limit,
    );
    out
}

/// Number of pages per the root `/Pages /Count`.
pub fn page_count<S: Source>(pdf: &Pdf<S>, cat: &Dict) -> Result<usize, PdfError> {
    let pages = pdf.resolve_dict(cat, b"Pages")?.unwrap_or_default();
    Ok(pages
        .get_int(b"Count")
        .and_then(|c| usize::try_from(c).ok())
        .unwrap_or(0))
}

/// A terminal form field (or one with a value) found in the AcroForm tree.
#[derive(Clone, Debug)]
pub struct Field {
    /// The field's object (fields are indirect in practice).
    pub obj: Option<ObjRef>,
    /// Fully qualified name (`parent.child`).
    pub name: String,
    /// The field dictionary.
    pub dict: Dict,
    /// Field type, inherited (`Sig`, `Tx`, …).
    pub field_type: Option<Vec<u8>>,
    /// `/V`, inherited, unresolved.
    pub value: Option<Object>,
}

/// All terminal fields of the AcroForm (bounded, loop-safe).
pub fn fields<S: Source>(pdf: &Pdf<S>, cat: &Dict) -> Result<Vec<Field>, PdfError> {
    let Some(form) = pdf.resolve_dict(cat, b"AcroForm")? else {
        return Ok(Vec::new());
    };
    let top = pdf.resolve(form.get(b"Fields").unwrap_or(&Object::Null))?;
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for f in top.as_array().unwrap_or_default() {
        walk_field(pdf, f, "", None, None, 0, &mut seen, &mut out)?;
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn walk_field<S: Source>(
    pdf: &Pdf<S>,
    node: &Object,
    prefix: &str,
    ft: Option<&[u8]>,
    v: Option<&Object>,
    depth: usize,
    seen: &mut HashSet<ObjRef>,
    out: &mut Vec<Field>,
) -> Result<(), PdfError> {
    if depth > MAX_TREE_DEPTH || out.len() >= MAX_FIELDS {
        return Ok(());
    }
    if let Some(r) = node.as_ref() {
        if !seen.insert(r) {
            return Ok(()); // a loop in the field tree: visit once
        }
    }
    let Some(dict) = pdf.resolve(node)?.as_dict().cloned() else {
        return Ok(());
    };
    let partial = dict
        .get(b"T")
        .and_then(Object::as_str_bytes)
        .map(object::decode_text);
    let name = match (&partial, prefix.is_empty()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{prefix}.{p}"),
        (None, _) => prefix.to_string(),
    };
    let ft = dict.get_name(b"FT").or(ft);
    let v = dict.get(b"V").or(v);
    let kids = pdf.resolve(dict.get(b"Kids").unwrap_or(&Object::Null))?;
    // Kids that carry a /T are sub-fields; kids without are this field's widgets.
    let sub_fields: Vec<Object> = kids
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter(|k| {
            pdf.resolve(k)
                .ok()
                .and_then(|o| o.as_dict().map(|d| d.get(b"T").is_some()))
                .unwrap_or(false)
        })
        .cloned()
        .collect();
    if sub_fields.is_empty() {
        out.push(Field {
            obj: node.as_ref(),
            name,
            dict: dict.clone(),
            field_type: ft.map(<[u8]>::to_vec),
            value: v.cloned(),
        });
    } else {
        for k in &sub_fields {
            walk_field(pdf, k, &name, ft, v, depth + 1, seen, out)?;
        }
    }
    Ok(())
}
