//! Viettel MySign: a centralized certificate confirmed in the MySign phone app. CSC-shaped
//! JSON: `ras/v1/login` (client credentials → bearer token) → `certificates/info` →
//! `signHash` (every hash at once, asynchronous: one confirmation for a batch) → poll
//! `requests/status` (`"1"` signed, `"0"` waiting).

use std::time::Duration;

use serde_json::{json, Value};

use super::http::{self, Http, Tls};
use super::{Control, Progress};
use crate::signer::{Secret, SignRequest, SignerError};

/// Settings of a MySign account (the client secret is kept apart).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct MySignConfig {
    /// The service's base address (before `/vtss/service/...`).
    pub url: String,
    /// The integrating application's client id.
    pub client_id: String,
    /// Its profile id.
    pub profile_id: String,
    /// The official's user id.
    pub user_id: String,
    /// Which credential, when the user has several.
    #[serde(default)]
    pub credential: Option<String>,
    /// TLS settings.
    #[serde(default)]
    pub tls: Tls,
}

/// A MySign certificate, signed in.
pub struct MySignSigner {
    http: Http,
    cfg: MySignConfig,
    secret: Secret,
    bearer: String,
    credential: String,
    id: super::Identity,
    control: Control,
}

impl std::fmt::Debug for MySignSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MySignSigner")
            .field("service", &self.cfg.url)
            .field("user", &self.cfg.user_id)
            .finish()
    }
}

fn ok_json(what: &str, status: u16, v: Value) -> Result<Value, SignerError> {
    if (200..300).contains(&status) {
        return Ok(v);
    }
    let text = http::error_text(status, &v);
    let lower = text.to_lowercase();
    Err(if lower.contains("lock") || lower.contains("block") {
        SignerError::PinLocked
    } else {
        SignerError::Service(format!("MySign {what}: {text}"))
    })
}

impl MySignSigner {
    /// Signs in and reads the user's certificate.
    pub fn connect(cfg: MySignConfig, secret: Secret, control: Control) -> Result<Self, SignerError> {
        control.report(&Progress::Contacting {
            service: cfg.url.clone(),
        });
        let http = Http::new(&cfg.url, &cfg.tls, Duration::from_secs(30))?;
        let (status, v) = http.post_json(
            "vtss/service/ras/v1/login",
            None,
            &json!({"client_id": cfg.client_id, "client_secret": secret.expose(), "profile_id": cfg.profile_id, "user_id": cfg.user_id}),
        )?;
        let v = ok_json("sign-in", status, v)?;
        let bearer = format!("Bearer {}", http::text(&v, "access_token")?);
        let (status, v) = http.post_json(
            "vtss/service/certificates/info",
            Some(&bearer),
            &json!({
                "client_id": cfg.client_id, "client_secret": secret.expose(), "profile_id": cfg.profile_id,
                "user_id": cfg.user_id, "certificates": "chain", "certInfo": true, "authInfo": true,
            }),
        )?;
        let v = ok_json("certificates", status, v)?;
        let all = v.as_array().cloned().unwrap_or_default();
        let chosen: Vec<&Value> = all
            .iter()
            .filter(|c| {
                cfg.credential
                    .as_deref()
                    .is_none_or(|id| c.get("credential_id").and_then(Value::as_str) == Some(id))
            })
            .collect();
        let c = match chosen.as_slice() {
            [] => return Err(SignerError::NoSigningCert),
            [one] => *one,
            many => {
                return Err(SignerError::AmbiguousCert(
                    many.iter()
                        .filter_map(|c| c.get("credential_id").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
        };
        let credential = http::text(c, "credential_id")?.to_string();
        let ders = http::certificates(c.pointer("/cert/certificates"))?;
        let id = super::identity(&ders)?;
        Ok(Self {
            http,
            cfg,
            secret,
            bearer,
            credential,
            id,
            control,
        })
    }
}

impl super::Service for MySignSigner {
    fn identity(&self) -> &super::Identity {
        &self.id
    }

    fn sign_batch(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        super::sha256_pkcs1_only(reqs, "MySign")?;
        let ids = super::smartca::doc_ids(reqs);
        let documents: Vec<Value> = ids
            .iter()
            .enumerate()
            .map(|(i, name)| json!({"document_id": (i + 1).to_string(), "document_name": name}))
            .collect();
        let hashes: Vec<String> = reqs.iter().map(|r| super::b64(r.digest)).collect();
        let (status, v) = self.http.post_json(
            "vtss/service/signHash",
            Some(&self.bearer),
            &json!({
                "client_id": self.cfg.client_id, "client_secret": self.secret.expose(),
                "credentialID": self.credential, "numSignatures": reqs.len(), "documents": documents,
                "hash": hashes, "hashAlgo": "2.16.840.1.101.3.4.2.1", "signAlgo": "1.2.840.113549.1.1.1",
                "async": 1,
            }),
        )?;
        let v = ok_json("signHash", status, v)?;
        let tid = http::text(&v, "transactionId")?.to_string();
        self.control.wait_for(&ids.join(", "), Some(&tid), || {
            let (status, v) = self.http.post_json(
                "vtss/service/requests/status",
                Some(&self.bearer),
                &json!({"transactionId": tid}),
            )?;
            let v = ok_json("status", status, v)?;
            let state = v
                .get("status")
                .map(|s| s.as_str().map(str::to_string).unwrap_or_else(|| s.to_string()))
                .unwrap_or_default();
            let why = v
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            match state.as_str() {
                "0" => Ok(None),
                "1" => {
                    let list = v
                        .get("signatures")
                        .and_then(Value::as_array)
                        .ok_or_else(|| SignerError::Service("MySign: signed, but no signatures".into()))?;
                    list.iter()
                        .map(|s| super::unb64(s.as_str().unwrap_or_default()))
                        .collect::<Result<Vec<_>, _>>()
                        .map(Some)
                }
                "4001" => Err(SignerError::Refused),
                "4002" => Err(SignerError::Expired(why)),
                other => Err(SignerError::Service(format!("MySign status {other} {why}"))),
            }
        })
    }
}
