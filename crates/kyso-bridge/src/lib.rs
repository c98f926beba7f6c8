//! The local signing bridge: document-management web pages ask Kyso to sign over a WebSocket
//! or HTTP POST on 127.0.0.1 (port 8987, like the tool they call today), with the request and
//! reply shapes they already use ([`protocol`]).
//!
//! What makes it safe to run: it listens on loopback only and answers only requests whose
//! `Host` is loopback (no DNS rebinding) and whose `Origin` the user allowed; files come from
//! and go back to that origin only ([`transfer`]); every signing is shown to the user and
//! needs their confirmation and PIN ([`Host::approve`]) — a page can never sign silently;
//! requests are rate-limited per site, replays refused, and all of them journaled.

pub mod protocol;
mod refusals;
mod server;
pub mod tls;
pub mod transfer;

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use x509_cert::Certificate;

use kyso_core::appearance::roles;
use kyso_core::appearance::visible::{AnchorAt, Place};
use kyso_core::folders::Folders;
use kyso_core::journal::{Journal, Outcome};
use kyso_core::settings::Settings;
use kyso_core::signer::Signer;
use kyso_core::trust::Material;
use kyso_core::verify::{Indication, VerifyOptions};
use kyso_core::workflow::{self, Context, Detached, Job};
use protocol::{status, Action, Meta, Reply, Request};
pub use server::{serve, MAX_CONNECTIONS};

/// One document as the user sees it before agreeing: its name, where it came from, its size
/// and SHA-256 (computed by Kyso from the bytes it fetched), and the fetched copy for a
/// first-page picture.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AskDocument {
    /// The document's name (the last part of its address).
    pub name: String,
    /// Where it was fetched from.
    pub address: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes fetched, hex.
    pub sha256: String,
    /// Its first 16 hex digits in groups of four, to compare with the sender's.
    pub sha256_prefix: String,
    /// A PDF (its first page can be shown).
    pub pdf: bool,
    /// The fetched copy, for the host to show; never sent to a web page.
    #[serde(skip)]
    pub path: PathBuf,
}

/// What the user is asked to confirm.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Ask {
    /// The action.
    pub action: Action,
    /// The action in words.
    pub action_text: String,
    /// The site that asks.
    pub origin: String,
    /// The documents, in order, as fetched.
    pub documents: Vec<AskDocument>,
    /// Document number from the request, if any.
    pub document_number: Option<String>,
    /// `SignXML`: what the XML is and what the signature signs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<XmlAsk>,
}

/// What a `SignXML` confirmation shows: the form and the summary of the file (an invoice's
/// number, seller and total; a tax declaration's form and period; a BHXH dossier's unit),
/// and the part signed and the place of the signature — all decided by the core.
#[derive(Clone, Debug, serde::Serialize)]
pub struct XmlAsk {
    /// The file's summary.
    pub summary: kyso_core::xml::Summary,
    /// What is signed, and where.
    pub target: kyso_core::xml::sign::Planned,
}

impl Ask {
    /// The XML summary in one line (`vi` or `en`), for faces that print text.
    pub fn xml_line(&self, lang: &str) -> Option<String> {
        let x = self.xml.as_ref()?;
        let who = x
            .target
            .slot_label
            .map(|(vi, en)| if lang == "en" { en } else { vi });
        let place = match (who, lang) {
            (Some(w), "en") => format!(" — signing as: {w}"),
            (Some(w), _) => format!(" — ký với vai trò: {w}"),
            (None, _) => String::new(),
        };
        Some(format!("{}{place}", x.summary.line(lang)))
    }
}

/// The side that talks to the user: the app (a dialog) or `kyso serve` (the terminal).
pub trait Host: Send + Sync {
    /// Whether the user has allowed `origin` (never asks).
    fn origin_known(&self, origin: &str) -> bool;
    /// Asks the user whether `origin`, a site not allowed yet, may use Kyso; a yes is
    /// remembered. The bridge asks at most once at a time per site, only within the rate
    /// limit, and not again soon after a no; the host must not take the focus for it (a
    /// page must not be able to pull the window forward).
    fn ask_origin(&self, origin: &str) -> bool;
    /// Other sites files may come from or go to.
    fn allowed_hosts(&self) -> Vec<String>;
    /// Shows what is asked; when the user agrees, returns the signer (its PIN typed then).
    /// `Err` carries why not, for the page.
    fn approve(&self, ask: &Ask) -> Result<Box<dyn Signer>, kyso_core::Error>;
    /// The certificate `GetCertInfo` reports, without a PIN.
    fn certificate(&self) -> Option<Certificate>;
    /// The user's folders (organisation profile, trust store, journal).
    fn folders(&self) -> Folders;
    /// The settings signings and checks follow (timestamp authorities, offline mode, trust
    /// anchor files).
    fn settings(&self) -> Settings;
    /// Extra trust anchor files for `VerifyPDF` (besides the settings' and the store).
    fn trust_files(&self) -> Vec<PathBuf> {
        Vec::new()
    }
}

/// Bounds on what a page may make Kyso do.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest document fetched.
    pub max_file: u64,
    /// Documents in one request.
    pub max_documents: usize,
    /// All documents of one request together.
    pub max_total: u64,
    /// Largest request body.
    pub max_request: usize,
    /// Requests per site per minute (a site not allowed yet: attempts to be asked about).
    pub per_minute: usize,
    /// Questions about new sites per minute, all sites together.
    pub site_questions_per_minute: usize,
    /// A site the user said no to is not asked about again for this long.
    pub deny_for: Duration,
    /// Fetch and upload timeout.
    pub timeout: Duration,
}

