//! Attacks of issue 13 (class 5) built from documents pyHanko signs, judged by the verifier:
//! - an object listed twice in one cross-reference section (viewers disagree on which
//!   definition is shown) must be flagged, not pass;
//! - a correctly signed document encrypted with the standard handler and an empty user
//!   password (AES-256 R6, AES-128 and RC4 R4) must get the same verdict as the same
//!   document unencrypted — its field name readable, no phantom "orphan signature";
//! - a document that needs a real password gets a specific "encrypted" finding.
//!
//! Needs the test venv (`target/test-venv`, made by `scripts/setup.sh --test`) and openssl.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use kyso_core::pdf::reader::Pdf;
use kyso_core::pdf::{self, Object};
use kyso_core::verify::{verify_source, FileReport, FileVerdict, Indication, VerifyOptions};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> PathBuf {
    let p = repo().join("target/test-venv/bin/python");
    assert!(
        p.exists(),
        "the test venv is missing: run `bash scripts/setup.sh --test` (it installs pyHanko)"
    );
    p
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pyhanko(args: &[&std::ffi::OsStr]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile_signed/pyhanko_docs.py");
    run(Command::new(python()).arg(script).args(args));
}

/// A test CA and a signer it issued (openssl), and the base document (the fixture maker).
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let openssl = |args: &[&str]| run(Command::new("openssl").current_dir(d).args(args));
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=Kyso Hostile Test CA",
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "signer.key",
            "-out",
            "signer.csr",
            "-subj",
            "/CN=Nguyen Van An",
        ]);
        std::fs::write(
            d.join("leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "signer.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "signer.pem",
            "-days",
            "30",
            "-extfile",
            "leaf.ext",
        ]);
        run(Command::new(python())
            .arg(repo().join("tests/fixtures/make_pdfs.py"))
            .arg(d.join("pdfs")));
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn base(&self) -> PathBuf {
        self.path("pdfs/v17-classic.pdf")
    }

    /// pyHanko signs `input` into `name` (opening it with `user_pw` when encrypted).
    fn sign(&self, input: &Path, name: &str, user_pw: Option<&str>) -> PathBuf {
        let out = self.path(name);
        let mut args: Vec<&std::ffi::OsStr> = vec!["sign".as_ref(), input.as_os_str(), out.as_os_str()];
        let key = self.path("signer.key");
        let cert = self.path("signer.pem");
        args.push(key.as_os_str());
        args.push(cert.as_os_str());
        if let Some(pw) = user_pw {
            args.push(pw.as_ref());
        }
        pyhanko(&args);
        out
    }

    fn encrypt(&self, scheme: &str, user_pw: &str) -> PathBuf {
        let out = self.path(&format!("enc-{scheme}-{}.pdf", user_pw.len()));
        pyhanko(&[
            "encrypt".as_ref(),
            self.base().as_os_str(),
            out.as_os_str(),
            scheme.as_ref(),
            user_pw.as_ref(),
        ]);
        out
    }

    fn verify(&self, file: &Path) -> FileReport {
        let anchors = kyso_core::cms::bundle::certificates(&std::fs::read(self.path("ca.pem")).unwrap());
        assert_eq!(anchors.len(), 1);
        let opts = VerifyOptions {
            anchors,
            offline: true,
            ..VerifyOptions::default()
        };
        verify_source(std::fs::read(file).unwrap(), file.display().to_string(), &opts)
    }
}

fn summary(r: &FileReport) -> String {
    serde_json::to_string_pretty(r).unwrap()
}

#[test]
fn encrypted_with_an_empty_user_password_verifies_like_the_plain_document() {
    let s = Setup::new();
    let plain = s.sign(&s.base(), "plain-signed.pdf", None);
    let control = s.verify(&plain);
    assert_eq!(control.verdict, FileVerdict::TotalPassed, "{}", summary(&control));

    // aes256-mac: pyHanko's default, whose trailer /AuthCode has a /ByteRange of its own
    // (it was reported as an "orphan signature").
    for scheme in ["aes256", "aes256-mac", "aes128", "rc4"] {
        let enc = s.encrypt(scheme, "");
        let signed = s.sign(&enc, &format!("signed-{scheme}.pdf"), Some(""));
        // The file really is encrypted, and the reader says which way.
        let pdf = Pdf::open(std::fs::read(&signed).unwrap()).unwrap();
        assert!(pdf.trailer().get(b"Encrypt").is_some(), "{scheme}: not encrypted");
        assert!(
            matches!(pdf.encryption(), pdf::reader::Encryption::EmptyPassword { .. }),
            "{scheme}: {:?}",
            pdf.encryption()
        );
        let r = s.verify(&signed);
        assert_eq!(r.verdict, FileVerdict::TotalPassed, "{scheme}: {}", summary(&r));
        // One signature, named as pyHanko named it (it was garbage when read encrypted),
        // with its reason decrypted — and no phantom orphan beside it.
        assert_eq!(r.signatures.len(), 1, "{scheme}: {}", summary(&r));
        let sig = &r.signatures[0];
        assert_eq!(sig.field, "ChuKy1", "{scheme}");
        assert_eq!(sig.reason.as_deref(), Some("Phê duyệt"), "{scheme}");
        assert_eq!(sig.indication, Indication::TotalPassed, "{scheme}");
    }
}

