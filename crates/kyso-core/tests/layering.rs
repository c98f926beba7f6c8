//! The core's layering, checked on every test run: each top-level module may use only the
//! modules listed for it here (data flows document → plan → signer → writer, and document →
//! revisions → checks → report), and the arrows have no cycle. A new `crate::x` reference
//! that breaks the list fails this test; change the list only with the design.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the modules it may use. Leaves first.
const ALLOWED: &[(&str, &[&str])] = &[
    ("oids", &[]),
    ("timefmt", &[]),
    ("level", &[]),
    ("message", &[]),
    ("files", &[]),
    ("filename", &[]),
    ("update", &["filename"]),
    ("folders", &[]),
    ("crypto", &["oids"]),
    ("cert", &["oids", "crypto", "timefmt"]),
    ("net", &["timefmt"]),
    ("pdf", &[]),
    ("xml", &["crypto"]),
    ("cms", &["oids", "crypto", "cert", "timefmt"]),
    ("journal", &["crypto", "timefmt"]),
    ("appearance", &["pdf", "cert", "timefmt", "error"]),
    ("signer", &["crypto", "cert", "cms", "timefmt", "files", "net"]),
    (
        "trust",
        &[
            "oids", "crypto", "cert", "cms", "net", "timefmt", "settings", "files", "folders",
        ],
    ),
    ("settings", &["signer", "cms", "net", "files", "update"]),
    (
        "sign",
        &[
            "pdf",
            "cms",
            "cert",
            "crypto",
            "oids",
            "signer",
            "trust",
            "appearance",
            "timefmt",
            "files",
            "net",
            "level",
            "error",
            "xml",
        ],
    ),
    ("decree", &["cert", "oids", "trust"]),
    (
        "verify",
        &[
            "pdf", "cms", "cert", "crypto", "oids", "trust", "net", "timefmt", "error", "message", "decree",
            "xml",
        ],
    ),
    ("legal", &["verify", "decree", "pdf", "cert", "timefmt", "trust"]),
    (
        "report",
        &[
            "verify",
            "appearance",
            "pdf",
            "timefmt",
            "files",
            "error",
            "decree",
        ],
    ),
    (
        "workflow",
        &[
            "filename",
            "sign",
            "signer",
            "journal",
            "trust",
            "appearance",
            "pdf",
            "cert",
            "crypto",
            "level",
            "settings",
            "folders",
            "files",
            "timefmt",
            "error",
            "xml",
        ],
    ),
    (
        "error",
        &["cms", "pdf", "signer", "level", "journal", "trust", "xml"],
    ),
    (
        "doctor",
        &[
            "signer", "trust", "net", "settings", "folders", "message", "timefmt", "crypto",
        ],
    ),
];

/// The top-level module a source file belongs to (`src/sign/ltv.rs` → `sign`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib").then_some(name)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Whether a file is compiled for tests only (`#![cfg(test)]` among its inner attributes,
/// which the compiler enforces): the test kit and the test helpers beside the checks. Their
/// arrows are the tests', not the product's (a CMS test builds a PDF), so they are skipped
/// like the `#[cfg(test)]` modules at the end of a file.
fn test_only(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with("//") || l.starts_with("#!["))
        .any(|l| l == "#![cfg(test)]")
}

