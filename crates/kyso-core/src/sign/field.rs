//! The signature field: sign into an existing empty field, or add a new invisible one
//! (field and widget merged, on page 1, in the AcroForm with `/SigFlags 3`).

use crate::pdf::object::text_string;
use crate::pdf::permissions::FieldLock;
use crate::pdf::writer::Update;
use crate::pdf::{self, Dict, ObjRef, Object, Pdf, Source};
use crate::Error;

/// Refuses to sign a document certified with "no changes allowed" (DocMDP P=1, ISO 32000-2
/// §12.8.2.2): a new signature would invalidate the certification.
pub fn refuse_if_locked<S: Source>(pdf: &Pdf<S>, catalog: &Dict) -> Result<(), Error> {
    if pdf::permissions::docmdp_level(pdf, catalog)? == Some(1) {
        return Err(Error::CertifiedNoChanges);
    }
    Ok(())
}

/// A visible widget: its page (0-based), `/Rect` in page coordinates, appearance stream.
#[derive(Clone, Copy, Debug)]
pub struct Visible {
    /// Page index.
    pub page: usize,
    /// `/Rect`.
    pub rect: [f32; 4],
    /// The `/AP /N` form XObject.
    pub ap: ObjRef,
}

fn rect_object(r: [f32; 4]) -> Object {
    Object::Array(
        r.iter()
            .map(|v| Object::Real(format!("{v:.3}").into_bytes()))
            .collect(),
    )
}

fn appearance_dict(ap: ObjRef) -> Object {
    let mut d = Dict::new();
    d.set(b"N", Object::Ref(ap));
    Object::Dict(d)
}

/// An existing, empty signature field named `name`: its page (0-based) and rectangle, when
/// it has a visible one.
pub fn existing_widget<S: Source>(
    pdf: &Pdf<S>,
    catalog: &Dict,
    name: &str,
) -> Result<Option<(usize, [f32; 4])>, Error> {
    match pdf::fields(pdf, catalog)?.into_iter().find(|f| f.name == name) {
        Some(f) => existing_widget_of(pdf, catalog, &f),
        None => Ok(None),
    }
}

fn existing_widget_of<S: Source>(
    pdf: &Pdf<S>,
    catalog: &Dict,
    f: &pdf::Field,
) -> Result<Option<(usize, [f32; 4])>, Error> {
    let r: Vec<f32> = f
        .dict
        .get(b"Rect")
        .and_then(|r| pdf.resolve(r).ok())
        .and_then(|r| {
            r.as_array()
                .map(|a| a.iter().filter_map(|v| v.as_f64()).map(|v| v as f32).collect())
        })
        .unwrap_or_default();
    let [a, b, c, d] = r.as_slice() else {
        return Ok(None);
    };
    if (c - a).abs() < 1.0 || (d - b).abs() < 1.0 {
        return Ok(None);
    }
    let page = f.dict.get(b"P").and_then(Object::as_ref);
    let index = pdf::page_refs(pdf, catalog, 100_000)
        .iter()
        .position(|p| Some(*p) == page)
        .unwrap_or(0);
    Ok(Some((index, [a.min(*c), b.min(*d), a.max(*c), b.max(*d)])))
}

/// The last signed field with a visible box: its page (0-based) and `/Rect`.
pub fn last_visible_signature<S: Source>(
    pdf: &Pdf<S>,
    catalog: &Dict,
) -> Result<Option<(usize, [f32; 4])>, Error> {
    let mut found = None;
    for f in pdf::fields(pdf, catalog)? {
        if f.field_type.as_deref() != Some(b"Sig") || f.value.is_none() {
            continue;
        }
        if let Some(w) = existing_widget_of(pdf, catalog, &f)? {
            found = Some(w);
        }
    }
    Ok(found)
}

/// Where a signature goes.
pub struct Target<'a> {
    /// The field's name: an existing empty signature field, or the new field's.
    pub name: Option<&'a str>,
    /// Where and how it shows (invisible when `None`).
    pub visible: Option<Visible>,
    /// The fields the signature locks, recorded on the field as `/Lock` too (what form
    /// software enforces while filling; validators read the signature's FieldMDP).
    pub lock: Option<&'a FieldLock>,
}

