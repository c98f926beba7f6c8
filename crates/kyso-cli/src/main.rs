//! `kyso`: the scriptable face of kyso-core. Parses flags, runs, maps errors to exit codes.
//!
//! Exit codes: `sign` 0 = signed, 1 = refused or failed; `verify` 0 = every signature of
//! every file passed, 1 = some file has a signature that did not pass or no signature,
//! 2 = could not run; `tokens` 0 / 2.

mod args;
mod longterm;
mod output;
mod pin;
mod remote;
mod serve;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use kyso_core::appearance::roles;
use kyso_core::cert::Certificate;
use kyso_core::crypto::{HashAlg, Scheme};
use kyso_core::sign::{self, ltv, SignOptions};
use kyso_core::signer::p12::P12Signer;
use kyso_core::signer::pkcs11::Module;
use kyso_core::signer::{Secret, Signer, SignerError};
use kyso_core::verify::{self, FileVerdict, VerifyOptions};
use kyso_core::Error;

use args::{
    Cli, Command, HashArg, LevelArg, ProfileCommand, RoleArg, SignArgs, SignerArgs, TokensArgs, TrustCommand,
    VerifyArgs,
};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Sign(a) => run_sign(*a),
        Command::Verify(a) => run_verify(a),
        Command::Augment(a) => longterm::run_augment(a),
        Command::Journal(a) => longterm::run_journal(a),
        Command::Profile(c) => run_profile(c),
        Command::Tokens(a) => run_tokens(a),
        Command::Trust(c) => run_trust(c),
        Command::Providers(c) => remote::run(c),
        Command::Serve(a) => serve::run(*a),
    };
    ExitCode::from(code)
}

/// Modules to use: the one given, else `$KYSO_PKCS11_MODULE`, else those discovered.
pub(crate) fn module_paths(given: Option<&Path>) -> Vec<PathBuf> {
    if let Some(p) = given {
        return vec![p.to_path_buf()];
    }
    if let Some(p) = std::env::var_os("KYSO_PKCS11_MODULE").filter(|p| !p.is_empty()) {
        return vec![PathBuf::from(p)];
    }
    kyso_core::signer::discover::find_installed()
}

fn read_secret_line(text: String) -> Secret {
    let mut text = zeroize::Zeroizing::new(text);
    let line = text.lines().next().unwrap_or("").to_string();
    let s = Secret::new(line);
    use zeroize::Zeroize;
    text.zeroize();
    s
}

/// The PIN from the automation sources, if one was named.
fn pin_from_flags(a: &SignerArgs) -> Result<Option<Secret>, Error> {
    if let Some(var) = &a.pin_env {
        let v = std::env::var(var).map_err(|_| {
            Error::Signer(SignerError::Token(format!(
                "environment variable {var} is not set"
            )))
        })?;
        return Ok(Some(Secret::new(v)));
    }
    if a.pin_stdin {
        return Ok(Some(pin::from_stdin()?));
    }
    if let Some(fd) = a.pin_fd {
        return Ok(Some(pin::from_fd(fd)?));
    }
    if let Some(f) = &a.pin_file {
        return Ok(Some(read_secret_line(std::fs::read_to_string(f)?)));
    }
    Ok(None)
}

pub(crate) fn prompt_secret(prompt: &str) -> Result<Option<Secret>, Error> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let s = rpassword::prompt_password(prompt)?;
    Ok(Some(Secret::new(s)))
}

fn load_chain(paths: &[PathBuf]) -> Result<Vec<kyso_core::cert::Certificate>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let data = std::fs::read(p)?;
        let certs = kyso_core::cert::parse_certificates(&data);
        if certs.is_empty() {
            return Err(Error::Policy(format!("no certificate found in {}", p.display())));
        }
        out.extend(certs);
    }
    Ok(out)
}

