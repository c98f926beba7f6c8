//! VNPT SmartCA: a centralized certificate confirmed in the SmartCA phone app. JSON over HTTPS:
//! `v1/credentials/get_certificate` → `v1/signatures/sign` (every document's hash in one
//! request, so a batch is one confirmation) → poll `v1/signatures/sign/{tran_code}/status`.
//! Answers carry `status_code` (200 = success) and `message`; `data` holds the result.

use std::time::Duration;

use serde_json::{json, Value};

use super::http::{self, Http, Tls};
use super::{Control, Progress};
use crate::signer::{Secret, SignRequest, SignerError};

/// Settings of a SmartCA account (the SP password is a secret, kept apart).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SmartCaConfig {
    /// The service's base address (before `/v1/...`).
    pub url: String,
    /// The integrating application's `sp_id`.
    pub sp_id: String,
    /// The official's user id (citizen id or tax code).
    pub user_id: String,
    /// Which certificate, when the user has several.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// TLS settings.
    #[serde(default)]
    pub tls: Tls,
}

/// A SmartCA certificate.
pub struct SmartCaSigner {
    http: Http,
    cfg: SmartCaConfig,
    sp_password: Secret,
    serial: String,
    id: super::Identity,
    control: Control,
}

impl std::fmt::Debug for SmartCaSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmartCaSigner")
            .field("service", &self.cfg.url)
            .field("user", &self.cfg.user_id)
            .finish()
    }
}

/// The `data` of a SmartCA answer, or what its `status_code`/`message` mean.
fn data_of(status: u16, v: Value) -> Result<Value, SignerError> {
    let code = v
        .get("status_code")
        .and_then(Value::as_i64)
        .unwrap_or(i64::from(status));
    let message = v.get("message").and_then(Value::as_str).unwrap_or("").to_string();
    if code == 200 {
        return Ok(v.get("data").cloned().unwrap_or(Value::Null));
    }
    let upper = message.to_uppercase();
    Err(if upper.contains("REJECT") || upper.contains("CANCEL") {
        SignerError::Refused
    } else if upper.contains("EXPIRED") {
        SignerError::Expired(message)
    } else if upper.contains("LOCK") || upper.contains("BLOCK") {
        SignerError::PinLocked
    } else {
        SignerError::Service(format!("SmartCA {code}: {message}"))
    })
}

impl SmartCaSigner {
    /// Connects and reads the user's certificate.
    pub fn connect(cfg: SmartCaConfig, sp_password: Secret, control: Control) -> Result<Self, SignerError> {
        control.report(&Progress::Contacting {
            service: cfg.url.clone(),
        });
        let http = Http::new(&cfg.url, &cfg.tls, Duration::from_secs(30))?;
        let (status, v) = http.post_json(
            "v1/credentials/get_certificate",
            None,
            &json!({
                "sp_id": cfg.sp_id, "sp_password": sp_password.expose(), "user_id": cfg.user_id,
                "serial_number": cfg.serial_number, "transaction_id": super::random_id(),
            }),
        )?;
        let data = data_of(status, v)?;
        let all = data
            .get("user_certificates")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let chosen: Vec<&Value> = all
            .iter()
            .filter(|c| {
                cfg.serial_number.as_deref().is_none_or(|s| {
                    c.get("serial_number")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case(s))
                })
            })
            .collect();
        let c = match chosen.as_slice() {
            [] => return Err(SignerError::NoSigningCert),
            [one] => *one,
            many => {
                return Err(SignerError::AmbiguousCert(
                    many.iter()
                        .filter_map(|c| c.get("serial_number").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
        };
        let mut ders = vec![super::unb64(http::text(c, "cert_data")?)?];
        for k in ["ca_cert", "root_cert"] {
            if let Some(s) = c.pointer(&format!("/chain_data/{k}")).and_then(Value::as_str) {
                if !s.is_empty() {
                    ders.push(super::unb64(s)?);
                }
            }
        }
        let id = super::identity(&ders)?;
        let serial = c
            .get("serial_number")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Ok(Self {
            http,
            cfg,
            sp_password,
            serial,
            id,
            control,
        })
    }
}

/// The document names the phone shows: the file name, numbered in a batch.
pub(crate) fn doc_ids(reqs: &[SignRequest<'_>]) -> Vec<String> {
    reqs.iter()
        .enumerate()
        .map(|(i, r)| {
            if reqs.len() == 1 {
                r.label.to_string()
            } else {
                format!("{}. {}", i + 1, r.label)
            }
        })
        .collect()
}

impl super::Service for SmartCaSigner {
    fn identity(&self) -> &super::Identity {
        &self.id
    }

    fn sign_batch(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        super::sha256_pkcs1_only(reqs, "SmartCA")?;
        let ids = doc_ids(reqs);
        let files: Vec<Value> = reqs
            .iter()
            .zip(&ids)
            .map(|(r, id)| json!({"data_to_be_signed": hex::encode(r.digest), "doc_id": id, "file_type": "pdf", "sign_type": "hash"}))
            .collect();
        let desc = format!("Kyso: {}", ids.join(", "));
        let (status, v) = self.http.post_json(
            "v1/signatures/sign",
            None,
            &json!({
                "sp_id": self.cfg.sp_id, "sp_password": self.sp_password.expose(), "user_id": self.cfg.user_id,
                "transaction_id": super::random_id(), "transaction_desc": desc,
                "sign_files": files, "serial_number": self.serial,
            }),
        )?;
        let data = data_of(status, v)?;
        let tran = http::text(&data, "tran_code")?.to_string();
        let path = format!("v1/signatures/sign/{tran}/status");
        let body = json!({"sp_id": self.cfg.sp_id, "sp_password": self.sp_password.expose()});
        self.control.wait_for(&ids.join(", "), Some(&tran), || {
            let (status, v) = self.http.post_json(&path, None, &body)?;
            let data = data_of(status, v)?;
            let Some(list) = data.get("signatures").and_then(Value::as_array) else {
                return Ok(None);
            };
            ids.iter()
                .map(|id| {
                    let s = list
                        .iter()
                        .find(|s| s.get("doc_id").and_then(Value::as_str) == Some(id))
                        .ok_or_else(|| SignerError::Service(format!("no signature for \"{id}\"")))?;
                    super::unb64(http::text(s, "signature_value")?)
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
        })
    }
}
