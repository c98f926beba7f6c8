//! Bad input and refusals: a specific error code, a clear message, and nothing written.

use std::path::Path;

use crate::support::*;

fn sign_args<'a>(input: &'a str, output: &'a str, module: &'a str) -> Vec<&'a str> {
    vec![
        "sign",
        input,
        "-o",
        output,
        "--json",
        "--pkcs11",
        module,
        "--pin-env",
        "KYSO_PIN",
    ]
}

fn error_code(o: &std::process::Output) -> String {
    json(o)["error"]["code"].as_str().unwrap_or("").to_string()
}

fn expect_refusal(args: &[&str], code: &str, output: &Path) -> serde_json::Value {
    let o = kyso(args);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(error_code(&o), code, "{}", stdout(&o));
    assert!(!output.exists(), "nothing may be written on {code}");
    json(&o)
}

#[test]
fn wrong_pin_reports_the_token_state_and_is_not_retried() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let conf = f.private_token(&dir.path().join("hsm"));
    let conf = conf.to_str().unwrap();
    let input = f.pdf("v17-classic.pdf");
    let output = dir.path().join("out.pdf");
    let m = f.module.to_str().unwrap();
    let args = [
        "sign",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--json",
        "--pkcs11",
        m,
        "--cert",
        "01",
        "--pin-env",
        "BAD_PIN",
    ];
    let o = kyso_env(&args, &[("SOFTHSM2_CONF", conf), ("BAD_PIN", "999999")]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["error"]["code"], "PIN_INCORRECT");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("counting failed tries"),
        "tries-left state from the token flags: {msg}"
    );
    assert!(!msg.contains("999999"), "the PIN must never be echoed");
    assert!(!stdout(&o).contains("999999") && !String::from_utf8_lossy(&o.stderr).contains("999999"));
    assert!(!output.exists());
    // The token itself now reports the failed try.
    let t = kyso_env(&["tokens", "--json", "--pkcs11", m], &[("SOFTHSM2_CONF", conf)]);
    assert_eq!(json(&t)["modules"][0]["tokens"][0]["pin"]["count_low"], true);
    // One more call with the right PIN works (a single C_Login per run, no automatic retry).
    let good = [
        "sign",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--json",
        "--pkcs11",
        m,
        "--cert",
        "01",
        "--pin-env",
        "KYSO_PIN",
    ];
    let o = kyso_env(&good, &[("SOFTHSM2_CONF", conf)]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn no_pin_without_a_terminal_is_an_error_not_a_hang() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("o.pdf");
    let input = f.pdf("v17-classic.pdf");
    let args = [
        "sign",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--json",
        "--pkcs11",
        f.module.to_str().unwrap(),
        "--cert",
        "01",
    ];
    expect_refusal(&args, "PIN_REQUIRED", &output);
}

#[test]
fn certificate_and_token_selection_errors() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("o.pdf");
    let (i, o, m) = (
        f.pdf("v17-classic.pdf"),
        output.to_str().unwrap().to_string(),
        f.module.to_str().unwrap().to_string(),
    );
    let base = sign_args(i.to_str().unwrap(), &o, &m);
    let v = expect_refusal(&base, "CERT_AMBIGUOUS", &output);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("Nguyễn Văn An"),
        "the choices are listed: {v}"
    );
    let mut a = base.clone();
    a.extend(["--cert", "nobody"]);
    expect_refusal(&a, "CERT_NOT_FOUND", &output);
    let mut a = base.clone();
    a.extend(["--cert", "01", "--token", "NO-SUCH-TOKEN"]);
    expect_refusal(&a, "TOKEN_MISSING", &output);
    // Selecting by fingerprint prefix works.
    let t = json(&kyso(&["tokens", "--json", "--pkcs11", &m]));
    let fp = t["modules"][0]["tokens"][0]["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "03")
        .unwrap()["sha256"]
        .as_str()
        .unwrap()[..12]
        .to_string();
    let mut a = base.clone();
    a.extend(["--cert", &fp]);
    let r = kyso(&a);
    assert!(r.status.success(), "{}", stdout(&r));
    assert_eq!(json(&r)["signer"]["common_name"], "Lê Văn Cường");
}

