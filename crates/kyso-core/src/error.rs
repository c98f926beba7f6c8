//! The library's error: one variant per layer plus the refusals a user must understand.
//! `code()` gives a stable identifier the CLI prints and the app translates.

use crate::cms::CmsError;
use crate::pdf::PdfError;
use crate::signer::SignerError;

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
    /// DER.
    #[error("encoding error: {0}")]
    Der(#[from] der::Error),
    /// I/O.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
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
    #[error("the output file {0} exists; choose another name or use --force")]
    OutputExists(String),
    /// Output equals input.
    #[error("the output must be a new file: Kyso never modifies the input file")]
    SameFile,
    /// The input changed while signing.
    #[error("the input file changed while it was being signed; try again")]
    InputChanged,
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
    /// Algorithm/key policy.
    #[error("refused: {0}")]
    Policy(String),
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
    /// Validation data (OCSP/CRL) for a long-term signature could not be fetched.
    #[error("validation data could not be obtained ({0}); check the network and try again later")]
    ValidationData(String),
    /// Invariant broken.
    #[error("internal error: {0}")]
    Internal(&'static str),
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
            Error::Signer(e) => match e {
                SignerError::ModuleLoad { .. } => "DRIVER_MISSING",
                SignerError::NoToken(_) | SignerError::TokenNotFound(_) => "TOKEN_MISSING",
                SignerError::AmbiguousToken(_) => "TOKEN_AMBIGUOUS",
                SignerError::PinRequired => "PIN_REQUIRED",
                SignerError::PinIncorrect(_) => "PIN_INCORRECT",
                SignerError::PinLocked => "PIN_LOCKED",
                SignerError::PinLength => "PIN_LENGTH",
                SignerError::CertNotFound(_) | SignerError::NoSigningCert => "CERT_NOT_FOUND",
                SignerError::AmbiguousCert(_) => "CERT_AMBIGUOUS",
                SignerError::P12Password => "P12_PASSWORD",
                SignerError::P12(_) => "P12_UNREADABLE",
                SignerError::WrongKey => "WRONG_KEY",
                SignerError::Policy(_) => "POLICY",
                SignerError::Mechanism(_) => "MECHANISM",
                SignerError::Refused => "REMOTE_REFUSED",
                SignerError::Expired(_) => "REMOTE_EXPIRED",
                SignerError::Cancelled => "CANCELLED",
                SignerError::Unreachable(_) => "REMOTE_UNREACHABLE",
                SignerError::Service(_) => "REMOTE_ERROR",
                _ => "TOKEN_ERROR",
            },
            Error::Encrypted => "ENCRYPTED_PDF",
            Error::CertifiedNoChanges => "CERTIFIED_NO_CHANGES",
            Error::FieldAlreadySigned(_) => "FIELD_SIGNED",
            Error::FieldNotSignature(_) => "FIELD_NOT_SIGNATURE",
            Error::OutputExists(_) => "OUTPUT_EXISTS",
            Error::SameFile => "SAME_FILE",
            Error::InputChanged => "INPUT_CHANGED",
            Error::CertificateExpired { .. } => "CERT_EXPIRED",
            Error::CertificateNotYetValid { .. } => "CERT_NOT_YET_VALID",
            Error::Policy(_) => "POLICY",
            Error::Timestamp(_) => "TSA_UNAVAILABLE",
            Error::ValidationData(_) => "REVOCATION_UNAVAILABLE",
            Error::ContentsOverflow { .. } | Error::Internal(_) => "INTERNAL",
        }
    }
}
