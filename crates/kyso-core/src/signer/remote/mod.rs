//! Remote signers: the private key stays with a service — a SIM-PKI card reached through an
//! MSSP (ETSI TS 102 204), or a "centralized" certificate at a provider (CSC API v1/v2, VNPT
//! SmartCA, Viettel MySign). Kyso sends only the digest of the signed attributes; the
//! official confirms on the phone; the service returns the raw signature, which the signing
//! core checks against the certificate before anything is written.
//!
//! Every protocol here is a plain [`Signer`](super::Signer) whose `sign` blocks until the
//! answer comes. What the caller needs while it waits — what to look for on the phone, a
//! countdown, a way to give up — goes through a [`Control`] shared with the UI thread.

pub mod csc;
pub mod http;
pub mod keyring;
pub mod mss;
pub mod mysign;
pub mod smartca;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use x509_cert::Certificate;

use super::{SignRequest, SignerError};
use crate::crypto::KeyKind;

/// What a remote signing is doing, for the person waiting.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Progress {
    /// Talking to the service.
    Contacting {
        /// The service's address.
        service: String,
    },
    /// The request is on the phone (or in the provider's app): the official must confirm it.
    Confirm {
        /// What the phone shows, to compare with (document label, transaction code).
        shown: String,
        /// The service's transaction code, when it has one.
        code: Option<String>,
        /// Seconds left before Kyso stops waiting.
        seconds_left: u64,
    },
    /// The signature arrived.
    Received,
}

type Listener = dyn Fn(&Progress) + Send + Sync;

/// Shared between a remote signer and whoever waits for it: progress out, cancel in, and how
/// long to wait for the official.
#[derive(Clone)]
pub struct Control {
    cancel: Arc<AtomicBool>,
    listener: Arc<Listener>,
    /// How long to wait for the confirmation (providers hold requests 2–5 minutes).
    pub timeout: Duration,
    /// How often to ask whether it was confirmed.
    pub poll_every: Duration,
}

impl Default for Control {
    fn default() -> Self {
        Self {
            cancel: Arc::new(AtomicBool::new(false)),
            listener: Arc::new(|_| {}),
            timeout: Duration::from_secs(180),
            poll_every: Duration::from_secs(2),
        }
    }
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancelled", &self.is_cancelled())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Control {
    /// A control that reports progress to `listener`.
    pub fn with_listener(listener: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        Self {
            listener: Arc::new(listener),
            ..Self::default()
        }
    }

    /// Asks the signer to stop waiting (from any thread).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Whether cancel was asked.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    pub(crate) fn report(&self, p: &Progress) {
        (self.listener)(p);
    }

    fn check(&self) -> Result<(), SignerError> {
        if self.is_cancelled() {
            Err(SignerError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Sleeps `d` in short slices so a cancel is honoured within 100 ms.
    fn sleep(&self, d: Duration) -> Result<(), SignerError> {
        let end = Instant::now() + d;
        loop {
            self.check()?;
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            std::thread::sleep((end - now).min(Duration::from_millis(100)));
        }
    }

    /// Polls `ask` until it returns a value, the deadline passes (→ [`SignerError::Expired`])
    /// or the user cancels, telling the listener what to look for on the phone each round.
    pub(crate) fn wait_for<T>(
        &self,
        shown: &str,
        code: Option<&str>,
        mut ask: impl FnMut() -> Result<Option<T>, SignerError>,
    ) -> Result<T, SignerError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            self.report(&Progress::Confirm {
                shown: shown.to_string(),
                code: code.map(str::to_string),
                seconds_left: left.as_secs(),
            });
            self.check()?;
            if let Some(v) = ask()? {
                self.report(&Progress::Received);
                return Ok(v);
            }
            if left.is_zero() {
                return Err(SignerError::Expired(format!(
                    "Kyso waited {} s",
                    self.timeout.as_secs()
                )));
            }
            self.sleep(self.poll_every.min(left))?;
        }
    }
}

/// A saved remote-signing account: which protocol and its settings. Secrets (passwords,
/// PINs, client secrets) are never part of it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Provider {
    /// Cloud Signature Consortium API (v1 or v2).
    Csc(csc::CscConfig),
    /// SIM-PKI through an MSSP (ETSI TS 102 204).
    Sim(mss::MssConfig),
    /// VNPT SmartCA.
    SmartCa(smartca::SmartCaConfig),
    /// Viettel MySign.
    MySign(mysign::MySignConfig),
}

