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

pub mod appearance;
pub mod cert;
pub mod cms;
pub mod crypto;
pub mod decree;
pub mod doctor;
pub mod error;
pub mod filename;
pub mod files;
pub mod folders;
pub mod journal;
pub mod legal;
pub mod level;
pub mod message;
pub mod net;
pub mod oids;
pub mod pdf;
pub mod report;
pub mod settings;
pub mod sign;
pub mod signer;
pub mod timefmt;
pub mod trust;
pub mod update;
pub mod verify;
pub mod workflow;
pub mod xml;

pub use error::{AppearanceError, Error, Refusal};
