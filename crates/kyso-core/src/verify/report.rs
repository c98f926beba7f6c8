//! The verification report: one verdict per signature in the EU DSS vocabulary (ETSI EN 319
//! 102-1 §5.1.3), the evidence behind it, and a plain sentence in Vietnamese and English.
//! The JSON shape is a contract: fields are added, never renamed or removed.

use serde::Serialize;

use crate::cert::Identity;

/// Main indication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed.
    TotalPassed,
    /// Could not be decided (missing chain, missing proof of time…).
    Indeterminate,
    /// Proven invalid (digest, signature, structure, revoked…).
    TotalFailed,
}

/// Sub-indication explaining a non-passed result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SubIndication {
    /// The signed bytes changed (digest mismatch).
    HashFailure,
    /// The signature value does not verify with the certificate's key.
    SigCryptoFailure,
    /// Structure is not as the format requires (ByteRange, CMS, dictionary).
    FormatFailure,
    /// No path to a trusted anchor.
    NoCertificateChainFound,
    /// Signer certificate not found or not matching the signing-certificate attribute.
    NoSigningCertificateFound,
    /// The signing time is outside the certificate's validity and nothing proves an earlier time.
    OutOfBoundsNoPoe,
    /// Algorithm or key too weak.
    CryptoConstraintsFailureNoPoe,
    /// The certificate was not yet valid at signing time.
    NotYetValid,
    /// Changes after signing that are not allowed.
    ChangesNotAllowed,
    /// Algorithm not supported by Kyso.
    SignatureAlgorithmUnsupported,
    /// The certificate was revoked before the signing time.
    Revoked,
    /// Revoked after the claimed signing time, but nothing proves the signature is older.
    RevokedNoPoe,
    /// Revocation could not be checked now (offline, server unreachable): try again.
    TryLater,
}

/// What part of the file a signature covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Coverage {
    /// The whole file as it is now.
    WholeFile,
    /// A complete earlier revision; later revisions were appended after signing.
    EarlierRevision,
    /// A byte range that is not a complete revision (tampering or a broken signer).
    Invalid,
    /// An XML signature: it covers the elements its references name (`xml.references`).
    Elements,
}

pub use crate::message::Message;

/// What a signature field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureKind {
    /// A signature (CMS: PAdES, CAdES, PKCS#7; or XMLDSig).
    Signature,
    /// A PAdES document timestamp (RFC 3161 over the document).
    DocumentTimestamp,
}

/// The signer's certificate's revocation status, as the report gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Revocation {
    /// Not revoked at the time judged.
    Good,
    /// Revoked.
    Revoked,
    /// Could not be checked (no answer, stale data).
    Unknown,
    /// The certificate names no revocation service.
    NotAvailable,
    /// Not checked (no trusted chain, or not a signature).
    NotChecked,
}

/// Integrity evidence.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Integrity {
    /// Digest of the covered bytes equals the signed message-digest.
    pub digest_matches: Option<bool>,
    /// The signature value verifies with the signer's key.
    pub signature_valid: Option<bool>,
    /// Digest algorithm.
    pub digest_algorithm: Option<String>,
    /// Signature algorithm OID.
    pub signature_algorithm: Option<String>,
}

/// A change after signing.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeReport {
    /// Object number.
    pub object: u32,
    /// Page (1-based): the page the object is, or the page an annotation or widget is on.
    pub page: Option<usize>,
    /// What changed (English).
    pub what: String,
    /// What changed (Vietnamese).
    pub what_vi: String,
    /// `FORBIDDEN` or `SUSPICIOUS`.
    pub severity: super::diff::Severity,
    /// Stable code of the finding (`KEYS_CHANGED`, `OBJECT_CHANGED`, `ANNOTATION_OVER_TEXT`,
    /// `UNSIGNED_FIELD_DRAWN`, `HIDDEN_OBJECT_SHOWN`, … — see `verify::diff::Finding`).
    pub code: String,
    /// The form field concerned (fully qualified name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The annotation subtype concerned (`FreeText`, `Widget`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// The annotation's or widget's rectangle on its page, `[x1, y1, x2, y2]` in points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rect: Option<[f64; 4]>,
    /// The dictionary keys concerned (without the slash).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// The object that newly refers to this one (content hidden when signing, shown later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referenced_by: Option<u32>,
}

/// Certificate path evidence.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ChainReport {
    /// Reached a trust anchor with every signature in the path valid.
    pub trusted: bool,
    /// Subjects from the signer up.
    pub path: Vec<String>,
    /// The anchor reached.
    pub anchor: Option<String>,
}

/// One reference of an XML signature.
#[derive(Clone, Debug, Serialize)]
pub struct XmlReferenceReport {
    /// `URI` as written (`#DLHDon-…`; empty: the whole document).
    pub uri: String,
    /// The element it resolved to (`/HDon/DLHDon`), when it resolved.
    pub target: Option<String>,
    /// Its digest matched.
    pub digest_ok: bool,
}

/// What is particular to an XML signature.
#[derive(Clone, Debug, Serialize)]
pub struct XmlReport {
    /// The form (`einvoice`, `tax`, `bhxh`), when the file is one Kyso knows.
    pub profile: Option<String>,
    /// The form's signature place it sits in (`NBan`, `NMua`, `CQT`, `CKyDTu`, `Cky`,
    /// `CKy_Dvi`).
    pub slot: Option<String>,
    /// Where the `Signature` element is (`/HDon/DSCKS/NBan/Signature`).
    pub path: String,
    /// The element its data reference points at (`/HDon/DLHDon`; `/`: the whole document).
    pub reference: Option<String>,
    /// Every reference.
    pub references: Vec<XmlReferenceReport>,
    /// `CanonicalizationMethod` of `SignedInfo`.
    pub canonicalization: Option<String>,
}

