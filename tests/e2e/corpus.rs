//! Real signed PDFs from other signers (shared/corpus): no panic, no hang, one verdict per
//! signature. Skips cleanly when the shared corpus is not beside the repository.

use std::path::{Path, PathBuf};

use crate::support::*;

fn pdfs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs_under(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
            out.push(p);
        }
    }
}

fn check_corpus(sub: &str) -> usize {
    let dir = repo_root().join("../shared/corpus").join(sub);
    if !dir.exists() {
        eprintln!("skipping: {} is absent", dir.display());
        return 0;
    }
    let mut files = Vec::new();
    pdfs_under(&dir, &mut files);
    files.sort();
    for chunk in files.chunks(50) {
        // Third-party files name real CRL servers: never reach out from tests.
        let mut args = vec![
            "verify".to_string(),
            "--json".to_string(),
            "--offline".to_string(),
        ];
        args.extend(chunk.iter().map(|p| p.to_string_lossy().into_owned()));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = kyso(&refs);
        let code = o.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "kyso crashed or could not run ({code:?}): {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let v = json(&o);
        let reports = v["files"].as_array().unwrap();
        assert_eq!(reports.len(), chunk.len());
        for r in reports {
            let verdict = r["verdict"].as_str().unwrap();
            assert!(
                ["TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED", "NO_SIGNATURE"].contains(&verdict),
                "{r}"
            );
            for s in r["signatures"].as_array().unwrap() {
                let i = s["indication"].as_str().unwrap();
                assert!(
                    ["TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED"].contains(&i),
                    "{s}"
                );
                if i != "TOTAL_PASSED" {
                    assert!(
                        s["sub_indication"].is_string(),
                        "a specific reason is required: {s}"
                    );
                }
            }
        }
    }
    files.len()
}

#[test]
fn every_signed_corpus_pdf_gets_a_verdict_per_signature() {
    let n = check_corpus("signed");
    eprintln!("checked {n} signed corpus files");
}

#[test]
fn attack_corpus_never_crashes_the_verifier() {
    let n = check_corpus("attacks");
    eprintln!("checked {n} attack corpus files");
}

/// Shadow-attack exploits (`4_*signed-manipulated` and the other EXPLOIT rows of the corpus
/// manifest) must never pass, and must fail for a reason; the signed originals must pass
/// their integrity checks.
#[test]
fn shadow_attacks_fail_and_their_originals_are_intact() {
    let base = repo_root().join("../shared/corpus/attacks");
    let Ok(manifest) = std::fs::read_to_string(base.join("MANIFEST.tsv")) else {
        eprintln!("skipping: attack corpus absent");
        return;
    };
    let mut exploits = 0;
    let mut originals = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, role) = (cols[0], cols[3]);
        let is_exploit = role.starts_with("EXPLOIT");
        let is_original = role.starts_with("signed(pre-manipulation)") && cols[2].starts_with("shadow");
        if !is_exploit && !is_original {
            continue;
        }
        let p = base.join(path);
        let (_, v) = kyso_verify_offline(&[&p]);
        let file = &v["files"][0];
        let sigs = file["signatures"].as_array().unwrap();
        if is_exploit {
            exploits += 1;
            assert_ne!(file["verdict"], "TOTAL_PASSED", "{path}");
            assert!(
                sigs.iter().any(|s| s["indication"] == "TOTAL_FAILED"
                    && ["CHANGES_NOT_ALLOWED", "FORMAT_FAILURE", "HASH_FAILURE"]
                        .contains(&s["sub_indication"].as_str().unwrap_or(""))),
                "{path}: {file}"
            );
        } else {
            originals += 1;
            for s in sigs {
                assert_eq!(s["integrity"]["digest_matches"], true, "{path}: {s}");
                assert_eq!(s["integrity"]["signature_valid"], true, "{path}: {s}");
                assert_eq!(s["coverage"], "WHOLE_FILE", "{path}");
            }
        }
    }
    assert!(
        exploits >= 20 && originals >= 15,
        "{exploits} exploits, {originals} originals"
    );
}
