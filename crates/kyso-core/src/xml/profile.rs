//! The known forms: where signatures go in them, and what each one must sign.
//!
//! A profile lists slots. Signing picks one slot (the next free one, or the one named);
//! verification checks every `Signature` against the profile: it must sit in one of the
//! slots, and its data reference must point at the element that slot expects. That is what
//! turns "the digest matches" into "the invoice data was signed" (signature wrapping defence).

use super::c14n::{Document, NodeId};
use super::dom;

/// A kind of form Kyso knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// E-invoice (Decree 123/2020, Circular 78/2021): `HDon`.
    Einvoice,
    /// Tax declaration (HTKK / eTax): `HSoThueDTu`.
    Tax,
    /// Social-insurance dossier (BHXH): `Hoso`.
    Bhxh,
}

impl Form {
    /// Every form, in the order offered.
    pub const ALL: [Form; 3] = [Form::Einvoice, Form::Tax, Form::Bhxh];

    /// The name used in commands and JSON: `einvoice`, `tax`, `bhxh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Einvoice => "einvoice",
            Form::Tax => "tax",
            Form::Bhxh => "bhxh",
        }
    }

    /// From that name.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// In words: (Vietnamese, English).
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Form::Einvoice => ("Hoá đơn điện tử", "e-invoice"),
            Form::Tax => ("Tờ khai thuế", "tax declaration"),
            Form::Bhxh => ("Hồ sơ bảo hiểm xã hội", "social-insurance dossier"),
        }
    }
}

/// Which element a slot's signature must reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The element at this path (local names, matched at the end of the full path), e.g.
    /// `HDon/DLHDon`.
    Path(&'static str),
    /// The element that contains the slot, named so (BHXH: each form's `Cky` signs its form).
    SlotParent(&'static str),
}

/// One place a signature goes.
#[derive(Clone, Debug)]
pub struct Slot {
    /// Name (the slot element's name): `NBan`, `NMua`, `CQT`, `CKyDTu`, `Cky`, `CKy_Dvi`.
    pub name: &'static str,
    /// Who signs there: (Vietnamese, English).
    pub label: (&'static str, &'static str),
    /// Path of the element the `Signature` goes into (local names, suffix match).
    pub into: &'static str,
    /// What the data reference must point at.
    pub expect: Expect,
    /// Further elements this slot's signer also references by Id (the tax authority signs
    /// `MCCQT`, the code it issues, besides the invoice data).
    pub also: &'static [&'static str],
    /// Add a `SigningTime` object covered by a second reference.
    pub signing_time: bool,
    /// Chosen when no slot is named and the earlier ones are signed (the seller, then the
    /// buyer; a tax authority's or a third party's place is only ever named).
    pub by_default: bool,
}

/// The slots of one kind of form.
#[derive(Clone, Debug)]
pub struct Profile {
    /// The form.
    pub form: Form,
    /// Slots.
    pub slots: Vec<Slot>,
}

impl Profile {
    /// The profile of `form`.
    pub fn of(form: Form) -> Self {
        match form {
            Form::Einvoice => Self::einvoice(),
            Form::Tax => Self::tax_declaration(),
            Form::Bhxh => Self::bhxh(),
        }
    }

    /// Name (as [`Form::as_str`]).
    pub fn name(&self) -> &'static str {
        self.form.as_str()
    }

    /// E-invoice: `HDon/DLHDon[@Id]` signed by the seller into `HDon/DSCKS/NBan`, by the buyer
    /// into `NMua`, others into `CCKSKhac`, and by the tax authority into `CQT` (which also
    /// signs `MCCQT`).
    pub fn einvoice() -> Self {
        let s = |name, label, into, also: &'static [&'static str], by_default| Slot {
            name,
            label,
            into,
            expect: Expect::Path("HDon/DLHDon"),
            also,
            signing_time: true,
            by_default,
        };
        Self {
            form: Form::Einvoice,
            slots: vec![
                s("NBan", ("Người bán", "seller"), "HDon/DSCKS/NBan", &[], true),
                s("NMua", ("Người mua", "buyer"), "HDon/DSCKS/NMua", &[], true),
                s(
                    "CCKSKhac",
                    ("Chữ ký khác", "other signer"),
                    "HDon/DSCKS/CCKSKhac",
                    &[],
                    false,
                ),
                s(
                    "CQT",
                    ("Cơ quan thuế", "tax authority"),
                    "HDon/DSCKS/CQT",
                    &["HDon/MCCQT"],
                    false,
                ),
            ],
        }
    }

    /// Tax declaration: `HSoThueDTu/HSoKhaiThue[@id]` signed into `HSoThueDTu/CKyDTu`. Note
    /// the lowercase `id` attribute in HTKK files.
    pub fn tax_declaration() -> Self {
        Self {
            form: Form::Tax,
            slots: vec![Slot {
                name: "CKyDTu",
                label: ("Người nộp thuế", "taxpayer"),
                into: "HSoThueDTu/CKyDTu",
                expect: Expect::Path("HSoThueDTu/HSoKhaiThue"),
                also: &[],
                signing_time: true,
                by_default: true,
            }],
        }
    }

    /// Social-insurance dossier: each form signs itself into its own `Cky`; the unit signs
    /// the whole `Hoso` into `Hoso/CKy_Dvi` — last, since it covers the forms' signatures.
    pub fn bhxh() -> Self {
        Self {
            form: Form::Bhxh,
            slots: vec![
                Slot {
                    name: "Cky",
                    label: ("Tờ khai", "form"),
                    into: "Cky",
                    expect: Expect::SlotParent("ToKhai"),
                    also: &[],
                    signing_time: true,
                    by_default: true,
                },
                Slot {
                    name: "CKy_Dvi",
                    label: ("Đơn vị", "the unit"),
                    into: "Hoso/CKy_Dvi",
                    expect: Expect::Path("Hoso"),
                    also: &[],
                    signing_time: true,
                    by_default: true,
                },
            ],
        }
    }

    /// A slot by name (case-insensitive), or by a path that ends like the slot's.
    pub fn slot(&self, named: &str) -> Option<&Slot> {
        let named = named.trim().trim_matches('/');
        self.slots.iter().find(|s| {
            s.name.eq_ignore_ascii_case(named)
                || dom::path_ends_with(&format!("/{named}"), s.into)
                || dom::path_ends_with(&format!("/{}", s.into), named)
        })
    }

    /// The slots' names, for messages.
    pub fn slot_names(&self) -> String {
        self.slots.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
    }
}

