//! Signing a batch: one login for the whole batch, per-file results, progress events,
//! cancel between files. The PIN arrives once, zeroizing, and is dropped after login.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use kyso_core::sign::{self, ltv, SignOptions};
use kyso_core::signer::p12::P12Signer;
use kyso_core::signer::{Secret, Signer};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The PIN (or .p12 password) as received over IPC: zeroized on drop, never printed.
pub struct Pin(zeroize::Zeroizing<String>);

impl<'de> Deserialize<'de> for Pin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Pin(zeroize::Zeroizing::new(String::deserialize(d)?)))
    }
}

impl Pin {
    /// Moves the text into a [`Secret`] (both wipe on drop).
    pub fn into_secret(self) -> Secret {
        Secret::new(self.0.to_string())
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(***)")
    }
}

/// What the user asked to sign.
#[derive(Debug, Deserialize)]
pub struct SignRequest {
    /// Chosen files.
    pub files: Vec<String>,
    /// Certificate key from `list_certificates`, or empty with `p12`.
    pub certificate: String,
    /// A chosen .p12 file instead of a token.
    pub p12: Option<String>,
    /// PIN or .p12 password (absent for PIN-pad tokens).
    pub pin: Option<Pin>,
    /// A remote account's secret (SIM-PKI AP password, SmartCA/MySign/CSC secret).
    pub secret: Option<Pin>,
    /// Keep that secret in the system keyring for this account.
    #[serde(default)]
    pub remember_secret: bool,
    /// Reason.
    pub reason: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// PAdES level (`B-B`, `B-T`, `B-LT`, `B-LTA`); default: B-LT when a TSA is set and the
    /// app is online, else B-B.
    pub level: Option<String>,
    /// A visible signature (PDFs), with its Decree 30 role.
    pub appearance: Option<AppearanceRequest>,
}

/// What the UI asks to draw: a role, and/or a box the user placed on the preview.
#[derive(Debug, Deserialize, Default)]
pub struct AppearanceRequest {
    /// `approve`, `issue`, `appendix`, `copy`, `incoming`.
    pub role: Option<kyso_core::appearance::roles::Role>,
    /// Page (1-based) of `rect`.
    #[serde(default)]
    pub page: usize,
    /// `[x1, y1, x2, y2]` in points on the displayed page, origin bottom-left.
    pub rect: Option<[f32; 4]>,
    /// Text lines (else the role's or the signer's).
    #[serde(default)]
    pub text: Vec<String>,
    /// Number and symbol of the (main) document.
    pub doc_number: Option<String>,
    /// Copying organisation.
    pub org: Option<String>,
    /// Receipt text.
    pub receipt: Option<String>,
}

/// One file's outcome.
#[derive(Serialize, Clone)]
pub struct FileResult {
    /// Input.
    pub file: String,
    /// Output when signed.
    pub output: Option<String>,
    /// `signed`, `failed` or `cancelled`.
    pub status: String,
    /// Error when failed.
    pub error: Option<CommandError>,
    /// PAdES level reached (PDFs).
    pub level: Option<String>,
    /// Level still wanted when the rest waits for the network (the job is queued).
    pub pending: Option<String>,
}

#[derive(Serialize, Clone)]
struct Progress {
    index: usize,
    total: usize,
    file: String,
}

/// Stops the running batch after the current file; a remote signing stops waiting at once.
#[tauri::command]
pub fn cancel_signing(state: State<'_, AppState>) {
    state.cancel.store(true, Ordering::SeqCst);
    if let Some(c) = state.remote.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        c.cancel();
    }
}

/// Signs the chosen files with the chosen certificate.
#[tauri::command]
pub async fn sign_documents(app: AppHandle, request: SignRequest) -> CmdResult<Vec<FileResult>> {
    tauri::async_runtime::spawn_blocking(move || sign_blocking(&app, request))
        .await
        .map_err(|e| CommandError::new("INTERNAL", e.to_string()))?
}

/// A saved remote account: connects with the secrets typed now; progress goes to the window
/// as `remote-progress` events (what the phone shows, the code, the countdown).
fn open_remote(
    app: &AppHandle,
    state: &AppState,
    name: &str,
    secret: Option<Secret>,
    pin: Option<Secret>,
) -> CmdResult<Box<dyn Signer>> {
    use kyso_core::signer::remote::{self, Control, Secrets};
    // A secret the user asked Kyso to remember is in the system keyring, not in settings.
    let secret = secret.or_else(|| remote::keyring::saved(name));
    let provider = remote::load_providers()
        .remove(name)
        .ok_or_else(|| CommandError::new("CERT_NOT_FOUND", format!("no saved account \"{name}\"")))?;
    let events = app.clone();
    let control = Control::with_listener(move |p| {
        let _ = events.emit("remote-progress", p);
    });
    *state.remote.lock().unwrap_or_else(|e| e.into_inner()) = Some(control.clone());
    let mut browser = |url: &str| remote::open_browser(None, url);
    let signer = remote::open(
        &provider,
        Secrets {
            secret,
            pin,
            otp: None,
        },
        control,
        &mut browser,
    )?;
    Ok(signer)
}

