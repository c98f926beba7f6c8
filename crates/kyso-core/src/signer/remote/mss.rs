//! SIM-PKI: the key is on the official's SIM card; an MSSP (mobile signature service
//! provider) reaches the phone. Protocol: ETSI TS 102 204 v1.1.2 over SOAP 1.1, with TLS
//! client authentication of the calling application (the "AP").
//!
//! `MSS_Signature` carries the DER DigestInfo of the signed attributes and the short text the
//! phone shows; in `asynchClientServer` mode the MSSP answers at once with a transaction id
//! and Kyso polls `MSS_StatusQuery` until the official confirms, refuses or the request
//! expires. The user's certificate comes from `MSS_ProfileQuery` (MobileUserCertificate,
//! as MSSPs that offer it answer) or from a file in the settings.

use std::path::PathBuf;
use std::time::Duration;

use super::http::{Http, Tls};
use super::{Control, Progress};
use crate::crypto::Scheme;
use crate::signer::{Secret, SignRequest, SignerError};

/// The ETSI TS 102 204 namespace.
pub const MSS_NS: &str = "http://uri.etsi.org/TS102204/v1.1.2#";
const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const PKCS1: &str = "http://uri.etsi.org/TS102204/v1.1.2#PKCS1";

fn default_signature_path() -> String {
    "soap/services/MSS_SignaturePort".into()
}
fn default_status_path() -> String {
    "soap/services/MSS_StatusQueryPort".into()
}
fn default_profile_path() -> String {
    "soap/services/MSS_ProfileQueryPort".into()
}
fn yes() -> bool {
    true
}

/// Settings of a SIM-PKI service (the AP password is a secret, kept apart).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct MssConfig {
    /// The MSSP's base address.
    pub url: String,
    /// This application's AP_ID (a URI agreed with the MSSP).
    pub ap_id: String,
    /// The MSSP's id (a URI).
    pub mssp_id: String,
    /// The official's phone number, `84…`.
    pub msisdn: String,
    /// The SignatureProfile URI agreed with the MSSP.
    pub signature_profile: String,
    /// Poll with MSS_StatusQuery (asynchClientServer) rather than hold one call (synch).
    #[serde(default = "yes")]
    pub asynchronous: bool,
    /// The user's certificate (PEM/DER/.p7b), when the MSSP does not return it.
    #[serde(default)]
    pub certificate: Option<PathBuf>,
    /// TLS: the MSSP's CA and this application's client certificate and key.
    #[serde(default)]
    pub tls: Tls,
    /// Service paths under `url`.
    #[serde(default = "default_signature_path")]
    pub signature_path: String,
    /// MSS_StatusQuery path.
    #[serde(default = "default_status_path")]
    pub status_path: String,
    /// MSS_ProfileQuery path.
    #[serde(default = "default_profile_path")]
    pub profile_path: String,
}

impl Default for MssConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            ap_id: String::new(),
            mssp_id: String::new(),
            msisdn: String::new(),
            signature_profile: String::new(),
            asynchronous: true,
            certificate: None,
            tls: Tls::default(),
            signature_path: default_signature_path(),
            status_path: default_status_path(),
            profile_path: default_profile_path(),
        }
    }
}

/// The connection to the MSSP: what every message needs.
struct Conn {
    http: Http,
    cfg: MssConfig,
    ap_pwd: Secret,
    control: Control,
}

/// A SIM-PKI signer for one phone number.
pub struct MssSigner {
    conn: Conn,
    id: super::Identity,
}

impl std::fmt::Debug for MssSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MssSigner")
            .field("mssp", &self.conn.cfg.url)
            .field("msisdn", &self.conn.cfg.msisdn)
            .finish()
    }
}

/// XML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

fn now_instant() -> String {
    crate::timefmt::rfc3339(crate::timefmt::now())
}

/// An outcome of one MSS exchange.
enum Answer {
    /// The raw signature.
    Signed(Vec<u8>),
    /// Accepted or still waiting, with the MSSP's transaction id.
    Pending(String),
}

