//! Every sentence of the legal check, in one table: for each check and each finding, its
//! result (pass / warn / fail / not checked), what the clerk reads, and — for a failure —
//! what the clerk can send back to the issuer (Decree 30 Art. 21(2): a document that does
//! not conform is returned). `{name}`-style placeholders are filled in by the checker.
//! Correct a rule's wording, or how severe a finding is, here and only here.

use super::{Check, Code, Outcome, Text, Verdict};

/// What a check is, and where the rule comes from.
pub const TITLES: &[(Code, &str, &str, &str)] = &[
    (
        Code::SignaturesValid,
        "Chữ ký số hợp lệ",
        "Signatures valid",
        "Nghị định 68/2024/NĐ-CP Điều 29–32; Nghị định 30/2020/NĐ-CP Điều 21",
    ),
    (
        Code::TwoSignatures,
        "Có chữ ký của người có thẩm quyền và của cơ quan",
        "The competent person's and the organisation's signatures",
        "Nghị định 30/2020/NĐ-CP Điều 5, Điều 8 khoản 2",
    ),
    (
        Code::SigningOrder,
        "Trình tự ký",
        "Signing order",
        "Nghị định 30/2020/NĐ-CP Điều 32",
    ),
    (
        Code::IssuingBody,
        "Cơ quan ban hành",
        "Issuing body",
        "Nghị định 30/2020/NĐ-CP Điều 8 khoản 2 điểm b",
    ),
    (
        Code::SignerName,
        "Người ký và chức vụ",
        "Signer and position",
        "Nghị định 30/2020/NĐ-CP Điều 8 khoản 2 điểm g, Phụ lục I",
    ),
    (
        Code::NumberSymbol,
        "Số, ký hiệu",
        "Number and symbol",
        "Nghị định 30/2020/NĐ-CP Điều 8 khoản 2 điểm c, Phụ lục III",
    ),
    (
        Code::DateLine,
        "Địa danh và thời gian ban hành",
        "Place and date of issue",
        "Nghị định 30/2020/NĐ-CP Điều 8 khoản 2 điểm d, Phụ lục I",
    ),
    (
        Code::OfficialDuty,
        "Chứng thư số chuyên dùng công vụ",
        "Official-duty certificates",
        "Nghị định 68/2024/NĐ-CP; Nghị định 23/2025/NĐ-CP (hệ thống công cộng)",
    ),
];

/// One finding of one check.
pub struct Phrase {
    /// The check.
    pub code: Code,
    /// The finding's name (used by the checker).
    pub finding: &'static str,
    /// How it counts.
    pub result: Outcome,
    /// For the clerk, Vietnamese.
    pub vi: &'static str,
    /// For the clerk, English.
    pub en: &'static str,
    /// For the issuer (failures), Vietnamese and English.
    pub back: Option<(&'static str, &'static str)>,
}

const fn p(code: Code, finding: &'static str, result: Outcome, vi: &'static str, en: &'static str) -> Phrase {
    Phrase {
        code,
        finding,
        result,
        vi,
        en,
        back: None,
    }
}

const fn f(
    code: Code,
    finding: &'static str,
    vi: &'static str,
    en: &'static str,
    back_vi: &'static str,
    back_en: &'static str,
) -> Phrase {
    Phrase {
        code,
        finding,
        result: Outcome::Fail,
        vi,
        en,
        back: Some((back_vi, back_en)),
    }
}

use Code::*;
use Outcome::{NotChecked, Pass, Warn};

/// Shared: a page without readable text.
const NO_TEXT_VI: &str = "Trang văn bản không có chữ đọc được (bản quét hoặc phông chữ không có bảng mã Unicode): không kiểm tra được nội dung in trên văn bản.";
const NO_TEXT_EN: &str = "The page has no readable text (a scan, or fonts without a Unicode map): the printed content cannot be checked.";

