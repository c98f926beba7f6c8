//! Shared set-up for the end-to-end tests: a test PKI and SoftHSM2 token generated once per
//! run, fixture PDFs, and the independent validators (pdfsig, pyHanko, qpdf, openssl).
//! Every helper reads real tool output; nothing here decides a verdict by itself.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const PIN: &str = "123456";
pub const P12_PASS: &str = "kyso-test";

pub struct Fixtures {
    pub pki: PathBuf,
    /// The test TSA (`openssl ts -reply` behind the loopback HTTP server).
    pub tsa_url: String,
    /// Port of that server (`/tsa-garbage` answers nonsense).
    pub http_port: u16,
    pub pdfs: PathBuf,
    pub module: PathBuf,
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The fixtures, generated fresh for this run.
pub fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let root = repo_root();
        let base = root.join("target/e2e-fixtures");
        let _ = std::fs::remove_dir_all(&base);
        let pki = base.join("pki");
        let pdfs = base.join("pdfs");
        // A real HTTP server on loopback publishes the test CRL (its port is baked into the
        // certificates' CRL distribution points).
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let ocsp_port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        run_ok(
            Command::new("bash")
                .arg(root.join("tests/fixtures/make-pki.sh"))
                .arg(&pki)
                .env("KYSO_CRL_PORT", port.to_string())
                .env("KYSO_OCSP_PORT", ocsp_port.to_string()),
        );
        let served = pki.clone();
        std::thread::spawn(move || serve_files(listener, served));
        // The test PKI publishes its CRLs, OCSP and CA certificates on 127.0.0.1: allowed by
        // name, as a user allows an intranet CA server (else never called for a document).
        allow_test_servers(&base.join("config"));
        run_ok(
            Command::new("python3")
                .arg(root.join("tests/fixtures/make_pdfs.py"))
                .arg(&pdfs),
        );
        let tsa_url = format!("http://127.0.0.1:{port}/tsa");
        // Signed with a timestamp, then revoked: the revocation comes after the proven time.
        // The second is timestamped by a TSA whose own certificate was revoked before.
        for (tsa, out) in [
            (tsa_url.clone(), "late-revoked-bt.pdf"),
            (
                format!("http://127.0.0.1:{port}/tsa-revoked"),
                "late-revoked-bt-revoked-tsa.pdf",
            ),
        ] {
            run_ok(
                Command::new(env!("CARGO_BIN_EXE_kyso"))
                    .args(["sign", "--level", "B-T", "--tsa", &tsa, "--p12"])
                    .arg(pki.join("crl-late.p12"))
                    .args(["--p12-password-env", "KYSO_P12_PASS"])
                    .arg(pdfs.join("v17-classic.pdf"))
                    .arg("-o")
                    .arg(pki.join(out))
                    .env("KYSO_P12_PASS", P12_PASS)
                    .env("KYSO_CONFIG_DIR", base.join("config"))
                    .env("KYSO_DATA_DIR", base.join("data")),
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(1100));
        run_ok(
            Command::new("openssl")
                .args(["ca", "-batch", "-config", "ca.cnf", "-name", "ca_i", "-revoke"])
                .args(["crl-late.cert.pem", "-crl_reason", "keyCompromise"])
                .current_dir(&pki),
        );
        run_ok(
            Command::new("openssl")
                .args(["ca", "-batch", "-config", "ca.cnf", "-name", "ca_i", "-gencrl"])
                .args(["-crldays", "30", "-out", "issuing.crl.pem"])
                .current_dir(&pki),
        );
        run_ok(
            Command::new("openssl")
                .args([
                    "crl",
                    "-in",
                    "issuing.crl.pem",
                    "-outform",
                    "DER",
                    "-out",
                    "issuing.crl",
                ])
                .current_dir(&pki),
        );
        // A real OCSP responder (openssl ocsp) on loopback; it stops by itself, after 20 min:
        // long enough for the slowest run of the whole suite (on a loaded 2-core machine the
        // OCSP tests started more than 5 min after the fixtures, and found it gone). Readiness
        // is read from its "ACCEPT" line: probing with an empty connection would hang it.
        let mut responder = Command::new("timeout")
            .args(["1200", "openssl", "ocsp", "-index", "index.txt", "-port"])
            .arg(ocsp_port.to_string())
            .args([
                "-rsigner",
                "ocsp.cert.pem",
                "-rkey",
                "ocsp.key.pem",
                "-CA",
                "intermediate.cert.pem",
                "-nmin",
                "10",
            ])
            .current_dir(&pki)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let out = responder.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if line.starts_with("ACCEPT") {
                    let _ = tx.send(());
                }
            }
            // `timeout` ends the responder; reap it.
            let _ = responder.wait();
        });
        // Ends as soon as it accepts; a loaded machine may take long to start openssl.
        let _ = rx.recv_timeout(std::time::Duration::from_secs(60));
        run_ok(
            Command::new("qpdf")
                .args(["--encrypt", "user", "owner", "256", "--"])
                .arg(pdfs.join("v17-classic.pdf"))
                .arg(pdfs.join("encrypted.pdf")),
        );
        let module = std::env::var_os("KYSO_TEST_MODULE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"));
        Fixtures {
            pki,
            pdfs,
            module,
            tsa_url,
            http_port: port,
        }
    })
}

