//! Cloud Signature Consortium API client, versions 1.0.4 and 2.0: remote ("centralized")
//! certificates at a trust service provider.
//!
//! Flow: `info` (which version, which sign-in) → sign in (HTTP Basic `auth/login`, OAuth 2.0
//! client credentials, or authorization code with PKCE through the user's browser) →
//! `credentials/list` and `credentials/info` (certificate chain, key, how signing is
//! authorized) → per batch: `credentials/authorize` with every hash and the PIN/OTP (one
//! authorization covers up to `multisign` signatures) → `signatures/signHash`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::http::{self, Http, Tls};
use super::{Control, Progress};
use crate::crypto::{HashAlg, KeyKind, Scheme};
use crate::signer::{PinState, Secret, SignRequest, SignerError};

/// How Kyso signs in to the CSC service.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CscLogin {
    /// No sign-in (the service authorizes each signature with its SAD alone).
    #[default]
    None,
    /// `auth/login` with HTTP Basic (user name and password).
    Basic,
    /// OAuth 2.0 client credentials (`client_id` and secret).
    ClientCredentials,
    /// OAuth 2.0 authorization code with PKCE: the user signs in in the browser.
    AuthorizationCode,
}

/// Settings of a CSC provider (no secrets: those are asked for or kept in the keyring).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CscConfig {
    /// The service's base address (before `/csc/v1` or `/csc/v2`).
    pub url: String,
    /// API version 1 or 2; asked from the service when absent.
    #[serde(default)]
    pub version: Option<u8>,
    /// Sign-in.
    #[serde(default)]
    pub login: CscLogin,
    /// User name (Basic) or OAuth client id.
    #[serde(default)]
    pub user: Option<String>,
    /// The credential to use; when absent, the only one the service lists.
    #[serde(default)]
    pub credential: Option<String>,
    /// TLS settings.
    #[serde(default)]
    pub tls: Tls,
}

/// Secrets for one session; wiped when dropped.
#[derive(Default)]
pub struct CscSecrets {
    /// Basic password or OAuth client secret.
    pub password: Option<Secret>,
    /// The credential's PIN (explicit authorization).
    pub pin: Option<Secret>,
    /// A one-time password, when the credential wants one.
    pub otp: Option<Secret>,
}

/// Opens the sign-in page in the user's browser (authorization-code sign-in).
pub type OpenBrowser<'a> = &'a mut dyn FnMut(&str) -> Result<(), SignerError>;

/// A CSC credential, signed in.
pub struct CscSigner {
    http: Http,
    version: u8,
    token: Option<String>,
    credential: String,
    id: super::Identity,
    multisign: usize,
    secrets: CscSecrets,
    control: Control,
}

impl std::fmt::Debug for CscSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CscSigner")
            .field("service", &self.http.base())
            .field("version", &self.version)
            .field("credential", &self.credential)
            .finish()
    }
}

impl CscSigner {
    /// Connects, signs in and reads the credential's certificate.
    pub fn connect(
        cfg: &CscConfig,
        secrets: CscSecrets,
        control: Control,
        browser: OpenBrowser<'_>,
    ) -> Result<Self, SignerError> {
        control.report(&Progress::Contacting {
            service: cfg.url.clone(),
        });
        let http = Http::new(&cfg.url, &cfg.tls, Duration::from_secs(30))?;
        let (version, info) = discover(&http, cfg.version)?;
        let token = login(&http, cfg, &secrets, &info, version, &control, browser)?;
        let bearer = token.as_ref().map(|t| format!("Bearer {t}"));
        let call = |method: &str, body: Value| call(&http, version, bearer.as_deref(), method, body);
        let credential = match &cfg.credential {
            Some(c) => c.clone(),
            None => {
                let list = call("credentials/list", json!({}))?;
                let ids: Vec<String> = list
                    .get("credentialIDs")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                match ids.as_slice() {
                    [] => return Err(SignerError::NoSigningCert),
                    [one] => one.clone(),
                    many => return Err(SignerError::AmbiguousCert(many.join(", "))),
                }
            }
        };
        let mut ask = json!({"credentialID": credential, "certificates": "chain"});
        if version >= 2 {
            ask["certInfo"] = json!(true);
            ask["authInfo"] = json!(true);
        }
        let info = call("credentials/info", ask)?;
        let status = info
            .pointer("/key/status")
            .and_then(Value::as_str)
            .unwrap_or("enabled");
        if status != "enabled" {
            return Err(SignerError::Policy(format!("the service's key is {status}")));
        }
        if let Some(s) = info.pointer("/cert/status").and_then(Value::as_str) {
            if s != "valid" {
                return Err(SignerError::Policy(format!(
                    "the service says the certificate is {s}"
                )));
            }
        }
        let ders = http::certificates(info.pointer("/cert/certificates"))?;
        let id = super::identity(&ders)?;
        let multisign = info
            .get("multisign")
            .and_then(Value::as_u64)
            .filter(|n| *n > 0)
            .unwrap_or(1) as usize;
        Ok(Self {
            http,
            version,
            token,
            credential,
            id,
            multisign,
            secrets,
            control,
        })
    }

