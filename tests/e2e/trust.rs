//! The trust store (pinned Vietnamese authorities) and real government documents.

use std::path::{Path, PathBuf};

use crate::support::*;

fn shared(rel: &str) -> PathBuf {
    repo_root().join("../shared").join(rel)
}

fn trust(config: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["trust"];
    all.extend_from_slice(args);
    kyso_env(&all, &[("KYSO_CONFIG_DIR", config.to_str().unwrap())])
}

#[test]
fn only_pinned_authorities_or_explicit_custom_anchors_are_imported() {
    if !shared("trust").exists() {
        eprintln!("skipping: shared/trust absent");
        return;
    }
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path();
    let o = trust(
        cfg,
        &[
            "import",
            "--json",
            shared("trust/vgca-root-g2.pem").to_str().unwrap(),
            shared("trust/vgca-cp-g2.pem").to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["imported"][0]["role"], "root");
    assert_eq!(v["imported"][1]["role"], "intermediate");
    // Not pinned: refused unless --custom; a leaf is never an anchor.
    let o = trust(cfg, &["import", "--json", f.root_pem().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("matches none of the pinned"));
    let o = trust(
        cfg,
        &[
            "import",
            "--json",
            "--custom",
            f.pki.join("rsa2048.cert.pem").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = trust(
        cfg,
        &["import", "--json", "--custom", f.root_pem().to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&trust(cfg, &["list", "--json"]));
    assert_eq!(v["stored"].as_array().unwrap().len(), 3);
    assert!(v["pins"].as_array().unwrap().len() >= 4);
    // The custom anchor now makes our own signatures trusted without --trust.
    let out = dir.path().join("s.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &out, "01", &[]);
    let o = kyso_env(
        &["verify", "--json", out.to_str().unwrap()],
        &[("KYSO_CONFIG_DIR", cfg.to_str().unwrap())],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// Real VGCA-signed documents: intact ones keep every signature's integrity (and with the G2
/// root and intermediate imported, G2 chains build); files rewritten after signing fail.
#[test]
fn real_government_documents() {
    let pdfs = shared("corpus/vn-real/pdfs");
    if !pdfs.exists() || !shared("trust").exists() {
        eprintln!("skipping: shared corpus absent");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path();
    let o = trust(
        cfg,
        &[
            "import",
            shared("trust/vgca-root-g2.pem").to_str().unwrap(),
            shared("trust/vgca-cp-g2.pem").to_str().unwrap(),
            shared("trust/vgca-root-g1.pem").to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let intact = [
        "27f2c8e8", "77d0822d", "487a1288", "505ab9d8", "faf5fc3a", "2228706e", "565577ee", "bd14ca02",
        "da8ef571", "fa093b72",
    ];
    let rewritten = [
        "1cf5f64f", "842b23bf", "868998c5", "957164a4", "2bc9dde6", "629e04a7", "b2c9dd17", "dce5911d",
        "f4d682eb",
    ];
    let mut trusted_g2 = 0;
    for e in std::fs::read_dir(&pdfs).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let o = kyso_env(
            &["verify", "--json", e.path().to_str().unwrap()],
            &[("KYSO_CONFIG_DIR", cfg.to_str().unwrap())],
        );
        let v = json(&o);
        let file = &v["files"][0];
        let sigs = file["signatures"].as_array().unwrap();
        if intact.iter().any(|p| name.starts_with(p)) {
            assert!(!sigs.is_empty(), "{name}");
            for s in sigs {
                assert_eq!(s["integrity"]["digest_matches"], true, "{name}: {s}");
                assert_eq!(s["integrity"]["signature_valid"], true, "{name}: {s}");
                assert_ne!(s["indication"], "TOTAL_FAILED", "{name}: {s}");
                assert!(s["signer"]["common_name"].is_string());
            }
            if sigs.iter().all(|s| s["chain"]["trusted"] == true) {
                trusted_g2 += 1;
            }
        } else if rewritten.iter().any(|p| name.starts_with(p)) {
            assert_eq!(file["verdict"], "TOTAL_FAILED", "{name}: {file}");
        }
    }
    assert!(
        trusted_g2 >= 5,
        "G2 chains build through the imported intermediate ({trusted_g2})"
    );
}

/// Certificates from a URL (the loopback server stands in for the authority's site), PKCS#7
/// bundles, and a missing issuer fetched from the certificate's AIA caIssuers address.
#[test]
fn import_by_url_bundles_and_issuers_from_aia() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    let base = format!("http://127.0.0.1:{}", f.http_port);
    let o = trust(
        &cfg,
        &["import", "--json", "--custom", &format!("{base}/root.cert.pem")],
    );
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(json(&o)["imported"][0]["role"], "root");
    let o = trust(&cfg, &["import", "--json", &format!("{base}/no-such.crt")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        json(&o)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot download"),
        "{}",
        stdout(&o)
    );

    // A signature that embeds only the signer's certificate.
    let signed = dir.path().join("aia.pdf");
    sign_p12_ok(&f.pdf("v17-classic.pdf"), &signed, "aia-only", &[]);
    // Offline: the issuer is missing, so no chain.
    let (code, v) = kyso_verify_offline(&[&signed]);
    assert_eq!(code, 1);
    assert_eq!(
        v["files"][0]["signatures"][0]["sub_indication"],
        "NO_CERTIFICATE_CHAIN_FOUND"
    );
    // Online: fetched from the AIA address, then checked up to the root.
    let (code, v) = kyso_verify(&[&signed]);
    let s = &v["files"][0]["signatures"][0];
    assert_eq!(code, 0, "{s}");
    assert!(s["findings"].to_string().contains("(AIA)"), "{s}");
    assert_eq!(s["chain"]["path"].as_array().unwrap().len(), 3, "{s}");
    // A .p7b bundle works as --trust / intermediates input too.
    let o = kyso(&[
        "verify",
        "--json",
        "--offline",
        "--trust",
        f.pki.join("chain.p7b").to_str().unwrap(),
        signed.to_str().unwrap(),
    ]);
    let v = json(&o);
    assert_eq!(v["files"][0]["signatures"][0]["chain"]["trusted"], true, "{v}");
}

/// RFC 5280 §4.2: a certificate with a critical extension the verifier does not understand
/// cannot be part of a trusted path.
#[test]
fn an_unknown_critical_extension_breaks_the_chain() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crit.pdf");
    sign_p12_ok(&f.pdf("v17-classic.pdf"), &out, "crit-unknown", &[]);
    let (code, v) = kyso_verify_offline(&[&out]);
    let s = &v["files"][0]["signatures"][0];
    assert_eq!(code, 1);
    assert_eq!(s["sub_indication"], "NO_CERTIFICATE_CHAIN_FOUND", "{s}");
    assert_eq!(s["integrity"]["signature_valid"], true, "{s}");
}