impl Limits {
    /// The largest request body for the action at `path`: `SignXML` and `VerifyXML` carry the
    /// document itself (base64: a third larger), the others only addresses.
    pub fn max_body(&self, path: &str) -> usize {
        match Action::from_path(path) {
            Some(Action::SignXml | Action::VerifyXml) => {
                let file = usize::try_from(self.max_file).unwrap_or(usize::MAX);
                self.max_request.max(file.saturating_mul(4) / 3 + (64 << 10))
            }
            _ => self.max_request,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file: 50 << 20,
            max_documents: 20,
            max_total: 200 << 20,
            max_request: 1 << 20,
            per_minute: 30,
            site_questions_per_minute: 4,
            deny_for: Duration::from_secs(600),
            timeout: Duration::from_secs(60),
        }
    }
}

/// Questions about new sites at once (one per site, a few sites).
const MAX_ASKING: usize = 2;

/// The bridge: request handling shared by every connection.
pub struct Bridge {
    host: Box<dyn Host>,
    limits: Limits,
    journal: Journal,
    seen: Mutex<HashMap<Vec<u8>, Instant>>,
    recent: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Sites being asked about now.
    asking: Mutex<HashSet<String>>,
    /// When the last questions about new sites were asked.
    questions: Mutex<VecDeque<Instant>>,
    /// Sites the user said no to, and when.
    denied: Mutex<HashMap<String, Instant>>,
    refusals: refusals::RefusalLog,
    /// One signing at a time: a second page waits instead of stacking dialogs.
    signing: Mutex<()>,
}

const REPLAY_WINDOW: Duration = Duration::from_secs(600);

fn msg(vi: &str, en: &str) -> String {
    format!("{vi} / {en}")
}

fn site_refused(origin: &str, vi_why: &str, en_why: &str) -> Reply {
    Reply::fail(
        status::ORIGIN_REFUSED,
        msg(
            &format!("Trang {origin} chưa được phép dùng Kyso{vi_why}"),
            &format!("{origin} is not allowed to use Kyso{en_why}; allow it in Kyso's settings"),
        ),
    )
}

fn rate_limited() -> Reply {
    Reply::fail(
        status::RATE_LIMITED,
        msg(
            "Quá nhiều yêu cầu, hãy thử lại sau một phút",
            "too many requests; try again in a minute",
        ),
    )
}

/// Drops entries older than a minute from the front of `q`.
fn last_minute(q: &mut VecDeque<Instant>, now: Instant) {
    while q
        .front()
        .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
    {
        q.pop_front();
    }
}

