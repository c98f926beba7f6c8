//! A token pulled out in the middle of a batch loses nothing. `kyso sign FOLDER` with 20
//! PDFs, through a test PKCS#11 module that forwards to SoftHSM2 and answers
//! CKR_DEVICE_REMOVED from the 7th signature on (tests/fixtures/pkcs11-unplug.c): 6 signed
//! files that pdfsig and `kyso verify` accept, 14 inputs untouched and no output for them, no
//! partial file, a journal that says which, and a message to plug the token back in and sign
//! the rest — which the same command then does, skipping the 6.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::*;

fn sha(p: &Path) -> String {
    let o = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-r"])
        .arg(p)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn name(i: usize) -> String {
    format!("cong-van-{i:02}.pdf")
}

fn signed_name(i: usize) -> String {
    format!("cong-van-{i:02}-signed.pdf")
}

#[test]
fn a_token_pulled_out_at_the_7th_of_20_documents_loses_nothing() {
    let Some(module) = unplug_module() else { return };
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("hom-thu");
    std::fs::create_dir_all(&folder).unwrap();
    let data = dir.path().join("data");
    // Twenty documents (different sources, so no two inputs are alike).
    let sources = [
        "v17-classic.pdf",
        "vietnamese.pdf",
        "xref-stream.pdf",
        "v13-classic.pdf",
    ];
    let mut inputs: BTreeMap<usize, (PathBuf, String)> = BTreeMap::new();
    for i in 1..=20 {
        let p = folder.join(name(i));
        let mut bytes = std::fs::read(f.pdf(sources[i % sources.len()])).unwrap();
        bytes.extend_from_slice(format!("\n% document {i}\n").as_bytes());
        std::fs::write(&p, bytes).unwrap();
        inputs.insert(i, (p.clone(), sha(&p)));
    }
    let module_s = module.to_str().unwrap().to_string();
    let data_s = data.to_str().unwrap().to_string();
    let sign = |extra: &[(&str, &str)]| {
        let mut env = vec![("KYSO_DATA_DIR", data_s.as_str())];
        env.extend_from_slice(extra);
        let folder = folder.to_str().unwrap();
        kyso_env(
            &[
                "sign",
                folder,
                "--json",
                "--pkcs11",
                &module_s,
                "--cert",
                "01",
                "--pin-env",
                "KYSO_PIN",
            ],
            &env,
        )
    };

    // The token stops answering after 6 signatures.
    let o = sign(&[("KYSO_FAIL_AFTER_SIGNS", "6")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v = json(&o);
    let signed = v["signed"].as_array().unwrap();
    let failed = v["failed"].as_array().unwrap();
    assert_eq!((signed.len(), failed.len()), (6, 14), "{v}");
    assert_eq!(failed[0]["input"], inputs[&7].0.to_str().unwrap());
    assert_eq!(failed[0]["error"]["code"], "TOKEN_REMOVED", "{v}");
    for f in &failed[1..] {
        assert_eq!(f["error"]["code"], "NOT_SIGNED", "{f}");
    }
    assert_eq!(v["stopped"]["code"], "TOKEN_REMOVED", "{v}");
    assert_eq!(
        (
            v["stopped"]["signed"].as_u64(),
            v["stopped"]["not_signed"].as_u64()
        ),
        (Some(6), Some(14))
    );
    let message = v["stopped"]["message"].as_str().unwrap();
    assert!(
        message.contains("Hãy cắm lại thiết bị") && message.contains("Plug the token back in"),
        "{message}"
    );
    assert!(
        message.contains("14") && message.contains("sign the rest"),
        "{message}"
    );

    // 6 valid signed files; nothing for the other 14; no partial file; every input intact.
    for i in 1..=20 {
        let out = folder.join(signed_name(i));
        if i <= 6 {
            assert!(out.exists(), "{out:?}");
            let sigs = pdfsig(&out);
            assert_eq!(sigs.len(), 1, "{out:?}");
            assert!(sigs[0].0 && sigs[0].1, "pdfsig: {out:?} {sigs:?}");
        } else {
            assert!(!out.exists(), "no output for document {i}");
        }
        assert_eq!(sha(&inputs[&i].0), inputs[&i].1, "input {i} untouched");
    }
    let outs: Vec<PathBuf> = (1..=6).map(|i| folder.join(signed_name(i))).collect();
    let refs: Vec<&Path> = outs.iter().map(PathBuf::as_path).collect();
    let (code, r) = kyso_verify(&refs);
    assert_eq!(code, 0, "{r}");
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".kyso-") || n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let first_six: Vec<Vec<u8>> = outs.iter().map(|p| std::fs::read(p).unwrap()).collect();

    // The journal says which: 6 signed, the 7th stopped by the token, 13 not reached.
    let j = json(&kyso_env(
        &["journal", "--json"],
        &[("KYSO_DATA_DIR", data_s.as_str())],
    ));
    let events = j["events"].as_array().unwrap();
    assert_eq!(events.len(), 20, "{j}");
    for (i, e) in events.iter().enumerate() {
        let n = i + 1;
        assert_eq!(e["input"], inputs[&n].0.to_str().unwrap(), "{e}");
        assert_eq!(e["input_sha256"], inputs[&n].1.as_str(), "{e}");
        match n {
            1..=6 => assert_eq!(
                (e["result"].as_str(), e["output_sha256"].is_string()),
                (Some("ok"), true),
                "{e}"
            ),
            7 => assert_eq!(
                (e["result"].as_str(), e["detail"].as_str()),
                (Some("failed"), Some("TOKEN_REMOVED")),
                "{e}"
            ),
            _ => assert_eq!(
                (e["result"].as_str(), e["detail"].as_str()),
                (Some("failed"), Some("NOT_SIGNED: TOKEN_REMOVED")),
                "{e}"
            ),
        }
    }

    // The token is back: the same command signs the 14 and leaves the 6 as they are.
    let o = sign(&[]);
    assert!(
        o.status.success(),
        "{}{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["signed"].as_array().unwrap().len(), 14, "{v}");
    assert_eq!(v["skipped"].as_array().unwrap().len(), 6, "{v}");
    assert!(v["failed"].as_array().unwrap().is_empty(), "{v}");
    for (p, before) in outs.iter().zip(&first_six) {
        assert_eq!(&std::fs::read(p).unwrap(), before, "{p:?} was not signed again");
    }
    let all: Vec<PathBuf> = (1..=20).map(|i| folder.join(signed_name(i))).collect();
    let refs: Vec<&Path> = all.iter().map(PathBuf::as_path).collect();
    let (code, r) = kyso_verify(&refs);
    assert_eq!(code, 0, "{r}");

    // The journal pages: 34 events, the newest first by page, each page oldest first.
    let page = |args: &[&str]| {
        let mut a = vec!["journal", "--json"];
        a.extend_from_slice(args);
        json(&kyso_env(&a, &[("KYSO_DATA_DIR", data_s.as_str())]))
    };
    let p1 = page(&["--limit", "10"]);
    assert_eq!(
        (p1["events"].as_array().unwrap().len(), p1["more"].as_bool()),
        (10, Some(true)),
        "{p1}"
    );
    assert_eq!(
        p1["events"][9]["input"],
        inputs[&20].0.to_str().unwrap(),
        "the newest last"
    );
    let last = page(&["--limit", "10", "--offset", "30"]);
    assert_eq!(
        (last["events"].as_array().unwrap().len(), last["more"].as_bool()),
        (4, Some(false)),
        "{last}"
    );
    assert_eq!(
        last["events"][0]["input"],
        inputs[&1].0.to_str().unwrap(),
        "the oldest first"
    );
}

/// Without --json the message is printed for the person at the terminal.
#[test]
fn the_terminal_says_to_plug_the_token_back_in() {
    let Some(module) = unplug_module() else { return };
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=3 {
        std::fs::copy(f.pdf("v17-classic.pdf"), dir.path().join(name(i))).unwrap();
    }
    let data = dir.path().join("data");
    let o = kyso_env(
        &[
            "sign",
            dir.path().to_str().unwrap(),
            "--pkcs11",
            module.to_str().unwrap(),
            "--cert",
            "01",
            "--pin-env",
            "KYSO_PIN",
        ],
        &[
            ("KYSO_FAIL_AFTER_SIGNS", "1"),
            ("KYSO_DATA_DIR", data.to_str().unwrap()),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 văn bản chưa ký") && err.contains("Plug the token back in"),
        "{err}"
    );
    assert!(stdout(&o).contains("Signed by Nguyễn Văn An"), "{}", stdout(&o));
}