#[test]
fn documents_that_cannot_be_signed_are_refused() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("o.pdf");
    let (o, m) = (
        output.to_str().unwrap().to_string(),
        f.module.to_str().unwrap().to_string(),
    );

    let enc = f.pdf("encrypted.pdf");
    let mut a = sign_args(enc.to_str().unwrap(), &o, &m);
    a.extend(["--cert", "01"]);
    expect_refusal(&a, "ENCRYPTED_PDF", &output);

    let not_pdf = dir.path().join("note.txt");
    std::fs::write(&not_pdf, "xin chào").unwrap();
    let mut a = sign_args(not_pdf.to_str().unwrap(), &o, &m);
    a.extend(["--cert", "01"]);
    let v = expect_refusal(&a, "POLICY", &output);
    assert!(v["error"]["message"].as_str().unwrap().contains("--detached"));

    let truncated = dir.path().join("truncated.pdf");
    let data = std::fs::read(f.pdf("v17-classic.pdf")).unwrap();
    std::fs::write(&truncated, &data[..data.len() / 2]).unwrap();
    let mut a = sign_args(truncated.to_str().unwrap(), &o, &m);
    a.extend(["--cert", "01"]);
    expect_refusal(&a, "DAMAGED_PDF", &output);

    // A field that is already signed.
    let signed = dir.path().join("signed.pdf");
    sign_token(
        &f.pdf("empty-field.pdf"),
        &signed,
        "01",
        &["--field", "ChuKyLanhDao"],
    );
    let mut a = sign_args(signed.to_str().unwrap(), &o, &m);
    a.extend(["--cert", "01", "--field", "ChuKyLanhDao"]);
    expect_refusal(&a, "FIELD_SIGNED", &output);
}

#[test]
fn outputs_are_never_clobbered_and_the_input_is_never_the_output() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.pdf");
    std::fs::copy(f.pdf("v17-classic.pdf"), &input).unwrap();
    let m = f.module.to_str().unwrap().to_string();
    let existing = dir.path().join("exists.pdf");
    std::fs::write(&existing, b"keep me").unwrap();
    let mut a = sign_args(input.to_str().unwrap(), existing.to_str().unwrap(), &m);
    a.extend(["--cert", "01"]);
    let o = kyso(&a);
    assert_eq!(error_code(&o), "OUTPUT_EXISTS");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    a.push("--force");
    assert!(kyso(&a).status.success());
    assert!(std::fs::read(&existing).unwrap().starts_with(b"%PDF-"));

    let before = std::fs::read(&input).unwrap();
    let mut a = sign_args(input.to_str().unwrap(), input.to_str().unwrap(), &m);
    a.extend(["--cert", "01", "--force"]);
    let o = kyso(&a);
    assert_eq!(error_code(&o), "SAME_FILE");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn weak_expired_and_locked_keys_are_refused() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("o.pdf");
    let input = f.pdf("v17-classic.pdf");
    let p12 = |name: &str| f.pki.join(name).to_str().unwrap().to_string();
    let run = |file: String, pass_var: &str| -> std::process::Output {
        kyso_env(
            &[
                "sign",
                input.to_str().unwrap(),
                "-o",
                output.to_str().unwrap(),
                "--json",
                "--p12",
                &file,
                "--p12-password-env",
                pass_var,
            ],
            &[("WRONG", "not-the-password")],
        )
    };
    let o = run(p12("expired.p12"), "KYSO_P12_PASS");
    assert_eq!(error_code(&o), "CERT_EXPIRED", "{}", stdout(&o));
    let o = run(p12("rsa1024.p12"), "KYSO_P12_PASS");
    assert_eq!(error_code(&o), "POLICY", "{}", stdout(&o));
    assert!(stdout(&o).contains("RSA-1024"));
    let o = run(p12("rsa2048.p12"), "WRONG");
    assert_eq!(error_code(&o), "P12_PASSWORD", "{}", stdout(&o));
    assert!(!stdout(&o).contains("not-the-password"));
    assert!(!output.exists());
}
