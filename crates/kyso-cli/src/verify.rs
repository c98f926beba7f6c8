//! `kyso verify`: files and folders (PDFs, XML and `.p7s`), checked on all cores; JSON, text
//! and printable reports.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use kyso_core::trust::Material;
use kyso_core::verify::{FileVerdict, VerifyOptions};

use crate::args::VerifyArgs;
use crate::output;

/// Files to check: files as given; folders expand to their PDFs, XML and .p7s files
/// (recursively with `-r`, bounded depth).
fn expand(paths: &[PathBuf], recursive: bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, recursive: bool, depth: usize, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                if recursive && depth < 32 {
                    walk(&e, recursive, depth + 1, out);
                }
            } else if e
                .extension()
                .is_some_and(|x| ["pdf", "p7s", "xml"].iter().any(|k| x.eq_ignore_ascii_case(k)))
            {
                out.push(e);
            }
        }
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, recursive, 0, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Runs `kyso verify`.
pub fn run(a: VerifyArgs) -> u8 {
    let (folders, settings) = crate::user();
    let trust = match Material::for_user(&folders, &settings, &a.trust) {
        Ok(t) => t,
        Err(e) => {
            output::print_error(a.json, &e.into());
            return 2;
        }
    };
    let opts = VerifyOptions::new(trust, a.offline || settings.offline).with_cache(&folders.data);
    let files = expand(&a.paths, a.recursive);
    let show_progress = !a.json && files.len() > 1 && std::io::stderr().is_terminal();
    let total = files.len();
    let reports = kyso_core::legal::check_many(&files, a.content.as_deref(), &opts, &|done, p| {
        if show_progress {
            eprint!("\r\x1b[2K[{done}/{total}] {}", p.display());
        }
    });
    if show_progress {
        eprintln!();
    }
    if let Some(path) = &a.report {
        if let Err(e) = kyso_core::report::write(&reports, if a.english { "en" } else { "vi" }, path) {
            output::print_error(a.json, &e.into());
            return 2;
        }
    }
    let all_pass = !reports.is_empty() && reports.iter().all(|r| r.verdict == FileVerdict::TotalPassed);
    if a.json {
        let v = serde_json::json!({ "files": reports });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        output::print_reports(&reports, a.english);
    }
    u8::from(!all_pass)
}
