//! The sentences for every finding about a signature's place in the PDF, in Vietnamese and
//! English, in one place.

use super::finding::Finding;
use crate::message::Message;
use crate::verify::diff::Change;
use crate::verify::finding::both as s;

/// The finding as people read it.
pub fn words(f: &Finding) -> Message {
    let (vi, en) = match f {
        Finding::DictionaryIncomplete => s(
            "Từ điển chữ ký thiếu /ByteRange hoặc /Contents hợp lệ.",
            "The signature dictionary lacks a valid /ByteRange or /Contents.",
        ),
        Finding::ByteRangeNotFour => s("/ByteRange phải có đúng 4 số.", "/ByteRange must hold exactly four numbers."),
        Finding::ByteRangeNotTheSignature => s(
            "Vùng ký (/ByteRange) không loại trừ đúng và chỉ phần chữ ký: dấu hiệu giả mạo chữ ký.",
            "The signed byte range does not exclude exactly the signature value: a sign of signature forgery.",
        ),
        Finding::DataAppended => s(
            "Có dữ liệu được nối thêm sau chữ ký mà không phải là một bản cập nhật hợp lệ.",
            "Data was appended after the signature that is not a proper document update.",
        ),
        Finding::NotARevision => s(
            "Chữ ký không bao trùm trọn vẹn một phiên bản của tài liệu.",
            "The signature does not cover a complete version of the document.",
        ),
        Finding::Certified { level } => {
            let (vi, en) = match level {
                1 => ("không cho phép thay đổi", "no changes allowed"),
                2 => ("cho phép điền biểu mẫu và ký", "form filling and signing allowed"),
                _ => (
                    "cho phép điền biểu mẫu, ký và chú thích",
                    "form filling, signing and annotations allowed",
                ),
            };
            (
                format!("Tài liệu được chứng thực (DocMDP P={level}: {vi})."),
                format!("The document is certified (DocMDP P={level}: {en})."),
            )
        }
        Finding::ChangesUnreadable { error } => (
            format!("Không phân tích được các thay đổi sau khi ký: {error}"),
            format!("The changes made after signing could not be analysed: {error}"),
        ),
        Finding::OnlySignaturesAdded { updates } => (
            format!("Có {updates} lần cập nhật sau khi ký, chỉ gồm chữ ký hoặc dữ liệu kiểm tra mới; phần đã ký vẫn nguyên vẹn."),
            format!("{updates} update(s) after signing, adding only signatures or validation data; the signed part is intact."),
        ),
        Finding::AnnotationsAdded { changes } => (
            format!(
                "Sau khi ký đã có chú thích được thêm vào; hãy kiểm tra chúng không che nội dung: {}",
                listed(changes, true)
            ),
            format!(
                "Annotations were added after signing; check they do not cover content: {}",
                listed(changes, false)
            ),
        ),
        Finding::ChangedAfterSigning { changes } => (
            format!(
                "Tài liệu đã bị sửa sau khi ký (nội dung hiển thị có thể khác bản đã ký): {}",
                listed(changes, true)
            ),
            format!(
                "The document was changed after signing (what is shown may differ from what was signed): {}",
                listed(changes, false)
            ),
        ),
        Finding::DocTimestampProof { tsa } => (
            format!("Dấu thời gian tài liệu hợp lệ, do {tsa} cấp."),
            format!("Valid document timestamp from {tsa}."),
        ),
        Finding::DocTimestampTsaRevoked { tsa } => (
            format!("Đơn vị cấp dấu thời gian {tsa} đã bị thu hồi chứng thư trước thời điểm ghi trong dấu."),
            format!("The timestamp authority {tsa} had its certificate revoked before the time the timestamp gives."),
        ),
        Finding::DocTimestampTsaUntrusted { tsa, why_vi, why_en } => (
            format!("Không tin cậy được đơn vị cấp dấu thời gian {tsa}: {why_vi}."),
            format!("The timestamp authority {tsa} cannot be trusted: {why_en}."),
        ),
        Finding::DocTimestampInvalid { error } => (
            format!("Dấu thời gian tài liệu không hợp lệ: {error}"),
            format!("Invalid document timestamp: {error}"),
        ),
        Finding::ConflictingDefinitions { revision, object, more } => (
            format!(
                "Bảng tham chiếu chéo của phiên bản {revision} khai báo đối tượng {object} hai lần với nội dung khác nhau{}: mỗi phần mềm đọc có thể hiển thị một nội dung khác, không biết người ký đã thấy gì (dấu hiệu can thiệp).",
                if *more > 0 { format!(" (và {more} đối tượng khác)") } else { String::new() }
            ),
            format!(
                "The cross-reference section of revision {revision} defines object {object} twice, differently{}: viewers may show different content, so what the signer saw cannot be known (a sign of tampering).",
                if *more > 0 { format!(" (and {more} more objects)") } else { String::new() }
            ),
        ),
        Finding::OrphanSignature { fits: true } => s(
            "Tệp có chữ ký nhưng chữ ký đó không còn gắn với văn bản (ô chữ ký đã bị xoá khi tệp được lưu lại sau khi ký): văn bản đã bị thay đổi sau khi ký.",
            "The file carries a signature that is no longer attached to the document (its field was removed when the file was saved again after signing): the document was changed after signing.",
        ),
        Finding::OrphanSignature { fits: false } => s(
            "Tệp có chữ ký nhưng vùng ký không còn khớp với tệp: tệp đã được lưu lại (thay đổi) sau khi ký, chữ ký không còn giá trị cho nội dung hiện tại.",
            "The file carries a signature whose signed range no longer fits the file: it was saved again (changed) after signing, so the signature does not cover what is there now.",
        ),
    };
    Message::new(vi, en)
}

