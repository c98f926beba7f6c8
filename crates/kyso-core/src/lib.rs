//! # Kyso core
//!
//! Signing and checking PDF documents for Vietnamese public servants, without a UI.
//!
//! Data flows one way:
//! - signing: document → [`sign::prepare`] (field, byte range, signed attributes) →
//!   [`signer::Signer`] (token, PKCS#12, later remote) → [`sign::Prepared::finish`] → file;
//! - checking: document → revisions and signatures ([`verify`]) → checks → report.
//!
//! Layers: [`pdf`] (structure, incremental writer, byte ranges) knows nothing about CMS;
//! [`cms`] builds and parses SignedData; [`crypto`] holds the algorithm policy; [`signer`]
//! talks to keys; [`sign`] and [`verify`] put them together.
//!
//! Threat model in short: input files are hostile (bounded parsing, no panics); PINs are
//! secrets (zeroized, never logged, never retried); the input file is never modified and
//! outputs appear atomically.

/// Modules under the public API: `pub` only with the `internals` feature (this crate's
/// integration tests, the fuzz targets), else visible to this crate alone. A face that
/// needs one of their types gets it re-exported below, so the faces cannot come to depend
/// on how a PDF or a CMS is read.
macro_rules! internal {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            #[cfg(feature = "internals")]
            pub mod $name;
            $(#[$doc])*
            #[cfg(not(feature = "internals"))]
            pub(crate) mod $name;
        )*
    };
}

internal! {
    cms;
    crypto;
    message;
    oids;
    pdf;
}

pub mod appearance;
pub mod cert;
pub mod decree;
pub mod doctor;
pub mod error;
pub mod filename;
pub mod files;
pub mod folders;
pub mod journal;
pub mod legal;
pub mod level;
pub mod net;
pub mod report;
pub mod settings;
pub mod sign;
pub mod signer;
#[cfg(test)]
mod testkit;
pub mod timefmt;
pub mod trust;
pub mod update;
pub mod verify;
pub mod workflow;
pub mod xml;

/// The certificates in a PEM or DER file (a bundle of several, or one).
pub use crate::cms::bundle::certificates as read_certificates;
pub use crate::crypto::{Curve, HashAlg, Hasher, KeyKind, Scheme};
pub use crate::message::Message;
pub use crate::pdf::permissions::FieldLock;
pub use error::{AppearanceError, Error, Refusal};
