//! Hostile pages against the bridge, over real sockets on 127.0.0.1 where it matters: a site
//! not allowed yet is asked about one question at a time, within the rate limits, and not
//! again soon after a no; refusals cannot flood the journal; a WebSocket loses its site when
//! the user removes it, and a first frame sent with the handshake is not lost; request heads
//! are parsed strictly; connections are capped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use kyso_bridge::protocol::status;
use kyso_bridge::{Ask, Bridge, Host, Limits};
use kyso_core::folders::Folders;
use kyso_core::settings::Settings;
use kyso_core::signer::{Signer, SignerError};

/// A host whose user answers new-site questions when the test says so.
#[derive(Clone)]
struct TestHost {
    folders: Folders,
    allowed: Arc<Mutex<HashSet<String>>>,
    asked: Arc<AtomicUsize>,
    /// The user's next answer; `None` while they think.
    answer: Arc<(Mutex<Option<bool>>, Condvar)>,
}

impl TestHost {
    fn new(dir: &std::path::Path) -> Self {
        Self {
            folders: Folders::under(dir),
            allowed: Arc::default(),
            asked: Arc::default(),
            answer: Arc::new((Mutex::new(None), Condvar::new())),
        }
    }

    fn answer(&self, yes: bool) {
        *self.answer.0.lock().unwrap() = Some(yes);
        self.answer.1.notify_all();
    }

    fn site(origin: &str) -> String {
        kyso_core::net::origin_of(origin).unwrap()
    }
}

impl Host for TestHost {
    fn origin_known(&self, origin: &str) -> bool {
        self.allowed.lock().unwrap().contains(&Self::site(origin))
    }

    fn ask_origin(&self, origin: &str) -> bool {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let (lock, cv) = &*self.answer;
        let (answer, _) = cv
            .wait_timeout_while(lock.lock().unwrap(), Duration::from_secs(20), |a| a.is_none())
            .unwrap();
        let yes = answer.unwrap_or(false);
        if yes {
            self.allowed.lock().unwrap().insert(Self::site(origin));
        }
        yes
    }

    fn allowed_hosts(&self) -> Vec<String> {
        Vec::new()
    }

    fn approve(&self, _: &Ask) -> Result<Box<dyn Signer>, kyso_core::Error> {
        Err(kyso_core::Error::Signer(SignerError::Cancelled))
    }

    fn certificate(&self) -> Option<kyso_core::cert::Certificate> {
        None
    }

    fn folders(&self) -> Folders {
        self.folders.clone()
    }

    fn settings(&self) -> Settings {
        Settings::default()
    }
}

fn wait_until(what: &str, f: impl Fn() -> bool) {
    let end = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_new_site_is_asked_about_once_at_a_time_and_within_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::new(dir.path());
    let limits = Limits {
        per_minute: 6,
        site_questions_per_minute: 2,
        ..Limits::default()
    };
    let bridge = Arc::new(Bridge::new(Box::new(host.clone()), limits));
    let ask = |origin: &'static str| {
        let b = bridge.clone();
        std::thread::spawn(move || b.handle("/GetCertInfo", Some(origin), b""))
    };
    // a.vn asks: the user is asked, and thinks.
    let first = ask("http://a.vn");
    wait_until("the question", || host.asked.load(Ordering::SeqCst) == 1);
    // The same site again while the question is open: refused at once, no second question.
    let r = bridge.handle("/GetCertInfo", Some("http://a.vn"), b"");
    assert_eq!(r.status, status::ORIGIN_REFUSED, "{r:?}");
    assert!(r.message.contains("asking the user"), "{}", r.message);
    // Another site may be asked meanwhile; a third must wait (two questions at most).
    let second = ask("http://b.vn");
    wait_until("the second question", || host.asked.load(Ordering::SeqCst) == 2);
    let r = bridge.handle("/GetCertInfo", Some("http://c.vn"), b"");
    assert_eq!(r.status, status::ORIGIN_REFUSED, "{r:?}");
    assert_eq!(host.asked.load(Ordering::SeqCst), 2);
    // The user says no to both.
    host.answer(false);
    for t in [first, second] {
        assert_eq!(t.join().unwrap().status, status::ORIGIN_REFUSED);
    }
    // A no holds: a.vn is not asked again, however it retries…
    let r = bridge.handle("/GetCertInfo", Some("http://a.vn"), b"");
    assert!(r.message.contains("said no"), "{}", r.message);
    // …and its attempts count against its rate limit until it is cut off.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(bridge.handle("/GetCertInfo", Some("http://a.vn"), b"").status);
    }
    assert_eq!(statuses.last(), Some(&status::RATE_LIMITED), "{statuses:?}");
    // Two questions this minute already: a new site is not asked now.
    let r = bridge.handle("/GetCertInfo", Some("http://d.vn"), b"");
    assert_eq!(r.status, status::RATE_LIMITED, "{r:?}");
    assert_eq!(
        host.asked.load(Ordering::SeqCst),
        2,
        "only two questions were ever put"
    );
    // A site the user allowed (in the settings) is never asked and goes through.
    host.allowed.lock().unwrap().insert("http://e.vn:80".into());
    let r = bridge.handle("/GetCertInfo", Some("http://e.vn"), b"");
    assert_eq!(
        r.status,
        status::SIGN_FAILED,
        "admitted (no certificate chosen): {r:?}"
    );
    // The journal: one row per refused site this minute, the repeats counted in it.
    let j = kyso_core::journal::Journal::open_in(&dir.path().join("data")).unwrap();
    let events = j.events().unwrap();
    let a_rows: Vec<_> = events.iter().filter(|e| e.input == "http://a.vn").collect();
    assert_eq!(a_rows.len(), 1, "{events:?}");
    assert!(
        a_rows[0].detail.as_deref().unwrap().contains("×"),
        "{:?}",
        a_rows[0].detail
    );
    assert!(events.len() <= 6, "{events:?}");
}