/// Opens the signer the user chose: a token certificate key, a registered .p12, or a saved
/// remote account (`remote:NAME`). Used by signing and by the bridge's confirmation.
pub(crate) fn open_chosen(
    app: &AppHandle,
    state: &AppState,
    certificate: &str,
    p12: Option<&str>,
    pin: Option<Secret>,
    secret: Option<Secret>,
) -> CmdResult<Box<dyn Signer>> {
    match certificate.strip_prefix("remote:") {
        Some(name) => open_remote(app, state, name, secret, pin),
        None => {
            drop(secret);
            open_signer(state, certificate, p12, pin.as_ref())
        }
    }
}

fn open_signer(
    state: &AppState,
    certificate: &str,
    p12: Option<&str>,
    pin: Option<&Secret>,
) -> CmdResult<Box<dyn Signer>> {
    if let Some(p12) = p12 {
        let path = state.chosen(p12)?;
        let data = std::fs::read(path)?;
        let password = pin.ok_or_else(|| CommandError::new("PIN_REQUIRED", "password required"))?;
        return Ok(Box::new(P12Signer::from_bytes(&data, password.expose())?));
    }
    let mut parts = certificate.split('\n');
    let (Some(module_path), Some(serial), Some(cert_id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CommandError::new("CERT_NOT_FOUND", "no certificate chosen"));
    };
    let module_path = PathBuf::from(module_path);
    // Only drivers Kyso itself offered can be used.
    if !super::certs::module_paths(state).contains(&module_path) {
        return Err(CommandError::new("DRIVER_MISSING", "unknown driver"));
    }
    let module = super::certs::module(state, &module_path)?;
    let tokens = module.list(None)?;
    let token = tokens
        .iter()
        .find(|t| t.serial == serial)
        .ok_or_else(|| CommandError::new("TOKEN_MISSING", "the token was removed"))?;
    Ok(Box::new(module.open_signer(
        Some(&token.label),
        Some(cert_id),
        pin,
        &[],
    )?))
}

/// A name next to `input` that does not exist yet: `X-signed.pdf`, `X-signed (2).pdf`, …
fn free_output(input: &Path, pdf: bool) -> PathBuf {
    (1..1000)
        .map(|n| sign::output_path(input, pdf, n))
        .find(|p| !p.exists())
        .unwrap_or_else(|| sign::output_path(input, pdf, kyso_core::timefmt::now() as u32))
}

fn is_pdf(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 1024];
    std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .map(|n| head[..n].windows(5).any(|w| w == b"%PDF-"))
        .unwrap_or(false)
}

fn sign_blocking(app: &AppHandle, mut request: SignRequest) -> CmdResult<Vec<FileResult>> {
    let state = app.state::<AppState>();
    let mut inputs = Vec::new();
    for f in &request.files {
        inputs.push(state.chosen(f)?);
    }
    let pin = request.pin.take().map(|p| Secret::new(p.0.to_string()));
    let secret = request.secret.take().map(|p| Secret::new(p.0.to_string()));
    state.cancel.store(false, Ordering::SeqCst);
    let remote = request.certificate.starts_with("remote:");
    // Remembered only once the service has accepted it (below).
    let keep = match (
        request.certificate.strip_prefix("remote:"),
        request.remember_secret,
        &secret,
    ) {
        (Some(name), true, Some(s)) => Some((name.to_string(), Secret::new(s.expose().to_string()))),
        _ => None,
    };
    let opened = open_chosen(
        app,
        &state,
        &request.certificate,
        request.p12.as_deref(),
        pin,
        secret,
    );
    if let (Ok(_), Some((name, s))) = (&opened, keep) {
        let _ = kyso_core::signer::remote::keyring::save(&name, &s);
    }
    let result =
        opened.and_then(|mut signer| sign_with(app, &state, &request, &inputs, signer.as_mut(), remote));
    *state.remote.lock().unwrap_or_else(|e| e.into_inner()) = None;
    result
}

