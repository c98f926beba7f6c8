//! Decree 30/2020 roles as visible-signature specs, shared by the CLI and the app: what each
//! role draws and where, with the organisation profile filling in what the caller leaves out.

use std::path::Path;

use x509_cert::Certificate;

use super::profile::Profile;
use super::visible::{image_size_pt, Place, Spec};
use crate::error::AppearanceError;
use crate::Error;

/// The roles of Decree 30 (and VGCA's signing tool).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The leader's approval: the handwritten signature image in the signature block.
    Approve,
    /// The organisation's issuing signature: the seal over the leader's signature.
    Issue,
    /// An attachment in its own file: number and time, top right.
    Appendix,
    /// An electronic copy: the copy form, the copying organisation and the time, top right,
    /// no image (Decree 30 Appendix I); a seal image only when asked for.
    Copy,
    /// Receipt of an incoming document: a stamp, top left.
    Incoming,
}

/// The forms of an electronic copy (Decree 30 Appendix I, as for paper copies).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyForm {
    /// SAO Y: a full copy (the default).
    #[default]
    SaoY,
    /// SAO LỤC: a full copy made from a copy ("bản sao y").
    SaoLuc,
    /// TRÍCH SAO: an extract.
    TrichSao,
}

impl CopyForm {
    /// As printed on the copy.
    pub fn text(self) -> &'static str {
        match self {
            CopyForm::SaoY => "SAO Y",
            CopyForm::SaoLuc => "SAO LỤC",
            CopyForm::TrichSao => "TRÍCH SAO",
        }
    }

    /// From its name (`sao-y`, `sao-luc`, `trich-sao`; the printed forms are accepted too).
    pub fn from_name(s: &str) -> Option<Self> {
        let folded: String = s.trim().to_lowercase().replace(['_', ' '], "-").replace('ụ', "u");
        match folded.as_str() {
            "sao-y" | "saoy" => Some(CopyForm::SaoY),
            "sao-luc" | "saoluc" => Some(CopyForm::SaoLuc),
            "trich-sao" | "trích-sao" | "trichsao" => Some(CopyForm::TrichSao),
            _ => None,
        }
    }
}

/// What the user asked for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The role, if any.
    pub role: Option<Role>,
    /// An explicit place (else the role's, or the existing field's with `use_field`).
    pub place: Option<Place>,
    /// Draw into the existing field being signed.
    pub use_field: bool,
    /// Page (1-based) for an explicit rectangle.
    pub page: usize,
    /// Text lines (else the role's or the signer's).
    pub text: Vec<String>,
    /// Image bytes (else the profile's seal or signature image).
    pub image: Option<Vec<u8>>,
    /// Number and symbol of the (main) document.
    pub doc_number: Option<String>,
    /// Copying organisation (else the profile's).
    pub org: Option<String>,
    /// Receipt text.
    pub receipt: Option<String>,
    /// The copy form (copy; SAO Y when not given).
    pub copy_form: Option<CopyForm>,
    /// Show the organisation profile's seal on a copy (off by default: Decree 30 shows no
    /// image on electronic copies).
    pub seal: bool,
    /// The issue date the document-management system gives (issue), as it wrote it.
    pub issued_date: Option<String>,
}

fn drawing(e: impl std::fmt::Display) -> Error {
    AppearanceError::Drawing(e.to_string()).into()
}

