//! Detached CAdES signatures (`FILE.p7s`) for files that are not PDFs (Word, Excel, ZIP…):
//! CAdES-BES, or CAdES-T with a signature timestamp when TSAs are given.

use std::fs::File;
use std::path::Path;

use super::{check_output, check_policy};
use crate::cms::build::{self, AttrParams};
use crate::crypto::{self, Hasher, Scheme};
use crate::pdf::byterange::stream_range;
use crate::pdf::source::Source;
use crate::pdf::FileSource;
use crate::signer::{SignRequest, Signer};
use crate::Error;

/// Result of a detached signature.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DetachedOutcome {
    /// Output `.p7s`.
    pub output: std::path::PathBuf,
    /// Signer identity.
    pub signer: crate::cert::Identity,
    /// CMS size.
    pub cms_len: usize,
    /// `B-B`, or `B-T` with a signature timestamp.
    pub level: crate::level::Level,
    /// Time the signature timestamp proves (Unix seconds), for B-T.
    pub timestamp: Option<i64>,
    /// The TSA that gave it.
    pub tsa_url: Option<String>,
    /// Why it has no timestamp although one was wanted (no TSA reachable; a `.p7s` cannot
    /// be completed later).
    pub not_timestamped: Option<String>,
}

/// Signs `input` into a detached CMS at `output` (DER). The signing time goes into the
/// signing-time attribute, as CAdES-BES expects; with `opts.tsa_urls` the signature value
/// is timestamped (CAdES-T, ETSI EN 319 122-1 §5.3) before anything is written.
pub fn sign_detached(
    input: &Path,
    output: &Path,
    signer: &mut dyn Signer,
    opts: &super::SignOptions,
) -> Result<DetachedOutcome, Error> {
    let kind = signer.key_kind();
    let scheme = opts.scheme.unwrap_or(signer.default_scheme());
    let cert = signer.certificate().clone();
    let chain = signer.chain().to_vec();
    check_policy(&cert, kind, opts.hash, scheme, opts.time)?;
    check_output(input, output, opts.force)?;
    let src = FileSource::new(File::open(input)?)?;
    let mut h = Hasher::new(opts.hash);
    stream_range(&src, 0, src.len(), &mut |b| h.update(b))?;
    let digest = h.finish();
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(opts.time).unwrap_or(0));
    let attrs = build::signed_attributes(&AttrParams {
        hash: opts.hash,
        content_digest: &digest,
        signer: &cert,
        signing_time: Some(time),
    })?;
    let der = build::signed_attributes_der(&attrs)?;
    let attrs_digest = opts.hash.digest(&der);
    let value = signer.sign(&SignRequest {
        message: &der,
        digest: &attrs_digest,
        hash: opts.hash,
        scheme,
        label: &input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    })?;
    let alg = scheme_alg(scheme, opts.hash)?;
    crypto::verify(
        &cert.tbs_certificate.subject_public_key_info,
        &alg,
        Some(opts.hash),
        &der,
        &value,
    )
    .map_err(|_| crate::signer::SignerError::WrongKey)?;
    let token = if opts.tsa_urls.is_empty() {
        None
    } else {
        Some(
            crate::trust::tsa::timestamp(&opts.tsa_urls, opts.hash, &opts.hash.digest(&value))
                .map_err(|e| Error::Timestamp(e.0.join("; ")))?,
        )
    };
    let cms = build::assemble(build::Assemble {
        hash: opts.hash,
        signed_attrs: attrs,
        signature_algorithm: alg,
        signature: &value,
        signer: &cert,
        certificates: &chain,
        unsigned_attrs: token
            .as_ref()
            .map(|t| build::timestamp_attribute(&t.der))
            .transpose()?,
    })?;
    super::write_new(output, input, &cms, opts.force)?;
    Ok(DetachedOutcome {
        output: output.to_path_buf(),
        signer: crate::cert::identity(&cert),
        cms_len: cms.len(),
        level: if token.is_some() {
            crate::level::Level::BT
        } else {
            crate::level::Level::BB
        },
        timestamp: token.as_ref().map(|t| t.time),
        tsa_url: token.map(|t| t.url),
        not_timestamped: None,
    })
}

fn scheme_alg(s: Scheme, h: crypto::HashAlg) -> Result<spki::AlgorithmIdentifierOwned, Error> {
    Ok(s.algorithm_identifier(h)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::cms::parse;
    use crate::crypto::HashAlg;
    use crate::oids;
    use crate::testkit::cms::{self as kit, KeySigner};

    #[test]
    fn scheme_alg_names_the_algorithm_validators_expect() {
        let ecdsa = scheme_alg(Scheme::Ecdsa, HashAlg::Sha256).unwrap();
        assert_eq!(ecdsa.oid.to_string(), "1.2.840.10045.4.3.2", "ecdsa-with-SHA256");
        assert_eq!(ecdsa.parameters, None);
        let ecdsa384 = scheme_alg(Scheme::Ecdsa, HashAlg::Sha384).unwrap();
        assert_eq!(ecdsa384.oid.to_string(), "1.2.840.10045.4.3.3");
        let rsa = scheme_alg(Scheme::RsaPkcs1, HashAlg::Sha256).unwrap();
        assert_eq!(rsa.oid, oids::RSA_ENCRYPTION);
        let pss = scheme_alg(Scheme::RsaPss, HashAlg::Sha256).unwrap();
        assert_eq!(pss.oid, oids::RSASSA_PSS);
        assert!(pss.parameters.is_some(), "PSS names its hash and salt");
    }

    #[test]
    fn a_detached_signature_covers_the_file_and_carries_the_signing_time() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("report.docx");
        std::fs::write(&input, b"PK\x03\x04 not really a document").unwrap();
        let out = dir.path().join("report.docx.p7s");
        let opts = crate::sign::SignOptions {
            time: 1_700_000_000,
            ..Default::default()
        };
        let mut signer = KeySigner::default();
        let outcome = sign_detached(&input, &out, &mut signer, &opts).unwrap();
        assert_eq!(outcome.level, crate::level::Level::BB);
        let der = std::fs::read(&out).unwrap();
        assert_eq!(der.len(), outcome.cms_len);
        let sd = parse::parse(&der).unwrap();
        assert_eq!(sd.econtent, None, "detached");
        let si = &sd.signer_infos[0];
        let content = std::fs::read(&input).unwrap();
        assert_eq!(si.message_digest(), Some(HashAlg::Sha256.digest(&content)));
        let time = x509_cert::time::Time::UtcTime(
            der::asn1::UtcTime::from_unix_duration(std::time::Duration::from_secs(1_700_000_000)).unwrap(),
        );
        assert_eq!(
            si.signed_attr(oids::ATTR_SIGNING_TIME),
            Some(&der::Encode::to_der(&time).unwrap()[..])
        );
        kit::assert_signed_by_kit(si);
        // A second signature does not replace the first.
        let r = sign_detached(&input, &out, &mut signer, &opts);
        assert_eq!(r.unwrap_err().code(), "OUTPUT_EXISTS");
        assert_eq!(signer.calls, 1);
        assert_eq!(std::fs::read(&out).unwrap(), der);
    }
}
