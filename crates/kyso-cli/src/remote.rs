//! `--signer csc|sim|smartca|mysign`: remote signing from the command line, and `kyso
//! providers` to save accounts. Settings come from a saved provider (`--provider NAME`), then
//! the flags; secrets only from an environment variable or a prompt, never from argv or files.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use kyso_core::signer::remote::csc::{CscConfig, CscLogin};
use kyso_core::signer::remote::http::Tls;
use kyso_core::signer::remote::mss::MssConfig;
use kyso_core::signer::remote::mysign::MySignConfig;
use kyso_core::signer::remote::smartca::SmartCaConfig;
use kyso_core::signer::remote::{self, Control, Progress, Provider, Secrets};
use kyso_core::signer::{Secret, Signer, SignerError};
use kyso_core::Error;

use crate::error::CliError;

/// Remote signing protocols.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteKind {
    /// Cloud Signature Consortium API v1/v2 (remote "centralized" certificates).
    Csc,
    /// SIM-PKI: ETSI TS 102 204 mobile signature through an MSSP.
    Sim,
    /// VNPT SmartCA.
    Smartca,
    /// Viettel MySign.
    Mysign,
}

/// How to sign in to a CSC service.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum LoginArg {
    /// No sign-in.
    None,
    /// `auth/login` with a user name and password.
    Basic,
    /// OAuth 2.0 client credentials.
    Client,
    /// OAuth 2.0 authorization code with PKCE, in the browser.
    Code,
}

/// Remote signer flags (with `--signer` or `--provider`).
#[derive(Args, Debug, Clone, Default)]
pub struct RemoteArgs {
    /// Sign with a remote service instead of a token or .p12.
    #[arg(long, value_enum)]
    pub signer: Option<RemoteKind>,
    /// A saved account (`kyso providers add`); flags given override its settings.
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,
    /// The service's address.
    #[arg(long, value_name = "URL")]
    pub service: Option<String>,
    /// User: CSC user name or OAuth client id; SmartCA/MySign user id.
    #[arg(long, value_name = "ID")]
    pub user: Option<String>,
    /// SIM-PKI phone number (84…).
    #[arg(long, value_name = "MSISDN")]
    pub phone: Option<String>,
    /// CSC or MySign credential id, SmartCA certificate serial number.
    #[arg(long, value_name = "ID")]
    pub credential: Option<String>,
    /// Application id: SIM-PKI AP_ID, SmartCA sp_id, MySign client_id.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Environment variable holding the account secret (CSC password or client secret, SIM-PKI
    /// AP password, SmartCA sp_password, MySign client secret); else it is asked for.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// CSC sign-in.
    #[arg(long, value_enum)]
    pub csc_login: Option<LoginArg>,
    /// CSC API version (default: ask the service).
    #[arg(long, value_name = "1|2")]
    pub csc_version: Option<u8>,
    /// Program that opens the sign-in page (CSC authorization code); default: the system's.
    #[arg(long, value_name = "CMD")]
    pub browser: Option<String>,
    /// SIM-PKI MSSP id (URI).
    #[arg(long, value_name = "URI")]
    pub mssp_id: Option<String>,
    /// SIM-PKI signature profile (URI).
    #[arg(long, value_name = "URI")]
    pub signature_profile: Option<String>,
    /// SIM-PKI: one call held until the phone answers, instead of polling.
    #[arg(long)]
    pub synchronous: bool,
    /// SIM-PKI: the user's certificate file, when the MSSP does not return it.
    #[arg(long, value_name = "FILE")]
    pub user_cert: Option<PathBuf>,
    /// MySign profile id.
    #[arg(long, value_name = "ID")]
    pub profile_id: Option<String>,
    /// CA certificate(s) of the service's TLS certificate (private PKI), PEM.
    #[arg(long, value_name = "PEM")]
    pub tls_ca: Option<PathBuf>,
    /// This application's TLS client certificate (SIM-PKI), PEM.
    #[arg(long, value_name = "PEM", requires = "client_key")]
    pub client_cert: Option<PathBuf>,
    /// Its private key, PEM.
    #[arg(long, value_name = "PEM", requires = "client_cert")]
    pub client_key: Option<PathBuf>,
    /// Keep the account secret in the system keyring (Windows Credential Manager, macOS
    /// Keychain, Linux session keyring) for the saved --provider, so it is not asked again.
    #[arg(long, requires = "provider")]
    pub remember_secret: bool,
    /// Seconds to wait for the confirmation on the phone.
    #[arg(long, value_name = "SECONDS", default_value_t = 180)]
    pub wait: u64,
}

impl RemoteArgs {
    /// Whether a remote signer was asked for.
    pub fn wanted(&self) -> bool {
        self.signer.is_some() || self.provider.is_some()
    }
}