/// The test-only PKCS#11 module that forwards to SoftHSM2 and acts like a token pulled out
/// after `$KYSO_FAIL_AFTER_SIGNS` signatures (tests/fixtures/pkcs11-unplug.c), built once
/// with gcc; `None` (the test skips) without gcc or the PKCS#11 header.
pub fn unplug_module() -> Option<PathBuf> {
    static M: OnceLock<Option<PathBuf>> = OnceLock::new();
    M.get_or_init(|| {
        let root = repo_root();
        let out = root.join("target/e2e-unplug/pkcs11-unplug.so");
        std::fs::create_dir_all(out.parent()?).ok()?;
        let built = Command::new("gcc")
            .args([
                "-shared",
                "-fPIC",
                "-Wall",
                "-Werror",
                "-I/usr/include/p11-kit-1",
                "-o",
            ])
            .arg(&out)
            .arg(root.join("tests/fixtures/pkcs11-unplug.c"))
            .args(["-ldl", "-lpthread"])
            .status()
            .ok()?
            .success();
        if !built {
            eprintln!("skipping: the test PKCS#11 module could not be built (gcc, libp11-kit-dev)");
        }
        built.then_some(out)
    })
    .clone()
}

/// Settings in `config` that let addresses inside certificates lead to 127.0.0.1 (the test
/// PKI's servers), keeping whatever else the settings say.
pub fn allow_test_servers(config: &Path) {
    std::fs::create_dir_all(config).unwrap();
    let file = config.join("settings.json");
    let mut v: serde_json::Value = std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    v["intranet_servers"] = serde_json::json!(["127.0.0.1"]);
    std::fs::write(file, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

/// Minimal HTTP/1.0 server on loopback: `GET /name` returns `dir/name` (names without
/// slashes: the CRLs); `POST /tsa` answers an RFC 3161 request with `openssl ts -reply` (a
/// real TSA), `POST /tsa-revoked` the same with a revoked TSA certificate; `POST /tsa-garbage` answers with bytes that are not a timestamp response.
fn serve_files(listener: std::net::TcpListener, dir: PathBuf) {
    // One thread per connection: a deliberately slow TSA must not hold up the CRLs.
    for stream in listener.incoming() {
        let Ok(s) = stream else { continue };
        let dir = dir.clone();
        std::thread::spawn(move || serve_one(s, &dir));
    }
}

fn serve_one(mut s: std::net::TcpStream, dir: &Path) {
    use std::io::{Read, Write};
    {
        let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(1)));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // A read that is interrupted or times out is retried until the deadline: on a
        // loaded 2-core CI machine the body may come well after the head.
        let read = |s: &mut std::net::TcpStream, chunk: &mut [u8]| loop {
            match s.read(chunk) {
                Ok(n) => return n,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::Interrupted
                            | std::io::ErrorKind::WouldBlock
                            | std::io::ErrorKind::TimedOut
                    ) && std::time::Instant::now() < deadline => {}
                Err(_) => return 0,
            }
        };
        // Read the head, then as much body as Content-Length says.
        let (head, mut body) = loop {
            let n = read(&mut s, &mut chunk);
            if n == 0 {
                break (String::from_utf8_lossy(&buf).into_owned(), Vec::new());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break (
                    String::from_utf8_lossy(&buf[..i]).into_owned(),
                    buf[i + 4..].to_vec(),
                );
            }
        };
        let want = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        while body.len() < want {
            let n = read(&mut s, &mut chunk);
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        let mut words = head.split_whitespace();
        let method = words.next().unwrap_or("");
        let path = words.next().unwrap_or("/").trim_start_matches('/').to_string();
        let answer = match (method, path.as_str()) {
            // A body cut short is the client's or the network's fault, not a TSA refusal.
            ("POST", _) if body.len() < want => None,
            ("POST", "tsa") => tsa_reply(dir, &body).map(|b| ("application/timestamp-reply", b)),
            // A TSA whose certificate its CA has revoked.
            ("POST", "tsa-revoked") => {
                tsa_reply_as(dir, &body, "tsa_revoked").map(|b| ("application/timestamp-reply", b))
            }
            // A TSA that is up only while the file `up-NAME` exists (network comes back).
            ("POST", p) if p.starts_with("tsa-when-") => {
                let name = &p["tsa-when-".len()..];
                (!name.contains('/') && dir.join(format!("up-{name}")).exists())
                    .then(|| tsa_reply(dir, &body))
                    .flatten()
                    .map(|b| ("application/timestamp-reply", b))
            }
            // A TSA that takes 4 s to answer (for the kill tests).
            ("POST", "tsa-slow") => {
                std::thread::sleep(std::time::Duration::from_secs(4));
                tsa_reply(dir, &body).map(|b| ("application/timestamp-reply", b))
            }
            ("POST", "tsa-garbage") => Some(("application/timestamp-reply", b"not a timestamp".to_vec())),
            ("GET", p) if !p.contains('/') && !p.contains("..") => std::fs::read(dir.join(p))
                .ok()
                .map(|b| ("application/pkix-crl", b)),
            _ => None,
        };
        let _ = match answer {
            Some((ctype, b)) => s
                .write_all(
                    format!(
                        "HTTP/1.0 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
                        b.len()
                    )
                    .as_bytes(),
                )
                .and_then(|_| s.write_all(&b)),
            None => s.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
        };
    }
}

