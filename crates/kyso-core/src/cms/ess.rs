//! ESS signing-certificate attributes (RFC 2634 §5.4, RFC 5035 §3): they bind the signature
//! to one certificate, so a signer cannot be swapped for another with the same key.

use der::asn1::OctetString;
use der::{Any, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// Certificate identifiers; the first is the signer's.
    pub certs: Vec<EssCertIdV2>,
    /// Policies (not written; ignored when read).
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// Absent means SHA-256.
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// Hash of the whole certificate.
    pub cert_hash: OctetString,
    /// Issuer and serial of the certificate.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies … OPTIONAL }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV1 {
    /// Certificate identifiers.
    pub certs: Vec<EssCertIdV1>,
    /// Policies (ignored).
    #[asn1(optional = "true")]
    pub policies: Option<Any>,
}

/// ESSCertID ::= SEQUENCE { certHash (SHA-1), issuerSerial OPTIONAL }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV1 {
    /// SHA-1 of the certificate.
    pub cert_hash: OctetString,
    /// Issuer and serial.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct IssuerSerial {
    /// Issuer name(s).
    pub issuer: Vec<GeneralName>,
    /// Serial number.
    pub serial: SerialNumber,
}
