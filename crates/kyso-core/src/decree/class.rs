//! The class of a signing certificate (Decree 68/2024 Art. 10: an individual, an
//! organisation, or a device/service/software), read from the certificate's own fields, and
//! the evidence used. Vietnamese certificates carry no class marker (VGCA's policy OID is the
//! same for all), so the fields decide, strongest first: a time-stamping or OCSP purpose or
//! an issuing CA for software services → service; a personal identifier in `UID`
//! (`CCCD:`/`CMND:`/`HC:`) → individual; a budget code (`MNS:`) → organisation; the common
//! name being the organisation's own name, or an organisation's name (a ministry, a people's
//! committee, an office…) → organisation; a person's name (a Vietnamese surname and
//! capitalised given names) → individual. Checked against every signer of the real documents
//! in `../shared/corpus/vn-real`.

use serde::Serialize;
use x509_cert::Certificate;

use super::{norm, Text};
use crate::{cert, oids};

/// Who a certificate is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// A person (the competent signer).
    Individual,
    /// An organisation (its clerk signs on its behalf).
    Organization,
    /// A device, service or software (a timestamp server, a publishing portal's robot).
    Service,
}

impl Class {
    /// Its name for a clerk, Vietnamese or English (reports, the CLI).
    pub fn words(self, vi: bool) -> &'static str {
        match (self, vi) {
            (Class::Individual, true) => "cá nhân",
            (Class::Individual, false) => "individual",
            (Class::Organization, true) => "tổ chức",
            (Class::Organization, false) => "organisation",
            (Class::Service, true) => "dịch vụ",
            (Class::Service, false) => "service",
        }
    }
}

/// Words that make a common name an organisation's (whole words, after [`norm`]).
const ORG_WORDS: &[&str] = &[
    "bộ",
    "sở",
    "cục",
    "vụ",
    "ban",
    "phòng",
    "văn phòng",
    "cổng",
    "ủy ban",
    "ubnd",
    "hđnd",
    "hội đồng",
    "trung tâm",
    "công báo",
    "viện",
    "trường",
    "bệnh viện",
    "tổng cục",
    "chi cục",
    "kho bạc",
    "công an",
    "tòa án",
    "quốc hội",
    "chính phủ",
    "công ty",
    "tập đoàn",
    "ngân hàng",
    "đài",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thành phố",
    "đại học",
];

/// Common Vietnamese surnames (a person's name starts with one).
const SURNAMES: &[&str] = &[
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
    "dương", "lý", "trịnh", "đinh", "lã", "lưu", "mai", "đào", "cao", "tạ", "hà", "đoàn", "vương", "tô",
    "lâm", "la", "chu", "trương", "thái", "quách", "lương", "kiều", "triệu", "lại", "đàm", "tăng", "từ",
    "hứa", "phùng", "mạc", "khổng", "nông", "lục", "thân", "giang", "tôn", "âu", "ông", "kim", "châu",
    "diệp", "nghiêm", "thạch", "quan", "ninh", "doãn", "lò", "vi", "hầu", "khúc", "bạch", "tống",
];

/// id-kp-timeStamping, id-kp-OCSPSigning.
const SERVICE_PURPOSES: &[&str] = &["1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9"];

fn has_word(text: &str, word: &str) -> bool {
    let t = format!(" {text} ");
    t.contains(&format!(" {word} "))
}

/// Whether `name` reads as a person's name: 2–6 words, each capitalised and then lower case,
/// the first a Vietnamese surname.
pub fn looks_like_person(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if !(2..=6).contains(&words.len()) {
        return false;
    }
    let capitalised = words.iter().all(|w| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.all(|c| c.is_lowercase())
    });
    capitalised
        && words
            .first()
            .is_some_and(|w| SURNAMES.contains(&norm(w).as_str()))
}

/// Whether `name` reads as an organisation's name.
pub fn looks_like_organization(name: &str) -> bool {
    let n = norm(name);
    ORG_WORDS.iter().any(|w| has_word(&n, w))
}

