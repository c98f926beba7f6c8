//! Certified documents (DocMDP P=1/2/3, certified by pyHanko): what each level allows after
//! certification — form filling, annotations, another signature — judged by kyso and, as an
//! independent check, by pyHanko.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Runs `tests/fixtures/certify.py` with `args`; its printed output.
pub fn helper(args: &[&str]) -> String {
    let o = Command::new(repo_root().join("target/test-venv/bin/python"))
        .arg(repo_root().join("tests/fixtures/certify.py"))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn certified(dir: &Path, level: u8) -> PathBuf {
    let f = fixtures();
    let out = dir.join(format!("certified-p{level}.pdf"));
    helper(&[
        "certify",
        f.pdf("form.pdf").to_str().unwrap(),
        out.to_str().unwrap(),
        f.pki.join("rsa2048.p12").to_str().unwrap(),
        P12_PASS,
        &level.to_string(),
    ]);
    out
}

/// (kyso indication of the certification signature, pyHanko calls the changes illegal)
fn judge(file: &Path) -> (String, bool) {
    let (_, v) = kyso_verify_offline(&[file]);
    let sig = v["files"][0]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["field"] == "ChungThuc")
        .unwrap()
        .clone();
    let (text, _) = pyhanko_summary(file, &[]);
    let line = text
        .lines()
        .find(|l| l.starts_with("ChungThuc:"))
        .unwrap_or("")
        .to_string();
    (
        sig["indication"].as_str().unwrap().to_string(),
        line.contains("ILLEGAL"),
    )
}

#[test]
fn each_docmdp_level_allows_what_it_says() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for level in [1u8, 2, 3] {
        let c = certified(d, level);
        assert_eq!(judge(&c), ("TOTAL_PASSED".to_string(), false), "P={level}");

        let filled = d.join(format!("p{level}-filled.pdf"));
        helper(&[
            "fill",
            c.to_str().unwrap(),
            filled.to_str().unwrap(),
            "01/QD-UBND",
        ]);
        let (ind, ph_illegal) = judge(&filled);
        let allowed = level >= 2;
        assert_eq!(ind == "TOTAL_PASSED", allowed, "P={level} form fill: {ind}");
        assert_eq!(ph_illegal, !allowed, "pyHanko on P={level} form fill");

        let annotated = d.join(format!("p{level}-annotated.pdf"));
        helper(&["annotate", c.to_str().unwrap(), annotated.to_str().unwrap()]);
        let (ind, ph_illegal) = judge(&annotated);
        let allowed = level == 3;
        assert_eq!(ind == "TOTAL_PASSED", allowed, "P={level} annotation: {ind}");
        if !allowed {
            assert_eq!(ind, "TOTAL_FAILED", "P={level} annotation");
        }
        // pyHanko's diff policy does not implement P=3 ("not designed to support DocMDP
        // level 3") and calls any annotation illegal; it is the judge only for P=1/2.
        if level < 3 {
            assert_eq!(ph_illegal, !allowed, "pyHanko on P={level} annotation");
        }
    }
    // P=2: an approval signature by kyso keeps the certification valid.
    let c2 = certified(d, 2);
    let approved = d.join("p2-approved.pdf");
    sign_token(&c2, &approved, "01", &[]);
    let (code, v) = kyso_verify_offline(&[&approved]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(pdfsig(&approved).len(), 2);
    // P=1: kyso refuses to add a signature, before any PIN is used.
    let c1 = certified(d, 1);
    let o = kyso(&[
        "sign",
        c1.to_str().unwrap(),
        "-o",
        d.join("p1-signed.pdf").to_str().unwrap(),
        "--json",
        "--pkcs11",
        fixtures().module.to_str().unwrap(),
        "--pin-env",
        "KYSO_PIN",
    ]);
    assert_eq!(json(&o)["error"]["code"], "CERTIFIED_NO_CHANGES");
}

