//! Revocation of the signer's certificate: OCSP responses and CRLs embedded in the signature
//! (CMS `crls`, Adobe's revocation-info archival attribute) or the document's DSS, else —
//! unless offline — asked of the OCSP responder (with a nonce) and then the CRL distribution
//! points named in the certificate. A revocation before the signing time fails the
//! signature; one after it needs a proof of time (a timestamp); revocation that cannot be
//! checked is never passed silently.
//!
//! With the user's cache ([`crate::trust::cache`]), every answer met (embedded or online) is
//! kept; when the network is off or does not answer, the newest saved evidence is used:
//! within its nextUpdate it decides (and says it was saved, and when it was issued), past it
//! the status is undecided with the date and what to do. Online answers always come first.

use der::{AnyRef, Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use x509_cert::Certificate;

use crate::cms::parse::SignerInfo;
use crate::net::{fetch, NetPolicy};
use crate::pdf::{Dict, Object, Pdf, Source};
use crate::timefmt;
use crate::trust::cache::{Cache, Saved};
use crate::trust::crl::{self, CrlStatus};
use crate::trust::ocsp::{self, OcspStatus};
use crate::trust::online;
use crate::verify::report::RevocationSource;
use crate::verify::{Eval, Indication, SubIndication};

/// The evidence a revocation verdict rests on, for the report.
fn source_of(s: &Saved, origin: &str, now: i64) -> RevocationSource {
    RevocationSource {
        kind: s.kind.to_string(),
        origin: origin.to_string(),
        this_update: timefmt::rfc3339(s.this_update),
        next_update: s.next_update.map(timefmt::rfc3339),
        current: s.current(now),
    }
}

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
pub(super) struct Evidence<'a> {
    /// DER CRLs (signature, DSS).
    pub crls: &'a [Vec<u8>],
    /// DER OCSPResponses (signature, DSS).
    pub ocsps: &'a [Vec<u8>],
    /// The user's saved evidence, if any.
    pub cache: Option<&'a Cache>,
    /// "Now", for judging whether saved evidence is still current.
    pub now: i64,
}

enum Found {
    Good {
        this_update: i64,
        how: String,
    },
    Revoked {
        at: i64,
    },
    /// Not revoked per saved evidence still within its nextUpdate.
    Saved(Saved),
    /// Saved evidence past its nextUpdate: nothing decided.
    Stale(Saved),
}

/// `CRL` / `OCSP` in words.
fn kind_words(kind: &str) -> (&'static str, &'static str) {
    if kind == "OCSP" {
        ("phản hồi OCSP", "the OCSP response")
    } else {
        ("danh sách thu hồi (CRL)", "the CRL")
    }
}

/// What saved evidence is, in words: "the CRL of 05/12/2026 (saved)".
fn saved_words(s: &Saved) -> (String, String) {
    let (vi, en) = kind_words(s.kind);
    let date = timefmt::vietnam_date(s.this_update);
    (
        format!("{vi} ngày {date} (đã lưu)"),
        format!("{en} of {date} (saved)"),
    )
}

/// The sentence for saved evidence past its nextUpdate, with what to do.
fn stale_words(s: &Saved) -> (String, String) {
    let (vi, en) = saved_words(s);
    let until = s.next_update.map(timefmt::vietnam_date);
    match until {
        Some(u) => (
            format!("Chỉ có {vi}, đã hết hạn sử dụng từ {u}: chưa kết luận được tình trạng thu hồi. Hãy kết nối mạng rồi kiểm tra lại để Kyso tải danh sách mới."),
            format!("Only {en}, which expired on {u}, is available: the revocation status is not decided. Connect to the network and check again so Kyso fetches a current one."),
        ),
        None => (
            format!("Chỉ có {vi}, không ghi thời hạn sử dụng: chưa kết luận được tình trạng thu hồi. Hãy kết nối mạng rồi kiểm tra lại."),
            format!("Only {en}, which names no validity period, is available: the revocation status is not decided. Connect to the network and check again."),
        ),
    }
}

