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
    trust_line(inputs, &mut lines);
    cache_line(inputs.folders, now, &mut lines);
    let status = lines.iter().map(|l| l.status).max().unwrap_or(Status::Green);
    Report {
        version: env!("CARGO_PKG_VERSION"),
        time: crate::timefmt::rfc3339(now),
        status,
        lines,
    }
}

fn trust_line(inputs: &Inputs<'_>, lines: &mut Vec<Line>) {
    // What a check trusts: the shipped authorities (less those switched off), the imported
    // and custom ones, and the intermediates kept from earlier checks.
    let material = crate::trust::Material::for_user(inputs.folders, inputs.settings, &[]);
    let line = match material {
        Err(e) => Line::new(
            "TRUST",
            Status::Red,
            Message::new(
                format!("Không đọc được danh sách chứng thư tin cậy: {e}"),
                format!("The trusted certificates could not be read: {e}"),
            ),
        )
        .todo(
            "Kiểm tra các tệp chứng thư gốc đã thêm trong Cài đặt (xoá tệp không còn tồn tại).",
            "Check the trust anchor files added in Settings (remove any that no longer exist).",
        ),
        Ok(m) if m.anchors.is_empty() => Line::new(
            "TRUST",
            Status::Amber,
            Message::new(
                "Chưa có chứng thư gốc tin cậy nào: chữ ký trên văn bản đến sẽ là \"chưa xác định\".",
                "No trusted root: signatures on incoming documents will be \"undecided\".",
            ),
        )
        .todo(
            "Bật lại các chứng thư gốc có sẵn của Kyso trong Cài đặt, hoặc nhập chứng thư gốc (kyso trust import).",
            "Switch Kyso's built-in roots back on in Settings, or import a root (kyso trust import).",
        )
        .with(serde_json::json!({"anchors": 0, "intermediates": m.intermediates.len()})),
        Ok(m) => Line::new(
            "TRUST",
            Status::Green,
            Message::new(
                format!(
                    "{} chứng thư gốc và {} chứng thư trung gian tin cậy.",
                    m.anchors.len(),
                    m.intermediates.len()
                ),
                format!(
                    "{} trusted roots and {} intermediates.",
                    m.anchors.len(),
                    m.intermediates.len()
                ),
            ),
        )
        .with(serde_json::json!({"anchors": m.anchors.len(), "intermediates": m.intermediates.len()})),
    };
    lines.push(line);
}

/// A week: past it, saved revocation lists are likely out of date (VGCA publishes CRLs
/// valid for days), so offline checks may end "undecided".
const CACHE_STALE: i64 = 7 * 86_400;

fn cache_line(folders: &Folders, now: i64, lines: &mut Vec<Line>) {
    let c = crate::trust::cache::Cache::new(&folders.data).contents();
    let data = serde_json::json!({
        "entries": c.entries,
        "bytes": c.bytes,
        "newest": c.newest.map(crate::timefmt::rfc3339),
    });
    let refresh = (
        "Khi có mạng, bấm \"Cập nhật danh sách thu hồi\" trong Cài đặt (hoặc chạy kyso trust refresh) để kiểm tra văn bản được cả khi không có mạng.",
        "When online, press \"Update revocation lists\" in Settings (or run kyso trust refresh) so documents can be checked offline too.",
    );
    let line = match c.newest {
        None => Line::new(
            "REVOCATION_CACHE",
            Status::Amber,
            Message::new(
                "Chưa lưu danh sách thu hồi nào: khi không có mạng, chữ ký trên văn bản đến sẽ là \"chưa xác định\".",
                "No revocation list saved yet: without a network, signatures on incoming documents will be \"undecided\".",
            ),
        )
        .todo(refresh.0, refresh.1),
        Some(t) if now - t > CACHE_STALE => Line::new(
            "REVOCATION_CACHE",
            Status::Amber,
            Message::new(
                format!(
                    "Danh sách thu hồi đã lưu được cập nhật lần cuối ngày {} ({} ngày trước).",
                    crate::timefmt::vietnam(t),
                    (now - t) / 86_400
                ),
                format!(
                    "The saved revocation lists were last updated on {} ({} days ago).",
                    crate::timefmt::rfc3339(t),
                    (now - t) / 86_400
                ),
            ),
        )
        .todo(refresh.0, refresh.1),
        Some(t) => Line::new(
            "REVOCATION_CACHE",
            Status::Green,
            Message::new(
                format!(
                    "{} danh sách/phản hồi thu hồi đã lưu, mới nhất lúc {}.",
                    c.entries,
                    crate::timefmt::vietnam(t)
                ),
                format!(
                    "{} revocation lists/responses saved, the newest at {}.",
                    c.entries,
                    crate::timefmt::rfc3339(t)
                ),
            ),
        ),
    };
    lines.push(line.with(data));
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
