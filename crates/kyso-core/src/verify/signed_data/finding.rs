//! What the checks of the signature data find: a typed finding (a stable code and its
//! data) and what it does to the verdict. The sentences are made from it in one place,
//! [`super::wording`].

use crate::message::Message;
use crate::verify::finding::TypedFinding;
use crate::verify::report::{Indication, SubIndication};

/// One finding about a CMS signature (PDF, `.p7s`): its structure, integrity, the binding
/// to the signer's certificate and the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The SignedData cannot be read.
    Unreadable {
        /// What the reader said.
        error: String,
    },
    /// No SignerInfo.
    NoSigner,
    /// More than one SignerInfo (PAdES allows exactly one).
    SeveralSigners,
    /// A digest algorithm Kyso does not know.
    DigestAlgorithmUnsupported {
        /// Its OID.
        oid: String,
    },
    /// The signed bytes could not be read to hash them.
    ContentUnreadable {
        /// The reading error.
        error: String,
    },
    /// `adbe.pkcs7.sha1` (or an eContent) without the encapsulated digest.
    EncapsulatedContentMissing,
    /// The encapsulated SHA-1 of the signed bytes is not theirs.
    EncapsulatedDigestMismatch,
    /// message-digest or content-type missing from the signed attributes, or repeated.
    DigestAttributesMalformed,
    /// The signed message-digest is not the digest of the signed bytes.
    DigestMismatch,
    /// The signature does not carry the certificate its SignerInfo names.
    SignerCertificateMissing,
    /// The signature value holds, but over a SHA-1 digest.
    Sha1Digest,
    /// A signature algorithm Kyso does not know.
    SignatureAlgorithmUnsupported {
        /// Its name or OID.
        algorithm: String,
    },
    /// The signature value does not verify with the signer's public key.
    SignatureValueMismatch,
    /// An RSA key under 2048 bits.
    RsaKeyTooShort {
        /// Its size.
        bits: usize,
    },
    /// The signing-certificate(-v2) attribute names another certificate than the signer's.
    SigningCertificateMismatch {
        /// `signing-certificate-v2` (else the SHA-1 `signing-certificate`).
        v2: bool,
    },
    /// A PAdES signature without signing-certificate-v2 (EN 319 142-1 requires it).
    SigningCertificateAbsent,
    /// A PAdES signature with a signing-time attribute (the standard puts the time in `/M`).
    SigningTimeInPades,
    /// A signature timestamp that is valid but not trusted, so not used as proof.
    TimestampNotProof {
        /// Why not (Vietnamese).
        why_vi: String,
        /// Why not (English).
        why_en: String,
    },
    /// A trusted signature timestamp: the signature existed at `time`.
    TimestampProof {
        /// genTime, Unix seconds.
        time: i64,
        /// The TSA's name.
        tsa: String,
    },
    /// A signature timestamp that does not hold (not over this signature, or broken).
    TimestampInvalid {
        /// What is wrong.
        error: String,
    },
    /// The claimed time is 7 hours after the timestamp: Vietnam time written as UTC.
    VietnamTimeAsUtc,
}

impl TypedFinding for Finding {
    fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "CMS_UNREADABLE",
            Self::NoSigner => "CMS_NO_SIGNER",
            Self::SeveralSigners => "CMS_SEVERAL_SIGNERS",
            Self::DigestAlgorithmUnsupported { .. } => "DIGEST_ALGORITHM_UNSUPPORTED",
            Self::ContentUnreadable { .. } => "CONTENT_UNREADABLE",
            Self::EncapsulatedContentMissing => "ENCAPSULATED_CONTENT_MISSING",
            Self::EncapsulatedDigestMismatch => "ENCAPSULATED_DIGEST_MISMATCH",
            Self::DigestAttributesMalformed => "DIGEST_ATTRIBUTES_MALFORMED",
            Self::DigestMismatch => "DIGEST_MISMATCH",
            Self::SignerCertificateMissing => "SIGNER_CERTIFICATE_MISSING",
            Self::Sha1Digest => "SHA1_DIGEST",
            Self::SignatureAlgorithmUnsupported { .. } => "SIGNATURE_ALGORITHM_UNSUPPORTED",
            Self::SignatureValueMismatch => "SIGNATURE_VALUE_MISMATCH",
            Self::RsaKeyTooShort { .. } => "RSA_KEY_TOO_SHORT",
            Self::SigningCertificateMismatch { .. } => "SIGNING_CERTIFICATE_MISMATCH",
            Self::SigningCertificateAbsent => "SIGNING_CERTIFICATE_ABSENT",
            Self::SigningTimeInPades => "SIGNING_TIME_IN_PADES",
            Self::TimestampNotProof { .. } => "TIMESTAMP_NOT_PROOF",
            Self::TimestampProof { .. } => "TIMESTAMP_PROOF",
            Self::TimestampInvalid { .. } => "TIMESTAMP_INVALID",
            Self::VietnamTimeAsUtc => "VIETNAM_TIME_AS_UTC",
        }
    }

    /// ETSI EN 319 102-1 indications.
    fn verdict(&self) -> Option<(Indication, SubIndication)> {
        use Indication::{Indeterminate, TotalFailed};
        use SubIndication as S;
        Some(match self {
            Self::Unreadable { .. }
            | Self::NoSigner
            | Self::SeveralSigners
            | Self::EncapsulatedContentMissing
            | Self::DigestAttributesMalformed
            | Self::TimestampInvalid { .. } => (TotalFailed, S::FormatFailure),
            Self::EncapsulatedDigestMismatch | Self::DigestMismatch => (TotalFailed, S::HashFailure),
            Self::SignatureValueMismatch => (TotalFailed, S::SigCryptoFailure),
            Self::DigestAlgorithmUnsupported { .. } | Self::SignatureAlgorithmUnsupported { .. } => {
                (Indeterminate, S::SignatureAlgorithmUnsupported)
            }
            Self::ContentUnreadable { .. } => (Indeterminate, S::FormatFailure),
            Self::SignerCertificateMissing | Self::SigningCertificateMismatch { .. } => {
                (Indeterminate, S::NoSigningCertificateFound)
            }
            Self::Sha1Digest | Self::RsaKeyTooShort { .. } => {
                (Indeterminate, S::CryptoConstraintsFailureNoPoe)
            }
            Self::SigningCertificateAbsent
            | Self::SigningTimeInPades
            | Self::TimestampNotProof { .. }
            | Self::TimestampProof { .. }
            | Self::VietnamTimeAsUtc => return None,
        })
    }

    fn words(&self) -> Message {
        super::wording::words(self)
    }
}