/// Certification signatures made by kyso: pyHanko reads the level, form filling follows it,
/// and a certification cannot come after another signature.
#[test]
fn kyso_certifies_with_the_level_asked() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for level in [1u8, 2] {
        let c = d.join(format!("kyso-p{level}.pdf"));
        let o = kyso(&[
            "sign",
            f.pdf("form.pdf").to_str().unwrap(),
            "-o",
            c.to_str().unwrap(),
            "--field",
            "ChungThuc",
            "--certify",
            &level.to_string(),
            "--p12",
            f.pki.join("rsa2048.p12").to_str().unwrap(),
            "--p12-password-env",
            "KYSO_P12_PASS",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let (text, _) = pyhanko_summary(&c, &["--pretty-print"]);
        assert!(text.contains("judged VALID"), "{text}");
        assert_eq!(helper(&["level", c.to_str().unwrap()]), level.to_string());
        let filled = d.join(format!("kyso-p{level}-filled.pdf"));
        helper(&[
            "fill",
            c.to_str().unwrap(),
            filled.to_str().unwrap(),
            "05/QD-UBND",
        ]);
        let (ind, ph_illegal) = judge(&filled);
        assert_eq!(ind == "TOTAL_PASSED", level == 2, "P={level}: {ind}");
        assert_eq!(ph_illegal, level == 1);
    }
    // Certifying an already signed document is refused.
    let signed = d.join("signed.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &signed, "01", &[]);
    let o = kyso(&[
        "sign",
        signed.to_str().unwrap(),
        "-o",
        d.join("late-cert.pdf").to_str().unwrap(),
        "--json",
        "--certify",
        "2",
        "--p12",
        f.pki.join("rsa2048.p12").to_str().unwrap(),
        "--p12-password-env",
        "KYSO_P12_PASS",
    ]);
    assert!(json(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("first signature"));
}

/// Field locks (FieldMDP): a certification that allows form filling but locks one field —
/// filling that field breaks the signature, in kyso and in pyHanko; a lock on another field
/// leaves the filling allowed.
#[test]
fn locked_fields_are_honoured() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    for (lock, allowed) in [("SoVanBan", false), ("TruongKhac", true)] {
        let c = dir.path().join(format!("lock-{lock}.pdf"));
        sign_p12_ok(
            &f.pdf("form.pdf"),
            &c,
            "rsa2048",
            &["--field", "ChungThuc", "--certify", "2", "--lock-fields", lock],
        );
        assert_eq!(judge(&c), ("TOTAL_PASSED".to_string(), false));
        let filled = dir.path().join(format!("lock-{lock}-filled.pdf"));
        helper(&[
            "fill",
            c.to_str().unwrap(),
            filled.to_str().unwrap(),
            "07/QD-UBND",
        ]);
        let (ind, ph_illegal) = judge(&filled);
        assert_eq!(ind == "TOTAL_PASSED", allowed, "lock {lock}: {ind}");
        assert_eq!(ph_illegal, !allowed, "pyHanko, lock {lock}");
        if !allowed {
            let (_, v) = kyso_verify_offline(&[&filled]);
            assert!(v.to_string().contains("locked by this signature"), "{v}");
        }
    }
}

/// An approval signature that locks fields is not a certification (pyHanko reads no DocMDP),
/// and its new field carries the lock as `/Lock` too; signing into a prepared field that
/// asks for a lock takes that lock into the signature. Filling the locked field breaks the
/// signature in kyso and in pyHanko.
#[test]
fn approval_locks_are_written_on_the_field_and_taken_from_it() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let asked = dir.path().join("approval-lock.pdf");
    sign_p12_ok(
        &f.pdf("form.pdf"),
        &asked,
        "rsa2048",
        &["--field", "ChungThuc", "--lock-fields", "SoVanBan"],
    );
    assert_eq!(helper(&["level", asked.to_str().unwrap()]), "none");
    let prepared = dir.path().join("prepared-lock.pdf");
    sign_p12_ok(
        &f.pdf("form-locked.pdf"),
        &prepared,
        "rsa2048",
        &["--field", "KyDuyet"],
    );
    for (file, field) in [(&asked, "ChungThuc"), (&prepared, "KyDuyet")] {
        // The field's /Lock, then the signature's FieldMDP.
        assert_eq!(
            helper(&["locks", file.to_str().unwrap(), field]),
            "Include SoVanBan\nInclude SoVanBan",
            "{field}"
        );
        let (code, v) = kyso_verify_offline(&[file]);
        assert_eq!(code, 0, "{v}");
        let filled = dir.path().join(format!("{field}-filled.pdf"));
        helper(&[
            "fill",
            file.to_str().unwrap(),
            filled.to_str().unwrap(),
            "07/QD-UBND",
        ]);
        let (code, v) = kyso_verify_offline(&[&filled]);
        assert_eq!(code, 1, "{v}");
        assert!(v.to_string().contains("locked by this signature"), "{v}");
        let (text, _) = pyhanko_summary(&filled, &[]);
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{field}:")))
            .unwrap_or("");
        assert!(line.contains("ILLEGAL"), "pyHanko on {field}: {text}");
    }
}
