//! PKCS#11 tokens through `cryptoki`: listing tokens and certificates, logging in once, and
//! signing with the best mechanism the token offers.
//!
//! PIN rules: the PIN is used for exactly one `C_Login` and never retried; a wrong PIN is
//! reported with the token's own tries-left flags (count-low, final-try, locked). Tokens with
//! a PIN pad (protected authentication path) log in without a PIN from us.
//!
//! One user of a token at a time in this process: a PKCS#11 login belongs to the whole
//! process, so a second signer (the bridge while the app signs a batch) would find the token
//! already logged in — and its logout would end the first one's session. A signer therefore
//! claims its token (driver and slot) before logging in and keeps it until it is dropped; a
//! second claim is refused as [`SignerError::TokenBusy`], and a token that is logged in
//! without our claim is never taken as a correct PIN.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::{Slot, TokenInfo};
use der::{Decode, Encode};
use x509_cert::Certificate;

use super::{chain_for, PinState, Secret, SignRequest, Signer, SignerError};
use crate::cert;
use crate::crypto::{self, HashAlg, KeyKind, Scheme};

/// A loaded PKCS#11 library. Finalized when dropped.
pub struct Module {
    path: PathBuf,
    ctx: Pkcs11,
}

/// A token as listed for the user.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TokenSummary {
    /// Slot id.
    pub slot: u64,
    /// Token label.
    pub label: String,
    /// Serial number.
    pub serial: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// User PIN flags.
    pub pin: PinState,
    /// PIN pad: log in on the device.
    pub protected_authentication_path: bool,
    /// Certificates on the token.
    pub certificates: Vec<TokenCert>,
}

/// A certificate on a token.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TokenCert {
    /// CKA_ID, hex.
    pub id: String,
    /// CKA_LABEL.
    pub label: String,
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// notBefore (RFC 3339).
    pub not_before: String,
    /// notAfter (RFC 3339).
    pub not_after: String,
    /// `RSA-2048`, `ECDSA P-256`…
    pub key: String,
    /// SHA-256 fingerprint, hex.
    pub sha256: String,
    /// Holder identity.
    pub identity: cert::Identity,
    /// Whether a private key pairs with it: `None` when the token hides keys until login.
    pub has_private_key: Option<bool>,
    /// The certificate itself (DER), for checks that need more than the summary.
    #[serde(skip)]
    pub der: Vec<u8>,
    /// Key usage allows document signing and it is not a CA certificate.
    pub signing_certificate: bool,
}

/// Tokens claimed by a signer (or a listing with a PIN) of this process: (driver, slot).
static CLAIMED: Mutex<Option<HashSet<(PathBuf, u64)>>> = Mutex::new(None);

/// The right to log in to one token, released when dropped.
struct Claim(PathBuf, u64);

impl Claim {
    fn take(module: &Module, slot: Slot) -> Result<Self, SignerError> {
        let key = (module.path.clone(), slot.id());
        let mut all = CLAIMED.lock().unwrap_or_else(|e| e.into_inner());
        if !all.get_or_insert_with(HashSet::new).insert(key.clone()) {
            return Err(SignerError::TokenBusy);
        }
        Ok(Claim(key.0, key.1))
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut all = CLAIMED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = all.as_mut() {
            set.remove(&(std::mem::take(&mut self.0), self.1));
        }
    }
}

fn ck_err(e: CkError) -> SignerError {
    match e {
        CkError::Pkcs11(RvError::PinIncorrect, _) => SignerError::PinIncorrect(PinState::default()),
        CkError::Pkcs11(RvError::PinLocked, _) => SignerError::PinLocked,
        CkError::Pkcs11(RvError::PinLenRange, _) => SignerError::PinLength,
        CkError::Pkcs11(
            RvError::TokenNotPresent | RvError::DeviceRemoved | RvError::SessionHandleInvalid,
            _,
        ) => SignerError::TokenRemoved,
        other => SignerError::Token(other.to_string()),
    }
}

