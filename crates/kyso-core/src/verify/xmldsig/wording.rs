//! The sentences for every finding about an XML signature, and for an XML file that cannot
//! be read at all, in Vietnamese and English, in one place. The report carries them with
//! the finding's code.

use super::finding::Finding;
use crate::message::Message;
use crate::verify::finding::both as s;
use crate::xml::XmlError;

/// Said of every shape that lets another part pass for the signed one.
const WRAPPING_VI: &str = "dấu hiệu giả mạo kiểu “bọc chữ ký” (signature wrapping)";
const WRAPPING_EN: &str = "a sign of signature wrapping";

/// The finding as people read it.
pub fn words(f: &Finding) -> Message {
    let (vi, en) = match f {
        Finding::Malformed { what } => (
            format!("Chữ ký XML sai cấu trúc: {what}."),
            format!("The XML signature is malformed: {what}."),
        ),
        Finding::AlgorithmUnsupported { algorithm } => (
            format!("Thuật toán {algorithm} chưa được hỗ trợ."),
            format!("Algorithm {algorithm} is not supported."),
        ),
        Finding::TransformUnsupported { transform } => (
            format!("Chữ ký dùng phép biến đổi {transform}, Kyso không thực hiện (XSLT, XPath có thể bị lợi dụng): không kiểm tra được phần đã ký."),
            format!("The signature uses the transform {transform}, which Kyso does not run (XSLT and XPath can be abused): what was signed cannot be checked."),
        ),
        Finding::ExternalReference { uri } => (
            format!("Chữ ký tham chiếu tới dữ liệu ngoài tệp ({uri}); Kyso không tải dữ liệu ngoài: chữ ký này không ký nội dung của tệp."),
            format!("The signature references data outside the file ({uri}); Kyso never fetches it: this signature does not sign the file's content."),
        ),
        Finding::TargetMissing { uri } => (
            format!("Phần được ký ({uri}) không có trong tệp."),
            format!("The signed part ({uri}) is not in the file."),
        ),
        Finding::DuplicateId { id, count } => (
            format!("Id \"{id}\" xuất hiện {count} lần trong tệp: không xác định được phần nào đã được ký — {WRAPPING_VI}."),
            format!("The Id \"{id}\" occurs {count} times in the file: which part was signed is ambiguous — {WRAPPING_EN}."),
        ),
        Finding::DigestMismatch { uri } => (
            format!("Nội dung phần được ký ({uri}) đã bị thay đổi sau khi ký (mã băm không khớp)."),
            format!("The signed part ({uri}) was changed after signing (digest mismatch)."),
        ),
        Finding::SignatureValueMismatch => s(
            "Giá trị chữ ký không khớp với chứng thư số của người ký.",
            "The signature value does not match the signer's certificate.",
        ),
        Finding::CertificateMissing => s(
            "Chữ ký không kèm chứng thư số của người ký (X509Certificate).",
            "The signature does not include the signer's certificate (X509Certificate).",
        ),
        Finding::CertificateUnreadable { error } => (
            format!("Không đọc được chứng thư số trong chữ ký: {error}."),
            format!("A certificate in the signature cannot be read: {error}."),
        ),
        Finding::SubjectNameMismatch => s(
            "Tên ghi trong X509SubjectName khác với chủ thể của chứng thư số.",
            "The name in X509SubjectName differs from the certificate's subject.",
        ),
        Finding::UnexpectedTarget { form, expected, found } => (
            format!("Chữ ký không ký phần mà mẫu {form} yêu cầu ({expected}); nó ký: {found} — {WRAPPING_VI}."),
            format!("The signature does not sign the part the {form} form requires ({expected}); it signs: {found} — {WRAPPING_EN}."),
        ),
        Finding::TargetInsideSignature { path } => (
            format!("Phần được ký nằm bên trong một chữ ký ({path}) — {WRAPPING_VI}."),
            format!("The signed part lies inside a signature ({path}) — {WRAPPING_EN}."),
        ),
        Finding::UnexpectedLocation { place } => (
            format!("Chữ ký không nằm ở vị trí ký của mẫu ({place}): chữ ký đã bị di chuyển."),
            format!("The signature is not in one of the form's signature places ({place}): it was moved."),
        ),
        Finding::Sha1 { what } => (
            format!("Chữ ký dùng SHA-1 ({what}), thuật toán không còn an toàn."),
            format!("The signature uses SHA-1 ({what}), which is no longer secure."),
        ),
        Finding::SigningTimeUnsigned => s(
            "Thời gian ký (SigningTime) không nằm trong phần được ký: có thể đã bị sửa, nên không được dùng.",
            "The signing time (SigningTime) is not covered by the signature: it may have been changed, so it is not used.",
        ),
        Finding::DuplicateIdElsewhere { id, count } => (
            format!("Id \"{id}\" xuất hiện {count} lần trong tệp (chữ ký này không tham chiếu tới nó)."),
            format!("The Id \"{id}\" occurs {count} times in the file (this signature does not reference it)."),
        ),
        Finding::SigningTimeUnreadable { raw } => (
            format!("Không đọc được thời gian ký \"{raw}\"."),
            format!("The signing time \"{raw}\" cannot be read."),
        ),
        Finding::SigningTimeZoneAssumed { raw } => (
            format!("Thời gian ký \"{raw}\" không ghi múi giờ; được hiểu là giờ Việt Nam (UTC+7)."),
            format!("The signing time \"{raw}\" has no time zone; it is read as Vietnam time (UTC+7)."),
        ),
        Finding::VietnamTimeAsUtc => s(
            "Thời gian ký khai báo ở tương lai, lệch tới +7 giờ: phần mềm ký có thể đã ghi giờ Việt Nam như giờ UTC.",
            "The claimed signing time is in the future, by up to +7 h: the signing software may have written Vietnam time as UTC.",
        ),
        Finding::SigningTimeInFuture => s(
            "Thời gian ký khai báo ở tương lai: đồng hồ máy ký có thể sai.",
            "The claimed signing time is in the future: the signer's clock may be wrong.",
        ),
    };
    Message::new(vi, en)
}