/// Runs `openssl ts -reply` on a timestamp query, one at a time (it keeps a serial file).
fn tsa_reply(dir: &Path, query: &[u8]) -> Option<Vec<u8>> {
    tsa_reply_as(dir, query, "tsa_config")
}

/// [`tsa_reply`] with the TSA of `section` in tsa.cnf.
fn tsa_reply_as(dir: &Path, query: &[u8], section: &str) -> Option<Vec<u8>> {
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let q = tempfile::NamedTempFile::new().ok()?;
    std::fs::write(q.path(), query).ok()?;
    let r = tempfile::NamedTempFile::new().ok()?;
    let ok = Command::new("openssl")
        .args([
            "ts",
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            section,
            "-queryfile",
        ])
        .arg(q.path())
        .arg("-out")
        .arg(r.path())
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?
        .success();
    ok.then(|| std::fs::read(r.path()).ok()).flatten()
}

impl Fixtures {
    pub fn softhsm_conf(&self) -> PathBuf {
        self.pki.join("softhsm/softhsm2.conf")
    }

    pub fn pdf(&self, name: &str) -> PathBuf {
        self.pdfs.join(name)
    }

    pub fn root_pem(&self) -> PathBuf {
        self.pki.join("root.cert.pem")
    }

    /// A copy of the token store, for tests that change token state (wrong PINs).
    pub fn private_token(&self, dir: &Path) -> PathBuf {
        let tokens = dir.join("tokens");
        std::fs::create_dir_all(&tokens).unwrap();
        run_ok(
            Command::new("cp")
                .arg("-r")
                .arg(self.pki.join("softhsm/tokens/."))
                .arg(&tokens),
        );
        let conf = dir.join("softhsm2.conf");
        std::fs::write(
            &conf,
            format!(
                "directories.tokendir = {}/\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        )
        .unwrap();
        conf
    }
}

/// Runs `kyso` with the test token configured and `KYSO_PIN` available.
pub fn kyso(args: &[&str]) -> Output {
    kyso_env(args, &[])
}

pub fn kyso_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let f = fixtures();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kyso"));
    cmd.args(args)
        .env("SOFTHSM2_CONF", f.softhsm_conf())
        .env("KYSO_PIN", PIN)
        .env("KYSO_P12_PASS", P12_PASS)
        // Hermetic: an empty config folder (no trust store) unless a test names its own.
        .env("KYSO_CONFIG_DIR", f.pki.join("../config"))
        .env_remove("KYSO_PKCS11_MODULE");
    // …and a data folder of its own for each run (journal, revocation cache, kept
    // intermediates), so that one test's cache never decides another's offline check;
    // tests that keep data across runs name their own folder.
    let data = tempfile::tempdir_in(f.pki.join("..")).unwrap();
    cmd.env("KYSO_DATA_DIR", data.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            stdout(o),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// Signs `input` into `output` with token key `cert_id`; panics with the tool output on failure.
pub fn sign_token(input: &Path, output: &Path, cert_id: &str, extra: &[&str]) -> serde_json::Value {
    let o = sign_token_output(input, output, cert_id, extra);
    assert!(
        o.status.success(),
        "sign failed: {}\n{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    json(&o)
}

/// Like [`sign_token`], returning the tool's output for the caller to judge (refusals).
pub fn sign_token_output(input: &Path, output: &Path, cert_id: &str, extra: &[&str]) -> Output {
    let f = fixtures();
    let mut args = vec![
        "sign",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--pkcs11",
        f.module.to_str().unwrap(),
        "--cert",
        cert_id,
        "--pin-env",
        "KYSO_PIN",
        "--json",
    ];
    args.extend_from_slice(extra);
    kyso(&args)
}

/// Signs `input` into `output` with the fixture's `NAME.p12` (password from the
/// environment) plus `extra` flags; returns the tool's output for the caller to judge.
pub fn sign_p12_file(input: &Path, output: &Path, p12: &str, extra: &[&str]) -> Output {
    sign_p12_env(input, output, p12, extra, &[])
}

/// As [`sign_p12_file`], with extra environment variables.
pub fn sign_p12_env(input: &Path, output: &Path, p12: &str, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let f = fixtures();
    let p12 = f.pki.join(format!("{p12}.p12"));
    let mut args = vec![
        "sign",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--p12",
        p12.to_str().unwrap(),
        "--p12-password-env",
        "KYSO_P12_PASS",
    ];
    args.extend_from_slice(extra);
    kyso_env(&args, env)
}

/// As [`sign_p12_file`], asserting success.
pub fn sign_p12_ok(input: &Path, output: &Path, p12: &str, extra: &[&str]) -> Output {
    let o = sign_p12_file(input, output, p12, extra);
    assert!(
        o.status.success(),
        "{}\n{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// pdfsig's view of each signature: (signature valid, certificate trusted, total document signed).
pub fn pdfsig(file: &Path) -> Vec<(bool, bool, bool)> {
    let f = fixtures();
    let out = Command::new("pdfsig")
        .arg("-nssdir")
        .arg(format!("sql:{}", f.pki.join("nssdb").display()))
        .arg(file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut sigs = Vec::new();
    for block in text.split("Signature #").skip(1) {
        sigs.push((
            block.contains("Signature Validation: Signature is Valid."),
            block.contains("Certificate Validation: Certificate is Trusted."),
            block.contains("Total document signed"),
        ));
    }
    sigs
}

fn pyhanko_bin() -> PathBuf {
    std::env::var_os("KYSO_PYHANKO")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/test-venv/bin/pyhanko"))
}

/// pyHanko's executive summary lines (`field:fingerprint:VERDICT`), trusting the test root.
pub fn pyhanko_validate(file: &Path, hybrid: bool) -> Vec<String> {
    let f = fixtures();
    let mut cmd = Command::new(pyhanko_bin());
    cmd.args([
        "sign",
        "validate",
        "--executive-summary",
        "--no-revocation-check",
        "--trust",
    ])
    .arg(f.root_pem())
    .arg("--trust-replace");
    if hybrid {
        // pyHanko refuses hybrid-reference files unless told otherwise (its own policy).
        cmd.arg("--no-strict-syntax");
    }
    let out = cmd.arg(file).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.matches(':').count() >= 2)
        .map(str::to_string)
        .collect()
}

/// `pyhanko sign validate` trusting the test root, without revocation checks: its summary
/// (with `--pretty-print` in `extra` the long form) and whether it judged everything valid.
pub fn pyhanko_summary(file: &Path, extra: &[&str]) -> (String, bool) {
    let root = fixtures().root_pem();
    let mut args = vec!["sign", "validate", "--no-revocation-check", "--trust"];
    args.push(root.to_str().unwrap());
    args.push("--trust-replace");
    args.extend_from_slice(extra);
    args.push(file.to_str().unwrap());
    let o = pyhanko(&args);
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        o.status.success(),
    )
}

pub fn pyhanko(args: &[&str]) -> Output {
    Command::new(pyhanko_bin()).args(args).output().unwrap()
}

/// `qpdf --check` passes with no warnings.
pub fn qpdf_ok(file: &Path) -> bool {
    let out = Command::new("qpdf").arg("--check").arg(file).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_lowercase()
        + &String::from_utf8_lossy(&out.stderr).to_lowercase();
    out.status.success() && !text.contains("warning")
}

/// Finds each `/ByteRange [a b c d]` by a plain text scan (independent of Kyso's parser).
pub fn byte_ranges(data: &[u8]) -> Vec<[usize; 4]> {
    let mut out = Vec::new();
    let key = b"/ByteRange";
    let mut i = 0;
    while let Some(p) = data[i..].windows(key.len()).position(|w| w == key) {
        let start = i + p + key.len();
        let end = start + data[start..].iter().position(|&b| b == b']').unwrap();
        let text = String::from_utf8_lossy(&data[start..end]).replace('[', " ");
        let nums: Vec<usize> = text.split_whitespace().filter_map(|t| t.parse().ok()).collect();
        if nums.len() == 4 {
            out.push([nums[0], nums[1], nums[2], nums[3]]);
        }
        i = end;
    }
    out
}

/// DER length of the TLV at the start of `d`.
fn der_len(d: &[u8]) -> usize {
    let l = d[1] as usize;
    if l < 0x80 {
        return 2 + l;
    }
    let n = l & 0x7f;
    let mut len = 0usize;
    for b in &d[2..2 + n] {
        len = len << 8 | *b as usize;
    }
    2 + n + len
}

/// `openssl cms -verify` of the `index`-th signature, with the signed bytes as content.
pub fn openssl_cms_verify(file: &Path, index: usize, dir: &Path) -> bool {
    let data = std::fs::read(file).unwrap();
    let br = byte_ranges(&data)[index];
    let hexed: Vec<u8> = data[br[1] + 1..br[2] - 1].to_vec();
    let der = hex_decode(&hexed);
    let der = &der[..der_len(&der)];
    let mut signed = data[br[0]..br[0] + br[1]].to_vec();
    signed.extend_from_slice(&data[br[2]..br[2] + br[3]]);
    let sig_path = dir.join(format!("sig{index}.der"));
    let content_path = dir.join(format!("content{index}.bin"));
    std::fs::write(&sig_path, der).unwrap();
    std::fs::write(&content_path, signed).unwrap();
    cms_verify(&sig_path, &content_path)
}

/// `openssl cms -verify` of a detached DER signature over `content`.
pub fn cms_verify(sig: &Path, content: &Path) -> bool {
    Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
            "-in",
        ])
        .arg(sig)
        .arg("-content")
        .arg(content)
        .arg("-CAfile")
        .arg(fixtures().root_pem())
        .output()
        .unwrap()
        .status
        .success()
}

pub fn hex_decode(h: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = h.iter().copied().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect()
}

/// `kyso verify --json` with the test root as anchor.
pub fn kyso_verify(paths: &[&Path]) -> (i32, serde_json::Value) {
    let f = fixtures();
    let root = f.root_pem();
    let mut args = vec!["verify", "--json", "--trust", root.to_str().unwrap()];
    for p in paths {
        args.push(p.to_str().unwrap());
    }
    let o = kyso(&args);
    (o.status.code().unwrap_or(-1), json(&o))
}

/// `kyso verify --json --offline` (for third-party files, whose CRLs live on the internet).
pub fn kyso_verify_offline(paths: &[&Path]) -> (i32, serde_json::Value) {
    let f = fixtures();
    let root = f.root_pem();
    let mut args = vec!["verify", "--json", "--offline", "--trust", root.to_str().unwrap()];
    for p in paths {
        args.push(p.to_str().unwrap());
    }
    let o = kyso(&args);
    (o.status.code().unwrap_or(-1), json(&o))
}

/// Indications of the first file's signatures.
pub fn indications(v: &serde_json::Value) -> Vec<String> {
    v["files"][0]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["indication"].as_str().unwrap().to_string())
        .collect()
}