/// Puts the signature `sig` into the field `target` names (existing, empty) or into a new
/// field; returns the field's name.
pub fn attach<S: Source>(
    pdf: &Pdf<S>,
    catalog: &Dict,
    cat_ref: ObjRef,
    update: &mut Update,
    sig: ObjRef,
    target: Target<'_>,
) -> Result<String, Error> {
    let Target {
        name: wanted,
        visible,
        lock,
    } = target;
    let fields = pdf::fields(pdf, catalog)?;
    if let Some(name) = wanted {
        if let Some(f) = fields.iter().find(|f| f.name == name) {
            if f.field_type.as_deref() != Some(b"Sig") {
                return Err(Error::FieldNotSignature(name.to_string()));
            }
            if f.value.is_some() {
                return Err(Error::FieldAlreadySigned(name.to_string()));
            }
            let r = f.obj.ok_or(Error::FieldNotSignature(name.to_string()))?;
            let mut d = f.dict.clone();
            d.set(b"V", Object::Ref(sig));
            if let Some(v) = visible {
                d.set(b"AP", appearance_dict(v.ap));
            }
            if let (Some(l), None) = (lock, d.get(b"Lock")) {
                d.set(b"Lock", Object::Dict(l.to_dict(b"SigFieldLock")));
            }
            update.put(r, Object::Dict(d));
            ensure_sig_flags(pdf, catalog, cat_ref, update, None)?;
            return Ok(name.to_string());
        }
    }
    let name = match wanted {
        Some(n) => n.to_string(),
        None => (1..)
            .map(|i| format!("Signature{i}"))
            .find(|n| !fields.iter().any(|f| &f.name == n))
            .unwrap_or_else(|| "Signature".into()),
    };
    if name.contains('.') {
        return Err(crate::error::Refusal::FieldName.into());
    }
    let (page_ref, mut page) = pdf::page(pdf, catalog, visible.map_or(0, |v| v.page))?;
    let field_ref = update.alloc();
    let mut widget = Dict::new();
    widget.set(b"Type", Object::name(b"Annot"));
    widget.set(b"Subtype", Object::name(b"Widget"));
    widget.set(b"FT", Object::name(b"Sig"));
    widget.set(b"T", text_string(&name));
    widget.set(b"V", Object::Ref(sig));
    // Print + Locked; a zero rectangle makes it invisible (ISO 32000-2 §12.7.5.5).
    widget.set(b"F", Object::Int(132));
    match visible {
        Some(v) => {
            widget.set(b"Rect", rect_object(v.rect));
            widget.set(b"AP", appearance_dict(v.ap));
        }
        None => widget.set(b"Rect", Object::Array(vec![Object::Int(0); 4])),
    }
    widget.set(b"P", Object::Ref(page_ref));
    if let Some(l) = lock {
        widget.set(b"Lock", Object::Dict(l.to_dict(b"SigFieldLock")));
    }
    update.put(field_ref, Object::Dict(widget));

    // Page /Annots: direct array, array object, or none.
    if push_ref(pdf, update, &mut page, b"Annots", field_ref)? {
        update.put(page_ref, Object::Dict(page));
    }
    ensure_sig_flags(pdf, catalog, cat_ref, update, Some(field_ref))?;
    Ok(name)
}

/// Appends `r` to the array `dict[key]`, which may be direct, an array object, or absent.
/// Returns whether `dict` itself changed (an array object is rewritten on its own).
fn push_ref<S: Source>(
    pdf: &Pdf<S>,
    update: &mut Update,
    dict: &mut Dict,
    key: &[u8],
    r: ObjRef,
) -> Result<bool, Error> {
    match dict.get(key).cloned() {
        Some(Object::Ref(arr_ref)) => {
            let mut arr = pdf
                .get(arr_ref)?
                .as_array()
                .map(<[Object]>::to_vec)
                .unwrap_or_default();
            arr.push(Object::Ref(r));
            update.put(arr_ref, Object::Array(arr));
            Ok(false)
        }
        Some(Object::Array(mut arr)) => {
            arr.push(Object::Ref(r));
            dict.set(key, Object::Array(arr));
            Ok(true)
        }
        _ => {
            dict.set(key, Object::Array(vec![Object::Ref(r)]));
            Ok(true)
        }
    }
}

/// Adds `new_field` to `/AcroForm /Fields` (creating the AcroForm if needed) and sets
/// `/SigFlags 3` (SignaturesExist | AppendOnly).
fn ensure_sig_flags<S: Source>(
    pdf: &Pdf<S>,
    catalog: &Dict,
    cat_ref: ObjRef,
    update: &mut Update,
    new_field: Option<ObjRef>,
) -> Result<(), Error> {
    let (form_ref, mut form) = match catalog.get(b"AcroForm") {
        Some(Object::Ref(r)) => (Some(*r), pdf.get(*r)?.as_dict().cloned().unwrap_or_default()),
        Some(Object::Dict(d)) => (None, d.clone()),
        _ => (None, Dict::new()),
    };
    if let Some(f) = new_field {
        push_ref(pdf, update, &mut form, b"Fields", f)?;
    }
    let flags = form.get_int(b"SigFlags").unwrap_or(0) | 3;
    form.set(b"SigFlags", Object::Int(flags));
    match form_ref {
        Some(r) => update.put(r, Object::Dict(form)),
        None => {
            let r = update.add(Object::Dict(form));
            let mut cat = catalog.clone();
            cat.set(b"AcroForm", Object::Ref(r));
            update.put(cat_ref, Object::Dict(cat));
        }
    }
    Ok(())
}