    /// The credential in use.
    pub fn credential(&self) -> &str {
        &self.credential
    }

    /// The API version spoken.
    pub fn version(&self) -> u8 {
        self.version
    }

    fn sign_chunk(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        let hash = reqs[0].hash;
        if reqs.iter().any(|r| r.hash != hash || r.scheme == Scheme::RsaPss) {
            return Err(SignerError::Mechanism(
                "RSA-PSS or mixed hashes through CSC".into(),
            ));
        }
        let hashes: Vec<String> = reqs.iter().map(|r| super::b64(r.digest)).collect();
        let hash_oid = hash.oid().to_string();
        let bearer = self.token.as_ref().map(|t| format!("Bearer {t}"));
        let mut auth = json!({"credentialID": self.credential, "numSignatures": reqs.len()});
        if self.version >= 2 {
            auth["hashes"] = json!(hashes);
            auth["hashAlgorithmOID"] = json!(hash_oid);
            let mut data = Vec::new();
            if let Some(p) = &self.secrets.pin {
                data.push(json!({"id": "PIN", "value": p.expose()}));
            }
            if let Some(o) = &self.secrets.otp {
                data.push(json!({"id": "OTP", "value": o.expose()}));
            }
            if !data.is_empty() {
                auth["authData"] = json!(data);
            }
        } else {
            auth["hash"] = json!(hashes);
            if let Some(p) = &self.secrets.pin {
                auth["PIN"] = json!(p.expose());
            }
            if let Some(o) = &self.secrets.otp {
                auth["OTP"] = json!(o.expose());
            }
        }
        let label = reqs.iter().map(|r| r.label).collect::<Vec<_>>().join(", ");
        self.control.report(&Progress::Confirm {
            shown: label,
            code: None,
            seconds_left: self.control.timeout.as_secs(),
        });
        let authorized = call(
            &self.http,
            self.version,
            bearer.as_deref(),
            "credentials/authorize",
            auth,
        );
        // Auth data is sent once: a wrong PIN is never sent again on its own.
        if matches!(
            authorized,
            Err(SignerError::PinIncorrect(_) | SignerError::PinLocked)
        ) {
            self.secrets.pin = None;
        }
        let sad = http::text(&authorized?, "SAD")?.to_string();
        if self.control.is_cancelled() {
            return Err(SignerError::Cancelled);
        }
        let sign_algo = match self.id.kind {
            KeyKind::Rsa { .. } => "1.2.840.113549.1.1.1".to_string(),
            KeyKind::Ec { .. } => Scheme::Ecdsa
                .algorithm_identifier(hash)
                .map_err(|e| SignerError::Mechanism(e.to_string()))?
                .oid
                .to_string(),
        };
        let mut body = json!({"credentialID": self.credential, "SAD": sad, "signAlgo": sign_algo});
        if self.version >= 2 {
            body["hashes"] = json!(hashes);
            body["hashAlgorithmOID"] = json!(hash_oid);
        } else {
            body["hash"] = json!(hashes);
            body["hashAlgo"] = json!(hash_oid);
        }
        let signed = call(
            &self.http,
            self.version,
            bearer.as_deref(),
            "signatures/signHash",
            body,
        )?;
        let sigs = signed
            .get("signatures")
            .and_then(Value::as_array)
            .ok_or_else(|| SignerError::Service("the answer has no signatures".into()))?;
        self.control.report(&Progress::Received);
        sigs.iter()
            .map(|s| super::unb64(s.as_str().unwrap_or_default()))
            .collect()
    }
}