// The "error" of the steps below is the page's reply itself, built once per request: boxing
// it would only add noise.
#[allow(clippy::result_large_err)]
impl Bridge {
    /// A bridge for `host`.
    pub fn new(host: Box<dyn Host>, limits: Limits) -> Self {
        let journal = workflow::journal(&host.folders());
        Self {
            host,
            limits,
            journal,
            seen: Mutex::new(HashMap::new()),
            recent: Mutex::new(HashMap::new()),
            asking: Mutex::new(HashSet::new()),
            questions: Mutex::new(VecDeque::new()),
            denied: Mutex::new(HashMap::new()),
            refusals: refusals::RefusalLog::default(),
            signing: Mutex::new(()),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Handles one request: `path` names the action, `origin` is the page's `Origin`.
    /// Journaled with its outcome.
    pub fn handle(&self, path: &str, origin: Option<&str>, body: &[u8]) -> Reply {
        self.handle_admitted(path, origin, body, false)
    }

    /// Whether `origin` may use the bridge at all (the user is asked about a new site, within
    /// the limits). A refusal is journaled and returned as the page's reply.
    pub fn admit(&self, path: &str, origin: Option<&str>) -> Result<(), Reply> {
        match self.check_origin(origin, true) {
            Ok(()) => Ok(()),
            Err(r) => {
                self.journal(path, origin, &r);
                Err(r)
            }
        }
    }

    /// Like [`Bridge::handle`]; with `admitted`, the origin was let in by [`Bridge::admit`]
    /// for this connection: it is not asked about again, but it must still be allowed (a
    /// site removed from the list meanwhile is refused).
    pub fn handle_admitted(&self, path: &str, origin: Option<&str>, body: &[u8], admitted: bool) -> Reply {
        let reply = match self.check_origin(origin, !admitted) {
            Err(r) => r,
            Ok(()) => self.handle_inner(path, origin.unwrap_or_default(), body),
        };
        self.journal(path, origin, &reply);
        reply
    }

    fn journal(&self, path: &str, origin: Option<&str>, reply: &Reply) {
        let action = format!("bridge {}", path.trim_matches('/'));
        let origin = origin.unwrap_or("(none)");
        let detail = format!("Status {}: {}", reply.status, reply.message);
        match reply.status {
            status::OK => {
                self.journal.note(&action, origin, Outcome::Ok, &detail);
            }
            // What the user saw and answered is journaled one by one.
            status::USER_REFUSED | status::SIGN_FAILED | status::UPLOAD_FAILED => {
                self.journal.note(&action, origin, Outcome::Refused, &detail);
            }
            // Refused before anyone was asked: a page could send thousands; repeats from a
            // site are counted in one row a minute.
            _ => self.refusals.note(&self.journal, &action, origin, &detail),
        }
    }

    /// Counts a request from `origin`; `false` when it is over the limit for this minute.
    fn rate_ok(&self, origin: &str) -> bool {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        // Sites quiet for a minute are forgotten (a page inventing origins cannot grow this).
        if recent.len() > 1000 {
            recent.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < Duration::from_secs(60))
            });
        }
        let q = recent.entry(origin.to_string()).or_default();
        last_minute(q, now);
        if q.len() >= self.limits.per_minute {
            return false;
        }
        q.push_back(now);
        true
    }

    /// A request seen before (same site, action and body) within ten minutes.
    fn replayed(&self, origin: &str, path: &str, body: &[u8]) -> bool {
        let mut h = kyso_core::Hasher::new(kyso_core::HashAlg::Sha256);
        for part in [origin.as_bytes(), b"\n", path.as_bytes(), b"\n", body] {
            h.update(part);
        }
        let key = h.finish();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        seen.retain(|_, t| now.duration_since(*t) < REPLAY_WINDOW);
        seen.insert(key, now).is_some()
    }

    /// Whether `origin` may use the bridge. A site the user has not allowed is asked about
    /// only when `may_ask`, and only after the checks a page cannot get round: its requests
    /// count against the rate limit first, it is not asked again soon after a no, one
    /// question per site at a time (and a few sites at most), a few questions a minute.
    fn check_origin(&self, origin: Option<&str>, may_ask: bool) -> Result<(), Reply> {
        let Some((origin, site)) = origin.and_then(|o| Some((o, transfer::origin_of(o)?))) else {
            return Err(Reply::fail(
                status::ORIGIN_REFUSED,
                msg(
                    "Yêu cầu không cho biết trang web gửi",
                    "requests must come from a web page (Origin)",
                ),
            ));
        };
        if self.host.origin_known(origin) {
            return Ok(());
        }
        if !may_ask {
            return Err(site_refused(origin, "", ""));
        }
        if !self.rate_ok(&site) {
            return Err(rate_limited());
        }
        let now = Instant::now();
        {
            let mut denied = self.denied.lock().unwrap_or_else(|e| e.into_inner());
            denied.retain(|_, t| now.duration_since(*t) < self.limits.deny_for);
            if denied.contains_key(&site) {
                return Err(site_refused(
                    origin,
                    " (người dùng vừa từ chối)",
                    " (the user said no a moment ago)",
                ));
            }
        }
        {
            let mut asking = self.asking.lock().unwrap_or_else(|e| e.into_inner());
            if asking.contains(&site) || asking.len() >= MAX_ASKING {
                return Err(site_refused(
                    origin,
                    " (Kyso đang hỏi người dùng; hãy chờ câu trả lời)",
                    " (Kyso is asking the user; wait for the answer)",
                ));
            }
            let mut q = self.questions.lock().unwrap_or_else(|e| e.into_inner());
            last_minute(&mut q, now);
            if q.len() >= self.limits.site_questions_per_minute {
                return Err(rate_limited());
            }
            q.push_back(now);
            asking.insert(site.clone());
        }
        let yes = self.host.ask_origin(origin);
        self.asking
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&site);
        if yes {
            Ok(())
        } else {
            self.denied
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(site, Instant::now());
            Err(site_refused(origin, "", ""))
        }
    }

    fn handle_inner(&self, path: &str, origin: &str, body: &[u8]) -> Reply {
        if !self.rate_ok(&transfer::origin_of(origin).unwrap_or_default()) {
            return rate_limited();
        }
        let Some(action) = Action::from_path(path) else {
            return Reply::fail(
                status::BAD_REQUEST,
                msg(
                    &format!("Kyso không hỗ trợ thao tác \"{}\"", path.trim_matches('/')),
                    "unknown action",
                ),
            );
        };
        let req: Request = if action == Action::GetCertInfo && body.iter().all(u8::is_ascii_whitespace) {
            Request::default()
        } else {
            match serde_json::from_slice(body) {
                Ok(r) => r,
                Err(e) => {
                    return Reply::fail(
                        status::BAD_REQUEST,
                        msg(
                            "Yêu cầu không đúng định dạng JSON",
                            &format!("the request is not valid JSON ({e})"),
                        ),
                    )
                }
            }
        };
        if action.signs() && self.replayed(origin, path, body) {
            return Reply::fail(
                status::REPLAYED,
                msg(
                    "Yêu cầu này đã được xử lý; hãy tải lại trang để ký lại",
                    "this request was already handled; reload the page to ask again",
                ),
            );
        }
        match action {
            Action::GetCertInfo => self.cert_info(),
            Action::VerifyPdf => self.verify(origin, &req),
            Action::SignXml => self.sign_xml(origin, &req),
            Action::VerifyXml => self.verify_xml(&req),
            _ => self.sign(action, origin, &req),
        }
    }

    fn cert_info(&self) -> Reply {
        match self.host.certificate() {
            Some(c) => {
                let (from, to) = kyso_core::cert::validity(&c);
                Reply {
                    status: status::OK,
                    message: "OK".into(),
                    data: Some(serde_json::json!({
                        "identity": kyso_core::cert::identity(&c),
                        "issuer": kyso_core::cert::name_to_string(&c.tbs_certificate.issuer),
                        "serial": hex::encode(c.tbs_certificate.serial_number.as_bytes()),
                        "not_before": kyso_core::timefmt::rfc3339(from),
                        "not_after": kyso_core::timefmt::rfc3339(to),
                        "sha256": kyso_core::cert::fingerprint(&c),
                        "certificate": base64_der(&c),
                    })),
                    ..Reply::default()
                }
            }
            None => Reply::fail(
                status::SIGN_FAILED,
                msg(
                    "Chưa chọn chứng thư số để ký",
                    "no signing certificate is chosen in Kyso",
                ),
            ),
        }
    }

    /// Every document's source and upload target, checked before anything is fetched or the
    /// user is asked.
    fn plan(&self, origin: &str, req: &Request, need_upload: bool) -> Result<Vec<FetchJob>, Reply> {
        let docs = req.documents();
        if docs.is_empty() {
            return Err(Reply::fail(
                status::BAD_REQUEST,
                msg(
                    "Yêu cầu không có tệp nào (FileName)",
                    "the request names no file (FileName)",
                ),
            ));
        }
        // Bounded before anything is fetched.
        if docs.len() > self.limits.max_documents {
            return Err(Reply {
                code: Some("TOO_MANY_DOCUMENTS".into()),
                ..Reply::fail(
                    status::FILE_REFUSED,
                    msg(
                        &format!(
                            "Yêu cầu có {} tệp; mỗi lần ký tối đa {} tệp",
                            docs.len(),
                            self.limits.max_documents
                        ),
                        &format!(
                            "the request names {} files; at most {} per request",
                            docs.len(),
                            self.limits.max_documents
                        ),
                    ),
                )
            });
        }
        let allowed = self.host.allowed_hosts();
        let refused = |e: transfer::TransferError| Reply {
            code: Some("FILE_REFUSED".into()),
            ..Reply::fail(
                status::FILE_REFUSED,
                msg("Không dùng được địa chỉ tệp", &e.to_string()),
            )
        };
        docs.into_iter()
            .map(|(file, upload, meta)| {
                let source = transfer::resolve(&file, origin, &allowed).map_err(refused)?;
                let upload = match upload {
                    Some(u) => Some(transfer::resolve(&u, origin, &allowed).map_err(refused)?),
                    None if need_upload => {
                        return Err(Reply::fail(
                            status::BAD_REQUEST,
                            msg(
                                "Yêu cầu thiếu nơi nhận tệp đã ký (FileUploadHandler)",
                                "the request names no FileUploadHandler",
                            ),
                        ))
                    }
                    None => None,
                };
                // The number (and for issuing, the date) from the request's own fields,
                // else from the metadata.
                let doc_number = req
                    .doc_number
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .or_else(|| Request::meta(&meta, DOC_NUMBER).map(str::to_string));
                let issued_date = req
                    .issued_date
                    .clone()
                    .filter(|d| !d.trim().is_empty())
                    .or_else(|| Request::meta(&meta, &["IssuedDate", "NgayBanHanh"]).map(str::to_string));
                Ok(FetchJob {
                    source,
                    upload,
                    meta,
                    doc_number,
                    issued_date,
                    session: req.session_id.clone(),
                    jwt: req.jwt_token.clone(),
                })
            })
            .collect()
    }

    /// Fetches every document of `jobs`, each within the file limit and all of them within
    /// the request's total; returns their bytes, in order.
    fn fetch_all(&self, origin: &str, jobs: &[FetchJob]) -> Result<Vec<Vec<u8>>, Reply> {
        let refused = |e: String| Reply {
            code: Some("FILE_REFUSED".into()),
            ..Reply::fail(status::FILE_REFUSED, msg("Không tải được tệp", &e))
        };
        let policy = transfer::policy(origin, &self.host.allowed_hosts());
        let mut total = 0u64;
        let mut out = Vec::new();
        for j in jobs {
            let left = self.limits.max_total.saturating_sub(total);
            let limit = self.limits.max_file.min(left);
            let data = match transfer::fetch(&j.source, limit, self.limits.timeout, &policy) {
                Ok(d) => d,
                Err(transfer::TransferError::TooLarge(_)) if limit < self.limits.max_file => {
                    return Err(Reply {
                        code: Some("TOO_LARGE".into()),
                        ..refused(format!(
                            "the documents of one request together are larger than {} MB",
                            self.limits.max_total >> 20
                        ))
                    })
                }
                Err(e) => return Err(refused(e.to_string())),
            };
            total += data.len() as u64;
            out.push(data);
        }
        Ok(out)
    }

    fn verify(&self, origin: &str, req: &Request) -> Reply {
        let jobs = match self.plan(origin, req, false) {
            Ok(j) => j,
            Err(r) => return r,
        };
        let settings = self.host.settings();
        let folders = self.host.folders();
        let opts = match Material::for_user(&folders, &settings, &self.host.trust_files()) {
            Ok(m) => VerifyOptions::new(m, settings.offline).with_cache(&folders.data),
            Err(e) => {
                return Reply::fail(
                    status::SIGN_FAILED,
                    msg("Không đọc được chứng thư tin cậy", &e.to_string()),
                )
            }
        };
        let data = match self.fetch_all(origin, &jobs) {
            Ok(d) => d,
            Err(r) => return r,
        };
        // Checked in memory and named as the page named it: the answer never shows a path
        // on this computer (a temporary folder holds the user's account name on Windows).
        let reports: Vec<_> = jobs
            .iter()
            .zip(data)
            // The signature verdict and the legal verdict (Decree 30), as in the app.
            .map(|(j, bytes)| kyso_core::legal::check_bytes(&bytes, file_name_of(&j.source), &opts))
            .collect();
        Reply {
            status: status::OK,
            message: "OK".into(),
            data: serde_json::to_value(&reports).ok(),
            ..Reply::default()
        }
    }

    fn sign(&self, action: Action, origin: &str, req: &Request) -> Reply {
        let jobs = match self.plan(origin, req, true) {
            Ok(j) => j,
            Err(r) => return r,
        };
        // Every document is fetched (and bounded) before the user is asked anything.
        let Ok(dir) = tempfile::tempdir() else {
            return Reply::fail(status::SIGN_FAILED, "no temporary folder");
        };
        let data = match self.fetch_all(origin, &jobs) {
            Ok(d) => d,
            Err(r) => return r,
        };
        let mut inputs = Vec::new();
        let mut shown = Vec::new();
        // Each in its own folder: two documents may share a name.
        for (i, (j, bytes)) in jobs.iter().zip(data).enumerate() {
            match store(&dir.path().join(i.to_string()), &j.source, &bytes) {
                Ok(d) => {
                    inputs.push(d.path.clone());
                    shown.push(d);
                }
                Err(e) => return Reply::fail(status::SIGN_FAILED, e.to_string()),
            }
        }
        // Every document is planned (checked, TSA asked) before the user is asked too: a
        // document that cannot be signed is refused without a confirmation or a PIN.
        let folders = self.host.folders();
        let settings = self.host.settings();
        let ctx = Context {
            folders: &folders,
            settings: &settings,
            journal: &self.journal,
        };
        let mut plans = Vec::new();
        for (j, input) in jobs.iter().zip(&inputs) {
            let detached = action == Action::SignFile;
            let job = Job {
                input: input.clone(),
                output: workflow::output_name(input, !detached, 1),
            };
            match workflow::plan(&ctx, &request_for(action, j), vec![job]) {
                Ok(p) => plans.push(p),
                Err(e) => return failed(&e),
            }
        }
        let _one = self.signing.lock().unwrap_or_else(|e| e.into_inner());
        let ask = Ask {
            action,
            action_text: action.describe().into(),
            origin: origin.to_string(),
            documents: shown,
            document_number: jobs.first().and_then(|j| j.doc_number.clone()),
            xml: None,
        };
        let mut signer = match self.host.approve(&ask) {
            Ok(s) => s,
            Err(kyso_core::Error::Signer(kyso_core::signer::SignerError::Cancelled)) => {
                return Reply::fail(
                    status::USER_REFUSED,
                    msg("Người dùng không đồng ý ký", "the user declined to sign"),
                )
            }
            Err(e) => {
                return Reply {
                    code: Some(e.code().into()),
                    ..Reply::fail(
                        status::SIGN_FAILED,
                        msg("Không mở được thiết bị ký", &e.to_string()),
                    )
                }
            }
        };
        let mut replies = Vec::new();
        // A token pulled out (or a PIN locked) stops the batch: the rest are not tried.
        let mut stopped: Option<&'static str> = None;
        for (j, plan) in jobs.iter().zip(&plans) {
            if let Some(why) = stopped {
                replies.push(failed(&kyso_core::Error::NotReached(why)));
                continue;
            }
            let r = self.sign_one(origin, j, plan, signer.as_mut());
            if matches!(r.code.as_deref(), Some("TOKEN_REMOVED" | "PIN_LOCKED")) {
                stopped = r.code.as_deref().map(|c| {
                    if c == "PIN_LOCKED" {
                        "PIN_LOCKED"
                    } else {
                        "TOKEN_REMOVED"
                    }
                });
            }
            replies.push(r);
        }
        if replies.len() == 1 {
            return replies.remove(0);
        }
        let failed = replies.iter().filter(|r| r.status != status::OK).count();
        Reply {
            status: if failed == 0 {
                status::OK
            } else {
                status::SIGN_FAILED
            },
            message: if failed == 0 {
                msg("Đã ký tất cả tệp", "every file was signed")
            } else {
                msg(
                    &format!("{failed} tệp không ký được"),
                    &format!("{failed} file(s) not signed"),
                )
            },
            files: replies,
            ..Reply::default()
        }
    }

    fn sign_one(
        &self,
        origin: &str,
        job: &FetchJob,
        plan: &workflow::Plan,
        signer: &mut dyn Signer,
    ) -> Reply {
        let signed = match plan.run(&self.journal, signer, &mut ()) {
            Ok(mut results) => match results.pop() {
                Some((_, Ok(s))) => s,
                Some((_, Err(e))) => return failed(&e),
                None => return Reply::fail(status::SIGN_FAILED, "nothing was signed"),
            },
            Err(e) => return failed(&e),
        };
        let output = signed.output().to_path_buf();
        let data = match std::fs::read(&output) {
            Ok(d) => d,
            Err(e) => return failed(&e.into()),
        };
        let Some(upload) = &job.upload else {
            return Reply::fail(status::BAD_REQUEST, "no FileUploadHandler");
        };
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let policy = transfer::policy(origin, &self.host.allowed_hosts());
        let to = transfer::UploadTo {
            url: upload,
            session_id: job.session.as_deref(),
            jwt: job.jwt.as_deref(),
            timeout: self.limits.timeout,
            policy: &policy,
        };
        match transfer::upload(&to, &name, &data) {
            Ok(answer) => Reply {
                status: status::OK,
                message: msg("Đã ký và gửi tệp", "signed and delivered"),
                file_server: Some(answer),
                document_number: job.doc_number.clone(),
                document_date: Some(job.issued_date.clone().unwrap_or_else(vietnam_date)),
                ..Reply::default()
            },
            Err(e) => Reply {
                code: Some("UPLOAD_FAILED".into()),
                ..Reply::fail(
                    status::UPLOAD_FAILED,
                    msg("Đã ký nhưng không gửi được tệp", &e.to_string()),
                )
            },
        }
    }
}

