//! The local signing bridge: on or off, and whether its port on 127.0.0.1 is free, held by
//! Kyso, or held by another program (another signing tool) — the support call "the
//! document system says it cannot connect to the signing service".

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::Duration;

use super::{Line, Status};
use crate::message::Message;
use crate::settings::Settings;

/// Who holds a port.
#[derive(Debug, PartialEq, Eq)]
enum Holder {
    Nobody,
    /// Something that answers like Kyso's bridge (a JSON reply with `Status`).
    Bridge,
    /// Another program.
    Other,
}

fn holder(port: u16) -> Holder {
    if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
        return Holder::Nobody;
    }
    let Ok(mut s) = TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(2))
    else {
        return Holder::Other;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!(
        "POST /GetCertInfo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if s.write_all(req.as_bytes()).is_err() {
        return Holder::Other;
    }
    let mut answer = Vec::new();
    let _ = s.take(64 * 1024).read_to_end(&mut answer);
    if String::from_utf8_lossy(&answer).contains("\"Status\"") {
        Holder::Bridge
    } else {
        Holder::Other
    }
}

pub(super) fn check(settings: &Settings, running_here: bool, lines: &mut Vec<Line>) {
    let port = settings.bridge_port;
    let sites = settings.bridge_origins.clone();
    let data = serde_json::json!({"enabled": settings.bridge_enabled, "port": port, "allowed_sites": sites});
    let held = if running_here {
        Holder::Bridge
    } else {
        holder(port)
    };
    let line = match (settings.bridge_enabled, held) {
        (true, Holder::Bridge) => Line::new(
            "BRIDGE",
            Status::Green,
            Message::new(
                format!(
                    "Dịch vụ ký cho hệ thống quản lý văn bản đang chạy tại 127.0.0.1:{port}; trang được phép: {}.",
                    list(&sites, "chưa có")
                ),
                format!(
                    "The signing service for document systems runs on 127.0.0.1:{port}; allowed sites: {}.",
                    list(&sites, "none yet")
                ),
            ),
        ),
        (true, Holder::Nobody) => Line::new(
            "BRIDGE",
            Status::Amber,
            Message::new(
                format!("Dịch vụ ký đã bật nhưng chưa chạy (cổng {port} đang trống)."),
                format!("The signing service is on but not running (port {port} is free)."),
            ),
        )
        .todo(
            "Mở ứng dụng Kyso (dịch vụ chạy khi ứng dụng mở).",
            "Open the Kyso app (the service runs while the app is open).",
        ),
        (_, Holder::Other) => Line::new(
            "BRIDGE",
            Status::Red,
            Message::new(
                format!("Cổng {port} đang bị một chương trình khác chiếm: hệ thống quản lý văn bản sẽ không kết nối được với Kyso."),
                format!("Port {port} is held by another program: document systems cannot reach Kyso."),
            ),
        )
        .todo(
            "Tắt công cụ ký số khác đang chạy (ví dụ VGCA Sign Service) hoặc đổi cổng trong Cài đặt.",
            "Close the other signing tool (e.g. VGCA Sign Service) or change the port in Settings.",
        ),
        (false, Holder::Bridge) => Line::new(
            "BRIDGE",
            Status::Green,
            Message::new(
                format!("Một dịch vụ ký của Kyso (kyso serve) đang chạy tại 127.0.0.1:{port}."),
                format!("A Kyso signing service (kyso serve) runs on 127.0.0.1:{port}."),
            ),
        ),
        (false, Holder::Nobody) => Line::new(
            "BRIDGE",
            Status::Green,
            Message::new(
                format!("Dịch vụ ký cho hệ thống quản lý văn bản đang tắt (cổng {port} trống)."),
                format!("The signing service for document systems is off (port {port} is free)."),
            ),
        )
        .todo(
            "Nếu cơ quan ký trên hệ thống quản lý văn bản, bật nó trong Cài đặt.",
            "If your office signs in its document system, turn it on in Settings.",
        ),
    };
    lines.push(line.with(data));
}

fn list(sites: &[String], none: &str) -> String {
    if sites.is_empty() {
        none.to_string()
    } else {
        sites.join(", ")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_free_port_a_port_held_by_something_else_and_one_that_answers_like_the_bridge() {
        let free = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = free.local_addr().unwrap().port();
        drop(free);
        assert_eq!(holder(port), Holder::Nobody);
        // Something that accepts and answers nothing useful.
        let other = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let p2 = other.local_addr().unwrap().port();
        let t = std::thread::spawn(move || {
            if let Ok((mut s, _)) = other.accept() {
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            }
        });
        assert_eq!(holder(p2), Holder::Other);
        t.join().unwrap();
        // Something that answers like the bridge.
        let bridge = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let p3 = bridge.local_addr().unwrap().port();
        let t = std::thread::spawn(move || {
            if let Ok((mut s, _)) = bridge.accept() {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let body = br#"{"Status":2,"Message":"x"}"#;
                let _ = s.write_all(
                    format!("HTTP/1.1 403 Forbidden\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes(),
                );
                let _ = s.write_all(body);
            }
        });
        assert_eq!(holder(p3), Holder::Bridge);
        t.join().unwrap();
    }
}
