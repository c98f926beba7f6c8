//! What every rule needs to know about the two versions, gathered once per signature: the
//! objects written later, the pages, the catalog and form dictionaries of the signed
//! revision, the validation data, the locked fields and the annotations shown.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::history::{existed_at, get_at, resolve_at};
use crate::pdf::permissions::FieldLock;
use crate::pdf::{Dict, ObjRef, Object, Pdf, PdfError, Source};

/// Most annotations looked at on one page.
const MAX_ANNOTS: usize = 10_000;
/// Most pages looked at.
const MAX_PAGES: usize = 100_000;

/// An annotation on a page of the current file.
#[derive(Clone, Debug)]
pub(super) struct OnPage {
    /// Its object number.
    pub num: u32,
    /// 1-based page number.
    pub page: usize,
    /// Its dictionary (current version).
    pub dict: Dict,
    /// It was not on that page in the signed revision.
    pub newly_shown: bool,
}

/// The signed revision, the current file and what lies between.
pub(super) struct Context<'p, S: Source> {
    pub pdf: &'p Pdf<S>,
    /// Section index of the signed revision (sections are newest first).
    pub signed: usize,
    /// The certification level in force, if the document is certified.
    pub docmdp: Option<i64>,
    /// Object numbers written by a later revision.
    pub written: BTreeSet<u32>,
    /// The signed revision's trailer.
    pub signed_trailer: Dict,
    /// Page object → 1-based page number, in the current page tree.
    pub pages: HashMap<u32, usize>,
    /// The signed revision's catalog and AcroForm objects.
    pub catalog: Option<u32>,
    pub acroform: Option<u32>,
    /// Arrays that may grow: indirect `/Annots` of pages and `/Fields` of the AcroForm.
    pub growable: HashSet<u32>,
    /// The document information dictionary and the XMP metadata stream (not rendered).
    pub metadata: HashSet<u32>,
    /// The DSS and its parts, and the catalog's `/Extensions`.
    pub bookkeeping: HashSet<u32>,
    /// Field objects locked by the signature, with their names.
    pub locked: HashMap<u32, String>,
    /// Appearance streams of form-field widgets (what form filling redraws), under P=2/3.
    pub appearances: HashSet<u32>,
    /// Annotation object → page, for every annotation of the current pages.
    pub annot_pages: HashMap<u32, usize>,
    /// Annotations written later, or newly put on a page.
    pub touched_annots: Vec<OnPage>,
}

impl<'p, S: Source> Context<'p, S> {
    /// Gathers what the rules need for the signature whose revision is section `signed`.
    pub fn build(pdf: &'p Pdf<S>, signed: usize, docmdp: Option<i64>, lock: Option<&FieldLock>) -> Self {
        let signed = signed_state(pdf, signed);
        let written: BTreeSet<u32> = pdf
            .sections
            .get(..signed)
            .unwrap_or_default()
            .iter()
            .flat_map(|s| s.entries.keys().copied())
            .collect();
        let signed_trailer = pdf
            .sections
            .get(signed)
            .map(|s| s.trailer.clone())
            .unwrap_or_default();
        let catalog = signed_trailer
            .get(b"Root")
            .and_then(Object::as_ref)
            .map(|r| r.num);
        let old_dict = |num: u32| get_at(pdf, num, signed).ok().and_then(|o| o.as_dict().cloned());
        let acroform = catalog
            .and_then(old_dict)
            .and_then(|d| d.get(b"AcroForm").and_then(Object::as_ref))
            .map(|r| r.num);
        let pages = page_numbers(pdf);
        let mut growable = HashSet::new();
        for pnum in pages.keys() {
            if let Some(r) = old_dict(*pnum).and_then(|d| d.get(b"Annots").and_then(Object::as_ref)) {
                growable.insert(r.num);
            }
        }
        if let Some(r) = acroform
            .and_then(old_dict)
            .and_then(|d| d.get(b"Fields").and_then(Object::as_ref))
        {
            growable.insert(r.num);
        }
        let mut ctx = Context {
            pdf,
            signed,
            docmdp,
            metadata: metadata_objects(pdf, &signed_trailer, catalog, signed),
            bookkeeping: bookkeeping_objects(pdf, catalog, signed),
            locked: lock.map(|l| locked_fields(pdf, l)).unwrap_or_default(),
            appearances: if matches!(docmdp, Some(2 | 3)) {
                widget_appearances(pdf, &pages)
            } else {
                HashSet::new()
            },
            written,
            signed_trailer,
            pages,
            catalog,
            acroform,
            growable,
            annot_pages: HashMap::new(),
            touched_annots: Vec::new(),
        };
        ctx.find_annotations();
        ctx
    }

    /// Form filling is permitted (DocMDP P=2 or 3).
    pub fn form_fill(&self) -> bool {
        matches!(self.docmdp, Some(2 | 3))
    }

    /// Annotations are permitted (DocMDP P=3).
    pub fn annotations_allowed(&self) -> bool {
        self.docmdp == Some(3)
    }

