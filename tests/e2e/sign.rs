use std::path::Path;

use crate::support::*;

/// Every independent validator accepts the last signature of `signed`, and Kyso does too.
fn assert_accepted_everywhere(input: &Path, signed: &Path, hybrid: bool, dir: &Path) {
    let orig = std::fs::read(input).unwrap();
    let out = std::fs::read(signed).unwrap();
    assert!(
        out.starts_with(&orig),
        "{}: the input must be a byte-identical prefix",
        signed.display()
    );
    let sigs = pdfsig(signed);
    let last = sigs
        .last()
        .copied()
        .unwrap_or_else(|| panic!("pdfsig found no signature in {}", signed.display()));
    assert_eq!(
        last,
        (true, true, true),
        "pdfsig on {}: {sigs:?}",
        signed.display()
    );
    let summary = pyhanko_validate(signed, hybrid);
    assert!(
        !summary.is_empty()
            && summary
                .iter()
                .all(|l| l.ends_with(":VALID") || l.contains(":INTACT:TRUSTED")),
        "pyHanko on {}: {summary:?}",
        signed.display()
    );
    assert!(qpdf_ok(signed), "qpdf --check {}", signed.display());
    let n = byte_ranges(&out).len();
    assert!(
        openssl_cms_verify(signed, n - 1, dir),
        "openssl cms -verify {}",
        signed.display()
    );
    let (code, v) = kyso_verify(&[signed]);
    assert_eq!(code, 0, "kyso verify {}: {v}", signed.display());
    assert!(indications(&v).iter().all(|i| i == "TOTAL_PASSED"), "{v}");
}

#[test]
fn every_pdf_structure_signs_and_every_validator_accepts() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "v13-classic",
        "v17-classic",
        "xref-stream",
        "hybrid",
        "v20",
        "multi-rev",
        "indirect-annots",
        "vietnamese",
    ] {
        let input = f.pdf(&format!("{name}.pdf"));
        let output = dir.path().join(format!("{name}-signed.pdf"));
        let v = sign_token(&input, &output, "01", &[]);
        assert_eq!(v["field"], "Signature1");
        assert_eq!(v["signer"]["common_name"], "Nguyễn Văn An");
        assert_accepted_everywhere(&input, &output, name == "hybrid", dir.path());
    }
}

#[test]
fn every_key_type_and_hash_signs() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let input = f.pdf("xref-stream.pdf");
    for (id, extra, scheme) in [
        ("02", &[][..], "rsa-pkcs1"),
        ("03", &[][..], "ecdsa"),
        ("01", &["--pss"][..], "rsa-pss"),
        ("01", &["--hash", "sha384"][..], "rsa-pkcs1"),
        ("03", &["--hash", "sha512"][..], "ecdsa"),
        // Raw mechanisms: CKM_RSA_PKCS over a DigestInfo we build, CKM_RSA_PKCS_PSS over the hash.
        ("01", &["--raw-mechanism"][..], "rsa-pkcs1"),
        (
            "02",
            &["--raw-mechanism", "--pss", "--hash", "sha384"][..],
            "rsa-pss",
        ),
    ] {
        let output = dir.path().join(format!("k{id}-{}.pdf", extra.join("")));
        let v = sign_token(&input, &output, id, extra);
        assert_eq!(v["scheme"], scheme);
        assert_accepted_everywhere(&input, &output, false, dir.path());
    }
}

#[test]
fn a_second_signature_leaves_the_first_valid() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.pdf");
    let two = dir.path().join("two.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &one, "01", &[]);
    let v = sign_token(&one, &two, "03", &[]);
    assert_eq!(v["field"], "Signature2");
    let sigs = pdfsig(&two);
    assert_eq!(sigs.len(), 2);
    assert!(sigs.iter().all(|s| s.0 && s.1), "{sigs:?}");
    assert!(
        !sigs[0].2 && sigs[1].2,
        "only the second covers the whole file: {sigs:?}"
    );
    let summary = pyhanko_validate(&two, false);
    assert_eq!(summary.len(), 2, "{summary:?}");
    assert!(
        summary
            .iter()
            .all(|l| l.contains(":INTACT:TRUSTED") || l.ends_with(":VALID")),
        "{summary:?}"
    );
    assert!(openssl_cms_verify(&two, 0, dir.path()));
    assert!(openssl_cms_verify(&two, 1, dir.path()));
    let (code, v) = kyso_verify(&[&two]);
    assert_eq!(code, 0, "{v}");
    let s = &v["files"][0]["signatures"];
    assert_eq!(s[0]["coverage"], "EARLIER_REVISION");
    assert_eq!(s[0]["later_revisions"], 1);
    assert_eq!(s[1]["coverage"], "WHOLE_FILE");
}

