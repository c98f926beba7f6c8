//! Certificate facts people and policies need: names (with the Vietnamese identifiers in
//! `UID`), fingerprints, key usage, validity.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Tagged};
use sha2::{Digest, Sha256};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};
use x509_cert::name::Name;
pub use x509_cert::Certificate;

use crate::oids;

/// SHA-256 fingerprint, lowercase hex.
pub fn fingerprint(cert: &Certificate) -> String {
    hex::encode(Sha256::digest(cert.to_der().unwrap_or_default()))
}

/// First value of attribute `oid` in `name`, as text.
pub fn name_attr(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == oid {
                return any_to_string(&atv.value);
            }
        }
    }
    None
}

/// Every value of attribute `oid` in `name`, as text (a subject may carry several `UID`s:
/// `MST:` and `MNS:`).
pub fn name_attrs(name: &Name, oid: ObjectIdentifier) -> Vec<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == oid)
        .filter_map(|atv| any_to_string(&atv.value))
        .collect()
}

fn any_to_string(v: &der::Any) -> Option<String> {
    use der::Tag;
    let bytes = v.value();
    match v.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String | Tag::TeletexString | Tag::VisibleString => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

/// A name as one readable line (RFC 4514 order reversed to the usual CN-first reading).
pub fn name_to_string(name: &Name) -> String {
    let mut parts = Vec::new();
    for rdn in name.0.iter().rev() {
        for atv in rdn.0.iter() {
            let key = match atv.oid {
                oids::CN => "CN".to_string(),
                oids::O => "O".into(),
                oids::OU => "OU".into(),
                oids::L => "L".into(),
                oids::ST => "ST".into(),
                oids::C => "C".into(),
                oids::UID => "UID".into(),
                oids::TITLE => "T".into(),
                oids::EMAIL => "E".into(),
                oids::SERIAL_NUMBER => "SERIALNUMBER".into(),
                other => other.to_string(),
            };
            let value = any_to_string(&atv.value)
                .unwrap_or_else(|| "#".to_string() + &hex::encode(atv.value.value()));
            parts.push(format!("{key}={value}"));
        }
    }
    parts.join(", ")
}

/// Who a certificate belongs to, as a clerk reads it.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Identity {
    /// Common name (the person or the organisation).
    pub common_name: Option<String>,
    /// Organisation.
    pub organization: Option<String>,
    /// Organisational unit.
    pub organizational_unit: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Identifier from `UID` (`CCCD:…`, `CMND:…`, `MST:…`, `MNS:…`).
    pub uid: Option<String>,
    /// Whole subject.
    pub subject: String,
}

/// Identity from a certificate's subject.
pub fn identity(cert: &Certificate) -> Identity {
    let s = &cert.tbs_certificate.subject;
    Identity {
        common_name: name_attr(s, oids::CN),
        organization: name_attr(s, oids::O),
        organizational_unit: name_attr(s, oids::OU),
        title: name_attr(s, oids::TITLE),
        uid: name_attr(s, oids::UID),
        subject: name_to_string(s),
    }
}

/// Validity as Unix seconds (notBefore, notAfter).
pub fn validity(cert: &Certificate) -> (i64, i64) {
    let v = &cert.tbs_certificate.validity;
    (
        v.not_before.to_unix_duration().as_secs() as i64,
        v.not_after.to_unix_duration().as_secs() as i64,
    )
}

/// Extension value by OID, decoded.
pub fn extension<T: for<'a> Decode<'a>>(cert: &Certificate, oid: ObjectIdentifier) -> Option<T> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == oid)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

/// subjectKeyIdentifier.
pub fn subject_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    extension::<SubjectKeyIdentifier>(cert, const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
        .map(|s| s.0.as_bytes().to_vec())
}

/// Whether the certificate is a CA (basicConstraints cA).
pub fn is_ca(cert: &Certificate) -> bool {
    extension::<BasicConstraints>(cert, const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS).is_some_and(|b| b.ca)
}

/// Whether key usage allows signing documents (digitalSignature or nonRepudiation, or no
/// keyUsage extension at all).
pub fn can_sign_documents(cert: &Certificate) -> bool {
    match extension::<KeyUsage>(cert, const_oid::db::rfc5280::ID_CE_KEY_USAGE) {
        None => true,
        Some(ku) => ku.0.contains(KeyUsages::DigitalSignature) || ku.0.contains(KeyUsages::NonRepudiation),
    }
}

/// Whether key usage allows signing certificates.
pub fn can_sign_certs(cert: &Certificate) -> bool {
    match extension::<KeyUsage>(cert, const_oid::db::rfc5280::ID_CE_KEY_USAGE) {
        None => true,
        Some(ku) => ku.0.contains(KeyUsages::KeyCertSign),
    }
}

/// Raw TBS bytes as they appear in the certificate (what the issuer signed).
pub fn tbs_der(cert: &Certificate) -> Option<Vec<u8>> {
    cert.tbs_certificate.to_der().ok()
}

/// URLs of one kind in the Authority Information Access extension (RFC 5280 §4.2.2.1):
/// OCSP responders or caIssuers (where the issuer's certificate is published).
pub fn access_urls(c: &Certificate, method: ObjectIdentifier) -> Vec<String> {
    use x509_cert::ext::pkix::name::GeneralName;
    use x509_cert::ext::pkix::AuthorityInfoAccessSyntax;
    let Some(aia) =
        extension::<AuthorityInfoAccessSyntax>(c, const_oid::db::rfc5280::ID_PE_AUTHORITY_INFO_ACCESS)
    else {
        return Vec::new();
    };
    aia.0
        .into_iter()
        .filter(|ad| ad.access_method == method)
        .filter_map(|ad| match ad.access_location {
            GeneralName::UniformResourceIdentifier(u) => Some(u.to_string()),
            _ => None,
        })
        .collect()
}

/// id-ad-caIssuers.
pub const ID_AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");

/// DER of a certificate (empty if it cannot be encoded, which a parsed certificate always can).
pub fn der_of(c: &Certificate) -> Vec<u8> {
    c.to_der().unwrap_or_default()
}