/// What the cache says about `cert` at `now`.
fn from_cache(cache: Option<&Cache>, cert: &Certificate, issuer: &Certificate, now: i64) -> Option<Found> {
    let saved = cache?.lookup(cert, issuer)?;
    Some(match saved.revoked_at {
        Some(at) => Found::Revoked { at },
        None if saved.current(now) => Found::Saved(saved),
        None => Found::Stale(saved),
    })
}

fn from_crl(s: CrlStatus, how: &str) -> Found {
    match s {
        CrlStatus::Good { this_update } => Found::Good {
            this_update,
            how: format!("{how} CRL"),
        },
        CrlStatus::Revoked { at } => Found::Revoked { at },
    }
}

fn from_ocsp(s: OcspStatus, how: &str) -> Option<Found> {
    match s {
        OcspStatus::Good { this_update } => Some(Found::Good {
            this_update,
            how: format!("{how} OCSP"),
        }),
        OcspStatus::Revoked { at } => Some(Found::Revoked { at }),
        OcspStatus::Unknown => None,
    }
}

/// Looks for a verdict: embedded data first, then (online) OCSP, then CRL download, then
/// (network off or silent) the saved evidence. Whatever is met is kept in the cache.
fn find(
    cert: &Certificate,
    issuer: &Certificate,
    ev_in: &Evidence<'_>,
    online: Option<&NetPolicy>,
    failures: &mut Vec<String>,
) -> Option<Found> {
    if let Some(c) = ev_in.cache {
        c.note_sources(cert, issuer);
    }
    for d in ev_in.ocsps {
        if let Some(f) = ocsp::check(d, cert, issuer, None)
            .ok()
            .and_then(|s| from_ocsp(s, "embedded"))
        {
            if let Some(c) = ev_in.cache {
                c.put_ocsp(d, cert, issuer);
            }
            return Some(f);
        }
    }
    if let Some((s, d)) = ev_in
        .crls
        .iter()
        .find_map(|d| crl::check(d, cert, issuer).map(|s| (s, d)))
    {
        if let Some(c) = ev_in.cache {
            c.put_crl(d, issuer);
        }
        return Some(from_crl(s, "embedded"));
    }
    if let Some(net) = online {
        match online::check(cert, issuer, net, failures) {
            Some(online::Answer::Ocsp(s, d)) => {
                if let Some(c) = ev_in.cache {
                    c.put_ocsp(&d, cert, issuer);
                }
                if let Some(f) = from_ocsp(s, "online") {
                    return Some(f);
                }
            }
            Some(online::Answer::Crl(s, d)) => {
                if let Some(c) = ev_in.cache {
                    c.put_crl(&d, issuer);
                }
                return Some(from_crl(s, "online"));
            }
            None => {}
        }
    }
    from_cache(ev_in.cache, cert, issuer, ev_in.now)
}