/// A started bridge on a free port; returns the port and the stop flag.
fn serve(host: TestHost) -> (u16, Arc<AtomicBool>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let bridge = Arc::new(Bridge::new(Box::new(host), Limits::default()));
    let s = stop.clone();
    std::thread::spawn(move || kyso_bridge::serve(l, bridge, None, s));
    (port, stop)
}

/// Everything up to the end of the head, and what came after it.
fn read_head(s: &mut TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "closed before a head: {}", String::from_utf8_lossy(&buf));
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return (
                String::from_utf8_lossy(&buf[..i]).into_owned(),
                buf[i + 4..].to_vec(),
            );
        }
    }
}

/// A masked client text frame.
fn frame(text: &[u8]) -> Vec<u8> {
    let mask = [0x12u8, 0x34, 0x56, 0x78];
    let mut f = vec![0x81, 0x80 | text.len() as u8];
    f.extend_from_slice(&mask);
    f.extend(text.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    f
}

#[test]
fn a_websocket_loses_its_site_when_the_user_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::new(dir.path());
    host.allowed.lock().unwrap().insert("http://a.vn:80".into());
    let (port, stop) = serve(host.clone());
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The handshake and the first message in one write: the bytes after the head were read
    // with it and must reach the WebSocket.
    let mut hello = format!(
        "GET /GetCertInfo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://a.vn\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .into_bytes();
    hello.extend(frame(b"{}"));
    s.write_all(&hello).unwrap();
    let (head, rest) = read_head(&mut s);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let mut ws =
        tungstenite::WebSocket::from_partially_read(s, rest, tungstenite::protocol::Role::Client, None);
    let reply: serde_json::Value = serde_json::from_str(ws.read().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(
        reply["Status"],
        status::SIGN_FAILED,
        "answered (no certificate chosen): {reply}"
    );
    // The user removes the site in Settings: the open socket is refused and closed.
    host.allowed.lock().unwrap().clear();
    ws.send(tungstenite::Message::text("{}")).unwrap();
    let reply: serde_json::Value = serde_json::from_str(ws.read().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(reply["Status"], status::ORIGIN_REFUSED, "{reply}");
    let closed = loop {
        match ws.read() {
            Ok(tungstenite::Message::Close(_)) => continue,
            Ok(m) => panic!("still talking: {m:?}"),
            Err(_) => break true,
        }
    };
    assert!(closed);
    assert_eq!(
        host.asked.load(Ordering::SeqCst),
        0,
        "a removed site is not asked about again"
    );
    stop.store(true, Ordering::SeqCst);
}

fn exchange(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn request_heads_are_parsed_strictly_and_connections_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::new(dir.path());
    host.allowed.lock().unwrap().insert("http://a.vn:80".into());
    let (port, stop) = serve(host);
    let post = |extra: &str, body: &str| {
        exchange(
            port,
            format!("POST /GetCertInfo HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://a.vn\r\n{extra}\r\n{body}").as_bytes(),
        )
    };
    assert!(
        post("Content-Length: 2\r\n", "{}").contains("\"Status\":6"),
        "a plain request is answered"
    );
    for (extra, body) in [
        ("Content-Length: 2\r\nContent-Length: 40\r\n", "{}"),
        ("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"),
        ("", ""),
    ] {
        let r = post(extra, body);
        assert!(r.starts_with("HTTP/1.1 411"), "{extra:?}: {r}");
    }
    let r = exchange(
        port,
        b"POST /GetCertInfo HTTP/1.1\r\nHost: 127.0.0.1\r\n\x01bad\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 400"), "{r}");
    let r = exchange(
        port,
        format!(
            "POST /x HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\nContent-Length: 0\r\n\r\n"
        )
        .as_bytes(),
    );
    assert!(r.starts_with("HTTP/1.1 421"), "two Host headers: {r}");

    // 32 connections that say nothing hold every place; the next is closed at once.
    let idle: Vec<TcpStream> = (0..kyso_bridge::MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = TcpStream::connect(("127.0.0.1", port)).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 16];
    let n = extra.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "closed without an answer");
    assert!(started.elapsed() < Duration::from_secs(4));
    // A place frees up: served again.
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    assert!(post("Content-Length: 2\r\n", "{}").contains("\"Status\":6"));
    stop.store(true, Ordering::SeqCst);
}