fn missing(what: &str) -> CliError {
    CliError::usage(format!("remote signing needs {what}"))
}

/// The provider settings from `--provider` and the flags.
pub fn provider_of(a: &RemoteArgs) -> Result<Provider, CliError> {
    let (folders, _) = crate::user();
    let saved = match &a.provider {
        Some(name) => Some(
            remote::load_providers(&folders.config)
                .remove(name)
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "no saved signing account named \"{name}\" (see kyso providers list)"
                    ))
                })?,
        ),
        None => None,
    };
    let kind = match (a.signer, &saved) {
        (Some(k), _) => k,
        (None, Some(Provider::Csc(_))) => RemoteKind::Csc,
        (None, Some(Provider::Sim(_))) => RemoteKind::Sim,
        (None, Some(Provider::SmartCa(_))) => RemoteKind::Smartca,
        (None, Some(Provider::MySign(_))) => RemoteKind::Mysign,
        (None, None) => return Err(missing("--signer or --provider")),
    };
    let tls = |old: Tls| Tls {
        ca: a.tls_ca.clone().or(old.ca),
        client_cert: a.client_cert.clone().or(old.client_cert),
        client_key: a.client_key.clone().or(old.client_key),
    };
    let url = |old: String| -> Result<String, CliError> {
        a.service
            .clone()
            .or((!old.is_empty()).then_some(old))
            .ok_or_else(|| missing("the service's address (--service URL)"))
    };
    let need = |v: Option<String>, flag: &str| v.filter(|s| !s.is_empty()).ok_or_else(|| missing(flag));
    Ok(match kind {
        RemoteKind::Csc => {
            let old = match saved {
                Some(Provider::Csc(c)) => c,
                _ => CscConfig::default(),
            };
            Provider::Csc(CscConfig {
                url: url(old.url)?,
                version: a.csc_version.or(old.version),
                login: match a.csc_login {
                    Some(LoginArg::None) => CscLogin::None,
                    Some(LoginArg::Basic) => CscLogin::Basic,
                    Some(LoginArg::Client) => CscLogin::ClientCredentials,
                    Some(LoginArg::Code) => CscLogin::AuthorizationCode,
                    None => old.login,
                },
                user: a.user.clone().or(old.user),
                credential: a.credential.clone().or(old.credential),
                tls: tls(old.tls),
            })
        }
        RemoteKind::Sim => {
            let old = match saved {
                Some(Provider::Sim(c)) => c,
                _ => MssConfig::default(),
            };
            Provider::Sim(MssConfig {
                url: url(old.url)?,
                ap_id: need(
                    a.client_id.clone().or(Some(old.ap_id)),
                    "the application id (--client-id AP_ID)",
                )?,
                mssp_id: need(
                    a.mssp_id.clone().or(Some(old.mssp_id)),
                    "the MSSP id (--mssp-id URI)",
                )?,
                msisdn: need(
                    a.phone.clone().or(Some(old.msisdn)),
                    "the phone number (--phone 84…)",
                )?,
                signature_profile: need(
                    a.signature_profile.clone().or(Some(old.signature_profile)),
                    "the signature profile (--signature-profile URI)",
                )?,
                asynchronous: !a.synchronous && old.asynchronous,
                certificate: a.user_cert.clone().or(old.certificate),
                tls: tls(old.tls),
                ..old
            })
        }
        RemoteKind::Smartca => {
            let old = match saved {
                Some(Provider::SmartCa(c)) => c,
                _ => SmartCaConfig::default(),
            };
            Provider::SmartCa(SmartCaConfig {
                url: url(old.url)?,
                sp_id: need(a.client_id.clone().or(Some(old.sp_id)), "the SP id (--client-id)")?,
                user_id: need(a.user.clone().or(Some(old.user_id)), "the user id (--user)")?,
                serial_number: a.credential.clone().or(old.serial_number),
                tls: tls(old.tls),
            })
        }
        RemoteKind::Mysign => {
            let old = match saved {
                Some(Provider::MySign(c)) => c,
                _ => MySignConfig::default(),
            };
            Provider::MySign(MySignConfig {
                url: url(old.url)?,
                client_id: need(
                    a.client_id.clone().or(Some(old.client_id)),
                    "the client id (--client-id)",
                )?,
                profile_id: need(
                    a.profile_id.clone().or(Some(old.profile_id)),
                    "the profile id (--profile-id)",
                )?,
                user_id: need(a.user.clone().or(Some(old.user_id)), "the user id (--user)")?,
                credential: a.credential.clone().or(old.credential),
                tls: tls(old.tls),
            })
        }
    })
}

