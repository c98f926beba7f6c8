//! Token drivers, tokens (and their PIN state) and the certificates on them.

use std::path::PathBuf;

use der::Decode;
use x509_cert::Certificate;

use super::{Line, Status};
use crate::message::Message;
use crate::signer::pkcs11::Module;

/// Days before expiry when a certificate line turns amber.
const WARN_DAYS: i64 = 30;

/// What the token checks found that later checks need.
#[derive(Default)]
pub(super) struct Found {
    /// OCSP, CRL and CA-issuer addresses the certificates name.
    pub service_urls: Vec<String>,
}

pub(super) fn check(drivers: &[PathBuf], now: i64, lines: &mut Vec<Line>) -> Found {
    let mut found = Found::default();
    if drivers.is_empty() {
        lines.push(
            Line::new(
                "DRIVER",
                Status::Red,
                Message::new(
                    "Không tìm thấy trình điều khiển (driver) của thiết bị ký số nào trên máy.",
                    "No token driver is installed on this computer.",
                ),
            )
            .todo(
                "Cài phần mềm đi kèm thiết bị ký số (từ nhà cung cấp chứng thư, ví dụ Ban Cơ yếu, VNPT, Viettel) rồi kiểm tra lại.",
                "Install the software that came with your token (from your certificate provider: VGCA, VNPT, Viettel…) and check again.",
            ),
        );
        return found;
    }
    let mut tokens_seen = 0usize;
    for path in drivers {
        let shown = path.display().to_string();
        let listed = Module::load(path).and_then(|m| m.list(None));
        let tokens = match listed {
            Ok(t) => t,
            Err(e) => {
                lines.push(
                    Line::new(
                        "DRIVER",
                        Status::Amber,
                        Message::new(
                            format!("Không nạp được driver {shown}: {e}"),
                            format!("The driver {shown} cannot be loaded: {e}"),
                        ),
                    )
                    .todo(
                        "Cài lại phần mềm của thiết bị ký số (bản 64-bit cho Windows 64-bit).",
                        "Reinstall the token's software (the 64-bit version on 64-bit Windows).",
                    )
                    .with(serde_json::json!({"driver": shown, "error": e.code()})),
                );
                continue;
            }
        };
        lines.push(
            Line::new(
                "DRIVER",
                Status::Green,
                Message::new(
                    format!("Driver {shown}: nạp được, {} thiết bị đang cắm.", tokens.len()),
                    format!("Driver {shown}: loads, {} token(s) plugged in.", tokens.len()),
                ),
            )
            .with(serde_json::json!({"driver": shown, "tokens": tokens.len()})),
        );
        for t in tokens {
            tokens_seen += 1;
            lines.push(token_line(&t));
            for c in &t.certificates {
                if let Ok(cert) = Certificate::from_der(&c.der) {
                    found
                        .service_urls
                        .extend(crate::trust::ocsp::responder_urls(&cert));
                    found
                        .service_urls
                        .extend(crate::trust::crl::distribution_points(&cert));
                }
                if c.signing_certificate {
                    lines.push(certificate_line(c, now));
                }
            }
        }
    }
    if tokens_seen == 0 {
        lines.push(
            Line::new(
                "TOKEN",
                Status::Amber,
                Message::new(
                    "Chưa thấy thiết bị ký số nào được cắm vào máy.",
                    "No token is plugged in.",
                ),
            )
            .todo(
                "Cắm thiết bị ký số; nếu vẫn không thấy, rút ra và cắm vào cổng USB khác, chờ đèn sáng rồi kiểm tra lại.",
                "Plug in your token; if it is still not seen, unplug it, try another USB port, wait for its light, and check again.",
            ),
        );
    }
    found
}

