//! The request and reply shapes document-management systems already send to the Government
//! Cipher Committee's desktop tool (`../shared/design/local-api.md`): the action is the URL
//! path, the request carries where to fetch the file and where to post the result, the reply
//! a `Status` (0 = done) and a `Message`.

use serde::{Deserialize, Serialize};

use kyso_core::appearance::roles::Role;

/// What a page asks for (the URL path).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Action {
    /// The leader's approval signature (Decree 30).
    SignApproved,
    /// The organisation's issuing signature with the seal (Decree 30).
    SignIssued,
    /// An appendix signed on its own.
    SignAppendix,
    /// An electronic copy.
    SignCopy,
    /// Receipt of an incoming document.
    SignIncome,
    /// A plain (invisible) PDF signature.
    SignPdf,
    /// A detached CAdES signature of any file (.p7s).
    SignFile,
    /// The verifier's report on a PDF.
    VerifyPdf,
    /// An enveloped XMLDSig signature of XML sent in the request (`Base64Content`).
    SignXml,
    /// One entry per signature of XML sent in the request (`Data`).
    VerifyXml,
    /// The signing certificate in use.
    GetCertInfo,
}

impl Action {
    /// The action named by a request path (`/SignApproved`, `SignPDF` …), case-insensitive.
    pub fn from_path(path: &str) -> Option<Self> {
        let name = path.trim_matches('/').split(['?', '#']).next().unwrap_or("");
        Some(match name.to_ascii_lowercase().as_str() {
            "signapproved" => Action::SignApproved,
            "signissued" => Action::SignIssued,
            "signappendix" => Action::SignAppendix,
            "signcopy" => Action::SignCopy,
            "signincome" => Action::SignIncome,
            "signpdf" => Action::SignPdf,
            "signfile" => Action::SignFile,
            "verifypdf" => Action::VerifyPdf,
            "signxml" => Action::SignXml,
            "verifyxml" => Action::VerifyXml,
            "getcertinfo" => Action::GetCertInfo,
            _ => return None,
        })
    }

    /// The Decree 30 role the action stands for.
    pub fn role(self) -> Option<Role> {
        match self {
            Action::SignApproved => Some(Role::Approve),
            Action::SignIssued => Some(Role::Issue),
            Action::SignAppendix => Some(Role::Appendix),
            Action::SignCopy => Some(Role::Copy),
            Action::SignIncome => Some(Role::Incoming),
            _ => None,
        }
    }

    /// Whether the action signs (and so needs the user's confirmation and PIN).
    pub fn signs(self) -> bool {
        !matches!(self, Action::VerifyPdf | Action::VerifyXml | Action::GetCertInfo)
    }

    /// In words, for the confirmation dialog (Vietnamese / English).
    pub fn describe(self) -> &'static str {
        match self {
            Action::SignApproved => "Ký duyệt (lãnh đạo) / approval signature",
            Action::SignIssued => "Ký phát hành (văn thư, đóng dấu) / issuing signature with the seal",
            Action::SignAppendix => "Ký phụ lục / appendix signature",
            Action::SignCopy => "Ký bản sao điện tử / electronic copy",
            Action::SignIncome => "Ký văn bản đến / receipt of an incoming document",
            Action::SignPdf => "Ký số tệp PDF / PDF signature",
            Action::SignFile => "Ký số tệp (chữ ký rời .p7s) / detached signature",
            Action::VerifyPdf => "Kiểm tra chữ ký / verification",
            Action::SignXml => "Ký số dữ liệu XML / XML signature",
            Action::VerifyXml => "Kiểm tra chữ ký XML / XML verification",
            Action::GetCertInfo => "Xem chứng thư số / certificate information",
        }
    }
}

/// A `Key`/`Value` pair of `MetaData`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Meta {
    /// Key.
    #[serde(rename = "Key", alias = "key")]
    pub key: String,
    /// Value.
    #[serde(rename = "Value", alias = "value", default)]
    pub value: String,
}

/// One document of a batch: a bare name/URL or an object with its own fields.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum FileItem {
    /// Just the file's URL or name.
    Name(String),
    /// With its own upload target and metadata.
    Full {
        /// URL or name of the file.
        #[serde(rename = "FileName")]
        file_name: String,
        /// Where its result goes (else the request's).
        #[serde(rename = "FileUploadHandler", default)]
        file_upload_handler: Option<String>,
        /// Its metadata (else the request's).
        #[serde(rename = "MetaData", default)]
        meta_data: Vec<Meta>,
    },
}

