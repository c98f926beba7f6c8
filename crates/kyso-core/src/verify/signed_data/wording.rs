//! The sentences for every finding about the signature data, in Vietnamese and English, in
//! one place. The report carries them with the finding's code.

use super::finding::Finding;
use crate::message::Message;
use crate::timefmt;
use crate::verify::finding::both as s;

/// The finding as people read it.
pub fn words(f: &Finding) -> Message {
    let (vi, en) = match f {
        Finding::Unreadable { error } => (
            format!("Không đọc được dữ liệu chữ ký (CMS): {error}"),
            format!("The signature data (CMS) cannot be read: {error}"),
        ),
        Finding::NoSigner => s("Dữ liệu chữ ký không có người ký.", "The signature data has no signer."),
        Finding::SeveralSigners => s(
            "Dữ liệu chữ ký có nhiều hơn một người ký (PAdES chỉ cho phép một).",
            "The signature data has more than one signer (PAdES allows exactly one).",
        ),
        Finding::DigestAlgorithmUnsupported { oid } => (
            format!("Thuật toán băm {oid} chưa được hỗ trợ."),
            format!("Digest algorithm {oid} is not supported."),
        ),
        Finding::ContentUnreadable { error } => (format!("Lỗi đọc tệp: {error}"), format!("Read error: {error}")),
        Finding::EncapsulatedContentMissing => s(
            "Thiếu nội dung đóng gói (adbe.pkcs7.sha1).",
            "Missing encapsulated content (adbe.pkcs7.sha1).",
        ),
        Finding::EncapsulatedDigestMismatch => s(
            "Nội dung tài liệu đã bị thay đổi sau khi ký.",
            "The document content changed after signing.",
        ),
        Finding::DigestAttributesMalformed => s(
            "Thuộc tính message-digest/content-type thiếu hoặc bị lặp.",
            "The message-digest / content-type attribute is missing or repeated.",
        ),
        Finding::DigestMismatch => s(
            "Nội dung tài liệu đã bị thay đổi sau khi ký (mã băm không khớp).",
            "The document content changed after signing (digest mismatch).",
        ),
        Finding::SignerCertificateMissing => s(
            "Không tìm thấy chứng thư số của người ký trong chữ ký.",
            "The signer's certificate is not included in the signature.",
        ),
        Finding::Sha1Digest => s(
            "Chữ ký dùng SHA-1, thuật toán không còn an toàn.",
            "The signature uses SHA-1, which is no longer secure.",
        ),
        Finding::SignatureAlgorithmUnsupported { algorithm } => (
            format!("Thuật toán chữ ký {algorithm} chưa được hỗ trợ."),
            format!("Signature algorithm {algorithm} is not supported."),
        ),
        Finding::SignatureValueMismatch => s(
            "Giá trị chữ ký không khớp với chứng thư số của người ký.",
            "The signature value does not match the signer's certificate.",
        ),
        Finding::RsaKeyTooShort { bits } => (
            format!("Khoá RSA {bits} bit quá ngắn (tối thiểu 2048)."),
            format!("The RSA key of {bits} bits is too short (2048 minimum)."),
        ),
        Finding::SigningCertificateMismatch { v2: true } => s(
            "Thuộc tính signing-certificate-v2 không khớp với chứng thư số của người ký.",
            "The signing-certificate-v2 attribute does not match the signer's certificate.",
        ),
        Finding::SigningCertificateMismatch { v2: false } => s(
            "Thuộc tính signing-certificate không khớp với chứng thư số của người ký.",
            "The signing-certificate attribute does not match the signer's certificate.",
        ),
        Finding::SigningCertificateAbsent => s(
            "Chữ ký PAdES thiếu thuộc tính signing-certificate-v2.",
            "The PAdES signature lacks the signing-certificate-v2 attribute.",
        ),
        Finding::SigningTimeInPades => s(
            "Chữ ký PAdES có thuộc tính signing-time (quy định đặt thời gian ở /M).",
            "The PAdES signature carries a signing-time attribute (the standard puts the time in /M).",
        ),
        Finding::TimestampNotProof { why_vi, why_en } => (
            format!("Dấu thời gian không được dùng làm bằng chứng: {why_vi}."),
            format!("The signature timestamp is not used as proof: {why_en}."),
        ),
        Finding::TimestampProof { time, tsa } => (
            format!("Dấu thời gian hợp lệ: đã ký trước {} ({tsa}).", timefmt::vietnam(*time)),
            format!("Valid signature timestamp: signed before {} ({tsa}).", timefmt::rfc3339(*time)),
        ),
        Finding::TimestampInvalid { error } => (
            format!("Dấu thời gian không hợp lệ: {error}"),
            format!("Invalid signature timestamp: {error}"),
        ),
        Finding::VietnamTimeAsUtc => s(
            "Thời gian ký khai báo lệch đúng +7 giờ so với dấu thời gian: phần mềm ký đã ghi giờ Việt Nam như giờ UTC.",
            "The claimed signing time is +7 h from the timestamp: the signing software wrote Vietnam time as UTC.",
        ),
    };
    Message::new(vi, en)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::verify::finding::TypedFinding;

    /// Every finding reads in both languages and has its own code; the data shows in the
    /// sentence.
    #[test]
    fn every_finding_has_both_languages_and_its_code() {
        let all = [
            Finding::Unreadable {
                error: "bad tag".into(),
            },
            Finding::NoSigner,
            Finding::SeveralSigners,
            Finding::DigestAlgorithmUnsupported { oid: "1.2.3".into() },
            Finding::ContentUnreadable { error: "eof".into() },
            Finding::EncapsulatedContentMissing,
            Finding::EncapsulatedDigestMismatch,
            Finding::DigestAttributesMalformed,
            Finding::DigestMismatch,
            Finding::SignerCertificateMissing,
            Finding::Sha1Digest,
            Finding::SignatureAlgorithmUnsupported {
                algorithm: "1.9".into(),
            },
            Finding::SignatureValueMismatch,
            Finding::RsaKeyTooShort { bits: 1024 },
            Finding::SigningCertificateMismatch { v2: true },
            Finding::SigningCertificateMismatch { v2: false },
            Finding::SigningCertificateAbsent,
            Finding::SigningTimeInPades,
            Finding::TimestampNotProof {
                why_vi: "lý do".into(),
                why_en: "reason".into(),
            },
            Finding::TimestampProof {
                time: 1_700_000_000,
                tsa: "TSA".into(),
            },
            Finding::TimestampInvalid {
                error: "imprint".into(),
            },
            Finding::VietnamTimeAsUtc,
        ];
        let mut codes = std::collections::HashSet::new();
        for f in &all {
            let m = words(f);
            assert!(!m.vi.is_empty() && !m.en.is_empty() && m.vi != m.en, "{f:?}");
            codes.insert(f.code());
        }
        // One code per kind (the two signing-certificate attributes share theirs).
        assert_eq!(codes.len(), all.len() - 1);
        assert!(words(&all[13]).en.contains("1024 bits"));
        assert!(words(&all[3]).vi.contains("1.2.3"));
        let proof = words(&all[19]);
        assert!(
            proof.en.contains("2023-11-14T22:13:20Z") && proof.vi.contains("TSA"),
            "{proof:?}"
        );
    }
}
