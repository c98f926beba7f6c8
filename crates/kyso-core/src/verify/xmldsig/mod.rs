//! XML files: every `Signature` element gets the same report as a PDF signature — the same
//! indications and bilingual sentences, the same certificate judgement (chain, validity at
//! the claimed time, revocation) — with what is XML-specific in `xml` (the form, the slot,
//! the references).
//!
//! `crate::xml::verify` reads each `Signature` (references, digests, value, key, place in
//! the form) and lists what is wrong in the order it met it; the checks here judge that
//! into typed [`Finding`]s (worded in [`wording`]), keeping that order, then add what only
//! the whole report can say: Ids repeated elsewhere in the file, the claimed signing time,
//! and the signer's key and certificate.

mod facts;
pub mod finding;
mod problems;
mod signer;
#[cfg(test)]
mod testxml;
mod time;
pub mod wording;

pub use finding::Finding;

use crate::verify::SignatureKind;
use std::path::Path;

use super::{Eval, FileReport, SignatureReport, VerifyOptions};
use crate::xml::dom::Limits;
use crate::xml::verify::{self as xv, Checked, XmlSignatureFinding};
use crate::xml::XmlError;

/// Verifies every signature in an XML file.
pub fn verify_xml(path: &Path, opts: &VerifyOptions) -> FileReport {
    let shown = path.display().to_string();
    let limit = Limits::default().max_bytes;
    let data = match std::fs::metadata(path) {
        Ok(m) if m.len() > limit as u64 => {
            return file_error(
                shown,
                &XmlError::TooLarge {
                    size: usize::try_from(m.len()).unwrap_or(usize::MAX),
                    limit,
                },
            )
        }
        Ok(_) => match std::fs::read(path) {
            Ok(d) => d,
            Err(e) => return super::io_failure(shown, &e),
        },
        Err(e) => return super::io_failure(shown, &e),
    };
    verify_xml_bytes(&data, shown, opts)
}

/// Verifies every signature in XML held in memory (the bridge's `VerifyXML`).
pub fn verify_xml_bytes(xml: &[u8], shown: String, opts: &VerifyOptions) -> FileReport {
    match xv::signatures(xml, &xv::VerifyOptions::default()) {
        Ok(checked) => {
            let reports = checked
                .signatures
                .iter()
                .map(|f| signature_report(f, &checked, opts))
                .collect();
            FileReport::conclude(shown, 1, reports)
        }
        Err(e) => file_error(shown, &e),
    }
}

/// The file-level failure for an XML file that cannot be read safely.
fn file_error(shown: String, e: &XmlError) -> FileReport {
    FileReport::failed(shown, e.code(), wording::file_error(e))
}

/// Every check of one `Signature` element, in the order its findings are reported.
fn signature_report(f: &XmlSignatureFinding, checked: &Checked, opts: &VerifyOptions) -> SignatureReport {
    let field = f.id.clone().unwrap_or_else(|| f.path.clone());
    let mut ev = Eval::new(&field, SignatureKind::Signature, Some("XMLDSig".into()));
    let form = checked.form.map(|x| x.as_str());
    facts::record(&mut ev, f, form);
    let signer = signer::identify(&mut ev, f);
    problems::judge(&mut ev, f, form);
    problems::ids_elsewhere(&mut ev, f, &checked.duplicate_ids);
    let claimed = time::claimed(&mut ev, f, opts);
    if let Some(signer) = &signer {
        signer::judge(&mut ev, f, signer, claimed, opts);
    }
    ev.finish()
}
