//! Signers: something that holds (or reaches) a private key and its certificate, and signs.
//! Backends: PKCS#11 tokens (`pkcs11`), PKCS#12 files (`p12`), and remote services where the
//! key never reaches the desktop (`remote`: CSC, SIM-PKI over ETSI TS 102 204, VNPT SmartCA,
//! Viettel MySign). A remote signer blocks in `sign` while the official confirms on the phone;
//! it reports progress and honours cancel through its [`remote::Control`].

pub mod discover;
// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    library;
}
pub mod p12;
pub mod pkcs11;
#[cfg(windows)]
mod registry;
pub mod remote;

use x509_cert::Certificate;
use zeroize::Zeroizing;

use crate::crypto::{HashAlg, KeyKind, Scheme};

/// A secret typed by the user (PIN, PKCS#12 password): wiped from memory when dropped, and
/// redacted in `Debug`.
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: String) -> Self {
        Self(Zeroizing::new(s))
    }

    /// The secret text (use only at the point of use).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// What to sign.
pub struct SignRequest<'a> {
    /// The message (DER of the signed attributes). Tokens with a hash-and-sign mechanism use it.
    pub message: &'a [u8],
    /// Its digest under `hash`. Raw mechanisms and remote services use it.
    pub digest: &'a [u8],
    /// Hash algorithm.
    pub hash: HashAlg,
    /// Signature scheme.
    pub scheme: Scheme,
    /// What is being signed, in words (the file name): shown on the phone by remote signers.
    pub label: &'a str,
}

/// The state of a token's user PIN, from its flags (PKCS#11 `CK_TOKEN_INFO.flags`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PinState {
    /// An incorrect PIN was entered at least once since the last success.
    pub count_low: bool,
    /// One more wrong PIN locks the token.
    pub final_try: bool,
    /// The PIN is locked.
    pub locked: bool,
    /// The PIN must be changed before use.
    pub to_be_changed: bool,
}

/// Signer errors. Messages never contain a PIN.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The PKCS#11 library could not be loaded.
    #[error("cannot load the token driver {path}: {reason}")]
    ModuleLoad {
        /// Library path.
        path: String,
        /// Why.
        reason: String,
    },
    /// No token present.
    #[error("no token is plugged in (driver {0})")]
    NoToken(String),
    /// Several tokens and none chosen.
    #[error("several tokens are plugged in ({0}); choose one")]
    AmbiguousToken(String),
    /// The named token is not present.
    #[error("token \"{0}\" is not plugged in")]
    TokenNotFound(String),
    /// A PIN is needed and none was given.
    #[error("the token needs a PIN")]
    PinRequired,
    /// The PIN was wrong; the token's flags tell how many tries remain.
    #[error("wrong PIN{}", pin_hint(.0))]
    PinIncorrect(PinState),
    /// The PIN is locked.
    #[error("the token's PIN is locked after too many wrong tries; it must be unlocked by the issuing authority (or with the SO PIN)")]
    PinLocked,
    /// The PIN has a length the token refuses.
    #[error("the PIN has the wrong length for this token")]
    PinLength,
    /// No certificate matches the selector.
    #[error("no certificate matches \"{0}\"")]
    CertNotFound(String),
    /// Several usable certificates and none chosen.
    #[error("several signing certificates are available; choose one: {0}")]
    AmbiguousCert(String),
    /// No usable certificate with a private key.
    #[error("no signing certificate with a private key was found")]
    NoSigningCert,
    /// The key or algorithm is not allowed for new signatures.
    #[error("refused: {0}")]
    Policy(String),
    /// The signer's settings cannot be used (a file that cannot be read, an address that
    /// is not https, a phone number that is not one).
    #[error("{0}")]
    Setup(String),
    /// The token cannot do the mechanism needed.
    #[error("the token does not support {0}")]
    Mechanism(String),
    /// The token was pulled out (or stopped answering) while in use.
    #[error("the token was removed or stopped answering; plug it back in and try again")]
    TokenRemoved,
    /// Another signing in Kyso is using the token (or it is logged in already by someone
    /// else): nothing was sent to it, no PIN try was used.
    #[error("the token is in use by another signing; wait until it is done and try again")]
    TokenBusy,
    /// The token failed mid-operation.
    #[error("token error: {0}")]
    Token(String),
    /// PKCS#12 wrong password (the MAC does not verify).
    #[error("wrong password for the certificate file (or the file is damaged)")]
    P12Password,
    /// PKCS#12 unreadable.
    #[error("cannot read the certificate file: {0}")]
    P12(String),
    /// The signature returned does not verify with the certificate: never embedded.
    #[error("the signature returned by the signer does not match its certificate (wrong key?)")]
    WrongKey,
    /// The official refused the request on the phone (or in the provider's app).
    #[error("the signing request was refused on the phone or in the provider's app")]
    Refused,
    /// Nobody confirmed before the request expired.
    #[error("the signing request expired before it was confirmed{}", if .0.is_empty() { String::new() } else { format!(" ({})", .0) })]
    Expired(String),
    /// The user cancelled in Kyso.
    #[error("signing was cancelled")]
    Cancelled,
    /// The signing service could not be reached (network down, connection dropped).
    #[error("the signing service cannot be reached: {0}")]
    Unreachable(String),
    /// The signing service answered with an error or with something that is not its protocol.
    #[error("the signing service answered: {0}")]
    Service(String),
    /// I/O.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl SignerError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SignerError::ModuleLoad { .. } => "DRIVER_MISSING",
            SignerError::NoToken(_) | SignerError::TokenNotFound(_) => "TOKEN_MISSING",
            SignerError::AmbiguousToken(_) => "TOKEN_AMBIGUOUS",
            SignerError::PinRequired => "PIN_REQUIRED",
            SignerError::PinIncorrect(_) => "PIN_INCORRECT",
            SignerError::PinLocked => "PIN_LOCKED",
            SignerError::PinLength => "PIN_LENGTH",
            SignerError::CertNotFound(_) | SignerError::NoSigningCert => "CERT_NOT_FOUND",
            SignerError::AmbiguousCert(_) => "CERT_AMBIGUOUS",
            SignerError::P12Password => "P12_PASSWORD",
            SignerError::P12(_) => "P12_UNREADABLE",
            SignerError::WrongKey => "WRONG_KEY",
            SignerError::Policy(_) => "POLICY",
            SignerError::Setup(_) => "SIGNER_SETUP",
            SignerError::Mechanism(_) => "MECHANISM",
            SignerError::Refused => "REMOTE_REFUSED",
            SignerError::Expired(_) => "REMOTE_EXPIRED",
            SignerError::Cancelled => "CANCELLED",
            SignerError::Unreachable(_) => "REMOTE_UNREACHABLE",
            SignerError::Service(_) => "REMOTE_ERROR",
            SignerError::TokenRemoved => "TOKEN_REMOVED",
            SignerError::TokenBusy => "TOKEN_BUSY",
            SignerError::Token(_) | SignerError::Io(_) => "TOKEN_ERROR",
        }
    }
}