/// Base64 as pages send it (line breaks and spaces allowed).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64ct::Encoding;
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64ct::Base64::decode_vec(&clean).ok()
}

impl Bridge {
    /// The XML a `SignXML` / `VerifyXML` request carries, decoded and bounded.
    #[allow(clippy::result_large_err)]
    fn xml_of(&self, b64: Option<&str>, field: &str) -> Result<Vec<u8>, Reply> {
        let Some(text) = b64.filter(|t| !t.trim().is_empty()) else {
            return Err(Reply::fail(
                status::BAD_REQUEST,
                msg(
                    &format!("Yêu cầu không có dữ liệu XML ({field})"),
                    &format!("the request carries no XML ({field})"),
                ),
            ));
        };
        let Some(data) = base64_decode(text) else {
            return Err(Reply::fail(
                status::BAD_REQUEST,
                msg(
                    &format!("{field} không phải base64"),
                    &format!("{field} is not base64"),
                ),
            ));
        };
        if data.len() as u64 > self.limits.max_file {
            return Err(Reply {
                code: Some("TOO_LARGE".into()),
                ..Reply::fail(
                    status::FILE_REFUSED,
                    msg("Dữ liệu XML quá lớn", "the XML is too large"),
                )
            });
        }
        if !kyso_core::xml::looks_like_xml(data.get(..1024).unwrap_or(&data)) {
            return Err(Reply {
                code: Some("XML_MALFORMED".into()),
                ..Reply::fail(
                    status::BAD_REQUEST,
                    msg("Dữ liệu không phải XML", "the content is not XML"),
                )
            });
        }
        Ok(data)
    }