pub(crate) fn open_signer(a: &SignerArgs) -> Result<Box<dyn Signer>, Error> {
    if a.remote.wanted() {
        return remote::open(&a.remote, pin_from_flags(a)?);
    }
    let extra = load_chain(&a.chain)?;
    if let Some(p12) = &a.p12 {
        let data = std::fs::read(p12)?;
        let password = match &a.p12_password_env {
            Some(var) => Some(Secret::new(std::env::var(var).map_err(|_| {
                Error::Signer(SignerError::P12(format!("environment variable {var} is not set")))
            })?)),
            None => match pin_from_flags(a)? {
                Some(s) => Some(s),
                None => prompt_secret("Mật khẩu tệp chứng thư / certificate file password: ")?,
            },
        };
        let password = password.ok_or(Error::Signer(SignerError::PinRequired))?;
        let mut s = P12Signer::from_bytes(&data, password.expose())?;
        s.add_chain(&extra);
        return Ok(Box::new(s));
    }
    let paths = module_paths(a.pkcs11.as_deref());
    let Some(path) = paths.first() else {
        return Err(Error::Signer(SignerError::ModuleLoad {
            path: "(none found)".into(),
            reason: "no token driver was found; install your token's driver or pass --pkcs11".into(),
        }));
    };
    let module = std::sync::Arc::new(Module::load(path)?);
    let mut pin = pin_from_flags(a)?;
    if pin.is_none() {
        // Prompt only when the chosen token has no PIN pad.
        let tokens = module.list(None)?;
        let token = tokens
            .iter()
            .find(|t| a.token.as_deref().is_none_or(|l| l == t.label));
        if let Some(t) = token {
            if !t.protected_authentication_path {
                pin = prompt_secret(&format!(
                    "Mã PIN của thiết bị ký / PIN for token \"{}\": ",
                    t.label
                ))?;
            }
        }
    }
    let mut signer = module.open_signer(a.token.as_deref(), a.cert.as_deref(), pin.as_ref(), &extra)?;
    drop(pin);
    if a.raw_mechanism {
        signer.use_raw_mechanisms();
    }
    Ok(Box::new(signer))
}

fn run_sign(a: SignArgs) -> u8 {
    let json = a.json;
    match sign_inner(a) {
        Ok(v) => {
            output::print_json_or(json, &v, || output::print_sign(&v));
            // A folder with documents that could not be signed is not a success.
            let failed = v
                .get("failed")
                .and_then(|f| f.as_array())
                .is_some_and(|f| !f.is_empty());
            u8::from(failed)
        }
        Err(e) => {
            output::print_error(json, &e);
            1
        }
    }
}

/// The documents of a folder batch: every PDF directly in `dir` that is not already a
/// `-signed` output, each with its output in `out_dir`.
fn folder_jobs(dir: &Path, out_dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let mut jobs = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if p.is_file() && name.ends_with(".pdf") && !name.ends_with("-signed.pdf") {
            let out = sign::output_path(&p, true, 1);
            let out = out_dir.join(out.file_name().unwrap_or_default());
            jobs.push((p, out));
        }
    }
    jobs.sort();
    if jobs.is_empty() {
        return Err(Error::Policy(format!("no PDF to sign in {}", dir.display())));
    }
    Ok(jobs)
}