    /// Object `num` as it was in the signed revision.
    pub fn old(&self, num: u32) -> Result<Object, PdfError> {
        get_at(self.pdf, num, self.signed)
    }

    /// Whether object `num` was in use in the signed revision.
    pub fn existed(&self, num: u32) -> bool {
        existed_at(self.pdf, num, self.signed)
    }

    /// The page number when object `num` is a page.
    pub fn page_of(&self, num: u32) -> Option<usize> {
        self.pages.get(&num).copied()
    }

    /// Whether `num` with dictionary `d` is an annotation (`/Type` is optional for them, so
    /// being on a page's `/Annots` counts too).
    pub fn is_annotation(&self, num: u32, d: &Dict) -> bool {
        d.name_is(b"Type", b"Annot") || self.annot_pages.contains_key(&num)
    }

    /// Every annotation of the current pages with its page; those written later or newly
    /// put on a page, with their dictionaries.
    fn find_annotations(&mut self) {
        let pdf = self.pdf;
        let mut pages: Vec<(u32, usize)> = self.pages.iter().map(|(n, p)| (*n, *p)).collect();
        pages.sort_by_key(|(_, p)| *p);
        for (pnum, page) in pages {
            let page_obj = pdf.get(ObjRef::new(pnum, 0)).ok();
            let now = annots_of(page_obj.as_ref(), |o| pdf.resolve(o).unwrap_or(Object::Null));
            // Only a page or an annotation list written later can show new annotations.
            let list_written = self.written.contains(&pnum)
                || page_obj
                    .as_ref()
                    .and_then(|p| {
                        p.as_dict()
                            .and_then(|d| d.get(b"Annots"))
                            .and_then(Object::as_ref)
                    })
                    .is_some_and(|r| self.written.contains(&r.num));
            let before: HashSet<u32> = if list_written {
                annots_of(self.old(pnum).ok().as_ref(), |o| resolve_at(pdf, o, self.signed))
                    .into_iter()
                    .collect()
            } else {
                HashSet::new()
            };
            for num in now {
                self.annot_pages.entry(num).or_insert(page);
                let newly_shown = list_written && !before.contains(&num);
                if !newly_shown && !self.written.contains(&num) {
                    continue;
                }
                if let Some(dict) = pdf
                    .get(ObjRef::new(num, 0))
                    .ok()
                    .and_then(|o| o.as_dict().cloned())
                {
                    self.touched_annots.push(OnPage {
                        num,
                        page,
                        dict,
                        newly_shown,
                    });
                }
            }
        }
    }
}

/// The section index from which objects are read as signed, for the signature whose revision
/// ends with section `signed`. A linearized file's first revision has two sections: the
/// first-page section at the start of the file, whose `/Prev` is the main section at the end.
/// Both lie inside the signed bytes, so both are the signed revision, although the chain
/// lists the first-page section as the newer one.
fn signed_state<S: Source>(pdf: &Pdf<S>, signed: usize) -> usize {
    let Some(end) = pdf.sections.get(signed).map(|s| s.eof_end.unwrap_or(s.offset)) else {
        return signed;
    };
    let mut idx = signed;
    while idx > 1 && pdf.sections.get(idx - 1).is_some_and(|s| s.offset < end) {
        idx -= 1;
    }
    idx
}

/// The entries of a page's `/Annots` (`resolve` reads the array in the wanted revision).
fn annot_entries(page: Option<&Object>, resolve: impl Fn(&Object) -> Object) -> Vec<Object> {
    let Some(list) = page.and_then(Object::as_dict).and_then(|d| d.get(b"Annots")) else {
        return Vec::new();
    };
    let mut list = resolve(list);
    match &mut list {
        Object::Array(a) => {
            a.truncate(MAX_ANNOTS);
            std::mem::take(a)
        }
        _ => Vec::new(),
    }
}

/// Object numbers in a page's `/Annots`.
fn annots_of(page: Option<&Object>, resolve: impl Fn(&Object) -> Object) -> Vec<u32> {
    annot_entries(page, resolve)
        .iter()
        .filter_map(Object::as_ref)
        .map(|r| r.num)
        .collect()
}

/// Page object → 1-based number for every page of the current page tree.
fn page_numbers<S: Source>(pdf: &Pdf<S>) -> HashMap<u32, usize> {
    let Ok((_, cat)) = crate::pdf::catalog(pdf) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    for (i, r) in crate::pdf::page_refs(pdf, &cat, MAX_PAGES)
        .into_iter()
        .enumerate()
    {
        out.entry(r.num).or_insert(i + 1);
    }
    out
}

/// The document information dictionary and the XMP metadata stream, in the signed and the
/// current revision: not rendered, and signing tools update `/ModDate` and `/Producer` there.
fn metadata_objects<S: Source>(
    pdf: &Pdf<S>,
    signed_trailer: &Dict,
    catalog: Option<u32>,
    signed: usize,
) -> HashSet<u32> {
    let mut out = HashSet::new();
    for t in [signed_trailer, pdf.trailer()] {
        if let Some(r) = t.get(b"Info").and_then(Object::as_ref) {
            out.insert(r.num);
        }
    }
    if let Some(c) = catalog {
        for idx in [signed, 0] {
            if let Some(r) = get_at(pdf, c, idx).ok().and_then(|o| {
                o.as_dict()
                    .and_then(|d| d.get(b"Metadata"))
                    .and_then(Object::as_ref)
            }) {
                out.insert(r.num);
            }
        }
    }
    out
}

