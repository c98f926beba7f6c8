//! The sentences for every finding about a signature's certificates, in Vietnamese and
//! English, in one place. The report carries them with the finding's code.

use crate::verify::finding::both as s;
use super::finding::{Answered, Finding};
use crate::message::Message;
use crate::timefmt;
use crate::trust::cache::Saved;

/// The finding as people read it.
pub fn words(f: &Finding) -> Message {
    let (vi, en) = match f {
        Finding::IssuerDownloaded => s(
            "Đã tải chứng thư của đơn vị cấp từ địa chỉ ghi trong chứng thư (AIA).",
            "The issuer's certificate was downloaded from the address in the certificate (AIA).",
        ),
        Finding::NoTrustAnchors => s(
            "Chưa có chứng thư gốc tin cậy nào được cấu hình.",
            "No trust anchors are configured.",
        ),
        Finding::NoTrustedChain => s(
            "Không xây dựng được chuỗi chứng thư tới một chứng thư gốc tin cậy.",
            "No certificate chain to a trusted root could be built.",
        ),
        Finding::NotYetValid => s(
            "Chứng thư số chưa có hiệu lực tại thời điểm ký.",
            "The certificate was not yet valid at the signing time.",
        ),
        Finding::ExpiredNoPoe { not_after } => (
            format!(
                "Chứng thư số hết hạn ngày {}; không có dấu thời gian chứng minh chữ ký được tạo trước đó.",
                timefmt::vietnam(*not_after)
            ),
            format!(
                "The certificate expired on {}; no timestamp proves the signature was made before that.",
                timefmt::rfc3339(*not_after)
            ),
        ),
        Finding::ChainCertificateNotValid => s(
            "Một chứng thư trong chuỗi không còn hiệu lực tại thời điểm ký.",
            "A certificate in the chain was not valid at the signing time.",
        ),
        Finding::SignerRevoked { at } => (
            format!(
                "Chứng thư số đã bị thu hồi từ {} — trước thời điểm ký.",
                timefmt::vietnam(*at)
            ),
            format!(
                "The certificate was revoked on {} — before the signing time.",
                timefmt::rfc3339(*at)
            ),
        ),
        Finding::SignerRevokedAfterSigning { at } => (
            format!("Chứng thư số bị thu hồi sau đó ({}), sau thời điểm ký đã được dấu thời gian chứng minh.", timefmt::vietnam(*at)),
            format!("The certificate was revoked later ({}), after the signing time proven by the timestamp.", timefmt::rfc3339(*at)),
        ),
        Finding::SignerRevokedNoPoe { at } => (
            format!("Chứng thư số đã bị thu hồi ngày {}; không có dấu thời gian chứng minh chữ ký được tạo trước đó.", timefmt::vietnam(*at)),
            format!("The certificate was revoked on {}; no timestamp proves the signature was made before that.", timefmt::rfc3339(*at)),
        ),
        Finding::SignerNotRevoked {
            answered,
            this_update,
        } => (
            format!(
                "Chứng thư số không bị thu hồi ({}, cập nhật {}).",
                how(*answered),
                timefmt::vietnam(*this_update)
            ),
            format!(
                "The certificate is not revoked ({} of {}).",
                how(*answered),
                timefmt::rfc3339(*this_update)
            ),
        ),
        Finding::SignerNotRevokedSaved {
            saved,
            network_failures,
        } => {
            let (vi, en) = saved_words(saved);
            let until = saved.next_update.map(timefmt::vietnam_date).unwrap_or_default();
            let why = if network_failures.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" Mạng không trả lời ({}).", network_failures.join("; ")),
                    format!(" The network did not answer ({}).", network_failures.join("; ")),
                )
            };
            (
                format!(
                    "Đã kiểm tra theo {vi}, còn hiệu lực đến {until}: chứng thư số không bị thu hồi.{}",
                    why.0
                ),
                format!(
                    "Checked against {en}, current until {until}: the certificate is not revoked.{}",
                    why.1
                ),
            )
        }
        Finding::SignerRevocationStale { saved } => stale_words(saved),
        Finding::SignerNoRevocationService => s(
            "Chứng thư số không chỉ ra nơi tra cứu thu hồi (OCSP/CRL); không kiểm tra được tình trạng thu hồi.",
            "The certificate names no revocation service (OCSP/CRL); its revocation status could not be checked.",
        ),
        Finding::SignerRevocationNotChecked => s(
            "Chưa kiểm tra tình trạng thu hồi (đang ở chế độ ngoại tuyến). Hãy kiểm tra lại khi có mạng.",
            "Revocation was not checked (offline mode). Check again with a network connection.",
        ),
        Finding::SignerRevocationUnavailable { failures } => (
            format!(
                "Không kiểm tra được tình trạng thu hồi: {}. Hãy thử lại sau.",
                failures.join("; ")
            ),
            format!(
                "The revocation status could not be obtained: {}. Try again later.",
                failures.join("; ")
            ),
        ),
        Finding::CaRevoked { name, at } => (
            format!(
                "Chứng thư của đơn vị cấp {name} đã bị thu hồi từ {} — trước thời điểm ký.",
                timefmt::vietnam(*at)
            ),
            format!(
                "The certificate of the issuing authority {name} was revoked on {} — before the signing time.",
                timefmt::rfc3339(*at)
            ),
        ),
        Finding::CaRevokedAfterSigning { name, at } => (
            format!("Chứng thư của đơn vị cấp {name} bị thu hồi sau thời điểm ký ({}).", timefmt::vietnam(*at)),
            format!("The certificate of the issuing authority {name} was revoked after the signing time ({}).", timefmt::rfc3339(*at)),
        ),
        Finding::CaNotRevoked { name, answered } => (
            format!("Chứng thư của đơn vị cấp {name} không bị thu hồi ({}).", how(*answered)),
            format!("The issuing authority's certificate {name} is not revoked ({}).", how(*answered)),
        ),
        Finding::CaNotRevokedSaved { name, saved } => {
            let (vi, en) = saved_words(saved);
            (
                format!("Chứng thư của đơn vị cấp {name} không bị thu hồi (theo {vi})."),
                format!("The issuing authority's certificate {name} is not revoked (per {en})."),
            )
        }
        Finding::CaRevocationStale { name, saved } | Finding::TsaRevocationStale { name, saved } => {
            let (vi, en) = stale_words(saved);
            (format!("{name}: {vi}"), format!("{name}: {en}"))
        }
        Finding::CaRevocationUnavailable { name, failures } => (
            format!("Không kiểm tra được tình trạng thu hồi của {name}: {}.", failures.join("; ")),
            format!("The revocation status of {name} could not be obtained: {}.", failures.join("; ")),
        ),
        Finding::TsaRevoked { name, at } => (
            format!(
                "Chứng thư của đơn vị cấp dấu thời gian {name} đã bị thu hồi từ {} — trước thời điểm ghi trong dấu; dấu thời gian này không có giá trị chứng minh.",
                timefmt::vietnam(*at)
            ),
            format!(
                "The certificate of the timestamp authority {name} was revoked on {} — before the time the timestamp gives; the timestamp proves nothing.",
                timefmt::rfc3339(*at)
            ),
        ),
        Finding::TsaRevokedAfterTimestamp { name, at } => (
            format!(
                "Chứng thư của đơn vị cấp dấu thời gian {name} bị thu hồi sau thời điểm ghi trong dấu ({}).",
                timefmt::vietnam(*at)
            ),
            format!(
                "The certificate of the timestamp authority {name} was revoked after the time the timestamp gives ({}).",
                timefmt::rfc3339(*at)
            ),
        ),
        Finding::TsaNotRevoked { name, answered } => (
            format!("Chứng thư của đơn vị cấp dấu thời gian {name} không bị thu hồi ({}).", how(*answered)),
            format!("The timestamp authority's certificate {name} is not revoked ({}).", how(*answered)),
        ),
        Finding::TsaNotRevokedSaved { name, saved } => {
            let (vi, en) = saved_words(saved);
            (
                format!("Chứng thư của đơn vị cấp dấu thời gian {name} không bị thu hồi (theo {vi})."),
                format!("The timestamp authority's certificate {name} is not revoked (per {en})."),
            )
        }
        Finding::TsaRevocationUnavailable { name, failures } => (
            format!(
                "Không kiểm tra được tình trạng thu hồi của đơn vị cấp dấu thời gian {name}: {}.",
                failures.join("; ")
            ),
            format!(
                "The revocation status of the timestamp authority {name} could not be obtained: {}.",
                failures.join("; ")
            ),
        ),
    };
    Message::new(vi, en)
}


