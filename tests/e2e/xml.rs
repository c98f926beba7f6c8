//! XML signatures end to end: `kyso sign FILE.xml` with every kind of signer (the SoftHSM2
//! token, a .p12, a remote SmartCA service), checked by xmlsec1 (libxmlsec1, an independent
//! implementation) and by `kyso verify`; files signed by xmlsec1 (RSA-SHA256 and RSA-SHA1, C14N
//! with and without comments) and by signxml checked by Kyso; each tampering a specific failure.
//! The forms are written by `tests/fixtures/make_xml.py` (Vietnamese text, namespaces, CRLF).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::*;

const INV_ID: &str = "DLHDon-TS24_2111051448445960106322455";
const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// The real-shaped forms, written once per run.
fn forms() -> &'static PathBuf {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let dir = fixtures().pki.join("../xml");
        let o = Command::new("python3")
            .arg(repo_root().join("tests/fixtures/make_xml.py"))
            .arg("forms")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        dir
    })
}

fn form(name: &str) -> PathBuf {
    forms().join(name)
}

fn ok(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "{}\n{}",
        stdout(o),
        String::from_utf8_lossy(&o.stderr)
    );
    json(o)
}

fn token(input: &Path, output: &Path, extra: &[&str]) -> serde_json::Value {
    sign_token(input, output, "01", extra)
}

fn p12(input: &Path, output: &Path, name: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    ok(&sign_p12_file(input, output, name, &args))
}

