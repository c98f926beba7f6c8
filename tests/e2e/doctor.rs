//! `kyso doctor`: the self-check against real components — SoftHSM2 tokens (none plugged in,
//! the test token, a certificate expiring in 10 days), the clock against the test TSA with
//! the process's clock shifted by libfaketime, a port held by another program, offline mode.

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use crate::support::*;

/// `kyso doctor --json` with `config` as the config folder and the test token (or `conf`).
fn doctor(
    config: &Path,
    softhsm_conf: &Path,
    extra_env: &[(&str, &str)],
    prefix: &[&str],
) -> (i32, serde_json::Value) {
    let f = fixtures();
    let kyso = env!("CARGO_BIN_EXE_kyso");
    let mut cmd = if prefix.is_empty() {
        Command::new(kyso)
    } else {
        let mut c = Command::new(prefix[0]);
        c.args(&prefix[1..]).arg(kyso);
        c
    };
    cmd.args(["doctor", "--json", "--pkcs11", f.module.to_str().unwrap()])
        .env("SOFTHSM2_CONF", softhsm_conf)
        .env("KYSO_CONFIG_DIR", config)
        .env("KYSO_DATA_DIR", config.join("data"))
        .env_remove("KYSO_PKCS11_MODULE");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&o), String::from_utf8_lossy(&o.stderr)));
    (o.status.code().unwrap_or(-1), v)
}

fn settings(dir: &Path, v: serde_json::Value) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("settings.json"), serde_json::to_vec(&v).unwrap()).unwrap();
}

/// The lines with `code`, as (status, English text).
fn lines(v: &serde_json::Value, code: &str) -> Vec<(String, String)> {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["code"] == code)
        .map(|l| {
            (
                l["status"].as_str().unwrap().to_string(),
                l["text"]["en"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn no_token_plugged_in_says_so_and_what_to_do() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("tokens");
    std::fs::create_dir_all(&empty).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!("directories.tokendir = {}/\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n", empty.display()),
    )
    .unwrap();
    let config = dir.path().join("config");
    settings(&config, serde_json::json!({"offline": true}));
    let (code, v) = doctor(&config, &conf, &[], &[]);
    assert_eq!(code, 0, "nothing is red: {v}");
    let driver = lines(&v, "DRIVER");
    assert_eq!(driver.len(), 1, "one line per driver file: {v}");
    assert_eq!(driver[0].0, "green");
    assert!(driver[0].1.contains("0 token(s)"), "{driver:?}");
    let token = &v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "TOKEN")
        .unwrap();
    assert_eq!(token["status"], "amber");
    assert!(
        token["action"]["vi"].as_str().unwrap().contains("cổng USB khác"),
        "{token}"
    );
    // Offline: the network checks say they were skipped, never green.
    assert_eq!(lines(&v, "NETWORK")[0].0, "amber");
    assert!(lines(&v, "CLOCK").is_empty() && lines(&v, "SERVICE").is_empty());
    let _ = f;
}

#[test]
fn the_test_token_its_certificates_and_one_expiring_in_ten_days() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let conf = f.private_token(dir.path());
    // A certificate expiring in 10 days, issued by the test CA, written to the token.
    let pki = &f.pki;
    let run = |c: &mut Command| assert!(c.status().unwrap().success());
    let key = dir.path().join("soon.key.pem");
    let csr = dir.path().join("soon.csr");
    let cer = dir.path().join("soon.cer");
    run(Command::new("openssl")
        .args([
            "req",
            "-new",
            "-newkey",
            "rsa:2048",
            "-nodes",
            // Without -utf8 openssl stores the name's UTF-8 bytes as Latin-1 text.
            "-utf8",
            "-subj",
            "/C=VN/O=UBND xã Test/CN=Trần Văn Sắp Hết Hạn",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&csr));
    let ext = dir.path().join("ext.cnf");
    std::fs::write(&ext, "keyUsage = critical, digitalSignature, nonRepudiation\n").unwrap();
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "10", "-outform", "DER", "-in"])
        .arg(&csr)
        .arg("-CA")
        .arg(pki.join("intermediate.cert.pem"))
        .arg("-CAkey")
        .arg(pki.join("intermediate.key.pem"))
        .arg("-CAcreateserial")
        .arg("-extfile")
        .arg(&ext)
        .arg("-out")
        .arg(&cer));
    run(Command::new("pkcs11-tool")
        .env("SOFTHSM2_CONF", &conf)
        .args([
            "--module",
            f.module.to_str().unwrap(),
            "--token-label",
            "KYSO-TEST",
            "--login",
            "--pin",
            "123456",
            "--write-object",
        ])
        .arg(&cer)
        .args(["--type", "cert", "--id", "09", "--label", "soon"]));
    let config = dir.path().join("config");
    settings(&config, serde_json::json!({"offline": true}));
    let (code, v) = doctor(&config, &conf, &[], &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(lines(&v, "DRIVER")[0].0, "green");
    let token = lines(&v, "TOKEN");
    assert_eq!(
        token,
        vec![(
            "green".to_string(),
            "Token \"KYSO-TEST\" is plugged in; its PIN is fine.".to_string()
        )]
    );
    let certs = lines(&v, "CERTIFICATE");
    assert!(
        certs
            .iter()
            .any(|(s, t)| s == "green" && t.contains("Nguyễn Văn An")),
        "{certs:?}"
    );
    let soon: Vec<_> = certs
        .iter()
        .filter(|(_, t)| t.contains("Trần Văn Sắp Hết Hạn"))
        .collect();
    assert_eq!(soon.len(), 1, "{certs:?}");
    assert_eq!(soon[0].0, "amber");
    assert!(soon[0].1.contains("days left"), "{soon:?}");
    let line = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["text"]["en"].as_str().unwrap_or("").contains("Sắp Hết Hạn"))
        .unwrap();
    assert!(
        line["action"]["vi"]
            .as_str()
            .unwrap()
            .contains("Nghị định 68/2024"),
        "{line}"
    );
    assert!(line["data"]["days_left"].as_i64().unwrap() <= 10);
    // The support report holds no secret: the PIN the token was made with appears nowhere.
    let text = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args(["doctor", "--pkcs11", f.module.to_str().unwrap()])
        .env("SOFTHSM2_CONF", &conf)
        .env("KYSO_CONFIG_DIR", &config)
        .env("KYSO_PIN", "123456")
        .output()
        .unwrap();
    let text = stdout(&text);
    assert!(text.contains("Thiết bị \"KYSO-TEST\""), "{text}");
    assert!(!text.contains("123456"), "{text}");
}