/// Judges the signer certificate's revocation at time `at` (`poe`: proven time, if any).
pub(super) fn check(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    at: i64,
    poe: Option<i64>,
    online: Option<&NetPolicy>,
) {
    let mut failures = Vec::new();
    match find(cert, issuer, evidence, online, &mut failures) {
        Some(Found::Revoked { at: when }) => {
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
                    format!("Chứng thư số bị thu hồi sau đó ({}), sau thời điểm ký đã được dấu thời gian chứng minh.", timefmt::vietnam(when)),
                    format!("The certificate was revoked later ({}), after the signing time proven by the timestamp.", timefmt::rfc3339(when)),
                );
            } else {
                ev.flag(
                    Indication::Indeterminate,
                    SubIndication::RevokedNoPoe,
                    format!("Chứng thư số đã bị thu hồi ngày {}; không có dấu thời gian chứng minh chữ ký được tạo trước đó.", timefmt::vietnam(when)),
                    format!("The certificate was revoked on {}; no timestamp proves the signature was made before that.", timefmt::rfc3339(when)),
                );
            }
        }
        Some(Found::Good { this_update, how }) => {
            ev.report.revocation = "GOOD".into();
            ev.report.revocation_source = Some(RevocationSource {
                kind: if how.ends_with("OCSP") { "OCSP" } else { "CRL" }.into(),
                origin: how.split(' ').next().unwrap_or_default().into(),
                this_update: timefmt::rfc3339(this_update),
                next_update: None,
                current: true,
            });
            ev.note(
                format!(
                    "Chứng thư số không bị thu hồi ({how}, cập nhật {}).",
                    timefmt::vietnam(this_update)
                ),
                format!(
                    "The certificate is not revoked ({how} of {}).",
                    timefmt::rfc3339(this_update)
                ),
            );
        }
        Some(Found::Saved(saved)) => {
            ev.report.revocation = "GOOD".into();
            let (vi, en) = saved_words(&saved);
            let until = saved.next_update.map(timefmt::vietnam_date).unwrap_or_default();
            let why = if failures.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" Mạng không trả lời ({}).", failures.join("; ")),
                    format!(" The network did not answer ({}).", failures.join("; ")),
                )
            };
            ev.note(
                format!(
                    "Đã kiểm tra theo {vi}, còn hiệu lực đến {until}: chứng thư số không bị thu hồi.{}",
                    why.0
                ),
                format!(
                    "Checked against {en}, current until {until}: the certificate is not revoked.{}",
                    why.1
                ),
            );
            ev.report.revocation_source = Some(source_of(&saved, "saved", evidence.now));
        }
        Some(Found::Stale(saved)) => {
            ev.report.revocation = "UNKNOWN".into();
            let (vi, en) = stale_words(&saved);
            ev.report.revocation_source = Some(source_of(&saved, "saved", evidence.now));
            ev.flag(Indication::Indeterminate, SubIndication::TryLater, vi, en);
        }
        None if crl::distribution_points(cert).is_empty() && ocsp::responder_urls(cert).is_empty() => {
            ev.report.revocation = "NOT_AVAILABLE".into();
            ev.note(
                "Chứng thư số không chỉ ra nơi tra cứu thu hồi (OCSP/CRL); không kiểm tra được tình trạng thu hồi.",
                "The certificate names no revocation service (OCSP/CRL); its revocation status could not be checked.",
            );
        }
        None => {
            ev.report.revocation = "UNKNOWN".into();
            let (vi, en) = if online.is_none() {
                (
                    "Chưa kiểm tra tình trạng thu hồi (đang ở chế độ ngoại tuyến). Hãy kiểm tra lại khi có mạng.".to_string(),
                    "Revocation was not checked (offline mode). Check again with a network connection.".to_string(),
                )
            } else {
                (
                    format!(
                        "Không kiểm tra được tình trạng thu hồi: {}. Hãy thử lại sau.",
                        failures.join("; ")
                    ),
                    format!(
                        "The revocation status could not be obtained: {}. Try again later.",
                        failures.join("; ")
                    ),
                )
            };
            ev.flag(Indication::Indeterminate, SubIndication::TryLater, vi, en);
        }
    }
}