fn token_line(t: &crate::signer::pkcs11::TokenSummary) -> Line {
    let data = serde_json::json!({
        "label": t.label, "serial": t.serial, "model": t.model, "pin": t.pin,
        "pin_pad": t.protected_authentication_path,
    });
    let label = &t.label;
    if t.pin.locked {
        return Line::new(
            "TOKEN",
            Status::Red,
            Message::new(
                format!("Thiết bị \"{label}\": mã PIN đã bị khoá do nhập sai nhiều lần."),
                format!("Token \"{label}\": the PIN is locked after too many wrong tries."),
            ),
        )
        .todo(
            "Liên hệ đơn vị cấp chứng thư (bộ phận hỗ trợ chữ ký số) để mở khoá; đừng thử thêm mã PIN.",
            "Contact your certificate provider's support to unlock it; do not try more PINs.",
        )
        .with(data);
    }
    if t.pin.final_try || t.pin.count_low {
        let (vi, en) = if t.pin.final_try {
            (
                "chỉ còn MỘT lần nhập mã PIN trước khi thiết bị bị khoá",
                "ONE try left before the token locks",
            )
        } else {
            ("đã có lần nhập sai mã PIN", "a wrong PIN was entered")
        };
        return Line::new(
            "TOKEN",
            Status::Amber,
            Message::new(
                format!("Thiết bị \"{label}\": {vi}."),
                format!("Token \"{label}\": {en}."),
            ),
        )
        .todo(
            "Nhập mã PIN thật cẩn thận; nếu không chắc, hỏi bộ phận hỗ trợ trước khi thử.",
            "Type the PIN carefully; if unsure, ask support before trying.",
        )
        .with(data);
    }
    Line::new(
        "TOKEN",
        Status::Green,
        Message::new(
            format!("Thiết bị \"{label}\" đang cắm, mã PIN bình thường."),
            format!("Token \"{label}\" is plugged in; its PIN is fine."),
        ),
    )
    .with(data)
}

fn certificate_line(c: &crate::signer::pkcs11::TokenCert, now: i64) -> Line {
    let not_after = crate::timefmt::parse_rfc3339(&c.not_after).unwrap_or(0);
    let days = (not_after - now).div_euclid(86_400);
    let who = c
        .identity
        .common_name
        .clone()
        .unwrap_or_else(|| c.subject.clone());
    let date = crate::timefmt::vietnam(not_after);
    let date = date.get(..10).unwrap_or(&date).to_string();
    let data = serde_json::json!({
        "holder": who, "issuer": c.issuer, "serial": c.serial, "not_after": c.not_after, "days_left": days,
        "sha256": c.sha256,
    });
    let renew_vi = "Gia hạn hoặc xin cấp lại chứng thư qua dịch vụ trực tuyến của nhà cung cấp (theo Nghị định 68/2024, mỗi lần gia hạn tối đa 3 năm) trước khi hết hạn.";
    let renew_en = "Renew or re-issue it through your provider's online service (under Decree 68/2024 an extension is at most 3 years) before it expires.";
    if now > not_after {
        Line::new(
            "CERTIFICATE",
            Status::Red,
            Message::new(
                format!("Chứng thư của {who} đã hết hạn ngày {date}: không ký được."),
                format!("{who}'s certificate expired on {date}: it cannot sign."),
            ),
        )
        .todo(
            "Liên hệ nhà cung cấp chứng thư để xin cấp lại hoặc gia hạn.",
            "Contact your certificate provider to re-issue or extend it.",
        )
        .with(data)
    } else if days < WARN_DAYS {
        Line::new(
            "CERTIFICATE",
            Status::Amber,
            Message::new(
                format!("Chứng thư của {who} còn {days} ngày (hết hạn {date})."),
                format!("{who}'s certificate has {days} days left (expires {date})."),
            ),
        )
        .todo(renew_vi, renew_en)
        .with(data)
    } else {
        Line::new(
            "CERTIFICATE",
            Status::Green,
            Message::new(
                format!("Chứng thư của {who} còn hiệu lực đến {date}."),
                format!("{who}'s certificate is valid until {date}."),
            ),
        )
        .with(data)
    }
}