/// xmlsec1 verifies the signature with this `Id`, trusting the test root (the intermediate
/// given as untrusted, as a validator that has the CA's certificate would), with `ids`
/// registered as ID attributes (`Id` of those elements; `id:NAME` for HTKK's lowercase `id`).
fn xmlsec1_verifies(file: &Path, sig_id: &str, ids: &[&str]) -> Result<(), String> {
    let pki = &fixtures().pki;
    let mut cmd = Command::new("xmlsec1");
    cmd.arg("--verify")
        .arg("--trusted-pem")
        .arg(pki.join("root.cert.pem"))
        .arg("--untrusted-pem")
        .arg(pki.join("intermediate.cert.pem"))
        .args(["--id-attr:Id", &format!("{DSIG}:Signature"), "--node-id", sig_id]);
    for id in ids {
        match id.strip_prefix("id:") {
            Some(el) => cmd.args(["--id-attr:id", el]),
            None => cmd.args(["--id-attr:Id", id]),
        };
    }
    let o = cmd.arg(file).output().unwrap();
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// `kyso verify --json` trusting the test root (and `extra` anchors).
fn kyso_check(file: &Path, offline: bool, extra: &[&Path]) -> (i32, serde_json::Value) {
    let root = fixtures().root_pem();
    let mut args = vec!["verify", "--json", "--trust", root.to_str().unwrap()];
    if offline {
        args.push("--offline");
    }
    for e in extra {
        args.push("--trust");
        args.push(e.to_str().unwrap());
    }
    args.push(file.to_str().unwrap());
    let o = kyso(&args);
    (o.status.code().unwrap_or(-1), json(&o))
}

fn sigs(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["files"][0]["signatures"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn all_passed(file: &Path, n: usize) -> Vec<serde_json::Value> {
    let (code, v) = kyso_check(file, true, &[]);
    let s = sigs(&v);
    assert_eq!(s.len(), n, "{v}");
    assert!(s.iter().all(|s| s["indication"] == "TOTAL_PASSED"), "{v}");
    assert_eq!(code, 0);
    s
}

/// Vietnam local time now, as the forms write SigningTime (no zone).
fn vn_now() -> String {
    kyso_core::timefmt::vietnam_iso(kyso_core::timefmt::now())
        .trim_end_matches("+07:00")
        .to_string()
}

#[test]
fn invoice_seller_token_buyer_p12_tax_authority_remote_each_stays_valid() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    // The seller with the token (RSA-2048), into NBan: the next free place.
    let v = token(&form("einvoice.xml"), &d("inv1.xml"), &[]);
    assert_eq!(v["level"], "B-B");
    assert_eq!(v["form"], "einvoice");
    assert_eq!(v["slot"], "NBan");
    assert_eq!(v["slot_path"], "/HDon/DSCKS/NBan");
    assert_eq!(v["reference"], "/HDon/DLHDon");
    xmlsec1_verifies(&d("inv1.xml"), "NBan", &["DLHDon"]).unwrap();
    // The buyer with a .p12 (ECDSA P-256), into NMua.
    let v = p12(&d("inv1.xml"), &d("inv2.xml"), "ec256", &[]);
    assert_eq!(v["slot"], "NMua");
    // The tax authority through a remote service (the phone only sees the digest), into CQT;
    // it also signs MCCQT.
    let http = crate::remote::services().get("http");
    let service = format!("{http}/smartca");
    let o = crate::remote::sign(
        &d("inv2.xml"),
        &d("inv3.xml"),
        &[
            "--signer",
            "smartca",
            "--service",
            &service,
            "--client-id",
            "kyso-sp",
            "--secret-env",
            "SP_PWD",
            "--user",
            "ok",
            "--wait",
            "4",
            "--xml-into",
            "CQT",
        ],
        &[("SP_PWD", "sp-secret")],
    );
    let v = ok(&o);
    assert_eq!(v["slot"], "CQT", "{v}");
    for (file, ids) in [
        ("inv2.xml", &["NBan", "NMua"][..]),
        ("inv3.xml", &["NBan", "NMua", "CQT"][..]),
    ] {
        for id in ids {
            xmlsec1_verifies(&d(file), id, &["DLHDon", "MCCQT"])
                .unwrap_or_else(|e| panic!("xmlsec1 rejects {id} in {file}: {e}"));
        }
    }
    let s = all_passed(&d("inv3.xml"), 3);
    let slots: Vec<_> = s.iter().map(|s| s["xml"]["slot"].clone()).collect();
    assert_eq!(slots, ["NBan", "NMua", "CQT"]);
    assert_eq!(s[0]["signer"]["common_name"], "Nguyễn Văn An");
    assert_eq!(s[1]["signer"]["common_name"], "Lê Văn Cường");
    assert_eq!(s[2]["xml"]["references"].as_array().unwrap().len(), 3);
    assert_eq!(s[0]["sub_filter"], "XMLDSig");
    assert!(s[0]["certificate_serial"].as_str().is_some_and(|x| !x.is_empty()));
    // Outside the signatures the file is byte for byte the seller's input.
    let before = std::fs::read(form("einvoice.xml")).unwrap();
    let after = std::fs::read(d("inv3.xml")).unwrap();
    assert!(after.len() > before.len());
    assert_eq!(&after[..200], &before[..200]);
    // XML signings are journaled like PDFs: two signings with one data folder, then the
    // journal of that folder (each run above had a data folder of its own).
    let data = d("data");
    let env = [("KYSO_DATA_DIR", data.to_str().unwrap())];
    for (input, output, who) in [
        ("einvoice.xml", "j1.xml", "rsa2048"),
        ("j1.xml", "j2.xml", "ec256"),
    ] {
        let input = if input == "einvoice.xml" {
            form(input)
        } else {
            d(input)
        };
        let o = sign_p12_env(&input, &d(output), who, &["--json"], &env);
        ok(&o);
    }
    let j = json(&kyso_env(&["journal", "--json"], &env));
    let outputs: Vec<String> = j["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sign" && e["result"] == "ok")
        .filter_map(|e| e["output"].as_str().map(str::to_string))
        .collect();
    assert_eq!(outputs.len(), 2, "{j}");
    for name in ["j1.xml", "j2.xml"] {
        assert!(outputs.iter().any(|o| o.ends_with(name)), "{name}: {j}");
    }
}

#[test]
fn tax_declaration_with_comments_and_bhxh_dossier_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    // HTKK: lowercase id, default namespace on the root, SignedInfo with comments.
    let v = p12(&form("tokhai.xml"), &d("tk.xml"), "rsa3072", &["--c14n-comments"]);
    assert_eq!(v["slot"], "CKyDTu");
    assert!(std::fs::read_to_string(d("tk.xml"))
        .unwrap()
        .contains("20010315#WithComments"));
    xmlsec1_verifies(&d("tk.xml"), "CKyDTu", &["id:HSoKhaiThue"]).unwrap();
    all_passed(&d("tk.xml"), 1);
    // BHXH: the three forms with the token, each into its own Cky, then the unit.
    let mut cur = form("bhxh.xml");
    for (i, want) in ["D02-TS", "D03-TS", "TK3-TS"].iter().enumerate() {
        let out = d(&format!("bh{i}.xml"));
        let v = token(&cur, &out, &[]);
        assert_eq!(v["slot"], "Cky");
        assert!(
            v["reference"]
                .as_str()
                .unwrap()
                .contains(&format!("ToKhai[{}]", i + 1)),
            "{v} {want}"
        );
        cur = out;
    }
    let v = p12(&cur, &d("bh-unit.xml"), "rsa2048", &["--xml-profile", "bhxh"]);
    assert_eq!(v["slot"], "CKy_Dvi");
    for id in ["Cky", "Cky-2", "Cky-3", "CKy_Dvi"] {
        xmlsec1_verifies(&d("bh-unit.xml"), id, &["ToKhai", "Hoso"])
            .unwrap_or_else(|e| panic!("xmlsec1 rejects {id}: {e}"));
    }
    all_passed(&d("bh-unit.xml"), 4);
    // The unit first and a form after it would break the unit's signature: refused, nothing written.
    p12(
        &form("bhxh.xml"),
        &d("unit-first.xml"),
        "rsa2048",
        &["--xml-into", "CKy_Dvi"],
    );
    let out = d("broken.xml");
    let o = sign_token_output(&d("unit-first.xml"), &out, "01", &["--xml-ref", "D02-TS"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["error"]["code"], "XML_WOULD_BREAK", "{}", stdout(&o));
    assert!(!out.exists());
}

#[test]
fn level_choices_pss_and_detached_for_xml() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixtures();
    let inv = form("einvoice.xml");
    // A TSA given: PDFs would default to B-T; XML is B-B and is not refused for it.
    let out = dir.path().join("default.xml");
    let v = p12(&inv, &out, "rsa2048", &["--tsa", &f.tsa_url]);
    assert_eq!(v["level"], "B-B");
    // B-T asked for explicitly: refused, with the reason, before anything is signed.
    for extra in [&["--level", "B-T", "--tsa", &f.tsa_url][..], &["--pss"][..]] {
        let out = dir.path().join("refused.xml");
        let mut args = vec!["--json"];
        args.extend_from_slice(extra);
        let o = sign_p12_file(&inv, &out, "rsa2048", &args);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        let e = json(&o)["error"].clone();
        assert_eq!(e["code"], "POLICY", "{e}");
        assert!(e["message"].as_str().unwrap().contains("XML"), "{e}");
        assert!(!out.exists());
    }
    // --detached still makes a .p7s of the XML file as bytes.
    let out = dir.path().join("inv.xml.p7s");
    let o = sign_p12_file(&inv, &out, "rsa2048", &["--detached", "--json"]);
    ok(&o);
    assert!(out.exists());
    // The generic shape of a document-management system's data: its only Id.
    let out = dir.path().join("data-signed.xml");
    let v = token(&form("data.xml"), &out, &[]);
    assert_eq!(v["reference"], "/HoSoVanBan/DU_LIEU");
    xmlsec1_verifies(&out, "Signature", &["DU_LIEU"]).unwrap();
    all_passed(&out, 1);
}

#[test]
fn revocation_is_judged_as_for_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xml");
    let revoked = dir.path().join("revoked.xml");
    p12(&form("einvoice.xml"), &good, "crl-good", &[]);
    p12(&form("einvoice.xml"), &revoked, "crl-revoked", &[]);
    let (code, v) = kyso_check(&good, false, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(sigs(&v)[0]["revocation"], "GOOD");
    let (code, v) = kyso_check(&revoked, false, &[]);
    let s = &sigs(&v)[0];
    assert_eq!(code, 1);
    assert_eq!(s["indication"], "TOTAL_FAILED", "{s}");
    assert_eq!(s["sub_indication"], "REVOKED");
}

/// `make_xml.py template` + `xmlsec1 --sign` with the test PKI's keys.
fn xmlsec1_sign(input: &Path, out: &Path, key: &str, template: &[&str], ids: &[&str]) {
    let pki = &fixtures().pki;
    let tmpl = out.with_extension("tmpl.xml");
    let o = Command::new("python3")
        .arg(repo_root().join("tests/fixtures/make_xml.py"))
        .arg("template")
        .arg(input)
        .arg(&tmpl)
        .args(template)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sig_id = template
        .iter()
        .position(|a| *a == "--sig-id")
        .map(|i| template[i + 1])
        .unwrap();
    let mut cmd = Command::new("xmlsec1");
    cmd.arg("--sign").arg("--privkey-pem").arg(format!(
        "{},{},{}",
        pki.join(format!("{key}.key.pem")).display(),
        pki.join(format!("{key}.cert.pem")).display(),
        pki.join("intermediate.cert.pem").display()
    ));
    cmd.args(["--id-attr:Id", &format!("{DSIG}:Signature"), "--node-id", sig_id]);
    for id in ids {
        match id.strip_prefix("id:") {
            Some(el) => cmd.args(["--id-attr:id", el]),
            None => cmd.args(["--id-attr:Id", id]),
        };
    }
    let o = cmd.arg("--output").arg(out).arg(&tmpl).output().unwrap();
    assert!(
        o.status.success(),
        "xmlsec1 --sign: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn files_signed_by_xmlsec1_and_signxml_verify_in_kyso() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n);
    // (the test certificates are made first: the signing time must not precede them)
    let inter = fixtures().pki.join("intermediate.cert.pem");
    let now = vn_now();
    // (form, output, template flags, ID attributes, SHA-1?)
    type Case<'a> = (&'a str, &'a str, Vec<&'a str>, &'a [&'a str], bool);
    let cases: [Case; 6] = [
        (
            "einvoice.xml",
            "x-rsa256.xml",
            vec!["--slot", "DSCKS/NBan", "--ref", INV_ID, "--sig-id", "NBan"],
            &["DLHDon"],
            false,
        ),
        (
            "einvoice.xml",
            "x-rsa256-wc.xml",
            vec![
                "--slot",
                "DSCKS/NBan",
                "--ref",
                INV_ID,
                "--sig-id",
                "NBan",
                "--c14n",
                "incl-wc",
            ],
            &["DLHDon"],
            false,
        ),
        (
            "einvoice-lf.xml",
            "x-rsa1.xml",
            vec![
                "--slot",
                "DSCKS/NBan",
                "--ref",
                INV_ID,
                "--sig-id",
                "NBan",
                "--alg",
                "rsa-sha1",
            ],
            &["DLHDon"],
            true,
        ),
        (
            "einvoice.xml",
            "x-rsa1-wc.xml",
            vec![
                "--slot",
                "DSCKS/NBan",
                "--ref",
                INV_ID,
                "--sig-id",
                "NBan",
                "--alg",
                "rsa-sha1",
                "--c14n",
                "incl-wc",
                "--empty-ns-props",
            ],
            &["DLHDon"],
            true,
        ),
        (
            "tokhai.xml",
            "x-tokhai-wc.xml",
            vec![
                "--slot", "CKyDTu", "--ref", "ID_1", "--sig-id", "CKyDTu", "--c14n", "incl-wc",
            ],
            &["id:HSoKhaiThue"],
            false,
        ),
        (
            "bhxh.xml",
            "x-bhxh-form.xml",
            vec!["--slot", "Cky", "--ref", "D02-TS", "--sig-id", "Cky"],
            &["ToKhai"],
            false,
        ),
    ];
    for (input, out, mut tmpl, ids, sha1) in cases {
        tmpl.extend_from_slice(&["--time", &now]);
        xmlsec1_sign(&form(input), &d(out), "rsa2048", &tmpl, ids);
        let (code, v) = kyso_check(&d(out), true, &[&inter]);
        let s = sigs(&v);
        assert_eq!(s.len(), 1, "{out}: {v}");
        assert_eq!(s[0]["integrity"]["digest_matches"], true, "{out}: {v}");
        assert_eq!(s[0]["integrity"]["signature_valid"], true, "{out}: {v}");
        if sha1 {
            // SHA-1 is verified and flagged weak: undecided, not valid.
            assert_eq!(s[0]["indication"], "INDETERMINATE", "{out}: {v}");
            assert_eq!(s[0]["sub_indication"], "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
            assert!(s[0]["findings"].to_string().contains("SHA-1"), "{out}: {v}");
        } else {
            assert_eq!(s[0]["indication"], "TOTAL_PASSED", "{out}: {v}");
            assert_eq!(code, 0);
        }
    }
    // Two xmlsec1 signatures in one file: the seller (SHA-256), then the buyer (SHA-1, with
    // comments); then Kyso adds the tax authority's, and all three still hold.
    xmlsec1_sign(
        &d("x-rsa256.xml"),
        &d("x-two.xml"),
        "rsa3072",
        &[
            "--slot",
            "DSCKS/NMua",
            "--ref",
            INV_ID,
            "--sig-id",
            "NMua",
            "--alg",
            "rsa-sha1",
            "--c14n",
            "incl-wc",
            "--time",
            &now,
        ],
        &["DLHDon"],
    );
    let (_, v) = kyso_check(&d("x-two.xml"), true, &[&inter]);
    let ind: Vec<_> = sigs(&v).iter().map(|s| s["indication"].clone()).collect();
    assert_eq!(ind, ["TOTAL_PASSED", "INDETERMINATE"], "{v}");
    let v = token(&d("x-two.xml"), &d("x-three.xml"), &["--xml-into", "CQT"]);
    assert_eq!(v["slot"], "CQT");
    xmlsec1_verifies(&d("x-three.xml"), "CQT", &["DLHDon", "MCCQT"]).unwrap();
    xmlsec1_verifies(&d("x-three.xml"), "NMua", &["DLHDon", "MCCQT"]).unwrap();

    // signxml (PyPI) signs the e-invoice as the public samples are (no namespace
    // declarations), RSA-SHA256 and ECDSA-SHA256; Kyso and xmlsec1 both accept it.
    let pki = &fixtures().pki;
    for (key, alg) in [("rsa2048", "rsa-sha256"), ("ec256", "ecdsa-sha256")] {
        let out = d(&format!("signxml-{key}.xml"));
        let o = Command::new(repo_root().join("target/test-venv/bin/python"))
            .arg(repo_root().join("tests/fixtures/signxml_sign.py"))
            .arg(form("einvoice-plain.xml"))
            .arg(&out)
            .arg(pki.join(format!("{key}.key.pem")))
            .arg(pki.join(format!("{key}.cert.pem")))
            .args(["DSCKS/NBan", INV_ID, alg])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "signxml: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let (code, v) = kyso_check(&out, true, &[&inter]);
        assert_eq!(code, 0, "{key}: {v}");
        assert_eq!(sigs(&v)[0]["indication"], "TOTAL_PASSED");
        // signxml writes no Id on its Signature: xmlsec1 finds it by itself.
        let o = Command::new("xmlsec1")
            .arg("--verify")
            .arg("--trusted-pem")
            .arg(pki.join("root.cert.pem"))
            .arg("--untrusted-pem")
            .arg(&inter)
            .args(["--id-attr:Id", "DLHDon"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn each_tampering_is_a_specific_failure_and_nothing_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let signed = dir.path().join("signed.xml");
    p12(&form("einvoice.xml"), &signed, "rsa2048", &[]);
    let s = std::fs::read_to_string(&signed).unwrap();
    let a = s.find("<Signature xmlns=").unwrap();
    let b = s.find("</Signature>").unwrap() + "</Signature>".len();
    let sig = &s[a..b];
    let d0 = s.find("<DLHDon ").unwrap();
    let d1 = s.find("</DLHDon>").unwrap() + "</DLHDon>".len();
    let data = &s[d0..d1];
    let bomb_dtd = {
        let mut e = String::from("<!DOCTYPE HDon [<!ENTITY a \"aaaaaaaaaa\">");
        for i in 0..9u8 {
            let (n, p) = ((b'b' + i) as char, (b'a' + i) as char);
            e.push_str(&format!("<!ENTITY {n} \"{}\">", format!("&{p};").repeat(10)));
        }
        e.push_str("]>\r\n");
        e
    };
    // (name, content, expected sub-indication or file error code, text in the findings)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "changed-char",
            s.replacen("<TgTTTBSo>23769504<", "<TgTTTBSo>93769504<", 1),
            "HASH_FAILURE",
            "changed after signing",
        ),
        (
            "moved-signature",
            format!("{}{}", &s[..a], &s[b..]).replacen("</HDon>", &format!("{sig}</HDon>"), 1),
            "FORMAT_FAILURE",
            "it was moved",
        ),
        (
            "duplicated-id",
            s.replacen(data, &data.replacen("<TgTTTBSo>23769504<", "<TgTTTBSo>1<", 1), 1)
                .replacen("</Signature>", &format!("<Object>{data}</Object></Signature>"), 1),
            "FORMAT_FAILURE",
            "occurs 2 times",
        ),
        (
            "external-reference",
            s.replacen(&format!("URI=\"#{INV_ID}\""), "URI=\"file:///etc/hostname\"", 1),
            "FORMAT_FAILURE",
            "outside the file",
        ),
        (
            "http-reference",
            s.replacen(
                &format!("URI=\"#{INV_ID}\""),
                "URI=\"http://127.0.0.1:9/x.xml\"",
                1,
            ),
            "FORMAT_FAILURE",
            "outside the file",
        ),
        (
            "xslt",
            s.replacen(
                "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
                "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>",
                1,
            ),
            // the transform is part of SignedInfo: changing it breaks the value, and the
            // transform itself is named, not run
            "SIG_CRYPTO_FAILURE",
            "does not run",
        ),
        (
            "signing-time",
            {
                let t0 = s.find("<SigningTime>").unwrap() + "<SigningTime>".len();
                format!("{}2020-01-01T00:00:00{}", &s[..t0], &s[t0 + 19..])
            },
            "HASH_FAILURE",
            "SigningTime",
        ),
        (
            "entity-bomb",
            s.replacen("<HDon ", &format!("{bomb_dtd}<HDon "), 1),
            "XML_DTD",
            "",
        ),
        (
            "xxe",
            s.replacen(
                "<HDon ",
                "<!DOCTYPE HDon [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\r\n<HDon ",
                1,
            )
            .replacen("<DVTTe>VND</DVTTe>", "<DVTTe>&x;</DVTTe>", 1),
            "XML_DTD",
            "",
        ),
        (
            "deep-nesting",
            s.replacen(
                "<TTKhac/>",
                &format!("{}{}", "<a>".repeat(5000), "</a>".repeat(5000)),
                1,
            ),
            "XML_TOO_DEEP",
            "",
        ),
    ];
    for (name, content, want, text) in cases {
        let f = dir.path().join(format!("{name}.xml"));
        std::fs::write(&f, &content).unwrap();
        let (code, v) = kyso_check(&f, true, &[]);
        assert_eq!(code, 1, "{name}: {v}");
        let file = &v["files"][0];
        assert_eq!(file["verdict"], "TOTAL_FAILED", "{name}: {v}");
        if want.starts_with("XML_") {
            assert_eq!(file["error"]["code"], want, "{name}: {v}");
        } else {
            let s = &sigs(&v)[0];
            assert_eq!(s["sub_indication"], want, "{name}: {s}");
            assert!(s["findings"].to_string().contains(text), "{name}: {s}");
        }
        // xmlsec1 must not accept any of them either (it is the independent opinion; the
        // moved signature is the one it cannot see, being no profile checker).
        if name != "moved-signature" && !name.starts_with("entity") {
            assert!(
                xmlsec1_verifies(&f, "NBan", &["DLHDon"]).is_err(),
                "xmlsec1 accepts {name}"
            );
        }
    }
}
