//! The checks of a CMS signature (in a PDF or a `.p7s`), in the order a validator must
//! run them (ETSI EN 319 102-1 §5): the structure, the integrity of the signed bytes and
//! of the signature value, the signer's binding to its certificate, the time — then the
//! certificate judgement every signature format shares ([`super::certificate::judge`]).
//!
//! Each check is a function beside its unit tests; it records typed [`Finding`]s, worded in
//! [`wording`], and says whether the next check can run.

mod binding;
pub mod finding;
mod integrity;
mod structure;
#[cfg(test)]
pub(in crate::verify) mod testcms;
mod time;
pub mod wording;

pub(in crate::verify) use binding::key_size;
pub use finding::Finding;

use super::certificate::{self, judge};
use super::{DocRevocation, Eval, VerifyOptions};
use crate::cms::parse;
use crate::crypto::HashAlg;

/// How the signed bytes are presented.
pub(in crate::verify) struct Signed<'a> {
    /// The digest of the signed bytes with a given algorithm (streamed from the file).
    pub digest_of: &'a mut dyn FnMut(HashAlg) -> std::io::Result<Vec<u8>>,
    /// The time the document claims (`/M`) and where it says so.
    pub claimed: Option<(i64, &'a str)>,
    /// A PAdES signature (a PDF's `ETSI.CAdES.detached`): stricter attribute rules.
    pub pades: bool,
    /// `adbe.pkcs7.sha1`: the signed content is the SHA-1 of the bytes, encapsulated.
    pub sha1_subfilter: bool,
}

/// Every check of the signature data `cms_der`, then the signer's certificate.
pub(in crate::verify) fn check(
    ev: &mut Eval,
    cms_der: &[u8],
    signed: Signed<'_>,
    opts: &VerifyOptions,
    doc_revocation: DocRevocation<'_>,
) {
    time::record_claimed(ev, signed.claimed);
    let sd = match parse::parse(cms_der) {
        Ok(sd) => sd,
        Err(e) => return ev.find(Finding::Unreadable { error: e.to_string() }),
    };
    let Some(si) = structure::the_signer(ev, &sd) else {
        return;
    };
    let Some(hash) = structure::digest_algorithm(ev, si) else {
        return;
    };
    let signer = structure::signer_certificate(ev, &sd, si);
    let Some(digest) =
        integrity::signed_content_digest(ev, &sd, hash, signed.digest_of, signed.sha1_subfilter)
    else {
        return;
    };
    let Some(signer) = integrity::signature_value(ev, si, hash, signer, &digest) else {
        return;
    };
    binding::key_size(ev, signer);
    binding::signing_certificate(ev, si, signer, signed.pades);

    let claimed = time::claimed(ev, si, signed.claimed, signed.pades);
    let (crls, ocsps) = time::revocation_at_hand(&sd, si, doc_revocation);
    let poe = time::timestamps(ev, &sd, si, (&crls, &ocsps), opts);
    time::record_claimed(ev, claimed.as_ref().map(|(t, s)| (*t, s.as_str())));
    if let (Some((t, _)), Some(p)) = (&claimed, poe) {
        time::vietnam_time_as_utc(ev, *t, p);
    }

    let evidence = certificate::Evidence {
        embedded: &sd.certificates,
        crls: &crls,
        ocsps: &ocsps,
        claimed: claimed.as_ref().map(|(t, _)| *t),
        poe,
    };
    judge(ev, signer, &evidence, opts);
}

#[cfg(test)]
use super::codes;