/// Revocation of a CA certificate in the chain (`cert` issued by `issuer`): a revocation
/// before time `at` fails the signature; missing information is a note, not a verdict
/// (CAs publish CRLs for their intermediates less reliably than for end entities).
pub(super) fn check_ca(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    at: i64,
    online: Option<&NetPolicy>,
) {
    let name = crate::cert::identity(cert).common_name.unwrap_or_default();
    let mut failures = Vec::new();
    match find(cert, issuer, evidence, online, &mut failures) {
        Some(Found::Revoked { at: when }) if when <= at => ev.flag(
            Indication::TotalFailed,
            SubIndication::Revoked,
            format!(
                "Chứng thư của đơn vị cấp {name} đã bị thu hồi từ {} — trước thời điểm ký.",
                timefmt::vietnam(when)
            ),
            format!(
                "The certificate of the issuing authority {name} was revoked on {} — before the signing time.",
                timefmt::rfc3339(when)
            ),
        ),
        Some(Found::Revoked { at: when }) => ev.note(
            format!("Chứng thư của đơn vị cấp {name} bị thu hồi sau thời điểm ký ({}).", timefmt::vietnam(when)),
            format!("The certificate of the issuing authority {name} was revoked after the signing time ({}).", timefmt::rfc3339(when)),
        ),
        Some(Found::Good { how, .. }) => ev.note(
            format!("Chứng thư của đơn vị cấp {name} không bị thu hồi ({how})."),
            format!("The issuing authority's certificate {name} is not revoked ({how})."),
        ),
        Some(Found::Saved(saved)) => {
            let (vi, en) = saved_words(&saved);
            ev.note(
                format!("Chứng thư của đơn vị cấp {name} không bị thu hồi (theo {vi})."),
                format!("The issuing authority's certificate {name} is not revoked (per {en})."),
            )
        }
        Some(Found::Stale(saved)) => {
            let (vi, en) = stale_words(&saved);
            ev.note(format!("{name}: {vi}"), format!("{name}: {en}"))
        }
        None if !failures.is_empty() => ev.note(
            format!("Không kiểm tra được tình trạng thu hồi của {name}: {}.", failures.join("; ")),
            format!("The revocation status of {name} could not be obtained: {}.", failures.join("; ")),
        ),
        None => {}
    }
}

/// Revocation of a TSA certificate (`cert` issued by `issuer`) at `gen_time`, the time its
/// token gives. Returns `false` when the TSA was revoked at or before that time: such a
/// token proves nothing (RFC 3161 §4, and EU DSS treat it as not trustworthy). A later
/// revocation or missing information is a note, as for the CAs in a chain.
pub(super) fn tsa_usable(
    ev: &mut Eval,
    cert: &Certificate,
    issuer: &Certificate,
    evidence: &Evidence<'_>,
    gen_time: i64,
    online: Option<&NetPolicy>,
) -> bool {
    let name = crate::cert::identity(cert).common_name.unwrap_or_default();
    let mut failures = Vec::new();
    match find(cert, issuer, evidence, online, &mut failures) {
        Some(Found::Revoked { at }) if at <= gen_time => {
            ev.note(
                format!(
                    "Chứng thư của đơn vị cấp dấu thời gian {name} đã bị thu hồi từ {} — trước thời điểm ghi trong dấu; dấu thời gian này không có giá trị chứng minh.",
                    timefmt::vietnam(at)
                ),
                format!(
                    "The certificate of the timestamp authority {name} was revoked on {} — before the time the timestamp gives; the timestamp proves nothing.",
                    timefmt::rfc3339(at)
                ),
            );
            return false;
        }
        Some(Found::Revoked { at }) => ev.note(
            format!(
                "Chứng thư của đơn vị cấp dấu thời gian {name} bị thu hồi sau thời điểm ghi trong dấu ({}).",
                timefmt::vietnam(at)
            ),
            format!(
                "The certificate of the timestamp authority {name} was revoked after the time the timestamp gives ({}).",
                timefmt::rfc3339(at)
            ),
        ),
        Some(Found::Good { how, .. }) => ev.note(
            format!("Chứng thư của đơn vị cấp dấu thời gian {name} không bị thu hồi ({how})."),
            format!("The timestamp authority's certificate {name} is not revoked ({how})."),
        ),
        Some(Found::Saved(saved)) => {
            let (vi, en) = saved_words(&saved);
            ev.note(
                format!("Chứng thư của đơn vị cấp dấu thời gian {name} không bị thu hồi (theo {vi})."),
                format!("The timestamp authority's certificate {name} is not revoked (per {en})."),
            )
        }
        Some(Found::Stale(saved)) => {
            let (vi, en) = stale_words(&saved);
            ev.note(format!("{name}: {vi}"), format!("{name}: {en}"))
        }
        None if !failures.is_empty() => ev.note(
            format!(
                "Không kiểm tra được tình trạng thu hồi của đơn vị cấp dấu thời gian {name}: {}.",
                failures.join("; ")
            ),
            format!(
                "The revocation status of the timestamp authority {name} could not be obtained: {}.",
                failures.join("; ")
            ),
        ),
        None => {}
    }
    true
}
