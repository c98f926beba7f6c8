//! `kyso serve`: the local signing bridge without the window, for headless use and tests.
//! The terminal is the confirmation dialog: each signing request is printed (each document
//! with its size and SHA-256) and needs `y` and the PIN; a new site is allowed only when the
//! user types `allow` (or with --allow-origin). One question at a time on the terminal, and
//! text a page chose is printed with its control characters escaped.

use std::io::{IsTerminal, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use clap::Args;
use kyso_bridge::{transfer, Ask, Bridge, Host, Limits};
use kyso_core::cert::Certificate;
use kyso_core::folders::Folders;
use kyso_core::settings::Settings;
use kyso_core::signer::{Signer, SignerError};
use kyso_core::Error;

use crate::error::CliError;
use crate::output::shown;

use crate::args::SignerArgs;

/// `kyso serve` flags.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (8987 is the one document-management systems call).
    #[arg(long, default_value_t = 8987)]
    pub port: u16,
    /// A site allowed to ask for signatures (scheme://host[:port]); repeatable. Sites allowed
    /// before are remembered in the config folder.
    #[arg(long = "allow-origin", value_name = "URL")]
    pub allow_origin: Vec<String>,
    /// Another site documents may come from or go to; repeatable.
    #[arg(long = "allow-host", value_name = "URL")]
    pub allow_host: Vec<String>,
    /// Timestamp authorities (B-T); none: B-B.
    #[arg(long, value_name = "URL")]
    pub tsa: Vec<String>,
    /// Extra trust anchors for VerifyPDF (PEM/DER).
    #[arg(long, value_name = "PEM")]
    pub trust: Vec<PathBuf>,
    /// Largest document fetched, in MB.
    #[arg(long, default_value_t = 50)]
    pub max_file_mb: u64,
    /// Documents in one request.
    #[arg(long, default_value_t = 20)]
    pub max_documents: usize,
    /// All documents of one request together, in MB.
    #[arg(long, default_value_t = 200)]
    pub max_total_mb: u64,
    /// Requests per site per minute.
    #[arg(long, default_value_t = 30)]
    pub per_minute: usize,
    #[command(flatten)]
    pub signer: SignerArgs,
}

fn origins_file(folders: &Folders) -> PathBuf {
    folders.config.join("bridge-origins.json")
}

/// The sites the user allowed before.
fn saved_origins(folders: &Folders) -> Vec<String> {
    std::fs::read(origins_file(folders))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save_origins(folders: &Folders, all: &[String]) {
    let _ = kyso_core::files::write_atomic(
        &origins_file(folders),
        &serde_json::to_vec_pretty(all).unwrap_or_default(),
    );
}

/// Test builds can confirm without a person (`KYSO_BRIDGE_AUTO_CONFIRM=yes|no`); a release
/// build has no such switch compiled in.
#[cfg(debug_assertions)]
fn scripted_answer() -> Option<bool> {
    match std::env::var("KYSO_BRIDGE_AUTO_CONFIRM").ok().as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    }
}

#[cfg(not(debug_assertions))]
fn scripted_answer() -> Option<bool> {
    None
}

/// One question on the terminal at a time: two requests asking together would mix their
/// lines, and an answer meant for one could answer the other.
static TERMINAL: Mutex<()> = Mutex::new(());

