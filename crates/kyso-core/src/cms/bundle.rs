//! Certificates and signatures as people hand them over: one DER certificate, PEM files with
//! several, PKCS#7 certs-only bundles (`.p7b`, DER or PEM) as CAs publish them, and `.p7s`
//! signatures saved as PEM. PEM framing is read by the `pem` crate, for every label.

use der::Decode;
use x509_cert::Certificate;

/// Certificates in `data`: DER, PEM (any number), or a PKCS#7 bundle (DER or PEM).
pub fn certificates(data: &[u8]) -> Vec<Certificate> {
    if let Ok(c) = Certificate::from_der(data) {
        return vec![c];
    }
    if let Ok(sd) = super::parse::parse(data) {
        return sd.certificates;
    }
    let mut out = Vec::new();
    for block in pem::parse_many(data).unwrap_or_default() {
        match block.tag() {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                if let Ok(c) = Certificate::from_der(block.contents()) {
                    out.push(c);
                }
            }
            "PKCS7" | "CMS" => {
                if let Ok(sd) = super::parse::parse(block.contents()) {
                    out.extend(sd.certificates);
                }
            }
            _ => {}
        }
    }
    out
}

/// The DER of a signature that may have been saved as PEM (`-----BEGIN PKCS7-----`,
/// `CMS`, `PKCS #7 SIGNED DATA`); anything else is returned as it is.
pub fn der_or_pem(data: &[u8]) -> Vec<u8> {
    if data.first() == Some(&0x30) {
        return data.to_vec();
    }
    match pem::parse(data) {
        Ok(block) => block.into_contents(),
        Err(_) => data.to_vec(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pem_with_text_around_and_several_certificates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/trust");
        let (Ok(a), Ok(b)) = (
            std::fs::read(dir.join("vgca-root-g2.pem")),
            std::fs::read(dir.join("vgca-cp-g2.pem")),
        ) else {
            return; // shared material absent
        };
        let mut both = b"Bundle from the authority's site\r\n".to_vec();
        both.extend_from_slice(&a);
        both.extend_from_slice(b"\n# next\n");
        both.extend_from_slice(&b);
        let certs = certificates(&both);
        assert_eq!(certs.len(), 2);
        assert_ne!(certs[0], certs[1]);
        // The same certificate as DER.
        let der = crate::cert::der_of(&certs[0]);
        assert_eq!(certificates(&der), vec![certs[0].clone()]);
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(
            certificates(b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n").is_empty()
        );
        assert!(certificates(&[0x30, 0x82, 0xff]).is_empty());
        assert_eq!(der_or_pem(b"plain"), b"plain".to_vec());
    }
}
