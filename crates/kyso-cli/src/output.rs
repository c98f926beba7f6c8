//! Human and JSON rendering. Errors print their stable code and message; never a PIN.

use kyso_core::verify::{FileReport, FileVerdict, Indication};

use crate::error::CliError;

/// `text` safe to print on a terminal: control characters (escape sequences that would move
/// the cursor, rewrite the screen or set the window title), bidirectional overrides that
/// reorder what is shown, and line breaks become visible `\u{..}` escapes. For anything a
/// web page or a document chose.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hidden = c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if hidden {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints `v` as JSON, or runs `human`.
pub fn print_json_or(json: bool, v: &serde_json::Value, human: impl FnOnce()) {
    if json {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    } else {
        human();
    }
}

/// An error, as JSON on stdout (with --json) or as text on stderr.
pub fn print_error(json: bool, e: &CliError) {
    if json {
        let v = serde_json::json!({ "error": error_json(e) });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!("kyso: error [{}]: {}", e.code(), e.message());
    }
}

/// `{code, message}` of an error, as every JSON answer carries it.
pub fn error_json(e: &CliError) -> serde_json::Value {
    serde_json::json!({ "code": e.code(), "message": e.message() })
}

/// A signing result.
pub fn print_sign(v: &serde_json::Value) {
    if let Some(signed) = v.get("signed").and_then(|s| s.as_array()) {
        for s in signed {
            print_sign(s);
        }
        for f in v.get("failed").and_then(|f| f.as_array()).into_iter().flatten() {
            println!(
                "Không ký được / not signed: {}: {}",
                f.get("input").and_then(|o| o.as_str()).unwrap_or("?"),
                f.pointer("/error/message")
                    .and_then(|o| o.as_str())
                    .unwrap_or("?")
            );
        }
        for s in v.get("skipped").and_then(|f| f.as_array()).into_iter().flatten() {
            println!(
                "Đã ký từ trước, bỏ qua / already signed, skipped: {}",
                s.get("input").and_then(|o| o.as_str()).unwrap_or("?")
            );
        }
        if let Some(m) = v.pointer("/stopped/message").and_then(|m| m.as_str()) {
            eprintln!("kyso: {m}");
        }
        return;
    }
    let out = v.get("output").and_then(|o| o.as_str()).unwrap_or("");
    let who = v
        .pointer("/signer/common_name")
        .and_then(|o| o.as_str())
        .unwrap_or("?");
    println!("Signed by {who}: {out}");
    // XML: where the signature went and what it signs.
    if let Some(slot) = v.get("slot_path").and_then(|o| o.as_str()) {
        println!(
            "  XMLDSig in {slot}, signing {}",
            v.get("reference").and_then(|o| o.as_str()).unwrap_or("?")
        );
    }
}

/// A verdict in capitals for the terminal, in the app's words.
fn verdict_text(v: FileVerdict, english: bool) -> String {
    v.words(!english).to_uppercase()
}

/// Verification reports as a readable listing, with a summary line.
pub fn print_reports(reports: &[FileReport], english: bool) {
    print_listing(reports, english);
    if reports.len() > 1 {
        let count = |v: FileVerdict| reports.iter().filter(|r| r.verdict == v).count();
        println!(
            "{}: {} {}, {} {}, {} {}, {} {}",
            if english { "Summary" } else { "Tổng hợp" },
            count(FileVerdict::TotalPassed),
            verdict_text(FileVerdict::TotalPassed, english),
            count(FileVerdict::Indeterminate),
            verdict_text(FileVerdict::Indeterminate, english),
            count(FileVerdict::TotalFailed),
            verdict_text(FileVerdict::TotalFailed, english),
            count(FileVerdict::NoSignature),
            verdict_text(FileVerdict::NoSignature, english),
        );
    }
}