fn pin_state(info: &TokenInfo) -> PinState {
    PinState {
        count_low: info.user_pin_count_low(),
        final_try: info.user_pin_final_try(),
        locked: info.user_pin_locked(),
        to_be_changed: info.user_pin_to_be_changed(),
    }
}

/// RFC 3339 text of an X.509 time.
pub fn time_text(t: &x509_cert::time::Time) -> String {
    let secs = t.to_unix_duration().as_secs() as i64;
    crate::timefmt::rfc3339(secs)
}

struct FoundCert {
    handle_id: Vec<u8>,
    label: String,
    cert: Certificate,
}

impl Module {
    /// Loads and initialises a PKCS#11 library. The path must be an existing regular file.
    pub fn load(path: &Path) -> Result<Self, SignerError> {
        let shown = path.display().to_string();
        if !super::discover::is_regular_file(path) {
            return Err(SignerError::ModuleLoad {
                path: shown,
                reason: "file not found (is the token driver installed?)".into(),
            });
        }
        // A driver built for another processor (a 32-bit one in SysWOW64) cannot be loaded;
        // its header says so, and the loader's own error would not.
        if let Some(reason) = super::library::foreign_reason(path) {
            return Err(SignerError::ModuleLoad { path: shown, reason });
        }
        let ctx = Pkcs11::new(path).map_err(|e| SignerError::ModuleLoad {
            path: shown.clone(),
            reason: super::library::explain(&e),
        })?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => {
                return Err(SignerError::ModuleLoad {
                    path: shown,
                    reason: e.to_string(),
                })
            }
        }
        Ok(Self {
            // Canonical: two names for one driver (a symlink) share their tokens' claims.
            path: std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
            ctx,
        })
    }

    /// The library path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// One `C_Login` (no PIN: the token's PIN pad), made under the token's [`Claim`]. A wrong
    /// PIN is reported with the token's flags re-read after the failure — they say how close
    /// it is to locking. Never retried. A token already logged in was unlocked by someone
    /// else: that says nothing about this PIN, so it is refused (and not logged out).
    fn login(&self, session: &Session, slot: Slot, pin: Option<&Secret>) -> Result<(), SignerError> {
        let auth = pin.map(|p| cryptoki::types::AuthPin::from(p.expose().to_owned()));
        match session.login(UserType::User, auth.as_ref()) {
            Ok(()) => Ok(()),
            Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Err(SignerError::TokenBusy),
            Err(CkError::Pkcs11(RvError::PinIncorrect, _)) => {
                let after = self
                    .ctx
                    .get_token_info(slot)
                    .map(|i| pin_state(&i))
                    .unwrap_or_default();
                if after.locked {
                    return Err(SignerError::PinLocked);
                }
                Err(SignerError::PinIncorrect(after))
            }
            Err(e) => Err(ck_err(e)),
        }
    }

    fn slots(&self) -> Result<Vec<Slot>, SignerError> {
        self.ctx.get_slots_with_initialized_token().map_err(ck_err)
    }

    /// Lists tokens and their certificates. Without a PIN, tokens that hide private keys
    /// until login report `has_private_key: null`; with one, each certificate is paired with
    /// its key (CKA_ID, else the public key). One login per token, never retried.
    pub fn list(&self, pin: Option<&Secret>) -> Result<Vec<TokenSummary>, SignerError> {
        let mut out = Vec::new();
        for slot in self.slots()? {
            let info = self.ctx.get_token_info(slot).map_err(ck_err)?;
            let session = self.ctx.open_ro_session(slot).map_err(ck_err)?;
            let mut claim = None;
            let logged_in = match pin {
                Some(p) if !pin_state(&info).locked && !info.protected_authentication_path() => {
                    claim = Some(Claim::take(self, slot)?);
                    self.login(&session, slot, Some(p))?;
                    true
                }
                _ => false,
            };
            let certs = find_certs(&session)?;
            let key_ids = find_private_key_ids(&session).unwrap_or_default();
            let mut certificates = Vec::new();
            for c in &certs {
                let paired = if logged_in {
                    Some(find_private_key(&session, c)?.is_some())
                } else if key_ids.is_empty() {
                    None // private keys are hidden until login on most tokens
                } else {
                    Some(key_ids.contains(&c.handle_id))
                };
                certificates.push(summarize(c, paired));
            }
            if logged_in {
                let _ = session.logout();
            }
            drop(session);
            drop(claim);
            out.push(TokenSummary {
                slot: slot.id(),
                label: info.label().trim().to_string(),
                serial: info.serial_number().trim().to_string(),
                manufacturer: info.manufacturer_id().trim().to_string(),
                model: info.model().trim().to_string(),
                pin: pin_state(&info),
                protected_authentication_path: info.protected_authentication_path(),
                certificates,
            });
        }
        Ok(out)
    }

    /// The token named `token`, or the only one plugged in.
    fn pick_token(&self, token: Option<&str>) -> Result<(Slot, TokenInfo), SignerError> {
        let slots = self.slots()?;
        if slots.is_empty() {
            return Err(SignerError::NoToken(self.path.display().to_string()));
        }
        let mut labelled = Vec::new();
        for s in &slots {
            let info = self.ctx.get_token_info(*s).map_err(ck_err)?;
            labelled.push((*s, info.label().trim().to_string(), info));
        }
        let (slot, _, info) = match token {
            Some(want) => labelled
                .into_iter()
                .find(|(_, l, _)| l == want)
                .ok_or_else(|| SignerError::TokenNotFound(want.to_string()))?,
            None if labelled.len() == 1 => labelled.remove(0),
            None => {
                let names: Vec<String> = labelled.iter().map(|(_, l, _)| format!("\"{l}\"")).collect();
                return Err(SignerError::AmbiguousToken(names.join(", ")));
            }
        };
        Ok((slot, info))
    }

    /// The certificate `open_signer` would use, and its chain, read without a login
    /// (certificates are public objects): for showing who would sign before any PIN.
    pub fn certificate(
        &self,
        token: Option<&str>,
        cert_selector: Option<&str>,
    ) -> Result<(Certificate, Vec<Certificate>), SignerError> {
        let (slot, _) = self.pick_token(token)?;
        let session = self.ctx.open_ro_session(slot).map_err(ck_err)?;
        let certs = find_certs(&session)?;
        let chosen = select_cert(&certs, cert_selector)?;
        let pool: Vec<Certificate> = certs.iter().map(|c| c.cert.clone()).collect();
        let chain = chain_for(&chosen.cert, &pool);
        Ok((chosen.cert, chain))
    }

    /// Opens a signer: picks the token and certificate, logs in once, pairs the private key.
    /// The signer keeps the module loaded for as long as it lives.
    pub fn open_signer(
        self: &Arc<Self>,
        token: Option<&str>,
        cert_selector: Option<&str>,
        pin: Option<&Secret>,
        extra_chain: &[Certificate],
    ) -> Result<Pkcs11Signer, SignerError> {
        let (slot, info) = self.pick_token(token)?;
        let state = pin_state(&info);
        if state.locked {
            return Err(SignerError::PinLocked);
        }
        let session = self.ctx.open_ro_session(slot).map_err(ck_err)?;
        // Pick the certificate before asking the token for a login, so that a wrong
        // selector never costs a PIN try.
        let certs = find_certs(&session)?;
        let chosen = select_cert(&certs, cert_selector)?;
        let claim = Claim::take(self, slot)?;
        if info.protected_authentication_path() {
            self.login(&session, slot, None)?;
        } else {
            self.login(&session, slot, Some(pin.ok_or(SignerError::PinRequired)?))?;
        }
        let key = find_private_key(&session, &chosen)?.ok_or(SignerError::NoSigningCert)?;
        let spki = &chosen.cert.tbs_certificate.subject_public_key_info;
        let kind =
            KeyKind::from_spki(spki).ok_or_else(|| SignerError::Policy("unsupported key type".into()))?;
        let mechanisms = self.ctx.get_mechanism_list(slot).map_err(ck_err)?;
        let pool: Vec<Certificate> = certs
            .iter()
            .map(|c| c.cert.clone())
            .chain(extra_chain.iter().cloned())
            .collect();
        let chain = chain_for(&chosen.cert, &pool);
        Ok(Pkcs11Signer {
            session,
            _module: self.clone(),
            key,
            cert: chosen.cert,
            chain,
            kind,
            mechanisms,
            _claim: claim,
        })
    }
}

