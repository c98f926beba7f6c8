//! The headline of a signature's verdict: one sentence per sub-indication, Vietnamese and
//! English, saying what happened and what the clerk does next. A clerk reads only this line;
//! a revoked certificate must not read like a tampered file, nor "try later" like a failure.
//! The opening words follow the indication ("Chữ ký hợp lệ", "Chữ ký KHÔNG hợp lệ", "Chưa xác
//! định"), the rest follows the sub-indication.

use super::report::{FileVerdict, Indication, Message, SubIndication};

/// The headline for a signature judged `ind` / `sub`.
pub fn headline(ind: Indication, sub: Option<SubIndication>) -> Message {
    let (lead_vi, lead_en) = match ind {
        Indication::TotalPassed => {
            return Message::new(
                "Chữ ký hợp lệ: tài liệu không bị thay đổi sau khi ký và chứng thư số của người ký được tin cậy.",
                "Valid signature: the document is unchanged since signing and the signer's certificate is trusted.",
            )
        }
        Indication::TotalFailed => ("Chữ ký KHÔNG hợp lệ", "INVALID signature"),
        Indication::Indeterminate => ("Chưa xác định", "Undecided"),
    };
    let (vi, en) = reason(sub);
    Message::new(format!("{lead_vi}: {vi}"), format!("{lead_en}: {en}"))
}

/// What happened and what to do, after the opening words. Every sub-indication has its own
/// sentence (the match has no catch-all, so a new one cannot be added without one).
fn reason(sub: Option<SubIndication>) -> (&'static str, &'static str) {
    use SubIndication as S;
    let Some(sub) = sub else {
        return (
            "không đủ thông tin để kết luận chữ ký hợp lệ; xem các phát hiện chi tiết.",
            "not enough evidence to call the signature valid; see the findings.",
        );
    };
    match sub {
        S::HashFailure => (
            "nội dung tài liệu đã bị thay đổi sau khi ký. Không sử dụng văn bản này; đề nghị nơi gửi gửi lại.",
            "the document was changed after it was signed. Do not rely on it; ask the sender to send it again.",
        ),
        S::SigCryptoFailure => (
            "giá trị chữ ký không khớp với chứng thư số của người ký. Không sử dụng văn bản này; đề nghị nơi gửi gửi lại.",
            "the signature value does not match the signer's certificate. Do not rely on it; ask the sender to send it again.",
        ),
        S::FormatFailure => (
            "cấu trúc chữ ký hoặc tài liệu không đúng quy định (có thể đã bị can thiệp). Đề nghị nơi gửi gửi lại.",
            "the signature or document structure is not as required (possible tampering). Ask the sender to send it again.",
        ),
        S::ChangesNotAllowed => (
            "chữ ký không còn giá trị cho nội dung hiện tại vì tài liệu đã bị sửa đổi sau khi ký. Không sử dụng văn bản này; đề nghị nơi gửi gửi lại.",
            "the signature does not cover what is shown now: the document was modified after signing. Do not rely on it; ask the sender to send it again.",
        ),
        S::Revoked => (
            "chứng thư số của người ký đã bị thu hồi trước thời điểm ký. Văn bản không có giá trị; đề nghị nơi gửi ký lại bằng chứng thư còn hiệu lực.",
            "the signer's certificate was revoked before the signing time. The document has no force; ask the sender to sign it again with a valid certificate.",
        ),
        S::RevokedNoPoe => (
            "chứng thư số của người ký đã bị thu hồi và không có dấu thời gian chứng minh chữ ký được tạo trước khi thu hồi. Hãy hỏi lại nơi gửi.",
            "the signer's certificate was revoked and no timestamp proves the signature was made before that. Check with the sender.",
        ),
        S::OutOfBoundsNoPoe => (
            "chứng thư số đã hết hạn (hoặc chưa có hiệu lực) vào thời điểm ký và không có dấu thời gian chứng minh đã ký khi chứng thư còn hiệu lực.",
            "the certificate had expired (or was not yet valid) at the signing time and no timestamp proves it was signed while it was valid.",
        ),
        S::NotYetValid => (
            "chứng thư số của người ký chưa có hiệu lực vào thời điểm ký.",
            "the signer's certificate was not yet valid at the signing time.",
        ),
        S::NoCertificateChainFound => (
            "tài liệu không bị thay đổi, nhưng chứng thư số của người ký không dẫn tới một tổ chức chứng thực được tin cậy.",
            "the document is unchanged, but the signer's certificate does not chain to a trusted authority.",
        ),
        S::NoSigningCertificateFound => (
            "không tìm thấy chứng thư số của người ký trong chữ ký, hoặc chứng thư không khớp với chữ ký.",
            "the signer's certificate is missing from the signature or does not match it.",
        ),
        S::CryptoConstraintsFailureNoPoe => (
            "chữ ký dùng thuật toán hoặc khoá quá yếu (SHA-1, RSA dưới 2048 bit), không còn đủ an toàn.",
            "the signature uses an algorithm or key that is too weak (SHA-1, RSA under 2048 bits) to be relied on.",
        ),
        S::SignatureAlgorithmUnsupported => (
            "chữ ký dùng thuật toán Kyso không hỗ trợ nên không kiểm tra được.",
            "the signature uses an algorithm Kyso does not support, so it could not be checked.",
        ),
        S::TryLater => (
            "tài liệu không bị thay đổi, nhưng chưa kiểm tra được chứng thư số có bị thu hồi hay không (không có mạng hoặc máy chủ không trả lời). Hãy kiểm tra lại khi có mạng.",
            "the document is unchanged, but whether the certificate was revoked could not be checked (no network, or the server did not answer). Check again when online.",
        ),
    }
}