/// The class of `c` (issued by the CA named `issuer_cn`), and the fields that say so.
pub fn classify(c: &Certificate, issuer_cn: Option<&str>) -> (Class, Text) {
    let subject = &c.tbs_certificate.subject;
    let cn = cert::name_attr(subject, oids::CN).unwrap_or_default();
    let o = cert::name_attr(subject, oids::O).unwrap_or_default();
    let uids = cert::name_attrs(subject, oids::UID);
    let ekus: Vec<String> = cert::extension::<x509_cert::ext::pkix::ExtendedKeyUsage>(
        c,
        const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE,
    )
    .map(|e| e.0.iter().map(ToString::to_string).collect())
    .unwrap_or_default();
    if ekus.iter().any(|e| SERVICE_PURPOSES.contains(&e.as_str())) {
        return (
            Class::Service,
            Text::new(
                "Mục đích sử dụng của chứng thư là cấp dấu thời gian hoặc trả lời OCSP (dịch vụ).",
                "The certificate's purpose is time-stamping or OCSP (a service).",
            ),
        );
    }
    if let Some(i) = issuer_cn.filter(|i| norm(i).contains("dịch vụ phần mềm")) {
        return (
            Class::Service,
            Text::new(
                format!("Cấp bởi «{i}», đơn vị cấp chứng thư cho dịch vụ, phần mềm."),
                format!("Issued by \u{ab}{i}\u{bb}, the CA for services and software."),
            ),
        );
    }
    let upper = |u: &str| u.trim().to_uppercase();
    if let Some(u) = uids.iter().find(|u| {
        ["CCCD:", "CMND:", "HC:", "PASSPORT:"]
            .iter()
            .any(|p| upper(u).starts_with(p))
    }) {
        return (
            Class::Individual,
            Text::new(
                format!("UID «{u}»: số định danh cá nhân."),
                format!("UID \u{ab}{u}\u{bb}: a personal identifier."),
            ),
        );
    }
    if let Some(u) = uids.iter().find(|u| upper(u).starts_with("MNS:")) {
        return (
            Class::Organization,
            Text::new(
                format!("UID «{u}»: mã số đơn vị có quan hệ với ngân sách (của tổ chức); CN «{cn}»."),
                format!(
                    "UID \u{ab}{u}\u{bb}: a budget-relation code (an organisation's); CN \u{ab}{cn}\u{bb}."
                ),
            ),
        );
    }
    if !cn.is_empty() && norm(&cn) == norm(&o) {
        return (
            Class::Organization,
            Text::new(
                format!("Tên (CN) trùng tên tổ chức (O): «{cn}»."),
                format!("The common name is the organisation's own name (O): \u{ab}{cn}\u{bb}."),
            ),
        );
    }
    if looks_like_organization(&cn) && !looks_like_person(&cn) {
        return (
            Class::Organization,
            Text::new(
                format!("Tên (CN) «{cn}» là tên một cơ quan, tổ chức."),
                format!("The common name \u{ab}{cn}\u{bb} is an organisation's name."),
            ),
        );
    }
    if let Some(u) = uids.iter().find(|u| upper(u).starts_with("MST:")) {
        if !looks_like_person(&cn) {
            return (
                Class::Organization,
                Text::new(
                    format!("UID «{u}»: mã số thuế; tên (CN) «{cn}» không phải tên người."),
                    format!("UID \u{ab}{u}\u{bb}: a tax code; the common name \u{ab}{cn}\u{bb} is not a person's."),
                ),
            );
        }
    }
    if looks_like_person(&cn) {
        return (
            Class::Individual,
            Text::new(
                format!("Tên (CN) «{cn}» là họ tên một người."),
                format!("The common name \u{ab}{cn}\u{bb} is a person's name."),
            ),
        );
    }
    if cn.chars().any(char::is_lowercase) || cn.is_empty() {
        (
            Class::Individual,
            Text::new(
                format!("Không có dấu hiệu của tổ chức (MNS, tên cơ quan); tên (CN) «{cn}»."),
                format!("No sign of an organisation (MNS, a body's name); common name \u{ab}{cn}\u{bb}."),
            ),
        )
    } else {
        (
            Class::Organization,
            Text::new(
                format!("Tên (CN) «{cn}» viết hoa toàn bộ như tên cơ quan, không phải họ tên người."),
                format!(
                    "The common name \u{ab}{cn}\u{bb} is in capitals like a body's name, not a person's."
                ),
            ),
        )
    }
}