/// Object numbers of the catalog's bookkeeping, in the signed and the current revision:
/// `/Extensions`, and the document security store — the `/DSS` dictionary, its `/Certs`
/// `/CRLs` `/OCSPs` arrays, `/VRI` and the VRI entries.
fn bookkeeping_objects<S: Source>(pdf: &Pdf<S>, catalog: Option<u32>, signed: usize) -> HashSet<u32> {
    let mut out = HashSet::new();
    let Some(c) = catalog else { return out };
    for idx in [signed, 0] {
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

/// Field objects by number, with their names, that the signature's field lock covers.
fn locked_fields<S: Source>(pdf: &Pdf<S>, lock: &FieldLock) -> HashMap<u32, String> {
    crate::pdf::catalog(pdf)
        .ok()
        .and_then(|(_, c)| crate::pdf::fields(pdf, &c).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|f| lock.covers(&f.name))
        .filter_map(|f| f.obj.map(|r| (r.num, f.name)))
        .collect()
}

/// Appearance streams of the form-field widgets on the pages (`/AP` `/N` `/R` `/D`, each a
/// stream or a dictionary of state streams): what form filling redraws.
fn widget_appearances<S: Source>(pdf: &Pdf<S>, pages: &HashMap<u32, usize>) -> HashSet<u32> {
    let mut out = HashSet::new();
    for pnum in pages.keys() {
        let page = pdf.get(ObjRef::new(*pnum, 0)).ok();
        for a in annot_entries(page.as_ref(), |o| pdf.resolve(o).unwrap_or(Object::Null)) {
            let Some(w) = pdf.resolve(&a).ok().and_then(|o| o.as_dict().cloned()) else {
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::testpdf::stream;
    use crate::pdf::Pdf;

    /// A linearized-style first revision (first-page section at the start of the file, its
    /// `/Prev` the main section at the end) and one update rewriting the page content.
    fn linearized_then_updated() -> (Vec<u8>, u64) {
        let mut f = b"%PDF-1.7\n".to_vec();
        let cat = f.len();
        f.extend_from_slice(b"9 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
        let first = f.len();
        // The main section's offset is known once it is written: leave room for it.
        let first_trailer = |main: usize| {
            format!("xref\n9 1\n{cat:010} 00000 n \ntrailer\n<</Size 10/Root 9 0 R/Prev {main:010}>>\nstartxref\n0\n%%EOF\n")
        };
        f.extend_from_slice(first_trailer(0).as_bytes());
        let mut at = Vec::new();
        for (n, body) in [
            (2, "<</Type/Pages/Kids[3 0 R]/Count 1>>".to_string()),
            (
                3,
                "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Contents 4 0 R>>".to_string(),
            ),
            (4, stream("", "BT /F1 12 Tf 72 700 Td (Signed text) Tj ET")),
        ] {
            at.push(f.len());
            f.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
        }
        let main = f.len();
        let patched = first_trailer(main);
        f.splice(first..first + patched.len(), patched.bytes());
        f.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n2 3\n");
        for a in at {
            f.extend_from_slice(format!("{a:010} 00000 n \n").as_bytes());
        }
        f.extend_from_slice(
            format!("trailer\n<</Size 10/Root 9 0 R>>\nstartxref\n{first}\n%%EOF\n").as_bytes(),
        );
        let signed_end = f.len() as u64;
        let content = f.len();
        f.extend_from_slice(format!("4 0 obj\n{}\nendobj\n", stream("", "BT (Other text) Tj ET")).as_bytes());
        let x = f.len();
        f.extend_from_slice(
            format!("xref\n4 1\n{content:010} 00000 n \ntrailer\n<</Size 10/Root 9 0 R/Prev {first}>>\nstartxref\n{x}\n%%EOF\n")
                .as_bytes(),
        );
        (f, signed_end)
    }

    #[test]
    fn both_sections_of_a_linearized_first_revision_are_the_signed_revision() {
        let (f, signed_end) = linearized_then_updated();
        let pdf = Pdf::open(f).unwrap();
        assert!(!pdf.reconstructed);
        // Newest first: the update, the first-page section, the main section (which ends
        // where the signature ends).
        assert_eq!(pdf.sections.len(), 3);
        assert_eq!(pdf.sections[2].eof_end, Some(signed_end));
        assert_eq!(super::signed_state(&pdf, 2), 1);
        let c = super::super::analyse(&pdf, 2, None, None).unwrap().changes;
        assert_eq!(
            c.iter().map(|c| (c.code(), c.object)).collect::<Vec<_>>(),
            vec![("OBJECT_CHANGED", 4)]
        );
    }
}
