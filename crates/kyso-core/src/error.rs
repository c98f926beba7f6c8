//! The library's error: one variant per layer (PDF, CMS, signer) plus the refusals and
//! failures a user must understand, each typed. [`Error::code`] gives the stable identifier
//! the CLI prints and the app and bridge translate; codes are never renamed. Messages are
//! plain English for logs and the CLI and never name a command-line flag: a face adds its
//! own hint (the CLI says which flag, the app which button).

use crate::cms::CmsError;
use crate::level::Level;
use crate::pdf::PdfError;
use crate::signer::SignerError;

/// Something the signing policy does not allow (code `POLICY`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// A digest too weak for new signatures.
    #[error("{0} is not allowed for new signatures; use SHA-256 or stronger")]
    WeakHash(&'static str),
    /// A key too weak for new signatures.
    #[error("{0} keys are not allowed for new signatures (RSA ≥ 2048 or ECDSA P-256/P-384 required)")]
    WeakKey(String),
    /// The signature scheme does not fit the key.
    #[error("the signature scheme does not fit the key type")]
    SchemeMismatch,
    /// The certificate's key usage does not allow signing documents.
    #[error("this certificate is not meant for signing documents (key usage)")]
    KeyUsage,
    /// A PDF was expected.
    #[error("the input is not a PDF (other files are signed with a separate .p7s signature)")]
    NotPdf,
    /// The level needs a timestamp authority and none is configured.
    #[error("level {0} needs a timestamp authority (TSA) address")]
    TsaRequired(Level),
    /// B-LT/B-LTA exist for PDFs only.
    #[error("{0} is a PDF level; a detached signature can be B-B or B-T")]
    LongTermNeedsPdf(Level),
    /// Augmenting takes a long-term level.
    #[error("signatures are extended to B-LT or B-LTA, not {0}")]
    AugmentLevel(Level),
    /// A certification level other than 1, 2, 3.
    #[error("the certification level must be 1, 2 or 3 (not {0})")]
    CertifyLevel(u8),
    /// A certification signature must come first.
    #[error("a certification signature must be the document's first signature")]
    CertifyNotFirst,
    /// A field name with a dot (it would name a child field).
    #[error("a new field name cannot contain '.'")]
    FieldName,
    /// XMLDSig has no timestamp: an XML signature is B-B.
    #[error("an XML signature (XMLDSig) carries no timestamp, so it is made at level B-B; {0} cannot be made for an XML file")]
    XmlLevel(Level),
    /// RSA-PSS is not used in XML signatures here.
    #[error("RSA-PSS is not used for XML signatures (the forms' validators expect RSA PKCS#1 v1.5)")]
    XmlPss,
}

/// Why a visible signature cannot be drawn (each with its own code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AppearanceError {
    /// The role needs the organisation's seal image and there is none.
    #[error("the {0} role needs the seal image")]
    SealMissing(&'static str),
    /// The role needs the document number.
    #[error("the {0} role needs the document number")]
    DocNumberMissing(&'static str),
    /// The copy role needs the copying organisation's name.
    #[error("the copy role needs the organisation's name")]
    OrgMissing,
    /// The incoming role needs the receipt text.
    #[error("the incoming role needs the receipt text")]
    ReceiptMissing,
    /// The approval needs a place in the signature block.
    #[error("the approve role needs the signature block: a rectangle or an existing signature field")]
    BlockMissing,
    /// Text or an image without a place.
    #[error(
        "text and images need a place for the visible signature: a rectangle on a page, a role, or an existing signature field"
    )]
    PlaceMissing,
    /// The seal goes over the leader's visible signature, and there is none.
    #[error("there is no visible signature to place the seal over; the leader signs first")]
    NothingToSeal,
    /// The anchor text is not on any page.
    #[error("the text \"{0}\" where the signature goes was not found on any page (it must be text, not part of a scanned image)")]
    AnchorNotFound(String),
    /// A box too small, a missing page, an unreadable image or font.
    #[error("{0}")]
    Drawing(String),
}

