//! The HTTP side of remote signing: JSON, form and SOAP posts with a timeout, a size limit,
//! the provider's own CA (private PKIs, test services) and TLS client authentication (SIM-PKI
//! application providers). Transport failures become [`SignerError::Unreachable`]; answers
//! that are not the protocol become [`SignerError::Service`] — never a panic, never a retry.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::signer::SignerError;

/// Largest answer accepted from a signing service.
const MAX_ANSWER: u64 = 4 << 20;

/// TLS settings for one service.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Tls {
    /// PEM file of the CA(s) that issued the service's TLS certificate, instead of the
    /// public web roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<PathBuf>,
    /// PEM certificate (chain) Kyso presents to the service (ETSI MSS application provider).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<PathBuf>,
    /// Its PEM private key (PKCS#8, PKCS#1 or SEC1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<PathBuf>,
}

/// An HTTP client for one service.
pub struct Http {
    agent: ureq::Agent,
    base: String,
}

fn read_file(p: &PathBuf, what: &str) -> Result<Vec<u8>, SignerError> {
    std::fs::read(p).map_err(|e| SignerError::Setup(format!("cannot read the {what} {}: {e}", p.display())))
}

impl Http {
    /// A client for the service at `base` (http:// or https://), each call bounded by `timeout`.
    pub fn new(base: &str, tls: &Tls, timeout: Duration) -> Result<Self, SignerError> {
        // Passwords, PINs and tokens travel here: https, or http only on this computer.
        crate::net::secure_service(base).map_err(SignerError::Setup)?;
        let mut t = ureq::tls::TlsConfig::builder();
        if let Some(ca) = &tls.ca {
            let pem = read_file(ca, "service CA file")?;
            let roots: Vec<_> = ureq::tls::parse_pem(&pem)
                .filter_map(|i| match i {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if roots.is_empty() {
                return Err(SignerError::Setup(format!("no certificate in {}", ca.display())));
            }
            t = t.root_certs(ureq::tls::RootCerts::new_with_certs(&roots));
        }
        match (&tls.client_cert, &tls.client_key) {
            (Some(c), Some(k)) => {
                let pem = read_file(c, "client certificate")?;
                let chain: Vec<_> = ureq::tls::parse_pem(&pem)
                    .filter_map(|i| match i {
                        Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                        _ => None,
                    })
                    .collect();
                let key = ureq::tls::PrivateKey::from_pem(&read_file(k, "client key")?).map_err(|e| {
                    SignerError::Setup(format!("cannot read the client key {}: {e}", k.display()))
                })?;
                if chain.is_empty() {
                    return Err(SignerError::Setup(format!("no certificate in {}", c.display())));
                }
                t = t.client_cert(Some(ureq::tls::ClientCert::new_with_certs(&chain, key)));
            }
            (None, None) => {}
            _ => {
                return Err(SignerError::Setup(
                    "the client certificate needs both its certificate and its key".into(),
                ))
            }
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .tls_config(t.build())
            .build()
            .into();
        Ok(Self {
            agent,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    /// The service's address.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}/{}", self.base, path.trim_start_matches('/'))
        }
    }

    fn read(
        &self,
        resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(u16, Vec<u8>), SignerError> {
        let mut resp = resp.map_err(|e| SignerError::Unreachable(format!("{} ({e})", self.base)))?;
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_vec()
            .map_err(|e| SignerError::Unreachable(format!("{} ({e})", self.base)))?;
        Ok((status, body))
    }

    /// POSTs JSON; returns the HTTP status and the JSON answer (an error if it is not JSON).
    pub fn post_json(
        &self,
        path: &str,
        auth: Option<&str>,
        body: &Value,
    ) -> Result<(u16, Value), SignerError> {
        let mut req = self
            .agent
            .post(&self.url(path))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let data = serde_json::to_vec(body).unwrap_or_default();
        let (status, bytes) = self.read(req.send(&data[..]))?;
        Ok((status, json_of(status, &bytes)?))
    }

    /// POSTs an `application/x-www-form-urlencoded` body (OAuth 2.0 token requests).
    pub fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> Result<(u16, Value), SignerError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = self
            .agent
            .post(&self.url(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
        let (status, bytes) = self.read(req.send(body.as_bytes()))?;
        Ok((status, json_of(status, &bytes)?))
    }

    /// POSTs a SOAP 1.1 envelope; returns the status and the XML text.
    pub fn post_soap(&self, path: &str, action: &str, envelope: &str) -> Result<(u16, String), SignerError> {
        let req = self
            .agent
            .post(&self.url(path))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", &format!("\"{action}\""));
        let (status, bytes) = self.read(req.send(envelope.as_bytes()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            SignerError::Service(format!("{} answered with something that is not XML", self.base))
        })?;
        Ok((status, text))
    }
}

/// The JSON of an answer. Some services (aiohttp's defaults) answer errors in plain text:
/// then the status and the text's beginning are the message.
fn json_of(status: u16, bytes: &[u8]) -> Result<Value, SignerError> {
    serde_json::from_slice(bytes).map_err(|_| {
        let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        if (200..300).contains(&status) {
            SignerError::Service(format!(
                "the answer is not the service's JSON (it begins \"{head}\")"
            ))
        } else {
            SignerError::Service(format!("HTTP {status}: {}", head.trim()))
        }
    })
}

/// An OAuth/CSC-style error answer (`error`, `error_description`) in words.
pub(crate) fn error_text(status: u16, v: &Value) -> String {
    let e = v.get("error").and_then(Value::as_str).unwrap_or("");
    let d = v
        .get("error_description")
        .or_else(|| v.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("");
    match (e.is_empty(), d.is_empty()) {
        (true, true) => format!("HTTP {status}"),
        (false, true) => format!("{e} (HTTP {status})"),
        (true, false) => format!("{d} (HTTP {status})"),
        (false, false) => format!("{e}: {d} (HTTP {status})"),
    }
}

/// A string field of a JSON object, or a service error naming what is missing.
pub(crate) fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, SignerError> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| SignerError::Service(format!("the answer has no \"{key}\"")))
}

/// The base64 DER certificates in a JSON array.
pub(crate) fn certificates(v: Option<&Value>) -> Result<Vec<Vec<u8>>, SignerError> {
    v.and_then(Value::as_array)
        .ok_or_else(|| SignerError::Service("the answer has no certificates".into()))?
        .iter()
        .map(|c| super::unb64(c.as_str().unwrap_or_default()))
        .collect()
}
