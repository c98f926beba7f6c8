//! What the decrees ask of an electronic official document, as data: the legal verdict's
//! shape (checks and their results), the wording of every rule in one table ([`rules`]),
//! the document-type codes, signing-authority prefixes and positions of Decree 30/2020,
//! and the certificate classes of Decree 68/2024 ([`class`]).
//!
//! Sources: `../shared/design/legal-check.md` (Decree 30/2020 Art. 5, 8, 32 and Appendices I
//! and III; Decree 68/2024 Art. 10, 29–32) and `vn-pki.md`. The checker that applies them
//! to a document is [`crate::legal`]; here is only what the rules say, so that a wording or
//! a code can be corrected in one place.

pub mod class;
pub mod rules;

use serde::Serialize;

pub use crate::trust::System;
pub use class::Class;

/// A sentence in both languages.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Text {
    /// Tiếng Việt.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A sentence.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// Which system and class a signer's certificate belongs to, and why we say so.
#[derive(Clone, Debug, Serialize)]
pub struct CertificateFacts {
    /// `official` (chains to a VGCA root), `public` (to the Vietnam National Root CA) or
    /// `other` (a custom or unknown anchor, or no chain).
    pub system: System,
    /// `individual`, `organization` or `service` (Decree 68 Art. 10).
    pub class: Class,
    /// The evidence for each.
    pub evidence: FactsEvidence,
    /// The issuing CA (common name).
    pub issuer: Option<String>,
    /// The anchor the chain ends at (subject), when trusted.
    pub anchor: Option<String>,
}

/// Why a certificate is said to be of its system and class.
#[derive(Clone, Debug, Serialize)]
pub struct FactsEvidence {
    /// For the system.
    pub system: Text,
    /// For the class (the certificate fields used).
    pub class: Text,
}

/// One check's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Met.
    Pass,
    /// Met with a remark the clerk should read.
    Warn,
    /// Could not be checked (a scanned page, a missing signature to compare with…).
    NotChecked,
    /// Not met: the document is not complete.
    Fail,
}

/// What is checked (stable codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// Every signature valid (the signature verdict).
    SignaturesValid,
    /// An individual's and an organisation's signature are both present (Art. 5).
    TwoSignatures,
    /// The organisation signed after the individual, and nothing but allowed changes
    /// follow (Art. 32).
    SigningOrder,
    /// The organisation certificate names the issuing body printed (Art. 8(2)(b)).
    IssuingBody,
    /// The individual's name is the one printed in the signature block, under a position
    /// (Art. 8(2)(g)).
    SignerName,
    /// "Số: N/SYMBOL" with a known type code (Art. 8(2)(c), Appendix III).
    NumberSymbol,
    /// "Place, ngày … tháng … năm …": well formed, not after the organisation's signing,
    /// the same year as the number (Art. 8(2)(d), Appendix I).
    DateLine,
    /// Both certificates are official-duty ones (Decree 68/2024).
    OfficialDuty,
}

impl Code {
    /// Every check, in the order a clerk reads them.
    pub const ALL: [Code; 8] = [
        Code::SignaturesValid,
        Code::TwoSignatures,
        Code::SigningOrder,
        Code::IssuingBody,
        Code::SignerName,
        Code::NumberSymbol,
        Code::DateLine,
        Code::OfficialDuty,
    ];
}

/// One check, as reported.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What was checked.
    pub code: Code,
    /// Its result.
    pub result: Outcome,
    /// A sentence for the clerk.
    pub message: Text,
    /// For a failure: the sentence the clerk can send back to the issuer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_text: Option<Text>,
    /// What the check is, in a few words (for lists and reports).
    pub title: Text,
}

/// The legal verdict of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Every check passed (some perhaps with a remark).
    Complete,
    /// At least one check failed.
    Incomplete,
    /// Nothing failed, but something could not be checked.
    NotChecked,
}

/// The legal verdict (Decree 30 + Decree 68) of one file, beside its signature verdict.
#[derive(Clone, Debug, Serialize)]
pub struct LegalReport {
    /// COMPLETE, INCOMPLETE or NOT_CHECKED.
    pub verdict: Verdict,
    /// The checks, in [`Code::ALL`] order.
    pub checks: Vec<Check>,
    /// The verdict in a sentence.
    pub message: Text,
}

impl LegalReport {
    /// The verdict from the checks: a failure makes it incomplete; else anything not checked
    /// leaves it open; else complete.
    pub fn conclude(checks: Vec<Check>) -> Self {
        let verdict = if checks.iter().any(|c| c.result == Outcome::Fail) {
            Verdict::Incomplete
        } else if checks.iter().any(|c| c.result == Outcome::NotChecked) {
            Verdict::NotChecked
        } else {
            Verdict::Complete
        };
        let message = rules::verdict_text(verdict);
        Self {
            verdict,
            checks,
            message,
        }
    }

    /// A file the legal check does not apply to (not a PDF, unreadable).
    pub fn not_applicable(why: Text) -> Self {
        Self {
            verdict: Verdict::NotChecked,
            checks: Vec::new(),
            message: why,
        }
    }
}

