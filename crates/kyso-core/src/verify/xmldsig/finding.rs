//! What the checks of an XML signature find: a typed finding (a stable code and its data)
//! and what it does to the verdict. The sentences are made from it in one place,
//! [`super::wording`].

use crate::message::Message;
use crate::verify::finding::TypedFinding;
use crate::verify::report::{Indication, SubIndication};

/// One finding about an XMLDSig `Signature` element: its structure and algorithms, its
/// references, its value, its key, its place in the form, and its signing time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The element is not a usable XMLDSig `Signature` (no `SignedInfo`, no `Reference`, a
    /// value that is not base64, a reference that cannot be canonicalised).
    Malformed {
        /// What is wrong (from the XML reader, in English).
        what: String,
    },
    /// A canonicalisation, signature or digest algorithm Kyso does not know.
    AlgorithmUnsupported {
        /// Its URI as written.
        algorithm: String,
    },
    /// A transform Kyso does not run (XSLT, XPath, …): what was signed cannot be known.
    TransformUnsupported {
        /// Its URI.
        transform: String,
    },
    /// A reference to data outside the file (or an XPointer expression): never fetched.
    ExternalReference {
        /// The `URI` as written.
        uri: String,
    },
    /// No element of the file carries the referenced Id.
    TargetMissing {
        /// The `URI` as written.
        uri: String,
    },
    /// The referenced Id occurs several times: which part was signed is ambiguous.
    DuplicateId {
        /// The Id.
        id: String,
        /// How many times it occurs.
        count: usize,
    },
    /// The digest of a referenced part is not the one signed: it changed after signing.
    DigestMismatch {
        /// The `URI` of the reference.
        uri: String,
    },
    /// The value does not verify over `SignedInfo` with any certificate's key.
    SignatureValueMismatch,
    /// No `X509Certificate` in `KeyInfo`.
    CertificateMissing,
    /// A certificate in `KeyInfo` cannot be read.
    CertificateUnreadable {
        /// Why (from the XML reader, in English).
        error: String,
    },
    /// `X509SubjectName` names someone else than the certificate (a note: the key decides).
    SubjectNameMismatch,
    /// The signature does not reference the part its slot of the form must sign.
    UnexpectedTarget {
        /// The form (`einvoice`, `tax`, `bhxh`).
        form: String,
        /// What the slot must sign.
        expected: String,
        /// What the signature signs.
        found: String,
    },
    /// A data reference points inside a `Signature` (a classic wrapping shape).
    TargetInsideSignature {
        /// The target's path.
        path: String,
    },
    /// The signature is not in one of the form's signature places: it was moved.
    UnexpectedLocation {
        /// Where it is, and the form.
        place: String,
    },
    /// SHA-1 as the signature's or a reference's digest.
    Sha1 {
        /// Which (`signature method …`, `digest …`).
        what: String,
    },
    /// `SigningTime` is not covered by any reference: it is not used.
    SigningTimeUnsigned,
    /// An Id occurs several times in the file, but not in this signature's references.
    DuplicateIdElsewhere {
        /// The Id.
        id: String,
        /// How many times it occurs.
        count: usize,
    },
    /// The `SigningTime` text cannot be read as a time.
    SigningTimeUnreadable {
        /// The text (trimmed).
        raw: String,
    },
    /// The `SigningTime` has no time zone: read as Vietnam time.
    SigningTimeZoneAssumed {
        /// The text (trimmed).
        raw: String,
    },
    /// The claimed time is up to 7 hours ahead: Vietnam time likely written as UTC.
    VietnamTimeAsUtc,
    /// The claimed time is further in the future: the signer's clock is likely wrong.
    SigningTimeInFuture,
}

impl TypedFinding for Finding {
    fn code(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "XMLDSIG_MALFORMED",
            Self::AlgorithmUnsupported { .. } => "XMLDSIG_ALGORITHM_UNSUPPORTED",
            Self::TransformUnsupported { .. } => "XMLDSIG_TRANSFORM_UNSUPPORTED",
            Self::ExternalReference { .. } => "XMLDSIG_EXTERNAL_REFERENCE",
            Self::TargetMissing { .. } => "XMLDSIG_TARGET_MISSING",
            Self::DuplicateId { .. } => "XMLDSIG_DUPLICATE_ID",
            Self::DigestMismatch { .. } => "XMLDSIG_DIGEST_MISMATCH",
            Self::SignatureValueMismatch => "XMLDSIG_SIGNATURE_VALUE_MISMATCH",
            Self::CertificateMissing => "XMLDSIG_CERTIFICATE_MISSING",
            Self::CertificateUnreadable { .. } => "XMLDSIG_CERTIFICATE_UNREADABLE",
            Self::SubjectNameMismatch => "XMLDSIG_SUBJECT_NAME_MISMATCH",
            Self::UnexpectedTarget { .. } => "XMLDSIG_UNEXPECTED_TARGET",
            Self::TargetInsideSignature { .. } => "XMLDSIG_TARGET_INSIDE_SIGNATURE",
            Self::UnexpectedLocation { .. } => "XMLDSIG_UNEXPECTED_LOCATION",
            Self::Sha1 { .. } => "XMLDSIG_SHA1",
            Self::SigningTimeUnsigned => "XMLDSIG_SIGNING_TIME_UNSIGNED",
            Self::DuplicateIdElsewhere { .. } => "XMLDSIG_DUPLICATE_ID_ELSEWHERE",
            Self::SigningTimeUnreadable { .. } => "XMLDSIG_SIGNING_TIME_UNREADABLE",
            Self::SigningTimeZoneAssumed { .. } => "XMLDSIG_SIGNING_TIME_ZONE_ASSUMED",
            Self::VietnamTimeAsUtc => "XMLDSIG_VIETNAM_TIME_AS_UTC",
            Self::SigningTimeInFuture => "XMLDSIG_SIGNING_TIME_IN_FUTURE",
        }
    }

    /// ETSI EN 319 102-1 indications, as for a PDF signature: what breaks the structure or
    /// lets another part pass for the signed one (wrapping) fails; what Kyso cannot check is
    /// undecided.
    fn verdict(&self) -> Option<(Indication, SubIndication)> {
        use Indication::{Indeterminate, TotalFailed};
        use SubIndication as S;
        Some(match self {
            Self::Malformed { .. }
            | Self::ExternalReference { .. }
            | Self::TargetMissing { .. }
            | Self::DuplicateId { .. }
            | Self::UnexpectedTarget { .. }
            | Self::TargetInsideSignature { .. }
            | Self::UnexpectedLocation { .. } => (TotalFailed, S::FormatFailure),
            Self::DigestMismatch { .. } => (TotalFailed, S::HashFailure),
            Self::SignatureValueMismatch => (TotalFailed, S::SigCryptoFailure),
            Self::AlgorithmUnsupported { .. } | Self::TransformUnsupported { .. } => {
                (Indeterminate, S::SignatureAlgorithmUnsupported)
            }
            Self::CertificateMissing | Self::CertificateUnreadable { .. } => {
                (Indeterminate, S::NoSigningCertificateFound)
            }
            Self::Sha1 { .. } => (Indeterminate, S::CryptoConstraintsFailureNoPoe),
            Self::SubjectNameMismatch
            | Self::SigningTimeUnsigned
            | Self::DuplicateIdElsewhere { .. }
            | Self::SigningTimeUnreadable { .. }
            | Self::SigningTimeZoneAssumed { .. }
            | Self::VietnamTimeAsUtc
            | Self::SigningTimeInFuture => return None,
        })
    }

    fn words(&self) -> Message {
        super::wording::words(self)
    }
}
