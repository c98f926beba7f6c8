//! What a document allows after a signature (ISO 32000-2 §12.8.2): the certification level
//! (DocMDP) and the fields a signature locks (FieldMDP, and a field's `/Lock`). The signer
//! writes them and the verifier enforces them, so they live here, in the PDF layer, once.

use super::{Dict, Object, Pdf, PdfError, Source};

/// The DocMDP permission level of a certified document (`/Perms /DocMDP` → the signature's
/// `/Reference` → `/TransformParams /P`: 1 no changes, 2 form filling and signing,
/// 3 also annotations), or `None` when the document is not certified.
pub fn docmdp_level<S: Source>(pdf: &Pdf<S>, catalog: &Dict) -> Result<Option<i64>, PdfError> {
    let Some(perms) = pdf.resolve_dict(catalog, b"Perms")? else {
        return Ok(None);
    };
    let Some(docmdp) = pdf.resolve_dict(&perms, b"DocMDP")? else {
        return Ok(None);
    };
    let refs = pdf.resolve(docmdp.get(b"Reference").unwrap_or(&Object::Null))?;
    for r in refs.as_array().unwrap_or_default() {
        let Some(r) = pdf.resolve(r)?.as_dict().cloned() else {
            continue;
        };
        if r.name_is(b"TransformMethod", b"DocMDP") {
            let params = pdf.resolve_dict(&r, b"TransformParams")?.unwrap_or_default();
            // P defaults to 2 (ISO 32000-1 Table 254); out-of-range values count as 1.
            let p = params.get_int(b"P").unwrap_or(2);
            return Ok(Some(if (1..=3).contains(&p) { p } else { 1 }));
        }
    }
    // Certified without readable parameters: the strictest reading.
    Ok(Some(1))
}

/// The fields a signature locks (FieldMDP, ISO 32000-2 §12.8.2.4): changes to them after
/// that signature are not allowed, whatever else is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldLock {
    /// Every field.
    All,
    /// Only these (fully qualified names).
    Include(Vec<String>),
    /// All but these.
    Exclude(Vec<String>),
}

impl FieldLock {
    /// Whether the field named `name` is locked.
    pub fn covers(&self, name: &str) -> bool {
        match self {
            FieldLock::All => true,
            FieldLock::Include(v) => v.iter().any(|n| n == name),
            FieldLock::Exclude(v) => !v.iter().any(|n| n == name),
        }
    }

    /// The lock of a signature dictionary (its `/Reference` FieldMDP entry), if any.
    pub fn of_signature<S: Source>(pdf: &Pdf<S>, sig: &Dict) -> Option<FieldLock> {
        let refs = pdf.resolve(sig.get(b"Reference")?).ok()?;
        for r in refs.as_array().unwrap_or_default().iter().take(16) {
            let Some(r) = pdf.resolve(r).ok().and_then(|o| o.as_dict().cloned()) else {
                continue;
            };
            if !r.name_is(b"TransformMethod", b"FieldMDP") {
                continue;
            }
            let params = pdf.resolve(r.get(b"TransformParams")?).ok()?.as_dict()?.clone();
            return Some(Self::from_params(pdf, &params));
        }
        None
    }

    /// The lock a signature field asks of whoever signs it (its `/Lock` dictionary,
    /// ISO 32000-2 §12.7.5.5), if any.
    pub fn of_field<S: Source>(pdf: &Pdf<S>, field: &Dict) -> Option<FieldLock> {
        let lock = pdf.resolve(field.get(b"Lock")?).ok()?.as_dict()?.clone();
        Some(Self::from_params(pdf, &lock))
    }

    /// From FieldMDP transform parameters or a `/Lock` dictionary: both say `/Action` and
    /// `/Fields` the same way.
    fn from_params<S: Source>(pdf: &Pdf<S>, params: &Dict) -> FieldLock {
        let names = || -> Vec<String> {
            pdf.resolve(params.get(b"Fields").unwrap_or(&Object::Null))
                .ok()
                .and_then(|a| {
                    a.as_array().map(|a| {
                        a.iter()
                            .take(10_000)
                            .filter_map(Object::as_str_bytes)
                            .map(super::object::decode_text)
                            .collect()
                    })
                })
                .unwrap_or_default()
        };
        match params.get_name(b"Action") {
            Some(b"Include") => FieldLock::Include(names()),
            Some(b"Exclude") => FieldLock::Exclude(names()),
            _ => FieldLock::All,
        }
    }

    /// `/Action` and `/Fields` in a dictionary of type `kind` (`TransformParams` for the
    /// signature's FieldMDP, `SigFieldLock` for the field's `/Lock`).
    pub fn to_dict(&self, kind: &[u8]) -> Dict {
        let mut d = Dict::new();
        d.set(b"Type", Object::name(kind));
        let (action, names): (&[u8], &[String]) = match self {
            FieldLock::All => (b"All", &[]),
            FieldLock::Include(v) => (b"Include", v),
            FieldLock::Exclude(v) => (b"Exclude", v),
        };
        d.set(b"Action", Object::name(action));
        if !names.is_empty() {
            d.set(
                b"Fields",
                Object::Array(names.iter().map(|n| super::object::text_string(n)).collect()),
            );
        }
        d
    }
}
