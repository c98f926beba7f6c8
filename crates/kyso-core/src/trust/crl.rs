//! CRL checking (RFC 5280 §6.3, the parts needed for a signer certificate): the CRL must be
//! issued and signed by the certificate's issuer, current at the time of use, and then the
//! certificate's serial is looked up.

use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_cert::Certificate;

use crate::crypto;

/// What a CRL says about a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CrlStatus {
    /// Not listed in a valid CRL from its issuer.
    Good {
        /// thisUpdate (Unix seconds).
        this_update: i64,
    },
    /// Listed: revoked at this time (Unix seconds).
    Revoked {
        /// revocationDate.
        at: i64,
    },
}

/// Checks `cert` against the CRL `der`, which must be signed by `issuer`. `None` when the CRL
/// is not for this issuer, not signed by it, or unreadable.
pub fn check(der: &[u8], cert: &Certificate, issuer: &Certificate) -> Option<CrlStatus> {
    // Lengths first: the decoder allocates what a length claims before reading it.
    if !crate::cms::ber::lengths_fit(der) {
        return None;
    }
    let crl = CertificateList::from_der(der).ok()?;
    if crl.tbs_cert_list.issuer != cert.tbs_certificate.issuer {
        return None;
    }
    let tbs = crl.tbs_cert_list.to_der().ok()?;
    let sig = crl.signature.as_bytes()?;
    crypto::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &crl.signature_algorithm,
        None,
        &tbs,
        sig,
    )
    .ok()?;
    let this_update = crl.tbs_cert_list.this_update.to_unix_duration().as_secs() as i64;
    let serial = &cert.tbs_certificate.serial_number;
    for rc in crl.tbs_cert_list.revoked_certificates.iter().flatten() {
        if &rc.serial_number == serial {
            return Some(CrlStatus::Revoked {
                at: rc.revocation_date.to_unix_duration().as_secs() as i64,
            });
        }
    }
    Some(CrlStatus::Good { this_update })
}

/// A CRL's issuer and currency, once its signature is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrlInfo {
    /// thisUpdate (Unix seconds).
    pub this_update: i64,
    /// nextUpdate (Unix seconds), when the CRL names one.
    pub next_update: Option<i64>,
}

/// Whether `der` is a CRL issued and signed by `issuer`; its dates when it is.
pub fn info(der: &[u8], issuer: &Certificate) -> Option<CrlInfo> {
    let crl = CertificateList::from_der(der).ok()?;
    if crl.tbs_cert_list.issuer != issuer.tbs_certificate.subject {
        return None;
    }
    let tbs = crl.tbs_cert_list.to_der().ok()?;
    crypto::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &crl.signature_algorithm,
        None,
        &tbs,
        crl.signature.as_bytes()?,
    )
    .ok()?;
    Some(CrlInfo {
        this_update: crl.tbs_cert_list.this_update.to_unix_duration().as_secs() as i64,
        next_update: crl
            .tbs_cert_list
            .next_update
            .map(|t| t.to_unix_duration().as_secs() as i64),
    })
}

/// http(s) URIs from the certificate's CRL distribution points.
pub fn distribution_points(cert: &Certificate) -> Vec<String> {
    use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
    use x509_cert::ext::pkix::CrlDistributionPoints;
    let Some(cdp) = crate::cert::extension::<CrlDistributionPoints>(
        cert,
        const_oid::db::rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS,
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for dp in cdp.0 {
        if let Some(DistributionPointName::FullName(names)) = dp.distribution_point {
            for n in names {
                if let GeneralName::UniformResourceIdentifier(uri) = n {
                    out.push(uri.to_string());
                }
            }
        }
    }
    out
}