fn sign_inner(a: SignArgs) -> Result<serde_json::Value, Error> {
    let folder = a.input.is_dir();
    if folder && a.detached {
        return Err(Error::Policy(
            "a folder is signed PDF by PDF; --detached takes one file".into(),
        ));
    }
    let output = a.output.clone().unwrap_or_else(|| {
        if folder {
            a.input.clone()
        } else {
            sign::output_path(&a.input, !a.detached, 1)
        }
    });
    let jobs = if folder {
        std::fs::create_dir_all(&output)?;
        folder_jobs(&a.input, &output)?
    } else {
        vec![(a.input.clone(), output.clone())]
    };
    let hash = match a.hash {
        HashArg::Sha256 => HashAlg::Sha256,
        HashArg::Sha384 => HashAlg::Sha384,
        HashArg::Sha512 => HashAlg::Sha512,
    };
    if !folder && !a.detached && !looks_like_pdf(&a.input)? {
        return Err(Error::Policy(
            "the input is not a PDF; use --detached to make a separate .p7s signature for other files".into(),
        ));
    }
    // TSAs: --tsa, else the ones in the app's settings (same config folder), for levels
    // that need one.
    let mut a = a;
    if a.tsa.is_empty() && !matches!(a.level, None | Some(LevelArg::BB)) {
        a.tsa = settings_tsa_urls();
    }
    let tsa_urls = match (a.level, a.tsa.is_empty()) {
        (Some(LevelArg::BB), _) => Vec::new(),
        (Some(LevelArg::BT) | None, false) => a.tsa.clone(),
        (Some(LevelArg::BT), true) => {
            return Err(Error::Policy(
                "level B-T needs a timestamp authority: add --tsa URL".into(),
            ))
        }
        (Some(LevelArg::BLt | LevelArg::BLta), true) => {
            return Err(Error::Policy(
                "levels B-LT and B-LTA need a timestamp authority: add --tsa URL".into(),
            ))
        }
        (Some(LevelArg::BLt | LevelArg::BLta), false) => a.tsa.clone(),
        (None, true) => Vec::new(),
    };
    let long_term = match a.level {
        Some(LevelArg::BLt) => Some(ltv::Level::Lt),
        Some(LevelArg::BLta) => Some(ltv::Level::Lta),
        _ => None,
    };
    if a.detached && long_term.is_some() {
        return Err(Error::Policy(
            "B-LT and B-LTA are PDF levels; a detached signature can be B-B or B-T".into(),
        ));
    }
    // Refuse early (before a PIN is asked) when the output cannot be written or no TSA answers.
    // In a folder, a document that cannot be signed is reported and the others go on.
    let mut refused = Vec::new();
    let jobs: Vec<(PathBuf, PathBuf)> = jobs
        .into_iter()
        .filter(|(input, out)| {
            let check = sign::check_output(input, out, a.force).and_then(|_| {
                if a.detached {
                    Ok(())
                } else {
                    sign::check_document(input)
                }
            });
            match check {
                Ok(()) => true,
                Err(e) if folder => {
                    refused.push(serde_json::json!({
                        "input": input, "error": {"code": e.code(), "message": e.to_string()}
                    }));
                    false
                }
                Err(_) => true,
            }
        })
        .collect();
    if !folder {
        sign::check_output(&a.input, &output, a.force)?;
        if !a.detached {
            sign::check_document(&a.input)?;
        }
    } else if jobs.is_empty() {
        return Ok(serde_json::json!({"signed": [], "failed": refused}));
    }
    // Offline-first: with no TSA reachable, sign B-B now and queue the rest for later.
    let wanted = match (a.level, tsa_urls.is_empty()) {
        (Some(l), _) => longterm::level_name(l),
        (None, false) => "B-T",
        (None, true) => "B-B",
    };
    // One probe, before the PIN: it finds a TSA that answers and the room its tokens need.
    let (tsa_urls, tsa_room, waiting) = match sign::probe_tsa(&tsa_urls, hash) {
        Ok((urls, room)) => (urls, Some(room), None),
        Err(Error::Timestamp(why)) if !a.no_queue && !a.detached => (tsa_urls.clone(), None, Some(why)),
        Err(e) => return Err(e),
    };
    let appearance = visible_spec(&a)?;
    let mut signer = open_signer(&a.signer)?;
    // Without --text, the visible signature says who signed and when.
    let appearance = appearance.map(|spec| {
        roles::for_signer(
            spec,
            role_of(a.role),
            signer.certificate(),
            &kyso_core::trust::config_dir(),
        )
    });
    let reason = a
        .reason
        .clone()
        .or_else(|| roles::issue_reason(role_of(a.role), a.doc_number.as_deref()));
    let opts = SignOptions {
        field: a.field,
        hash,
        scheme: a.pss.then_some(Scheme::RsaPss),
        reason,
        location: a.location,
        contact_info: a.contact,
        time: kyso_core::timefmt::now(),
        force: a.force,
        tsa_urls,
        tsa_room,
        certify: a.certify,
        appearance,
        lock_fields: a.lock_fields.as_deref().map(|l| match l {
            "all" => verify::diff::FieldLock::All,
            names => verify::diff::FieldLock::Include(
                names
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .collect(),
            ),
        }),
    };
    if a.detached {
        let rec = journal_start("sign", &a.input, &output, wanted);
        let out = sign::detached::sign_detached(&a.input, &output, signer.as_mut(), &opts);
        match &out {
            Ok(o) => rec.finish(
                "ok",
                o.level,
                Some((o.output.as_path(), &kyso_core::sign::FileDigests::default())),
                Some((
                    o.signer.common_name.clone().unwrap_or_default(),
                    kyso_core::cert::fingerprint(signer.certificate()),
                )),
                None,
            ),
            Err(e) => rec.finish("failed", "", None, None, Some(e.code().into())),
        }
        return Ok(serde_json::to_value(out?).unwrap_or_default());
    }
    let trust = if long_term.is_some() {
        trust_material(&a.trust)?
    } else {
        Default::default()
    };
    let req = ltv::LevelRequest {
        wanted,
        waiting,
        queue: !a.no_queue,
        trust,
    };
    if folder {
        let results = ltv::sign_batch_to_level(&jobs, signer.as_mut(), &opts, &req)?;
        let mut signed = Vec::new();
        for ((input, _), r) in jobs.iter().zip(results) {
            match r {
                Ok(o) => signed.push(serde_json::to_value(o).unwrap_or_default()),
                Err(e) => refused.push(serde_json::json!({
                    "input": input, "error": {"code": e.code(), "message": e.to_string()}
                })),
            }
        }
        return Ok(serde_json::json!({"signed": signed, "failed": refused}));
    }
    let out = ltv::sign_to_level(&a.input, &output, signer.as_mut(), &opts, req)?;
    if let Some(w) = &out.journal_warning {
        eprintln!("kyso: warning: {w}");
    }
    Ok(serde_json::to_value(out).unwrap_or_default())
}