#[test]
fn a_clock_twenty_minutes_fast_is_red_and_the_right_clock_green() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    settings(&config, serde_json::json!({"tsa_urls": [f.tsa_url]}));
    let conf = f.softhsm_conf();
    let (_, v) = doctor(&config, &conf, &[], &[]);
    let clock = lines(&v, "CLOCK");
    assert_eq!(clock[0].0, "green", "{v}");
    let (code, v) = doctor(&config, &conf, &[], &["faketime", "-f", "+20m"]);
    let clock = lines(&v, "CLOCK");
    assert_eq!(clock[0].0, "red", "{v}");
    assert!(clock[0].1.contains("20 min"), "{clock:?}");
    let line = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "CLOCK")
        .unwrap();
    let skew = line["data"]["skew_seconds"].as_i64().unwrap();
    assert!((1190..=1260).contains(&skew), "{skew}");
    assert_eq!(
        line["data"]["signed_time"], true,
        "compared with the TSA's signed time"
    );
    assert_eq!(code, 1, "a red line fails the check");
    // The TSA named in the settings is listed as a service that answers.
    assert!(
        lines(&v, "SERVICE")
            .iter()
            .any(|(s, t)| s == "green" && t.contains(&f.tsa_url)),
        "{v}"
    );
}

#[test]
fn a_port_held_by_another_program_is_red_and_a_free_one_is_not() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in held.incoming().flatten() {
            let mut s = s;
            let _ = std::io::Write::write_all(&mut s, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
    });
    settings(
        &config,
        serde_json::json!({"offline": true, "bridge_enabled": true, "bridge_port": port, "bridge_origins": ["https://qlvb.bacgiang.gov.vn"]}),
    );
    let (code, v) = doctor(&config, &f.softhsm_conf(), &[], &[]);
    let bridge = lines(&v, "BRIDGE");
    assert_eq!(bridge[0].0, "red", "{v}");
    assert!(
        bridge[0]
            .1
            .contains(&format!("Port {port} is held by another program")),
        "{bridge:?}"
    );
    assert_eq!(code, 1);
    // Turned on but nothing listening: amber, open the app.
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    settings(
        &config,
        serde_json::json!({"offline": true, "bridge_enabled": true, "bridge_port": free, "bridge_origins": ["https://qlvb.bacgiang.gov.vn"]}),
    );
    let (_, v) = doctor(&config, &f.softhsm_conf(), &[], &[]);
    assert_eq!(lines(&v, "BRIDGE")[0].0, "amber", "{v}");
}

#[test]
fn the_trust_store_ships_and_the_revocation_cache_says_how_old_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    settings(&config, serde_json::json!({"offline": true}));
    let conf = fixtures().softhsm_conf();
    // A new computer: the shipped roots are trusted; nothing saved for offline checks yet.
    let (_, v) = doctor(&config, &conf, &[], &[]);
    let trust = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "TRUST")
        .unwrap()
        .clone();
    assert_eq!(trust["status"], "green", "{trust}");
    assert!(trust["data"]["anchors"].as_u64().unwrap() >= 2, "{trust}");
    let cache = lines(&v, "REVOCATION_CACHE");
    assert_eq!(cache.len(), 1, "{v}");
    assert_eq!(cache[0].0, "amber");
    assert!(cache[0].1.contains("No revocation list saved yet"), "{cache:?}");
    // A list saved ten days ago: amber, with its date and what to do.
    let crl_dir = config.join("data/revocation/crl");
    std::fs::create_dir_all(&crl_dir).unwrap();
    let crl = crl_dir.join("issuer.crl");
    std::fs::write(&crl, b"0").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ten_days_ago = now - 10 * 86_400;
    assert!(Command::new("touch")
        .arg("-d")
        .arg(format!("@{ten_days_ago}"))
        .arg(&crl)
        .status()
        .unwrap()
        .success());
    let (_, v) = doctor(&config, &conf, &[], &[]);
    let cache = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "REVOCATION_CACHE")
        .unwrap()
        .clone();
    assert_eq!(cache["status"], "amber", "{cache}");
    assert!(
        cache["text"]["en"].as_str().unwrap().contains("10 days ago"),
        "{cache}"
    );
    assert!(
        cache["action"]["vi"]
            .as_str()
            .unwrap()
            .contains("Cập nhật danh sách thu hồi"),
        "{cache}"
    );
    // Refreshed today: green.
    assert!(Command::new("touch").arg(&crl).status().unwrap().success());
    let (_, v) = doctor(&config, &conf, &[], &[]);
    let cache = lines(&v, "REVOCATION_CACHE");
    assert_eq!(cache[0].0, "green", "{cache:?}");
    assert_eq!(
        v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "REVOCATION_CACHE")
            .unwrap()["data"]["entries"],
        1
    );
}