/// The system and class of `signer`, whose path building gave `outcome`; `systems` maps
/// anchors (SHA-256) to their hierarchy.
pub fn facts(
    signer: &Certificate,
    outcome: &crate::trust::path::PathOutcome,
    systems: &std::collections::HashMap<String, super::System>,
) -> super::CertificateFacts {
    use super::System;
    let issuer = cert::name_attr(&signer.tbs_certificate.issuer, oids::CN);
    let (class, class_why) = classify(signer, issuer.as_deref());
    let anchor = outcome.trusted.then(|| outcome.path.last()).flatten();
    let anchor_name =
        anchor.map(|a| cert::name_attr(&a.tbs_certificate.subject, oids::CN).unwrap_or_default());
    let (system, system_why) = match anchor {
        None => (
            System::Other,
            Text::new(
                "Chưa xây dựng được chuỗi tới một chứng thư gốc tin cậy.",
                "No chain to a trusted root was built.",
            ),
        ),
        Some(a) => {
            let s = crate::trust::system_in(systems, a);
            let name = anchor_name.clone().unwrap_or_default();
            let built_in = crate::trust::builtin::pin_of(a).is_some();
            let (vi, en) = match (s, built_in) {
                (System::Official, true) => (
                    format!("Chuỗi chứng thư tới «{name}», chứng thư gốc chuyên dùng công vụ của Ban Cơ yếu Chính phủ."),
                    format!("Chains to \u{ab}{name}\u{bb}, the Government Cipher Committee's official-duty root."),
                ),
                (System::Public, true) => (
                    format!("Chuỗi chứng thư tới «{name}», chứng thư gốc của hệ thống công cộng."),
                    format!("Chains to \u{ab}{name}\u{bb}, a root of the public system."),
                ),
                (System::Other, _) => (
                    format!("Chuỗi chứng thư tới «{name}», chứng thư gốc do người dùng thêm, không thuộc hệ thống nào của Việt Nam."),
                    format!("Chains to \u{ab}{name}\u{bb}, a root the user added, in neither Vietnamese system."),
                ),
                (s, false) => {
                    let (vi_s, en_s) = if s == System::Official {
                        ("chuyên dùng công vụ", "official-duty")
                    } else {
                        ("công cộng", "public")
                    };
                    (
                        format!("Chuỗi chứng thư tới «{name}», chứng thư gốc do người dùng thêm và khai báo thuộc hệ thống {vi_s}."),
                        format!("Chains to \u{ab}{name}\u{bb}, a root the user added and declared {en_s}."),
                    )
                }
            };
            (s, Text::new(vi, en))
        }
    };
    super::CertificateFacts {
        system,
        class,
        evidence: super::FactsEvidence {
            system: system_why,
            class: class_why,
        },
        issuer,
        anchor: anchor_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_people_or_bodies() {
        for n in [
            "Nguyễn Văn An",
            "Đỗ Xuân Tuyên",
            "Lã Hồng Hạnh",
            "Vũ Hải Quân",
            "Trịnh Quốc Cường",
        ] {
            assert!(looks_like_person(n), "{n}");
            assert!(!looks_like_organization(n) || looks_like_person(n), "{n}");
        }
        for n in [
            "VĂN PHÒNG",
            "Cổng Thông tin điện tử Chính phủ",
            "PHÒNG VĂN THƯ",
            "BỘ XÂY DỰNG",
            "UBND TỈNH BẮC GIANG",
            "Bộ Nội vụ",
        ] {
            assert!(looks_like_organization(n), "{n}");
            assert!(!looks_like_person(n), "{n}");
        }
    }

    /// Every signer certificate of the real documents, by what the corpus notes say of it.
    #[test]
    fn real_signers_are_classed_as_the_corpus_says() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/vn-real/certs");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return; // corpus absent
        };
        let mut seen = 0;
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with("ee_") {
                continue;
            }
            let Some(c) = std::fs::read(e.path())
                .ok()
                .and_then(|d| crate::cms::bundle::certificates(&d).into_iter().next())
            else {
                continue;
            };
            let issuer = cert::name_attr(&c.tbs_certificate.issuer, oids::CN);
            let (class, why) = classify(&c, issuer.as_deref());
            let want = if name.contains("may-chu-cap-dau-thoi-gian") || name.contains("cong-bao") {
                Class::Service
            } else if ["nguyen-", "la-hong", "o-xuan", "trinh-quoc", "vu-hai"]
                .iter()
                .any(|p| name.starts_with(&format!("ee_{p}")))
            {
                Class::Individual
            } else {
                Class::Organization
            };
            assert_eq!(class, want, "{name}: {}", why.en);
            seen += 1;
        }
        assert!(seen >= 20, "{seen}");
    }
}