    /// `SignXML`: the XML in the request, signed (enveloped XMLDSig) after the user saw what
    /// it is and confirmed with the PIN; the answer carries the signed XML (or only the
    /// `Signature` element). Metadata may name the part (`Id`/`XmlRef`), the place
    /// (`XmlInto`) and the form (`XmlProfile`); otherwise the core decides.
    fn sign_xml(&self, origin: &str, req: &Request) -> Reply {
        let data = match self.xml_of(req.base64_content.as_deref(), "Base64Content") {
            Ok(d) => d,
            Err(r) => return r,
        };
        let hash = match req.hash_alg.as_deref().map(kyso_core::HashAlg::from_name) {
            None => kyso_core::HashAlg::Sha256,
            Some(Some(h)) if h.allowed_for_signing() => h,
            Some(Some(h)) => return failed(&kyso_core::Refusal::WeakHash(h.name()).into()),
            Some(None) => {
                return Reply::fail(
                    status::BAD_REQUEST,
                    msg("HashAlg không được hỗ trợ", "unsupported HashAlg (use Sha256)"),
                )
            }
        };
        let Ok(dir) = tempfile::tempdir() else {
            return Reply::fail(status::SIGN_FAILED, "no temporary folder");
        };
        let input = dir.path().join("document.xml");
        if let Err(e) = std::fs::write(&input, &data) {
            return failed(&e.into());
        }
        let meta = &req.meta_data;
        let xml_profile = match Request::meta(meta, &["XmlProfile", "Profile", "Form"]) {
            Some(p) => match kyso_core::xml::Form::from_name(p) {
                Some(f) => Some(f),
                None => {
                    return Reply::fail(
                        status::BAD_REQUEST,
                        msg(
                            &format!("Kyso không biết mẫu \"{p}\""),
                            "unknown XmlProfile (einvoice, tax, bhxh)",
                        ),
                    )
                }
            },
            None => None,
        };
        let folders = self.host.folders();
        let settings = self.host.settings();
        let ctx = Context {
            folders: &folders,
            settings: &settings,
            journal: &self.journal,
        };
        let wreq = workflow::Request {
            queue: false,
            hash,
            xml_profile,
            xml_ref: Request::meta(meta, &["Id", "XmlRef", "RefId", "SignId"]).map(str::to_string),
            xml_into: Request::meta(meta, &["XmlInto", "SignatureInto"]).map(str::to_string),
            ..workflow::Request::default()
        };
        let job = Job {
            output: workflow::output_name(&input, true, 1),
            input: input.clone(),
        };
        // Checked (and the target decided) before the user is asked anything.
        let plan = match workflow::plan(&ctx, &wreq, vec![job]) {
            Ok(p) => p,
            Err(e) => return failed(&e),
        };
        let (Some(summary), Some(target)) =
            (kyso_core::xml::summary(&data), plan.xml_target(&input).cloned())
        else {
            return Reply::fail(status::SIGN_FAILED, "the XML could not be read");
        };
        let _one = self.signing.lock().unwrap_or_else(|e| e.into_inner());
        let ask = Ask {
            action: Action::SignXml,
            action_text: Action::SignXml.describe().into(),
            origin: origin.to_string(),
            // Sent in the request itself, not fetched from an address.
            documents: vec![describe(
                kyso_core::filename::safe_file_name(req.file_name.as_deref().unwrap_or(""), "document.xml"),
                origin.to_string(),
                &data,
                input.clone(),
                false,
            )],
            document_number: Request::meta(meta, DOC_NUMBER).map(str::to_string),
            xml: Some(XmlAsk { summary, target }),
        };
        let mut signer = match self.approve(&ask) {
            Ok(s) => s,
            Err(r) => return r,
        };
        let signed = match plan.run(&self.journal, signer.as_mut(), &mut ()) {
            Ok(mut results) => match results.pop() {
                Some((_, Ok(workflow::Signed::Xml(o)))) => o,
                Some((_, Ok(_))) | None => return Reply::fail(status::SIGN_FAILED, "nothing was signed"),
                Some((_, Err(e))) => return failed(&e),
            },
            Err(e) => return failed(&e),
        };
        let bytes = match std::fs::read(&signed.output) {
            Ok(b) => b,
            Err(e) => return failed(&e.into()),
        };
        let answer = if req.return_signature_only {
            match kyso_core::xml::sign::signature_element(&bytes, &signed.signature_id) {
                Some(s) => s.into_bytes(),
                None => return Reply::fail(status::SIGN_FAILED, "the signature element was not found"),
            }
        } else {
            bytes
        };
        use base64ct::Encoding;
        Reply {
            status: status::OK,
            message: msg("Đã ký", "signed"),
            signature: Some(base64ct::Base64::encode_string(&answer)),
            document_number: Request::meta(meta, DOC_NUMBER).map(str::to_string),
            document_date: Some(vietnam_date()),
            ..Reply::default()
        }
    }

