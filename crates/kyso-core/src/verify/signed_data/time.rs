//! Time: what the signature claims (`/M`, or a signing-time attribute) and what a trusted
//! signature timestamp proves — the best time the certificate is then judged at.

use super::{DocRevocation, Eval, Finding, VerifyOptions};
use crate::cms::parse::{SignedData, SignerInfo};
use crate::oids;
use crate::timefmt;
use crate::trust::tst as timestamp;
use crate::verify::certificate::{revocation, tsa_usable};

/// Shows the claimed time (`time`, from `source`) in the report.
pub(super) fn record_claimed(ev: &mut Eval, claimed: Option<(i64, &str)>) {
    if let Some((t, source)) = claimed {
        ev.report.claimed_time = Some(timefmt::rfc3339(t));
        ev.report.claimed_time_vietnam = Some(timefmt::vietnam(t));
        ev.report.claimed_time_source = Some(source.to_string());
    }
}

/// The time the signature claims: the document's (`/M`) first, else its signing-time
/// attribute — which a PAdES signature should not carry (noted).
pub(super) fn claimed(
    ev: &mut Eval,
    si: &SignerInfo,
    document: Option<(i64, &str)>,
    pades: bool,
) -> Option<(i64, String)> {
    let document = document.map(|(t, s)| (t, s.to_string()));
    let Some(t) = si
        .signed_attr(oids::ATTR_SIGNING_TIME)
        .and_then(|raw| from_der_lenient(raw).ok())
    else {
        return document;
    };
    if pades {
        ev.find(Finding::SigningTimeInPades);
    }
    document.or(Some((t, "signing-time attribute".into())))
}

/// The revocation data the signature and the document carry (for the signer, its CAs and
/// its TSA): `(CRLs, OCSP responses)`.
pub(super) fn revocation_at_hand(
    sd: &SignedData,
    si: &SignerInfo,
    document: DocRevocation<'_>,
) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let mut crls: Vec<Vec<u8>> = sd.crls.clone();
    crls.extend(revocation::archived(si, 0));
    crls.extend(document.0.iter().cloned());
    let mut ocsps = revocation::archived(si, 1);
    ocsps.extend(document.1.iter().cloned());
    (crls, ocsps)
}

/// The signature timestamps: each must be over this signature value; one whose TSA is
/// trusted and was not revoked proves the signature existed at its time (returned). An
/// untrusted one proves nothing and is judged as absent.
pub(super) fn timestamps(
    ev: &mut Eval,
    sd: &SignedData,
    si: &SignerInfo,
    at_hand: DocRevocation<'_>,
    opts: &VerifyOptions,
) -> Option<i64> {
    let mut poe = None;
    let attrs: Vec<_> = si
        .unsigned_attrs
        .iter()
        .filter(|a| a.oid == oids::ATTR_TIMESTAMP_TOKEN)
        .collect();
    ev.report.has_timestamp |= !attrs.is_empty();
    for token in attrs.iter().flat_map(|a| &a.values) {
        let info = match timestamp::check(token, &si.signature) {
            Ok(info) => info,
            Err(e) => {
                ev.find(Finding::TimestampInvalid { error: e.to_string() });
                continue;
            }
        };
        let mut pool = sd.certificates.clone();
        pool.extend_from_slice(&opts.intermediates);
        let path = match timestamp::tsa_trust(&info, &pool, &opts.anchors) {
            Ok(path) => path,
            Err((why_vi, why_en)) => {
                ev.record_timestamp(&info, false);
                ev.find(Finding::TimestampNotProof {
                    why_vi: why_vi.into(),
                    why_en: why_en.into(),
                });
                continue;
            }
        };
        let usable = tsa_usable(ev, &info, &path, at_hand, opts);
        ev.record_timestamp(&info, usable);
        if !usable {
            continue;
        }
        ev.find(Finding::TimestampProof {
            time: info.time,
            tsa: info.tsa.clone().unwrap_or_default(),
        });
        poe = Some(info.time);
    }
    poe
}

/// Tools that write Vietnam time as if it were UTC claim a time 7 hours after the one a
/// timestamp proves: noted, so the clerk is not misled by the hour.
pub(super) fn vietnam_time_as_utc(ev: &mut Eval, claimed: i64, proven: i64) {
    let skew = claimed - proven;
    if (skew - 7 * 3600).abs() < 600 {
        ev.find(Finding::VietnamTimeAsUtc);
    }
}