/// The spec for `req` (no signer needed yet: refusals happen before any PIN), or `None`
/// for an invisible signature.
pub fn spec(req: &Request, config: &Path) -> Result<Option<Spec>, Error> {
    let profile = Profile::load(config).map_err(|e| Error::Profile(e.to_string()))?;
    let image = match (&req.image, req.role) {
        (Some(i), _) => Some(i.clone()),
        (None, Some(Role::Issue)) => profile
            .seal_image(config)
            .map_err(|e| Error::Profile(e.to_string()))?,
        // A copy shows no image unless the user asks for the seal.
        (None, Some(Role::Copy)) if req.seal => Some(
            profile
                .seal_image(config)
                .map_err(|e| Error::Profile(e.to_string()))?
                .ok_or(AppearanceError::SealMissing("copy"))?,
        ),
        _ => None,
    };
    let real_size = |role: &'static str| -> Result<(f32, f32), Error> {
        let img = image.as_ref().ok_or(AppearanceError::SealMissing(role))?;
        image_size_pt(img).map_err(drawing)
    };
    let now = crate::timefmt::vietnam_iso(crate::timefmt::now());
    let (role_place, role_lines, font) = match req.role {
        None | Some(Role::Approve) => (None, Vec::new(), None),
        Some(Role::Issue) => {
            let (w, h) = real_size("issue")?;
            (Some(Place::OverLastSignature(w, h)), Vec::new(), None)
        }
        Some(Role::Appendix) => {
            let n = req
                .doc_number
                .clone()
                .ok_or(AppearanceError::DocNumberMissing("appendix"))?;
            (
                Some(Place::TopRight(200.0, 34.0)),
                vec![n, now.clone()],
                Some(10.0),
            )
        }
        Some(Role::Copy) => {
            let org = req
                .org
                .clone()
                .or(profile.organization.clone())
                .ok_or(AppearanceError::OrgMissing)?;
            let lines = vec![
                req.copy_form.unwrap_or_default().text().to_string(),
                org,
                now.clone(),
            ];
            // Sized for the text at 10 pt (Times metrics), so it is never shrunk.
            let (tw, th) = text_box(&lines, 10.0, 260.0)?;
            let place = match &image {
                Some(_) => {
                    let (w, h) = real_size("copy")?;
                    Place::TopRight(w + 8.0 + tw, h.max(th))
                }
                None => Place::TopRight(tw, th),
            };
            (Some(place), lines, Some(10.0))
        }
        Some(Role::Incoming) => {
            let r = req.receipt.clone().ok_or(AppearanceError::ReceiptMissing)?;
            (
                Some(Place::TopLeft(220.0, 36.0)),
                vec![r, format!("Thời gian nhận: {now}")],
                Some(10.0),
            )
        }
    };
    let lines = if req.text.is_empty() {
        role_lines
    } else {
        req.text.clone()
    };
    let place = match (&req.place, req.use_field) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => None,
        (None, false) => match role_place {
            Some(p) => Some(p),
            None if req.role == Some(Role::Approve) => return Err(AppearanceError::BlockMissing.into()),
            None if image.is_some() || !req.text.is_empty() => {
                return Err(AppearanceError::PlaceMissing.into())
            }
            None => return Ok(None),
        },
    };
    Ok(Some(Spec {
        page: req.page.max(1),
        place,
        lines,
        image,
        max_font_size: font,
    }))
}

/// The box (points) that holds `lines` at `size` in the stamp font, at most `max_w` wide
/// (longer lines wrap), with the appearance's padding.
fn text_box(lines: &[String], size: f32, max_w: f32) -> Result<(f32, f32), Error> {
    let font = super::font::PdfFont::new(super::font::SERIF, "F1").map_err(drawing)?;
    let mut widest: f32 = 0.0;
    let mut rows = 0usize;
    for l in lines {
        let w = font.width(l, size).map_err(drawing)?;
        widest = widest.max(w.min(max_w));
        rows += font.wrap(l, size, max_w).map_err(drawing)?.len().max(1);
    }
    // 2 pt padding each side, and a little room so rounding never forces a smaller size.
    Ok((widest + 6.0, rows as f32 * size * 1.2 + 6.0))
}

/// Completes `spec` once the signer is known: the leader's signature image and text from
/// the profile (approve), or the default text — who signed, for which organisation, when —
/// unless the role shows an image alone.
pub fn for_signer(mut spec: Spec, role: Option<Role>, cert: &Certificate, config: &Path) -> Spec {
    let id = crate::cert::identity(cert);
    if spec.image.is_none() && role == Some(Role::Approve) {
        if let Ok(p) = Profile::load(config) {
            let cn = id.common_name.clone().unwrap_or_default();
            spec.image = p.signature_image(config, &cn).ok().flatten();
            if spec.lines.is_empty() {
                spec.lines = p.approve_text.clone();
            }
        }
    }
    let image_only = matches!(role, Some(Role::Approve | Role::Issue)) && spec.image.is_some();
    if spec.lines.is_empty() && !image_only {
        spec.lines
            .push(format!("Người ký: {}", id.common_name.unwrap_or_default()));
        if let Some(o) = id.organization {
            spec.lines.push(format!("Cơ quan: {o}"));
        }
        spec.lines.push(format!(
            "Thời gian ký: {}",
            crate::timefmt::vietnam(crate::timefmt::now())
        ));
    }
    spec
}

/// The reason an issuing signature records: the number and date it gives the document.
pub fn issue_reason(role: Option<Role>, doc_number: Option<&str>) -> Option<String> {
    match (role, doc_number) {
        (Some(Role::Issue), Some(n)) => Some(format!(
            "Phát hành văn bản số {n}, ngày {}",
            crate::timefmt::vietnam_iso(crate::timefmt::now())
        )),
        _ => None,
    }
}

/// The reason a role's signature records: an issuing signature's number and date (the
/// date the document system gave, else now), an appendix's or a copy's main document.
pub fn reason_for(req: &Request) -> Option<String> {
    let n = req.doc_number.as_deref().filter(|n| !n.trim().is_empty());
    match (req.role, n) {
        (Some(Role::Issue), Some(n)) => match req.issued_date.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => Some(format!("Phát hành văn bản số {n}, ngày {}", d.trim())),
            None => issue_reason(req.role, Some(n)),
        },
        (Some(Role::Appendix), Some(n)) => Some(format!("Phụ lục kèm theo văn bản số {n}")),
        (Some(Role::Copy), Some(n)) => Some(format!(
            "{} văn bản số {n}",
            req.copy_form.unwrap_or_default().text()
        )),
        _ => None,
    }
}
