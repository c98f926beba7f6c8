//! Remote signing: CSC API v1 against certomancer-csc-dummy (a third-party server), CSC v2,
//! SIM-PKI (ETSI TS 102 204 over SOAP with TLS client authentication), VNPT SmartCA and
//! Viettel MySign against `tests/fixtures/remote_services.py` (servers that follow the
//! published message formats, signing with real test keys). Every signed PDF must pass
//! pdfsig, pyHanko and `kyso verify`; every failure must be named and write nothing.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

use crate::support::*;

/// The addresses and TLS files `remote_services.py` printed.
pub(crate) struct Services {
    v: serde_json::Value,
    _child: Mutex<Child>,
}

impl Services {
    pub(crate) fn get(&self, k: &str) -> String {
        self.v[k].as_str().unwrap().to_string()
    }
}

fn python() -> PathBuf {
    let venv = repo_root().join("target/test-venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// Starts a helper whose stdin stays open while the tests run: the servers stop when it closes.
fn start_with_stdin(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    // Whatever it prints later is drained, so it never dies of a broken pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    (child, line)
}

pub(crate) fn services() -> &'static Services {
    static S: OnceLock<Services> = OnceLock::new();
    S.get_or_init(|| {
        let f = fixtures();
        let (child, line) = start_with_stdin(
            Command::new(python())
                .arg(repo_root().join("tests/fixtures/remote_services.py"))
                .arg(&f.pki),
        );
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        Services {
            v,
            _child: Mutex::new(child),
        }
    })
}

/// certomancer-csc-dummy (CSC API v1.0.4) on a free port, its own PKI made from test keys,
/// its access log in `log` (to count signHash calls).
struct CscDummy {
    url: String,
    root: PathBuf,
    log: PathBuf,
    _child: Mutex<Child>,
}

const CERTOMANCER_YML: &str = r#"external-url-prefix: "http://127.0.0.1:9"
keysets:
  kyso: {path-prefix: keys, keys: {root: {path: root.key.pem}, interm: {path: interm.key.pem}, signer1: {path: signer1.key.pem}}}
pki-architectures:
  kyso:
    keyset: kyso
    entity-defaults: {country-name: VN, organization-name: "Kyso CSC Test"}
    entities: {root: {common-name: "Kyso CSC Test Root"}, interm: {common-name: "Kyso CSC Test Issuing CA"}, signer1: {common-name: "Trần Văn Từ Xa"}}
    certs:
      root:
        subject: root
        issuer: root
        validity: {valid-from: "2020-01-01T00:00:00+0000", valid-to: "2050-01-01T00:00:00+0000"}
        extensions:
          - {id: basic_constraints, critical: true, value: {ca: true}}
          - {id: key_usage, critical: true, smart-value: {schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}}
      interm:
        subject: interm
        issuer: root
        validity: {valid-from: "2020-01-01T00:00:00+0000", valid-to: "2045-01-01T00:00:00+0000"}
        extensions:
          - {id: basic_constraints, critical: true, value: {ca: true, path-len-constraint: 0}}
          - {id: key_usage, critical: true, smart-value: {schema: key-usage, params: [digital_signature, key_cert_sign, crl_sign]}}
      signer1:
        subject: signer1
        issuer: interm
        validity: {valid-from: "2020-01-01T00:00:00+0000", valid-to: "2040-01-01T00:00:00+0000"}
        extensions:
          - {id: key_usage, critical: true, smart-value: {schema: key-usage, params: [digital_signature, non_repudiation]}}
"#;

fn csc_dummy() -> &'static CscDummy {
    static S: OnceLock<CscDummy> = OnceLock::new();
    S.get_or_init(|| {
        let f = fixtures();
        let dir = f.pki.join("../csc-dummy");
        let keys = dir.join("keys");
        std::fs::create_dir_all(&keys).unwrap();
        for (from, to) in [
            ("root.key.pem", "root.key.pem"),
            ("intermediate.key.pem", "interm.key.pem"),
            ("rsa2048.key.pem", "signer1.key.pem"),
        ] {
            std::fs::copy(f.pki.join(from), keys.join(to)).unwrap();
        }
        std::fs::write(dir.join("certomancer.yml"), CERTOMANCER_YML).unwrap();
        let bin = repo_root().join("target/test-venv/bin");
        let root = dir.join("root.pem");
        let o = Command::new(bin.join("certomancer"))
            .arg("--config")
            .arg(dir.join("certomancer.yml"))
            .args(["summon", "kyso", "root"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = dir.join("csc.log");
        // A shell keeps the server's lifetime tied to our stdin: EOF (the tests ended) kills it.
        let script = format!(
            "'{}' certomancer.yml {port} 2 >'{}' 2>&1 & pid=$!; echo ready; cat >/dev/null; kill $pid",
            bin.join("certomancer-csc").display(),
            log.display()
        );
        let (child, _) = start_with_stdin(Command::new("sh").arg("-c").arg(script).current_dir(&dir));
        let url = format!("http://127.0.0.1:{port}");
        // Up to 60 s: a Python server starts slowly on a loaded machine (10 s was not always
        // enough), and the wait ends as soon as it listens.
        let listening = (0..600).any(|_| {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() || {
                std::thread::sleep(std::time::Duration::from_millis(100));
                false
            }
        });
        assert!(
            listening,
            "certomancer-csc did not listen: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        CscDummy {
            url,
            root,
            log,
            _child: Mutex::new(child),
        }
    })
}

/// `kyso sign` with extra environment; stderr kept for the progress lines.
pub(crate) fn sign(input: &Path, output: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut all = vec![
        "sign",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--json",
    ];
    all.extend_from_slice(args);
    kyso_env(&all, env)
}

fn error_code(o: &Output) -> String {
    json(o)["error"]["code"].as_str().unwrap_or("").to_string()
}

/// The three validators agree the signature is intact and chains to `root`.
fn accepted_everywhere(file: &Path, root: &Path) {
    let sigs = pdfsig(file);
    assert!(!sigs.is_empty() && sigs.iter().all(|s| s.0), "pdfsig: {sigs:?}");
    let o = pyhanko(&[
        "sign",
        "validate",
        "--no-revocation-check",
        "--trust",
        root.to_str().unwrap(),
        "--trust-replace",
        file.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "pyHanko: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = kyso(&[
        "verify",
        "--json",
        "--offline",
        "--trust",
        root.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    let v = json(&o);
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert!(
        v["files"][0]["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["indication"] == "TOTAL_PASSED"),
        "{v}"
    );
}

/// Runs `sign(who, output)` for every `(who, expected error code)` side by side: each must
/// fail with its code and write nothing.
fn all_refused(cases: &[(&str, &str)], dir: &Path, sign: impl Fn(&str, &Path) -> Output + Sync) {
    std::thread::scope(|sc| {
        for &(who, code) in cases {
            let out = dir.join(format!("fail-{who}.pdf"));
            let sign = &sign;
            sc.spawn(move || {
                let o = sign(who, &out);
                assert_eq!(o.status.code(), Some(1), "{who}: {}", stdout(&o));
                assert_eq!(error_code(&o), code, "{who}: {}", stdout(&o));
                assert!(!out.exists(), "{who}: nothing is written");
            });
        }
    });
}

/// A folder of three PDFs to sign as one batch.
fn three_pdfs(dir: &Path) -> PathBuf {
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for n in ["v17-classic.pdf", "xref-stream.pdf", "vietnamese.pdf"] {
        std::fs::copy(fixtures().pdf(n), inbox.join(n)).unwrap();
    }
    inbox
}

#[test]
fn csc_v1_against_certomancer_csc_dummy_single_and_batch() {
    let d = csc_dummy();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let base = [
        "--signer",
        "csc",
        "--service",
        &d.url,
        "--credential",
        "kyso/signer1",
    ];
    let o = sign(&fixtures().pdf("v17-classic.pdf"), &out, &base, &[]);
    assert!(
        o.status.success(),
        "{}{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json(&o)["signer"]["common_name"], "Trần Văn Từ Xa");
    accepted_everywhere(&out, &d.root);

    // A folder: three documents, one authorization and one signHash call for all.
    let count = || {
        std::fs::read_to_string(&d.log)
            .unwrap_or_default()
            .matches("/csc/v1/signatures/signHash")
            .count()
    };
    let before = count();
    let inbox = three_pdfs(dir.path());
    let signed = dir.path().join("signed");
    let o = sign(&inbox, &signed, &base, &[]);
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["signed"].as_array().unwrap().len(), 3, "{v}");
    assert_eq!(count() - before, 1, "one signHash for the batch");
    for n in [
        "v17-classic-signed.pdf",
        "xref-stream-signed.pdf",
        "vietnamese-signed.pdf",
    ] {
        accepted_everywhere(&signed.join(n), &d.root);
    }

    // A credential the service does not have: named, nothing written.
    let out2 = dir.path().join("none.pdf");
    let o = sign(
        &fixtures().pdf("v17-classic.pdf"),
        &out2,
        &[
            "--signer",
            "csc",
            "--service",
            &d.url,
            "--credential",
            "kyso/nobody",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(error_code(&o), "REMOTE_ERROR", "{}", stdout(&o));
    assert!(!out2.exists());
}

#[test]
fn csc_v2_every_sign_in_pin_handling_and_wrong_key() {
    let s = services();
    let http = s.get("http");
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures().pdf("v13-classic.pdf");
    let root = fixtures().root_pem();
    let env = [
        ("CSC_SECRET", "secret-pass"),
        ("CSC_PIN", "123456"),
        ("CSC_CLIENT", "client-secret"),
    ];
    // The "browser" notes what it inherited, then follows the provider's redirect back to
    // Kyso's loopback listener.
    let browser_env = dir.path().join("browser-env.txt");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nenv > '{}'\nexec curl -s -L -o /dev/null \"$1\"\n",
            browser_env.display()
        ),
    )
    .unwrap();
    let browser_cmd = format!("sh {}", browser.display());
    let common = [
        "--signer",
        "csc",
        "--service",
        &http,
        "--csc-version",
        "2",
        "--pin-env",
        "CSC_PIN",
    ];
    let logins: [&[&str]; 3] = [
        &[
            "--csc-login",
            "basic",
            "--user",
            "an",
            "--secret-env",
            "CSC_SECRET",
        ],
        &[
            "--csc-login",
            "client",
            "--user",
            "kyso-test",
            "--secret-env",
            "CSC_CLIENT",
        ],
        &[
            "--csc-login",
            "code",
            "--user",
            "kyso-test",
            "--browser",
            &browser_cmd,
        ],
    ];
    for (i, login) in logins.iter().enumerate() {
        let out = dir.path().join(format!("v2-{i}.pdf"));
        let mut args = common.to_vec();
        args.extend_from_slice(login);
        args.extend_from_slice(&["--credential", "cred-ok"]);
        let o = sign(&input, &out, &args, &env);
        assert!(
            o.status.success(),
            "{login:?}: {}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        let all = format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
        for secret in ["secret-pass", "client-secret", "123456"] {
            assert!(!all.contains(secret), "a secret was printed");
        }
        accepted_everywhere(&out, &root);
    }
    // The PIN given in an environment variable did not go to the browser.
    let inherited = std::fs::read_to_string(&browser_env).unwrap();
    assert!(inherited.contains("PATH="), "{inherited}");
    // (Variables the command did not name, like the harness's own, are passed on as usual.)
    assert!(
        !inherited.lines().any(|l| l.starts_with("CSC_PIN=")),
        "{inherited}"
    );

    let basic = [
        "--csc-login",
        "basic",
        "--user",
        "an",
        "--secret-env",
        "CSC_SECRET",
    ];
    // Wrong password at sign-in; wrong PIN (sent once, never retried); wrong key.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 3] = [
        (
            &["--credential", "cred-ok", "--pin-env", "CSC_PIN"],
            &[("CSC_SECRET", "nope"), ("CSC_PIN", "123456")],
            "REMOTE_ERROR",
        ),
        (
            &["--credential", "cred-ok", "--pin-env", "CSC_PIN"],
            &[("CSC_SECRET", "secret-pass"), ("CSC_PIN", "000000")],
            "PIN_INCORRECT",
        ),
        (
            &["--credential", "cred-wrongkey", "--pin-env", "CSC_PIN"],
            &env,
            "WRONG_KEY",
        ),
    ];
    for (extra, env, code) in cases {
        let out = dir.path().join(format!("bad-{code}.pdf"));
        let mut args = vec!["--signer", "csc", "--service", &http, "--csc-version", "2"];
        args.extend_from_slice(&basic);
        args.extend_from_slice(extra);
        let o = sign(&input, &out, &args, env);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        assert_eq!(error_code(&o), code, "{}", stdout(&o));
        assert!(!out.exists(), "nothing is written on failure");
    }
    // Version discovery: without --csc-version the client finds v2 by itself.
    let out = dir.path().join("auto.pdf");
    let mut args = vec![
        "--signer",
        "csc",
        "--service",
        &http,
        "--credential",
        "cred-ok",
        "--pin-env",
        "CSC_PIN",
    ];
    args.extend_from_slice(&basic);
    let o = sign(&input, &out, &args, &env);
    assert!(o.status.success(), "{}", stdout(&o));
    let left = dir
        .path()
        .read_dir()
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .count();
    assert_eq!(left, 0, "no temporary file is left");
}

/// `kyso sign` through the SIM-PKI test MSSP for phone `msisdn`.
fn sim(out: &Path, msisdn: &str, extra: &[&str]) -> Output {
    let s = services();
    let (mss, ca, cert, key) = (s.get("mss"), s.get("tls_ca"), s.get("ap_cert"), s.get("ap_key"));
    let mut args = vec![
        "--signer",
        "sim",
        "--service",
        &mss,
        "--phone",
        msisdn,
        "--client-id",
        "http://kyso.test/ap",
        "--secret-env",
        "AP_PWD",
        "--mssp-id",
        "http://kyso.test/mssp",
        "--signature-profile",
        "http://kyso.test/profile/sign",
        "--tls-ca",
        &ca,
    ];
    // Flags a case gives replace the defaults.
    for (flag, value) in [
        ("--client-cert", cert.as_str()),
        ("--client-key", key.as_str()),
        ("--wait", "4"),
    ] {
        if !extra.contains(&flag) {
            args.extend_from_slice(&[flag, value]);
        }
    }
    args.extend_from_slice(extra);
    sign(
        &fixtures().pdf("vietnamese.pdf"),
        out,
        &args,
        &[("AP_PWD", "ap-secret")],
    )
}

#[test]
fn sim_pki_confirm_refuse_expire_and_broken_services() {
    let dir = tempfile::tempdir().unwrap();
    let root = fixtures().root_pem();
    // Asynchronous (poll MSS_StatusQuery) and synchronous; a slow phone within the wait.
    for (name, msisdn, extra) in [
        ("async", "84900000001", &[][..]),
        ("sync", "84900000001", &["--synchronous"][..]),
        ("slow", "84900000004", &["--wait", "20"][..]),
    ] {
        let out = dir.path().join(format!("{name}.pdf"));
        let o = sim(&out, msisdn, extra);
        assert!(
            o.status.success(),
            "{name}: {}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        // What the phone shows is printed, with the code to compare.
        assert!(
            err.contains("vietnamese.pdf") && err.contains("mã / code"),
            "{err}"
        );
        assert!(!err.contains("ap-secret") && !stdout(&o).contains("ap-secret"));
        accepted_everywhere(&out, &root);
    }
    // Failures, run side by side: each named, none writes anything.
    let cases = [
        ("84900000002", "REMOTE_REFUSED"),
        ("84900000003", "REMOTE_EXPIRED"),
        ("84900000009", "REMOTE_EXPIRED"),
        ("84900000005", "WRONG_KEY"),
        ("84900000006", "PIN_LOCKED"),
        ("84900000007", "REMOTE_ERROR"),
        ("84900000008", "REMOTE_UNREACHABLE"),
        ("84911111111", "REMOTE_ERROR"),
    ];
    all_refused(&cases, dir.path(), |who, out| sim(out, who, &[]));
    // An application without the MSSP's client certificate is turned away at TLS.
    let s = services();
    let out = dir.path().join("rogue.pdf");
    let (rc, rk) = (s.get("rogue_cert"), s.get("rogue_key"));
    let o = sim(&out, "84900000001", &["--client-cert", &rc, "--client-key", &rk]);
    assert_eq!(error_code(&o), "REMOTE_UNREACHABLE", "{}", stdout(&o));
    assert!(!out.exists());
}

fn smartca(input: &Path, out: &Path, user: &str) -> Output {
    let http = services().get("http");
    sign(
        input,
        out,
        &[
            "--signer",
            "smartca",
            "--service",
            &format!("{http}/smartca"),
            "--client-id",
            "kyso-sp",
            "--secret-env",
            "SP_PWD",
            "--user",
            user,
            "--wait",
            "4",
        ],
        &[("SP_PWD", "sp-secret")],
    )
}

fn mysign(input: &Path, out: &Path, user: &str) -> Output {
    let http = services().get("http");
    sign(
        input,
        out,
        &[
            "--signer",
            "mysign",
            "--service",
            &http,
            "--client-id",
            "kyso-client",
            "--profile-id",
            "adss:ras:profile:001",
            "--secret-env",
            "MS_SECRET",
            "--user",
            user,
            "--wait",
            "4",
        ],
        &[("MS_SECRET", "mysign-secret")],
    )
}

#[test]
fn smartca_and_mysign_batches_confirm_once_and_failures_are_named() {
    type Run = fn(&Path, &Path, &str) -> Output;
    let root = fixtures().root_pem();
    for (name, run) in [("smartca", smartca as Run), ("mysign", mysign as Run)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("one.pdf");
        let o = run(&fixtures().pdf("v17-classic.pdf"), &out, "ok");
        assert!(
            o.status.success(),
            "{name}: {}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        accepted_everywhere(&out, &root);

        // A folder of three: one request, so the phone shows all three names at once.
        let inbox = three_pdfs(dir.path());
        let signed = dir.path().join("signed");
        let o = run(&inbox, &signed, "ok");
        assert!(o.status.success(), "{name}: {}", stdout(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        let confirm: Vec<&str> = err
            .lines()
            .filter(|l| l.contains("Confirm on your phone"))
            .collect();
        assert!(
            confirm.iter().all(|l| l.contains("v17-classic.pdf")
                && l.contains("xref-stream.pdf")
                && l.contains("vietnamese.pdf")),
            "{name}: {err}"
        );
        let codes: std::collections::BTreeSet<&str> = confirm
            .iter()
            .filter_map(|l| l.split("code ").nth(1)?.split(' ').next())
            .collect();
        assert_eq!(codes.len(), 1, "{name}: one transaction for the batch: {err}");
        for n in [
            "v17-classic-signed.pdf",
            "xref-stream-signed.pdf",
            "vietnamese-signed.pdf",
        ] {
            accepted_everywhere(&signed.join(n), &root);
        }

        let cases = [
            ("refuse", "REMOTE_REFUSED"),
            ("expire", "REMOTE_EXPIRED"),
            ("never", "REMOTE_EXPIRED"),
            ("wrongkey", "WRONG_KEY"),
            ("locked", "PIN_LOCKED"),
            ("garbage", "REMOTE_ERROR"),
            ("drop", "REMOTE_UNREACHABLE"),
        ];
        all_refused(&cases, dir.path(), |user, out| {
            run(&fixtures().pdf("v17-classic.pdf"), out, user)
        });
    }
}

#[test]
fn a_saved_provider_keeps_settings_but_never_secrets() {
    let s = services();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    let cfg_s = cfg.to_str().unwrap();
    let http = s.get("http");
    let add = |n: &str| {
        kyso_env(
            &[
                "providers",
                "add",
                n,
                "--signer",
                "smartca",
                "--service",
                &format!("{http}/smartca"),
                "--client-id",
                "kyso-sp",
                "--user",
                "ok",
            ],
            &[("KYSO_CONFIG_DIR", cfg_s)],
        )
    };
    let o = add("vnpt");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let saved = std::fs::read_to_string(cfg.join("providers.json")).unwrap();
    assert!(
        saved.contains("\"kind\": \"smartca\"") && !saved.contains("sp-secret"),
        "{saved}"
    );
    let out = dir.path().join("p.pdf");
    let o = kyso_env(
        &[
            "sign",
            fixtures().pdf("v17-classic.pdf").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--json",
            "--provider",
            "vnpt",
            "--secret-env",
            "SP_PWD",
            "--wait",
            "4",
        ],
        &[("KYSO_CONFIG_DIR", cfg_s), ("SP_PWD", "sp-secret")],
    );
    assert!(o.status.success(), "{}", stdout(&o));
    let l = kyso_env(&["providers", "list", "--json"], &[("KYSO_CONFIG_DIR", cfg_s)]);
    assert_eq!(json(&l)["vnpt"]["user_id"], "ok");

    // Remembered in the system keyring (here the Linux kernel keyring) on request, after the
    // service accepted it; asked for again once the account is removed.
    let name = format!("vnpt-{}", std::process::id());
    assert!(add(&name).status.success());
    // Both signings run in one login session (a desktop session has one session keyring;
    // the helper joins a fresh one, as pam_keyinit does at login).
    let input = fixtures().pdf("v17-classic.pdf");
    let (k1, k2) = (dir.path().join("k1.pdf"), dir.path().join("k2.pdf"));
    let kyso_bin = env!("CARGO_BIN_EXE_kyso");
    let script = format!(
        "'{kyso_bin}' sign '{i}' -o '{k1}' --json --provider {name} --wait 4 --secret-env SP_PWD --remember-secret >/dev/null || exit 11; \
         SP_PWD= '{kyso_bin}' sign '{i}' -o '{k2}' --json --provider {name} --wait 4 </dev/null || exit 12",
        i = input.display(),
        k1 = k1.display(),
        k2 = k2.display(),
    );
    let o = Command::new("python3")
        .args([
            "-c",
            "import ctypes,os,sys; ctypes.CDLL(None).syscall(250, 1, None); os.execvp('sh', ['sh', '-c', sys.argv[1]])",
            &script,
        ])
        .env("KYSO_CONFIG_DIR", cfg_s)
        .env("KYSO_DATA_DIR", dir.path().join("data"))
        .env("SP_PWD", "sp-secret")
        .output()
        .unwrap();
    assert!(o.status.success(), "the remembered secret is used: {o:?}");
    assert!(k1.exists() && k2.exists());
    assert!(!std::fs::read_to_string(cfg.join("providers.json"))
        .unwrap()
        .contains("sp-secret"));
    let o = kyso_env(&["providers", "remove", &name], &[("KYSO_CONFIG_DIR", cfg_s)]);
    assert!(o.status.success());
    assert!(add(&name).status.success());
    let k3 = dir.path().join("k3.pdf");
    let o = kyso_env(
        &[
            "sign",
            input.to_str().unwrap(),
            "-o",
            k3.to_str().unwrap(),
            "--json",
            "--provider",
            &name,
            "--wait",
            "4",
        ],
        &[("KYSO_CONFIG_DIR", cfg_s)],
    );
    assert_eq!(
        error_code(&o),
        "PIN_REQUIRED",
        "forgotten with the account: {}",
        stdout(&o)
    );
}