fn summarize(c: &FoundCert, paired: Option<bool>) -> TokenCert {
    let tbs = &c.cert.tbs_certificate;
    TokenCert {
        id: hex::encode(&c.handle_id),
        label: c.label.clone(),
        subject: cert::name_to_string(&tbs.subject),
        issuer: cert::name_to_string(&tbs.issuer),
        serial: hex::encode(tbs.serial_number.as_bytes()),
        not_before: time_text(&tbs.validity.not_before),
        not_after: time_text(&tbs.validity.not_after),
        key: KeyKind::from_spki(&tbs.subject_public_key_info)
            .map_or_else(|| "unknown".into(), |k| k.describe()),
        sha256: cert::fingerprint(&c.cert),
        identity: cert::identity(&c.cert),
        has_private_key: paired,
        der: cert::der_of(&c.cert),
        signing_certificate: cert::can_sign_documents(&c.cert) && !cert::is_ca(&c.cert),
    }
}

fn find_certs(session: &Session) -> Result<Vec<FoundCert>, SignerError> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(ck_err)?;
    let mut out = Vec::new();
    for h in handles {
        let attrs = session
            .get_attributes(
                h,
                &[AttributeType::Value, AttributeType::Id, AttributeType::Label],
            )
            .map_err(ck_err)?;
        let mut value = None;
        let mut id = Vec::new();
        let mut label = String::new();
        for a in attrs {
            match a {
                Attribute::Value(v) => value = Some(v),
                Attribute::Id(i) => id = i,
                Attribute::Label(l) => label = String::from_utf8_lossy(&l).into_owned(),
                _ => {}
            }
        }
        // A certificate the parser rejects is skipped, not fatal: other certs stay usable.
        if let Some(cert) = value.and_then(|v| Certificate::from_der(&v).ok()) {
            out.push(FoundCert {
                handle_id: id,
                label,
                cert,
            });
        }
    }
    Ok(out)
}

