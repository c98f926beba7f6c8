//! Offline-first signing and the journal: with no TSA reachable Kyso signs B-B, says the
//! timestamp is pending and queues the job; `kyso augment --pending` completes it when the
//! TSA is back (a job that fails stays queued with its reason). A process killed with
//! SIGKILL while signing or augmenting leaves the input intact, no output, and a sound
//! journal.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::*;

fn env_for(data: &Path) -> Vec<(&'static str, String)> {
    vec![("KYSO_DATA_DIR", data.display().to_string())]
}

fn run(args: &[&str], data: &Path) -> std::process::Output {
    let env = env_for(data);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    kyso_env(args, &env)
}

#[test]
fn offline_signing_is_queued_and_completed_when_the_tsa_is_back() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let name = format!("q{}", std::process::id());
    let tsa = format!("http://127.0.0.1:{}/tsa-when-{name}", f.http_port);
    let up = f.pki.join(format!("up-{name}"));
    let out = dir.path().join("cong-van.pdf");
    let o = run(
        &[
            "sign",
            f.pdf("v17-classic.pdf").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--json",
            "--pkcs11",
            f.module.to_str().unwrap(),
            "--cert",
            "01",
            "--pin-env",
            "KYSO_PIN",
            "--level",
            "B-T",
            "--tsa",
            &tsa,
        ],
        &data,
    );
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["level"], "B-B");
    assert_eq!(v["pending"]["wanted_level"], "B-T", "{v}");
    assert_eq!(kyso_verify(&[&out]).0, 0, "the B-B signature is valid already");

    let j = json(&run(&["journal", "--json"], &data));
    assert_eq!(j["pending"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(j["events"][0]["result"], "pending");
    assert_eq!(j["events"][0]["signer"], "Nguyễn Văn An");
    // The digests come from the signing pass itself; they must be the files' real SHA-256.
    let sha = |p: &Path| {
        let o = Command::new("openssl")
            .args(["dgst", "-sha256", "-r"])
            .arg(p)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(j["events"][0]["output_sha256"], sha(&out).as_str());
    assert_eq!(
        j["events"][0]["input_sha256"],
        sha(&f.pdf("v17-classic.pdf")).as_str()
    );

    // Still offline: the job stays, with its reason.
    let o = run(&["augment", "--pending", "--json"], &data);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let j = json(&run(&["journal", "--json"], &data));
    let p = &j["pending"][0];
    assert_eq!(p["attempts"], 1);
    assert!(p["last_error"].as_str().unwrap().contains("tsa-when"), "{p}");

    // The network is back.
    std::fs::write(&up, b"").unwrap();
    let before = std::fs::read(&out).unwrap();
    let o = run(&["augment", "--pending", "--json"], &data);
    std::fs::remove_file(&up).unwrap();
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(json(&o)["completed"][0]["level"], "B-T");
    let after = std::fs::read(&out).unwrap();
    assert!(after.starts_with(&before), "completed by incremental update");
    let (code, r) = kyso_verify_offline(&[&out]);
    assert_eq!(code, 0, "{r}");
    let sigs = r["files"][0]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert!(
        sigs.iter()
            .any(|s| s["kind"] == "document-timestamp" && s["indication"] == "TOTAL_PASSED"),
        "{r}"
    );
    assert_eq!(kyso_verify(&[&out]).0, 0);
    assert!(pdfsig(&out)[0].0);
    let j = json(&run(&["journal", "--json"], &data));
    assert!(j["pending"].as_array().unwrap().is_empty(), "{j}");
    let events = j["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["action"], "augment");
    assert_eq!(events.last().unwrap()["result"], "ok");
}

/// Completing a queued signature replaces the file: only the file Kyso wrote (by its SHA-256
/// recorded when queued) may be replaced. Another document put at that path is left as it
/// is, and the job says why.
#[test]
fn a_queued_file_replaced_by_another_document_is_never_overwritten() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let name = format!("r{}", std::process::id());
    let tsa = format!("http://127.0.0.1:{}/tsa-when-{name}", f.http_port);
    let up = f.pki.join(format!("up-{name}"));
    let out = dir.path().join("to-trinh.pdf");
    let o = run(
        &[
            "sign",
            f.pdf("v17-classic.pdf").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--json",
            "--p12",
            f.pki.join("rsa2048.p12").to_str().unwrap(),
            "--p12-password-env",
            "KYSO_P12_PASS",
            "--level",
            "B-T",
            "--tsa",
            &tsa,
        ],
        &data,
    );
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(json(&o)["pending"]["wanted_level"], "B-T");
    // Someone saves another document under the same name.
    std::fs::copy(f.pdf("vietnamese.pdf"), &out).unwrap();
    let other = std::fs::read(&out).unwrap();
    std::fs::write(&up, b"").unwrap();
    let o = run(&["augment", "--pending", "--json"], &data);
    std::fs::remove_file(&up).unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["failed"][0]["error"]["code"], "PENDING_CHANGED", "{v}");
    assert!(v["completed"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        other,
        "the other document is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".kyso-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left: {leftovers:?}");
    let j = json(&run(&["journal", "--json"], &data));
    assert_eq!(j["pending"].as_array().unwrap().len(), 1, "{j}");
    assert!(
        j["pending"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("not the file Kyso signed"),
        "{j}"
    );
}

/// Starts `kyso args…`, kills it with SIGKILL after `after`, returns once it is gone.
fn kill_after(args: &[&str], data: &Path, after: Duration) {
    let f = fixtures();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args(args)
        .env("SOFTHSM2_CONF", f.softhsm_conf())
        .env("KYSO_PIN", PIN)
        .env("KYSO_P12_PASS", P12_PASS)
        .env("KYSO_CONFIG_DIR", f.pki.join("../config"))
        .env("KYSO_DATA_DIR", data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    assert!(child.try_wait().unwrap().is_none(), "still working when killed");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

fn journal_sound(data: &Path) -> serde_json::Value {
    // SQLite's own check, from the sqlite3 tool (installed by scripts/setup.sh --test).
    let o = Command::new("sqlite3")
        .arg(data.join("journal.sqlite3"))
        .arg("PRAGMA integrity_check;")
        .output()
        .expect("sqlite3");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "ok");
    json(&run(&["journal", "--json"], data))
}

#[test]
fn sigkill_while_signing_or_augmenting_loses_nothing() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let slow = format!("http://127.0.0.1:{}/tsa-slow", f.http_port);
    let input = dir.path().join("in.pdf");
    std::fs::copy(f.pdf("v17-classic.pdf"), &input).unwrap();
    let original = std::fs::read(&input).unwrap();
    let out = dir.path().join("out.pdf");
    // The TSA is asked twice (size probe, then the token), 4 s each: at 6 s the signature
    // is made and the output sits in its temporary file.
    kill_after(
        &[
            "sign",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--p12",
            f.pki.join("rsa2048.p12").to_str().unwrap(),
            "--p12-password-env",
            "KYSO_P12_PASS",
            "--tsa",
            &slow,
        ],
        &data,
        Duration::from_secs(6),
    );
    assert_eq!(std::fs::read(&input).unwrap(), original, "input intact");
    assert!(!out.exists(), "no partial output");
    let j = journal_sound(&data);
    assert_eq!(
        j["events"][0]["result"], "started",
        "the interrupted signing shows as such: {j}"
    );

    // Augmenting: killed while waiting for the document timestamp.
    let signed = dir.path().join("signed.pdf");
    sign_token(&input, &signed, "01", &[]);
    let signed_bytes = std::fs::read(&signed).unwrap();
    let lta = dir.path().join("signed-lta.pdf");
    kill_after(
        &[
            "augment",
            signed.to_str().unwrap(),
            "-o",
            lta.to_str().unwrap(),
            "--level",
            "B-LTA",
            "--tsa",
            &slow,
            "--trust",
            f.root_pem().to_str().unwrap(),
        ],
        &data,
        Duration::from_secs(2),
    );
    assert_eq!(std::fs::read(&signed).unwrap(), signed_bytes);
    assert!(!lta.exists());
    let j = journal_sound(&data);
    let last = j["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["action"].as_str(), last["result"].as_str()),
        (Some("augment"), Some("started"))
    );
    // The tool still works afterwards, on the same journal.
    let o = run(
        &[
            "augment",
            signed.to_str().unwrap(),
            "-o",
            lta.to_str().unwrap(),
            "--level",
            "B-LT",
            "--trust",
            f.root_pem().to_str().unwrap(),
        ],
        &data,
    );
    assert!(o.status.success(), "{}", stdout(&o));
}
