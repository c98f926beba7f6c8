//! The legal verdict's part of a printed report: the verdict, then one line per check with
//! its result, the clerk's sentence and, for a failure, what to send back to the issuer.

use crate::decree::{LegalReport, Outcome, Verdict};

/// `ok` / `warn` / `bad` and the verdict's name.
pub(super) fn verdict(v: Verdict, vi: bool) -> (&'static str, &'static str) {
    match (v, vi) {
        (Verdict::Complete, true) => ("ok", "Đủ điều kiện (Nghị định 30)"),
        (Verdict::Complete, false) => ("ok", "Complete (Decree 30)"),
        (Verdict::Incomplete, true) => ("bad", "Chưa đủ điều kiện (Nghị định 30)"),
        (Verdict::Incomplete, false) => ("bad", "Incomplete (Decree 30)"),
        (Verdict::NotChecked, true) => ("warn", "Chưa kết luận (Nghị định 30)"),
        (Verdict::NotChecked, false) => ("warn", "Not decided (Decree 30)"),
    }
}

/// `ok` / `warn` / `bad` / `na` and the result's word.
pub(super) fn outcome(o: Outcome, vi: bool) -> (&'static str, &'static str) {
    match (o, vi) {
        (Outcome::Pass, true) => ("ok", "Đạt"),
        (Outcome::Pass, false) => ("ok", "Pass"),
        (Outcome::Warn, true) => ("warn", "Lưu ý"),
        (Outcome::Warn, false) => ("warn", "Warning"),
        (Outcome::Fail, true) => ("bad", "Không đạt"),
        (Outcome::Fail, false) => ("bad", "Fail"),
        (Outcome::NotChecked, true) => ("na", "Chưa kiểm tra được"),
        (Outcome::NotChecked, false) => ("na", "Not checked"),
    }
}

/// The rows of a legal verdict: (class, label, text), the verdict first.
pub(super) fn rows(l: &LegalReport, vi: bool) -> Vec<(&'static str, String, String)> {
    let pick = |t: &crate::decree::Text| if vi { t.vi.clone() } else { t.en.clone() };
    let (class, name) = verdict(l.verdict, vi);
    let mut out = vec![(class, name.to_string(), pick(&l.message))];
    for c in &l.checks {
        let (class, word) = outcome(c.result, vi);
        let mut text = format!("{word}: {}", pick(&c.message));
        if let Some(back) = &c.return_text {
            text.push_str(if vi {
                " — Đề nghị gửi lại: "
            } else {
                " — To send back: "
            });
            text.push_str(&pick(back));
        }
        out.push((class, pick(&c.title), text));
    }
    out
}