    /// The user's confirmation and signer, or the page's answer when there is none.
    #[allow(clippy::result_large_err)]
    fn approve(&self, ask: &Ask) -> Result<Box<dyn Signer>, Reply> {
        match self.host.approve(ask) {
            Ok(s) => Ok(s),
            Err(kyso_core::Error::Signer(kyso_core::signer::SignerError::Cancelled)) => Err(Reply::fail(
                status::USER_REFUSED,
                msg("Người dùng không đồng ý ký", "the user declined to sign"),
            )),
            Err(e) => Err(Reply {
                code: Some(e.code().into()),
                ..Reply::fail(
                    status::SIGN_FAILED,
                    msg("Không mở được thiết bị ký", &e.to_string()),
                )
            }),
        }
    }

    /// `VerifyXML`: an array, one entry per signature, with the signer certificate's serial
    /// number, a status (0 valid, 1 invalid, 2 undecided) and its description; Kyso's full
    /// report of the signature rides along (`Report`).
    fn verify_xml(&self, req: &Request) -> Reply {
        let data = match self.xml_of(req.data.as_deref().or(req.base64_content.as_deref()), "Data") {
            Ok(d) => d,
            Err(r) => return r,
        };
        if req
            .format
            .as_deref()
            .is_some_and(|f| !f.trim().eq_ignore_ascii_case("xml"))
        {
            return Reply::fail(
                status::BAD_REQUEST,
                msg("Format phải là XML", "Format must be XML"),
            );
        }
        let settings = self.host.settings();
        let opts = match Material::load(&self.host.folders().config, &settings, &self.host.trust_files()) {
            Ok(m) => VerifyOptions::new(m, settings.offline),
            Err(e) => {
                return Reply::fail(
                    status::SIGN_FAILED,
                    msg("Không đọc được chứng thư tin cậy", &e.to_string()),
                )
            }
        };
        let report = kyso_core::verify::verify_xml_bytes(&data, "document.xml".into(), &opts);
        if let Some(e) = &report.error {
            return Reply {
                code: Some(e.code.clone()),
                ..Reply::fail(status::BAD_REQUEST, msg(&e.message.vi, &e.message.en))
            };
        }
        let list = report
            .signatures
            .iter()
            .map(|s| {
                let status = match s.indication {
                    Indication::TotalPassed => 0,
                    Indication::TotalFailed => 1,
                    Indication::Indeterminate => 2,
                };
                serde_json::json!({
                    "SerialNumber": s.certificate_serial,
                    "Status": status,
                    "Description": msg(&s.message.vi, &s.message.en),
                    "Signer": s.signer.as_ref().and_then(|i| i.common_name.clone()),
                    "SigningTime": s.claimed_time_vietnam,
                    "Indication": s.indication,
                    "SubIndication": s.sub_indication,
                    "Report": s,
                })
            })
            .collect();
        Reply {
            status: status::OK,
            message: "OK".into(),
            list: Some(list),
            ..Reply::default()
        }
    }
}

