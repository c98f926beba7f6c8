//! PAdES B-T: signature timestamps from a real TSA (`openssl ts -reply` on 127.0.0.1),
//! checked by kyso, pyHanko, pdfsig, qpdf and openssl; revocation judged at the time the
//! timestamp proves.

use crate::support::*;

fn first_sig(v: &serde_json::Value) -> serde_json::Value {
    v["files"][0]["signatures"][0].clone()
}

#[test]
fn a_b_t_signature_is_accepted_by_every_validator() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bt.pdf");
    let v = sign_token(
        &f.pdf("v17-classic.pdf"),
        &out,
        "01",
        &["--level", "B-T", "--tsa", &f.tsa_url],
    );
    let proven = v["timestamp"]
        .as_i64()
        .expect("the outcome names the proven time");
    assert!((proven - kyso_core_now()).abs() < 600, "{v}");
    assert_eq!(v["tsa_url"], f.tsa_url.as_str());

    let (code, r) = kyso_verify(&[&out]);
    let s = first_sig(&r);
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["indication"], "TOTAL_PASSED");
    assert_eq!(s["has_timestamp"], true);
    assert!(
        s["findings"].to_string().contains("Valid signature timestamp"),
        "{s}"
    );
    // The proven time, beside the claimed one: the TSA's, within seconds of the claim.
    assert_eq!(s["timestamp"]["trusted"], true, "{s}");
    assert_eq!(s["timestamp"]["tsa"], "Kyso Test TSA", "{s}");
    let secs = |t: &serde_json::Value| unix_seconds(t.as_str().unwrap());
    assert!(
        (secs(&s["timestamp"]["time"]) - proven).abs() <= 1,
        "{s} vs {proven}"
    );
    assert!((secs(&s["claimed_time"]) - proven).abs() < 60, "{s}");

    assert_eq!(pdfsig(&out), vec![(true, true, true)]);
    assert!(qpdf_ok(&out));
    assert!(openssl_cms_verify(&out, 0, dir.path()));
    // pyHanko validates the timestamp token too: its summary names it, intact and trusted.
    let (text, ok) = pyhanko_summary(&out, &[]);
    assert!(ok, "{text}");
    assert!(
        text.contains(":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED"),
        "{text}"
    );

    // One flipped byte in the timestamp's part of /Contents breaks it.
    let mut bytes = std::fs::read(&out).unwrap();
    let br = byte_ranges(&bytes)[0];
    let contents = hex_decode(&bytes[br[1] + 1..br[2] - 1]);
    let ts_at = find(&contents, b"Kyso Test TSA").expect("the token carries the TSA certificate");
    let hex_pos = br[1] + 1 + 2 * (ts_at + 3);
    bytes[hex_pos] = if bytes[hex_pos] == b'0' { b'1' } else { b'0' };
    let bad = dir.path().join("bt-bad.pdf");
    std::fs::write(&bad, &bytes).unwrap();
    let (code, r) = kyso_verify(&[&bad]);
    assert_ne!(code, 0, "{r}");
    assert_ne!(first_sig(&r)["indication"], "TOTAL_PASSED");
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Unix seconds of an RFC 3339 UTC time `YYYY-MM-DDThh:mm:ssZ` (days from civil).
fn unix_seconds(t: &str) -> i64 {
    let n = |a: usize, b: usize| t[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

fn kyso_core_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn revoked_after_a_timestamped_signing_passes_revoked_before_fails() {
    let f = fixtures();
    // Signed (B-T) by the fixtures before its certificate was revoked.
    let late = f.pki.join("late-revoked-bt.pdf");
    let (code, r) = kyso_verify(&[&late]);
    let s = first_sig(&r);
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["indication"], "TOTAL_PASSED", "{s}");
    assert_eq!(s["revocation"], "REVOKED");
    assert!(s["findings"].to_string().contains("revoked later"), "{s}");

    // The same signing timestamped by a TSA whose certificate had been revoked: that
    // timestamp proves nothing, so nothing proves the signing came before the revocation.
    let bad_tsa = f.pki.join("late-revoked-bt-revoked-tsa.pdf");
    let (code, r) = kyso_verify(&[&bad_tsa]);
    let s = first_sig(&r);
    assert_eq!(code, 1, "{s}");
    assert_eq!(s["indication"], "INDETERMINATE", "{s}");
    assert_eq!(s["sub_indication"], "REVOKED_NO_POE", "{s}");
    assert!(
        s["findings"]
            .to_string()
            .contains("timestamp authority Kyso Revoked TSA was revoked on"),
        "{s}"
    );
    assert_eq!(s["timestamp"]["trusted"], false, "{s}");
    assert_eq!(s["timestamp"]["tsa"], "Kyso Revoked TSA", "{s}");

    // Without a timestamp the same revocation leaves no proof of the signing time.
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("late-bb.pdf");
    sign_p12_ok(&f.pdf("v17-classic.pdf"), &plain, "crl-late", &[]);
    let (code, r) = kyso_verify(&[&plain]);
    let s = first_sig(&r);
    assert_eq!(code, 1);
    assert_eq!(s["indication"], "TOTAL_FAILED", "{s}");
    assert_eq!(s["sub_indication"], "REVOKED", "{s}");

    // Revoked before the timestamped signing: failed, timestamp or not.
    let before = dir.path().join("revoked-bt.pdf");
    sign_p12_ok(
        &f.pdf("v17-classic.pdf"),
        &before,
        "crl-revoked",
        &["--tsa", &f.tsa_url],
    );
    let (code, r) = kyso_verify(&[&before]);
    let s = first_sig(&r);
    assert_eq!(code, 1);
    assert_eq!(s["sub_indication"], "REVOKED", "{s}");
}

#[test]
fn an_unreachable_or_broken_tsa_stops_before_the_pin_and_falls_back_in_order() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let garbage = format!("http://127.0.0.1:{}/tsa-garbage", f.http_port);
    for url in ["http://127.0.0.1:1/tsa", garbage.as_str()] {
        let o = kyso_env(
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
                "NO_PIN_SET",
                "--tsa",
                url,
                "--no-queue",
            ],
            &[],
        );
        assert_eq!(o.status.code(), Some(1));
        let v = json(&o);
        // The TSA is asked before the PIN: the missing PIN is never reached.
        assert_eq!(v["error"]["code"], "TSA_UNAVAILABLE", "{v}");
        assert!(v["error"]["message"].as_str().unwrap().contains(url), "{v}");
        assert!(!out.exists());
    }
    // B-T without any TSA is a clear refusal.
    let o = sign_p12_file(
        &f.pdf("v17-classic.pdf"),
        &out,
        "rsa2048",
        &["--json", "--level", "B-T"],
    );
    assert_eq!(json(&o)["error"]["code"], "POLICY");
    assert!(!out.exists());
    // The first TSA is down, the second answers.
    let v = sign_token(
        &f.pdf("v17-classic.pdf"),
        &out,
        "01",
        &["--tsa", "http://127.0.0.1:1/tsa", "--tsa", &f.tsa_url],
    );
    assert_eq!(v["tsa_url"], f.tsa_url.as_str());
    assert_eq!(kyso_verify(&[&out]).0, 0);

    // Without --tsa, the TSA configured in the app's settings is used.
    let cfg = dir.path().join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("settings.json"),
        serde_json::json!({ "tsa_urls": [f.tsa_url] }).to_string(),
    )
    .unwrap();
    let out2 = dir.path().join("from-settings.pdf");
    let o = sign_p12_env(
        &f.pdf("v17-classic.pdf"),
        &out2,
        "rsa2048",
        &["--json", "--level", "B-T"],
        &[("KYSO_CONFIG_DIR", cfg.to_str().unwrap())],
    );
    assert_eq!(json(&o)["tsa_url"], f.tsa_url.as_str(), "{}", stdout(&o));
}