impl MssSigner {
    /// Connects and finds the user's certificate.
    pub fn connect(cfg: MssConfig, ap_pwd: Secret, control: Control) -> Result<Self, SignerError> {
        if cfg.msisdn.is_empty() || !cfg.msisdn.chars().all(|c| c.is_ascii_digit() || c == '+') {
            return Err(SignerError::Setup(format!(
                "\"{}\" is not a phone number (write it as 84…)",
                cfg.msisdn
            )));
        }
        control.report(&Progress::Contacting {
            service: cfg.url.clone(),
        });
        // Synchronous calls are held by the MSSP until the phone answers.
        let http = Http::new(&cfg.url, &cfg.tls, control.timeout + Duration::from_secs(30))?;
        let conn = Conn {
            http,
            cfg,
            ap_pwd,
            control,
        };
        let ders = match &conn.cfg.certificate {
            Some(p) => {
                let data = std::fs::read(p)?;
                let certs = crate::cms::bundle::certificates(&data);
                if certs.is_empty() {
                    return Err(SignerError::Setup(format!("no certificate in {}", p.display())));
                }
                certs.iter().map(crate::cert::der_of).collect()
            }
            None => conn.profile_certificates()?,
        };
        let id = super::identity(&ders)?;
        Ok(Self { conn, id })
    }
}

impl Conn {
    fn ap_info(&self) -> String {
        format!(
            r#"<mss:AP_Info AP_ID="{}" AP_TransID="{}" AP_PWD="{}" Instant="{}"/><mss:MSSP_Info><mss:MSSP_ID><mss:URI>{}</mss:URI></mss:MSSP_ID></mss:MSSP_Info>"#,
            esc(&self.cfg.ap_id),
            // AP_TransID is an xs:NCName: it must not start with a digit.
            format_args!("K{}", super::random_id()),
            esc(self.ap_pwd.expose()),
            now_instant(),
            esc(&self.cfg.mssp_id),
        )
    }

    fn envelope(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP_NS}" xmlns:mss="{MSS_NS}"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"#
        )
    }

    fn post(&self, path: &str, action: &str, body: &str) -> Result<String, SignerError> {
        let envelope = Self::envelope(body);
        let (status, text) = self.http.post_soap(path, action, &envelope)?;
        // Faults come with HTTP 500; anything else that is not 200 is not the protocol.
        if status != 200 && status != 500 {
            return Err(SignerError::Service(format!("HTTP {status} from the MSSP")));
        }
        Ok(text)
    }

    fn profile_certificates(&self) -> Result<Vec<Vec<u8>>, SignerError> {
        let body = format!(
            r#"<mss:MSS_ProfileQuery><mss:MSS_ProfileReq MajorVersion="1" MinorVersion="1">{}<mss:MobileUser><mss:MSISDN>{}</mss:MSISDN></mss:MobileUser></mss:MSS_ProfileReq></mss:MSS_ProfileQuery>"#,
            self.ap_info(),
            esc(&self.cfg.msisdn)
        );
        let text = self.post(&self.cfg.profile_path, "#MSS_ProfileQuery", &body)?;
        let doc = parse(&text)?;
        fault(&doc)?;
        let certs: Vec<Vec<u8>> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "MobileUserCertificate")
            .flat_map(|n| {
                n.descendants()
                    .filter(|c| c.tag_name().name() == "X509Certificate")
            })
            .map(|c| super::unb64(c.text().unwrap_or_default()))
            .collect::<Result<_, _>>()?;
        if certs.is_empty() {
            return Err(SignerError::Service(
                "the MSSP does not return the user's certificate; set its file in the SIM-PKI settings"
                    .into(),
            ));
        }
        Ok(certs)
    }

    fn signature_request(&self, req: &SignRequest<'_>, shown: &str) -> String {
        let mut digest_info = req.hash.digest_info_prefix().to_vec();
        digest_info.extend_from_slice(req.digest);
        format!(
            concat!(
                r#"<mss:MSS_Signature><mss:MSS_SignatureReq MajorVersion="1" MinorVersion="1" MessagingMode="{mode}" TimeOut="{timeout}">"#,
                "{ap}",
                "<mss:MobileUser><mss:MSISDN>{msisdn}</mss:MSISDN></mss:MobileUser>",
                r#"<mss:DataToBeSigned MimeType="application/octet-stream" Encoding="base64">{dtbs}</mss:DataToBeSigned>"#,
                r#"<mss:DataToBeDisplayed MimeType="text/plain" Encoding="UTF-8">{shown}</mss:DataToBeDisplayed>"#,
                "<mss:SignatureProfile><mss:mssURI>{profile}</mss:mssURI></mss:SignatureProfile>",
                "<mss:MSS_Format><mss:mssURI>{format}</mss:mssURI></mss:MSS_Format>",
                "</mss:MSS_SignatureReq></mss:MSS_Signature>"
            ),
            mode = if self.cfg.asynchronous {
                "asynchClientServer"
            } else {
                "synch"
            },
            timeout = self.control.timeout.as_secs().max(1),
            ap = self.ap_info(),
            msisdn = esc(&self.cfg.msisdn),
            dtbs = super::b64(&digest_info),
            shown = esc(shown),
            profile = esc(&self.cfg.signature_profile),
            format = PKCS1,
        )
    }

    fn status_request(&self, trans_id: &str) -> String {
        format!(
            // MSSP_TransID is an attribute of MSS_StatusReq in MSS-plus.xsd.
            r#"<mss:MSS_StatusQuery><mss:MSS_StatusReq MajorVersion="1" MinorVersion="1" MSSP_TransID="{}">{}</mss:MSS_StatusReq></mss:MSS_StatusQuery>"#,
            esc(trans_id),
            self.ap_info()
        )
    }
}