fn find_private_key_ids(session: &Session) -> Result<Vec<Vec<u8>>, SignerError> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
        .map_err(ck_err)?;
    let mut ids = Vec::new();
    for h in handles {
        for a in session.get_attributes(h, &[AttributeType::Id]).map_err(ck_err)? {
            if let Attribute::Id(i) = a {
                ids.push(i);
            }
        }
    }
    Ok(ids)
}

/// The private key for a certificate: same CKA_ID, else (RSA) the same modulus.
fn find_private_key(session: &Session, c: &FoundCert) -> Result<Option<ObjectHandle>, SignerError> {
    if !c.handle_id.is_empty() {
        let by_id = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::Id(c.handle_id.clone()),
            ])
            .map_err(ck_err)?;
        if let Some(h) = by_id.first() {
            return Ok(Some(*h));
        }
    }
    let spki = &c.cert.tbs_certificate.subject_public_key_info;
    if let Ok(pk) = crypto::rsa_public_key(spki) {
        let modulus = rsa::traits::PublicKeyParts::n(&pk).to_bytes_be();
        let keys = session
            .find_objects(&[Attribute::Class(ObjectClass::PRIVATE_KEY)])
            .map_err(ck_err)?;
        for h in keys {
            for a in session
                .get_attributes(h, &[AttributeType::Modulus])
                .map_err(ck_err)?
            {
                if let Attribute::Modulus(m) = a {
                    if strip_zeros(&m) == strip_zeros(&modulus) {
                        return Ok(Some(h));
                    }
                }
            }
        }
    }
    Ok(None)
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|x| *x != 0).unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