/// Progress on stderr, in Vietnamese and English; each new state once, the countdown every
/// 15 s.
fn progress_printer() -> impl Fn(&Progress) + Send + Sync + 'static {
    let last = std::sync::Mutex::new((String::new(), u64::MAX));
    move |p: &Progress| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let line = match p {
            Progress::Contacting { service } => format!("Đang kết nối / Contacting {service}"),
            Progress::Confirm {
                shown,
                code,
                seconds_left,
            } => {
                let key = format!("{shown}{code:?}");
                if key == last.0 && last.1.saturating_sub(*seconds_left) < 15 {
                    return;
                }
                *last = (key, *seconds_left);
                let code = code
                    .as_deref()
                    .map(|c| format!(" — mã / code {c}"))
                    .unwrap_or_default();
                format!(
                    "Hãy xác nhận trên điện thoại / Confirm on your phone: \"{shown}\"{code} — còn / left {seconds_left} s"
                )
            }
            Progress::Received => "Đã nhận chữ ký / Signature received".into(),
        };
        let mut e = std::io::stderr().lock();
        let _ = writeln!(e, "kyso: {line}");
    }
}

/// Opens the remote signer the flags describe.
pub fn open(
    a: &RemoteArgs,
    pin: Option<Secret>,
    secret_vars: Vec<String>,
) -> Result<Box<dyn Signer>, CliError> {
    let provider = provider_of(a)?;
    let remembered = a.provider.as_deref().and_then(remote::keyring::saved);
    let secret = match (&a.secret_env, remembered) {
        (Some(var), _) => Some(Secret::new(std::env::var(var).map_err(|_| {
            Error::Signer(SignerError::Setup(format!(
                "environment variable {var} is not set"
            )))
        })?)),
        (None, Some(s)) => Some(s),
        (None, None) => {
            let needs = match &provider {
                Provider::Csc(c) => !matches!(c.login, CscLogin::None | CscLogin::AuthorizationCode),
                _ => true,
            };
            if needs {
                crate::signer::prompt_secret("Mật khẩu tài khoản ký số / signing account secret: ")?
            } else {
                None
            }
        }
    };
    let pin = match pin {
        Some(p) => Some(p),
        None if provider.asks_pin() => crate::signer::prompt_secret("Mã PIN chứng thư / credential PIN: ")?,
        None => None,
    };
    let mut control = Control::with_listener(progress_printer());
    control.timeout = Duration::from_secs(a.wait.max(1));
    control.poll_every = Duration::from_secs(1);
    let browser_cmd = a.browser.clone();
    let mut browser = move |url: &str| -> Result<(), SignerError> {
        eprintln!("kyso: Đăng nhập tại / sign in at: {url}");
        remote::open_browser(browser_cmd.as_deref(), url, &secret_vars)
    };
    // Remembered only once the service has accepted it.
    let keep = match (&a.provider, a.remember_secret, &secret) {
        (Some(name), true, Some(s)) => Some((name.clone(), Secret::new(s.expose().to_string()))),
        _ => None,
    };
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
    if let Some((name, s)) = keep {
        if let Err(e) = remote::keyring::save(&name, &s) {
            eprintln!("kyso: warning: {e}");
        }
    }
    Ok(signer)
}

/// `kyso providers …`
#[derive(Subcommand, Debug)]
pub enum ProvidersCommand {
    /// List the saved remote-signing accounts.
    List {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Save an account under NAME (settings only: secrets are never saved).
    Add {
        /// Its name.
        name: String,
        #[command(flatten)]
        remote: Box<RemoteArgs>,
    },
    /// Remove a saved account.
    Remove {
        /// Its name.
        name: String,
    },
}

/// Runs `kyso providers`.
pub fn run(c: ProvidersCommand) -> u8 {
    let (folders, _) = crate::user();
    let r: Result<(), CliError> = (|| match c {
        ProvidersCommand::List { json } => {
            let all = remote::load_providers(&folders.config);
            if json {
                println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
            } else if all.is_empty() {
                println!("Chưa lưu tài khoản ký từ xa nào / no remote signing account saved");
            } else {
                for (name, p) in &all {
                    println!("{name}\t{}", p.kind());
                }
            }
            Ok(())
        }
        ProvidersCommand::Add { name, remote } => {
            let p = provider_of(&remote)?;
            remote::save_provider(&folders.config, &name, Some(&p))?;
            println!("Đã lưu / saved: {name} ({})", p.kind());
            Ok(())
        }
        ProvidersCommand::Remove { name } => {
            remote::save_provider(&folders.config, &name, None)?;
            remote::keyring::forget(&name);
            Ok(())
        }
    })();
    match r {
        Ok(()) => 0,
        Err(e) => {
            crate::output::print_error(false, &e);
            1
        }
    }
}
