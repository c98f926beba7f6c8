//! Builds CAdES SignedData (RFC 5652, ETSI EN 319 122-1) with the RustCrypto `cms` types:
//! signed attributes first, then — once the signer returns the signature value — the
//! ContentInfo. The two steps are apart so a token, a phone or a remote service can take its
//! time between them.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier, SignerInfo,
    SignerInfos, UnsignedAttributes,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::Certificate;

use super::ess::{EssCertIdV2, IssuerSerial, SigningCertificateV2};
use super::CmsError;
use crate::crypto::HashAlg;
use crate::oids;

/// What goes into the signed attributes.
pub struct AttrParams<'a> {
    /// Digest algorithm for the content and the attributes.
    pub hash: HashAlg,
    /// Digest of the signed content (the PDF byte ranges, or the detached file).
    pub content_digest: &'a [u8],
    /// The signer's certificate (bound by signing-certificate-v2).
    pub signer: &'a Certificate,
    /// signing-time, for detached CAdES only: PAdES puts the time in `/M` instead
    /// (ETSI EN 319 142-1 §5.2.2).
    pub signing_time: Option<std::time::SystemTime>,
}

fn attribute<T: Encode>(oid: der::asn1::ObjectIdentifier, value: &T) -> Result<Attribute, CmsError> {
    let mut values = SetOfVec::new();
    values.insert(Any::from_der(&value.to_der()?)?)?;
    Ok(Attribute { oid, values })
}

/// The signed attributes: content-type, message-digest, signing-certificate-v2 (and
/// signing-time when asked).
pub fn signed_attributes(p: &AttrParams<'_>) -> Result<SignedAttributes, CmsError> {
    let mut attrs = Vec::new();
    attrs.push(attribute(oids::ATTR_CONTENT_TYPE, &oids::ID_DATA)?);
    if let Some(t) = p.signing_time {
        let since = t
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| CmsError::Time)?;
        let time = x509_cert::time::Time::UtcTime(
            der::asn1::UtcTime::from_unix_duration(since).map_err(|_| CmsError::Time)?,
        );
        attrs.push(attribute(oids::ATTR_SIGNING_TIME, &time)?);
    }
    attrs.push(attribute(
        oids::ATTR_MESSAGE_DIGEST,
        &OctetString::new(p.content_digest)?,
    )?);
    let cert_der = p.signer.to_der()?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            // DEFAULT sha256 must be omitted in DER.
            hash_algorithm: (p.hash != HashAlg::Sha256).then(|| p.hash.algorithm_identifier()),
            cert_hash: OctetString::new(p.hash.digest(&cert_der))?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![x509_cert::ext::pkix::name::GeneralName::DirectoryName(
                    p.signer.tbs_certificate.issuer.clone(),
                )],
                serial: p.signer.tbs_certificate.serial_number.clone(),
            }),
        }],
        policies: None,
    };
    attrs.push(attribute(oids::ATTR_SIGNING_CERT_V2, &ess)?);
    Ok(SetOfVec::try_from(attrs)?)
}

/// The unsigned attributes holding a signature timestamp token (id-aa-signatureTimeStampToken).
pub fn timestamp_attribute(token: &[u8]) -> Result<UnsignedAttributes, CmsError> {
    let mut values = SetOfVec::new();
    values.insert(Any::from_der(token)?)?;
    let mut attrs = SetOfVec::new();
    attrs.insert(Attribute {
        oid: oids::ATTR_TIMESTAMP_TOKEN,
        values,
    })?;
    Ok(attrs)
}

/// DER of the signed attributes as a SET OF: exactly the bytes that get signed (RFC 5652 §5.4).
pub fn signed_attributes_der(attrs: &SignedAttributes) -> Result<Vec<u8>, CmsError> {
    Ok(attrs.to_der()?)
}

/// Everything needed to wrap a signature value into a CMS ContentInfo.
pub struct Assemble<'a> {
    /// Digest algorithm.
    pub hash: HashAlg,
    /// Signed attributes (as signed).
    pub signed_attrs: SignedAttributes,
    /// signatureAlgorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature value from the signer.
    pub signature: &'a [u8],
    /// Signer certificate.
    pub signer: &'a Certificate,
    /// Certificates to embed (signer and chain; duplicates are dropped).
    pub certificates: &'a [Certificate],
    /// Unsigned attributes (a signature timestamp later).
    pub unsigned_attrs: Option<UnsignedAttributes>,
}

/// Encodes the SignedData ContentInfo (detached: no eContent).
pub fn assemble(a: Assemble<'_>) -> Result<Vec<u8>, CmsError> {
    let mut certs = SetOfVec::new();
    for c in a.certificates.iter().chain(std::iter::once(a.signer)) {
        let choice = CertificateChoices::Certificate(c.clone());
        if !certs.iter().any(|x| x == &choice) {
            certs.insert(choice)?;
        }
    }
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: a.signer.tbs_certificate.issuer.clone(),
            serial_number: a.signer.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: a.hash.algorithm_identifier(),
        signed_attrs: Some(a.signed_attrs),
        signature_algorithm: a.signature_algorithm,
        signature: OctetString::new(a.signature)?,
        unsigned_attrs: a.unsigned_attrs,
    };
    let mut digest_algorithms = SetOfVec::new();
    digest_algorithms.insert(a.hash.algorithm_identifier())?;
    let mut infos = SetOfVec::new();
    infos.insert(signer_info)?;
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: oids::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    let ci = ContentInfo {
        content_type: oids::ID_SIGNED_DATA,
        content: Any::from_der(&sd.to_der()?)?,
    };
    Ok(ci.to_der()?)
}