/// The short text the phone shows: what, and a code to compare with the one on screen.
/// SIM applets show about 160 characters: the file name is shortened to fit.
pub fn display_text(label: &str, code: &str) -> String {
    let name: String = label.chars().take(100).collect();
    format!("Ký số / Sign: {name} [{code}]")
}

/// A 4-character code for the official to compare between screen and phone.
fn short_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let id = super::random_id();
    id.as_bytes()
        .chunks(2)
        .take(4)
        .map(|b| ALPHABET[usize::from(b[0].wrapping_add(b[1])) % ALPHABET.len()] as char)
        .collect()
}

fn parse(text: &str) -> Result<roxmltree::Document<'_>, SignerError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, opts).map_err(|_| {
        let head: String = text.chars().take(40).filter(|c| !c.is_control()).collect();
        SignerError::Service(format!(
            "the MSSP answered with something that is not SOAP (\"{head}\")"
        ))
    })
}

fn child_text<'a>(doc: &'a roxmltree::Document<'_>, name: &str) -> Option<&'a str> {
    doc.descendants()
        .find(|n| n.tag_name().name() == name && n.tag_name().namespace() == Some(MSS_NS))
        .and_then(|n| n.text())
        .map(str::trim)
}

/// The ETSI status code of an answer: `StatusCode/@Value`.
fn status_code(doc: &roxmltree::Document<'_>) -> Option<u16> {
    doc.descendants()
        .find(|n| n.tag_name().name() == "StatusCode" && n.tag_name().namespace() == Some(MSS_NS))
        .and_then(|n| n.attribute("Value"))
        .and_then(|v| v.trim().parse().ok())
}

/// A SOAP fault as a clear error. ETSI TS 102 204 puts the status code in the fault code as
/// `_NNN` (e.g. `mss:_401`); the fault string names it.
fn fault(doc: &roxmltree::Document<'_>) -> Result<(), SignerError> {
    let Some(f) = doc
        .descendants()
        .find(|n| n.tag_name().name() == "Fault" && n.tag_name().namespace() == Some(SOAP_NS))
    else {
        return Ok(());
    };
    let text: String = f
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    let code = text
        .match_indices('_')
        .filter_map(|(i, _)| {
            let d = text.get(i + 1..i + 4)?;
            (d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit())).then(|| d.parse::<u16>().ok())?
        })
        .next();
    let name = f
        .descendants()
        .find(|n| n.tag_name().name() == "faultstring" || n.tag_name().name() == "Text")
        .and_then(|n| n.text())
        .unwrap_or("")
        .trim()
        .to_string();
    // The MSSP's own explanation, when it gives one (the `detail` text that is not the code).
    let mut why: Vec<&str> = f
        .descendants()
        .filter(|n| n.tag_name().name() == "detail")
        .flat_map(|d| d.descendants().filter_map(|n| n.text()))
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.contains(":_") && !t.starts_with('_'))
        .collect();
    why.dedup();
    let reason = if why.is_empty() {
        name
    } else {
        format!("{name}: {}", why.join("; "))
    };
    Err(status_error(code.unwrap_or(900), &reason))
}