/// A `Time` read even when it is not minimal DER (some signers write GeneralizedTime with
/// fractions, or UTCTime where DER wants otherwise).
fn from_der_lenient(raw: &[u8]) -> Result<i64, ()> {
    use der::Decode;
    if let Ok(t) = x509_cert::time::Time::from_der(raw) {
        return Ok(t.to_unix_duration().as_secs() as i64);
    }
    let value = raw.get(2..).ok_or(())?;
    let text = std::str::from_utf8(value).map_err(|_| ())?;
    let full = if raw.first() == Some(&0x17) {
        // UTCTime YYMMDDHHMMSSZ
        let yy: i32 = text.get(0..2).and_then(|y| y.parse().ok()).ok_or(())?;
        format!("{}{}", if yy >= 50 { 19 } else { 20 }, text)
    } else {
        text.to_string()
    };
    timestamp::generalized_time(full.as_bytes()).ok_or(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::{codes, testcms};
    use super::*;
    use crate::cms::parse::Attr;
    use crate::verify::Indication;

    #[test]
    fn the_documents_time_comes_first_and_a_pades_signing_time_is_noted() {
        let mut sd = testcms::signed_data(b"x");
        let mut ev = testcms::eval();
        // No signing-time attribute: the document's time, as given.
        assert_eq!(
            claimed(&mut ev, &sd.signer_infos[0], Some((1_700_000_000, "/M")), true),
            Some((1_700_000_000, "/M".to_string()))
        );
        assert!(codes(&ev).is_empty());

        // UTCTime 2023-11-14 22:13:20 Z.
        sd.signer_infos[0].signed_attrs.push(Attr {
            oid: oids::ATTR_SIGNING_TIME,
            values: vec![b"\x17\x0d231114221320Z".to_vec()],
        });
        let mut ev = testcms::eval();
        assert_eq!(
            claimed(&mut ev, &sd.signer_infos[0], None, false),
            Some((1_700_000_000, "signing-time attribute".to_string()))
        );
        assert!(codes(&ev).is_empty());
        let mut ev = testcms::eval();
        let t = claimed(&mut ev, &sd.signer_infos[0], Some((5, "/M")), true);
        assert_eq!(t, Some((5, "/M".to_string())));
        assert_eq!(codes(&ev), ["SIGNING_TIME_IN_PADES"]);
        assert_eq!(ev.report.indication, Indication::TotalPassed);
    }

    #[test]
    fn a_generalized_time_with_fractions_is_still_read() {
        assert_eq!(from_der_lenient(b"\x18\x1120231114221320.5Z"), Ok(1_700_000_000));
        assert_eq!(from_der_lenient(b"\x17\x0d231114221320Z"), Ok(1_700_000_000));
        assert!(from_der_lenient(b"\x18\x02zz").is_err());
        assert!(from_der_lenient(b"").is_err());
    }

    #[test]
    fn a_timestamp_attribute_that_is_not_a_timestamp_token_is_invalid() {
        let mut sd = testcms::signed_data(b"x");
        sd.signer_infos[0].unsigned_attrs.push(Attr {
            oid: oids::ATTR_TIMESTAMP_TOKEN,
            values: vec![testcms::signed_data_der(b"not a timestamp token")],
        });
        let mut ev = testcms::eval();
        let poe = timestamps(
            &mut ev,
            &sd,
            &sd.signer_infos[0],
            (&[], &[]),
            &VerifyOptions::default(),
        );
        assert_eq!(poe, None);
        assert!(ev.report.has_timestamp);
        assert_eq!(codes(&ev), ["TIMESTAMP_INVALID"]);
        assert_eq!(ev.report.indication, Indication::TotalFailed);
    }

    #[test]
    fn no_timestamp_proves_nothing_and_says_nothing() {
        let sd = testcms::signed_data(b"x");
        let mut ev = testcms::eval();
        assert_eq!(
            timestamps(
                &mut ev,
                &sd,
                &sd.signer_infos[0],
                (&[], &[]),
                &VerifyOptions::default()
            ),
            None
        );
        assert!(!ev.report.has_timestamp);
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn seven_hours_ahead_is_vietnam_time_written_as_utc() {
        let mut ev = testcms::eval();
        vietnam_time_as_utc(&mut ev, 1_000_000 + 7 * 3600 + 60, 1_000_000);
        assert_eq!(codes(&ev), ["VIETNAM_TIME_AS_UTC"]);
        for claimed in [1_000_000 + 60, 1_000_000 + 6 * 3600, 1_000_000 - 7 * 3600] {
            let mut ev = testcms::eval();
            vietnam_time_as_utc(&mut ev, claimed, 1_000_000);
            assert!(codes(&ev).is_empty(), "{claimed}");
        }
    }

    #[test]
    fn revocation_at_hand_joins_the_signatures_and_the_documents() {
        let mut sd = testcms::signed_data(b"x");
        sd.crls = vec![b"crl in the signature".to_vec()];
        let doc_crls = [b"crl in the DSS".to_vec()];
        let doc_ocsps = [b"ocsp in the DSS".to_vec()];
        let (crls, ocsps) = revocation_at_hand(&sd, &sd.signer_infos[0], (&doc_crls, &doc_ocsps));
        assert_eq!(
            crls,
            [b"crl in the signature".to_vec(), b"crl in the DSS".to_vec()]
        );
        assert_eq!(ocsps, [b"ocsp in the DSS".to_vec()]);
    }
}
