//! `kyso verify`: exit codes and the JSON contract.

use crate::support::*;

#[test]
fn exit_codes_and_json_contract() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let signed = dir.path().join("s.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &signed, "01", &[]);
    let unsigned = f.pdf("v13-classic.pdf");

    let (code, v) = kyso_verify(&[&signed]);
    assert_eq!(code, 0);
    let file = &v["files"][0];
    assert_eq!(file["path"], signed.to_str().unwrap());
    assert_eq!(file["verdict"], "TOTAL_PASSED");
    let s = &file["signatures"][0];
    assert_eq!(s["indication"], "TOTAL_PASSED");
    assert_eq!(s["integrity"]["digest_matches"], true);
    assert_eq!(s["integrity"]["signature_valid"], true);
    assert_eq!(s["coverage"], "WHOLE_FILE");
    assert_eq!(s["chain"]["trusted"], true);
    assert_eq!(
        s["chain"]["path"].as_array().unwrap().len(),
        3,
        "signer, issuing CA, root"
    );
    assert_eq!(s["claimed_time_source"], "/M");
    assert!(s["message"]["vi"].as_str().unwrap().contains("hợp lệ"));
    assert!(!s["message"]["en"].as_str().unwrap().is_empty());

    // One signed file and one unsigned: exit 1, per-file verdicts.
    let (code, v) = kyso_verify(&[&signed, &unsigned]);
    assert_eq!(code, 1);
    assert_eq!(v["files"][1]["verdict"], "NO_SIGNATURE");

    // Without trust anchors: intact but undecided.
    let o = kyso(&["verify", "--json", signed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["files"][0]["signatures"][0]["indication"], "INDETERMINATE");
    assert_eq!(
        v["files"][0]["signatures"][0]["sub_indication"],
        "NO_CERTIFICATE_CHAIN_FOUND"
    );

    // A trust file that cannot be read: cannot run.
    let o = kyso(&[
        "verify",
        "--json",
        "--trust",
        "/nonexistent.pem",
        signed.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));

    // Not a PDF: a file-level error, not a crash.
    let junk = dir.path().join("junk.pdf");
    std::fs::write(&junk, b"this is not a pdf").unwrap();
    let (code, v) = kyso_verify(&[&junk]);
    assert_eq!(code, 1);
    assert_eq!(v["files"][0]["verdict"], "TOTAL_FAILED");
    assert_eq!(v["files"][0]["error"]["code"], "NOT_PDF");
}

#[test]
fn a_forged_byte_range_is_caught() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let signed = dir.path().join("s.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &signed, "01", &[]);
    let data = std::fs::read(&signed).unwrap();
    // Append content after the signed range: the signature no longer covers the whole file
    // and the tail is not a proper revision.
    let mut appended = data.clone();
    appended.extend_from_slice(b"\n% injected content\n");
    let p = dir.path().join("appended.pdf");
    std::fs::write(&p, &appended).unwrap();
    let (code, v) = kyso_verify(&[&p]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["files"][0]["signatures"][0]["coverage"], "INVALID");
}

/// `kyso verify -r --trust ROOT --report REPORT [extra] INBOX`.
fn inbox_report(
    root: &std::path::Path,
    report: &std::path::Path,
    inbox: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "verify",
        "-r",
        "--trust",
        root.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.push(inbox.to_str().unwrap());
    kyso(&args)
}

#[test]
fn a_clerks_inbox_folder_with_a_summary_and_an_html_report() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    let nested = inbox.join("thang-11");
    std::fs::create_dir_all(&nested).unwrap();
    sign_token(&f.pdf("v17-classic.pdf"), &inbox.join("a.pdf"), "01", &[]);
    sign_token(&f.pdf("xref-stream.pdf"), &nested.join("b.pdf"), "03", &[]);
    std::fs::write(nested.join("broken.pdf"), b"%PDF-1.7 truncated").unwrap();
    std::fs::write(inbox.join("notes.txt"), b"not checked").unwrap();
    let root = f.root_pem();
    let report = dir.path().join("report.html");
    // Without -r only the top folder is checked.
    let o = kyso(&[
        "verify",
        "--json",
        "--trust",
        root.to_str().unwrap(),
        inbox.to_str().unwrap(),
    ]);
    assert_eq!(json(&o)["files"].as_array().unwrap().len(), 1);
    let o = inbox_report(&root, &report, &inbox, &[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the broken file fails the batch but does not stop it"
    );
    let text = stdout(&o);
    assert!(text.contains("Tổng hợp: 2 HỢP LỆ"), "{text}");
    assert!(text.contains("1 KHÔNG HỢP LỆ"), "{text}");
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("Báo cáo kiểm tra chữ ký số")
            && html.contains("Nguyễn Văn An")
            && html.contains("broken.pdf")
    );

    // The same report as a PDF to file: a valid PDF, its own font embedded and subsetted,
    // and the Vietnamese text extracts exactly.
    let pdf = dir.path().join("bao-cao.pdf");
    let o = inbox_report(&root, &pdf, &inbox, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(qpdf_ok(&pdf));
    let fonts = std::process::Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts.contains("+LiberationSerif") && fonts.contains("yes yes yes"),
        "{fonts}"
    );
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for want in [
        "BÁO CÁO KIỂM TRA CHỮ KÝ SỐ",
        "Nguyễn Văn An",
        "Lê Văn Cường",
        "Hợp lệ",
        "Không hợp lệ",
        "broken.pdf",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
    // English on request.
    let en = dir.path().join("report-en.pdf");
    inbox_report(&root, &en, &inbox, &["--english"]);
    let text = std::process::Command::new("pdftotext")
        .arg(&en)
        .arg("-")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("SIGNATURE VALIDATION REPORT"));
}
