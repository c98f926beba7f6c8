//! The loopback listener: HTTP/1.1 POST (with CORS for the allowed sites) and WebSocket on the
//! same port. One thread per connection; every request goes through [`Bridge::handle`].

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::protocol::{status, Reply};
use super::Bridge;

const MAX_HEAD: usize = 16 << 10;
const WS_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Serves `bridge` on `listener` (bind it to 127.0.0.1) until `stop` is set. With `tls`,
/// connections that open with a TLS handshake are served as `wss://`/`https://` on the same
/// port; the others as `ws://`/`http://` (browsers allow both towards 127.0.0.1).
pub fn serve(
    listener: TcpListener,
    bridge: Arc<Bridge>,
    tls: Option<Arc<rustls::ServerConfig>>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<()> {
    let port = listener.local_addr()?.port();
    listener.set_nonblocking(true)?;
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((s, peer)) => {
                // Loopback only, whatever the listener was bound to.
                if !peer.ip().is_loopback() {
                    continue;
                }
                let b = bridge.clone();
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = accept(s, &b, tls, port);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    rest: Vec<u8>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Plain or TLS, by the first byte (0x16 opens a TLS handshake record).
fn accept(
    s: TcpStream,
    bridge: &Bridge,
    tls: Option<Arc<rustls::ServerConfig>>,
    port: u16,
) -> std::io::Result<()> {
    s.set_nonblocking(false)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut first = [0u8; 1];
    if s.peek(&mut first)? == 0 {
        return Ok(());
    }
    match tls {
        Some(cfg) if first[0] == 0x16 => {
            let conn = rustls::ServerConnection::new(cfg).map_err(std::io::Error::other)?;
            connection(rustls::StreamOwned::new(conn, s), bridge, port)
        }
        _ => connection(s, bridge, port),
    }
}

fn read_head(s: &mut impl Read) -> std::io::Result<Option<Head>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
    };
    let text = String::from_utf8_lossy(buf.get(..end).unwrap_or_default()).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("/").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Some(Head {
        method,
        path,
        headers,
        rest: buf.get(end + 4..).unwrap_or_default().to_vec(),
    }))
}

fn respond(s: &mut impl Write, code: &str, cors: Option<&str>, body: &[u8]) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {code}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        body.len()
    );
    if let Some(o) = cors {
        head.push_str(&format!(
            "Access-Control-Allow-Origin: {o}\r\nVary: Origin\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\nAccess-Control-Allow-Headers: Content-Type\r\nAccess-Control-Allow-Private-Network: true\r\nAccess-Control-Max-Age: 600\r\n"
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    s.write_all(body)
}

fn json(r: &Reply) -> Vec<u8> {
    r.body()
}

fn connection<S: Read + Write>(mut s: S, bridge: &Bridge, port: u16) -> std::io::Result<()> {
    let Some(head) = read_head(&mut s)? else {
        return Ok(());
    };
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    let host_ok = head.header("Host").is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        h == format!("127.0.0.1:{port}") || h == format!("localhost:{port}")
    });
    if !host_ok {
        let r = Reply::fail(status::ORIGIN_REFUSED, "Host must be 127.0.0.1 or localhost");
        return respond(&mut s, "421 Misdirected Request", None, &json(&r));
    }
    let origin = head.header("Origin").map(str::to_string);
    let websocket = head
        .header("Upgrade")
        .is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
    if websocket && head.method == "GET" {
        return websocket_session(s, bridge, &head, origin.as_deref());
    }
    match head.method.as_str() {
        // The preflight is where a new site is asked about (once).
        "OPTIONS" => match (bridge.admit(&head.path, origin.as_deref()), &origin) {
            (Ok(()), Some(o)) => respond(&mut s, "204 No Content", Some(o), b""),
            _ => respond(&mut s, "403 Forbidden", None, b""),
        },
        "POST" => {
            let want = head
                .header("Content-Length")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if want > bridge.limits().max_body(&head.path) {
                let r = Reply::fail(status::BAD_REQUEST, "the request is too large");
                return respond(&mut s, "413 Payload Too Large", None, &json(&r));
            }
            let mut body = head.rest.clone();
            let mut chunk = [0u8; 8192];
            while body.len() < want {
                let n = s.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(chunk.get(..n).unwrap_or_default());
            }
            body.truncate(want);
            let r = bridge.handle(&head.path, origin.as_deref(), &body);
            // CORS only for a site that got past the origin check.
            let cors = origin.as_deref().filter(|_| r.status != status::ORIGIN_REFUSED);
            respond(&mut s, "200 OK", cors, &json(&r))
        }
        _ => {
            let r = Reply::fail(status::BAD_REQUEST, "use POST or a WebSocket");
            respond(&mut s, "405 Method Not Allowed", None, &json(&r))
        }
    }
}

/// RFC 6455 handshake by hand (the request is already read), then messages: each text
/// message is one request for the action in the URL path; each gets one reply.
fn websocket_session<S: Read + Write>(
    mut s: S,
    bridge: &Bridge,
    head: &Head,
    origin: Option<&str>,
) -> std::io::Result<()> {
    use base64ct::Encoding;
    use tungstenite::protocol::{Role, WebSocketConfig};
    use tungstenite::Message;
    let Some(key) = head.header("Sec-WebSocket-Key") else {
        return respond(&mut s, "400 Bad Request", None, b"");
    };
    // A site that is not allowed gets no socket at all (browsers do not enforce CORS here).
    if let Err(r) = bridge.admit(&head.path, origin) {
        return respond(&mut s, "403 Forbidden", None, &json(&r));
    }
    let accept = {
        let mut h = kyso_core::crypto::Hasher::new(kyso_core::crypto::HashAlg::Sha1);
        h.update(key.as_bytes());
        h.update(WS_GUID.as_bytes());
        base64ct::Base64::encode_string(&h.finish())
    };
    s.write_all(
        format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
        )
        .as_bytes(),
    )?;
    s.flush()?;
    let config = WebSocketConfig::default()
        .max_message_size(Some(bridge.limits().max_body(&head.path)))
        .max_frame_size(Some(bridge.limits().max_body(&head.path)));
    let mut ws = tungstenite::WebSocket::from_raw_socket(s, Role::Server, Some(config));
    loop {
        let m = match ws.read() {
            Ok(m) => m,
            Err(_) => return Ok(()),
        };
        let body = match m {
            Message::Text(t) => t.as_bytes().to_vec(),
            Message::Binary(b) => b.to_vec(),
            Message::Close(_) => return Ok(()),
            _ => continue,
        };
        let r = bridge.handle_admitted(&head.path, origin, &body, true);
        let text = String::from_utf8(json(&r)).unwrap_or_default();
        if ws.send(Message::text(text)).is_err() {
            return Ok(());
        }
    }
}
