//! The computer's clock against a trusted time, and whether the services the certificates
//! name (OCSP, CRL, timestamps) answer. A clock that is minutes off makes every signing time
//! wrong and can make a valid certificate look expired or not yet valid.

use super::{Line, Status};
use crate::crypto::HashAlg;
use crate::message::Message;

/// Within this many seconds the clock is right (a request's own delay included).
const GOOD: i64 = 60;
/// Beyond this the clock is red.
const BAD: i64 = 300;

/// Compares the clock with a timestamp authority's time (a signed answer), else with the
/// `Date` a certificate service sends.
pub(super) fn check(tsa_urls: &[String], service_urls: &[String], now: i64, lines: &mut Vec<Line>) {
    let trusted = crate::trust::tsa::timestamp(
        tsa_urls,
        HashAlg::Sha256,
        &HashAlg::Sha256.digest(b"kyso clock check"),
    )
    .ok()
    .map(|t| (t.time, t.url, true))
    .or_else(|| {
        service_urls.iter().take(4).find_map(|u| {
            let p = crate::net::fetch::probe(u).ok()?;
            p.date.map(|d| (d, u.clone(), false))
        })
    });
    let Some((theirs, source, signed)) = trusted else {
        lines.push(
            Line::new(
                "CLOCK",
                Status::Amber,
                Message::new(
                    "Không so được đồng hồ máy tính với giờ chuẩn (không máy chủ nào trả lời).",
                    "The computer's clock could not be compared with a trusted time (no server answered).",
                ),
            )
            .todo(
                "Kiểm tra kết nối mạng; đồng hồ máy tính phải đúng giờ Việt Nam (UTC+7).",
                "Check the network; the computer's clock must show the right time (Vietnam, UTC+7).",
            ),
        );
        return;
    };
    let skew = now - theirs;
    let data = serde_json::json!({"skew_seconds": skew, "source": source, "signed_time": signed});
    let shown = |s: i64| {
        let m = s.abs() / 60;
        let sec = s.abs() % 60;
        let dir_vi = if s > 0 { "nhanh" } else { "chậm" };
        let dir_en = if s > 0 { "fast" } else { "slow" };
        (
            format!("{dir_vi} {m} phút {sec} giây"),
            format!("{m} min {sec} s {dir_en}"),
        )
    };
    let (vi, en) = shown(skew);
    let line = if skew.abs() <= GOOD {
        Line::new(
            "CLOCK",
            Status::Green,
            Message::new(
                "Đồng hồ máy tính đúng giờ (so với máy chủ thời gian).",
                "The computer's clock is right (compared with a time server).",
            ),
        )
    } else {
        let status = if skew.abs() > BAD {
            Status::Red
        } else {
            Status::Amber
        };
        Line::new(
            "CLOCK",
            status,
            Message::new(
                format!("Đồng hồ máy tính {vi} so với giờ chuẩn: thời gian ký ghi trên văn bản sẽ sai."),
                format!("The computer's clock is {en} against a trusted time: signing times will be wrong."),
            ),
        )
        .todo(
            "Chỉnh lại ngày giờ của máy (bật \"Đặt giờ tự động\", múi giờ UTC+07:00 Bangkok, Hà Nội, Jakarta).",
            "Set the computer's date and time (turn on \"Set time automatically\", time zone UTC+07:00 Bangkok, Hanoi, Jakarta).",
        )
    };
    lines.push(line.with(data));
}

/// One line per service address: answers or not.
pub(super) fn services(urls: &[String], lines: &mut Vec<Line>) {
    for u in urls.iter().take(12) {
        let line = match crate::net::fetch::probe(u) {
            Ok(p) => Line::new(
                "SERVICE",
                Status::Green,
                Message::new(format!("Dịch vụ {u} trả lời."), format!("The service {u} answers.")),
            )
            .with(serde_json::json!({"url": u, "http_status": p.status})),
            Err(e) => Line::new(
                "SERVICE",
                Status::Amber,
                Message::new(
                    format!("Không kết nối được dịch vụ {u}: kiểm tra chữ ký trực tuyến và dấu thời gian có thể không dùng được."),
                    format!("The service {u} cannot be reached: online checks and timestamps may not work."),
                ),
            )
            .todo(
                "Kiểm tra mạng, tường lửa hoặc máy chủ proxy của cơ quan; nếu vẫn lỗi, báo bộ phận CNTT.",
                "Check the network, the firewall or the office proxy; if it persists, tell your IT staff.",
            )
            .with(serde_json::json!({"url": u, "error": e.to_string()})),
        };
        lines.push(line);
    }
}
