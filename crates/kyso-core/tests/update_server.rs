//! Updates against a loopback update server: manifests made and signed by
//! `scripts/make-update-manifest.sh` (OpenSSL's Ed25519, an implementation independent of
//! Kyso's), served over HTTP on 127.0.0.1, checked and downloaded by `kyso_core::update`.
//! Good update, tampered and foreign signatures, no signature, a downgrade, an installer
//! that is not the one the manifest names.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use kyso_core::update::{self, Check};

type Files = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A tiny HTTP/1.1 server: GET path → the bytes stored under that path, else 404.
fn serve() -> (String, Files) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files: Files = Arc::default();
    let shared = files.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let files = shared.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap_or(0);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let body = files.lock().unwrap().get(&path).cloned();
                let mut out = stream;
                let _ = match body {
                    Some(b) => out
                        .write_all(
                            format!(
                                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                b.len()
                            )
                            .as_bytes(),
                        )
                        .and_then(|_| out.write_all(&b)),
                    None => out.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    ),
                };
            });
        }
    });
    (base, files)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// An Ed25519 key made by OpenSSL; returns (private key file, raw public key).
fn openssl_key(dir: &Path, name: &str) -> (PathBuf, [u8; 32]) {
    let key = dir.join(format!("{name}.pem"));
    let ok = Command::new("openssl")
        .args(["genpkey", "-algorithm", "ed25519", "-out"])
        .arg(&key)
        .status()
        .expect("openssl");
    assert!(ok.success());
    let der = Command::new("openssl")
        .args(["pkey", "-pubout", "-outform", "DER", "-in"])
        .arg(&key)
        .output()
        .unwrap()
        .stdout;
    (key, der[der.len() - 32..].try_into().unwrap())
}

/// Runs the release script: a manifest for `version` naming `installer` at `base`.
fn manifest(dir: &Path, key: &Path, version: &str, base: &str, installer: &Path) -> (Vec<u8>, Vec<u8>) {
    let out = dir.join(format!("m-{version}"));
    let flag = if update::platform().starts_with("windows") {
        "--windows"
    } else {
        "--linux"
    };
    let st = Command::new("bash")
        .arg(root().join("scripts/make-update-manifest.sh"))
        .args([
            "--version",
            version,
            "--base-url",
            base,
            "--notes-vi",
            "Sửa lỗi",
            "--notes-en",
            "Fixes",
            "--key",
        ])
        .arg(key)
        .arg("--out")
        .arg(&out)
        .arg(flag)
        .arg(installer)
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    (
        std::fs::read(out.join("manifest.json")).unwrap(),
        std::fs::read(out.join("manifest.json.sig")).unwrap(),
    )
}

fn newer() -> String {
    let v = semver_major(update::current_version());
    format!("{}.0.0", v + 1)
}

fn semver_major(v: &str) -> u64 {
    v.split('.').next().unwrap().parse().unwrap()
}

struct Setup {
    dir: tempfile::TempDir,
    base: String,
    files: Files,
    key: PathBuf,
    public: [u8; 32],
    installer: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let (base, files) = serve();
    let (key, public) = openssl_key(dir.path(), "release");
    let installer = dir.path().join("Kyso-setup.exe");
    let body: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&installer, &body).unwrap();
    files
        .lock()
        .unwrap()
        .insert("/releases/Kyso-setup.exe".into(), body);
    Setup {
        dir,
        base,
        files,
        key,
        public,
        installer,
    }
}

impl Setup {
    fn publish(&self, manifest: &[u8], sig: Option<&[u8]>) -> String {
        let mut f = self.files.lock().unwrap();
        f.insert("/manifest.json".into(), manifest.to_vec());
        match sig {
            Some(s) => f.insert("/manifest.json.sig".into(), s.to_vec()),
            None => f.remove("/manifest.json.sig"),
        };
        format!("{}/manifest.json", self.base)
    }

    fn check(&self, url: &str) -> Result<Check, update::UpdateError> {
        update::fetch(url, &[self.public], update::current_version(), update::platform())
    }
}

