//! Kyso against pyHanko on the third-party signed corpus (`shared/corpus/signed`): per
//! signature, do both say the signed bytes are intact, and do both say later changes are
//! illegitimate? Every disagreement must be one listed in `KEPT` with its reason, so a change
//! in either tool's judgement shows up here. Offline: pyHanko does not fetch, kyso runs with
//! `--offline`. Skips cleanly when the corpus is absent.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Command;

use crate::support::*;

/// pyHanko's diff policy rejects these LTV / timestamp updates (object numbers freed, or an
/// update it cannot parse); kyso compares every rewritten object and finds only signatures,
/// DSS entries and document timestamps added.
const LTV: &str = "pyHanko's syntactic diff rejects an LTV/timestamp update that only adds validation data";

/// Disagreements kept on purpose: (file name, field, what, why).
const KEPT: &[(&str, &str, &str, &str)] = &[
    // pyHanko's diff policy is syntactic and stricter than what a reader shows: it refuses
    // hybrid-reference files, freed object numbers and stray trailer keys. Kyso judges every
    // object that a later revision rewrites and finds only signatures, DSS and timestamps.
    ("25sigs.pdf", "*", "pyhanko-illegal", "hybrid-reference file: pyHanko's diff policy does not analyse it"),
    ("lt-short.pdf", "*", "pyhanko-illegal", "hybrid-reference file: pyHanko's diff policy does not analyse it"),
    ("PAdES-LT.pdf", "*", "pyhanko-illegal", "hybrid-reference file: pyHanko's diff policy does not analyse it"),
    ("Signature-P-FR_CS-5.pdf", "*", "pyhanko-illegal", "hybrid-reference file: pyHanko's diff policy does not analyse it"),
    ("john-doe-lta.pdf", "*", "pyhanko-illegal", LTV),
    ("AD-RB.pdf", "*", "pyhanko-illegal", LTV),
    ("DSS-2199.pdf", "*", "pyhanko-illegal", LTV),
    ("Signature-P-HU_POL-7.pdf", "*", "pyhanko-illegal", LTV),
    ("adbe_crl_signed.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-revoc-removed-from-dss-dict.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-tst-with-orphan-refs.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-lt-extended-abde.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-lt-extended-dss.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-lta-copied-doctst.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-ltv-from-epes.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-ltv-with-reason.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-ltv.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-t-duplicated-doctst.pdf", "*", "pyhanko-illegal", LTV),
    ("pades-tst-with-sig-type.pdf", "*", "pyhanko-illegal", LTV),
    ("timestamped-fields.pdf", "*", "pyhanko-illegal", LTV),
    ("wrong-digest-algo.pdf", "*", "pyhanko-illegal", LTV),
    ("form-update-ap-indirect-sneaky-trailer.pdf", "Sig1", "pyhanko-illegal", "a new trailer key points at the old appearance dictionary: nothing shown changes"),
    ("form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf", "Sig1", "pyhanko-illegal", "the old appearance stays reachable from elsewhere: nothing shown changes"),
    ("extensions-indirect-not-all-paths.pdf", "Sig1", "pyhanko-illegal", "pyHanko refuses an /Extensions object reachable by another path; kyso allows /Extensions updates"),
    // Kyso is stricter about approval signatures: filled-in form values and redrawn form
    // appearances after signing change what is shown, so they are not allowed unless a
    // certification (DocMDP P=2/3) permits form filling.
    ("DSS1376-rev_n.pdf", "Sig1", "pyhanko-illegal", "certified P=2: pyHanko refuses one field update after a certification that it would accept after an approval signature; kyso follows DocMDP P=2 (form filling allowed)"),
    ("form-update-override-appearance-stream.pdf", "Sig1", "kyso-illegal", "a form field's drawn appearance was replaced after signing"),
    ("form-update-override-appearance-stream-ap-indirect.pdf", "Sig1", "kyso-illegal", "a form field's drawn appearance was replaced after signing"),
    ("replace.pdf", "Signature2", "kyso-illegal", "the shadow \"replace\" test vector of DSS-2236: a widget's drawn appearance was replaced after an approval signature (kyso reads both sections of the linearized signed revision)"),
    // Integrity.
    ("pades-ocsp-archiveCutOff-invalid.pdf", "Signature2", "kyso-intact", "pyHanko calls the coverage a contiguous block and the changes illegal; kyso reads the linearized signed revision (first-page and main sections) as one, finds it intact and only a signature added after it"),
    ("pades-spoofing-replaced-reason.pdf", "Signature1", "kyso-intact", "both reject: kyso finds the signed revision intact and the replaced /Reason not allowed"),
    ("pades-two-sig-copied-tst.pdf", "Signature2", "pyhanko-intact", "both flag it: a signature timestamp copied from another signature is a forgery; kyso fails the whole signature (FORMAT_FAILURE)"),
    ("Signature-P-DE_CRY-2 (HASH_FAILURE).pdf", "*", "kyso-intact", "the signature verifies over the signed attributes as encoded (openssl cms -verify agrees); pyHanko re-encodes them"),
    ("ed448-disallowed-hash.pdf", "Sig1", "pyhanko-intact", "EdDSA is not used by Vietnamese CAs; kyso reports SIGNATURE_ALGORITHM_UNSUPPORTED"),
    ("ed448-shake256-nolen.pdf", "Sig1", "pyhanko-intact", "EdDSA is not used by Vietnamese CAs; kyso reports SIGNATURE_ALGORITHM_UNSUPPORTED"),
    ("extensions-direct.pdf", "Sig2", "pyhanko-intact", "Ed25519: not used by Vietnamese CAs"),
    ("extensions-indirect.pdf", "Sig2", "pyhanko-intact", "Ed25519: not used by Vietnamese CAs"),
    ("extensions-indirect-not-all-paths.pdf", "Sig2", "pyhanko-intact", "Ed25519: not used by Vietnamese CAs"),
    ("extensions-update-direct.pdf", "Sig2", "pyhanko-intact", "Ed25519: not used by Vietnamese CAs"),
    ("extensions-update-indirect.pdf", "Sig2", "pyhanko-intact", "Ed25519: not used by Vietnamese CAs"),
];