/// ETSI TS 102 204 §6.2.2 status codes, as what they mean for the official.
fn status_error(code: u16, reason: &str) -> SignerError {
    let named = |what: &str| SignerError::Service(format!("{what} (MSSP status {code} {reason})"));
    match code {
        401 => SignerError::Refused,
        208 => SignerError::Expired(format!("MSSP status 208 {reason}")),
        402 | 403 => SignerError::PinLocked,
        209 => SignerError::Unreachable(format!(
            "the phone cannot be reached (MSSP status 209 {reason}): check that it is on and has signal"
        )),
        105 => named("this phone number has no SIM-PKI signature service"),
        104 => named("the MSSP refused this application (AP id, password or client certificate)"),
        404 | 422 => named("the SIM holds no signing key or certificate for this service"),
        501 => named("the SIM's certificate is revoked"),
        101..=109 => named("the MSSP rejected the request"),
        _ => named("the MSSP could not sign"),
    }
}

impl Conn {
    fn answer(&self, text: &str) -> Result<Answer, SignerError> {
        let doc = parse(text)?;
        fault(&doc)?;
        let code = status_code(&doc)
            .ok_or_else(|| SignerError::Service("the MSSP's answer has no status code".into()))?;
        match code {
            500 | 502 => {
                let sig = child_text(&doc, "Base64Signature")
                    .ok_or_else(|| SignerError::Service("the MSSP's answer has no signature".into()))?;
                Ok(Answer::Signed(super::unb64(sig)?))
            }
            100 | 504 => {
                let id = doc
                    .descendants()
                    .find(|n| {
                        n.has_tag_name((MSS_NS, "MSS_SignatureResp"))
                            || n.has_tag_name((MSS_NS, "MSS_StatusResp"))
                    })
                    .and_then(|n| n.attribute("MSSP_TransID").map(str::to_string))
                    .or_else(|| child_text(&doc, "MSSP_TransID").map(str::to_string))
                    .ok_or_else(|| SignerError::Service("the MSSP's answer has no transaction id".into()))?;
                Ok(Answer::Pending(id))
            }
            c => Err(status_error(c, "")),
        }
    }
}

impl Conn {
    /// One signature: the phone shows one document at a time.
    fn sign_one(&self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError> {
        if req.scheme == Scheme::RsaPss {
            return Err(SignerError::Mechanism("RSA-PSS through SIM-PKI".into()));
        }
        let c = self;
        let code = short_code();
        let shown = display_text(req.label, &code);
        c.control.report(&Progress::Confirm {
            shown: shown.clone(),
            code: Some(code.clone()),
            seconds_left: c.control.timeout.as_secs(),
        });
        let text = c.post(
            &c.cfg.signature_path,
            "#MSS_Signature",
            &c.signature_request(req, &shown),
        )?;
        let sig = match c.answer(&text)? {
            Answer::Signed(s) => s,
            Answer::Pending(id) => c.control.wait_for(&shown, Some(&code), || {
                let text = c.post(&c.cfg.status_path, "#MSS_StatusQuery", &c.status_request(&id))?;
                match c.answer(&text)? {
                    Answer::Signed(s) => Ok(Some(s)),
                    Answer::Pending(_) => Ok(None),
                }
            })?,
        };
        c.control.report(&Progress::Received);
        Ok(sig)
    }
}

impl super::Service for MssSigner {
    fn identity(&self) -> &super::Identity {
        &self.id
    }

    fn sign_batch(&mut self, reqs: &[SignRequest<'_>]) -> Result<Vec<Vec<u8>>, SignerError> {
        reqs.iter().map(|r| self.conn.sign_one(r)).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn display_text_is_escaped_and_fault_codes_are_read() {
        assert_eq!(esc("a<b>&\"c\u{1}"), "a&lt;b&gt;&amp;&quot;c");
        assert!(display_text("Công văn số 12.pdf", "AB12").contains("Công văn số 12.pdf [AB12]"));
        let xml = format!(
            r#"<e:Envelope xmlns:e="{SOAP_NS}" xmlns:mss="{MSS_NS}"><e:Body><e:Fault><faultcode>e:Client</faultcode><faultstring>USER_CANCEL</faultstring><detail><mss:detail>mss:_401</mss:detail></detail></e:Fault></e:Body></e:Envelope>"#
        );
        let doc = parse(&xml).unwrap();
        assert!(matches!(fault(&doc), Err(SignerError::Refused)));
        assert!(parse("<html>oops").is_err());
    }
}