fn pin_hint(s: &PinState) -> String {
    if s.locked {
        "; the PIN is now locked".into()
    } else if s.final_try {
        "; ONE try left before the token locks".into()
    } else if s.count_low {
        "; the token is counting failed tries (most tokens lock after 3 wrong PINs in a row)".into()
    } else {
        String::new()
    }
}

/// A private key with its certificate.
pub trait Signer {
    /// The signer's certificate.
    fn certificate(&self) -> &Certificate;
    /// Other certificates to embed (intermediates, root) so validators can build the path.
    fn chain(&self) -> &[Certificate];
    /// Key type and size.
    fn key_kind(&self) -> KeyKind;
    /// Produces the signature value (DER for ECDSA).
    fn sign(&mut self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError>;

    /// Signs several requests, in order. Services that can sign a batch after one
    /// confirmation (CSC, SmartCA, MySign) override it; others sign one by one.
    fn sign_many(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        reqs.iter().map(|r| self.sign(r)).collect()
    }

    /// Whether one request for several documents is one confirmation (remote services),
    /// so a batch is best signed in one go; tokens and files sign document by document.
    fn signs_batches(&self) -> bool {
        false
    }

    /// The scheme used when the caller does not choose.
    fn default_scheme(&self) -> Scheme {
        match self.key_kind() {
            KeyKind::Rsa { .. } => Scheme::RsaPkcs1,
            KeyKind::Ec { .. } => Scheme::Ecdsa,
        }
    }
}

/// Token drivers to offer, in order: those `chosen` (the user's: a flag, the settings, the
/// environment), then those found installed — each real file once, so a driver reached
/// through a symbolic link is not listed twice.
pub fn drivers(chosen: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    discover::unique(chosen.iter().cloned().chain(discover::find_installed()).collect())
}

/// Orders `pool` into the issuer chain of `leaf` (by name; the verifier checks signatures).
pub fn chain_for(leaf: &Certificate, pool: &[Certificate]) -> Vec<Certificate> {
    let mut out: Vec<Certificate> = Vec::new();
    let mut cur = leaf.clone();
    for _ in 0..10 {
        if cur.tbs_certificate.issuer == cur.tbs_certificate.subject {
            break;
        }
        let Some(next) = pool.iter().find(|c| {
            c.tbs_certificate.subject == cur.tbs_certificate.issuer && *c != leaf && !out.contains(c)
        }) else {
            break;
        };
        out.push(next.clone());
        cur = next.clone();
    }
    out
}
