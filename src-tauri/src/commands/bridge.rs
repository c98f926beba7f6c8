//! The local signing bridge inside the app (off until the user turns it on in Settings).
//! Document-management pages call it on 127.0.0.1; every new site and every signing request
//! is put to the user in a dialog (`bridge-origin`, `bridge-request` events), answered by
//! `bridge_origin_answer` / `bridge_answer` — with the certificate and PIN, as for any signing.
//! A question about a new site never takes the focus (the taskbar entry asks for attention);
//! a signing request brings the window forward. The dialog shows each fetched document's
//! first page, read through `bridge_document` while the request waits.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kyso_bridge::{transfer, Ask, Bridge, Host, Limits};
use kyso_core::cert::Certificate;
use kyso_core::signer::{Secret, SignRequest, Signer, SignerError};
use kyso_core::{KeyKind, Scheme};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use super::sign::Pin;
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// How long a question waits for the user.
const ASK_TIMEOUT: Duration = Duration::from_secs(300);
/// Largest document the dialog's first-page picture reads.
const MAX_PREVIEW: u64 = 64 << 20;

/// The user's answer to a signing request.
pub struct Choice {
    certificate: String,
    p12: Option<String>,
    pin: Option<Secret>,
    secret: Option<Secret>,
}

enum Answer {
    Origin(bool),
    Sign(Option<Choice>),
}

/// The running bridge and the questions waiting for the user.
#[derive(Default)]
pub struct BridgeState {
    stop: Mutex<Option<Arc<AtomicBool>>>,
    status: Mutex<BridgeStatus>,
    waiting: Mutex<HashMap<u64, Sender<Answer>>>,
    next: AtomicU64,
    /// The fetched documents of each signing request waiting for the user (for their
    /// first-page pictures): files the bridge wrote, never paths a page chose.
    documents: Mutex<HashMap<u64, Vec<PathBuf>>>,
}

impl BridgeState {
    /// Whether this app's bridge listens now (the self-check's "on").
    pub fn listening(&self) -> bool {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).listening
    }
}

/// What the settings screen shows.
#[derive(Clone, Default, Serialize)]
pub struct BridgeStatus {
    /// Listening now.
    pub listening: bool,
    /// Port.
    pub port: u16,
    /// Why it is not listening (port taken …).
    pub error: Option<CommandError>,
    /// The local certificate authority users import for `wss://`.
    pub ca_path: Option<String>,
}

#[derive(Clone, Serialize)]
struct OriginQuestion {
    id: u64,
    origin: String,
}

#[derive(Clone, Serialize)]
struct SignQuestion {
    id: u64,
    #[serde(flatten)]
    ask: Ask,
}

/// A question is over (`bridge-done`): it timed out, the signing could not start, or the
/// bridge is done with the signer. The window closes what it still shows for `id` (the
/// question, the remote confirmation) and tells the user how it went.
#[derive(Clone, Serialize)]
struct Done {
    id: u64,
    /// A signature was made.
    signed: bool,
    error: Option<CommandError>,
}

fn done(app: &AppHandle, id: u64, signed: bool, error: Option<CommandError>) {
    let _ = app.emit("bridge-done", Done { id, signed, error });
}

/// The signer handed to the bridge: when the bridge drops it (every document signed and
/// sent, or failed), the window hears `bridge-done`.
struct Watched {
    inner: Box<dyn Signer>,
    app: AppHandle,
    id: u64,
    signed: bool,
    error: Option<CommandError>,
}

impl Watched {
    fn noted<T>(&mut self, r: Result<T, SignerError>) -> Result<T, SignerError> {
        match r {
            Ok(v) => {
                self.signed = true;
                Ok(v)
            }
            Err(e) => {
                let err = kyso_core::Error::Signer(e);
                if self.error.is_none() {
                    self.error = Some(CommandError::new(err.code(), err.to_string()));
                }
                Err(match err {
                    kyso_core::Error::Signer(e) => e,
                    _ => SignerError::Cancelled,
                })
            }
        }
    }
}

