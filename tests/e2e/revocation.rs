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
