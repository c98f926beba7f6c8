//! The words a printed report uses for verdicts — the same the app shows ("Hợp lệ", "Chưa xác
//! định", "đã bị thu hồi"), never the names of the indications (`TotalFailed / Revoked`) — and
//! the summary table that opens a report, so a clerk with twenty files finds the bad ones on
//! the first page.

use crate::decree::LegalReport;
use crate::verify::SignatureKind;
use crate::verify::{FileReport, FileVerdict, Indication, SignatureReport};

/// `ok` / `warn` / `bad` and a file verdict's words.
pub(super) fn verdict(v: FileVerdict, vi: bool) -> (&'static str, &'static str) {
    (v.class(), v.words(vi))
}

/// `ok` / `warn` / `bad` for a signature's indication.
pub(super) fn class_of(i: Indication) -> &'static str {
    match i {
        Indication::TotalPassed => "ok",
        Indication::Indeterminate => "warn",
        Indication::TotalFailed => "bad",
    }
}

/// A signature's result in words: "Không hợp lệ — chứng thư đã bị thu hồi".
pub(super) fn result(s: &SignatureReport, vi: bool) -> String {
    crate::verify::headline::result_words(s.indication, s.sub_indication, vi)
}

/// "Chữ ký 1" / "Signature 1" (a timestamp: "Dấu thời gian 2"), numbered in the file's order;
/// the field's own name is a detail beside it.
pub(super) fn label(index: usize, s: &SignatureReport, vi: bool) -> String {
    let word = match (s.kind == SignatureKind::DocumentTimestamp, vi) {
        (true, true) => "Dấu thời gian",
        (true, false) => "Timestamp",
        (false, true) => "Chữ ký",
        (false, false) => "Signature",
    };
    format!("{word} {}", index + 1)
}

/// One line of the summary table.
pub(super) struct SummaryRow {
    pub file: String,
    pub class: &'static str,
    pub verdict: String,
    /// The legal verdict's class and words, when the file has one.
    pub legal: Option<(&'static str, &'static str)>,
    pub signers: String,
    pub time: String,
}

/// The summary table: one row per file, in the order checked.
pub(super) fn summary(reports: &[FileReport], vi: bool) -> Vec<SummaryRow> {
    reports
        .iter()
        .map(|r| {
            let (class, word) = verdict(r.verdict, vi);
            // The worst signature's reason, so "Không hợp lệ" says why on the first page.
            let worst = r
                .signatures
                .iter()
                .filter(|s| s.indication != Indication::TotalPassed)
                .max_by_key(|s| s.indication);
            let verdict = match (worst, &r.error) {
                (Some(s), _) => match s.sub_indication {
                    Some(sub) => format!("{word} — {}", sub.words(vi)),
                    None => word.to_string(),
                },
                (None, Some(e)) => format!("{word} — {}", if vi { &e.message.vi } else { &e.message.en }),
                (None, None) => word.to_string(),
            };
            let signers: Vec<String> = r
                .signatures
                .iter()
                .filter(|s| s.kind != SignatureKind::DocumentTimestamp)
                .filter_map(|s| s.signer.as_ref().and_then(|i| i.common_name.clone()))
                .collect();
            let time = r
                .signatures
                .iter()
                .filter(|s| s.kind != SignatureKind::DocumentTimestamp)
                .filter_map(|s| s.claimed_time_vietnam.clone())
                .next_back()
                .unwrap_or_default();
            SummaryRow {
                file: file_name(&r.path),
                class,
                verdict,
                legal: r.legal.as_ref().map(|l| legal_words(l, vi)),
                signers: signers.join("; "),
                time,
            }
        })
        .collect()
}

fn legal_words(l: &LegalReport, vi: bool) -> (&'static str, &'static str) {
    super::legal::verdict(l.verdict, vi)
}

/// The last part of a path (either separator): the table has no room for folders.
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// The summary's column headings.
pub(super) fn summary_heads(vi: bool, legal: bool) -> Vec<&'static str> {
    let t = |a: &'static str, b: &'static str| if vi { a } else { b };
    let mut h = vec![t("Tệp", "File"), t("Kết luận chữ ký", "Signatures")];
    if legal {
        h.push(t("Nghị định 30", "Decree 30"));
    }
    h.push(t("Người ký", "Signer"));
    h.push(t("Thời gian ký", "Signing time"));
    h
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::verify::{Message, SubIndication};

    fn sig(ind: Indication, sub: Option<SubIndication>, name: &str) -> SignatureReport {
        let mut s = crate::verify::blank_report("Signature1", crate::verify::SignatureKind::Signature);
        s.indication = ind;
        s.sub_indication = sub;
        s.signer = Some(crate::cert::Identity {
            common_name: Some(name.into()),
            ..Default::default()
        });
        s.claimed_time_vietnam = Some("05/12/2026 09:00".into());
        s
    }

    #[test]
    fn results_use_the_app_words_never_the_indication_names() {
        let s = sig(Indication::TotalFailed, Some(SubIndication::Revoked), "A");
        assert_eq!(result(&s, true), "Không hợp lệ — chứng thư đã bị thu hồi");
        assert_eq!(result(&s, false), "Invalid — certificate revoked");
        let ok = sig(Indication::TotalPassed, None, "A");
        assert_eq!(result(&ok, true), "Hợp lệ");
        assert_eq!(label(0, &ok, true), "Chữ ký 1");
        assert_eq!(label(1, &ok, false), "Signature 2");
    }

    #[test]
    fn the_summary_names_each_file_its_verdict_and_why() {
        let good = FileReport::conclude(
            "/in/a.pdf".into(),
            1,
            vec![sig(Indication::TotalPassed, None, "Nguyễn Văn An")],
        );
        let bad = FileReport::conclude(
            "C:\\in\\b.pdf".into(),
            1,
            vec![sig(
                Indication::TotalFailed,
                Some(SubIndication::HashFailure),
                "Trần Thị Bình",
            )],
        );
        let broken = FileReport::failed(
            "c.pdf".into(),
            "NOT_PDF",
            Message::new("Tệp không phải là PDF.", "The file is not a PDF."),
        );
        let rows = summary(&[good, bad, broken], true);
        assert_eq!(rows[0].file, "a.pdf");
        assert_eq!((rows[0].class, rows[0].verdict.as_str()), ("ok", "Hợp lệ"));
        assert_eq!(rows[0].signers, "Nguyễn Văn An");
        assert_eq!(rows[1].file, "b.pdf");
        assert_eq!(
            rows[1].verdict,
            "Không hợp lệ — nội dung đã bị thay đổi sau khi ký"
        );
        assert_eq!(rows[2].verdict, "Không hợp lệ — Tệp không phải là PDF.");
        assert!(rows
            .iter()
            .all(|r| !r.verdict.contains("Total") && !r.verdict.contains("Failure")));
    }
}