impl super::Service for CscSigner {
    fn identity(&self) -> &super::Identity {
        &self.id
    }

    fn sign_batch(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        let mut out = Vec::with_capacity(reqs.len());
        for chunk in reqs.chunks(self.multisign) {
            out.extend(self.sign_chunk(chunk)?);
        }
        Ok(out)
    }
}

/// Which version the service speaks, and its `info`.
fn discover(http: &Http, wanted: Option<u8>) -> Result<(u8, Value), SignerError> {
    let order: &[u8] = match wanted {
        Some(1) => &[1],
        Some(2) => &[2],
        Some(v) => {
            return Err(SignerError::Setup(format!(
                "CSC API version {v} is not supported (1 or 2)"
            )))
        }
        None => &[2, 1],
    };
    let mut last = String::new();
    for &v in order {
        match http.post_json(&format!("csc/v{v}/info"), None, &json!({})) {
            Ok((200, info)) => return Ok((v, info)),
            Ok((status, _)) => last = format!("HTTP {status} for csc/v{v}/info"),
            Err(SignerError::Service(m)) => last = m,
            Err(e) => return Err(e),
        }
    }
    Err(SignerError::Service(format!(
        "{} does not answer as a CSC service ({last})",
        http.base()
    )))
}

/// One CSC method call; CSC error answers become specific errors.
fn call(
    http: &Http,
    version: u8,
    bearer: Option<&str>,
    method: &str,
    body: Value,
) -> Result<Value, SignerError> {
    let (status, v) = http.post_json(&format!("csc/v{version}/{method}"), bearer, &body)?;
    if (200..300).contains(&status) {
        return Ok(v);
    }
    let text = http::error_text(status, &v);
    let lower = text.to_lowercase();
    Err(if lower.contains("locked") || lower.contains("blocked") {
        SignerError::PinLocked
    } else if lower.contains("pin") || lower.contains("otp") {
        SignerError::PinIncorrect(PinState::default())
    } else if lower.contains("access_denied") {
        SignerError::Refused
    } else {
        SignerError::Service(format!("{method}: {text}"))
    })
}

fn login(
    http: &Http,
    cfg: &CscConfig,
    secrets: &CscSecrets,
    info: &Value,
    version: u8,
    control: &Control,
    browser: OpenBrowser<'_>,
) -> Result<Option<String>, SignerError> {
    let user = || {
        cfg.user
            .clone()
            .ok_or_else(|| SignerError::Setup("the CSC sign-in needs a user name or client id".into()))
    };
    let secret = || {
        secrets
            .password
            .as_ref()
            .ok_or(SignerError::PinRequired)
            .map(|s| s.expose().to_string())
    };
    // OAuth endpoints live at `info.oauth2` (the service's base when absent).
    let oauth = info
        .get("oauth2")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('/').to_string())
        .unwrap_or_else(|| http.base().to_string());
    // The service names its sign-in server; the client secret and the browser go there, so
    // it must be https (or this computer) like the service itself.
    if cfg.login != CscLogin::None && cfg.login != CscLogin::Basic {
        crate::net::secure_service(&oauth)
            .map_err(|e| SignerError::Service(format!("the service's sign-in address (oauth2): {e}")))?;
    }
    let token_of = |status: u16, v: Value| -> Result<Option<String>, SignerError> {
        if !(200..300).contains(&status) {
            return Err(SignerError::Service(format!(
                "sign-in refused: {}",
                http::error_text(status, &v)
            )));
        }
        Ok(Some(http::text(&v, "access_token")?.to_string()))
    };
    match cfg.login {
        CscLogin::None => Ok(None),
        CscLogin::Basic => {
            use base64ct::Encoding;
            let pair = zeroize::Zeroizing::new(format!("{}:{}", user()?, secret()?));
            let basic = format!("Basic {}", base64ct::Base64::encode_string(pair.as_bytes()));
            let (status, v) =
                http.post_json(&format!("csc/v{version}/auth/login"), Some(&basic), &json!({}))?;
            token_of(status, v)
        }
        CscLogin::ClientCredentials => {
            let (id, s) = (user()?, zeroize::Zeroizing::new(secret()?));
            let (status, v) = http.post_form(
                &format!("{oauth}/oauth2/token"),
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", &id),
                    ("client_secret", &s),
                ],
            )?;
            token_of(status, v)
        }
        CscLogin::AuthorizationCode => {
            let id = user()?;
            let code = authorization_code(&oauth, &id, control, browser)?;
            let (status, v) = http.post_form(
                &format!("{oauth}/oauth2/token"),
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code.code),
                    ("code_verifier", &code.verifier),
                    ("redirect_uri", &code.redirect_uri),
                    ("client_id", &id),
                ],
            )?;
            token_of(status, v)
        }
    }
}