/// The first five changes, each with its page and object: where the clerk should look.
fn listed(changes: &[Change], vi: bool) -> String {
    changes
        .iter()
        .take(5)
        .map(|c| match (c.page, vi) {
            (Some(p), false) => format!("{} (page {p}, object {})", c.what(), c.object),
            (None, false) => format!("{} (object {})", c.what(), c.object),
            (Some(p), true) => format!("{} (trang {p}, đối tượng {})", c.what_vi(), c.object),
            (None, true) => format!("{} (đối tượng {})", c.what_vi(), c.object),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::trust::tst::TokenError;
    use crate::verify::finding::TypedFinding;

    #[test]
    fn every_finding_has_both_languages_and_its_own_code() {
        let all = [
            Finding::DictionaryIncomplete,
            Finding::ByteRangeNotFour,
            Finding::ByteRangeNotTheSignature,
            Finding::DataAppended,
            Finding::NotARevision,
            Finding::Certified { level: 2 },
            Finding::ChangesUnreadable {
                error: "bad xref".into(),
            },
            Finding::OnlySignaturesAdded { updates: 2 },
            Finding::AnnotationsAdded { changes: vec![] },
            Finding::ChangedAfterSigning { changes: vec![] },
            Finding::DocTimestampProof { tsa: "TSA".into() },
            Finding::DocTimestampTsaRevoked { tsa: "TSA".into() },
            Finding::DocTimestampTsaUntrusted {
                tsa: "TSA".into(),
                why_vi: "lý do".into(),
                why_en: "reason".into(),
            },
            Finding::DocTimestampInvalid {
                error: TokenError::Empty,
            },
            Finding::ConflictingDefinitions {
                revision: 2,
                object: 7,
                more: 3,
            },
            Finding::OrphanSignature { fits: true },
        ];
        let mut codes = std::collections::HashSet::new();
        for f in &all {
            let m = words(f);
            assert!(!m.vi.is_empty() && !m.en.is_empty() && m.vi != m.en, "{f:?}");
            codes.insert(f.code());
        }
        assert_eq!(codes.len(), all.len());
        assert_eq!(
            words(&Finding::OrphanSignature { fits: false }).en,
            "The file carries a signature whose signed range no longer fits the file: it was saved again (changed) after signing, so the signature does not cover what is there now."
        );
        let c = words(&all[14]);
        assert!(
            c.en.contains("revision 2 defines object 7") && c.en.contains("(and 3 more objects)"),
            "{c:?}"
        );
        assert!(c.vi.contains("(và 3 đối tượng khác)"), "{c:?}");
        assert!(words(&all[5])
            .en
            .contains("P=2: form filling and signing allowed"));
    }

    #[test]
    fn a_timestamp_over_other_bytes_is_a_hash_failure_other_faults_are_format() {
        use crate::verify::{Indication, SubIndication};
        let changed = Finding::DocTimestampInvalid {
            error: TokenError::ImprintMismatch,
        };
        assert_eq!(
            changed.verdict(),
            Some((Indication::TotalFailed, SubIndication::HashFailure))
        );
        let unknown_hash = Finding::DocTimestampInvalid {
            error: TokenError::ImprintHashUnsupported,
        };
        assert_eq!(
            unknown_hash.verdict(),
            Some((Indication::TotalFailed, SubIndication::HashFailure))
        );
        let broken = Finding::DocTimestampInvalid {
            error: TokenError::BadSignature,
        };
        assert_eq!(
            broken.verdict(),
            Some((Indication::TotalFailed, SubIndication::FormatFailure))
        );
        assert!(words(&changed)
            .en
            .starts_with("Invalid document timestamp: the timestamp is for other data"));
    }
}
