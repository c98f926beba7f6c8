//! What changed after a signature: every object written by a later revision is compared with
//! its version in the signed revision and judged against a whitelist (as pyHanko's diff
//! policy and EU DSS do). Allowed: new signatures (signature dictionaries, signature fields
//! and their widgets and appearances), the DSS, and the bookkeeping those need (AcroForm
//! `/Fields` and `/SigFlags`, page `/Annots` gaining entries, the catalog gaining `/AcroForm`,
//! `/DSS`, `/Extensions`). Anything else — page content, resources, fonts, images, the page
//! tree, a different `/Root`, deleted objects, an object number re-pointed at other content —
//! is reported with the objects and pages concerned. This is what exposes shadow attacks:
//! the signed bytes stay intact, but the document the reader shows has changed.
//!
//! A certified document's DocMDP level moves the line (ISO 32000-2 §12.8.2.2): P=1 allows no
//! new signature (only DSS and document timestamps, as PAdES permits); P=2 also allows
//! filling in form fields (values and their appearances); P=3 also annotations. Without a
//! certification Kyso stays strict: filled-in values change what the approver signed.

use std::collections::{BTreeSet, HashSet};

use crate::pdf::permissions::FieldLock;
use crate::pdf::reader::XrefEntry;
use crate::pdf::{Dict, ObjRef, Object, Pdf, PdfError, Source};

/// How serious a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Not allowed: the displayed document may differ from what was signed.
    Forbidden,
    /// Suspicious but common (an annotation added): the clerk should look.
    Suspicious,
}

/// One change found.
#[derive(Clone, Debug)]
pub struct Change {
    /// Object number.
    pub object: u32,
    /// Page number (1-based) the object belongs to, when it is a page.
    pub page: Option<usize>,
    /// What changed (English).
    pub what: String,
    /// What changed (Vietnamese).
    pub what_vi: String,
    /// Severity.
    pub severity: Severity,
}

/// Result of the comparison.
#[derive(Clone, Debug, Default)]
pub struct DiffOutcome {
    /// Changes that are not plain new signatures/DSS.
    pub changes: Vec<Change>,
    /// Number of objects examined.
    pub examined: usize,
}

/// The object `num` as it was in section `idx` (sections are newest first): the first
/// entry found from `idx` onwards.
fn entry_as_of<S: Source>(pdf: &Pdf<S>, num: u32, idx: usize) -> Option<XrefEntry> {
    pdf.sections
        .get(idx..)?
        .iter()
        .find_map(|s| s.entries.get(&num).copied())
}

fn is_signature_related(d: &Dict) -> bool {
    d.name_is(b"Type", b"Sig")
        || d.name_is(b"Type", b"DocTimeStamp")
        || d.name_is(b"FT", b"Sig")
        || d.name_is(b"Type", b"XRef")
        || d.name_is(b"Type", b"ObjStm")
}

/// Keys whose value may change on the catalog when signatures or a DSS are added (and the
/// XMP metadata, which is not rendered).
/// `/Version` may rise (a newer feature such as a PAdES extension needs it); nothing drawn
/// depends on it.
const CATALOG_ALLOWED: &[&[u8]] = &[b"AcroForm", b"DSS", b"Extensions", b"Metadata", b"Version"];
/// Keys an AcroForm may change: the fields list, signature flags, and the default
/// resources and appearance used to draw new fields (each field's own appearance is judged
/// separately).
const ACROFORM_ALLOWED: &[&[u8]] = &[b"Fields", b"SigFlags", b"DR", b"DA"];
/// Keys a signature field may change (signing an empty field, its appearance).
const SIGFIELD_ALLOWED: &[&[u8]] = &[b"V", b"AP", b"AS", b"F"];