/// A timestamp token's evidence.
#[derive(Clone, Debug, Serialize)]
pub struct TimestampReport {
    /// genTime (RFC 3339, UTC).
    pub time: String,
    /// The same in Vietnam time.
    pub time_vietnam: String,
    /// The timestamp authority (its certificate's common name).
    pub tsa: Option<String>,
    /// Whether it counts as proof of time: a valid token from a TSA that chains to a trusted
    /// root and was not revoked at that time.
    pub trusted: bool,
}

/// The revocation evidence a verdict rests on.
#[derive(Clone, Debug, Serialize)]
pub struct RevocationSource {
    /// `CRL` or `OCSP`.
    pub kind: String,
    /// `embedded` (in the document), `online` (fetched now) or `saved` (the cache in the
    /// user's data folder).
    pub origin: String,
    /// When the evidence was issued (RFC 3339).
    pub this_update: String,
    /// When newer evidence is due (RFC 3339), if known.
    pub next_update: Option<String>,
    /// Whether it was still current when used.
    pub current: bool,
}

/// One signature's result.
#[derive(Clone, Debug, Serialize)]
pub struct SignatureReport {
    /// Field name.
    pub field: String,
    /// `/SubFilter`.
    pub sub_filter: Option<String>,
    /// `signature` or `document-timestamp`.
    pub kind: SignatureKind,
    /// Verdict.
    pub indication: Indication,
    /// Why, when not passed.
    pub sub_indication: Option<SubIndication>,
    /// Plain-language verdict.
    pub message: Message,
    /// Individual findings, in the order checked.
    pub findings: Vec<Message>,
    /// Signer.
    pub signer: Option<Identity>,
    /// Signer certificate SHA-256.
    pub certificate_sha256: Option<String>,
    /// Signer certificate validity (RFC 3339).
    pub certificate_not_before: Option<String>,
    /// Signer certificate validity end (RFC 3339).
    pub certificate_not_after: Option<String>,
    /// Claimed signing time (RFC 3339) and where it comes from.
    pub claimed_time: Option<String>,
    /// `/M`, `signing-time attribute`…
    pub claimed_time_source: Option<String>,
    /// Claimed time in Vietnam time.
    pub claimed_time_vietnam: Option<String>,
    /// Signature has a timestamp token (unsigned attribute).
    pub has_timestamp: bool,
    /// The time a timestamp proves, to set beside the claimed time (for a document
    /// timestamp: its own token).
    pub timestamp: Option<TimestampReport>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// Integrity.
    pub integrity: Integrity,
    /// Coverage.
    pub coverage: Coverage,
    /// `/ByteRange`.
    pub byte_range: Option<Vec<u64>>,
    /// Revision signed (1 = the original file).
    pub signed_revision: Option<usize>,
    /// Revisions appended after the signed one.
    pub later_revisions: usize,
    /// Changes made after signing that are not new signatures or validation data.
    pub changes: Vec<ChangeReport>,
    /// Certificate path.
    pub chain: ChainReport,
    /// Certificate valid at the claimed time.
    pub certificate_valid_at_time: Option<bool>,
    /// Revocation status of the signer's certificate.
    pub revocation: Revocation,
    /// The evidence behind `revocation`, when it was decided by a CRL or OCSP response.
    pub revocation_source: Option<RevocationSource>,
    /// Which system and class the signer's certificate belongs to (Decree 68), with the
    /// evidence used.
    pub certificate: Option<crate::decree::CertificateFacts>,
    /// Signer certificate serial number (hex), where the format's reports need it (XML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_serial: Option<String>,
    /// XML signatures only: the form, the slot, the references.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<XmlReport>,
}

/// A file's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileVerdict {
    /// Every signature passed.
    TotalPassed,
    /// None failed, some undecided.
    Indeterminate,
    /// At least one failed, or the file could not be read.
    TotalFailed,
    /// No signature.
    NoSignature,
}

/// An error that stopped the file's verification.
#[derive(Clone, Debug, Serialize)]
pub struct FileError {
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: Message,
}

/// One file's report.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// Path as given.
    pub path: String,
    /// Verdict.
    pub verdict: FileVerdict,
    /// Number of revisions (incremental updates + 1).
    pub revisions: usize,
    /// Per-signature results.
    pub signatures: Vec<SignatureReport>,
    /// Why the file could not be checked.
    pub error: Option<FileError>,
    /// The legal verdict (Decree 30 + Decree 68), beside the signature verdict; set by
    /// `legal::check_many` for PDFs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal: Option<crate::decree::LegalReport>,
}

impl FileReport {
    /// Computes the file verdict from its signatures.
    pub fn conclude(path: String, revisions: usize, signatures: Vec<SignatureReport>) -> Self {
        let verdict = if signatures.is_empty() {
            FileVerdict::NoSignature
        } else {
            match signatures.iter().map(|s| s.indication).max() {
                Some(Indication::TotalFailed) => FileVerdict::TotalFailed,
                Some(Indication::Indeterminate) => FileVerdict::Indeterminate,
                _ => FileVerdict::TotalPassed,
            }
        };
        Self {
            path,
            verdict,
            revisions,
            signatures,
            error: None,
            legal: None,
        }
    }

    /// A file that could not be checked.
    pub fn failed(path: String, code: &str, message: Message) -> Self {
        Self {
            path,
            verdict: FileVerdict::TotalFailed,
            revisions: 0,
            signatures: Vec::new(),
            error: Some(FileError {
                code: code.to_string(),
                message,
            }),
            legal: None,
        }
    }
}
