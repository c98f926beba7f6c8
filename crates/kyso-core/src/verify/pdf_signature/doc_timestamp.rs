//! A document timestamp (PAdES B-LTA's `/DocTimeStamp`): an RFC 3161 token over the byte
//! ranges, from a TSA that must be trusted and not revoked at the time it gives.

use super::{DocRevocation, Eval, Finding, VerifyOptions};
use crate::cert;
use crate::crypto::HashAlg;
use crate::timefmt;
use crate::trust::tst as timestamp;
use crate::verify::certificate::tsa_usable;

/// Checks the token `token` over the bytes `digest_of` hashes.
pub(super) fn check(
    ev: &mut Eval,
    token: &[u8],
    digest_of: &mut dyn FnMut(HashAlg) -> std::io::Result<Vec<u8>>,
    opts: &VerifyOptions,
    doc_revocation: DocRevocation<'_>,
) {
    let info = match timestamp::check_with(token, &mut |h| digest_of(h).ok()) {
        Ok(info) => info,
        Err(error) => return ev.find(Finding::DocTimestampInvalid { error }),
    };
    ev.report.integrity.digest_matches = Some(true);
    ev.report.integrity.signature_valid = Some(true);
    ev.report.claimed_time = Some(timefmt::rfc3339(info.time));
    ev.report.claimed_time_vietnam = Some(timefmt::vietnam(info.time));
    ev.report.claimed_time_source = Some("timestamp".into());
    ev.report.has_timestamp = true;
    ev.report.signer = Some(cert::identity(&info.cert));
    let tsa = info.tsa.clone().unwrap_or_default();
    ev.record_timestamp(&info, false);
    match timestamp::tsa_trust(&info, &opts.intermediates, &opts.anchors) {
        Ok(path) if tsa_usable(ev, &info, &path, doc_revocation, opts) => {
            ev.record_timestamp(&info, true);
            ev.find(Finding::DocTimestampProof { tsa });
        }
        Ok(_) => ev.find(Finding::DocTimestampTsaRevoked { tsa }),
        Err((why_vi, why_en)) => ev.find(Finding::DocTimestampTsaUntrusted {
            tsa,
            why_vi: why_vi.into(),
            why_en: why_en.into(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::codes;
    use super::*;
    use crate::testkit::cms as testcms;
    use crate::verify::{Indication, SubIndication};

    #[test]
    fn a_signature_that_is_not_a_timestamp_token_fails_the_format() {
        // A real CMS signature, but its content is not a TSTInfo.
        let token = testcms::signed_data_der(b"bytes");
        let mut ev = Eval::new(
            "Timestamp1",
            crate::verify::SignatureKind::DocumentTimestamp,
            None,
        );
        let mut digest_of = |h: HashAlg| Ok(h.digest(b"bytes"));
        check(
            &mut ev,
            &token,
            &mut digest_of,
            &VerifyOptions::default(),
            (&[], &[]),
        );
        assert_eq!(codes(&ev), ["DOC_TIMESTAMP_INVALID"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::FormatFailure));
        assert_eq!(ev.report.indication, Indication::TotalFailed);
        assert!(!ev.report.has_timestamp);
        assert!(ev.report.findings[0].en.contains("does not hold a TSTInfo"));
    }
}
