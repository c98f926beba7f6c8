//! Revocation of the signer's certificate from CRLs: those embedded in the signature (CMS
//! `crls`, Adobe's revocation-info archival attribute), in the document's DSS, and — unless
//! offline — fetched from the certificate's CRL distribution points. A revocation before the
//! signing time fails the signature; one after it needs a proof of time (a timestamp);
//! revocation that cannot be checked is never passed silently. (OCSP comes next.)

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use der::{AnyRef, Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::Certificate;

use super::{Eval, Indication, SubIndication};
use crate::cms::parse::SignerInfo;
use crate::pdf::{Dict, Object, Pdf, Source};
use crate::timefmt;
use crate::trust::crl::{self, CrlStatus};
use crate::trust::fetch;

/// adbe-revocationInfoArchival (Adobe PDF signature attribute).
const ADBE_REVOCATION: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113583.1.1.8");

/// CRLs in the signed attribute RevocationInfoArchival { crl [0] SEQUENCE OF CRL, … }.
pub fn archived_crls(si: &SignerInfo) -> Vec<Vec<u8>> {
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
                    number: TagNumber::new(0),
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

/// CRLs in the document security store (`/DSS /CRLs`, PAdES B-LT).
pub fn dss_crls<S: Source>(pdf: &Pdf<S>, catalog: &Dict) -> Vec<Vec<u8>> {
    let Ok(Some(dss)) = pdf.resolve_dict(catalog, b"DSS") else {
        return Vec::new();
    };
    let Ok(list) = pdf.resolve(dss.get(b"CRLs").unwrap_or(&Object::Null)) else {
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

/// Download results by URL.
type FetchCache = Mutex<HashMap<String, Result<Vec<u8>, String>>>;

/// Fetched CRLs, once per URL per process (a folder of documents shares them).
fn fetched(url: &str) -> Result<Vec<u8>, String> {
    static CACHE: OnceLock<FetchCache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(r) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(url) {
        return r.clone();
    }
    let r = fetch::get(url, fetch::MAX_CRL).map_err(|e| e.to_string());
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(url.to_string(), r.clone());
    r
}

/// Judges the signer certificate's revocation at time `at` (`poe`: proven time, if any).
pub(super) fn check(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    crls: &[Vec<u8>],
    at: i64,
    poe: Option<i64>,
    offline: bool,
) {
    let mut statuses: Vec<(CrlStatus, &'static str)> = crls
        .iter()
        .filter_map(|d| crl::check(d, cert, issuer))
        .map(|s| (s, "embedded"))
        .collect();
    let points = crl::distribution_points(cert);
    let mut failures = Vec::new();
    if statuses.is_empty() && !offline {
        for url in &points {
            match fetched(url) {
                Ok(d) => match crl::check(&d, cert, issuer) {
                    Some(s) => {
                        statuses.push((s, "online"));
                        break;
                    }
                    None => failures.push(format!("{url}: not a valid CRL from the issuer")),
                },
                Err(e) => failures.push(format!("{url}: {e}")),
            }
        }
    }
    let revoked = statuses.iter().find_map(|(s, _)| match s {
        CrlStatus::Revoked { at } => Some(*at),
        CrlStatus::Good { .. } => None,
    });
    if let Some(when) = revoked {
        ev.report.revocation = "REVOKED".into();
        if when <= at {
            ev.flag(
                Indication::TotalFailed,
                SubIndication::Revoked,
                format!(
                    "Chứng thư số đã bị thu hồi từ {} — trước thời điểm ký.",
                    timefmt::vietnam(when)
                ),
                format!(
                    "The certificate was revoked on {} — before the signing time.",
                    timefmt::rfc3339(when)
                ),
            );
        } else if poe.is_some() {
            ev.note(
                format!(
                    "Chứng thư số bị thu hồi sau đó ({}), sau thời điểm ký đã được dấu thời gian chứng minh.",
                    timefmt::vietnam(when)
                ),
                format!(
                    "The certificate was revoked later ({}), after the signing time proven by the timestamp.",
                    timefmt::rfc3339(when)
                ),
            );
        } else {
            ev.flag(
                Indication::Indeterminate,
                SubIndication::RevokedNoPoe,
                format!("Chứng thư số đã bị thu hồi ngày {}; không có dấu thời gian chứng minh chữ ký được tạo trước đó.", timefmt::vietnam(when)),
                format!("The certificate was revoked on {}; no timestamp proves the signature was made before that.", timefmt::rfc3339(when)),
            );
        }
        return;
    }
    if let Some((CrlStatus::Good { this_update }, source)) = statuses.first() {
        ev.report.revocation = "GOOD".into();
        ev.note(
            format!(
                "Chứng thư số không bị thu hồi (CRL {source}, cập nhật {}).",
                timefmt::vietnam(*this_update)
            ),
            format!(
                "The certificate is not revoked ({source} CRL of {}).",
                timefmt::rfc3339(*this_update)
            ),
        );
        return;
    }
    if points.is_empty() {
        ev.report.revocation = "NOT_AVAILABLE".into();
        ev.note(
            "Chứng thư số không chỉ ra nơi tra cứu thu hồi (CRL); không kiểm tra được tình trạng thu hồi.",
            "The certificate names no revocation list (CRL); its revocation status could not be checked.",
        );
        return;
    }
    ev.report.revocation = "UNKNOWN".into();
    let (vi, en) = if offline {
        (
            "Chưa kiểm tra tình trạng thu hồi (đang ở chế độ ngoại tuyến). Hãy kiểm tra lại khi có mạng."
                .to_string(),
            "Revocation was not checked (offline mode). Check again with a network connection.".to_string(),
        )
    } else {
        (
            format!(
                "Không lấy được danh sách thu hồi (CRL): {}. Hãy thử lại sau.",
                failures.join("; ")
            ),
            format!(
                "The revocation list (CRL) could not be obtained: {}. Try again later.",
                failures.join("; ")
            ),
        )
    };
    ev.flag(Indication::Indeterminate, SubIndication::TryLater, vi, en);
}