struct Code {
    code: String,
    verifier: String,
    redirect_uri: String,
}

/// RFC 7636 PKCE: the browser goes to the provider's sign-in page; the provider redirects it
/// to a one-shot listener on 127.0.0.1 with the code, which only this verifier can redeem.
fn authorization_code(
    oauth: &str,
    client_id: &str,
    control: &Control,
    browser: OpenBrowser<'_>,
) -> Result<Code, SignerError> {
    use base64ct::Encoding;
    let verifier = format!("{}{}", super::random_id(), super::random_id());
    let challenge = base64ct::Base64UrlUnpadded::encode_string(&HashAlg::Sha256.digest(verifier.as_bytes()));
    let state = super::random_id();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let redirect_uri = format!("http://127.0.0.1:{}/callback", listener.local_addr()?.port());
    let url = format!(
        "{oauth}/oauth2/authorize?{}",
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("response_type", "code"),
                ("client_id", client_id),
                ("redirect_uri", &redirect_uri),
                ("scope", "service"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("state", &state),
            ])
            .finish()
    );
    browser(&url)?;
    control.report(&Progress::Confirm {
        shown: "sign in in the browser / đăng nhập trên trình duyệt".into(),
        code: None,
        seconds_left: control.timeout.as_secs(),
    });
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + control.timeout;
    loop {
        if control.is_cancelled() {
            return Err(SignerError::Cancelled);
        }
        if Instant::now() > deadline {
            return Err(SignerError::Expired("nobody signed in in the browser".into()));
        }
        let mut stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut buf = [0u8; 8192];
        let n = stream.read(&mut buf).unwrap_or(0);
        let head = String::from_utf8_lossy(&buf[..n]);
        let target = head.split_whitespace().nth(1).unwrap_or("");
        let Some(query) = target.strip_prefix("/callback?") else {
            let _ =
                stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            continue;
        };
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let page = "<!doctype html><meta charset=utf-8><p>Kyso: đã nhận kết quả đăng nhập, bạn có thể đóng cửa sổ này.<br>Sign-in received; you can close this window.";
        let _ = stream.write_all(
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            )
            .as_bytes(),
        );
        // A callback with someone else's state is not ours: ignore it (RFC 6749 §10.12).
        if get("state").as_deref() != Some(state.as_str()) {
            continue;
        }
        if let Some(e) = get("error") {
            return Err(if e == "access_denied" {
                SignerError::Refused
            } else {
                SignerError::Service(format!("sign-in failed: {e}"))
            });
        }
        let code = get("code").ok_or_else(|| SignerError::Service("the sign-in gave no code".into()))?;
        return Ok(Code {
            code,
            verifier,
            redirect_uri,
        });
    }
}