/// Keys that differ between two dictionaries (by value, see [`equivalent`]).
fn changed_keys(old: &Dict, new: &Dict) -> Vec<Vec<u8>> {
    let mut keys: BTreeSet<Vec<u8>> = old.0.iter().map(|(k, _)| k.clone()).collect();
    keys.extend(new.0.iter().map(|(k, _)| k.clone()));
    keys.into_iter()
        .filter(|k| match (old.get(k), new.get(k)) {
            (Some(a), Some(b)) => !equivalent(a, b, 0),
            (a, b) => a.is_some() != b.is_some(),
        })
        .collect()
}

/// Same value as a reader sees it: `612` and `612.0` are one number, dictionary key order
/// and string notation (hex or literal) do not matter. Streams are compared where they are
/// (a rewritten stream counts as changed).
fn equivalent(a: &Object, b: &Object, depth: usize) -> bool {
    if depth > 32 {
        return a == b;
    }
    match (a, b) {
        (Object::Int(_) | Object::Real(_), Object::Int(_) | Object::Real(_)) => {
            match (a.as_f64(), b.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-9,
                _ => a == b,
            }
        }
        (Object::Str(x), Object::Str(y)) => x.bytes == y.bytes,
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q, depth + 1))
        }
        (Object::Dict(x), Object::Dict(y)) => dicts_equivalent(x, y, depth),
        _ => a == b,
    }
}

fn dicts_equivalent(x: &Dict, y: &Dict, depth: usize) -> bool {
    x.0.len() == y.0.len()
        && x.0
            .iter()
            .all(|(k, v)| y.get(k).is_some_and(|w| equivalent(v, w, depth + 1)))
}

/// `new` keeps every element of `old` (entries were only added).
fn is_superset(old: Option<&[Object]>, new: Option<&[Object]>) -> bool {
    let old = old.unwrap_or_default();
    let new = new.unwrap_or_default();
    old.iter().all(|o| new.contains(o))
}