/// A fresh answer in words: "embedded OCSP", "online CRL" (the same in both languages, as
/// the report's `revocation_source` names them).
fn how(a: Answered) -> String {
    format!("{} {}", a.origin.as_str(), a.service.as_str())
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::verify::certificate::finding::{Origin, Service};
    use crate::verify::finding::TypedFinding;

    /// Every finding reads in both languages and has its own code; the data shows in the
    /// sentence.
    #[test]
    fn every_finding_has_both_languages_and_its_code() {
        let saved = Saved {
            kind: "OCSP",
            revoked_at: None,
            this_update: 1_700_000_000,
            next_update: Some(1_700_086_400),
        };
        let answered = Answered {
            origin: Origin::Online,
            service: Service::Ocsp,
        };
        let name = || "CA Test".to_string();
        let failures = || vec!["http://ca.example/crl: timed out".to_string()];
        let at = 1_700_000_000;
        let all = [
            Finding::IssuerDownloaded,
            Finding::NoTrustAnchors,
            Finding::NoTrustedChain,
            Finding::NotYetValid,
            Finding::ExpiredNoPoe { not_after: at },
            Finding::ChainCertificateNotValid,
            Finding::SignerRevoked { at },
            Finding::SignerRevokedAfterSigning { at },
            Finding::SignerRevokedNoPoe { at },
            Finding::SignerNotRevoked {
                answered,
                this_update: at,
            },
            Finding::SignerNotRevokedSaved {
                saved: saved.clone(),
                network_failures: failures(),
            },
            Finding::SignerRevocationStale { saved: saved.clone() },
            Finding::SignerNoRevocationService,
            Finding::SignerRevocationNotChecked,
            Finding::SignerRevocationUnavailable { failures: failures() },
            Finding::CaRevoked { name: name(), at },
            Finding::CaRevokedAfterSigning { name: name(), at },
            Finding::CaNotRevoked {
                name: name(),
                answered,
            },
            Finding::CaNotRevokedSaved {
                name: name(),
                saved: saved.clone(),
            },
            Finding::CaRevocationStale {
                name: name(),
                saved: saved.clone(),
            },
            Finding::CaRevocationUnavailable {
                name: name(),
                failures: failures(),
            },
            Finding::TsaRevoked { name: name(), at },
            Finding::TsaRevokedAfterTimestamp { name: name(), at },
            Finding::TsaNotRevoked {
                name: name(),
                answered,
            },
            Finding::TsaNotRevokedSaved {
                name: name(),
                saved: saved.clone(),
            },
            Finding::TsaRevocationStale {
                name: name(),
                saved: saved.clone(),
            },
            Finding::TsaRevocationUnavailable {
                name: name(),
                failures: failures(),
            },
        ];
        let mut codes = std::collections::HashSet::new();
        for f in &all {
            let m = words(f);
            assert!(!m.vi.is_empty() && !m.en.is_empty() && m.vi != m.en, "{f:?}");
            // The data shows: a name, a time, a service or the network's answer.
            let data = ["CA Test", "2023", "15/11/2023", "timed out", "OCSP"];
            let carries_data = data.iter().any(|d| m.en.contains(d));
            let plain = matches!(
                f,
                Finding::IssuerDownloaded
                    | Finding::NoTrustAnchors
                    | Finding::NoTrustedChain
                    | Finding::NotYetValid
                    | Finding::ChainCertificateNotValid
                    | Finding::SignerNoRevocationService
                    | Finding::SignerRevocationNotChecked
            );
            assert!(carries_data || plain, "{f:?}: {m:?}");
            assert!(codes.insert(f.code()), "{} twice", f.code());
        }
        assert_eq!(
            words(&all[9]).en,
            "The certificate is not revoked (online OCSP of 2023-11-14T22:13:20Z)."
        );
        assert_eq!(
            words(&all[9]).vi,
            "Chứng thư số không bị thu hồi (online OCSP, cập nhật 2023-11-15 05:13:20 (+07:00))."
        );
        assert!(words(&all[10])
            .en
            .ends_with(" The network did not answer (http://ca.example/crl: timed out)."));
        assert_eq!(
            words(&all[19]).en,
            "CA Test: Only the OCSP response of 15/11/2023 (saved), which expired on 16/11/2023, is available: the revocation status is not decided. Connect to the network and check again so Kyso fetches a current one."
        );
    }
}
