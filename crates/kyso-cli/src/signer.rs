//! Opening the signer the flags name (token, .p12, remote service), with the PIN from an
//! automation source or a no-echo prompt; and `kyso tokens`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use kyso_core::signer::p12::P12Signer;
use kyso_core::signer::pkcs11::Module;
use kyso_core::signer::{Secret, Signer, SignerError};
use kyso_core::Error;

use crate::args::{SignerArgs, TokensArgs};
use crate::error::CliError;
use crate::output;

/// Drivers to use: the one given, else `$KYSO_PKCS11_MODULE`, the settings' and those
/// found installed (each once).
pub(crate) fn module_paths(given: Option<&Path>) -> Vec<PathBuf> {
    if let Some(p) = given {
        return vec![p.to_path_buf()];
    }
    let (_, settings) = crate::user();
    let mut chosen: Vec<PathBuf> = std::env::var_os("KYSO_PKCS11_MODULE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    chosen.extend(settings.module_paths.iter().map(PathBuf::from));
    kyso_core::signer::drivers(&chosen)
}

fn read_secret_line(text: String) -> Secret {
    let mut text = zeroize::Zeroizing::new(text);
    let line = text.lines().next().unwrap_or("").to_string();
    let s = Secret::new(line);
    use zeroize::Zeroize;
    text.zeroize();
    s
}

fn env_secret(var: &str) -> Result<Secret, Error> {
    std::env::var(var).map(Secret::new).map_err(|_| {
        Error::Signer(SignerError::Setup(format!(
            "environment variable {var} is not set"
        )))
    })
}

/// The PIN from the automation sources, if one was named.
fn pin_from_flags(a: &SignerArgs) -> Result<Option<Secret>, Error> {
    if let Some(var) = &a.pin_env {
        return env_secret(var).map(Some);
    }
    if a.pin_stdin {
        return Ok(Some(crate::pin::from_stdin()?));
    }
    if let Some(fd) = a.pin_fd {
        return Ok(Some(crate::pin::from_fd(fd)?));
    }
    if let Some(f) = &a.pin_file {
        return Ok(Some(read_secret_line(std::fs::read_to_string(f)?)));
    }
    Ok(None)
}

/// Asks for a secret without echo, on a terminal only.
pub(crate) fn prompt_secret(prompt: &str) -> Result<Option<Secret>, Error> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let s = rpassword::prompt_password(prompt)?;
    Ok(Some(Secret::new(s)))
}

fn load_chain(paths: &[PathBuf]) -> Result<Vec<kyso_core::cert::Certificate>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        let certs = kyso_core::read_certificates(&std::fs::read(p)?);
        if certs.is_empty() {
            return Err(CliError::usage(format!(
                "no certificate found in {}",
                p.display()
            )));
        }
        out.extend(certs);
    }
    Ok(out)
}

/// The signer the flags name; its PIN asked for now (a token's only when it has no PIN pad).
pub(crate) fn open_signer(a: &SignerArgs) -> Result<Box<dyn Signer>, CliError> {
    if a.remote.wanted() {
        // Variables that hold a secret are kept from the browser a sign-in may start.
        let secret_vars: Vec<String> = [&a.pin_env, &a.remote.secret_env]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        return crate::remote::open(&a.remote, pin_from_flags(a)?, secret_vars);
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
            reason: "no token driver was found; install your token's driver".into(),
        })
        .into());
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

/// `kyso tokens`: every driver, its tokens and their certificates (no login unless a PIN
/// is named).
pub(crate) fn run_tokens(a: TokensArgs) -> u8 {
    let paths = module_paths(a.pkcs11.as_deref());
    let pin = match &a.pin_env {
        Some(var) => match env_secret(var) {
            Ok(s) => Some(s),
            Err(e) => {
                output::print_error(a.json, &e.into());
                return 2;
            }
        },
        None => None,
    };
    let mut modules = Vec::new();
    let mut loaded = 0;
    for p in &paths {
        match Module::load(p).and_then(|m| m.list(pin.as_ref())) {
            Ok(tokens) => {
                loaded += 1;
                modules.push(serde_json::json!({ "module": p.display().to_string(), "tokens": tokens }))
            }
            Err(e) => {
                let message = e.to_string();
                modules.push(serde_json::json!({
                    "module": p.display().to_string(),
                    "error": { "code": e.code(), "message": message }
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
    // Nothing usable: no driver, or none of them loads.
    if loaded == 0 {
        2
    } else {
        0
    }
}