impl Indication {
    /// A signature's verdict as the app shows it.
    pub fn words(self, vi: bool) -> &'static str {
        match (self, vi) {
            (Indication::TotalPassed, true) => "Hợp lệ",
            (Indication::TotalPassed, false) => "Valid",
            (Indication::Indeterminate, true) => "Chưa xác định",
            (Indication::Indeterminate, false) => "Undecided",
            (Indication::TotalFailed, true) => "Không hợp lệ",
            (Indication::TotalFailed, false) => "Invalid",
        }
    }
}

/// A signature's result in words: "Không hợp lệ — chứng thư đã bị thu hồi".
pub fn result_words(ind: Indication, sub: Option<SubIndication>, vi: bool) -> String {
    match sub {
        Some(sub) if ind != Indication::TotalPassed => format!("{} — {}", ind.words(vi), sub.words(vi)),
        _ => ind.words(vi).to_string(),
    }
}

impl FileVerdict {
    /// A file's verdict as the app shows it ("Hợp lệ", "Chưa xác định" …).
    pub fn words(self, vi: bool) -> &'static str {
        match (self, vi) {
            (FileVerdict::TotalPassed, true) => "Hợp lệ",
            (FileVerdict::TotalPassed, false) => "Valid",
            (FileVerdict::Indeterminate, true) => "Chưa xác định",
            (FileVerdict::Indeterminate, false) => "Undecided",
            (FileVerdict::TotalFailed, true) => "Không hợp lệ",
            (FileVerdict::TotalFailed, false) => "Invalid",
            (FileVerdict::NoSignature, true) => "Không có chữ ký",
            (FileVerdict::NoSignature, false) => "No signature",
        }
    }

    /// `ok` / `warn` / `bad`: how a face colours it.
    pub fn class(self) -> &'static str {
        match self {
            FileVerdict::TotalPassed => "ok",
            FileVerdict::TotalFailed => "bad",
            FileVerdict::Indeterminate | FileVerdict::NoSignature => "warn",
        }
    }
}