/// The form `xml` is, from its document element (or the one inside a transport envelope
/// such as `TDiep/DLieu`): `HDon` holding `DLHDon` is an e-invoice, `HSoThueDTu` holding
/// `HSoKhaiThue` a tax declaration, `Hoso` holding `ToKhai` forms or a `CKy_Dvi` a BHXH
/// dossier. `None` for anything else (and for files that cannot be read).
pub fn detect_profile(xml: &[u8]) -> Option<Form> {
    let limits = dom::Limits::default();
    let (text, _) = dom::text(xml, &limits).ok()?;
    let doc = dom::parse(text, &limits).ok()?;
    detect(&doc)
}

/// [`detect_profile`] on a parsed document.
pub(crate) fn detect(doc: &Document<'_>) -> Option<Form> {
    let root = dom::children(doc, doc.root()).next()?;
    // The form's element: the document element, or (enveloped for transport) the first
    // element below it with a known name, at most three levels down.
    let mut frontier = vec![root];
    for _ in 0..4 {
        let mut next = Vec::new();
        for n in frontier {
            if let Some(f) = form_of(doc, n) {
                return Some(f);
            }
            next.extend(dom::children(doc, n));
        }
        if next.len() > 64 {
            return None;
        }
        frontier = next;
    }
    None
}

fn form_of(doc: &Document<'_>, n: NodeId) -> Option<Form> {
    let has_child = |name: &str| dom::children(doc, n).any(|c| dom::local_name(doc, c) == Some(name));
    match dom::local_name(doc, n)? {
        "HDon" if has_child("DLHDon") => Some(Form::Einvoice),
        "HSoThueDTu" if has_child("HSoKhaiThue") => Some(Form::Tax),
        "Hoso"
            if has_child("CKy_Dvi")
                || doc
                    .descendants(n)
                    .into_iter()
                    .any(|d| dom::local_name(doc, d) == Some("ToKhai")) =>
        {
            Some(Form::Bhxh)
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_recognised_by_their_elements() {
        let inv = b"<?xml version=\"1.0\"?><HDon><DLHDon Id=\"a\"/><DSCKS><NBan/></DSCKS></HDon>";
        assert_eq!(detect_profile(inv), Some(Form::Einvoice));
        let wrapped = b"<TDiep><TTChung/><DLieu><HDon><DLHDon Id=\"a\"/></HDon></DLieu></TDiep>";
        assert_eq!(detect_profile(wrapped), Some(Form::Einvoice));
        let tax = b"<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\"><HSoKhaiThue id=\"ID_1\"/><CKyDTu/></HSoThueDTu>";
        assert_eq!(detect_profile(tax), Some(Form::Tax));
        let bhxh = b"<Hoso><NoiDung><ToKhais><ToKhai Id=\"D02\"><Cky/></ToKhai></ToKhais></NoiDung><CKy_Dvi/></Hoso>";
        assert_eq!(detect_profile(bhxh), Some(Form::Bhxh));
        assert_eq!(detect_profile(b"<DU_LIEU Id=\"data\">x</DU_LIEU>"), None);
        assert_eq!(detect_profile(b"<HDon>"), None);
        assert_eq!(Form::from_name("BHXH"), Some(Form::Bhxh));
        let p = Profile::einvoice();
        assert_eq!(p.slot("nmua").map(|s| s.name), Some("NMua"));
        assert_eq!(p.slot("HDon/DSCKS/CQT").map(|s| s.name), Some("CQT"));
        assert_eq!(p.slot("DSCKS/NBan").map(|s| s.name), Some("NBan"));
        assert!(p.slot("DLHDon").is_none());
    }
}
