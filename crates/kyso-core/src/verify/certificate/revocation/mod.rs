//! Revocation of the signer's certificate ([`of_signer`]), of its CAs ([`of_ca`]) and of
//! its timestamp authorities ([`tsa_usable`]): OCSP responses and CRLs embedded in the
//! signature (CMS `crls`, Adobe's revocation-info archival attribute) or the document's DSS,
//! else — unless offline — asked of the OCSP responder (with a nonce) and then the CRL
//! distribution points named in the certificate ([`lookup`]). A revocation before the
//! signing time fails the signature; one after it needs a proof of time (a timestamp);
//! revocation that cannot be checked is never passed silently.
//!
//! With the user's cache ([`crate::trust::cache`]), every answer met (embedded or online) is
//! kept; when the network is off or does not answer, the newest saved evidence is used:
//! within its nextUpdate it decides (and says it was saved, and when it was issued), past it
//! the status is undecided with the date and what to do. Online answers always come first.

mod authority;
mod lookup;
mod signer;

use der::{AnyRef, Decode, Reader, SliceReader, Tag, TagNumber, Tagged};

pub(in crate::verify) use authority::{of_ca, tsa_usable};
pub(in crate::verify) use signer::of_signer;

use crate::cms::parse::SignerInfo;
use crate::net::fetch;
use crate::pdf::{Dict, Object, Pdf, Source};
use crate::trust::cache::Cache;

/// adbe-revocationInfoArchival (Adobe PDF signature attribute).
const ADBE_REVOCATION: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");

/// CRLs (`[0]`) or OCSP responses (`[1]`) in the signed attribute RevocationInfoArchival.
pub fn archived(si: &SignerInfo, which: u8) -> Vec<Vec<u8>> {
    let Some(raw) = si.signed_attr(ADBE_REVOCATION) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut parse = || -> der::Result<()> {
        let mut r = SliceReader::new(raw)?;
        let seq = AnyRef::decode(&mut r)?;
        let mut r = SliceReader::new(seq.value())?;
        while !r.is_finished() {
            let item = AnyRef::decode(&mut r)?;
            if item.tag()
                != (Tag::ContextSpecific {
                    constructed: true,
                    number: TagNumber::new(which),
                })
            {
                continue;
            }
            let mut ir = SliceReader::new(item.value())?;
            let list = AnyRef::decode(&mut ir)?;
            let mut lr = SliceReader::new(list.value())?;
            while !lr.is_finished() {
                let start = usize::try_from(lr.position()).unwrap_or(0);
                let _ = AnyRef::decode(&mut lr)?;
                let end = usize::try_from(lr.position()).unwrap_or(0);
                if let Some(b) = list.value().get(start..end) {
                    out.push(b.to_vec());
                }
            }
        }
        Ok(())
    };
    let _ = parse();
    out
}

/// Revocation data in the document security store (`/DSS /CRLs` or `/OCSPs`, PAdES B-LT).
pub fn dss_items<S: Source>(pdf: &Pdf<S>, catalog: &Dict, key: &[u8]) -> Vec<Vec<u8>> {
    let Ok(Some(dss)) = pdf.resolve_dict(catalog, b"DSS") else {
        return Vec::new();
    };
    let Ok(list) = pdf.resolve(dss.get(key).unwrap_or(&Object::Null)) else {
        return Vec::new();
    };
    list.as_array()
        .unwrap_or_default()
        .iter()
        .take(1000)
        .filter_map(|o| match pdf.resolve(o).ok()? {
            Object::Stream(s) => pdf.decode_stream(&s, fetch::MAX_CRL as usize).ok(),
            _ => None,
        })
        .collect()
}

/// Revocation evidence gathered for one certificate.
pub(in crate::verify) struct Evidence<'a> {
    /// DER CRLs (signature, DSS).
    pub crls: &'a [Vec<u8>],
    /// DER OCSPResponses (signature, DSS).
    pub ocsps: &'a [Vec<u8>],
    /// The user's saved evidence, if any.
    pub cache: Option<&'a Cache>,
    /// "Now", for judging whether saved evidence is still current.
    pub now: i64,
}