impl Provider {
    /// The protocol's name as the CLI and the settings write it.
    pub fn kind(&self) -> &'static str {
        match self {
            Provider::Csc(_) => "csc",
            Provider::Sim(_) => "sim",
            Provider::SmartCa(_) => "smartca",
            Provider::MySign(_) => "mysign",
        }
    }

    /// Whether signing needs the official's PIN typed in Kyso (CSC explicit authorization);
    /// the others confirm on the phone.
    pub fn asks_pin(&self) -> bool {
        matches!(self, Provider::Csc(_))
    }
}

/// Secrets for one signing session, wiped when dropped.
#[derive(Default)]
pub struct Secrets {
    /// The account secret: CSC password or client secret, SmartCA `sp_password`, MySign
    /// client secret, SIM-PKI `AP_PWD`.
    pub secret: Option<super::Secret>,
    /// The credential PIN (CSC).
    pub pin: Option<super::Secret>,
    /// A one-time password (CSC).
    pub otp: Option<super::Secret>,
}

/// Opens `url` (a CSC sign-in page) with `command` (program and arguments, e.g. `firefox
/// --new-window`), or the system's default browser. The environment variables named in
/// `secret_vars` (where a PIN or password was given) are not passed on: the browser and
/// everything it starts would otherwise inherit them.
pub fn open_browser(command: Option<&str>, url: &str, secret_vars: &[String]) -> Result<(), SignerError> {
    let mut words: Vec<&str> = match command {
        Some(c) => c.split_whitespace().collect(),
        None if cfg!(windows) => vec!["explorer"],
        None => vec!["xdg-open"],
    };
    if words.is_empty() {
        return Ok(());
    }
    let prog = words.remove(0);
    let mut cmd = std::process::Command::new(prog);
    for v in secret_vars {
        cmd.env_remove(v);
    }
    cmd.args(words)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| SignerError::Setup(format!("cannot open the browser: {e}")))
}

/// Connects to `provider` and returns its signer.
pub fn open(
    provider: &Provider,
    secrets: Secrets,
    control: Control,
    browser: csc::OpenBrowser<'_>,
) -> Result<Box<dyn super::Signer + Send>, SignerError> {
    let need = |s: Option<super::Secret>| s.ok_or(SignerError::PinRequired);
    Ok(match provider {
        Provider::Csc(c) => Box::new(csc::CscSigner::connect(
            c,
            csc::CscSecrets {
                password: secrets.secret,
                pin: secrets.pin,
                otp: secrets.otp,
            },
            control,
            browser,
        )?),
        Provider::Sim(c) => Box::new(mss::MssSigner::connect(
            c.clone(),
            need(secrets.secret)?,
            control,
        )?),
        Provider::SmartCa(c) => Box::new(smartca::SmartCaSigner::connect(
            c.clone(),
            need(secrets.secret)?,
            control,
        )?),
        Provider::MySign(c) => Box::new(mysign::MySignSigner::connect(
            c.clone(),
            need(secrets.secret)?,
            control,
        )?),
    })
}