/// `crate::name` references in code (comments and test modules excluded).
fn uses(text: &str) -> BTreeSet<String> {
    let code = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `crate::Error` is the error module's re-export.
            let name = match name.as_str() {
                "Error" | "Refusal" | "AppearanceError" => "error".to_string(),
                _ => name,
            };
            if !name.is_empty() {
                out.insert(name);
            }
            rest = after;
        }
    }
    out
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut broken = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for f in &files {
        let Some(module) = module_of(&src, f) else {
            continue;
        };
        let text = std::fs::read_to_string(f).unwrap();
        if test_only(&text) {
            continue;
        }
        seen_modules.insert(module.clone());
        let Some(ok) = allowed.get(module.as_str()) else {
            broken.push(format!(
                "{module}: not in the layering list (add it with its arrows)"
            ));
            continue;
        };
        for used in uses(&text) {
            if used != module && !ok.contains(used.as_str()) {
                broken.push(format!(
                    "{} uses crate::{used}",
                    f.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
    for m in allowed.keys() {
        assert!(
            seen_modules.contains(*m),
            "the list names {m}, which no longer exists"
        );
    }
}

#[test]
fn only_files_marked_for_tests_are_skipped() {
    assert!(test_only(
        "//! Test kit.\n//! Shared.\n#![cfg(test)]\n#![allow(clippy::expect_used)]\nuse crate::cms;\n"
    ));
    // An attribute below the code, or on one item, does not make the file test-only.
    assert!(!test_only("//! A module.\nuse crate::cms;\n#![cfg(test)]\n"));
    assert!(!test_only("//! A module.\n#[cfg(test)]\nmod tests {}\n"));
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let kit = std::fs::read_to_string(src.join("testkit/mod.rs")).unwrap();
    assert!(test_only(&kit), "the test kit is compiled for tests only");
    let sign = std::fs::read_to_string(src.join("sign/mod.rs")).unwrap();
    assert!(!test_only(&sign));
}

#[test]
fn the_allowed_arrows_have_no_cycle() {
    let graph: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    // Depth-first search with colours: grey on the stack, black done.
    fn visit<'a>(
        n: &'a str,
        g: &BTreeMap<&'a str, &'a [&'a str]>,
        colour: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        match colour.get(n) {
            Some(2) => return None,
            Some(1) => {
                let mut cycle = path.clone();
                cycle.push(n);
                return Some(cycle);
            }
            _ => {}
        }
        colour.insert(n, 1);
        path.push(n);
        for d in g.get(n).copied().unwrap_or_default() {
            if let Some(c) = visit(d, g, colour, path) {
                return Some(c);
            }
        }
        path.pop();
        colour.insert(n, 2);
        None
    }
    let mut colour = BTreeMap::new();
    for n in graph.keys() {
        let mut path = Vec::new();
        if let Some(c) = visit(n, &graph, &mut colour, &mut path) {
            panic!("cycle: {}", c.join(" → "));
        }
    }
}

/// The modules declared with `internal!` anywhere in the core, as paths (`pdf`,
/// `trust::tst`): public only with the `internals` feature.
fn internal_modules(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let rel = f.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
            parts.pop();
        }
        let prefix: String = parts.iter().map(|p| format!("{p}::")).collect();
        for block in text.split("internal! {").skip(1) {
            let body = block.split('}').next().unwrap_or_default();
            out.extend(
                body.split(';')
                    .map(str::trim)
                    .filter(|m| !m.is_empty() && !m.starts_with('$'))
                    .map(|m| format!("{prefix}{m}")),
            );
        }
    }
    out
}

/// Every `kyso_core::…` path a source names, with `use kyso_core::{a::b, c}` groups (one
/// level of braces, as rustfmt writes them) expanded into `a::b` and `c`.
fn core_paths(text: &str) -> Vec<String> {
    let path_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("kyso_core::") {
        let after = &rest[i + "kyso_core::".len()..];
        let head: String = after.chars().take_while(|c| path_char(*c)).collect();
        let tail = &after[head.len()..];
        if let Some(group) = tail.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or_default();
            for item in group.split(',') {
                let item: String = item.trim().chars().take_while(|c| path_char(*c)).collect();
                if !item.is_empty() {
                    out.push(format!("{head}{item}"));
                }
            }
        } else if !head.is_empty() {
            out.push(head.trim_end_matches(':').to_string());
        }
        rest = after;
    }
    out
}

/// The faces (CLI, bridge, app) use the core's public API only: the modules the core declares
/// with `internal!` (how a PDF or a CMS is read, algorithms, OIDs, path building, token and
/// OCSP checks, canonicalisation …) are not theirs to name. Their release builds would fail
/// too; this says which line, on every test run.
#[test]
fn the_faces_use_only_the_public_api() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR"));
    let internal = internal_modules(&core.join("src"));
    for expected in ["pdf", "cms", "trust::tst", "xml::c14n", "verify::certificate"] {
        assert!(
            internal.iter().any(|m| m == expected),
            "{expected} not internal: {internal:?}"
        );
    }
    let is_internal = |path: &str| {
        internal
            .iter()
            .any(|m| path == m || path.starts_with(&format!("{m}::")))
    };
    let root = core.join("../..");
    let mut broken = Vec::new();
    for face in ["crates/kyso-cli/src", "crates/kyso-bridge/src", "src-tauri/src"] {
        let mut files = Vec::new();
        rust_files(&root.join(face), &mut files);
        assert!(!files.is_empty(), "{face} has no Rust files");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for path in core_paths(&text).into_iter().filter(|p| is_internal(p)) {
                broken.push(format!("{}: kyso_core::{path}", f.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "faces reach into the core's internals:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_spelling_of_a_core_path_is_seen() {
    let text = "use kyso_core::{pdf, cms::bundle, HashAlg};\nlet x = kyso_core::trust::tst::check(a);\n\
                use kyso_core::xml::c14n as c;\nuse kyso_core::{\n    verify::certificate,\n    Message,\n};";
    assert_eq!(
        core_paths(text),
        [
            "pdf",
            "cms::bundle",
            "HashAlg",
            "trust::tst::check",
            "xml::c14n",
            "verify::certificate",
            "Message"
        ]
    );
}
