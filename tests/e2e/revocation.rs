//! Revocation from CRLs served by a real HTTP server and from a real OCSP responder
//! (`openssl ocsp`), both on 127.0.0.1 and started by the fixtures.

use crate::support::*;

fn sign_p12(name: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join(format!("{name}.pdf"));
    sign_p12_ok(&fixtures().pdf("v17-classic.pdf"), &out, name, &[]);
    out
}

fn first_sig(v: &serde_json::Value) -> serde_json::Value {
    v["files"][0]["signatures"][0].clone()
}

#[test]
fn good_revoked_unreachable_and_offline() {
    let dir = tempfile::tempdir().unwrap();
    let good = sign_p12("crl-good", dir.path());
    let (code, v) = kyso_verify(&[&good]);
    let s = first_sig(&v);
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["revocation"], "GOOD");

    let revoked = sign_p12("crl-revoked", dir.path());
    let (code, v) = kyso_verify(&[&revoked]);
    let s = first_sig(&v);
    assert_eq!(code, 1);
    assert_eq!(s["indication"], "TOTAL_FAILED", "{s}");
    assert_eq!(s["sub_indication"], "REVOKED");
    assert_eq!(s["revocation"], "REVOKED");
    assert!(s["message"]["vi"].as_str().is_some());

    // The CRL server named in the certificate does not answer: never passed silently.
    let down = sign_p12("crl-down", dir.path());
    let (code, v) = kyso_verify(&[&down]);
    let s = first_sig(&v);
    assert_eq!(code, 1);
    assert_eq!(s["indication"], "INDETERMINATE", "{s}");
    assert_eq!(s["sub_indication"], "TRY_LATER");

    // Offline: no network at all, and the report says which check was not made.
    let f = fixtures();
    let o = kyso(&[
        "verify",
        "--json",
        "--offline",
        "--trust",
        f.root_pem().to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    let s = first_sig(&json(&o));
    assert_eq!(s["sub_indication"], "TRY_LATER");
    assert!(s["findings"].to_string().contains("offline"), "{s}");

    // Certificates that name no CRL are reported as such.
    let plain = dir.path().join("plain.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &plain, "01", &[]);
    let (_, v) = kyso_verify(&[&plain]);
    assert_eq!(first_sig(&v)["revocation"], "NOT_AVAILABLE");
}

#[test]
fn ocsp_good_and_revoked_from_a_real_responder() {
    let dir = tempfile::tempdir().unwrap();
    let good = sign_p12("ocsp-good", dir.path());
    let (code, v) = kyso_verify(&[&good]);
    let s = first_sig(&v);
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["revocation"], "GOOD");
    assert!(s["findings"].to_string().contains("online OCSP"), "{s}");

    let revoked = sign_p12("ocsp-revoked", dir.path());
    let (code, v) = kyso_verify(&[&revoked]);
    let s = first_sig(&v);
    assert_eq!(code, 1);
    assert_eq!(s["indication"], "TOTAL_FAILED", "{s}");
    assert_eq!(s["sub_indication"], "REVOKED");
}

/// An issuing CA revoked by the root (CRL on loopback): its leaf's signature fails, and the
/// report names the authority.
#[test]
fn a_revoked_issuing_ca_fails_the_signature() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("revoked-ca.pdf");
    sign_p12_ok(&f.pdf("v17-classic.pdf"), &out, "revoked-ca/leaf", &[]);
    let (code, v) = kyso_verify(&[&out]);
    let s = first_sig(&v);
    assert_eq!(code, 1);
    assert_eq!(s["indication"], "TOTAL_FAILED", "{s}");
    assert_eq!(s["sub_indication"], "REVOKED", "{s}");
    assert!(
        s["findings"].to_string().contains("Kyso Revoked Issuing CA"),
        "{s}"
    );
    // The CA of the other test signers is checked the same way and is fine.
    let good = sign_p12("crl-good", dir.path());
    let (code, v) = kyso_verify(&[&good]);
    assert_eq!(code, 0, "{}", first_sig(&v));
}