#[test]
fn a_good_update_is_offered_and_its_installer_checked() {
    let s = setup();
    let (m, sig) = manifest(
        s.dir.path(),
        &s.key,
        &newer(),
        &format!("{}/releases", s.base),
        &s.installer,
    );
    let url = s.publish(&m, Some(&sig));
    let Check::Available(offer) = s.check(&url).unwrap() else {
        panic!("no offer")
    };
    assert_eq!(offer.version, newer());
    assert_eq!(offer.notes.vi, "Sửa lỗi");
    assert_eq!(offer.size, 300_000);
    let dest = s.dir.path().join("updates");
    let mut seen = 0;
    let path = update::download(&offer, &dest, update::platform(), &mut |n| seen = n).unwrap();
    assert_eq!(seen, 300_000);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&s.installer).unwrap()
    );
    assert_eq!(
        path.file_name().unwrap().to_string_lossy(),
        update::installer_name(&offer, update::platform())
    );
    // The same manifest for the running version: nothing to do.
    let (m, sig) = manifest(
        s.dir.path(),
        &s.key,
        update::current_version(),
        &s.base,
        &s.installer,
    );
    let url = s.publish(&m, Some(&sig));
    assert!(matches!(s.check(&url).unwrap(), Check::UpToDate { .. }));
}

#[test]
fn unsigned_tampered_and_foreign_manifests_are_refused() {
    let s = setup();
    let (m, sig) = manifest(
        s.dir.path(),
        &s.key,
        &newer(),
        &format!("{}/releases", s.base),
        &s.installer,
    );
    let code = |r: Result<Check, update::UpdateError>| r.map_err(|e| e.code()).err();
    // No signature published.
    let url = s.publish(&m, None);
    assert_eq!(code(s.check(&url)), Some("UPDATE_UNSIGNED"));
    // The manifest changed after signing (another installer address).
    let text = String::from_utf8(m.clone())
        .unwrap()
        .replace("/releases/", "/evil/");
    let url = s.publish(text.as_bytes(), Some(&sig));
    assert_eq!(code(s.check(&url)), Some("UPDATE_BAD_SIGNATURE"));
    // Signed by a key this build does not trust.
    let (other, _) = openssl_key(s.dir.path(), "other");
    let (m2, sig2) = manifest(
        s.dir.path(),
        &other,
        &newer(),
        &format!("{}/releases", s.base),
        &s.installer,
    );
    let url = s.publish(&m2, Some(&sig2));
    assert_eq!(code(s.check(&url)), Some("UPDATE_BAD_SIGNATURE"));
    // Garbage in place of the signature.
    let url = s.publish(&m, Some(b"not a signature"));
    assert_eq!(code(s.check(&url)), Some("UPDATE_BAD_SIGNATURE"));
    // A build without release keys checks nothing.
    let url = s.publish(&m, Some(&sig));
    assert_eq!(
        code(update::fetch(
            &url,
            &[],
            update::current_version(),
            update::platform()
        )),
        Some("UPDATE_NO_KEY")
    );
    // The server is down.
    assert_eq!(
        code(update::fetch(
            "http://127.0.0.1:9/manifest.json",
            &[s.public],
            "0.1.0",
            update::platform()
        )),
        Some("UPDATE_NETWORK")
    );
}

#[test]
fn an_older_signed_release_is_a_downgrade() {
    let s = setup();
    let (m, sig) = manifest(
        s.dir.path(),
        &s.key,
        "0.0.1",
        &format!("{}/releases", s.base),
        &s.installer,
    );
    let url = s.publish(&m, Some(&sig));
    assert_eq!(
        s.check(&url).map_err(|e| e.code()).err(),
        Some("UPDATE_DOWNGRADE")
    );
}

#[test]
fn an_installer_that_is_not_the_signed_one_is_deleted() {
    let s = setup();
    let (m, sig) = manifest(
        s.dir.path(),
        &s.key,
        &newer(),
        &format!("{}/releases", s.base),
        &s.installer,
    );
    let url = s.publish(&m, Some(&sig));
    let Check::Available(offer) = s.check(&url).unwrap() else {
        panic!("no offer")
    };
    let dest = s.dir.path().join("updates");
    // Same size, one byte changed on the server.
    let mut body = std::fs::read(&s.installer).unwrap();
    body[1000] ^= 0xFF;
    s.files
        .lock()
        .unwrap()
        .insert("/releases/Kyso-setup.exe".into(), body.clone());
    let e = update::download(&offer, &dest, update::platform(), &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "UPDATE_DIGEST_MISMATCH");
    // Longer than announced.
    body.extend_from_slice(b"more");
    s.files
        .lock()
        .unwrap()
        .insert("/releases/Kyso-setup.exe".into(), body);
    let e = update::download(&offer, &dest, update::platform(), &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "UPDATE_DIGEST_MISMATCH");
    // Nothing is left behind.
    assert_eq!(std::fs::read_dir(&dest).unwrap().count(), 0);
}