/// Picks a certificate by selector (CKA_ID hex, label, or SHA-256 fingerprint prefix of at
/// least 8 hex digits), or the only signing certificate when no selector is given.
fn select_cert(certs: &[FoundCert], selector: Option<&str>) -> Result<FoundCert, SignerError> {
    let matches: Vec<&FoundCert> = match selector {
        Some(sel) => {
            let s = sel.trim().to_ascii_lowercase().replace(':', "");
            certs
                .iter()
                .filter(|c| {
                    c.label == sel
                        || hex::encode(&c.handle_id) == s
                        || (s.len() >= 8 && cert::fingerprint(&c.cert).starts_with(&s))
                })
                .collect()
        }
        None => certs
            .iter()
            .filter(|c| cert::can_sign_documents(&c.cert) && !cert::is_ca(&c.cert) && !c.handle_id.is_empty())
            .collect(),
    };
    match matches.as_slice() {
        [one] => Ok(FoundCert {
            handle_id: one.handle_id.clone(),
            label: one.label.clone(),
            cert: one.cert.clone(),
        }),
        [] => match selector {
            Some(sel) => Err(SignerError::CertNotFound(sel.to_string())),
            None => Err(SignerError::NoSigningCert),
        },
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|c| {
                    format!(
                        "id {} \"{}\" ({})",
                        hex::encode(&c.handle_id),
                        c.label,
                        cert::identity(&c.cert).common_name.unwrap_or_default()
                    )
                })
                .collect();
            Err(SignerError::AmbiguousCert(list.join("; ")))
        }
    }
}

/// A logged-in token session bound to one key and certificate.
pub struct Pkcs11Signer {
    // Declared first so the session is closed before the module can be finalized.
    session: Session,
    _module: Arc<Module>,
    key: ObjectHandle,
    cert: Certificate,
    chain: Vec<Certificate>,
    kind: KeyKind,
    mechanisms: Vec<MechanismType>,
    // Last: released once the session is closed and the token logged out.
    _claim: Claim,
}

impl Pkcs11Signer {
    fn has(&self, m: MechanismType) -> bool {
        self.mechanisms.contains(&m)
    }

    /// Hash in software and use only the raw mechanisms (CKM_RSA_PKCS over a DigestInfo,
    /// CKM_RSA_PKCS_PSS, CKM_ECDSA). For tokens that advertise a hash-and-sign mechanism but
    /// implement it badly; the signature is the same either way.
    pub fn use_raw_mechanisms(&mut self) {
        self.mechanisms.retain(|m| {
            [
                MechanismType::RSA_PKCS,
                MechanismType::RSA_PKCS_PSS,
                MechanismType::ECDSA,
            ]
            .contains(m)
        });
    }
}

fn pss_params(hash: HashAlg) -> PkcsPssParams {
    let (hash_alg, mgf) = match hash {
        HashAlg::Sha1 => (MechanismType::SHA1, PkcsMgfType::MGF1_SHA1),
        HashAlg::Sha256 => (MechanismType::SHA256, PkcsMgfType::MGF1_SHA256),
        HashAlg::Sha384 => (MechanismType::SHA384, PkcsMgfType::MGF1_SHA384),
        HashAlg::Sha512 => (MechanismType::SHA512, PkcsMgfType::MGF1_SHA512),
    };
    PkcsPssParams {
        hash_alg,
        mgf,
        // CK_ULONG is 32 bits on Windows, 64 on Linux: convert through the platform type.
        s_len: cryptoki::types::Ulong::from(hash.output_len() as std::ffi::c_ulong),
    }
}

impl Signer for Pkcs11Signer {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn key_kind(&self) -> KeyKind {
        self.kind
    }