/// A request as the page sends it.
/// Fields Kyso does not know are ignored (systems send their own), but none of them can name
/// a local file: only `FileName`/`Files` are read, and only as web addresses.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Request {
    /// Where the signed file is posted back to.
    #[serde(rename = "FileUploadHandler", default)]
    pub file_upload_handler: Option<String>,
    /// The page's session (sent back with the upload).
    #[serde(rename = "SessionId", default)]
    pub session_id: Option<String>,
    /// The page's bearer token (sent back with the upload).
    #[serde(rename = "JWTToken", default)]
    pub jwt_token: Option<String>,
    /// URL (or name relative to the page's site) of the file.
    #[serde(rename = "FileName", default)]
    pub file_name: Option<String>,
    /// Document number, date, organisation … (`Key`/`Value`).
    #[serde(rename = "MetaData", default)]
    pub meta_data: Vec<Meta>,
    /// The batch variant.
    #[serde(rename = "Files", default)]
    pub files: Vec<FileItem>,
    /// Number and symbol: the one the clerk gives at issuing (`SignIssued`), or the main
    /// document's (`SignAppendix`, `SignCopy`).
    #[serde(rename = "DocNumber", alias = "DocumentNumber", default)]
    pub doc_number: Option<String>,
    /// The issue date the system gives (`SignIssued`), as it writes it.
    #[serde(rename = "IssuedDate", alias = "DocumentDate", default)]
    pub issued_date: Option<String>,
    /// `SignXML`: the XML itself, base64.
    #[serde(rename = "Base64Content", default)]
    pub base64_content: Option<String>,
    /// `SignXML`: answer with the `Signature` element only, not the signed XML.
    #[serde(rename = "ReturnSignatureOnly", default, deserialize_with = "loose_bool")]
    pub return_signature_only: bool,
    /// `SignXML`: the hash (`Sha256`, `Sha384`, `Sha512`; SHA-1 is refused).
    #[serde(rename = "HashAlg", default)]
    pub hash_alg: Option<String>,
    /// `SignXML`: the W3C XMLDSig form (Kyso always signs in it; `false` is accepted).
    #[serde(rename = "XmlDsigForm", default, deserialize_with = "loose_bool")]
    pub xml_dsig_form: bool,
    /// `VerifyXML`: the XML, base64.
    #[serde(rename = "Data", default)]
    pub data: Option<String>,
    /// `VerifyXML`: `XML`.
    #[serde(rename = "Format", default)]
    pub format: Option<String>,
}

/// `"true"`/`"false"` as pages send them, or JSON booleans.
fn loose_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
        Num(i64),
    }
    Ok(match Option::<B>::deserialize(d)? {
        None => false,
        Some(B::Bool(b)) => b,
        Some(B::Num(n)) => n != 0,
        Some(B::Text(t)) => matches!(t.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"),
    })
}

impl Request {
    /// A metadata value by any of `keys` (case-insensitive).
    pub fn meta<'a>(meta: &'a [Meta], keys: &[&str]) -> Option<&'a str> {
        meta.iter()
            .find(|m| keys.iter().any(|k| m.key.eq_ignore_ascii_case(k)))
            .map(|m| m.value.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// The documents to handle: `(file, upload target, metadata)`.
    pub fn documents(&self) -> Vec<(String, Option<String>, Vec<Meta>)> {
        let mut out: Vec<_> = self
            .file_name
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    self.file_upload_handler.clone(),
                    self.meta_data.clone(),
                )
            })
            .collect();
        for f in &self.files {
            out.push(match f {
                FileItem::Name(n) => (
                    n.clone(),
                    self.file_upload_handler.clone(),
                    self.meta_data.clone(),
                ),
                FileItem::Full {
                    file_name,
                    file_upload_handler,
                    meta_data,
                } => (
                    file_name.clone(),
                    file_upload_handler
                        .clone()
                        .or_else(|| self.file_upload_handler.clone()),
                    if meta_data.is_empty() {
                        self.meta_data.clone()
                    } else {
                        meta_data.clone()
                    },
                ),
            });
        }
        out
    }
}