#[test]
fn a_user_password_is_reported_as_encrypted() {
    let s = Setup::new();
    let enc = s.encrypt("aes256", "mat-khau");
    let signed = s.sign(&enc, "signed-locked.pdf", Some("mat-khau"));
    let r = s.verify(&signed);
    assert_eq!(r.verdict, FileVerdict::TotalFailed);
    let e = r.error.as_ref().expect("a file-level finding");
    assert_eq!(e.code, "ENCRYPTED_PDF", "{}", summary(&r));
    assert!(e.message.en.contains("password"), "{}", e.message.en);
    assert!(r.signatures.is_empty());
}

/// Appends an update to `signed` whose cross-reference section lists object `num` twice:
/// first at `first`, then at `second` (offsets of definitions in the file).
fn update_listing_twice(signed: &[u8], num: u32, extra: &[u8], first_is_new: bool) -> Vec<u8> {
    let pdf = Pdf::open(signed.to_vec()).unwrap();
    let prev = pdf.last_startxref().unwrap();
    let size = pdf.size();
    let root = pdf.trailer().get(b"Root").cloned().unwrap();
    let old = match pdf.xref_index().get(&num) {
        Some(pdf::reader::XrefEntry::Offset(o, _)) => *o,
        other => panic!("object {num} is not at an offset: {other:?}"),
    };
    let mut f = signed.to_vec();
    f.push(b'\n');
    let new = f.len() as u64;
    f.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
    f.extend_from_slice(extra);
    f.extend_from_slice(b"\nendobj\n");
    let x = f.len();
    let (a, b) = if first_is_new { (new, old) } else { (old, new) };
    let root = match root {
        Object::Ref(r) => format!("{} {} R", r.num, r.gen),
        _ => panic!("direct root"),
    };
    f.extend_from_slice(
        format!(
            "xref\n{num} 1\n{a:010} 00000 n\r\n{num} 1\n{b:010} 00000 n\r\ntrailer\n<</Size {size}/Root {root}/Prev {prev}>>\nstartxref\n{x}\n%%EOF\n"
        )
        .as_bytes(),
    );
    f
}

#[test]
fn an_object_listed_twice_in_one_section_is_flagged() {
    let s = Setup::new();
    let signed_path = s.sign(&s.base(), "signed.pdf", None);
    let signed = std::fs::read(&signed_path).unwrap();
    // The page's content stream: Kyso reads the first entry (the signed text), a viewer that
    // takes the last shows the forgery.
    let pdf = Pdf::open(signed.clone()).unwrap();
    let (_, cat) = pdf::catalog(&pdf).unwrap();
    let (_, page) = pdf::page(&pdf, &cat, 0).unwrap();
    let contents = page.get(b"Contents").and_then(Object::as_ref).unwrap();
    let forged = b"<</Length 41>>stream\nBT /F1 24 Tf 72 700 Td (GIA MAO) Tj ET\nendstream";

    // Control: the same update listing the signed definition twice is not ambiguous.
    let same = {
        let pdf = Pdf::open(signed.clone()).unwrap();
        let prev = pdf.last_startxref().unwrap();
        let old = match pdf.xref_index().get(&contents.num) {
            Some(pdf::reader::XrefEntry::Offset(o, _)) => *o,
            _ => unreachable!(),
        };
        let root = pdf.trailer().get(b"Root").and_then(Object::as_ref).unwrap();
        let mut f = signed.clone();
        f.push(b'\n');
        let x = f.len();
        let n = contents.num;
        f.extend_from_slice(
            format!(
                "xref\n{n} 1\n{old:010} 00000 n\r\n{n} 1\n{old:010} 00000 n\r\ntrailer\n<</Size {}/Root {} {} R/Prev {prev}>>\nstartxref\n{x}\n%%EOF\n",
                pdf.size(), root.num, root.gen
            )
            .as_bytes(),
        );
        f
    };
    let p = s.path("same-twice.pdf");
    std::fs::write(&p, &same).unwrap();
    let r = s.verify(&p);
    assert_eq!(r.verdict, FileVerdict::TotalPassed, "{}", summary(&r));

    for first_is_new in [false, true] {
        let attack = update_listing_twice(&signed, contents.num, forged, first_is_new);
        let p = s.path("twice.pdf");
        std::fs::write(&p, &attack).unwrap();
        let r = s.verify(&p);
        assert_eq!(r.verdict, FileVerdict::TotalFailed, "{}", summary(&r));
        let sig = &r.signatures[0];
        assert!(
            sig.findings
                .iter()
                .any(|f| f.en.contains(&format!("defines object {} twice", contents.num))),
            "{}",
            summary(&r)
        );
    }
}