    fn sign(&mut self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError> {
        let s = &self.session;
        match req.scheme {
            Scheme::RsaPkcs1 => {
                let combined = match req.hash {
                    HashAlg::Sha1 => None,
                    HashAlg::Sha256 => Some((MechanismType::SHA256_RSA_PKCS, Mechanism::Sha256RsaPkcs)),
                    HashAlg::Sha384 => Some((MechanismType::SHA384_RSA_PKCS, Mechanism::Sha384RsaPkcs)),
                    HashAlg::Sha512 => Some((MechanismType::SHA512_RSA_PKCS, Mechanism::Sha512RsaPkcs)),
                };
                if let Some((t, m)) = combined.filter(|(t, _)| self.has(*t)) {
                    let _ = t;
                    return s.sign(&m, self.key, req.message).map_err(ck_err);
                }
                if !self.has(MechanismType::RSA_PKCS) {
                    return Err(SignerError::Mechanism("RSA PKCS#1 v1.5 signing".into()));
                }
                // Raw RSA: we supply the DigestInfo the combined mechanism would have built.
                let mut di = req.hash.digest_info_prefix().to_vec();
                di.extend_from_slice(req.digest);
                s.sign(&Mechanism::RsaPkcs, self.key, &di).map_err(ck_err)
            }
            Scheme::RsaPss => {
                let p = pss_params(req.hash);
                let combined = match req.hash {
                    HashAlg::Sha256 => {
                        Some((MechanismType::SHA256_RSA_PKCS_PSS, Mechanism::Sha256RsaPkcsPss(p)))
                    }
                    HashAlg::Sha384 => {
                        Some((MechanismType::SHA384_RSA_PKCS_PSS, Mechanism::Sha384RsaPkcsPss(p)))
                    }
                    HashAlg::Sha512 => {
                        Some((MechanismType::SHA512_RSA_PKCS_PSS, Mechanism::Sha512RsaPkcsPss(p)))
                    }
                    HashAlg::Sha1 => None,
                };
                if let Some((_, m)) = combined.filter(|(t, _)| self.has(*t)) {
                    return s.sign(&m, self.key, req.message).map_err(ck_err);
                }
                if !self.has(MechanismType::RSA_PKCS_PSS) {
                    return Err(SignerError::Mechanism("RSA-PSS signing".into()));
                }
                s.sign(&Mechanism::RsaPkcsPss(p), self.key, req.digest)
                    .map_err(ck_err)
            }
            Scheme::Ecdsa => {
                let combined = match req.hash {
                    HashAlg::Sha256 => Some((MechanismType::ECDSA_SHA256, Mechanism::EcdsaSha256)),
                    HashAlg::Sha384 => Some((MechanismType::ECDSA_SHA384, Mechanism::EcdsaSha384)),
                    HashAlg::Sha512 => Some((MechanismType::ECDSA_SHA512, Mechanism::EcdsaSha512)),
                    HashAlg::Sha1 => None,
                };
                let raw = if let Some((_, m)) = combined.filter(|(t, _)| self.has(*t)) {
                    s.sign(&m, self.key, req.message).map_err(ck_err)?
                } else if self.has(MechanismType::ECDSA) {
                    // SoftHSM2 2.6 and many cards: hash in software, sign the digest.
                    s.sign(&Mechanism::Ecdsa, self.key, req.digest).map_err(ck_err)?
                } else {
                    return Err(SignerError::Mechanism("ECDSA signing".into()));
                };
                crypto::ecdsa_raw_to_der(&raw)
                    .ok_or_else(|| SignerError::Token("malformed ECDSA signature".into()))
            }
        }
    }
}

impl Drop for Pkcs11Signer {
    fn drop(&mut self) {
        // Log out explicitly so the token does not stay unlocked for other programs.
        let _ = self.session.logout();
    }
}

/// DER of a certificate (helper for callers that hold `TokenCert`s).
pub fn cert_der(c: &Certificate) -> Vec<u8> {
    c.to_der().unwrap_or_default()
}