impl Signer for Watched {
    fn certificate(&self) -> &Certificate {
        self.inner.certificate()
    }
    fn chain(&self) -> &[Certificate] {
        self.inner.chain()
    }
    fn key_kind(&self) -> KeyKind {
        self.inner.key_kind()
    }
    fn sign(&mut self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError> {
        let r = self.inner.sign(req);
        self.noted(r)
    }
    fn sign_many(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        let r = self.inner.sign_many(reqs);
        self.noted(r)
    }
    fn default_scheme(&self) -> Scheme {
        self.inner.default_scheme()
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        // The remote signing (if any) is over: Cancel has nothing left to stop.
        *self
            .app
            .state::<AppState>()
            .remote
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
        done(&self.app, self.id, self.signed, self.error.take());
    }
}

struct AppHost {
    app: AppHandle,
}

impl AppHost {
    /// Puts a question to the user and waits for the answer (or the timeout: no, and the
    /// window is told the question is over). With `forward`, the window comes forward;
    /// without, the taskbar entry only asks for attention.
    fn ask<T: Serialize + Clone>(
        &self,
        event: &str,
        forward: bool,
        make: impl FnOnce(u64) -> T,
    ) -> (u64, Option<Answer>) {
        let state = self.app.state::<AppState>();
        let id = state.bridge.next.fetch_add(1, Ordering::SeqCst) + 1;
        let (tx, rx) = channel();
        state
            .bridge
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, tx);
        if let Some(w) = self.app.get_webview_window("main") {
            if forward {
                // A signing the user started in the page: it must not hide behind the browser.
                let _ = w.unminimize();
                let _ = w.set_focus();
            } else {
                // A page cannot pull the window over what the user is doing.
                let _ = w.request_user_attention(Some(tauri::UserAttentionType::Informational));
            }
        }
        let _ = self.app.emit(event, make(id));
        let answer = rx.recv_timeout(ASK_TIMEOUT).ok();
        state
            .bridge
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        if answer.is_none() {
            done(
                &self.app,
                id,
                false,
                Some(CommandError::new("BRIDGE_EXPIRED", "nobody answered in time")),
            );
        }
        (id, answer)
    }
}

impl Host for AppHost {
    fn origin_known(&self, origin: &str) -> bool {
        let Some(o) = transfer::origin_of(origin) else {
            return false;
        };
        let state = self.app.state::<AppState>();
        let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        s.bridge_origins
            .iter()
            .any(|k| transfer::origin_of(k).as_deref() == Some(o.as_str()))
    }

    fn ask_origin(&self, origin: &str) -> bool {
        let allowed = matches!(
            self.ask("bridge-origin", false, |id| OriginQuestion {
                id,
                origin: origin.to_string()
            })
            .1,
            Some(Answer::Origin(true))
        );
        if allowed && !self.origin_known(origin) {
            let state = self.app.state::<AppState>();
            let mut s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
            s.bridge_origins.push(origin.to_string());
            let _ = s.save(&state.config_dir);
        }
        allowed
    }

    fn allowed_hosts(&self) -> Vec<String> {
        let state = self.app.state::<AppState>();
        let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        s.bridge_hosts.clone()
    }

    fn approve(&self, ask: &Ask) -> Result<Box<dyn Signer>, kyso_core::Error> {
        let state = self.app.state::<AppState>();
        let (id, answer) = self.ask("bridge-request", true, |id| {
            // Registered before the window hears of the request: it asks for the pictures.
            state
                .bridge
                .documents
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, ask.documents.iter().map(|d| d.path.clone()).collect());
            SignQuestion { id, ask: ask.clone() }
        });
        state
            .bridge
            .documents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        let Some(Answer::Sign(Some(choice))) = answer else {
            return Err(kyso_core::Error::Signer(SignerError::Cancelled));
        };
        match super::sign::open_chosen(
            &self.app,
            &state,
            &choice.certificate,
            choice.p12.as_deref(),
            choice.pin,
            choice.secret,
        ) {
            Ok(inner) => Ok(Box::new(Watched {
                inner,
                app: self.app.clone(),
                id,
                signed: false,
                error: None,
            })),
            Err(e) => {
                // The window says why (a wrong PIN …); the page gets the same in its reply.
                *state.remote.lock().unwrap_or_else(|e| e.into_inner()) = None;
                let reason =
                    kyso_core::Error::Signer(SignerError::Setup(format!("{}: {}", e.code, e.detail)));
                done(&self.app, id, false, Some(e));
                Err(reason)
            }
        }
    }

    fn certificate(&self) -> Option<Certificate> {
        None
    }

    fn folders(&self) -> kyso_core::folders::Folders {
        self.app.state::<AppState>().folders.clone()
    }

    fn settings(&self) -> kyso_core::settings::Settings {
        self.app.state::<AppState>().settings()
    }
}