fn role_of(r: Option<RoleArg>) -> Option<roles::Role> {
    r.map(|r| match r {
        RoleArg::Approve => roles::Role::Approve,
        RoleArg::Issue => roles::Role::Issue,
        RoleArg::Appendix => roles::Role::Appendix,
        RoleArg::Copy => roles::Role::Copy,
        RoleArg::Incoming => roles::Role::Incoming,
    })
}

/// The visible-signature request from the flags (completed once the signer is known).
fn visible_spec(a: &SignArgs) -> Result<Option<kyso_core::appearance::visible::Spec>, Error> {
    use kyso_core::appearance::visible::Place;
    let image = match &a.image {
        Some(p) => {
            Some(std::fs::read(p).map_err(|e| Error::Policy(format!("the image {}: {e}", p.display())))?)
        }
        None => None,
    };
    let bad = || Error::Policy("--visible takes PAGE,X1,Y1,X2,Y2 (numbers, points) or field".into());
    let (page, place, use_field) = match a.visible.as_deref() {
        None if a.anchor.is_some() => {
            let at = kyso_core::appearance::visible::AnchorAt::from_name(&a.anchor_at)
                .ok_or_else(|| Error::Policy("--anchor-at takes above, over, below or right".into()))?;
            let size: Vec<f32> = a
                .anchor_box
                .split(['x', 'X'])
                .filter_map(|v| v.trim().parse().ok())
                .collect();
            let [w, h] = size.as_slice() else {
                return Err(Error::Policy(
                    "--anchor-box takes WIDTHxHEIGHT in points, e.g. 170x60".into(),
                ));
            };
            if *w < 10.0 || *h < 10.0 {
                return Err(Error::Policy(
                    "the anchored box needs at least 10 × 10 points".into(),
                ));
            }
            let text = a.anchor.clone().unwrap_or_default();
            (
                1,
                Some(Place::Anchor {
                    text,
                    width: *w,
                    height: *h,
                    at,
                }),
                false,
            )
        }
        None => (1, None, false),
        Some("field") => {
            if a.field.is_none() {
                return Err(Error::Policy("--visible field needs --field NAME".into()));
            }
            (1, None, true)
        }
        Some(v) => {
            let n: Vec<f32> = v
                .split(',')
                .map(|x| x.trim().parse::<f32>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad())?;
            let [p, x1, y1, x2, y2] = n.as_slice() else {
                return Err(bad());
            };
            if *p < 1.0 || (x2 - x1).abs() < 10.0 || (y2 - y1).abs() < 10.0 {
                return Err(Error::Policy(
                    "the visible signature needs a page ≥ 1 and a box of at least 10 × 10 points".into(),
                ));
            }
            (*p as usize, Some(Place::Rect([*x1, *y1, *x2, *y2])), false)
        }
    };
    roles::spec(
        &roles::Request {
            role: role_of(a.role),
            place,
            use_field,
            page,
            text: a.text.clone(),
            image,
            doc_number: a.doc_number.clone(),
            org: a.org.clone(),
            receipt: a.receipt.clone(),
        },
        &kyso_core::trust::config_dir(),
    )
}

