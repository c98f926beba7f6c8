//! What the checks of a signature's place in the PDF find (its dictionary, the bytes it
//! covers, what was added after it, document timestamps, signatures left without a field):
//! typed findings, worded in [`super::wording`].

use crate::message::Message;
use crate::trust::tst::TokenError;
use crate::verify::diff::Change;
use crate::verify::finding::TypedFinding;
use crate::verify::report::{Indication, SubIndication};

/// One finding about a signature's place in the PDF.
#[derive(Clone, Debug)]
pub enum Finding {
    /// The signature dictionary has no usable `/ByteRange` or `/Contents`.
    DictionaryIncomplete,
    /// `/ByteRange` is not four numbers.
    ByteRangeNotFour,
    /// The byte range does not leave out exactly the signature value (forgery).
    ByteRangeNotTheSignature,
    /// Bytes after the signed, last revision that no update explains.
    DataAppended,
    /// The signed bytes end inside a revision.
    NotARevision,
    /// The document is certified (DocMDP) at this level.
    Certified {
        /// `/P`: 1 no changes, 2 forms and signatures, 3 also annotations.
        level: i64,
    },
    /// The later revisions could not be compared with the signed one.
    ChangesUnreadable {
        /// What the reader said.
        error: String,
    },
    /// Later revisions add only signatures or validation data.
    OnlySignaturesAdded {
        /// How many updates.
        updates: usize,
    },
    /// Later revisions add annotations (allowed, but they may cover content).
    AnnotationsAdded {
        /// The changes (the first five are named).
        changes: Vec<Change>,
    },
    /// Later revisions change what is shown.
    ChangedAfterSigning {
        /// The forbidden changes (the first five are named).
        changes: Vec<Change>,
    },
    /// A trusted, unrevoked document timestamp.
    DocTimestampProof {
        /// The TSA's name.
        tsa: String,
    },
    /// The document timestamp's TSA was revoked before the time it gives.
    DocTimestampTsaRevoked {
        /// The TSA's name.
        tsa: String,
    },
    /// The document timestamp's TSA cannot be trusted.
    DocTimestampTsaUntrusted {
        /// The TSA's name.
        tsa: String,
        /// Why (Vietnamese).
        why_vi: String,
        /// Why (English).
        why_en: String,
    },
    /// The document timestamp token does not hold.
    DocTimestampInvalid {
        /// Why.
        error: TokenError,
    },
    /// A cross-reference section defines an object twice, differently.
    ConflictingDefinitions {
        /// The revision (1 = the first).
        revision: usize,
        /// The first such object.
        object: u32,
        /// How many more.
        more: usize,
    },
    /// A signature dictionary that no field reaches any more.
    OrphanSignature {
        /// Whether its byte range still fits the file (its field was dropped) or not (the
        /// file was rewritten).
        fits: bool,
    },
}

impl TypedFinding for Finding {
    fn code(&self) -> &'static str {
        match self {
            Self::DictionaryIncomplete => "SIGNATURE_DICTIONARY_INCOMPLETE",
            Self::ByteRangeNotFour => "BYTE_RANGE_NOT_FOUR",
            Self::ByteRangeNotTheSignature => "BYTE_RANGE_NOT_THE_SIGNATURE",
            Self::DataAppended => "DATA_APPENDED",
            Self::NotARevision => "NOT_A_REVISION",
            Self::Certified { .. } => "CERTIFIED",
            Self::ChangesUnreadable { .. } => "CHANGES_UNREADABLE",
            Self::OnlySignaturesAdded { .. } => "ONLY_SIGNATURES_ADDED",
            Self::AnnotationsAdded { .. } => "ANNOTATIONS_ADDED",
            Self::ChangedAfterSigning { .. } => "CHANGED_AFTER_SIGNING",
            Self::DocTimestampProof { .. } => "DOC_TIMESTAMP_PROOF",
            Self::DocTimestampTsaRevoked { .. } => "DOC_TIMESTAMP_TSA_REVOKED",
            Self::DocTimestampTsaUntrusted { .. } => "DOC_TIMESTAMP_TSA_UNTRUSTED",
            Self::DocTimestampInvalid { .. } => "DOC_TIMESTAMP_INVALID",
            Self::ConflictingDefinitions { .. } => "CONFLICTING_DEFINITIONS",
            Self::OrphanSignature { .. } => "ORPHAN_SIGNATURE",
        }
    }

    fn verdict(&self) -> Option<(Indication, SubIndication)> {
        use Indication::{Indeterminate, TotalFailed};
        use SubIndication as S;
        Some(match self {
            Self::DictionaryIncomplete
            | Self::ByteRangeNotFour
            | Self::ByteRangeNotTheSignature
            | Self::DataAppended
            | Self::NotARevision
            | Self::ConflictingDefinitions { .. }
            | Self::OrphanSignature { .. } => (TotalFailed, S::FormatFailure),
            Self::ChangesUnreadable { .. } => (Indeterminate, S::FormatFailure),
            Self::AnnotationsAdded { .. } => (Indeterminate, S::ChangesNotAllowed),
            Self::ChangedAfterSigning { .. } => (TotalFailed, S::ChangesNotAllowed),
            Self::DocTimestampTsaRevoked { .. } => (TotalFailed, S::Revoked),
            Self::DocTimestampTsaUntrusted { .. } => (Indeterminate, S::NoCertificateChainFound),
            // Over other bytes: the document changed after it was timestamped. An imprint
            // hash Kyso does not know is judged the same way, as it always was: the document
            // cannot be shown to be the one timestamped.
            Self::DocTimestampInvalid {
                error: TokenError::ImprintMismatch | TokenError::ImprintHashUnsupported,
            } => (TotalFailed, S::HashFailure),
            Self::DocTimestampInvalid { .. } => (TotalFailed, S::FormatFailure),
            Self::Certified { .. } | Self::OnlySignaturesAdded { .. } | Self::DocTimestampProof { .. } => {
                return None
            }
        })
    }

    fn words(&self) -> Message {
        super::wording::words(self)
    }
}