/// `Status` values. 0 is success, as callers expect; the rest name what went wrong.
pub mod status {
    /// Done.
    pub const OK: i32 = 0;
    /// The request is not JSON of the expected shape, or the action is unknown.
    pub const BAD_REQUEST: i32 = 1;
    /// The requesting site is not allowed.
    pub const ORIGIN_REFUSED: i32 = 2;
    /// The user declined (or nobody answered).
    pub const USER_REFUSED: i32 = 3;
    /// The file could not be fetched, is too large, or is not where it may come from.
    pub const FILE_REFUSED: i32 = 4;
    /// The result could not be delivered to the upload target.
    pub const UPLOAD_FAILED: i32 = 5;
    /// Signing failed (wrong PIN, token missing, damaged PDF …).
    pub const SIGN_FAILED: i32 = 6;
    /// The same request was already handled.
    pub const REPLAYED: i32 = 7;
    /// Too many requests from this site.
    pub const RATE_LIMITED: i32 = 8;
}

/// A reply as the page expects it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Reply {
    /// 0 = done; see [`status`].
    #[serde(rename = "Status")]
    pub status: i32,
    /// What happened, Vietnamese then English.
    #[serde(rename = "Message")]
    pub message: String,
    /// What the upload target answered (where the result went).
    #[serde(rename = "FileServer", skip_serializing_if = "Option::is_none")]
    pub file_server: Option<String>,
    /// Document number (issuing).
    #[serde(rename = "DocumentNumber", skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// Signing date, dd/mm/yyyy Vietnam time.
    #[serde(rename = "DocumentDate", skip_serializing_if = "Option::is_none")]
    pub document_date: Option<String>,
    /// Stable error code, when it failed.
    #[serde(rename = "Code", skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Per-document replies of a batch.
    #[serde(rename = "Files", skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<Reply>,
    /// VerifyPDF: the verifier's report; GetCertInfo: the certificate.
    #[serde(rename = "Data", skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// SignXML: the signed XML (or only its `Signature` element), base64.
    #[serde(rename = "Signature", skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// VerifyXML: the answer is this array (one entry per signature), not an object.
    #[serde(skip)]
    pub list: Option<Vec<serde_json::Value>>,
}

impl Reply {
    /// The JSON the page receives: the object, or the array of a `VerifyXML` answer.
    pub fn body(&self) -> Vec<u8> {
        match &self.list {
            Some(list) => serde_json::to_vec(list),
            None => serde_json::to_vec(self),
        }
        .unwrap_or_default()
    }

    /// A failure with its status and message.
    pub fn fail(status: i32, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn actions_requests_and_batches_parse() {
        assert_eq!(Action::from_path("/SignApproved"), Some(Action::SignApproved));
        assert_eq!(Action::from_path("/signpdf?x=1"), Some(Action::SignPdf));
        assert_eq!(Action::from_path("/Auth"), None);
        let r: Request = serde_json::from_str(
            r#"{"FileUploadHandler":"/up","SessionId":"s","JWTToken":"t","FileName":"/a.pdf",
                "MetaData":[{"Key":"DocumentNumber","Value":"12/QĐ-UBND"}],
                "Files":["/b.pdf",{"FileName":"/c.pdf","FileUploadHandler":"/up2"}]}"#,
        )
        .unwrap();
        let d = r.documents();
        assert_eq!(d.len(), 3);
        assert_eq!(d[2].1.as_deref(), Some("/up2"));
        assert_eq!(Request::meta(&d[1].2, &["documentnumber"]), Some("12/QĐ-UBND"));
        assert!(serde_json::from_str::<Request>(r#"{"FileName":3}"#).is_err());
        let x: Request = serde_json::from_str(
            r#"{"Base64Content":"PGEvPg==","ReturnSignatureOnly":"true","HashAlg":"Sha256","XmlDsigForm":true}"#,
        )
        .unwrap();
        assert!(x.return_signature_only && x.xml_dsig_form);
        assert_eq!(Action::from_path("/SignXML"), Some(Action::SignXml));
        assert!(!Action::VerifyXml.signs());
        let r = Reply {
            list: Some(vec![serde_json::json!({"SerialNumber": "01", "Status": 0})]),
            ..Reply::default()
        };
        assert_eq!(r.body(), br#"[{"SerialNumber":"01","Status":0}]"#.to_vec());
    }
}
