//! PAdES B-LT and B-LTA: validation data (DSS + VRI) and document timestamps from the real
//! OCSP responder, CRL server and TSA on 127.0.0.1; the result must validate with the
//! network off — in kyso (`--offline`) and in pyHanko's long-term validation, which uses
//! only what the file holds.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

fn sign_level(p12: &str, level: &str, dir: &Path) -> (PathBuf, serde_json::Value) {
    sign_level_with(p12, level, &fixtures().tsa_url, dir)
}

fn sign_level_with(p12: &str, level: &str, tsa: &str, dir: &Path) -> (PathBuf, serde_json::Value) {
    let f = fixtures();
    let out = dir.join(format!("{p12}-{level}.pdf"));
    let root = f.root_pem();
    let o = sign_p12_ok(
        &f.pdf("v17-classic.pdf"),
        &out,
        p12,
        &[
            "--json",
            "--level",
            level,
            "--tsa",
            tsa,
            "--trust",
            root.to_str().unwrap(),
        ],
    );
    (out, json(&o))
}

/// pyHanko's verdict per signature from the document's own DSS (no fetching, revocation
/// data required).
fn pyhanko_ltv(file: &Path) -> Vec<serde_json::Value> {
    let f = fixtures();
    let o = Command::new(repo_root().join("target/test-venv/bin/python"))
        .arg(repo_root().join("tests/fixtures/pyhanko_ltv.py"))
        .arg(f.root_pem())
        .arg(file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn all_passed_offline(file: &Path) -> serde_json::Value {
    let (code, v) = kyso_verify_offline(&[file]);
    assert_eq!(code, 0, "{v}");
    for s in v["files"][0]["signatures"].as_array().unwrap() {
        assert_eq!(s["indication"], "TOTAL_PASSED", "{s}");
    }
    v
}

#[test]
fn b_lt_with_ocsp_validates_offline_in_kyso_and_pyhanko() {
    let dir = tempfile::tempdir().unwrap();
    let (out, v) = sign_level("ocsp-good", "B-LT", dir.path());
    assert_eq!(v["level"], "B-LT", "{v}");
    assert!(
        v["validation_data"]["ocsp_responses"].as_u64().unwrap() >= 1,
        "{v}"
    );
    let r = all_passed_offline(&out);
    let s = &r["files"][0]["signatures"][0];
    assert_eq!(s["revocation"], "GOOD", "{s}");
    assert!(s["findings"].to_string().contains("embedded OCSP"), "{s}");
    let ph = pyhanko_ltv(&out);
    assert_eq!(ph.len(), 1);
    assert_eq!(ph[0]["trusted"], true, "{ph:?}");
    assert_eq!(ph[0]["valid"], true, "{ph:?}");
    assert_eq!(pdfsig(&out), vec![(true, true, false)]);
    assert!(qpdf_ok(&out));
}

#[test]
fn b_lta_with_crl_has_a_document_timestamp_over_the_dss() {
    let dir = tempfile::tempdir().unwrap();
    let (out, v) = sign_level("crl-good", "B-LTA", dir.path());
    assert_eq!(v["level"], "B-LTA", "{v}");
    assert!(v["validation_data"]["crls"].as_u64().unwrap() >= 1, "{v}");
    assert!(v["validation_data"]["document_timestamp"].is_i64(), "{v}");
    let r = all_passed_offline(&out);
    let sigs = r["files"][0]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert!(sigs.iter().any(|s| s["kind"] == "document-timestamp"), "{r}");
    let ph = pyhanko_ltv(&out);
    assert_eq!(ph.len(), 2, "{ph:?}");
    assert!(
        ph.iter().all(|s| s["trusted"] == true && s["valid"] == true),
        "{ph:?}"
    );
    assert!(qpdf_ok(&out));
}

#[test]
fn a_timestamp_from_a_revoked_tsa_proves_nothing_from_the_dss_alone() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let revoked_tsa = format!("http://127.0.0.1:{}/tsa-revoked", f.http_port);
    let (out, v) = sign_level_with("crl-good", "B-LTA", &revoked_tsa, dir.path());
    assert_eq!(v["level"], "B-LTA", "{v}");
    // Offline: the TSA's revocation comes from the CRL the DSS holds.
    let (code, r) = kyso_verify_offline(&[&out]);
    assert_eq!(code, 1, "{r}");
    let sigs = r["files"][0]["signatures"].as_array().unwrap();
    let doc_ts = sigs.iter().find(|s| s["kind"] == "document-timestamp").unwrap();
    assert_eq!(doc_ts["indication"], "TOTAL_FAILED", "{doc_ts}");
    assert_eq!(doc_ts["sub_indication"], "REVOKED", "{doc_ts}");
    let sig = sigs.iter().find(|s| s["kind"] != "document-timestamp").unwrap();
    assert!(
        sig["findings"]
            .to_string()
            .contains("Kyso Revoked TSA was revoked on"),
        "{sig}"
    );
    // The signer is fine and nothing else rests on the timestamp: the signature passes.
    assert_eq!(sig["indication"], "TOTAL_PASSED", "{sig}");
    // pyHanko, from the same DSS, agrees on both.
    let ph = pyhanko_ltv(&out);
    for s in &ph {
        let is_ts = s["timestamp"] == true;
        assert_eq!(s["trusted"], !is_ts, "{ph:?}");
    }
}

/// `kyso augment IN -o OUT --level B-LT --json [extra]`.
fn augment_lt(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "augment",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--level",
        "B-LT",
        "--json",
    ];
    args.extend_from_slice(extra);
    kyso(&args)
}

#[test]
fn augment_extends_a_pyhanko_signature_and_refuses_without_revocation_data() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    // pyHanko signs (B-B) with the OCSP-checked test certificate.
    let signed = dir.path().join("pyhanko.pdf");
    let o = pyhanko(&[
        "sign",
        "addsig",
        "--field",
        "Sig1",
        "--use-pades",
        "pkcs12",
        "--passfile",
        f.pki.join("p12.pass").to_str().unwrap(),
        f.pdf("v17-classic.pdf").to_str().unwrap(),
        signed.to_str().unwrap(),
        f.pki.join("ocsp-good.p12").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = std::fs::read(&signed).unwrap();
    let lt = dir.path().join("pyhanko-lt.pdf");
    let root = f.root_pem();
    let o = augment_lt(&signed, &lt, &["--trust", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(
        std::fs::read(&signed).unwrap(),
        before,
        "the input is never modified"
    );
    assert!(
        std::fs::read(&lt).unwrap().starts_with(&before),
        "incremental update"
    );
    all_passed_offline(&lt);
    assert_eq!(pyhanko_ltv(&lt)[0]["trusted"], true);
    // The same check on the B-B original fails: it holds no revocation data.
    assert_ne!(pyhanko_ltv(&signed)[0]["trusted"], true);

    // A signer whose CRL server is down: nothing is written, and the reason is specific.
    let down = dir.path().join("down.pdf");
    sign_p12_ok(&f.pdf("v17-classic.pdf"), &down, "crl-down", &[]);
    let out = dir.path().join("down-lt.pdf");
    let o = augment_lt(&down, &out, &["--trust", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json(&o)["error"]["code"],
        "REVOCATION_UNAVAILABLE",
        "{}",
        stdout(&o)
    );
    assert!(!out.exists());
    // No anchor for the chain: refused with a pointer to `kyso trust import`.
    let o = augment_lt(&down, &out, &[]);
    assert!(
        json(&o)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("trust import"),
        "{}",
        stdout(&o)
    );
    assert!(!out.exists());
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".part")));
}