fn print_listing(reports: &[FileReport], english: bool) {
    for r in reports {
        println!("{}  {}", verdict_text(r.verdict, english), r.path);
        if let Some(e) = &r.error {
            println!(
                "    [{}] {}",
                e.code,
                if english { &e.message.en } else { &e.message.vi }
            );
        }
        for s in &r.signatures {
            let mark = match s.indication {
                Indication::TotalPassed => "✔",
                Indication::Indeterminate => "?",
                Indication::TotalFailed => "✘",
            };
            let who = s
                .signer
                .as_ref()
                .and_then(|i| i.common_name.clone())
                .unwrap_or_default();
            let result = kyso_core::verify::headline::result_words(s.indication, s.sub_indication, !english);
            println!("  {mark} {} — {who} — {result}", s.field);
            if let Some(t) = &s.claimed_time_vietnam {
                println!(
                    "      {}: {t} ({})",
                    if english { "time" } else { "thời gian" },
                    s.claimed_time_source.clone().unwrap_or_default()
                );
            }
            if let Some(ts) = &s.timestamp {
                let proof = match (ts.trusted, english) {
                    (true, _) => "",
                    (false, true) => " (not used as proof)",
                    (false, false) => " (không được dùng làm bằng chứng)",
                };
                println!(
                    "      {}: {} — {}{proof}",
                    if english { "timestamp" } else { "dấu thời gian" },
                    ts.time_vietnam,
                    ts.tsa.clone().unwrap_or_default()
                );
            }
            if let Some(c) = &s.certificate {
                println!(
                    "      {}: {} / {} — {}",
                    if english { "certificate" } else { "chứng thư" },
                    c.system.words(!english),
                    c.class.words(!english),
                    if english {
                        &c.evidence.class.en
                    } else {
                        &c.evidence.class.vi
                    }
                );
            }
            println!("      {}", if english { &s.message.en } else { &s.message.vi });
            for f in &s.findings {
                println!("      - {}", if english { &f.en } else { &f.vi });
            }
        }
        if let Some(l) = &r.legal {
            print_legal(l, english);
        }
    }
}

/// The legal verdict: the verdict, then each check with its mark and, for a failure, what
/// to send back to the issuer.
fn print_legal(l: &kyso_core::decree::LegalReport, english: bool) {
    use kyso_core::decree::{Outcome, Verdict};
    let pick = |t: &kyso_core::decree::Text| if english { t.en.clone() } else { t.vi.clone() };
    let verdict = match (l.verdict, english) {
        (Verdict::Complete, false) => "ĐỦ ĐIỀU KIỆN",
        (Verdict::Complete, true) => "COMPLETE",
        (Verdict::Incomplete, false) => "CHƯA ĐỦ ĐIỀU KIỆN",
        (Verdict::Incomplete, true) => "INCOMPLETE",
        (Verdict::NotChecked, false) => "CHƯA KẾT LUẬN",
        (Verdict::NotChecked, true) => "NOT DECIDED",
    };
    println!(
        "  {}: {verdict} — {}",
        if english { "Decree 30" } else { "Nghị định 30" },
        pick(&l.message)
    );
    for c in &l.checks {
        let mark = match c.result {
            Outcome::Pass => "✔",
            Outcome::Warn => "!",
            Outcome::Fail => "✘",
            Outcome::NotChecked => "–",
        };
        println!("    {mark} {}: {}", pick(&c.title), pick(&c.message));
        if let Some(b) = &c.return_text {
            println!(
                "      → {}: {}",
                if english {
                    "send back"
                } else {
                    "đề nghị gửi lại"
                },
                pick(b)
            );
        }
    }
}

/// Tokens listing.
pub fn print_tokens(v: &serde_json::Value) {
    let modules = v
        .get("modules")
        .and_then(|m| m.as_array())
        .cloned()
        .unwrap_or_default();
    if modules.is_empty() {
        println!("No token driver found. Install your token's driver, or pass --pkcs11 /path/to/driver.");
    }
    for m in modules {
        println!(
            "Driver: {}",
            m.get("module").and_then(|x| x.as_str()).unwrap_or("")
        );
        if let Some(e) = m.get("error") {
            println!(
                "  error: {}",
                e.get("message").and_then(|x| x.as_str()).unwrap_or("")
            );
        }
        for t in m
            .get("tokens")
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
        {
            let s = |k: &str| t.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            println!(
                "  Token \"{}\" serial {} ({} {})",
                s("label"),
                s("serial"),
                s("manufacturer"),
                s("model")
            );
            if let Some(pin) = t.get("pin") {
                let flag = |k: &str| pin.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
                if flag("locked") {
                    println!("    PIN LOCKED");
                } else if flag("final_try") {
                    println!("    WARNING: one PIN try left");
                } else if flag("count_low") {
                    println!("    warning: a wrong PIN was entered recently");
                }
            }
            for c in t
                .get("certificates")
                .and_then(|x| x.as_array())
                .cloned()
                .unwrap_or_default()
            {
                let g = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                println!(
                    "    [{}] {} — {} — until {} — {}",
                    g("id"),
                    g("subject"),
                    g("key"),
                    g("not_after"),
                    &g("sha256")[..16.min(g("sha256").len())]
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_text_cannot_carry_escape_sequences() {
        assert_eq!(super::shown("Nguyễn Văn An"), "Nguyễn Văn An");
        let s = super::shown("http://a\u{1b}]0;pwned\u{7}\u{1b}[2Jb\u{202e}fdp.exe\r\n");
        assert!(!s.chars().any(|c| c.is_control() || c == '\u{202e}'), "{s}");
        assert!(s.contains("\\u{1b}") && s.contains("\\u{202e}"), "{s}");
    }
}
