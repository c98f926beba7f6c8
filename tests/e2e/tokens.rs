use crate::support::*;

#[test]
fn lists_the_token_with_pin_flags_and_every_certificate() {
    let f = fixtures();
    let o = kyso(&["tokens", "--json", "--pkcs11", f.module.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&o);
    let tokens = v["modules"][0]["tokens"].as_array().unwrap();
    assert_eq!(
        tokens.len(),
        1,
        "SoftHSM's empty extra slot must not be listed: {v}"
    );
    let t = &tokens[0];
    assert_eq!(t["label"], "KYSO-TEST");
    assert_eq!(t["pin"]["locked"], false);
    assert_eq!(t["pin"]["final_try"], false);
    let certs = t["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 5);
    let by_id = |id: &str| certs.iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(by_id("01")["key"], "RSA-2048");
    assert_eq!(by_id("02")["key"], "RSA-3072");
    assert_eq!(by_id("03")["key"], "ECDSA P-256");
    assert_eq!(by_id("01")["identity"]["common_name"], "Nguyễn Văn An");
    assert_eq!(by_id("01")["identity"]["uid"], "CCCD:024090000001");
    assert_eq!(by_id("01")["signing_certificate"], true);
    assert_eq!(
        by_id("a2")["signing_certificate"],
        false,
        "the root is a CA certificate"
    );
    assert_eq!(by_id("01")["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn a_missing_driver_is_a_clear_error() {
    let o = kyso(&["tokens", "--json", "--pkcs11", "/nonexistent/libbit4xpki.so"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v["modules"][0]["error"]["code"], "DRIVER_MISSING");
}

#[test]
fn with_a_pin_each_certificate_is_paired_with_its_key() {
    let f = fixtures();
    let o = kyso(&[
        "tokens",
        "--json",
        "--pkcs11",
        f.module.to_str().unwrap(),
        "--pin-env",
        "KYSO_PIN",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&o);
    let certs = v["modules"][0]["tokens"][0]["certificates"]
        .as_array()
        .unwrap()
        .clone();
    for c in &certs {
        let expect = ["01", "02", "03"].contains(&c["id"].as_str().unwrap());
        assert_eq!(c["has_private_key"], expect, "{c}");
    }
    // Without a PIN SoftHSM hides private keys: unknown, not "no".
    let o = kyso(&["tokens", "--json", "--pkcs11", f.module.to_str().unwrap()]);
    let v = json(&o);
    assert!(v["modules"][0]["tokens"][0]["certificates"][0]["has_private_key"].is_null());
}