fn name_list(keys: &[Vec<u8>]) -> String {
    keys.iter()
        .map(|k| format!("/{}", String::from_utf8_lossy(k)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keys a form field or its widget may change when form filling is permitted.
const FORMFILL_ALLOWED: &[&[u8]] = &[b"V", b"AP", b"AS", b"M"];

/// Compares everything written after the revision in section `signed_idx`; `docmdp` is the
/// certification level in force, if the document is certified.
pub fn analyse<S: Source>(
    pdf: &Pdf<S>,
    signed_idx: usize,
    docmdp: Option<i64>,
    lock: Option<&FieldLock>,
) -> Result<DiffOutcome, PdfError> {
    let form_fill = matches!(docmdp, Some(2 | 3));
    let annotations = docmdp == Some(3);
    let mut out = DiffOutcome::default();
    if signed_idx == 0 {
        return Ok(out);
    }
    let later = pdf.sections.get(..signed_idx).unwrap_or_default();
    let nums: BTreeSet<u32> = later.iter().flat_map(|s| s.entries.keys().copied()).collect();
    let signed_trailer = pdf
        .sections
        .get(signed_idx)
        .map(|s| s.trailer.clone())
        .unwrap_or_default();
    let (old_root, new_root) = (signed_trailer.get(b"Root"), pdf.trailer().get(b"Root"));
    if old_root != new_root {
        // Some writers (e-Szigno) save the catalog under a new number in every update: judge
        // the new catalog against the old one key by key, like an updated catalog.
        let fetch = |r: Option<&Object>, idx: usize| {
            r.and_then(Object::as_ref)
                .and_then(|r| get_at(pdf, r.num, idx).ok())
                .and_then(|o| o.as_dict().cloned())
        };
        let what = match (fetch(old_root, signed_idx), fetch(new_root, 0)) {
            (Some(o), Some(n)) => {
                let bad: Vec<Vec<u8>> = changed_keys(&o, &n)
                    .into_iter()
                    .filter(|k| !CATALOG_ALLOWED.contains(&k.as_slice()))
                    .collect();
                (!bad.is_empty()).then(|| {
                    (
                        format!(
                            "the document catalog (/Root) was replaced and changed: {}",
                            name_list(&bad)
                        ),
                        format!(
                            "danh mục tài liệu (/Root) bị thay thế và sửa: {}",
                            name_list(&bad)
                        ),
                    )
                })
            }
            _ => Some((
                "the document catalog (/Root) was replaced".into(),
                "danh mục tài liệu (/Root) bị thay thế".into(),
            )),
        };
        if let Some((what, what_vi)) = what {
            out.changes.push(Change {
                object: new_root.and_then(Object::as_ref).map_or(0, |r| r.num),
                page: None,
                what,
                what_vi,
                severity: Severity::Forbidden,
            });
        }
    }
    // Pages as of the signed revision, to name pages in findings.
    let pages = page_numbers(pdf);
    let catalog_num = signed_trailer
        .get(b"Root")
        .and_then(Object::as_ref)
        .map(|r| r.num);
    let acroform_num = catalog_num
        .and_then(|c| get_at(pdf, c, signed_idx).ok())
        .and_then(|o| {
            o.as_dict()
                .and_then(|d| d.get(b"AcroForm"))
                .and_then(Object::as_ref)
        })
        .map(|r| r.num);
    // Arrays referenced as /Annots of pages or /Fields of the AcroForm may grow.
    let mut growable: HashSet<u32> = HashSet::new();
    for (pnum, _) in &pages {
        if let Ok(Some(d)) = get_at(pdf, *pnum, signed_idx).map(|o| o.as_dict().cloned()) {
            if let Some(r) = d.get(b"Annots").and_then(Object::as_ref) {
                growable.insert(r.num);
            }
        }
    }
    if let Some(Ok(Some(d))) = acroform_num.map(|n| get_at(pdf, n, signed_idx).map(|o| o.as_dict().cloned()))
    {
        if let Some(r) = d.get(b"Fields").and_then(Object::as_ref) {
            growable.insert(r.num);
        }
    }
    // The document information dictionary and the XMP metadata stream are not rendered:
    // signing tools update /ModDate and /Producer there, which changes nothing shown.
    let mut metadata: HashSet<u32> = HashSet::new();
    for t in [&signed_trailer, pdf.trailer()] {
        if let Some(r) = t.get(b"Info").and_then(Object::as_ref) {
            metadata.insert(r.num);
        }
    }
    if let Some(c) = catalog_num {
        for idx in [signed_idx, 0] {
            if let Some(r) = get_at(pdf, c, idx).ok().and_then(|o| {
                o.as_dict()
                    .and_then(|d| d.get(b"Metadata"))
                    .and_then(Object::as_ref)
            }) {
                metadata.insert(r.num);
            }
        }
    }
    let bookkeeping = bookkeeping_objects(pdf, catalog_num, signed_idx);
    // Field objects by number, with their names, for the signature's field lock.
    let locked: std::collections::HashMap<u32, String> = match lock {
        Some(l) => crate::pdf::catalog(pdf)
            .ok()
            .and_then(|(_, c)| crate::pdf::fields(pdf, &c).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|f| l.covers(&f.name))
            .filter_map(|f| f.obj.map(|r| (r.num, f.name)))
            .collect(),
        None => Default::default(),
    };
    let appearances = if form_fill {
        widget_appearances(pdf, &pages)
    } else {
        HashSet::new()
    };
    for num in nums {
        out.examined += 1;
        if metadata.contains(&num) {
            continue;
        }
        let old_entry = entry_as_of(pdf, num, signed_idx);
        let page = pages.iter().find(|(n, _)| *n == num).map(|(_, p)| *p);
        let new_obj = match pdf.get(ObjRef::new(num, 0)) {
            Ok(o) => o,
            Err(e) => {
                // A later cross-reference entry that points an object number at other data
                // is itself a manipulation (a known shadow-attack technique).
                out.changes.push(Change {
                    object: num,
                    page,
                    what: format!("a later cross-reference entry points at unreadable or foreign data ({e})"),
                    what_vi: format!(
                        "một mục tham chiếu chéo thêm sau trỏ tới dữ liệu lạ hoặc không đọc được ({e})"
                    ),
                    severity: Severity::Forbidden,
                });
                continue;
            }
        };
        let existed = matches!(
            old_entry,
            Some(XrefEntry::Offset(..) | XrefEntry::InStream { .. })
        );
        if !existed {
            // New objects matter only through the existing objects that point at them,
            // which are judged below; annotations are worth a note.
            if let Some(d) = new_obj.as_dict() {
                if docmdp == Some(1) && d.name_is(b"Type", b"Sig") {
                    out.changes.push(Change {
                        object: num,
                        page: None,
                        what: "a signature was added to a document certified with no changes allowed".into(),
                        what_vi: "một chữ ký được thêm vào tài liệu đã chứng thực không cho phép thay đổi"
                            .into(),
                        severity: Severity::Forbidden,
                    });
                }
                if d.name_is(b"Type", b"Annot")
                    && !annotations
                    && !d.name_is(b"FT", b"Sig")
                    && !d.name_is(b"Subtype", b"Widget")
                {
                    out.changes.push(Change {
                        object: num,
                        page: None,
                        what: format!(
                            "an annotation (/{}) was added after signing",
                            String::from_utf8_lossy(d.get_name(b"Subtype").unwrap_or(b"?"))
                        ),
                        what_vi: format!(
                            "một chú thích (/{}) được thêm sau khi ký",
                            String::from_utf8_lossy(d.get_name(b"Subtype").unwrap_or(b"?"))
                        ),
                        // Certified documents say exactly what is allowed; otherwise an
                        // added note is worth a look, not a failure.
                        severity: if docmdp.is_some() {
                            Severity::Forbidden
                        } else {
                            Severity::Suspicious
                        },
                    });
                }
            }
            continue;
        }
        let Ok(old_obj) = get_at(pdf, num, signed_idx) else {
            continue; // unreadable in the signed revision: nothing signed to compare with
        };
        if equivalent(&old_obj, &new_obj, 0) {
            continue;
        }
        if matches!(new_obj, Object::Null) {
            out.changes.push(Change {
                object: num,
                page,
                what: "an object of the signed document was deleted".into(),
                what_vi: "một đối tượng của tài liệu đã ký bị xoá".into(),
                severity: Severity::Forbidden,
            });
            continue;
        }
        let forbidden = |(what, what_vi): (String, String)| Change {
            object: num,
            page,
            what,
            what_vi,
            severity: Severity::Forbidden,
        };
        if let Some(name) = locked.get(&num) {
            out.changes.push(forbidden((
                format!("the field \"{name}\" locked by this signature was changed"),
                format!("trường \"{name}\" đã bị khoá bởi chữ ký này nhưng vẫn bị sửa"),
            )));
            continue;
        }
        // Validation data (DSS, its arrays and VRI) is added to by every LTV update, and
        // the catalog's /Extensions by writers declaring a PAdES/ISO extension.
        if bookkeeping.contains(&num)
            && matches!(old_obj, Object::Dict(_) | Object::Array(_))
            && matches!(new_obj, Object::Dict(_) | Object::Array(_))
        {
            continue;
        }
        match (old_obj.as_dict(), new_obj.as_dict(), &old_obj, &new_obj) {
            (_, _, Object::Array(a), Object::Array(b)) if growable.contains(&num) => {
                if !is_superset(Some(a), Some(b)) {
                    out.changes.push(forbidden((
                        "entries were removed from an annotation or field list".into(),
                        "có mục bị xoá khỏi danh sách chú thích hoặc trường".into(),
                    )));
                }
            }
            (Some(o), Some(n), Object::Dict(_), Object::Dict(_)) => {
                let keys = changed_keys(o, n);
                let allowed: &[&[u8]] = if Some(num) == catalog_num {
                    CATALOG_ALLOWED
                } else if Some(num) == acroform_num {
                    ACROFORM_ALLOWED
                } else if page.is_some() {
                    &[b"Annots"]
                } else if o.name_is(b"FT", b"Sig") && o.get(b"V").is_none() {
                    SIGFIELD_ALLOWED
                } else if form_fill && is_form_field(o) {
                    FORMFILL_ALLOWED
                } else if annotations && o.name_is(b"Type", b"Annot") && !o.name_is(b"Subtype", b"Widget") {
                    // P=3: annotations may be modified; the keys are its own.
                    continue;
                } else {
                    &[]
                };
                let bad: Vec<Vec<u8>> = keys
                    .iter()
                    .filter(|k| !allowed.contains(&k.as_slice()))
                    .cloned()
                    .collect();
                if !bad.is_empty() {
                    let (kind, kind_vi) = if page.is_some() {
                        ("page".to_string(), "trang".to_string())
                    } else if Some(num) == catalog_num {
                        ("document catalog".into(), "danh mục tài liệu".into())
                    } else {
                        describe(o)
                    };
                    out.changes.push(forbidden((
                        format!("{kind} changed: {}", name_list(&bad)),
                        format!("{kind_vi} bị sửa: {}", name_list(&bad)),
                    )));
                    continue;
                }
                // Lists that may only grow.
                for list in [&b"Annots"[..], b"Fields"] {
                    if keys.iter().any(|k| k == list) {
                        let (a, b) = (o.get(list), n.get(list));
                        let direct =
                            matches!((a, b), (Some(Object::Array(_)) | None, Some(Object::Array(_))));
                        if direct && !is_superset(a.and_then(Object::as_array), b.and_then(Object::as_array))
                        {
                            let l = String::from_utf8_lossy(list);
                            out.changes.push(forbidden((
                                format!("entries were removed from /{l}"),
                                format!("có mục bị xoá khỏi /{l}"),
                            )));
                        }
                    }
                }
            }
            _ => {
                if appearances.contains(&num) {
                    continue; // a form field's redrawn appearance, permitted by P=2/3
                }
                let what = match old_obj.as_dict() {
                    Some(d) if is_signature_related(d) => continue,
                    Some(d) => {
                        let (en, vi) = describe(d);
                        (format!("{en} changed"), format!("{vi} bị sửa"))
                    }
                    None => (
                        "an object of the signed document changed".into(),
                        "một đối tượng của tài liệu đã ký bị sửa".into(),
                    ),
                };
                out.changes.push(forbidden(what));
            }
        }
    }
    Ok(out)
}

fn is_form_field(d: &Dict) -> bool {
    (d.get(b"FT").is_some() || d.get(b"T").is_some() || d.name_is(b"Subtype", b"Widget"))
        && !d.name_is(b"FT", b"Sig")
}

/// Appearance streams of the widgets on the pages (`/AP` `/N` `/R` `/D`, each a stream or a
/// dictionary of state streams): what form filling redraws.
fn widget_appearances<S: Source>(pdf: &Pdf<S>, pages: &[(u32, usize)]) -> HashSet<u32> {
    let mut out = HashSet::new();
    for (pnum, _) in pages {
        let Ok(page) = pdf.get(ObjRef::new(*pnum, 0)) else {
            continue;
        };
        let annots = page
            .as_dict()
            .and_then(|d| d.get(b"Annots"))
            .and_then(|a| pdf.resolve(a).ok());
        for a in annots
            .as_ref()
            .and_then(Object::as_array)
            .unwrap_or_default()
            .iter()
            .take(10_000)
        {
            let Some(w) = pdf.resolve(a).ok().and_then(|o| o.as_dict().cloned()) else {
                continue;
            };
            if !w.name_is(b"Subtype", b"Widget") || w.name_is(b"FT", b"Sig") {
                continue;
            }
            let Some(ap) = w.get(b"AP").and_then(|ap| pdf.resolve(ap).ok()) else {
                continue;
            };
            for (_, v) in ap.as_dict().map(|d| d.0.as_slice()).unwrap_or_default() {
                if let Some(r) = v.as_ref() {
                    out.insert(r.num);
                }
                if let Ok(Object::Dict(states)) = pdf.resolve(v) {
                    out.extend(states.0.iter().filter_map(|(_, s)| s.as_ref()).map(|r| r.num));
                }
            }
        }
    }
    out
}

/// Object numbers of the catalog's bookkeeping, in the signed and the current revision:
/// `/Extensions`, and the document security store — the `/DSS` dictionary, its `/Certs`
/// `/CRLs` `/OCSPs` arrays, `/VRI` and the VRI entries.
fn bookkeeping_objects<S: Source>(pdf: &Pdf<S>, catalog: Option<u32>, signed_idx: usize) -> HashSet<u32> {
    let mut out = HashSet::new();
    let Some(c) = catalog else { return out };
    for idx in [signed_idx, 0] {
        let cat = get_at(pdf, c, idx).ok();
        let entry = |k: &[u8]| {
            cat.as_ref()
                .and_then(|o| o.as_dict().and_then(|d| d.get(k)).and_then(Object::as_ref))
        };
        if let Some(r) = entry(b"Extensions") {
            out.insert(r.num);
        }
        let Some(dss_ref) = entry(b"DSS") else {
            continue;
        };
        out.insert(dss_ref.num);
        let Ok(Object::Dict(dss)) = get_at(pdf, dss_ref.num, idx) else {
            continue;
        };
        for key in [&b"Certs"[..], b"CRLs", b"OCSPs", b"VRI"] {
            let Some(r) = dss.get(key).and_then(Object::as_ref) else {
                continue;
            };
            out.insert(r.num);
            if key == b"VRI" {
                if let Ok(Object::Dict(vri)) = get_at(pdf, r.num, idx) {
                    out.extend(vri.0.iter().filter_map(|(_, v)| v.as_ref()).map(|r| r.num));
                }
            }
        }
    }
    out
}

/// What kind of object this is, for people (English, Vietnamese).
fn describe(d: &Dict) -> (String, String) {
    let t = d
        .get_name(b"Type")
        .map(|t| String::from_utf8_lossy(t).into_owned());
    let s = d
        .get_name(b"Subtype")
        .map(|t| String::from_utf8_lossy(t).into_owned());
    match (t, s) {
        (_, Some(s)) if s == "Image" => ("an image".into(), "một hình ảnh".into()),
        (_, Some(s)) if s == "Form" => (
            "a form XObject (drawn content)".into(),
            "một khối nội dung vẽ (form XObject)".into(),
        ),
        (Some(t), _) if t == "Font" => ("a font".into(), "một phông chữ".into()),
        (Some(t), Some(s)) => (format!("a /{t} /{s} object"), format!("một đối tượng /{t} /{s}")),
        (Some(t), None) => (format!("a /{t} object"), format!("một đối tượng /{t}")),
        (None, Some(s)) => (format!("a /{s} object"), format!("một đối tượng /{s}")),
        (None, None) if d.get(b"Length").is_some() => {
            ("a content stream".into(), "một luồng nội dung trang".into())
        }
        (None, None) => ("a dictionary".into(), "một từ điển dữ liệu".into()),
    }
}

/// Fetches object `num` as of section `idx`.
fn get_at<S: Source>(pdf: &Pdf<S>, num: u32, idx: usize) -> Result<Object, PdfError> {
    match entry_as_of(pdf, num, idx) {
        Some(e) => pdf.get_entry(num, e),
        None => Ok(Object::Null),
    }
}

/// (object number, 1-based page number) for every page of the current page tree.
fn page_numbers<S: Source>(pdf: &Pdf<S>) -> Vec<(u32, usize)> {
    let Ok((_, cat)) = crate::pdf::catalog(pdf) else {
        return Vec::new();
    };
    crate::pdf::page_refs(pdf, &cat, 100_000)
        .into_iter()
        .enumerate()
        .map(|(i, r)| (r.num, i + 1))
        .collect()
}