/// The TSA URLs in the desktop app's settings (`settings.json` in the config folder).
fn settings_tsa_urls() -> Vec<String> {
    std::fs::read(kyso_core::trust::config_dir().join("settings.json"))
        .ok()
        .and_then(|d| serde_json::from_slice::<serde_json::Value>(&d).ok())
        .and_then(|v| {
            v["tsa_urls"]
                .as_array()
                .map(|a| a.iter().filter_map(|u| u.as_str().map(str::to_string)).collect())
        })
        .unwrap_or_default()
}

/// Starts a journal entry; says once on stderr when the journal cannot be used.
pub(crate) fn journal_start(
    action: &str,
    input: &Path,
    output: &Path,
    level: &str,
) -> kyso_core::journal::Entry {
    let e = kyso_core::journal::Entry::start(action, input, output, level);
    if let Some(w) = e.warning() {
        eprintln!("kyso: warning: {w}");
    }
    e
}

fn looks_like_pdf(p: &Path) -> Result<bool, Error> {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let mut f = std::fs::File::open(p)?;
    let n = f.read(&mut head)?;
    Ok(head[..n].windows(5).any(|w| w == b"%PDF-"))
}

/// Files to check: files as given; folders expand to their PDFs and .p7s files (recursively
/// with `-r`, bounded depth).
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
                .is_some_and(|x| x.eq_ignore_ascii_case("pdf") || x.eq_ignore_ascii_case("p7s"))
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

fn run_profile(c: ProfileCommand) -> u8 {
    use kyso_core::appearance::profile::Profile;
    let config = kyso_core::trust::config_dir();
    let r = (|| -> Result<(Profile, bool), Error> {
        let mut p = Profile::load(&config).map_err(|e| Error::Policy(e.to_string()))?;
        match c {
            ProfileCommand::Show { json } => Ok((p, json)),
            ProfileCommand::Set {
                org,
                seal,
                signature,
                approve_text,
            } => {
                if let Some(o) = org {
                    p.organization = Some(o);
                }
                if let Some(f) = seal {
                    p.seal = Some(
                        Profile::store_image(&config, &f, "seal")
                            .map_err(|e| Error::Policy(e.to_string()))?,
                    );
                }
                for (i, s) in signature.iter().enumerate() {
                    let (name, file) = s
                        .split_once('=')
                        .ok_or_else(|| Error::Policy("--signature takes NAME=FILE".into()))?;
                    let stored = Profile::store_image(
                        &config,
                        Path::new(file),
                        &format!("signature-{i}-{}", p.signatures.len()),
                    )
                    .map_err(|e| Error::Policy(e.to_string()))?;
                    p.signatures.insert(name.to_string(), stored);
                }
                if !approve_text.is_empty() {
                    p.approve_text = approve_text;
                }
                p.save(&config).map_err(|e| Error::Policy(e.to_string()))?;
                Ok((p, false))
            }
        }
    })();
    match r {
        Ok((p, json)) => {
            let v = serde_json::to_value(&p).unwrap_or_default();
            output::print_json_or(json, &v, || {
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default())
            });
            0
        }
        Err(e) => {
            output::print_error(false, &e);
            1
        }
    }
}