/// Asks the person at the terminal; the answer must be one of `yes_words`. `scripted` lets
/// a test build answer for signing confirmations — never for allowing a new site. `lines`
/// are printed first, under the same turn.
fn ask(lines: &[String], question: &str, yes_words: &[&str], scripted: bool) -> bool {
    let _turn = TERMINAL.lock().unwrap_or_else(|e| e.into_inner());
    for l in lines {
        eprintln!("kyso: {l}");
    }
    if let Some(a) = scripted_answer().filter(|_| scripted) {
        eprintln!(
            "kyso: {question} → {}",
            if a { "y (test build)" } else { "n (test build)" }
        );
        return a;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("kyso: {question} → no one to answer: refused");
        return false;
    }
    eprint!("kyso: {question} ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    yes_words.contains(&line.trim())
}

struct CliHost {
    args: ServeArgs,
    folders: Folders,
    settings: Settings,
    origins: Mutex<Vec<String>>,
    last_cert: Mutex<Option<Certificate>>,
}

impl Host for CliHost {
    fn origin_known(&self, origin: &str) -> bool {
        let Some(o) = transfer::origin_of(origin) else {
            return false;
        };
        let known = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        known
            .iter()
            .any(|k| transfer::origin_of(k).as_deref() == Some(o.as_str()))
    }

    fn ask_origin(&self, origin: &str) -> bool {
        // Not the "y" of a signing: a site is allowed only with the word itself.
        let site = shown(origin);
        if !ask(
            &[],
            &format!(
                "Trang {site} muốn dùng Kyso để ký / {site} wants to use Kyso to sign. Gõ \"allow\" để cho phép / type \"allow\" to allow it:"
            ),
            &["allow", "cho phép", "cho phep"],
            false,
        ) {
            return false;
        }
        let mut known = self.origins.lock().unwrap_or_else(|e| e.into_inner());
        known.push(origin.to_string());
        let saved: Vec<String> = known
            .iter()
            .filter(|k| !self.args.allow_origin.contains(k))
            .cloned()
            .collect();
        save_origins(&self.folders, &saved);
        true
    }

    fn allowed_hosts(&self) -> Vec<String> {
        self.args.allow_host.clone()
    }

    fn approve(&self, request: &Ask) -> Result<Box<dyn Signer>, Error> {
        // Everything below but the action's words was chosen by the page.
        let mut lines = vec![
            "── yêu cầu ký / signing request ──".to_string(),
            format!("  từ / from: {}", shown(&request.origin)),
            format!("  thao tác / action: {}", request.action_text),
        ];
        if let Some(n) = &request.document_number {
            lines.push(format!("  số văn bản / number: {}", shown(n)));
        }
        for d in &request.documents {
            lines.push(format!(
                "  tệp / file: {} ({} bytes, SHA-256 {}…) ← {}",
                shown(&d.name),
                d.size,
                d.sha256_prefix,
                shown(&d.address)
            ));
        }
        // The form's own words (an invoice's number, seller, total) come from the file.
        if let (Some(vi), Some(en)) = (request.xml_line("vi"), request.xml_line("en")) {
            lines.push(format!("  nội dung / content: {}", shown(&vi)));
            lines.push(format!("                      {}", shown(&en)));
            if let Some(x) = &request.xml {
                lines.push(format!(
                    "  ký phần / signs: {} → {}",
                    shown(&x.target.reference_path),
                    shown(&x.target.slot_path)
                ));
            }
        }
        if !ask(
            &lines,
            "Ký các tệp này? / sign these files? [y/N]",
            &["y", "Y", "yes", "c", "C", "có"],
            true,
        ) {
            return Err(Error::Signer(SignerError::Cancelled));
        }
        let signer = crate::signer::open_signer(&self.args.signer).map_err(|e| match e {
            CliError::Core(e) => e,
            CliError::Usage(u) => Error::Signer(SignerError::Setup(u)),
        })?;
        *self.last_cert.lock().unwrap_or_else(|e| e.into_inner()) = Some(signer.certificate().clone());
        Ok(signer)
    }

    fn certificate(&self) -> Option<Certificate> {
        if let Some(c) = self.last_cert.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return Some(c);
        }
        let a = &self.args.signer;
        // A .p12 whose password comes from the environment can be read without asking.
        if a.p12.is_some() {
            return a
                .p12_password_env
                .as_ref()
                .and_then(|_| crate::signer::open_signer(a).ok())
                .map(|s| s.certificate().clone());
        }
        if a.remote.wanted() {
            return None;
        }
        // A token's certificates are public objects: read without a login, so no PIN.
        let path = crate::signer::module_paths(a.pkcs11.as_deref())
            .into_iter()
            .next()?;
        let module = kyso_core::signer::pkcs11::Module::load(&path).ok()?;
        module
            .certificate(a.token.as_deref(), a.cert.as_deref())
            .ok()
            .map(|(c, _)| c)
    }

    fn folders(&self) -> Folders {
        self.folders.clone()
    }

    fn settings(&self) -> Settings {
        self.settings.clone()
    }

    fn trust_files(&self) -> Vec<PathBuf> {
        self.args.trust.clone()
    }
}

/// Runs `kyso serve` until killed.
pub fn run(a: ServeArgs) -> u8 {
    let r = (|| -> Result<(), CliError> {
        let (folders, mut settings) = crate::user();
        // The flags' TSAs replace the settings' (none given: B-B unless the settings name one).
        if !a.tsa.is_empty() {
            settings.tsa_urls = a.tsa.clone();
        }
        let mut origins = a.allow_origin.clone();
        origins.extend(saved_origins(&folders));
        let limits = Limits {
            max_file: a.max_file_mb << 20,
            max_documents: a.max_documents.max(1),
            max_total: a.max_total_mb.max(1) << 20,
            per_minute: a.per_minute.max(1),
            ..Limits::default()
        };
        let listener = TcpListener::bind(("127.0.0.1", a.port))?;
        let port = listener.local_addr()?.port();
        let tls = kyso_bridge::tls::load_or_create(&folders.config.join("bridge-tls"))?;
        let host = CliHost {
            args: a,
            folders,
            settings,
            origins: Mutex::new(origins),
            last_cert: Mutex::new(None),
        };
        let b = Arc::new(Bridge::new(Box::new(host), limits));
        // The first line says where it listens (scripts and tests wait for it).
        println!(
            "kyso: listening on ws(s)://127.0.0.1:{port}/ and http(s)://127.0.0.1:{port}/ (certificate authority to trust: {})",
            tls.ca_path.display()
        );
        let _ = std::io::stdout().flush();
        kyso_bridge::serve(listener, b, Some(tls.config), Arc::new(AtomicBool::new(false)))?;
        Ok(())
    })();
    match r {
        Ok(()) => 0,
        Err(e) => {
            crate::output::print_error(false, &e);
            1
        }
    }
}
