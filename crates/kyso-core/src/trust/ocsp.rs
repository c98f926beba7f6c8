//! OCSP (RFC 6960) for a signer certificate: the request (with a nonce), and the checks on a
//! response — successful, a basic response signed by the issuer or by a responder the issuer
//! authorised (id-kp-OCSPSigning), for our certificate ID, with our nonce when we sent one.

use der::asn1::OctetString;
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspRequest, OcspResponse, OcspResponseStatus, Request,
    ResponderId, TbsRequest,
};

use crate::cert;
use crate::crypto::{self, HashAlg};

/// id-pkix-ocsp-basic.
const ID_PKIX_OCSP_BASIC: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-kp-OCSPSigning.
const ID_KP_OCSP_SIGNING: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
/// id-ad-ocsp.
const ID_AD_OCSP: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");

/// What a response says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcspStatus {
    /// Good as of `this_update`.
    Good {
        /// thisUpdate (Unix seconds).
        this_update: i64,
    },
    /// Revoked at `at`.
    Revoked {
        /// revocationTime.
        at: i64,
    },
    /// The responder does not know the certificate.
    Unknown,
}

fn cert_id(cert: &Certificate, issuer: &Certificate, hash: HashAlg) -> Result<CertId, der::Error> {
    let name = issuer.tbs_certificate.subject.to_der()?;
    let key = issuer
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: hash.oid(),
            parameters: Some(der::asn1::Null.into()),
        },
        issuer_name_hash: OctetString::new(hash.digest(&name))?,
        issuer_key_hash: OctetString::new(hash.digest(key))?,
        serial_number: cert.tbs_certificate.serial_number.clone(),
    })
}

/// DER of an OCSP request for `cert` with `nonce`.
pub fn request(cert: &Certificate, issuer: &Certificate, nonce: &[u8]) -> Result<Vec<u8>, der::Error> {
    let nonce_ext = x509_cert::ext::Extension {
        extn_id: der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2"),
        critical: false,
        extn_value: OctetString::new(OctetString::new(nonce)?.to_der()?)?,
    };
    OcspRequest {
        tbs_request: TbsRequest {
            version: Default::default(),
            requestor_name: None,
            request_list: vec![Request {
                req_cert: cert_id(cert, issuer, HashAlg::Sha1)?,
                single_request_extensions: None,
            }],
            request_extensions: Some(vec![nonce_ext]),
        },
        optional_signature: None,
    }
    .to_der()
}

/// OCSP responder URLs from the certificate's authorityInfoAccess.
pub fn responder_urls(c: &Certificate) -> Vec<String> {
    cert::access_urls(c, ID_AD_OCSP)
}

fn has_ocsp_signing_eku(c: &Certificate) -> bool {
    cert::extension::<x509_cert::ext::pkix::ExtendedKeyUsage>(c, const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE)
        .is_some_and(|e| e.0.contains(&ID_KP_OCSP_SIGNING))
}

/// Why an OCSP response cannot be used. The texts are English details inside a sentence the
/// report words in both languages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OcspError {
    /// Not an OCSPResponse (or a length runs past its data).
    #[error("unreadable OCSP response: {0}")]
    Unreadable(String),
    /// The responder did not answer `successful`.
    #[error("OCSP responder answered {0}")]
    NotSuccessful(String),
    /// No responseBytes.
    #[error("OCSP response without content")]
    NoContent,
    /// Not id-pkix-ocsp-basic.
    #[error("not a basic OCSP response")]
    NotBasic,
    /// The BasicOCSPResponse cannot be read.
    #[error("unreadable basic OCSP response: {0}")]
    UnreadableBasic(String),
    /// Signed by neither the issuer nor a responder it authorised.
    #[error("the OCSP response is not signed by the issuer or a responder it authorised")]
    NotAuthorised,
    /// The signed part cannot be re-encoded.
    #[error("{0}")]
    Encoding(String),
    /// The signature is not a whole number of bytes.
    #[error("bad OCSP signature encoding")]
    SignatureEncoding,
    /// The signature does not verify.
    #[error("the OCSP response signature is invalid")]
    BadSignature,
    /// An answer to another request (replay).
    #[error("the OCSP response answers another request (nonce mismatch)")]
    NonceMismatch,
    /// No answer about this certificate.
    #[error("the OCSP response does not mention this certificate")]
    NotThisCertificate,
}