/// Starts or stops the bridge to match the settings (at start-up and after saving them).
pub fn apply(app: &AppHandle) {
    let state = app.state::<AppState>();
    let (enabled, port) = {
        let s = state.settings.lock().unwrap_or_else(|e| e.into_inner());
        (s.bridge_enabled, s.bridge_port)
    };
    let mut stop = state.bridge.stop.lock().unwrap_or_else(|e| e.into_inner());
    let running_port = state.bridge.status.lock().unwrap_or_else(|e| e.into_inner()).port;
    if stop.is_some() && enabled && running_port == port {
        return;
    }
    if let Some(s) = stop.take() {
        s.store(true, Ordering::SeqCst);
        // The accept loop notices within 50 ms; the port is free after it returns.
        std::thread::sleep(Duration::from_millis(120));
    }
    let mut status = BridgeStatus {
        port,
        ..BridgeStatus::default()
    };
    if enabled {
        let started = (|| -> Result<(TcpListener, kyso_bridge::tls::LocalTls), CommandError> {
            let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
                CommandError::new(
                    "BRIDGE_PORT",
                    format!("127.0.0.1:{port}: {e} (another signing tool may be using it)"),
                )
            })?;
            let tls = kyso_bridge::tls::load_or_create(&state.config_dir.join("bridge-tls"))?;
            Ok((listener, tls))
        })();
        match started {
            Ok((listener, tls)) => {
                let flag = Arc::new(AtomicBool::new(false));
                let b = Arc::new(Bridge::new(
                    Box::new(AppHost { app: app.clone() }),
                    Limits::default(),
                ));
                let (f, cfg) = (flag.clone(), tls.config.clone());
                std::thread::spawn(move || kyso_bridge::serve(listener, b, Some(cfg), f));
                status.listening = true;
                status.ca_path = Some(tls.ca_path.display().to_string());
                *stop = Some(flag);
            }
            Err(e) => status.error = Some(e),
        }
    }
    *state.bridge.status.lock().unwrap_or_else(|e| e.into_inner()) = status;
}

/// Whether the bridge listens, and where.
#[tauri::command]
pub fn bridge_status(state: State<'_, AppState>) -> BridgeStatus {
    state
        .bridge
        .status
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

fn send(state: &AppState, id: u64, answer: Answer) -> CmdResult<()> {
    let tx = state
        .bridge
        .waiting
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id)
        .ok_or_else(|| CommandError::new("BRIDGE_EXPIRED", "the request is no longer waiting"))?;
    let _ = tx.send(answer);
    Ok(())
}

/// The bytes of document `index` of signing request `id` while it waits for the user, for
/// the dialog's first-page picture. Only files the bridge fetched for that request.
#[tauri::command]
pub fn bridge_document(state: State<'_, AppState>, id: u64, index: usize) -> CmdResult<tauri::ipc::Response> {
    let path = state
        .bridge
        .documents
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
        .and_then(|d| d.get(index).cloned())
        .ok_or_else(|| CommandError::new("BRIDGE_EXPIRED", "the request is no longer waiting"))?;
    if std::fs::metadata(&path)?.len() > MAX_PREVIEW {
        return Err(CommandError::new("TOO_LARGE", "too large to preview"));
    }
    Ok(tauri::ipc::Response::new(std::fs::read(path)?))
}

/// The user's answer about a new site.
#[tauri::command]
pub fn bridge_origin_answer(state: State<'_, AppState>, id: u64, allow: bool) -> CmdResult<()> {
    send(&state, id, Answer::Origin(allow))
}

/// The user's answer to a signing request: declined, or the certificate and its PIN.
#[tauri::command]
pub fn bridge_answer(
    state: State<'_, AppState>,
    id: u64,
    accept: bool,
    certificate: Option<String>,
    p12: Option<String>,
    pin: Option<Pin>,
    secret: Option<Pin>,
) -> CmdResult<()> {
    let choice = match (accept, certificate) {
        (true, Some(certificate)) => Some(Choice {
            certificate,
            p12,
            pin: pin.map(Pin::into_secret),
            secret: secret.map(Pin::into_secret),
        }),
        _ => None,
    };
    send(&state, id, Answer::Sign(choice))
}
