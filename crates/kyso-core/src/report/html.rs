//! A printable validation report (HTML) a clerk can file with the document.

use super::words::{self, verdict};
use crate::verify::{FileReport, SignatureReport};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The rows of one signature in a printed report (label, value), in Vietnamese or English;
/// a fact the signature does not have is left out rather than printed as punctuation.
pub(super) fn signature_rows(s: &SignatureReport, vi: bool) -> Vec<(&'static str, String)> {
    let t = |a: &'static str, b: &'static str| if vi { a } else { b };
    let signer = s.signer.as_ref();
    let time = match (&s.claimed_time_vietnam, &s.claimed_time_source) {
        (Some(time), Some(from)) if !from.is_empty() => format!("{time} ({from})"),
        (Some(time), _) => time.clone(),
        (None, _) => String::new(),
    };
    let rows = [
        (t("Trường chữ ký", "Field"), s.field.clone()),
        (
            t("Người ký", "Signer"),
            signer.and_then(|i| i.common_name.clone()).unwrap_or_default(),
        ),
        (
            t("Cơ quan", "Organization"),
            signer.and_then(|i| i.organization.clone()).unwrap_or_default(),
        ),
        (
            t("Định danh", "Identifier"),
            signer.and_then(|i| i.uid.clone()).unwrap_or_default(),
        ),
        (t("Thời gian ký", "Signing time"), time),
        (
            t("Dấu thời gian", "Timestamp"),
            match &s.timestamp {
                Some(ts) => format!(
                    "{}{}{}",
                    ts.time_vietnam,
                    ts.tsa.as_ref().map(|a| format!(" — {a}")).unwrap_or_default(),
                    if ts.trusted {
                        ""
                    } else {
                        t(" (không được dùng làm bằng chứng)", " (not used as proof)")
                    }
                ),
                None => t("không có", "none").to_string(),
            },
        ),
        (t("Kết luận", "Result"), words::result(s, vi)),
        (
            t("Giải thích", "Explanation"),
            if vi {
                s.message.vi.clone()
            } else {
                s.message.en.clone()
            },
        ),
        (
            t("Chuỗi chứng thư", "Certificate chain"),
            s.chain.path.join(" → "),
        ),
        (
            t("SHA-256 chứng thư", "Certificate SHA-256"),
            s.certificate_sha256.clone().unwrap_or_default(),
        ),
    ];
    let mut rows: Vec<(&'static str, String)> =
        rows.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect();
    if let Some(f) = &s.certificate {
        let (system, class) = (f.system.words(vi), f.class.words(vi));
        let why = |m: &crate::decree::Text| if vi { m.vi.clone() } else { m.en.clone() };
        rows.push((
            t("Loại chứng thư", "Certificate"),
            format!(
                "{system}, {class} — {} {}",
                why(&f.evidence.system),
                why(&f.evidence.class)
            ),
        ));
    }
    rows
}

/// The table that opens the report: each file, its verdict and why, the legal verdict when
/// there is one, who signed and when.
fn summary_table(reports: &[FileReport], vi: bool) -> String {
    let rows = words::summary(reports, vi);
    let legal = rows.iter().any(|r| r.legal.is_some());
    let mut h = format!(
        "<h2>{}</h2><table class=\"summary\"><tr>",
        if vi { "Tóm tắt" } else { "Summary" }
    );
    for head in words::summary_heads(vi, legal) {
        h.push_str(&format!("<th>{}</th>", esc(head)));
    }
    h.push_str("</tr>");
    for r in rows {
        h.push_str(&format!(
            "<tr><td>{}</td><td class=\"{}\">{}</td>",
            esc(&r.file),
            r.class,
            esc(&r.verdict)
        ));
        if legal {
            let (class, text) = r.legal.unwrap_or(("", ""));
            h.push_str(&format!("<td class=\"{class}\">{}</td>", esc(text)));
        }
        h.push_str(&format!(
            "<td>{}</td><td>{}</td></tr>",
            esc(&r.signers),
            esc(&r.time)
        ));
    }
    h.push_str("</table>");
    h
}

/// Renders reports in `lang` (`vi` or `en`).
pub fn render(reports: &[FileReport], lang: &str) -> String {
    let vi = lang != "en";
    let t = |a: &'static str, b: &'static str| if vi { a } else { b };
    let mut h = String::new();
    h.push_str("<!doctype html><html><head><meta charset=\"utf-8\"><title>");
    h.push_str(t("Báo cáo kiểm tra chữ ký số", "Signature validation report"));
    h.push_str("</title><style>body{font-family:'Times New Roman',serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}.ok{color:#166534}.warn{color:#a16207}.bad{color:#b91c1c}h2{margin-top:1.5em}</style></head><body>");
    h.push_str(&format!(
        "<h1>{}</h1><p>{}: {}</p>",
        t("Báo cáo kiểm tra chữ ký số", "Signature validation report"),
        t("Thời điểm kiểm tra", "Checked at"),
        esc(&crate::timefmt::vietnam(crate::timefmt::now()))
    ));
    h.push_str(&summary_table(reports, vi));
    for r in reports {
        let (class, text) = verdict(r.verdict, vi);
        h.push_str(&format!(
            "<h2>{}</h2><p class=\"{class}\"><b>{text}</b></p>",
            esc(&r.path)
        ));
        if let Some(e) = &r.error {
            h.push_str(&format!(
                "<p class=\"bad\">{}</p>",
                esc(if vi { &e.message.vi } else { &e.message.en })
            ));
        }
        for (i, s) in r.signatures.iter().enumerate() {
            let class = words::class_of(s.indication);
            let rows = signature_rows(s, vi);
            h.push_str(&format!("<h3>{}</h3>", esc(&words::label(i, s, vi))));
            h.push_str(&format!("<table class=\"{class}\">"));
            for (k, v) in rows {
                h.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v)));
            }
            if !s.findings.is_empty() {
                let items: Vec<String> = s
                    .findings
                    .iter()
                    .map(|f| format!("<li>{}</li>", esc(if vi { &f.vi } else { &f.en })))
                    .collect();
                h.push_str(&format!(
                    "<tr><th>{}</th><td><ul>{}</ul></td></tr>",
                    t("Chi tiết", "Details"),
                    items.join("")
                ));
            }
            h.push_str("</table>");
        }
        if let Some(l) = &r.legal {
            h.push_str(&format!(
                "<h3>{}</h3><table class=\"legal\">",
                t(
                    "Tính hợp lệ theo Nghị định 30/2020 và 68/2024",
                    "Legal completeness (Decrees 30/2020 and 68/2024)"
                )
            ));
            for (class, k, v) in super::legal::rows(l, vi) {
                h.push_str(&format!(
                    "<tr class=\"{class}\"><th>{}</th><td>{}</td></tr>",
                    esc(&k),
                    esc(&v)
                ));
            }
            h.push_str("</table>");
        }
    }
    h.push_str("</body></html>");
    h
}
