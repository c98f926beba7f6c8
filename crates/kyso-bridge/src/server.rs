//! The loopback listener: HTTP/1.1 POST (with CORS for the allowed sites) and WebSocket on the
//! same port. One thread per connection, at most [`MAX_CONNECTIONS`] at once; every request
//! goes through [`Bridge::handle`]. The request head is parsed by `httparse`; bytes a client
//! sent after the head stay with the connection (the body, or the first WebSocket frame).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::protocol::{status, Reply};
use super::Bridge;

/// Largest request head (request line and headers).
const MAX_HEAD: usize = 16 << 10;
/// Headers read from one request.
const MAX_HEADERS: usize = 64;
/// Connections served at once; more are closed at once (a page opening sockets in a loop
/// cannot exhaust the computer's threads).
pub const MAX_CONNECTIONS: usize = 32;
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
    let open = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((s, peer)) => {
                // Loopback only, whatever the listener was bound to.
                if !peer.ip().is_loopback() {
                    continue;
                }
                if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    open.fetch_sub(1, Ordering::SeqCst);
                    drop(s);
                    continue;
                }
                let (b, tls, done) = (bridge.clone(), tls.clone(), open.clone());
                let spawned = std::thread::Builder::new()
                    .name("kyso-bridge".into())
                    .spawn(move || {
                        let _ = accept(s, &b, tls, port);
                        done.fetch_sub(1, Ordering::SeqCst);
                    });
                if spawned.is_err() {
                    open.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A parsed request head; `rest` holds the bytes read after it.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) path: String,
    headers: Vec<(String, String)>,
    pub(crate) rest: Vec<u8>,
}

impl Head {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many times `name` appears (a repeated Content-Length is refused).
    fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .count()
    }
}

/// Why a head was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum HeadError {
    /// The connection closed before a head.
    Closed,
    /// Not HTTP/1.x, a header that does not parse, or too large.
    Malformed,
}

/// Parses `buf` as far as it goes: `Ok(None)` while the head is incomplete.
pub(crate) fn parse_head(buf: &[u8]) -> Result<Option<Head>, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => {
            let headers = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_string(),
                        String::from_utf8_lossy(h.value).trim().to_string(),
                    )
                })
                .collect();
            Ok(Some(Head {
                method: req.method.unwrap_or_default().to_string(),
                path: req.path.unwrap_or("/").to_string(),
                headers,
                rest: buf.get(n..).unwrap_or_default().to_vec(),
            }))
        }
        Ok(httparse::Status::Partial) if buf.len() <= MAX_HEAD => Ok(None),
        _ => Err(HeadError::Malformed),
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

fn read_head(s: &mut impl Read) -> std::io::Result<Result<Head, HeadError>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Ok(Err(HeadError::Closed));
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        match parse_head(&buf) {
            Ok(Some(h)) => return Ok(Ok(h)),
            Ok(None) => {}
            Err(e) => return Ok(Err(e)),
        }
    }
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
    let head = match read_head(&mut s)? {
        Ok(h) => h,
        Err(HeadError::Closed) => return Ok(()),
        Err(HeadError::Malformed) => {
            let r = Reply::fail(status::BAD_REQUEST, "malformed HTTP request");
            return respond(&mut s, "400 Bad Request", None, &json(&r));
        }
    };
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    let host_ok = head.count("Host") == 1
        && head.header("Host").is_some_and(|h| {
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
        return websocket_session(s, bridge, head, origin.as_deref());
    }
    match head.method.as_str() {
        // The preflight is where a new site is asked about (once).
        "OPTIONS" => match (bridge.admit(&head.path, origin.as_deref()), &origin) {
            (Ok(()), Some(o)) => respond(&mut s, "204 No Content", Some(o), b""),
            _ => respond(&mut s, "403 Forbidden", None, b""),
        },
        "POST" => {
            // One body length, given plainly: no chunked bodies, no two lengths that two
            // parsers could read differently.
            let length = head
                .header("Content-Length")
                .and_then(|v| v.parse::<usize>().ok());
            let Some(want) = length
                .filter(|_| head.count("Content-Length") == 1 && head.header("Transfer-Encoding").is_none())
            else {
                let r = Reply::fail(status::BAD_REQUEST, "a request body needs one Content-Length");
                return respond(&mut s, "411 Length Required", None, &json(&r));
            };
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
/// message is one request for the action in the URL path; each gets one reply. The site is
/// checked again for every message: a site removed from the allowed list loses its socket.
fn websocket_session<S: Read + Write>(
    mut s: S,
    bridge: &Bridge,
    head: Head,
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
        let mut h = kyso_core::Hasher::new(kyso_core::HashAlg::Sha1);
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
    // A client may send its first frame with the handshake: those bytes were read already.
    let mut ws =
        tungstenite::WebSocket::from_partially_read(s, head.rest.clone(), Role::Server, Some(config));
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
        if ws.send(Message::text(text)).is_err() || r.status == status::ORIGIN_REFUSED {
            // The site is no longer allowed: its socket is closed.
            let _ = ws.close(None);
            let _ = ws.flush();
            return Ok(());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_strictly_and_what_follows_is_kept() {
        let h = parse_head(b"POST /SignPDF HTTP/1.1\r\nHost: 127.0.0.1:8987\r\nOrigin: http://a.vn\r\nContent-Length: 2\r\n\r\n{}\x81")
            .unwrap()
            .unwrap();
        assert_eq!((h.method.as_str(), h.path.as_str()), ("POST", "/SignPDF"));
        assert_eq!(h.header("origin"), Some("http://a.vn"));
        assert_eq!(h.rest, b"{}\x81");
        // Not complete yet: wait for more.
        assert!(parse_head(b"GET / HTTP/1.1\r\nHost: x").unwrap().is_none());
        // Broken or oversized heads are refused, not guessed at.
        for bad in [
            &b"GET / HTTP/1.1\r\nHo st: x\r\n\r\n"[..],
            b"GET /\x00 HTTP/1.1\r\n\r\n",
            b"\x16\x03\x01garbage\r\n\r\n",
        ] {
            assert_eq!(parse_head(bad).unwrap_err(), HeadError::Malformed, "{bad:?}");
        }
        let mut huge = b"GET / HTTP/1.1\r\nX: ".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_HEAD + 1));
        assert_eq!(parse_head(&huge).unwrap_err(), HeadError::Malformed);
        let mut many = b"GET / HTTP/1.1\r\n".to_vec();
        for i in 0..=MAX_HEADERS {
            many.extend(format!("X-{i}: 1\r\n").as_bytes());
        }
        many.extend(b"\r\n");
        assert_eq!(parse_head(&many).unwrap_err(), HeadError::Malformed);
    }
}