/// Attacked documents built by `later_changes.rs` on which pyHanko's verdict differs from
/// kyso's on purpose: (case, pyHanko's verdict, why). The test asserts pyHanko still says so.
pub const ATTACKS: &[(&str, &str, &str)] = &[
    ("p2-field-empty", "pyhanko-illegal", "pyHanko refuses every new visible signature field after a certification (its allow_new_visible_after_certify defaults to off, stricter than Acrobat); kyso allows an empty one, a field prepared for the next signer, and refuses one that draws"),
    ("p2-hide", "pyhanko-legal", "pyHanko whitelists the objects an update writes and does not look at an old object the new appearance points at; kyso finds the object was present but unused when the document was certified (the \"hide\" shadow attack)"),
    ("p3-freetext", "pyhanko-illegal", "pyHanko's diff policy does not implement DocMDP P=3 and calls any annotation illegal; kyso allows annotations under P=3 and warns (SUSPICIOUS) about one over signed text"),
];

fn kept(file: &str, field: &str, what: &str) -> bool {
    KEPT.iter()
        .any(|(f, s, w, _)| (*f == "*" || *f == file) && (*s == "*" || *s == field) && *w == what)
}

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = repo_root().join("../shared/corpus/signed");
    if !dir.exists() {
        eprintln!("skipping: {} is absent", dir.display());
        return None;
    }
    fn walk(d: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&dir, &mut files);
    files.sort();
    Some(files)
}

#[test]
fn integrity_and_modification_verdicts_agree_with_pyhanko() {
    let Some(files) = corpus_files() else { return };
    // pyHanko, in one process for all files.
    let python = repo_root().join("target/test-venv/bin/python");
    let out = Command::new(&python)
        .arg(repo_root().join("tests/fixtures/pyhanko_report.py"))
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pyhanko: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(pyhanko.len(), files.len());
    // Kyso.
    let mut kyso_reports: HashMap<String, serde_json::Value> = HashMap::new();
    for chunk in files.chunks(60) {
        let mut args = vec!["verify", "--json", "--offline"];
        args.extend(chunk.iter().map(|p| p.to_str().unwrap()));
        let v = json(&kyso(&args));
        for r in v["files"].as_array().unwrap() {
            kyso_reports.insert(r["path"].as_str().unwrap().to_string(), r.clone());
        }
    }

    let mut compared = 0;
    let mut agreed = 0;
    let mut surprises = Vec::new();
    let mut used = BTreeSet::new();
    for p in &pyhanko {
        if p.get("error").is_some() {
            continue; // pyHanko could not read the file at all: nothing to compare
        }
        let path = p["path"].as_str().unwrap();
        let name = path.rsplit('/').next().unwrap();
        let k = &kyso_reports[path];
        for ps in p["signatures"].as_array().unwrap() {
            if ps.get("error").is_some() {
                continue;
            }
            let field = ps["field"].as_str().unwrap();
            let Some(ks) = k["signatures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["field"] == field)
            else {
                // Two fields sharing one signature dictionary: kyso reports the signature once.
                if name != "signature-referenced-from-multiple-fields.pdf" {
                    surprises.push(format!("{name} {field}: pyHanko sees a signature kyso does not"));
                }
                continue;
            };
            compared += 1;
            let ph_intact = ps["intact"] == true
                && ps["valid"] == true
                && ["ENTIRE_FILE", "ENTIRE_REVISION"].contains(&ps["coverage"].as_str().unwrap_or(""));
            let ig = &ks["integrity"];
            let ky_intact = ig["signature_valid"] == true
                && ig["digest_matches"] != false
                && ks["coverage"] != "INVALID"
                && ks["sub_indication"] != "FORMAT_FAILURE";
            let ph_illegal = ps["modification"] == "OTHER";
            let ky_illegal = ks["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["severity"] == "FORBIDDEN");
            let mut ok = true;
            if ph_intact != ky_intact {
                let what = if ky_intact {
                    "kyso-intact"
                } else {
                    "pyhanko-intact"
                };
                if kept(name, field, what) {
                    used.insert((name.to_string(), what));
                } else {
                    surprises.push(format!(
                        "{name} {field}: integrity kyso={ky_intact} pyHanko={ph_intact} {ks}"
                    ));
                }
                ok = false;
            }
            // Modification verdicts mean something only for intact signatures.
            if ph_intact && ky_intact && ph_illegal != ky_illegal {
                let what = if ky_illegal {
                    "kyso-illegal"
                } else {
                    "pyhanko-illegal"
                };
                if kept(name, field, what) {
                    used.insert((name.to_string(), what));
                } else {
                    surprises.push(format!(
                        "{name} {field}: illegal changes kyso={ky_illegal} pyHanko={ph_illegal} {}",
                        ks["changes"]
                    ));
                }
                ok = false;
            }
            if ok {
                agreed += 1;
            }
        }
    }
    eprintln!(
        "compared {compared} signatures: {agreed} agree, {} kept disagreements",
        compared - agreed
    );
    assert!(compared > 250, "too few signatures compared: {compared}");
    assert!(
        surprises.is_empty(),
        "disagreements not explained:\n{}",
        surprises.join("\n")
    );
}
