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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::pdf::writer::Base;
    use crate::testkit::pdf::{base, Doc};

    /// `base()` with signature fields: `Empty` (unsigned, visible, rectangle written
    /// corner-swapped), `Hidden` (signed, zero rectangle) and `Leader` (signed, visible).
    fn with_sig_fields() -> Doc {
        base().update(&[
            (8, "<</Fields[6 0 R 9 0 R 10 0 R 11 0 R]/DA(/Helv 12 Tf 0 g)>>"),
            (
                9,
                "<</Type/Annot/Subtype/Widget/FT/Sig/T(Empty)/F 4/Rect[250 620 50 600]/P 3 0 R>>",
            ),
            (
                10,
                "<</Type/Annot/Subtype/Widget/FT/Sig/T(Leader)/V 12 0 R/F 4/Rect[300 100 500 160]/P 3 0 R>>",
            ),
            (
                11,
                "<</Type/Annot/Subtype/Widget/FT/Sig/T(Hidden)/V 12 0 R/F 4/Rect[0 0 0 0]/P 3 0 R>>",
            ),
            (12, "<</Type/Sig>>"),
        ])
    }

    fn code(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
        r.expect_err("a refusal").code()
    }

    #[test]
    fn only_no_changes_certification_locks_the_document() {
        let pdf = base().pdf();
        let (_, cat) = pdf::catalog(&pdf).unwrap();
        refuse_if_locked(&pdf, &cat).unwrap();
        for (p, locked) in [("1", true), ("2", false), ("3", false), ("0", true)] {
            let doc = base().update(&[
                (
                    1,
                    "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R/Perms<</DocMDP 9 0 R>>>>",
                ),
                (
                    9,
                    &format!(
                        "<</Type/Sig/Reference[<</TransformMethod/DocMDP/TransformParams<</P {p}>>>>]>>"
                    ),
                ),
            ]);
            let pdf = doc.pdf();
            let (_, cat) = pdf::catalog(&pdf).unwrap();
            let r = refuse_if_locked(&pdf, &cat);
            assert_eq!(r.is_err(), locked, "P {p}");
            if locked {
                assert_eq!(code(r), "CERTIFIED_NO_CHANGES");
            }
        }
    }

    #[test]
    fn an_existing_widget_gives_its_page_and_normalised_rectangle() {
        let pdf = with_sig_fields().pdf();
        let (_, cat) = pdf::catalog(&pdf).unwrap();
        assert_eq!(
            existing_widget(&pdf, &cat, "Empty").unwrap(),
            Some((0, [50.0, 600.0, 250.0, 620.0]))
        );
        // A zero rectangle is an invisible field; an unknown name is no field.
        assert_eq!(existing_widget(&pdf, &cat, "Hidden").unwrap(), None);
        assert_eq!(existing_widget(&pdf, &cat, "Nobody").unwrap(), None);
    }

    #[test]
    fn the_last_visible_signature_skips_empty_and_invisible_fields() {
        let pdf = with_sig_fields().pdf();
        let (_, cat) = pdf::catalog(&pdf).unwrap();
        assert_eq!(
            last_visible_signature(&pdf, &cat).unwrap(),
            Some((0, [300.0, 100.0, 500.0, 160.0]))
        );
        let pdf = base().pdf();
        let (_, cat) = pdf::catalog(&pdf).unwrap();
        assert_eq!(last_visible_signature(&pdf, &cat).unwrap(), None);
    }

    /// Attaches a signature dictionary to `doc` as `target` asks, writes the update, and
    /// reopens the result.
    fn attached(doc: &Doc, name: Option<&str>) -> Result<(String, Pdf<Vec<u8>>, ObjRef), Error> {
        let pdf = doc.pdf();
        let (cat_ref, cat) = pdf::catalog(&pdf).unwrap();
        let mut update = Update::new(pdf.size());
        let sig = update.add(Object::Dict(Dict::new()));
        let target = Target {
            name,
            visible: None,
            lock: None,
        };
        let field = attach(&pdf, &cat, cat_ref.unwrap(), &mut update, sig, target)?;
        let written = update.write(&Base::of(&pdf)).unwrap();
        let bytes = [doc.bytes(), &written.bytes].concat();
        Ok((field, Pdf::open(bytes).unwrap(), sig))
    }

    #[test]
    fn a_new_invisible_field_is_added_to_the_page_and_the_form() {
        let (name, pdf, sig) = attached(&base(), None).unwrap();
        assert_eq!(name, "Signature1");
        let (_, cat) = pdf::catalog(&pdf).unwrap();
        let fields = pdf::fields(&pdf, &cat).unwrap();
        let f = fields.iter().find(|f| f.name == "Signature1").unwrap();
        assert_eq!(f.value, Some(Object::Ref(sig)));
        assert_eq!(f.dict.get_int(b"F"), Some(132), "print + locked");
        assert_eq!(f.dict.get(b"Rect"), Some(&Object::Array(vec![Object::Int(0); 4])));
        let form = pdf.resolve_dict(&cat, b"AcroForm").unwrap().unwrap();
        assert_eq!(form.get_int(b"SigFlags"), Some(3));
        let (_, page) = pdf::page(&pdf, &cat, 0).unwrap();
        let annots = page.get(b"Annots").and_then(Object::as_array).unwrap();
        assert_eq!(annots.len(), 2, "the text field's widget and the signature's");
        assert!(annots.contains(&Object::Ref(f.obj.unwrap())));
    }

    #[test]
    fn an_existing_empty_signature_field_is_filled_in_place() {
        let (name, pdf, sig) = attached(&with_sig_fields(), Some("Empty")).unwrap();
        assert_eq!(name, "Empty");
        let (_, cat) = pdf::catalog(&pdf).unwrap();
        let fields = pdf::fields(&pdf, &cat).unwrap();
        assert_eq!(fields.len(), 4, "no field added");
        let f = fields.iter().find(|f| f.name == "Empty").unwrap();
        assert_eq!(f.obj, Some(ObjRef { num: 9, gen: 0 }));
        assert_eq!(f.value, Some(Object::Ref(sig)));
    }

    #[test]
    fn a_field_that_cannot_take_the_signature_is_refused() {
        let doc = with_sig_fields();
        assert_eq!(
            code(attached(&doc, Some("SoVanBan")).map(|x| x.0)),
            "FIELD_NOT_SIGNATURE"
        );
        assert_eq!(code(attached(&doc, Some("Leader")).map(|x| x.0)), "FIELD_SIGNED");
        let r = attached(&doc, Some("a.b"));
        assert!(
            matches!(r, Err(Error::Policy(crate::error::Refusal::FieldName))),
            "{:?}",
            r.map(|x| x.0)
        );
    }
}