/// The page's answer for a signing that failed.
fn failed(e: &kyso_core::Error) -> Reply {
    Reply {
        code: Some(e.code().into()),
        ..Reply::fail(status::SIGN_FAILED, msg("Không ký được", &e.to_string()))
    }
}

/// The workflow request for one document of a page's request: the action's Decree 30 role,
/// its place and numbers from the metadata. The file goes back to the page at once, so
/// nothing waits for the network: a TSA that fails fails the signing.
fn request_for(action: Action, job: &FetchJob) -> workflow::Request {
    let detached = action == Action::SignFile;
    let appearance = (!detached).then(|| {
        // Where the approval goes: `Page` and `Rect` ("x1,y1,x2,y2" in points, origin
        // bottom-left) in the metadata; the other roles place themselves.
        let rect = Request::meta(&job.meta, &["Rect", "Position"]).and_then(|r| {
            let v: Vec<f32> = r
                .split([',', ' ', ';'])
                .filter_map(|n| n.trim().parse().ok())
                .collect();
            <[f32; 4]>::try_from(v).ok()
        });
        let page = Request::meta(&job.meta, &["Page", "Trang"])
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1);
        // Or next to text in the document (`Anchor`, e.g. a template's placeholder).
        let anchored = Request::meta(&job.meta, &["Anchor", "ViTriKy"]).map(|text| Place::Anchor {
            text: text.to_string(),
            width: 170.0,
            height: 60.0,
            at: Request::meta(&job.meta, &["AnchorAt"])
                .and_then(AnchorAt::from_name)
                .unwrap_or(AnchorAt::Above),
        });
        roles::Request {
            role: action.role(),
            place: rect.map(Place::Rect).or(anchored),
            page,
            doc_number: job.doc_number.clone(),
            issued_date: (action == Action::SignIssued)
                .then(|| job.issued_date.clone())
                .flatten(),
            org: Request::meta(&job.meta, &["Organization", "Org", "CoQuan"]).map(str::to_string),
            receipt: Request::meta(&job.meta, &["Receipt", "SoDen"]).map(str::to_string),
            // A copy: its form (SAO Y by default), no image (Decree 30).
            copy_form: Request::meta(&job.meta, &["CopyForm", "HinhThucSao"])
                .and_then(roles::CopyForm::from_name),
            ..roles::Request::default()
        }
    });
    // An invisible signature (SignPDF without a place) needs no appearance.
    let appearance = appearance.filter(|a| a.role.is_some() || a.place.is_some());
    workflow::Request {
        queue: false,
        detached: if detached {
            Detached::Always
        } else {
            Detached::Never
        },
        appearance,
        ..workflow::Request::default()
    }
}