/// Checks a DER OCSPResponse for `cert` (issued by `issuer`). `nonce`: the one we sent, if
/// any. Returns the status or why the response cannot be used.
pub fn check(
    der: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    nonce: Option<&[u8]>,
) -> Result<OcspStatus, OcspError> {
    // Lengths first: the decoder allocates what a length claims before reading it.
    if !crate::cms::ber::lengths_fit(der) {
        return Err(OcspError::Unreadable("a length runs past its data".into()));
    }
    let resp = OcspResponse::from_der(der).map_err(|e| OcspError::Unreadable(e.to_string()))?;
    if resp.response_status != OcspResponseStatus::Successful {
        return Err(OcspError::NotSuccessful(format!("{:?}", resp.response_status)));
    }
    let bytes = resp.response_bytes.ok_or(OcspError::NoContent)?;
    if bytes.response_type != ID_PKIX_OCSP_BASIC {
        return Err(OcspError::NotBasic);
    }
    if !crate::cms::ber::lengths_fit(bytes.response.as_bytes()) {
        return Err(OcspError::UnreadableBasic("a length runs past its data".into()));
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes())
        .map_err(|e| OcspError::UnreadableBasic(e.to_string()))?;
    check_basic(&basic, cert, issuer, nonce)
}

/// Checks an already decoded basic response (as stored in a DSS or a signature).
pub fn check_basic(
    basic: &BasicOcspResponse,
    cert: &Certificate,
    issuer: &Certificate,
    nonce: Option<&[u8]>,
) -> Result<OcspStatus, OcspError> {
    // Who signed it: the issuer, or a responder certificate the issuer signed for OCSP.
    let responder_matches = |c: &Certificate| match &basic.tbs_response_data.responder_id {
        ResponderId::ByName(n) => &c.tbs_certificate.subject == n,
        ResponderId::ByKey(k) => {
            HashAlg::Sha1.digest(
                c.tbs_certificate
                    .subject_public_key_info
                    .subject_public_key
                    .raw_bytes(),
            ) == k.as_bytes()
        }
    };
    let signer = if responder_matches(issuer) {
        issuer.clone()
    } else {
        basic
            .certs
            .iter()
            .flatten()
            .find(|c| responder_matches(c))
            .filter(|c| super::path::signed_by(c, issuer) && has_ocsp_signing_eku(c))
            .cloned()
            .ok_or(OcspError::NotAuthorised)?
    };
    let tbs = basic
        .tbs_response_data
        .to_der()
        .map_err(|e| OcspError::Encoding(e.to_string()))?;
    let sig = basic.signature.as_bytes().ok_or(OcspError::SignatureEncoding)?;
    crypto::verify(
        &signer.tbs_certificate.subject_public_key_info,
        &basic.signature_algorithm,
        None,
        &tbs,
        sig,
    )
    .map_err(|_| OcspError::BadSignature)?;
    if let (Some(sent), Some(got)) = (nonce, basic.nonce()) {
        if got.0.as_bytes() != sent {
            return Err(OcspError::NonceMismatch);
        }
    }
    for single in &basic.tbs_response_data.responses {
        let Some(h) = HashAlg::from_oid(&single.cert_id.hash_algorithm.oid) else {
            continue;
        };
        let Ok(ours) = cert_id(cert, issuer, h) else {
            continue;
        };
        if single.cert_id.issuer_name_hash != ours.issuer_name_hash
            || single.cert_id.issuer_key_hash != ours.issuer_key_hash
            || single.cert_id.serial_number != ours.serial_number
        {
            continue;
        }
        let secs = |t: &x509_ocsp::OcspGeneralizedTime| t.0.to_unix_duration().as_secs() as i64;
        return Ok(match &single.cert_status {
            CertStatus::Good(_) => OcspStatus::Good {
                this_update: secs(&single.this_update),
            },
            CertStatus::Revoked(info) => OcspStatus::Revoked {
                at: secs(&info.revocation_time),
            },
            CertStatus::Unknown(_) => OcspStatus::Unknown,
        });
    }
    Err(OcspError::NotThisCertificate)
}