/// The table.
pub const PHRASES: &[Phrase] = &[
    // 1. Signatures valid.
    p(SignaturesValid, "valid", Pass,
        "Các chữ ký số hợp lệ: văn bản không bị thay đổi sau khi ký; chứng thư số được tin cậy, còn hiệu lực và không bị thu hồi tại thời điểm ký.",
        "The signatures are valid: the document is unchanged since signing; the certificates are trusted, were valid and not revoked when used."),
    f(SignaturesValid, "invalid",
        "Có chữ ký số không hợp lệ: {list_vi}.",
        "A signature is invalid: {list_en}.",
        "Văn bản điện tử có chữ ký số không hợp lệ ({list_vi}); đề nghị kiểm tra và gửi lại văn bản.",
        "The electronic document carries an invalid digital signature ({list_en}); please check it and send the document again."),
    p(SignaturesValid, "undecided", NotChecked,
        "Chưa kết luận được các chữ ký số hợp lệ ({list_vi}); xem kết quả kiểm tra chữ ký.",
        "The signatures are not decided yet ({list_en}); see the signature results."),
    f(SignaturesValid, "none",
        "Văn bản không có chữ ký số.",
        "The document has no digital signature.",
        "Văn bản điện tử chưa được ký số; đề nghị ký số và gửi lại.",
        "The electronic document is not digitally signed; please sign it and send it again."),
    // 2. Two signatures.
    p(TwoSignatures, "both", Pass,
        "Có chữ ký số của người có thẩm quyền ({person}) và của cơ quan, tổ chức ({org}).",
        "The competent person ({person}) and the organisation ({org}) both signed."),
    f(TwoSignatures, "org_missing",
        "Không có chữ ký số của cơ quan, tổ chức ban hành (chứng thư số của tổ chức); chỉ có chữ ký của {person}.",
        "The issuing organisation's signature (an organisation certificate) is missing; only {person} signed.",
        "Văn bản chưa có chữ ký số của cơ quan, tổ chức ban hành.",
        "The document does not carry the issuing organisation's digital signature."),
    f(TwoSignatures, "person_missing",
        "Không có chữ ký số của người có thẩm quyền (chứng thư số cá nhân); chỉ có chữ ký của {org}.",
        "The competent person's signature (an individual certificate) is missing; only {org} signed.",
        "Văn bản chưa có chữ ký số của người có thẩm quyền ký ban hành văn bản.",
        "The document does not carry the digital signature of the person competent to sign it."),
    f(TwoSignatures, "service_only",
        "Chỉ có chữ ký số của dịch vụ {service} (chữ ký xác thực khi đăng tải, công bố), không có chữ ký của người có thẩm quyền và của cơ quan ban hành.",
        "Only the service {service} signed (a publication signature); neither the competent person nor the issuing organisation did.",
        "Văn bản chỉ có chữ ký số của đơn vị đăng tải ({service}); đề nghị gửi văn bản có chữ ký số của người có thẩm quyền và của cơ quan ban hành.",
        "The document carries only the publisher's signature ({service}); please send the document signed by the competent person and the issuing organisation."),
    f(TwoSignatures, "neither",
        "Không có chữ ký số của người có thẩm quyền và của cơ quan, tổ chức ban hành.",
        "Neither the competent person's nor the issuing organisation's signature is present.",
        "Văn bản chưa có chữ ký số của người có thẩm quyền và của cơ quan, tổ chức ban hành.",
        "The document carries neither the competent person's nor the issuing organisation's digital signature."),
    // 3. Order.
    p(SigningOrder, "ordered", Pass,
        "Cơ quan ({org}) ký sau người có thẩm quyền ({person}); sau đó chỉ có các cập nhật được phép (chữ ký, dữ liệu kiểm tra).",
        "The organisation ({org}) signed after the competent person ({person}); only allowed updates (signatures, validation data) follow."),
    f(SigningOrder, "org_first",
        "Cơ quan ({org}) ký trước người có thẩm quyền ({person}).",
        "The organisation ({org}) signed before the competent person ({person}).",
        "Chữ ký số của cơ quan, tổ chức được ký trước chữ ký số của người có thẩm quyền, không đúng trình tự quy định.",
        "The organisation's digital signature was applied before the competent person's, which is not the required order."),
    f(SigningOrder, "changed_after",
        "Sau khi ký, văn bản đã bị sửa đổi ngoài các cập nhật được phép ({list}).",
        "After signing, the document was changed beyond the allowed updates ({list}).",
        "Văn bản đã bị thay đổi nội dung sau khi ký số.",
        "The document was changed after it was digitally signed."),
    p(SigningOrder, "pair_missing", NotChecked,
        "Không đủ hai chữ ký (người có thẩm quyền và cơ quan) để kiểm tra trình tự ký.",
        "There are not both signatures (the competent person's and the organisation's) to check their order."),
    // 4. Issuing body.
    p(IssuingBody, "matches", Pass,
        "Chứng thư số của tổ chức ({org}) đúng là của cơ quan ban hành in trên văn bản ({body}).",
        "The organisation certificate ({org}) is that of the issuing body printed on the document ({body})."),
    f(IssuingBody, "differs",
        "Chứng thư số của tổ chức là của {org}, trong khi cơ quan ban hành in trên văn bản là {body}.",
        "The organisation certificate is {org}'s, while the issuing body printed on the document is {body}.",
        "Chữ ký số của cơ quan, tổ chức ({org}) không phải của cơ quan ban hành văn bản ({body}).",
        "The organisation's digital signature ({org}) is not that of the body issuing the document ({body})."),
    p(IssuingBody, "body_not_found", Warn,
        "Không tìm thấy tên cơ quan ban hành ở đầu văn bản để đối chiếu với chứng thư số ({org}).",
        "The issuing body's name was not found at the top of the document to compare with the certificate ({org})."),
    p(IssuingBody, "no_org", NotChecked,
        "Không có chữ ký của tổ chức để đối chiếu với cơ quan ban hành.",
        "There is no organisation signature to compare with the issuing body."),
    p(IssuingBody, "no_text", NotChecked, NO_TEXT_VI, NO_TEXT_EN),
    // 5. Signer's name and position.
    p(SignerName, "matches", Pass,
        "Họ tên trong chứng thư số ({name}) đúng là họ tên ở phần chữ ký (trang {page}), dưới chức vụ «{position}».",
        "The certificate's name ({name}) is the one printed in the signature block (page {page}), under the position \u{ab}{position}\u{bb}."),
    p(SignerName, "no_position", Warn,
        "Họ tên {name} có trên văn bản (trang {page}) nhưng không thấy chức vụ của người ký ngay phía trên.",
        "The name {name} is printed (page {page}) but no signer's position was found just above it."),
    f(SignerName, "differs",
        "Phần chữ ký in họ tên {printed} (dưới «{position}»), nhưng chứng thư số là của {name}.",
        "The signature block prints {printed} (under \u{ab}{position}\u{bb}), but the certificate is {name}'s.",
        "Người ký số ({name}) không phải người ký có thẩm quyền in trên văn bản ({printed}).",
        "The person who signed digitally ({name}) is not the signer printed on the document ({printed})."),
    f(SignerName, "not_found",
        "Không tìm thấy họ tên {name} ở phần chữ ký của văn bản.",
        "The name {name} was not found in the document's signature block.",
        "Họ tên người ký số ({name}) không có ở phần chữ ký của văn bản.",
        "The digital signer's name ({name}) does not appear in the document's signature block."),
    p(SignerName, "no_person", NotChecked,
        "Không có chữ ký của cá nhân để đối chiếu với phần chữ ký.",
        "There is no individual's signature to compare with the signature block."),
    p(SignerName, "no_text", NotChecked, NO_TEXT_VI, NO_TEXT_EN),
    // 6. Number and symbol.
    p(NumberSymbol, "known", Pass,
        "Số, ký hiệu: {number} ({code}: {type}).",
        "Number and symbol: {number} ({code}: {type_en})."),
    p(NumberSymbol, "unknown_code", Warn,
        "Số, ký hiệu: {number}; «{code}» không phải mã loại văn bản của Phụ lục III (công văn dùng chữ viết tắt tên cơ quan): hãy kiểm tra.",
        "Number and symbol: {number}; \u{ab}{code}\u{bb} is not a document-type code of Appendix III (official letters use the body's abbreviation): check it."),
    f(NumberSymbol, "malformed",
        "Số, ký hiệu «{text}» không đúng dạng «Số: N/KÝ HIỆU».",
        "The number and symbol \u{ab}{text}\u{bb} is not of the form \u{ab}Số: N/SYMBOL\u{bb}.",
        "Số, ký hiệu của văn bản không đúng quy định ({text}).",
        "The document's number and symbol are not as required ({text})."),
    f(NumberSymbol, "missing",
        "Không tìm thấy số, ký hiệu («Số: …/…») ở đầu văn bản.",
        "No number and symbol (\u{ab}Số: …/…\u{bb}) at the top of the document.",
        "Văn bản thiếu số, ký hiệu.",
        "The document has no number and symbol."),
    p(NumberSymbol, "no_text", NotChecked, NO_TEXT_VI, NO_TEXT_EN),
    // 7. Date line.
    p(DateLine, "ok", Pass,
        "Địa danh và thời gian: «{date}»; không sau thời điểm cơ quan ký ({signed}).",
        "Place and date: \u{ab}{date}\u{bb}; not after the organisation signed ({signed})."),
    p(DateLine, "ok_unsigned", Pass,
        "Địa danh và thời gian: «{date}».",
        "Place and date: \u{ab}{date}\u{bb}."),
    p(DateLine, "leading_zero", Warn,
        "Ngày tháng «{date}» chưa ghi đúng cách (ngày dưới 10 và tháng 1, 2 phải có số 0 phía trước).",
        "The date \u{ab}{date}\u{bb} is not written as required (days below 10 and months 1 and 2 take a leading zero)."),
    p(DateLine, "year_vs_signing", Warn,
        "Năm ban hành ({year}) khác năm cơ quan ký số ({signed}); số văn bản được đánh theo năm.",
        "The year of issue ({year}) differs from the year the organisation signed ({signed}); numbers run per year."),
    f(DateLine, "after_signing",
        "Ngày ban hành «{date}» sau thời điểm cơ quan ký số ({signed}).",
        "The date of issue \u{ab}{date}\u{bb} is after the organisation signed ({signed}).",
        "Ngày ban hành ghi trên văn bản ({date}) sau thời điểm ký số của cơ quan ban hành ({signed}).",
        "The date of issue on the document ({date}) is after the issuing organisation's digital signature ({signed})."),
    f(DateLine, "year_differs",
        "Năm ban hành ({year}) khác năm trong số, ký hiệu ({number}).",
        "The year of issue ({year}) differs from the year in the number ({number}).",
        "Năm ban hành ({year}) không khớp với năm trong số, ký hiệu ({number}).",
        "The year of issue ({year}) does not match the year in the number ({number})."),
    f(DateLine, "missing",
        "Không tìm thấy dòng địa danh và thời gian ban hành («…, ngày … tháng … năm …»).",
        "No place-and-date line (\u{ab}…, ngày … tháng … năm …\u{bb}) was found.",
        "Văn bản thiếu địa danh và thời gian ban hành.",
        "The document has no place and date of issue."),
    p(DateLine, "no_text", NotChecked, NO_TEXT_VI, NO_TEXT_EN),
    // 8. Official-duty certificates.
    p(OfficialDuty, "official", Pass,
        "Chữ ký của {who} dùng chứng thư số chuyên dùng công vụ (Ban Cơ yếu Chính phủ).",
        "The signatures of {who} use official-duty certificates (Government Cipher Committee)."),
    f(OfficialDuty, "public",
        "Chữ ký của {who} dùng chứng thư số công cộng ({ca}), không phải chứng thư số chuyên dùng công vụ.",
        "{who} signed with a public certificate ({ca}), not an official-duty one.",
        "Văn bản được ký bằng chứng thư số công cộng ({ca}), không phải chứng thư số chuyên dùng công vụ theo Nghị định 68/2024/NĐ-CP.",
        "The document was signed with a public certificate ({ca}), not an official-duty certificate under Decree 68/2024."),
    f(OfficialDuty, "other",
        "Chữ ký của {who} dùng chứng thư số không thuộc hệ thống chuyên dùng công vụ hay công cộng của Việt Nam ({ca}).",
        "{who} signed with a certificate from neither Vietnamese system, official-duty or public ({ca}).",
        "Văn bản được ký bằng chứng thư số không phải chứng thư số chuyên dùng công vụ ({ca}).",
        "The document was signed with a certificate that is not an official-duty certificate ({ca})."),
    p(OfficialDuty, "untrusted", NotChecked,
        "Chưa xác định được hệ thống chứng thư của {who}: chưa xây dựng được chuỗi chứng thư tới một tổ chức chứng thực được tin cậy.",
        "The system of {who}'s certificate is not known: no chain to a trusted authority was built."),
    p(OfficialDuty, "none", NotChecked,
        "Không có chữ ký để kiểm tra loại chứng thư số.",
        "There is no signature whose certificate could be checked."),
];