/// Metadata keys that carry the document number.
const DOC_NUMBER: &[&str] = &["DocumentNumber", "SoKyHieu", "SoVanBan", "Number"];

struct FetchJob {
    source: String,
    upload: Option<String>,
    meta: Vec<Meta>,
    /// Number and symbol (request field `DocNumber`, else the metadata).
    doc_number: Option<String>,
    /// Issue date (request field `IssuedDate`, else the metadata).
    issued_date: Option<String>,
    /// The page's session and token, sent back with the upload only.
    session: Option<String>,
    jwt: Option<String>,
}

/// Today's date in Vietnam as documents write it: dd/mm/yyyy.
fn vietnam_date() -> String {
    let iso = kyso_core::timefmt::vietnam(kyso_core::timefmt::now());
    let d: Vec<&str> = iso.get(..10).unwrap_or("").split('-').collect();
    match d.as_slice() {
        [y, m, day] => format!("{day}/{m}/{y}"),
        _ => iso,
    }
}

/// Writes a fetched document into `dir` under its name, and describes it for the user.
fn store(dir: &Path, url: &str, bytes: &[u8]) -> std::io::Result<AskDocument> {
    std::fs::create_dir_all(dir)?;
    let name = file_name_of(url);
    let path = dir.join(&name);
    std::fs::write(&path, bytes)?;
    let pdf = kyso_core::workflow::has_pdf_header(bytes);
    Ok(describe(name, url.to_string(), bytes, path, pdf))
}

/// A document as the user is shown it: name, where it came from, size, SHA-256.
/// `pdf`: whether the confirmation may draw it as a PDF (an XML form never is, whatever its
/// text holds).
fn describe(name: String, address: String, bytes: &[u8], path: PathBuf, pdf: bool) -> AskDocument {
    let sha256 = hex::encode(kyso_core::HashAlg::Sha256.digest(bytes));
    AskDocument {
        sha256_prefix: sha256_prefix(&sha256),
        name,
        address,
        size: bytes.len() as u64,
        pdf,
        sha256,
        path,
    }
}

/// The first 16 hex digits of a SHA-256, in groups of four (`1a2b 3c4d 5e6f 7a8b`): enough
/// to tell two documents apart by eye.
pub fn sha256_prefix(hex: &str) -> String {
    let digits: Vec<char> = hex.chars().take(16).collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A safe local file name for a fetched URL: its last path segment without query,
/// percent-decoded (a Vietnamese name arrives as `Quy%E1%BA%BFt...`), made valid on every
/// system and never a Windows device name ([`kyso_core::filename::safe_file_name`]).
fn file_name_of(url: &str) -> String {
    let last = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let short: String = decoded.chars().take(120).collect();
    kyso_core::filename::safe_file_name(&short, "document.pdf")
}

fn base64_der(c: &Certificate) -> String {
    use base64ct::Encoding;
    base64ct::Base64::encode_string(&kyso_core::cert::der_of(c))
}

#[cfg(test)]
mod name_tests {
    use super::file_name_of;

    #[test]
    fn names_from_a_page_keep_vietnamese_and_never_name_a_device() {
        assert_eq!(
            file_name_of("https://qlvb.example.vn/files/Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2001.pdf?t=1"),
            "Quyết định 01.pdf"
        );
        assert_eq!(file_name_of("https://qlvb.example.vn/files/CON.pdf"), "_CON.pdf");
        assert_eq!(file_name_of("https://qlvb.example.vn/files/nul"), "_nul");
        assert_eq!(
            file_name_of("https://qlvb.example.vn/files/..%2F..%2Fx.pdf"),
            "_.._x.pdf"
        );
        assert_eq!(file_name_of("https://qlvb.example.vn/files/"), "document.pdf");
        assert_eq!(
            file_name_of("https://qlvb.example.vn/a%E2%80%AEfdp.exe"),
            "afdp.exe"
        );
    }

    #[test]
    fn the_digest_prefix_is_grouped_for_reading() {
        assert_eq!(
            super::sha256_prefix("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"),
            "1a2b 3c4d 5e6f 7a8b"
        );
    }
}
