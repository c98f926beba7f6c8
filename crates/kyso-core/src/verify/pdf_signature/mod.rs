//! The checks of one signature in a PDF, before and around its signature data: the
//! dictionary and the bytes it covers ([`placement`]), what was appended after the signed
//! revision ([`changes`]), then either a document timestamp ([`doc_timestamp`]) or the CMS
//! signature ([`super::signed_data`]). Whole-file findings that touch every signature are in
//! [`orphans`].
//!
//! Each check is a function beside its unit tests; it records typed [`Finding`]s, worded in
//! [`wording`].

mod changes;
mod doc_timestamp;
pub mod finding;
mod orphans;
mod placement;
pub mod wording;

pub use finding::Finding;
pub(in crate::verify) use orphans::{conflicting_definitions, orphan_signatures};

use super::{signed_data, text_of, DocRevocation, Eval, SignatureReport, VerifyOptions};
use crate::crypto::{HashAlg, Hasher};
use crate::pdf::byterange::stream_range;
use crate::pdf::object::decode_text;
use crate::pdf::permissions::FieldLock;
use crate::pdf::source::Source;
use crate::pdf::{self, Object, Pdf};
use crate::timefmt;
use crate::verify::SignatureKind;

/// Every check of the signature dictionary `sig` of field `field`.
pub(in crate::verify) fn check<S: Source>(
    pdf: &Pdf<S>,
    field: &str,
    sig: &pdf::Dict,
    opts: &VerifyOptions,
    doc_revocation: DocRevocation<'_>,
) -> SignatureReport {
    let sub_filter = sig
        .get_name(b"SubFilter")
        .map(|n| String::from_utf8_lossy(n).into_owned());
    let is_doc_ts = sig.name_is(b"Type", b"DocTimeStamp") || sub_filter.as_deref() == Some("ETSI.RFC3161");
    let kind = if is_doc_ts {
        SignatureKind::DocumentTimestamp
    } else {
        SignatureKind::Signature
    };
    let mut ev = Eval::new(field, kind, sub_filter.clone());
    ev.report.reason = text_of(sig, b"Reason");
    ev.report.location = text_of(sig, b"Location");

    let Some((br, contents)) = placement::range_and_value(&mut ev, sig) else {
        return ev.finish();
    };
    let Some(signed) = placement::signed_bytes(&mut ev, pdf.source(), &br, &contents) else {
        return ev.finish();
    };
    let eof_ends: Vec<Option<u64>> = pdf.sections.iter().map(|s| s.eof_end).collect();
    match placement::covered_revision(&mut ev, pdf.source(), &eof_ends, signed.end) {
        None => return ev.finish(),
        Some(placement::Covers::WholeFile) => {}
        Some(placement::Covers::Earlier { later }) => {
            changes::later_changes(&mut ev, pdf, later, FieldLock::of_signature(pdf, sig).as_ref())
        }
    }

    let src = pdf.source();
    let mut digest_of = |h: HashAlg| -> std::io::Result<Vec<u8>> {
        let mut hasher = Hasher::new(h);
        stream_range(src, 0, signed.hole_start, &mut |b| hasher.update(b))?;
        stream_range(src, signed.hole_end, signed.end, &mut |b| hasher.update(b))?;
        Ok(hasher.finish())
    };
    if is_doc_ts {
        doc_timestamp::check(&mut ev, &contents, &mut digest_of, opts, doc_revocation);
        return ev.finish();
    }
    let claimed = sig
        .get(b"M")
        .and_then(Object::as_str_bytes)
        .and_then(|m| timefmt::parse_pdf_date(&decode_text(m)));
    let signed = signed_data::Signed {
        digest_of: &mut digest_of,
        claimed: claimed.map(|t| (t, "/M")),
        pades: sub_filter.as_deref() == Some("ETSI.CAdES.detached"),
        sha1_subfilter: sub_filter.as_deref() == Some("adbe.pkcs7.sha1"),
    };
    signed_data::check(&mut ev, &contents, signed, opts, doc_revocation);
    ev.finish()
}

#[cfg(test)]
use super::codes;
