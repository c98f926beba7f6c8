//! Three attacks on certified documents that the changes-after-signing analysis must catch
//! (issue 13, point 5). Each document is certified by kyso, then attacked by an incremental
//! update written with pyHanko's own writer (`tests/fixtures/certify.py`), as a real tool
//! would write it; kyso's verdict and finding are asserted, and pyHanko's verdict on the same
//! file is compared — where the two differ on purpose, `agreement::ATTACKS` says why.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::agreement::ATTACKS;
use crate::certified::helper;
use crate::support::*;

/// `form.pdf` (or `input`) certified by kyso at DocMDP level `p`, in field `ChungThuc`.
fn kyso_certified(input: &Path, out: &Path, p: u8) -> PathBuf {
    sign_p12_ok(
        input,
        out,
        "rsa2048",
        &["--field", "ChungThuc", "--certify", &p.to_string()],
    );
    out.to_path_buf()
}

/// Kyso's report of the certification signature.
fn certification(file: &Path) -> Value {
    let (_, v) = kyso_verify_offline(&[file]);
    v["files"][0]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["field"] == "ChungThuc")
        .unwrap_or_else(|| panic!("no certification signature in {v}"))
        .clone()
}

/// The one change kyso reports with `code`.
fn change<'a>(sig: &'a Value, code: &str) -> &'a Value {
    let all = sig["changes"].as_array().unwrap();
    let found: Vec<&Value> = all.iter().filter(|c| c["code"] == code).collect();
    assert_eq!(found.len(), 1, "one {code} expected: {sig}");
    found[0]
}

/// pyHanko's verdict on the certification signature agrees with kyso's — kyso calls the
/// changes illegal when one is forbidden — unless `agreement::ATTACKS` lists the case,
/// whose recorded pyHanko verdict must then still hold.
fn compare_with_pyhanko(case: &str, file: &Path, sig: &Value) {
    let (text, _) = pyhanko_summary(file, &[]);
    let line = text.lines().find(|l| l.starts_with("ChungThuc:")).unwrap_or("");
    assert!(line.contains("INTACT"), "pyHanko on {case}: {text}");
    let ph_illegal = line.contains("ILLEGAL");
    let ky_illegal = sig["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["severity"] == "FORBIDDEN");
    match ATTACKS.iter().find(|(c, _, _)| *c == case) {
        Some((_, verdict, _)) => {
            assert_ne!(
                ph_illegal, ky_illegal,
                "{case} is listed as a disagreement but both agree"
            );
            assert_eq!(
                *verdict == "pyhanko-illegal",
                ph_illegal,
                "pyHanko on {case}: {line}"
            );
        }
        None => assert_eq!(ph_illegal, ky_illegal, "pyHanko on {case}: {line}"),
    }
}

/// After a P=2 certification, a signature field nobody signs whose widget draws text over
/// the page fails; an empty one (a field prepared for the next signer) passes.
#[test]
fn an_unsigned_signature_field_drawing_on_a_certified_page_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = kyso_certified(&fixtures().pdf("form.pdf"), &d.join("p2.pdf"), 2);

    let drawn = d.join("p2-field-drawn.pdf");
    helper(&["add-field", c.to_str().unwrap(), drawn.to_str().unwrap(), "draws"]);
    let sig = certification(&drawn);
    assert_eq!(sig["indication"], "TOTAL_FAILED", "{sig}");
    assert_eq!(sig["sub_indication"], "CHANGES_NOT_ALLOWED");
    let f = change(&sig, "UNSIGNED_FIELD_DRAWN");
    assert_eq!(f["severity"], "FORBIDDEN");
    assert_eq!(f["field"], "KyThem");
    assert_eq!(f["annotation"], "Widget");
    assert_eq!(f["page"], 1);
    assert_eq!(f["rect"], serde_json::json!([350.0, 300.0, 550.0, 360.0]));
    assert!(f["what_vi"].as_str().unwrap().contains("KyThem"), "{f}");
    compare_with_pyhanko("p2-field-drawn", &drawn, &sig);

    let empty = d.join("p2-field-empty.pdf");
    helper(&["add-field", c.to_str().unwrap(), empty.to_str().unwrap(), "empty"]);
    let sig = certification(&empty);
    assert_eq!(sig["indication"], "TOTAL_PASSED", "{sig}");
    compare_with_pyhanko("p2-field-empty", &empty, &sig);
}

/// The "hide" shadow attack under P=2: a form XObject planted before certification where
/// nothing uses it; after certification the text field's appearance is pointed at it. Plain
/// form filling of the same planted document still passes.
#[test]
fn a_field_shown_through_an_object_hidden_when_certifying_fails() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let planted = d.join("planted.pdf");
    let hidden = helper(&[
        "plant",
        fixtures().pdf("form.pdf").to_str().unwrap(),
        planted.to_str().unwrap(),
    ]);
    let c = kyso_certified(&planted, &d.join("p2.pdf"), 2);
    // The signed original is sound.
    assert_eq!(certification(&c)["indication"], "TOTAL_PASSED");

    let revealed = d.join("p2-hide.pdf");
    helper(&[
        "reveal",
        c.to_str().unwrap(),
        revealed.to_str().unwrap(),
        &hidden,
        "99/QD-UBND",
    ]);
    let sig = certification(&revealed);
    assert_eq!(sig["indication"], "TOTAL_FAILED", "{sig}");
    assert_eq!(sig["sub_indication"], "CHANGES_NOT_ALLOWED");
    let f = change(&sig, "HIDDEN_OBJECT_SHOWN");
    assert_eq!(f["severity"], "FORBIDDEN");
    assert_eq!(f["object"].to_string(), hidden);
    assert_eq!(f["field"], "SoVanBan");
    assert_eq!(f["page"], 1);
    assert!(f["referenced_by"].is_u64(), "{f}");
    compare_with_pyhanko("p2-hide", &revealed, &sig);

    let filled = d.join("p2-filled.pdf");
    helper(&[
        "fill",
        c.to_str().unwrap(),
        filled.to_str().unwrap(),
        "01/QD-UBND",
    ]);
    assert_eq!(certification(&filled)["indication"], "TOTAL_PASSED");
}

/// Under P=3 a FreeText annotation over the signed heading is allowed by the standard, so it
/// is a warning naming the annotation, its page and rectangle — not a plain pass.
#[test]
fn free_text_over_signed_text_under_p3_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let c = kyso_certified(&fixtures().pdf("form.pdf"), &d.join("p3.pdf"), 3);
    let covered = d.join("p3-freetext.pdf");
    helper(&["freetext", c.to_str().unwrap(), covered.to_str().unwrap()]);
    let sig = certification(&covered);
    assert_eq!(sig["indication"], "INDETERMINATE", "{sig}");
    assert_eq!(sig["sub_indication"], "CHANGES_NOT_ALLOWED");
    let f = change(&sig, "ANNOTATION_OVER_TEXT");
    assert_eq!(f["severity"], "SUSPICIOUS");
    assert_eq!(f["annotation"], "FreeText");
    assert_eq!(f["page"], 1);
    assert_eq!(f["rect"], serde_json::json!([60.0, 750.0, 400.0, 780.0]));
    assert!(f["what"].as_str().unwrap().contains("/FreeText"), "{f}");
    compare_with_pyhanko("p3-freetext", &covered, &sig);
}