/// The CRL and OCSP addresses come from inside the document's certificates: a document must
/// not be able to make the clerk's computer call this computer or the office network. Without
/// 127.0.0.1 named in the settings, the same revoked signatures are not checked online (never
/// passed either), and the report says why; with it (an intranet CA server), they are.
#[test]
fn addresses_inside_a_document_reach_this_computer_only_when_the_settings_allow_it() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    let env = [("KYSO_CONFIG_DIR", cfg.to_str().unwrap())];
    let root = f.root_pem();
    let verify = |doc: &std::path::Path| {
        let o = kyso_env(
            &[
                "verify",
                "--json",
                "--trust",
                root.to_str().unwrap(),
                doc.to_str().unwrap(),
            ],
            &env,
        );
        (o.status.code(), first_sig(&json(&o)))
    };
    for name in ["crl-revoked", "ocsp-revoked"] {
        let doc = sign_p12(name, dir.path());
        let (code, s) = verify(&doc);
        assert_eq!(code, Some(1), "{s}");
        assert_eq!(s["indication"], "INDETERMINATE", "{name}: {s}");
        assert_eq!(s["sub_indication"], "TRY_LATER", "{name}: {s}");
        assert!(
            s["findings"]
                .to_string()
                .contains("on this computer or the local network"),
            "{name}: {s}"
        );
        allow_test_servers(&cfg);
        let (code, s) = verify(&doc);
        assert_eq!(code, Some(1), "{s}");
        assert_eq!(s["sub_indication"], "REVOKED", "{name}: {s}");
        std::fs::remove_file(cfg.join("settings.json")).unwrap();
    }
}

/// A revoked certificate gets its own headline (not the tampered-file one), and the printed
/// report opens with a summary table in the app's words: "Không hợp lệ — chứng thư đã bị thu
/// hồi", never "TotalFailed / Revoked".
#[test]
fn a_revoked_signature_says_revoked_in_the_headline_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let good = sign_p12("crl-good", dir.path());
    let revoked = sign_p12("crl-revoked", dir.path());
    let (_, v) = kyso_verify(&[&revoked]);
    let s = first_sig(&v);
    let (vi, en) = (
        s["message"]["vi"].as_str().unwrap(),
        s["message"]["en"].as_str().unwrap(),
    );
    assert!(
        vi.starts_with("Chữ ký KHÔNG hợp lệ") && vi.contains("thu hồi"),
        "{vi}"
    );
    assert!(en.contains("revoked") && !en.contains("tampering"), "{en}");
    let root = fixtures().root_pem();
    for (name, lang) in [("bao-cao.pdf", None), ("report.pdf", Some("--english"))] {
        let report = dir.path().join(name);
        let mut args = vec![
            "verify",
            "--trust",
            root.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ];
        args.extend(lang);
        args.extend([good.to_str().unwrap(), revoked.to_str().unwrap()]);
        let o = kyso(&args);
        assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
        // The terminal listing uses the same words.
        let listing = stdout(&o);
        let said = if lang.is_none() {
            "Không hợp lệ — chứng thư đã bị thu hồi"
        } else {
            "Invalid — certificate revoked"
        };
        assert!(
            listing.contains(said) && !listing.contains("TotalFailed"),
            "{listing}"
        );
        let text = std::process::Command::new("pdftotext")
            .args(["-layout"])
            .arg(&report)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).into_owned();
        let wants: &[&str] = if lang.is_none() {
            &[
                "Tóm tắt",
                "crl-good.pdf",
                "crl-revoked.pdf",
                "chứng thư đã bị thu hồi",
                "Chữ ký 1",
            ]
        } else {
            &["Summary", "crl-revoked.pdf", "certificate revoked", "Signature 1"]
        };
        for want in wants {
            assert!(text.contains(want), "{want} missing from:\n{text}");
        }
        // The summary comes before the first file's details.
        assert!(text.find(wants[0]).unwrap() < text.find(wants[wants.len() - 1]).unwrap());
        for enum_name in [
            "TotalFailed",
            "TotalPassed",
            "Revoked",
            "Indeterminate",
            "NoCertificateChainFound",
        ] {
            assert!(!text.contains(enum_name), "{enum_name} in:\n{text}");
        }
    }
}