/// Errors from signing and verifying.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// PDF structure.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// CMS encoding.
    #[error(transparent)]
    Cms(#[from] CmsError),
    /// Token / key.
    #[error(transparent)]
    Signer(#[from] SignerError),
    /// An XML file that cannot be signed (or read) as asked.
    #[error(transparent)]
    Xml(#[from] crate::xml::XmlError),
    /// DER.
    #[error("encoding error: {0}")]
    Der(#[from] der::Error),
    /// I/O.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// Refused by the signing policy.
    #[error("refused: {0}")]
    Policy(#[from] Refusal),
    /// The visible signature cannot be drawn.
    #[error(transparent)]
    Appearance(#[from] AppearanceError),
    /// Encrypted PDF.
    #[error("the PDF is encrypted (password-protected); Kyso does not sign encrypted PDFs — remove the protection in the program that made it, then sign")]
    Encrypted,
    /// The cross-reference data is broken.
    #[error("the PDF is damaged (its cross-reference table is broken); re-save it from the program that made it, then sign")]
    Damaged,
    /// Certified with no changes allowed.
    #[error("the document is certified with \"no changes allowed\"; another signature would break the certification")]
    CertifiedNoChanges,
    /// Field is signed already.
    #[error("the signature field \"{0}\" is already signed")]
    FieldAlreadySigned(String),
    /// Field exists but is not a signature field.
    #[error("the field \"{0}\" is not a signature field")]
    FieldNotSignature(String),
    /// Output exists.
    #[error("the output file {0} exists; choose another name")]
    OutputExists(String),
    /// Output equals input.
    #[error("the output must be a new file: Kyso never modifies the input file")]
    SameFile,
    /// A queued signature's file is no longer the one Kyso wrote: it is left alone.
    #[error("{0} is not the file Kyso signed and queued (it was changed or replaced since); it was left as it is — sign the document again if it needs a long-term signature")]
    PendingChanged(String),
    /// The input changed while signing.
    #[error("the input file changed while it was being signed; try again")]
    InputChanged,
    /// A folder with nothing Kyso signs in it.
    #[error("there is no PDF to sign in {0}")]
    NothingToSign(String),
    /// Certificate expired.
    #[error("the certificate expired on {not_after}; renew it with your certificate authority")]
    CertificateExpired {
        /// notAfter.
        not_after: String,
    },
    /// Certificate not yet valid.
    #[error("the certificate is not valid before {not_before}; check the computer's clock")]
    CertificateNotYetValid {
        /// notBefore.
        not_before: String,
    },
    /// The signature did not fit the reserved space (never truncated).
    #[error("internal error: signature of {needed} bytes does not fit the {reserved} reserved")]
    ContentsOverflow {
        /// Needed.
        needed: usize,
        /// Reserved.
        reserved: usize,
    },
    /// A timestamp was asked for and no TSA gave one.
    #[error("no timestamp could be obtained ({0}); check the network or the TSA address, or sign without a timestamp (B-B)")]
    Timestamp(String),
    /// The settings say offline: no network is used.
    #[error("offline mode is on, so no timestamp authority is asked")]
    Offline,
    /// Validation data (OCSP/CRL) for a long-term signature could not be fetched.
    #[error("validation data could not be obtained ({0}); check the network and try again later")]
    ValidationData(String),
    /// No chain from a certificate to a trusted root (B-LT needs one).
    #[error(
        "no certificate chain from \"{0}\" to a trusted root; import the authority's certificates first"
    )]
    NoTrustedChain(String),
    /// Nothing to extend.
    #[error("the document has no signature to extend")]
    NoSignature,
    /// A batch stopped before this document (the code says why: the token was removed, the
    /// PIN locked).
    #[error("not signed: the batch stopped at an earlier document ({0}); sign this one again")]
    NotReached(&'static str),
    /// The trust store refused a certificate.
    #[error(transparent)]
    Trust(#[from] crate::trust::TrustError),
    /// The signing journal.
    #[error("signing journal: {0}")]
    Journal(String),
    /// The organisation profile (seal and signature images).
    #[error("organisation profile: {0}")]
    Profile(String),
    /// The printable report could not be made.
    #[error("report: {0}")]
    Report(String),
    /// A local TLS certificate (the bridge's).
    #[error("TLS certificate: {0}")]
    Tls(String),
    /// Invariant broken.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl From<crate::journal::JournalError> for Error {
    fn from(e: crate::journal::JournalError) -> Self {
        Error::Journal(e.to_string())
    }
}

impl Error {
    /// Stable machine-readable code (for JSON output and UI translation).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Pdf(PdfError::NotPdf) => "NOT_PDF",
            Error::Pdf(PdfError::TooLarge(_)) => "TOO_LARGE",
            Error::Pdf(PdfError::TooComplex(_)) => "TOO_COMPLEX",
            Error::Pdf(PdfError::Encrypted) => "ENCRYPTED_PDF",
            Error::Pdf(PdfError::Unsupported(_)) => "UNSUPPORTED",
            Error::Pdf(PdfError::Io(_)) | Error::Io(_) => "IO",
            Error::Pdf(_) | Error::Damaged => "DAMAGED_PDF",
            Error::Cms(_) | Error::Der(_) => "CMS",
            Error::Signer(e) => e.code(),
            Error::Xml(e) => e.code(),
            Error::Policy(_) => "POLICY",
            Error::Appearance(a) => match a {
                AppearanceError::SealMissing(_) => "SEAL_MISSING",
                AppearanceError::DocNumberMissing(_) => "DOC_NUMBER_MISSING",
                AppearanceError::OrgMissing => "ORG_MISSING",
                AppearanceError::ReceiptMissing => "RECEIPT_MISSING",
                AppearanceError::BlockMissing => "SIGNATURE_BLOCK_MISSING",
                AppearanceError::PlaceMissing => "PLACE_MISSING",
                AppearanceError::NothingToSeal => "NOTHING_TO_SEAL",
                AppearanceError::AnchorNotFound(_) => "ANCHOR_NOT_FOUND",
                AppearanceError::Drawing(_) => "APPEARANCE",
            },
            Error::Encrypted => "ENCRYPTED_PDF",
            Error::CertifiedNoChanges => "CERTIFIED_NO_CHANGES",
            Error::FieldAlreadySigned(_) => "FIELD_SIGNED",
            Error::FieldNotSignature(_) => "FIELD_NOT_SIGNATURE",
            Error::OutputExists(_) => "OUTPUT_EXISTS",
            Error::SameFile => "SAME_FILE",
            Error::InputChanged => "INPUT_CHANGED",
            Error::PendingChanged(_) => "PENDING_CHANGED",
            Error::NothingToSign(_) => "NOTHING_TO_SIGN",
            Error::CertificateExpired { .. } => "CERT_EXPIRED",
            Error::CertificateNotYetValid { .. } => "CERT_NOT_YET_VALID",
            Error::Timestamp(_) => "TSA_UNAVAILABLE",
            Error::Offline => "OFFLINE",
            Error::ValidationData(_) => "REVOCATION_UNAVAILABLE",
            Error::NoTrustedChain(_) => "NO_CHAIN",
            Error::NoSignature => "NO_SIGNATURE",
            Error::NotReached(_) => "NOT_SIGNED",
            Error::Trust(t) => match t {
                crate::trust::TrustError::Empty => "TRUST_EMPTY",
                crate::trust::TrustError::NotPinned { .. } => "TRUST_NOT_PINNED",
                crate::trust::TrustError::NotCa(_) => "TRUST_NOT_CA",
                crate::trust::TrustError::File { .. } => "TRUST_UNREADABLE",
                crate::trust::TrustError::Io(_) => "IO",
                crate::trust::TrustError::Unknown(_) => "TRUST_UNKNOWN",
                crate::trust::TrustError::Ambiguous(_) => "TRUST_AMBIGUOUS",
                crate::trust::TrustError::NotCustom(_) => "TRUST_NOT_CUSTOM",
            },
            Error::Journal(_) => "JOURNAL",
            Error::Profile(_) => "PROFILE",
            Error::Report(_) => "REPORT",
            Error::Tls(_) => "TLS",
            Error::ContentsOverflow { .. } | Error::Internal(_) => "INTERNAL",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_never_name_a_command_line_flag() {
        let all: Vec<Error> = vec![
            Refusal::NotPdf.into(),
            Refusal::TsaRequired(Level::BT).into(),
            Refusal::LongTermNeedsPdf(Level::BLt).into(),
            Error::OutputExists("x.pdf".into()),
            Error::NoTrustedChain("An".into()),
            AppearanceError::PlaceMissing.into(),
            Error::Timestamp("down".into()),
            Error::NotReached("TOKEN_REMOVED"),
            Refusal::XmlLevel(Level::BT).into(),
            crate::xml::XmlError::NoFreeSlot("e-invoice").into(),
        ];
        for e in all {
            let text = e.to_string();
            assert!(!text.contains("--"), "{text}");
            assert!(!text.contains("kyso "), "{text}");
        }
    }

    #[test]
    fn refusals_keep_the_policy_code_and_the_rest_have_their_own() {
        assert_eq!(Error::from(Refusal::WeakKey("RSA-1024".into())).code(), "POLICY");
        assert_eq!(
            Error::from(AppearanceError::SealMissing("issue")).code(),
            "SEAL_MISSING"
        );
        assert_eq!(Error::Journal("locked".into()).code(), "JOURNAL");
        assert_eq!(Error::Signer(SignerError::TokenRemoved).code(), "TOKEN_REMOVED");
    }
}