fn sign_with(
    app: &AppHandle,
    state: &AppState,
    request: &SignRequest,
    inputs: &[PathBuf],
    signer: &mut dyn Signer,
    remote: bool,
) -> CmdResult<Vec<FileResult>> {
    // The level: asked, or B-LT when a TSA is set and the app is online. With no TSA
    // reachable now, documents are signed B-B and queued (offline-first).
    let (tsa_urls, offline) = {
        let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        (s.tsa_urls.clone(), s.offline)
    };
    let wanted = match request.level.as_deref() {
        Some(l @ ("B-B" | "B-T" | "B-LT" | "B-LTA")) => l.to_string(),
        Some(other) => return Err(CommandError::new("POLICY", format!("unknown level {other}"))),
        None if !tsa_urls.is_empty() && !offline => "B-LT".into(),
        None => "B-B".into(),
    };
    // One probe for the whole batch: a TSA that answers and the room its tokens need.
    let (tsa_urls, tsa_room, waiting) = if wanted == "B-B" {
        (tsa_urls, None, None)
    } else if offline || tsa_urls.is_empty() {
        (
            tsa_urls,
            None,
            Some("offline mode or no timestamp authority configured".to_string()),
        )
    } else {
        match sign::probe_tsa(&tsa_urls, kyso_core::crypto::HashAlg::Sha256) {
            Ok((urls, room)) => (urls, Some(room), None),
            Err(e) => (tsa_urls, None, Some(e.to_string())),
        }
    };
    let trust = if wanted.starts_with("B-LT") {
        let o = crate::commands::verify::options(state)?;
        (o.anchors, o.intermediates)
    } else {
        Default::default()
    };
    // The visible signature is worked out before anything is signed, so a missing seal or
    // number stops the batch at once.
    let appearance = match &request.appearance {
        Some(a) => kyso_core::appearance::roles::spec(
            &kyso_core::appearance::roles::Request {
                role: a.role,
                place: a.rect.map(kyso_core::appearance::visible::Place::Rect),
                use_field: false,
                page: a.page.max(1),
                text: a.text.clone(),
                image: None,
                doc_number: a.doc_number.clone(),
                org: a.org.clone(),
                receipt: a.receipt.clone(),
            },
            &state.config_dir,
        )?
        .map(|spec| {
            kyso_core::appearance::roles::for_signer(spec, a.role, signer.certificate(), &state.config_dir)
        }),
        None => None,
    };
    let reason = request
        .reason
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            request
                .appearance
                .as_ref()
                .and_then(|a| kyso_core::appearance::roles::issue_reason(a.role, a.doc_number.as_deref()))
        });
    let opts = SignOptions {
        appearance,
        tsa_urls: if wanted == "B-B" { Vec::new() } else { tsa_urls },
        tsa_room,
        reason,
        location: request.location.clone().filter(|s| !s.trim().is_empty()),
        ..SignOptions::default()
    };
    let total = inputs.len();
    let req = ltv::LevelRequest {
        wanted: &wanted,
        waiting: waiting.clone(),
        queue: true,
        trust: trust.clone(),
    };
    // A remote service signs every PDF of the batch after one confirmation on the phone.
    if remote && inputs.iter().all(|p| is_pdf(p)) && total > 1 {
        let jobs: Vec<(PathBuf, PathBuf)> =
            inputs.iter().map(|p| (p.clone(), free_output(p, true))).collect();
        let _ = app.emit(
            "sign-progress",
            Progress {
                index: 0,
                total,
                file: String::new(),
            },
        );
        let outcomes = ltv::sign_batch_to_level(&jobs, signer, &opts, &req)?;
        let mut results = Vec::new();
        for ((input, output), r) in jobs.iter().zip(outcomes) {
            results.push(match r {
                Ok(o) => {
                    state.add_produced(output);
                    FileResult {
                        file: input.display().to_string(),
                        output: Some(output.display().to_string()),
                        status: "signed".into(),
                        error: None,
                        level: Some(o.level),
                        pending: o.pending.map(|p| p.wanted_level),
                    }
                }
                Err(e) => FileResult {
                    file: input.display().to_string(),
                    output: None,
                    status: "failed".into(),
                    error: Some(e.into()),
                    level: None,
                    pending: None,
                },
            });
        }
        return Ok(results);
    }
    let mut results = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let shown = input.display().to_string();
        if state.cancel.load(Ordering::SeqCst) {
            results.push(FileResult {
                file: shown,
                output: None,
                status: "cancelled".into(),
                error: None,
                level: None,
                pending: None,
            });
            continue;
        }
        let _ = app.emit(
            "sign-progress",
            Progress {
                index,
                total,
                file: shown.clone(),
            },
        );
        let pdf = is_pdf(input);
        let output = free_output(input, pdf);
        let outcome = if pdf {
            ltv::sign_to_level(
                input,
                &output,
                signer,
                &opts,
                ltv::LevelRequest {
                    wanted: &wanted,
                    waiting: waiting.clone(),
                    queue: true,
                    trust: trust.clone(),
                },
            )
            .map(|o| (Some(o.level), o.pending.map(|p| p.wanted_level)))
        } else {
            // A .p7s is timestamped when a TSA answered; it has no pending queue, so with
            // none reachable it is signed B-B.
            let mut o = opts.clone();
            if wanted == "B-B" || waiting.is_some() {
                o.tsa_urls.clear();
            }
            sign::detached::sign_detached(input, &output, signer, &o)
                .map(|d| (Some(d.level.to_string()), None))
        };
        match outcome {
            Ok((level, pending)) => {
                state.add_produced(&output);
                results.push(FileResult {
                    file: shown,
                    output: Some(output.display().to_string()),
                    status: "signed".into(),
                    error: None,
                    level,
                    pending,
                });
            }
            Err(e) => results.push(FileResult {
                file: shown,
                output: None,
                status: "failed".into(),
                error: Some(e.into()),
                level: None,
                pending: None,
            }),
        }
    }
    let _ = app.emit(
        "sign-progress",
        Progress {
            index: total,
            total,
            file: String::new(),
        },
    );
    Ok(results)
}
