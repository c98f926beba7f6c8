//! CMS SignedData for PAdES and CAdES: building (`build`) and reading (`parse`).

pub mod ber;
pub mod build;
pub mod bundle;
pub mod ess;
pub mod parse;

/// CMS encoding and decoding errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CmsError {
    /// DER encoding/decoding failed.
    #[error("CMS structure error: {0}")]
    Der(#[from] der::Error),
    /// Structure is not what CMS requires.
    #[error("malformed CMS: {0}")]
    Malformed(&'static str),
    /// Not SignedData.
    #[error("CMS content is not SignedData")]
    NotSignedData,
    /// A time could not be encoded.
    #[error("signing time out of range")]
    Time,
}