/// Why a whole XML file cannot be checked (the file-level failure; its code is the
/// error's own, [`XmlError::code`]).
pub fn file_error(e: &XmlError) -> Message {
    match e {
        XmlError::Dtd => Message::new(
            "Tệp XML có khai báo DTD (<!DOCTYPE …>): bị từ chối, vì DTD có thể dùng để tấn công phần mềm đọc tệp (entity); tệp ký số không có DTD.",
            "The XML file declares a DTD (<!DOCTYPE …>): refused, since DTD entities can be used to attack the reader; signed forms have none.",
        ),
        XmlError::TooDeep => Message::new(
            "Tệp XML lồng nhau quá sâu: bị từ chối.",
            "The XML file is nested too deeply: refused.",
        ),
        XmlError::TooLarge { size, limit } => Message::new(
            format!("Tệp XML quá lớn ({size} byte; giới hạn {limit})."),
            format!("The XML file is too large ({size} bytes; the limit is {limit})."),
        ),
        XmlError::NotUtf8 => Message::new(
            "Tệp XML không phải văn bản UTF-8.",
            "The XML file is not UTF-8 text.",
        ),
        other => Message::new(
            format!("Tệp XML không đúng cú pháp: {other}"),
            format!("The XML file is not well-formed: {other}"),
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::verify::finding::TypedFinding;

    fn all() -> Vec<Finding> {
        vec![
            Finding::Malformed {
                what: "no SignedInfo".into(),
            },
            Finding::AlgorithmUnsupported {
                algorithm: "urn:x".into(),
            },
            Finding::TransformUnsupported {
                transform: "urn:xslt".into(),
            },
            Finding::ExternalReference {
                uri: "file:///etc/passwd".into(),
            },
            Finding::TargetMissing { uri: "#a".into() },
            Finding::DuplicateId {
                id: "a".into(),
                count: 2,
            },
            Finding::DigestMismatch { uri: "#a".into() },
            Finding::SignatureValueMismatch,
            Finding::CertificateMissing,
            Finding::CertificateUnreadable {
                error: "certificate 0 is not X.509".into(),
            },
            Finding::SubjectNameMismatch,
            Finding::UnexpectedTarget {
                form: "einvoice".into(),
                expected: "HDon/DLHDon".into(),
                found: "/HDon/DSCKS".into(),
            },
            Finding::TargetInsideSignature {
                path: "/a/Signature/Object".into(),
            },
            Finding::UnexpectedLocation {
                place: "/HDon is not a signature place of the einvoice form".into(),
            },
            Finding::Sha1 {
                what: "digest http://www.w3.org/2000/09/xmldsig#sha1".into(),
            },
            Finding::SigningTimeUnsigned,
            Finding::DuplicateIdElsewhere {
                id: "b".into(),
                count: 3,
            },
            Finding::SigningTimeUnreadable {
                raw: "hôm qua".into(),
            },
            Finding::SigningTimeZoneAssumed {
                raw: "2026-10-05T09:30:00".into(),
            },
            Finding::VietnamTimeAsUtc,
            Finding::SigningTimeInFuture,
        ]
    }

    /// Every finding reads in both languages and has its own code.
    #[test]
    fn every_finding_has_both_languages_and_its_own_code() {
        let all = all();
        let mut codes = std::collections::HashSet::new();
        for f in &all {
            let m = words(f);
            assert!(!m.vi.is_empty() && !m.en.is_empty() && m.vi != m.en, "{f:?}");
            assert!(f.code().starts_with("XMLDSIG_"), "{f:?}");
            codes.insert(f.code());
        }
        assert_eq!(codes.len(), all.len());
        // A file-level error's code never reads as a finding's (both reach the JSON).
        for e in [
            XmlError::Malformed("x".into()),
            XmlError::DuplicateId("a".into(), 2),
            XmlError::Dtd,
            XmlError::TooDeep,
            XmlError::NotUtf8,
            XmlError::IdNotFound("a".into()),
        ] {
            assert!(!codes.contains(e.code()), "{e:?}");
        }
    }

    /// The data shows in the sentence, and the wrapping shapes say so in both languages.
    #[test]
    fn the_data_and_the_wrapping_warning_show() {
        let dup = words(&Finding::DuplicateId {
            id: "inv".into(),
            count: 2,
        });
        assert_eq!(
            dup.en,
            "The Id \"inv\" occurs 2 times in the file: which part was signed is ambiguous — a sign of signature wrapping."
        );
        assert!(dup
            .vi
            .ends_with("— dấu hiệu giả mạo kiểu “bọc chữ ký” (signature wrapping)."));
        let target = words(&all()[11]);
        assert_eq!(
            target.en,
            "The signature does not sign the part the einvoice form requires (HDon/DLHDon); it signs: /HDon/DSCKS — a sign of signature wrapping."
        );
        assert!(words(&all()[17]).vi.contains("\"hôm qua\""));
    }

    #[test]
    fn file_errors_are_specific() {
        assert!(file_error(&XmlError::Dtd).en.contains("DTD"));
        let big = file_error(&XmlError::TooLarge { size: 10, limit: 5 });
        assert_eq!(big.vi, "Tệp XML quá lớn (10 byte; giới hạn 5).");
        let bad = file_error(&XmlError::Malformed("eof".into()));
        assert!(bad.en.starts_with("The XML file is not well-formed: "), "{bad:?}");
    }
}