impl SubIndication {
    /// Why, in a few words, as the app shows it ("chứng thư đã bị thu hồi"); the headline
    /// says it in a sentence. Reports and the legal check use these, never the names.
    pub fn words(self, vi: bool) -> &'static str {
        use SubIndication as S;
        match (self, vi) {
            (S::HashFailure, true) => "nội dung đã bị thay đổi sau khi ký",
            (S::HashFailure, false) => "changed after signing",
            (S::SigCryptoFailure, true) => "giá trị chữ ký sai",
            (S::SigCryptoFailure, false) => "wrong signature value",
            (S::FormatFailure, true) => "cấu trúc không đúng quy định",
            (S::FormatFailure, false) => "malformed",
            (S::NoCertificateChainFound, true) => "không dẫn tới tổ chức chứng thực tin cậy",
            (S::NoCertificateChainFound, false) => "no trusted certificate chain",
            (S::NoSigningCertificateFound, true) => "không có chứng thư của người ký",
            (S::NoSigningCertificateFound, false) => "signer's certificate missing",
            (S::OutOfBoundsNoPoe, true) => "chứng thư hết hạn khi ký",
            (S::OutOfBoundsNoPoe, false) => "certificate expired at signing",
            (S::CryptoConstraintsFailureNoPoe, true) => "thuật toán hoặc khoá quá yếu",
            (S::CryptoConstraintsFailureNoPoe, false) => "weak algorithm or key",
            (S::NotYetValid, true) => "chứng thư chưa có hiệu lực khi ký",
            (S::NotYetValid, false) => "certificate not yet valid at signing",
            (S::ChangesNotAllowed, true) => "bị sửa đổi sau khi ký",
            (S::ChangesNotAllowed, false) => "modified after signing",
            (S::SignatureAlgorithmUnsupported, true) => "thuật toán không được hỗ trợ",
            (S::SignatureAlgorithmUnsupported, false) => "unsupported algorithm",
            (S::Revoked, true) => "chứng thư đã bị thu hồi",
            (S::Revoked, false) => "certificate revoked",
            (S::RevokedNoPoe, true) => "chứng thư bị thu hồi, không có dấu thời gian",
            (S::RevokedNoPoe, false) => "certificate revoked, no timestamp",
            (S::TryLater, true) => "chưa kiểm tra được thu hồi — thử lại khi có mạng",
            (S::TryLater, false) => "revocation not checked — try again online",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use SubIndication as S;

    const ALL: [S; 13] = [
        S::HashFailure,
        S::SigCryptoFailure,
        S::FormatFailure,
        S::NoCertificateChainFound,
        S::NoSigningCertificateFound,
        S::OutOfBoundsNoPoe,
        S::CryptoConstraintsFailureNoPoe,
        S::NotYetValid,
        S::ChangesNotAllowed,
        S::SignatureAlgorithmUnsupported,
        S::Revoked,
        S::RevokedNoPoe,
        S::TryLater,
    ];

    #[test]
    fn each_sub_indication_has_its_own_headline_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for s in ALL {
            let m = headline(Indication::TotalFailed, Some(s));
            assert!(m.vi.starts_with("Chữ ký KHÔNG hợp lệ: "), "{m:?}");
            assert!(m.en.starts_with("INVALID signature: "), "{m:?}");
            assert!(seen.insert(m.vi.clone()), "two sub-indications share {}", m.vi);
        }
    }

    #[test]
    fn a_revoked_certificate_does_not_read_like_a_tampered_file() {
        let revoked = headline(Indication::TotalFailed, Some(S::Revoked));
        assert!(revoked.vi.contains("thu hồi"), "{}", revoked.vi);
        assert!(revoked.en.contains("revoked"), "{}", revoked.en);
        assert!(!revoked.vi.contains("can thiệp") && !revoked.en.contains("tamper"));
        let format = headline(Indication::TotalFailed, Some(S::FormatFailure));
        assert!(format.en.contains("tampering"));
    }

    #[test]
    fn the_opening_words_follow_the_indication() {
        let later = headline(Indication::Indeterminate, Some(S::TryLater));
        assert!(later.vi.starts_with("Chưa xác định: ") && later.vi.contains("khi có mạng"));
        assert!(later.en.starts_with("Undecided: ") && later.en.contains("when online"));
        let ok = headline(Indication::TotalPassed, None);
        assert!(ok.vi.starts_with("Chữ ký hợp lệ"));
        let none = headline(Indication::Indeterminate, None);
        assert!(none.en.contains("findings"));
    }
}
