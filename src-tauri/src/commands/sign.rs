//! Signing a batch: one login for the whole batch, per-file results, progress events,
//! cancel between files. The PIN arrives once, zeroizing, and is dropped after login.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use kyso_core::appearance::roles;
use kyso_core::appearance::visible::Place;
use kyso_core::level::Level;
use kyso_core::signer::p12::P12Signer;
use kyso_core::signer::{Secret, Signer, SignerError};
use kyso_core::workflow::{self, Context, Detached, Job, Observer};
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
    /// PAdES level (`B-B`, `B-T`, `B-LT`, `B-LTA`); default: the core's (B-T when a TSA is
    /// set, else B-B).
    pub level: Option<String>,
    /// A visible signature (PDFs), with its Decree 30 role.
    pub appearance: Option<AppearanceRequest>,
    /// XML: the form (`einvoice`, `tax`, `bhxh`); recognised from each file when absent.
    #[serde(default)]
    pub xml_profile: Option<kyso_core::xml::Form>,
    /// XML: the form's place for this signature (`NBan`, `NMua`, `CQT` …); the next free
    /// one when absent.
    #[serde(default)]
    pub xml_into: Option<String>,
}

/// What the Sign screen shows for an XML file: the form recognised, its summary, the places
/// a signature can go, and what a signing would do now (or why it cannot).
#[derive(Serialize)]
pub struct XmlInfo {
    /// The form, when recognised.
    pub form: Option<kyso_core::xml::Form>,
    /// The summary (what the file is about).
    pub summary: Option<kyso_core::xml::Summary>,
    /// The form's places: (name, Vietnamese, English).
    pub slots: Vec<(&'static str, &'static str, &'static str)>,
    /// What a signing with `form`/`into` would sign, and where.
    pub target: Option<kyso_core::xml::sign::Planned>,
    /// Why it cannot be signed so.
    pub error: Option<CommandError>,
}

/// The XML side of a chosen file, for the Sign screen's form and place pickers.
#[tauri::command]
pub fn inspect_xml(
    state: State<'_, AppState>,
    path: String,
    form: Option<kyso_core::xml::Form>,
    into: Option<String>,
) -> CmdResult<XmlInfo> {
    let p = state.chosen(&path)?;
    let data = std::fs::read(&p)?;
    let detected = kyso_core::xml::detect_profile(&data);
    let shown = form.or(detected);
    let choice = kyso_core::xml::sign::Choice {
        form,
        into,
        ..Default::default()
    };
    let (target, error) = match kyso_core::sign::xml::check_xml(&p, &choice) {
        Ok(t) => (Some(t), None),
        Err(e) => (None, Some(e.into())),
    };
    Ok(XmlInfo {
        form: detected,
        summary: kyso_core::xml::summary(&data),
        slots: shown
            .map(|f| {
                kyso_core::xml::profile::Profile::of(f)
                    .slots
                    .iter()
                    .map(|s| (s.name, s.label.0, s.label.1))
                    .collect()
            })
            .unwrap_or_default(),
        target,
        error,
    })
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
    /// Copy form: `sao-y` (default), `sao-luc`, `trich-sao`.
    pub copy_form: Option<roles::CopyForm>,
    /// Show the profile's seal on a copy (no image by default, as Decree 30 says).
    #[serde(default)]
    pub seal: bool,
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
    /// Level reached (PDFs; B-B for XML).
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
    let provider = remote::load_providers(&state.config_dir)
        .remove(name)
        .ok_or_else(|| CommandError::new("CERT_NOT_FOUND", format!("no saved account \"{name}\"")))?;
    let events = app.clone();
    let control = Control::with_listener(move |p| {
        let _ = events.emit("remote-progress", p);
    });
    *state.remote.lock().unwrap_or_else(|e| e.into_inner()) = Some(control.clone());
    let mut browser = |url: &str| remote::open_browser(None, url, &[]);
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

fn sign_blocking(app: &AppHandle, mut request: SignRequest) -> CmdResult<Vec<FileResult>> {
    let state = app.state::<AppState>();
    let mut inputs = Vec::new();
    for f in &request.files {
        inputs.push(state.chosen(f)?);
    }
    let pin = request.pin.take().map(|p| Secret::new(p.0.to_string()));
    let secret = request.secret.take().map(|p| Secret::new(p.0.to_string()));
    state.cancel.store(false, Ordering::SeqCst);
    let settings = state.settings();
    let ctx = Context {
        folders: &state.folders,
        settings: &settings,
        journal: &state.journal,
    };
    // Everything that can be refused is refused before the token is opened.
    let level = match request.level.as_deref() {
        Some(l) => {
            Some(Level::parse(l).ok_or_else(|| CommandError::new("POLICY", format!("unknown level {l}")))?)
        }
        None => None,
    };
    let req = workflow::Request {
        level,
        detached: Detached::Auto,
        reason: request.reason.clone(),
        location: request.location.clone(),
        appearance: request.appearance.as_ref().map(|a| roles::Request {
            role: a.role,
            place: a.rect.map(Place::Rect),
            page: a.page.max(1),
            text: a.text.clone(),
            doc_number: a.doc_number.clone(),
            org: a.org.clone(),
            receipt: a.receipt.clone(),
            copy_form: a.copy_form,
            seal: a.seal,
            ..roles::Request::default()
        }),
        xml_profile: request.xml_profile,
        xml_into: request.xml_into.clone(),
        ..workflow::Request::default()
    };
    let jobs: Vec<Job> = inputs
        .iter()
        .map(|p| Job {
            input: p.clone(),
            output: workflow::output_beside(p, workflow::signs_inside(p)),
        })
        .collect();
    let mut plan = workflow::plan(&ctx, &req, jobs)?;
    let mut results: Vec<FileResult> = plan
        .take_refused()
        .into_iter()
        .map(|(job, e)| FileResult::failed(&job.input, e))
        .collect();
    if plan.is_empty() {
        return Ok(results);
    }
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
    let run = opened.and_then(|mut signer| {
        let mut observer = Events { app, state: &state };
        Ok(plan.run(&state.journal, signer.as_mut(), &mut observer)?)
    });
    *state.remote.lock().unwrap_or_else(|e| e.into_inner()) = None;
    for (job, r) in run? {
        results.push(match r {
            Ok(signed) => {
                state.add_produced(signed.output());
                FileResult {
                    file: job.input.display().to_string(),
                    output: Some(signed.output().display().to_string()),
                    status: "signed".into(),
                    error: None,
                    level: Some(signed.level().to_string()),
                    pending: signed.pending().map(|l| l.to_string()),
                }
            }
            Err(kyso_core::Error::Signer(SignerError::Cancelled)) => FileResult {
                status: "cancelled".into(),
                ..FileResult::failed(&job.input, kyso_core::Error::Signer(SignerError::Cancelled))
            },
            Err(e) => FileResult::failed(&job.input, e),
        });
    }
    // In the order the user chose them.
    results.sort_by_key(|r| inputs.iter().position(|p| p.display().to_string() == r.file));
    Ok(results)
}

impl FileResult {
    fn failed(input: &Path, e: kyso_core::Error) -> Self {
        Self {
            file: input.display().to_string(),
            output: None,
            status: "failed".into(),
            error: Some(e.into()),
            level: None,
            pending: None,
        }
    }
}

/// Progress to the window; the cancel button stops between files.
struct Events<'a> {
    app: &'a AppHandle,
    state: &'a AppState,
}

impl Observer for Events<'_> {
    fn progress(&mut self, index: usize, total: usize, input: &Path) {
        let _ = self.app.emit(
            "sign-progress",
            Progress {
                index,
                total,
                file: input.display().to_string(),
            },
        );
    }

    fn cancelled(&self) -> bool {
        self.state.cancel.load(Ordering::SeqCst)
    }
}