#[test]
fn one_flipped_byte_fails_in_every_validator() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let signed = dir.path().join("signed.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &signed, "01", &[]);
    let mut data = std::fs::read(&signed).unwrap();
    // Flip one byte of the page text ("Quyet dinh"), inside the first signed range.
    let at = data.windows(10).position(|w| w == b"Quyet dinh").unwrap();
    data[at] ^= 0x01;
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &data).unwrap();
    let sigs = pdfsig(&tampered);
    assert!(!sigs[0].0, "pdfsig must not call it valid: {sigs:?}");
    let summary = pyhanko_validate(&tampered, false);
    assert!(
        summary
            .iter()
            .all(|l| !l.ends_with(":VALID") && !l.contains(":INTACT")),
        "{summary:?}"
    );
    assert!(!openssl_cms_verify(&tampered, 0, dir.path()));
    let (code, v) = kyso_verify(&[&tampered]);
    assert_eq!(code, 1);
    assert_eq!(v["files"][0]["verdict"], "TOTAL_FAILED");
    assert_eq!(v["files"][0]["signatures"][0]["sub_indication"], "HASH_FAILURE");
    // The finding carries its stable code beside the two sentences.
    let findings = v["files"][0]["signatures"][0]["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "DIGEST_MISMATCH" && f["vi"].as_str().is_some()),
        "{findings:?}"
    );
}

#[test]
fn signs_into_an_existing_empty_field() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let input = f.pdf("empty-field.pdf");
    let output = dir.path().join("field.pdf");
    let v = sign_token(
        &input,
        &output,
        "01",
        &[
            "--field",
            "ChuKyLanhDao",
            "--reason",
            "Phê duyệt",
            "--location",
            "Bắc Giang",
        ],
    );
    assert_eq!(v["field"], "ChuKyLanhDao");
    assert_accepted_everywhere(&input, &output, false, dir.path());
    let (_, r) = kyso_verify(&[&output]);
    let s = &r["files"][0]["signatures"][0];
    assert_eq!(s["field"], "ChuKyLanhDao");
    assert_eq!(s["reason"], "Phê duyệt");
    assert_eq!(s["location"], "Bắc Giang");
    assert_eq!(
        r["files"][0]["signatures"].as_array().unwrap().len(),
        1,
        "no second field was added"
    );
}

#[test]
fn pkcs12_files_in_both_encodings_sign() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let input = f.pdf("v17-classic.pdf");
    for p12 in ["rsa2048.p12", "rsa2048-legacy.p12", "ec256.p12", "rsa3072.p12"] {
        let output = dir.path().join(format!("{p12}.pdf"));
        let o = kyso(&[
            "sign",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
            "--p12",
            f.pki.join(p12).to_str().unwrap(),
            "--p12-password-env",
            "KYSO_P12_PASS",
        ]);
        assert!(
            o.status.success(),
            "{p12}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_accepted_everywhere(&input, &output, false, dir.path());
    }
}