/// Document-type codes of the number and symbol (Decree 30 Appendix III), and the
/// normative-document codes of the Law on Promulgation of Legal Documents that real
/// incoming documents carry (NĐ, TT …).
pub const TYPE_CODES: &[(&str, &str, &str)] = &[
    ("NQ", "Nghị quyết", "Resolution"),
    ("QĐ", "Quyết định", "Decision"),
    ("CT", "Chỉ thị", "Directive"),
    ("QC", "Quy chế", "Regulation"),
    ("QYĐ", "Quy định", "Rules"),
    ("TC", "Thông cáo", "Communiqué"),
    ("TB", "Thông báo", "Notice"),
    ("HD", "Hướng dẫn", "Guidance"),
    ("CTR", "Chương trình", "Programme"),
    ("KH", "Kế hoạch", "Plan"),
    ("PA", "Phương án", "Scheme"),
    ("ĐA", "Đề án", "Project"),
    ("BC", "Báo cáo", "Report"),
    ("BB", "Biên bản", "Minutes"),
    ("TTR", "Tờ trình", "Submission"),
    ("HĐ", "Hợp đồng", "Contract"),
    ("CĐ", "Công điện", "Official dispatch by telegram"),
    ("BGN", "Bản ghi nhớ", "Memorandum"),
    ("BTT", "Bản thỏa thuận", "Agreement"),
    ("GUQ", "Giấy ủy quyền", "Power of attorney"),
    ("GM", "Giấy mời", "Invitation"),
    ("GGT", "Giấy giới thiệu", "Letter of introduction"),
    ("GNP", "Giấy nghỉ phép", "Leave permit"),
    ("PG", "Phiếu gửi", "Dispatch slip"),
    ("PC", "Phiếu chuyển", "Transfer slip"),
    ("PB", "Phiếu báo", "Notification slip"),
    // Normative documents (Law on Promulgation of Legal Documents).
    ("NĐ", "Nghị định", "Decree"),
    ("TT", "Thông tư", "Circular"),
    ("TTLT", "Thông tư liên tịch", "Joint circular"),
    ("NQLT", "Nghị quyết liên tịch", "Joint resolution"),
    ("PL", "Pháp lệnh", "Ordinance"),
];

/// Signing-authority prefixes before the position (Decree 30 Art. 13, Appendix I).
pub const PREFIXES: &[(&str, &str, &str)] = &[
    ("TM.", "thay mặt (tập thể)", "on behalf of a collective"),
    (
        "KT.",
        "ký thay (cấp phó ký thay người đứng đầu)",
        "deputy signing for the head",
    ),
    ("TL.", "thừa lệnh", "by order"),
    ("TUQ.", "thừa ủy quyền", "by authorisation"),
    ("Q.", "quyền (người đứng đầu)", "acting head"),
];

/// Words a signer's position line is made of (the line above the printed name).
pub const POSITION_WORDS: &[&str] = &[
    "chủ tịch",
    "phó chủ tịch",
    "bộ trưởng",
    "thứ trưởng",
    "thủ tướng",
    "phó thủ tướng",
    "giám đốc",
    "phó giám đốc",
    "tổng giám đốc",
    "chánh văn phòng",
    "phó chánh văn phòng",
    "cục trưởng",
    "phó cục trưởng",
    "vụ trưởng",
    "phó vụ trưởng",
    "trưởng phòng",
    "phó trưởng phòng",
    "trưởng ban",
    "phó trưởng ban",
    "chủ nhiệm",
    "phó chủ nhiệm",
    "tổng cục trưởng",
    "chi cục trưởng",
    "hiệu trưởng",
    "viện trưởng",
    "chánh án",
    "bí thư",
    "thủ trưởng",
    "trưởng",
    "chủ tịch ủy ban nhân dân",
];

/// Folds Vietnamese text for comparing names of bodies: NFC, lower case, the old and new
/// tone placements made one (`hoà` = `hòa`, `thuỷ` = `thủy`), `Ð` (U+00D0) read as `Đ`,
/// runs of spaces and punctuation made one space, and the usual abbreviations written out.
pub fn fold_body(s: &str) -> String {
    let words = norm(s);
    let mut out = Vec::new();
    for w in words.split(' ') {
        match w {
            "ubnd" => out.push("ủy ban nhân dân"),
            "hđnd" => out.push("hội đồng nhân dân"),
            "tp" | "tp." => out.push("thành phố"),
            "" => {}
            w => out.push(w),
        }
    }
    out.join(" ")
}

/// Text made comparable: NFC, lower case, one tone placement, `Ð` as `Đ`, punctuation
/// (but not `.` `/` `-` `:`) and spaces collapsed to one space.
pub fn norm(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = s
        .nfc()
        .map(|c| match c {
            'Ð' | 'ð' => 'đ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    // Old-style tone placement (hoà, thuỷ, khoẻ) → new style.
    const TONES: &[(&str, &str)] = &[
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oè", "òe"),
        ("oé", "óe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
    ];
    let mut t = lower;
    for (a, b) in TONES {
        if t.contains(a) {
            t = t.replace(a, b);
        }
    }
    let mut out = String::with_capacity(t.len());
    let mut space = true;
    for c in t.chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '/' | '-' | ':') {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// A type code as written in a symbol ("QĐ", "QÐ", "Qđ"), upper case with `Đ`.
pub fn type_code(code: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let up: String = norm(code).to_uppercase();
    TYPE_CODES.iter().find(|(c, _, _)| *c == up)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_fold_to_one_spelling() {
        assert_eq!(
            fold_body("UBND tỉnh Bắc Giang"),
            fold_body("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG")
        );
        assert_eq!(fold_body("Uỷ ban nhân dân"), fold_body("Ủy ban nhân dân"));
        assert_eq!(norm("Hòa  Bình"), norm("Hoà Bình"));
        assert_eq!(type_code("QÐ").map(|t| t.0), Some("QĐ"));
        assert_eq!(type_code("Qđ").map(|t| t.0), Some("QĐ"));
        assert_eq!(type_code("TT").map(|t| t.1), Some("Thông tư"));
        assert!(type_code("UBND").is_none());
    }
}
