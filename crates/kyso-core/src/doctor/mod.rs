//! The self-check ("Kiểm tra hệ thống", `kyso doctor`): what support desks are asked every
//! day, checked before it goes wrong — token drivers, tokens and their PIN state,
//! certificates and their expiry, the computer's clock against a trusted time, the services
//! the certificates name, the local signing bridge, the trust store. Each line is green,
//! amber or red with one sentence of what to do, Vietnamese first.
//!
//! The same checks for the CLI and the app; the faces only show them. [`support_text`] is the
//! report for the support desk: no PIN, secret or document content is ever in it (the checks
//! never see one).

mod bridge;
mod clock;
mod tokens;

use serde::Serialize;

use crate::folders::Folders;
use crate::message::Message;
use crate::settings::Settings;

/// How a line looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Fine.
    Green,
    /// Works, but needs attention soon (or could not be checked).
    Amber,
    /// Signing or checking will fail until it is fixed.
    Red,
}

/// One line of the self-check.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    /// Stable code of what was checked (`DRIVER`, `TOKEN`, `CERTIFICATE`, `CLOCK`, `SERVICE`,
    /// `BRIDGE`, `TRUST`, …).
    pub code: &'static str,
    /// Green, amber or red.
    pub status: Status,
    /// What was found.
    pub text: Message,
    /// What to do (absent when there is nothing to do).
    pub action: Option<Message>,
    /// The facts behind it (paths, dates, seconds), for the support desk.
    pub data: serde_json::Value,
}

impl Line {
    fn new(code: &'static str, status: Status, text: Message) -> Self {
        Self {
            code,
            status,
            text,
            action: None,
            data: serde_json::Value::Null,
        }
    }

    fn todo(mut self, vi: impl Into<String>, en: impl Into<String>) -> Self {
        self.action = Some(Message::new(vi, en));
        self
    }

    fn with(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }
}

/// The whole self-check.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Kyso's version.
    pub version: &'static str,
    /// When it ran (RFC 3339, this computer's clock).
    pub time: String,
    /// The worst status of all lines.
    pub status: Status,
    /// Every line, in the order a support desk asks.
    pub lines: Vec<Line>,
}

/// What the self-check looks at.
pub struct Inputs<'a> {
    /// The user's folders.
    pub folders: &'a Folders,
    /// The user's settings (offline mode, TSAs, the bridge).
    pub settings: &'a Settings,
    /// Token drivers to try (the face's list: settings, environment, those installed).
    pub drivers: Vec<std::path::PathBuf>,
    /// Whether this program itself runs the bridge now (the app with the switch on).
    pub bridge_running_here: bool,
}

/// Runs every check. Network checks are skipped (amber) in offline mode.
pub fn run(inputs: &Inputs<'_>) -> Report {
    let now = crate::timefmt::now();
    let mut lines = Vec::new();
    let found = tokens::check(&inputs.drivers, now, &mut lines);
    let mut urls = found.service_urls;
    urls.extend(inputs.settings.tsa_urls.iter().cloned());
    urls.sort();
    urls.dedup();
    if inputs.settings.offline {
        lines.push(
            Line::new(
                "NETWORK",
                Status::Amber,
                Message::new(
                    "Chế độ không dùng mạng đang bật: không kiểm tra được đồng hồ và các dịch vụ xác thực.",
                    "Offline mode is on: the clock and the certificate services were not checked.",
                ),
            )
            .todo(
                "Khi có mạng, tắt chế độ không dùng mạng trong Cài đặt rồi kiểm tra lại.",
                "When there is a network, turn offline mode off in Settings and check again.",
            ),
        );
    } else {
        clock::check(&inputs.settings.tsa_urls, &urls, now, &mut lines);
        clock::services(&urls, &mut lines);
    }
    bridge::check(inputs.settings, inputs.bridge_running_here, &mut lines);
    trust_line(inputs.folders, &mut lines);
    let status = lines.iter().map(|l| l.status).max().unwrap_or(Status::Green);
    Report {
        version: env!("CARGO_PKG_VERSION"),
        time: crate::timefmt::rfc3339(now),
        status,
        lines,
    }
}

fn trust_line(folders: &Folders, lines: &mut Vec<Line>) {
    let store = crate::trust::TrustStore::open(&folders.config);
    let (anchors, intermediates) = (store.anchors.len(), store.intermediates.len());
    let line = if anchors == 0 {
        Line::new(
            "TRUST",
            Status::Amber,
            Message::new(
                "Chưa có chứng thư gốc tin cậy nào: chữ ký trên văn bản đến sẽ là \"chưa xác định\".",
                "No trusted root yet: signatures on incoming documents will be \"undecided\".",
            ),
        )
        .todo(
            "Nhập chứng thư gốc của Ban Cơ yếu Chính phủ (kyso trust import) hoặc cài lại Kyso.",
            "Import the Government Cipher Committee's roots (kyso trust import) or reinstall Kyso.",
        )
    } else {
        Line::new(
            "TRUST",
            Status::Green,
            Message::new(
                format!("{anchors} chứng thư gốc và {intermediates} chứng thư trung gian tin cậy."),
                format!("{anchors} trusted roots and {intermediates} intermediates."),
            ),
        )
    };
    lines.push(line.with(serde_json::json!({"anchors": anchors, "intermediates": intermediates})));
}

/// The report as text for the support desk (the language first, then the other), with the
/// facts of each line. It holds no PIN, secret or document content.
pub fn support_text(r: &Report, lang: &str) -> String {
    let mut out = format!("Kyso {} — {}\n", r.version, r.time);
    for l in &r.lines {
        let mark = match l.status {
            Status::Green => "[OK]  ",
            Status::Amber => "[!]   ",
            Status::Red => "[LỖI] ",
        };
        out.push_str(mark);
        out.push_str(l.text.in_lang(lang));
        out.push('\n');
        if let Some(a) = &l.action {
            out.push_str("      → ");
            out.push_str(a.in_lang(lang));
            out.push('\n');
        }
        if !l.data.is_null() {
            out.push_str("      ");
            out.push_str(&l.data.to_string());
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_line_decides_and_the_text_keeps_every_line() {
        let r = Report {
            version: "0",
            time: "t".into(),
            status: Status::Red,
            lines: vec![
                Line::new("A", Status::Green, Message::new("tốt", "good")),
                Line::new("B", Status::Red, Message::new("hỏng", "broken"))
                    .todo("sửa", "fix")
                    .with(serde_json::json!({"port": 8987})),
            ],
        };
        let vi = support_text(&r, "vi");
        assert!(vi.contains("[OK]  tốt") && vi.contains("[LỖI] hỏng") && vi.contains("→ sửa"));
        assert!(vi.contains("8987"));
        assert!(support_text(&r, "en").contains("→ fix"));
        assert!(Status::Red > Status::Amber && Status::Amber > Status::Green);
    }
}