/// The saved accounts in the config folder `config`, by name (none when the file is
/// missing or unreadable).
pub fn load_providers(config: &std::path::Path) -> std::collections::BTreeMap<String, Provider> {
    std::fs::read(config.join("providers.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Saves (or, with `None`, removes) an account; the file is replaced atomically.
pub fn save_provider(
    config: &std::path::Path,
    name: &str,
    provider: Option<&Provider>,
) -> std::io::Result<()> {
    let mut all = load_providers(config);
    match provider {
        Some(p) => {
            all.insert(name.to_string(), p.clone());
        }
        None => {
            all.remove(name);
        }
    }
    crate::files::write_atomic(
        &config.join("providers.json"),
        &serde_json::to_vec_pretty(&all).unwrap_or_default(),
    )
}

/// Who a remote service signs as.
pub struct Identity {
    /// The signer's certificate.
    pub cert: Certificate,
    /// The chain the service sent (ordered up from the certificate).
    pub chain: Vec<Certificate>,
    /// Its key.
    pub kind: KeyKind,
}

/// A remote service: one request signs a batch of digests (services that cannot, such as
/// SIM-PKI, go one by one inside). Every service is a [`Signer`](super::Signer) through this,
/// with the checks they share done once here.
pub trait Service {
    /// Who signs.
    fn identity(&self) -> &Identity;
    /// Raw signature values for `reqs` (never empty), in order.
    fn sign_batch(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError>;
}

impl<T: Service> super::Signer for T {
    fn certificate(&self) -> &Certificate {
        &self.identity().cert
    }

    fn chain(&self) -> &[Certificate] {
        &self.identity().chain
    }

    fn key_kind(&self) -> KeyKind {
        self.identity().kind
    }

    fn signs_batches(&self) -> bool {
        true
    }

    fn sign(&mut self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError> {
        let mut v = self.sign_many(std::slice::from_ref(req))?;
        Ok(v.remove(0))
    }

    fn sign_many(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        if reqs.is_empty() {
            return Ok(Vec::new());
        }
        let sigs = self.sign_batch(reqs)?;
        if sigs.len() != reqs.len() {
            return Err(SignerError::Service(format!(
                "asked for {} signatures, got {}",
                reqs.len(),
                sigs.len()
            )));
        }
        let kind = self.identity().kind;
        Ok(sigs.into_iter().map(|s| normalize_signature(kind, s)).collect())
    }
}

/// Refuses what a service that signs only SHA-256 PKCS#1 v1.5 hashes cannot do.
pub(crate) fn sha256_pkcs1_only(reqs: &[SignRequest<'_>], service: &str) -> Result<(), SignerError> {
    if reqs
        .iter()
        .any(|r| r.hash != crate::crypto::HashAlg::Sha256 || r.scheme == crate::crypto::Scheme::RsaPss)
    {
        return Err(SignerError::Mechanism(format!(
            "{service} signs SHA-256 PKCS#1 hashes only"
        )));
    }
    Ok(())
}

/// The identity in the DER certificates a service returned (leaf first); the key must be one
/// Kyso signs with.
pub(crate) fn identity(ders: &[Vec<u8>]) -> Result<Identity, SignerError> {
    use der::Decode;
    let mut certs = ders
        .iter()
        .map(|d| Certificate::from_der(d))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SignerError::Service(format!("the certificate it returned is not readable ({e})")))?;
    if certs.is_empty() {
        return Err(SignerError::NoSigningCert);
    }
    let leaf = certs.remove(0);
    let kind = KeyKind::from_spki(&leaf.tbs_certificate.subject_public_key_info)
        .ok_or_else(|| SignerError::Policy("the service's key type is not supported".into()))?;
    if !kind.allowed_for_signing() {
        return Err(SignerError::Policy(format!(
            "{} keys are too weak for new signatures",
            kind.describe()
        )));
    }
    let chain = super::chain_for(&leaf, &certs);
    Ok(Identity {
        cert: leaf,
        chain,
        kind,
    })
}

/// Base64 (standard alphabet, padded), as every protocol here uses.
pub(crate) fn b64(data: &[u8]) -> String {
    use base64ct::Encoding;
    base64ct::Base64::encode_string(data)
}

/// Decodes base64, tolerating line breaks (SOAP services wrap long values).
pub(crate) fn unb64(s: &str) -> Result<Vec<u8>, SignerError> {
    use base64ct::Encoding;
    let clean: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64ct::Base64::decode_vec(&clean)
        .map_err(|_| SignerError::Service("it sent a value that is not base64".into()))
}

/// A fresh random identifier for transactions (hex, 128 bits).
pub fn random_id() -> String {
    use rand_core::RngCore;
    let mut b = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// The signature value the CMS needs: services sign raw PKCS#1 for RSA; an ECDSA service may
/// answer r‖s, which CMS wants as DER.
fn normalize_signature(kind: KeyKind, sig: Vec<u8>) -> Vec<u8> {
    match kind {
        KeyKind::Ec { .. } if sig.first() != Some(&0x30) => {
            crate::crypto::ecdsa_raw_to_der(&sig).unwrap_or(sig)
        }
        _ => sig,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn waiting_reports_a_countdown_and_ends_on_cancel_or_deadline() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let mut c = Control::with_listener(move |p| s2.lock().unwrap().push(p.clone()));
        c.timeout = Duration::from_millis(300);
        c.poll_every = Duration::from_millis(50);
        let mut n = 0;
        let got = c.wait_for("doc.pdf", Some("ABC"), || {
            n += 1;
            Ok((n == 3).then_some(42))
        });
        assert_eq!(got.unwrap(), 42);
        {
            // The listener takes this lock: hold it only while looking.
            let seen = seen.lock().unwrap();
            assert!(matches!(seen[0], Progress::Confirm { ref code, .. } if code.as_deref() == Some("ABC")));
            assert_eq!(seen.last(), Some(&Progress::Received));
        }

        let r: Result<(), _> = c.wait_for("doc.pdf", None, || Ok(None));
        assert!(matches!(r, Err(SignerError::Expired(_))));

        let c2 = c.clone();
        c.timeout = Duration::from_secs(30);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            c2.cancel();
        });
        let t = Instant::now();
        let r: Result<(), _> = c.wait_for("doc.pdf", None, || Ok(None));
        assert!(matches!(r, Err(SignerError::Cancelled)));
        assert!(t.elapsed() < Duration::from_secs(2));
    }
}