fn run_trust(c: TrustCommand) -> u8 {
    let mut store = kyso_core::trust::TrustStore::open(&kyso_core::trust::config_dir());
    match c {
        TrustCommand::Import { files, custom, json } => {
            let mut imported = Vec::new();
            for f in &files {
                let data = if f.starts_with("http://") || f.starts_with("https://") {
                    match kyso_core::trust::fetch::get(f, kyso_core::trust::fetch::MAX_CERT) {
                        Ok(d) => d,
                        Err(e) => {
                            let e = Error::Policy(format!("cannot download {f}: {e}"));
                            output::print_error(json, &e);
                            return 1;
                        }
                    }
                } else {
                    match std::fs::read(f) {
                        Ok(d) => d,
                        Err(e) => {
                            output::print_error(json, &Error::Io(e));
                            return 1;
                        }
                    }
                };
                match store.import(&data, custom) {
                    Ok(entries) => imported.extend(entries),
                    Err(e) => {
                        output::print_error(json, &Error::Policy(e.to_string()));
                        return 1;
                    }
                }
            }
            let v = serde_json::json!({ "imported": imported });
            output::print_json_or(json, &v, || {
                for e in &imported {
                    println!(
                        "imported {:?}: {} ({})",
                        e.role,
                        e.subject,
                        e.pinned_as.unwrap_or("custom anchor")
                    );
                }
            });
            0
        }
        TrustCommand::List { json } => {
            let v = serde_json::json!({ "stored": store.list(), "pins": kyso_core::trust::PINS });
            output::print_json_or(json, &v, || {
                for e in store.list() {
                    println!(
                        "{:?}  {}  {}  {}",
                        e.role,
                        &e.sha256[..16],
                        e.subject,
                        e.pinned_as.unwrap_or("custom anchor")
                    );
                }
                println!("Pinned authorities (import their certificates with `kyso trust import FILE`):");
                for p in kyso_core::trust::PINS {
                    println!("  {:?}  {}  {}  {}", p.role, &p.sha256[..16], p.name, p.url);
                }
            });
            0
        }
    }
}

/// Trust anchors from `--trust` files plus the user's trust store; intermediates from the
/// store.
pub(crate) fn trust_material(trust: &[PathBuf]) -> Result<(Vec<Certificate>, Vec<Certificate>), Error> {
    let mut anchors = Vec::new();
    for t in trust {
        let certs = kyso_core::cert::parse_certificates(&std::fs::read(t)?);
        if certs.is_empty() {
            return Err(Error::Policy(format!("no certificate in {}", t.display())));
        }
        anchors.extend(certs);
    }
    // The user's trust store (imported pinned authorities and custom anchors) adds to --trust.
    let store = kyso_core::trust::TrustStore::open(&kyso_core::trust::config_dir());
    anchors.extend(store.anchors.iter().cloned());
    Ok((anchors, store.intermediates.clone()))
}

fn run_verify(a: VerifyArgs) -> u8 {
    let (anchors, intermediates) = match trust_material(&a.trust) {
        Ok(t) => t,
        Err(e) => {
            output::print_error(a.json, &e);
            return 2;
        }
    };
    let opts = VerifyOptions {
        anchors,
        intermediates,
        offline: a.offline,
        now: None,
    };
    let files = expand(&a.paths, a.recursive);
    let show_progress = !a.json && files.len() > 1 && std::io::stderr().is_terminal();
    let total = files.len();
    let reports = verify::verify_many(&files, a.content.as_deref(), &opts, &|done, p| {
        if show_progress {
            eprint!("\r\x1b[2K[{done}/{total}] {}", p.display());
        }
    });
    if show_progress {
        eprintln!();
    }
    if let Some(path) = &a.report {
        if let Err(e) = verify::write_report(&reports, if a.english { "en" } else { "vi" }, path) {
            output::print_error(a.json, &e);
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
    if all_pass {
        0
    } else {
        1
    }
}

fn run_tokens(a: TokensArgs) -> u8 {
    let paths = module_paths(a.pkcs11.as_deref());
    let pin = match &a.pin_env {
        Some(var) => match std::env::var(var) {
            Ok(v) => Some(Secret::new(v)),
            Err(_) => {
                output::print_error(
                    a.json,
                    &Error::Signer(SignerError::Token(format!(
                        "environment variable {var} is not set"
                    ))),
                );
                return 2;
            }
        },
        None => None,
    };
    let mut modules = Vec::new();
    let mut failed = false;
    for p in &paths {
        match Module::load(p).and_then(|m| m.list(pin.as_ref())) {
            Ok(tokens) => {
                modules.push(serde_json::json!({ "module": p.display().to_string(), "tokens": tokens }))
            }
            Err(e) => {
                failed = true;
                let message = e.to_string();
                modules.push(serde_json::json!({
                    "module": p.display().to_string(),
                    "error": { "code": Error::Signer(e).code(), "message": message }
                }));
            }
        }
    }
    let v = serde_json::json!({ "modules": modules });
    if a.json {
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        output::print_tokens(&v);
    }
    // Not one driver usable (none found, or every one failed to load) is a failure.
    if paths.is_empty() || (failed && modules.iter().all(|m| m.get("error").is_some())) {
        2
    } else {
        0
    }
}