fn fill(t: &str, args: &[(&str, &str)]) -> String {
    let mut s = t.to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// The check `code` with its `finding`, placeholders filled from `args`.
pub fn say(code: Code, finding: &str, args: &[(&str, &str)]) -> Check {
    let title = TITLES
        .iter()
        .find(|t| t.0 == code)
        .map_or_else(|| Text::new("", ""), |t| Text::new(t.1, t.2));
    match PHRASES.iter().find(|p| p.code == code && p.finding == finding) {
        Some(p) => Check {
            code,
            result: p.result,
            message: Text::new(fill(p.vi, args), fill(p.en, args)),
            return_text: p.back.map(|(vi, en)| Text::new(fill(vi, args), fill(en, args))),
            title,
        },
        // Not reachable with the table complete (tested); never a silent pass.
        None => Check {
            code,
            result: Outcome::NotChecked,
            message: Text::new(finding, finding),
            return_text: None,
            title,
        },
    }
}

/// The verdict in a sentence.
pub fn verdict_text(v: Verdict) -> Text {
    match v {
        Verdict::Complete => Text::new(
            "Văn bản đủ thành phần theo Nghị định 30/2020/NĐ-CP: chữ ký của người có thẩm quyền và của cơ quan ban hành, đúng trình tự, khớp với nội dung in trên văn bản.",
            "The document is complete under Decree 30/2020: the competent person's and the issuing organisation's signatures, in order, matching what is printed.",
        ),
        Verdict::Incomplete => Text::new(
            "Văn bản CHƯA đủ điều kiện theo Nghị định 30/2020/NĐ-CP; xem các mục không đạt và nội dung đề nghị gửi lại nơi ban hành.",
            "The document is NOT complete under Decree 30/2020; see the failed checks and what to send back to the issuer.",
        ),
        Verdict::NotChecked => Text::new(
            "Chưa kết luận được tính đầy đủ theo Nghị định 30/2020/NĐ-CP: có mục chưa kiểm tra được.",
            "Completeness under Decree 30/2020 is not decided: some checks could not be made.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_has_a_title_a_pass_and_failures_say_what_to_send_back() {
        for code in Code::ALL {
            assert!(TITLES.iter().any(|t| t.0 == code), "{code:?} has a title");
            assert!(
                PHRASES
                    .iter()
                    .any(|p| p.code == code && p.result == Outcome::Pass),
                "{code:?} can pass"
            );
        }
        for p in PHRASES {
            assert!(!p.vi.is_empty() && !p.en.is_empty(), "{}", p.finding);
            assert_eq!(
                p.back.is_some(),
                p.result == Outcome::Fail,
                "{:?}/{}",
                p.code,
                p.finding
            );
            let dupes = PHRASES
                .iter()
                .filter(|q| q.code == p.code && q.finding == p.finding)
                .count();
            assert_eq!(dupes, 1, "{:?}/{}", p.code, p.finding);
        }
        let c = say(TwoSignatures, "org_missing", &[("person", "Nguyễn Văn An")]);
        assert_eq!(c.result, Outcome::Fail);
        assert!(c.message.vi.contains("Nguyễn Văn An"));
        assert_eq!(
            c.return_text.map(|t| t.vi),
            Some("Văn bản chưa có chữ ký số của cơ quan, tổ chức ban hành.".to_string())
        );
    }
}