#[test]
fn detached_signature_of_any_file() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("Bao cao.docx");
    std::fs::write(&doc, b"PK\x03\x04 pretend this is a Word file \xe1\xba\xa1").unwrap();
    let p7s = dir.path().join("Bao cao.docx.p7s");
    let sign = |file: &Path, extra: &[&str]| {
        let mut args = vec!["sign", "--detached", "--json", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let module = f.module.to_str().unwrap();
        args.extend_from_slice(&["--pkcs11", module, "--cert", "03", "--pin-env", "KYSO_PIN"]);
        kyso(&args)
    };
    let o = sign(&doc, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(p7s.exists(), "default output is FILE.p7s");
    assert!(cms_verify(&p7s, &doc), "openssl cms -verify must accept the .p7s");
    let (code, v) = kyso_verify(&[&p7s]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["files"][0]["signatures"][0]["claimed_time_source"],
        "signing-time attribute"
    );
    // CAdES-T: the same with a signature timestamp from the test TSA.
    let doc_t = dir.path().join("To trinh.docx");
    std::fs::copy(&doc, &doc_t).unwrap();
    let p7t = dir.path().join("To trinh.docx.p7s");
    let o = sign(&doc_t, &["--tsa", &f.tsa_url]);
    assert!(o.status.success(), "{}", stdout(&o));
    let v = json(&o);
    assert_eq!(v["level"], "B-T", "{v}");
    assert_eq!(v["tsa_url"], f.tsa_url.as_str(), "{v}");
    assert!(cms_verify(&p7t, &doc_t));
    let (code, r) = kyso_verify(&[&p7t]);
    let s = &r["files"][0]["signatures"][0];
    assert_eq!(code, 0, "{r}");
    assert_eq!(s["has_timestamp"], true, "{s}");
    assert!(
        s["findings"].to_string().contains("Valid signature timestamp"),
        "{s}"
    );
    // Changing the content breaks it.
    std::fs::write(&doc, b"PK\x03\x04 pretend this is a Word file, edited").unwrap();
    assert!(!cms_verify(&p7s, &doc));
    let root = f.root_pem();
    let o = kyso(&[
        "verify",
        "--json",
        "--trust",
        root.to_str().unwrap(),
        p7s.to_str().unwrap(),
        "--content",
        doc.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        json(&o)["files"][0]["signatures"][0]["sub_indication"],
        "HASH_FAILURE"
    );
}

#[test]
fn kyso_verify_accepts_what_pyhanko_signs() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pyhanko.pdf");
    let pass = dir.path().join("pass");
    std::fs::write(&pass, P12_PASS).unwrap();
    let o = pyhanko(&[
        "sign",
        "addsig",
        "--field",
        "Sig1",
        "--use-pades",
        "pkcs12",
        "--passfile",
        pass.to_str().unwrap(),
        f.pdf("v17-classic.pdf").to_str().unwrap(),
        out.to_str().unwrap(),
        f.pki.join("rsa3072.p12").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (code, v) = kyso_verify(&[&out]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["files"][0]["signatures"][0]["signer"]["common_name"],
        "Trần Thị Bình"
    );
}

#[test]
fn the_input_is_never_modified_and_no_temp_file_is_left() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.pdf");
    std::fs::copy(f.pdf("xref-stream.pdf"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let output = dir.path().join("out.pdf");
    sign_token(&input, &output, "01", &[]);
    assert_eq!(std::fs::read(&input).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "only input and output: {names:?}");
}

#[test]
fn a_large_signed_file_verifies_and_reserves_enough() {
    fixtures();
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.pdf");
    let ok = std::process::Command::new("python3")
        .arg(repo_root().join("tests/fixtures/make_pdfs.py"))
        .args(["--large", "8"])
        .arg(&big)
        .status()
        .unwrap();
    assert!(ok.success());
    let out = dir.path().join("big-signed.pdf");
    let v = sign_token(&big, &out, "02", &["--hash", "sha512"]);
    assert!(v["cms_len"].as_u64().unwrap() <= v["reserved"].as_u64().unwrap());
    assert_accepted_everywhere(&big, &out, false, dir.path());
}

#[test]
fn the_pin_can_come_from_a_file_descriptor() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fd.pdf");
    let script = format!("exec \"$0\" sign \"$1\" -o \"$2\" --pkcs11 \"$3\" --cert 01 --pin-fd 3 3<<< {PIN}");
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_kyso"))
        .arg(f.pdf("v17-classic.pdf"))
        .arg(&out)
        .arg(&f.module)
        .env("SOFTHSM2_CONF", f.softhsm_conf())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(pdfsig(&out), vec![(true, true, true)]);
}

#[test]
fn the_pin_can_come_from_standard_input() {
    // What scripts on Windows use (no /dev/fd there): the first line of stdin, never echoed.
    use std::io::Write;
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stdin.pdf");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kyso"))
        .args(["sign", "--cert", "01", "--pin-stdin", "--json", "--pkcs11"])
        .arg(&f.module)
        .arg(f.pdf("v17-classic.pdf"))
        .arg("-o")
        .arg(&out)
        .env("SOFTHSM2_CONF", f.softhsm_conf())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PIN}\r\nignored\n").as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&o.stdout).contains(PIN));
    assert_eq!(pdfsig(&out), vec![(true, true, true)]);
}
