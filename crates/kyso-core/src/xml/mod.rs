//! XML signatures for Vietnamese e-government forms: enveloped XMLDSig (W3C XML Signature 1.1,
//! not XAdES) on e-invoices (`HDon`), tax declarations (`HSoThueDTu`), social-insurance
//! dossiers (`Hoso`) and any XML whose signed part carries an `Id`.
//!
//! - [`sign::prepare`] builds the `Signature` element in its slot, canonicalises `SignedInfo`
//!   and returns the digest to sign; the signer (token, .p12, or a remote service that only
//!   ever sees the digest) returns the value and [`sign::Prepared::finish`] inserts it. The
//!   input bytes outside the new `Signature` element are kept exactly, so earlier signatures
//!   stay valid.
//! - [`verify::signatures`] checks every `Signature` element and reports findings (references,
//!   digests, value, signer certificate DER for the chain and revocation machinery, signing
//!   time, weak algorithms, wrapping: duplicated Ids, unexpected targets, unexpected slots).
//!   Trust is not decided here: `crate::verify` judges certificates the same way for PDFs.
//! - [`detect_profile`] and [`summary`] say what a file is and what signing it means, for the
//!   app's picker and the bridge's confirmation.
//!
//! Canonicalisation (the part that goes wrong) is delegated to `bergshamra-c14n` through
//! [`c14n`], the only module that names the library. Parsing uses `uppsala` with DTDs
//! refused, a depth limit and a size limit; there is no entity expansion, no external URI,
//! no XSLT.

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    alg;
    c14n;
    dom;
    time;
    verify;
}
pub mod profile;
pub mod sign;
pub mod summary;

use std::io::Read;
use std::path::Path;

pub use profile::{detect_profile, Form};
pub use summary::{summary, Summary};

/// The XMLDSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// `Reference/@Type` for a reference to `SignatureProperties`.
pub const TYPE_SIGNATURE_PROPERTIES: &str = "http://www.w3.org/2000/09/xmldsig#SignatureProperties";

/// Errors that stop signing, or stop verification of the whole file. Messages never name a
/// command-line flag (the faces add their hints by [`XmlError::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// Larger than the configured limit.
    #[error("the XML file is too large ({size} bytes; the limit is {limit})")]
    TooLarge {
        /// Size.
        size: usize,
        /// Limit.
        limit: usize,
    },
    /// Not UTF-8 (Vietnamese forms are UTF-8).
    #[error("the XML file is not UTF-8 text")]
    NotUtf8,
    /// A `<!DOCTYPE>`: signed forms never have one, and it is how entity bombs arrive.
    #[error("the XML file declares a DTD (<!DOCTYPE ...>); refused (signed forms have none, and DTD entities can be used to attack the reader)")]
    Dtd,
    /// Nested deeper than the limit.
    #[error("the XML file is nested too deeply")]
    TooDeep,
    /// Not well-formed.
    #[error("the XML file is not well-formed: {0}")]
    Malformed(String),
    /// No element carries this Id.
    #[error("no element has Id \"{0}\"")]
    IdNotFound(String),
    /// The Id occurs more than once: a reference to it would be ambiguous (signature wrapping).
    #[error("Id \"{0}\" occurs {1} times in the file; refusing to sign an ambiguous reference")]
    DuplicateId(String, usize),
    /// Several elements carry an Id and none was named.
    #[error("several elements carry an Id ({0}); name the one to sign")]
    TargetUnclear(String),
    /// The place for the signature matches nothing.
    #[error("no element at \"{0}\" to hold the signature")]
    PathNotFound(String),
    /// The place for the signature matches several elements.
    #[error("\"{0}\" matches several elements; name the place of the signature more precisely")]
    PathAmbiguous(String),
    /// The place named is not one of the form's signature places.
    #[error("\"{into}\" is not a signature place of the {form} form; its places are: {slots}")]
    NotASlot {
        /// What was named.
        into: String,
        /// The form.
        form: &'static str,
        /// Its slots.
        slots: String,
    },
    /// The slot named signs another element than the one named.
    #[error("the {slot} place signs {expected}, not {found}")]
    WrongTarget {
        /// The slot.
        slot: &'static str,
        /// What it signs.
        expected: String,
        /// What was named.
        found: String,
    },
    /// Every default place of the form is signed already.
    #[error("every usual signature place of this {0} is signed already; name the place for this signature")]
    NoFreeSlot(&'static str),
    /// The slot already holds a signature.
    #[error("\"{0}\" already holds a signature")]
    SlotOccupied(String),
    /// The new signature would go inside data an existing signature covers, breaking it.
    #[error("{slot} is inside {covered}, which the signature at {by} signed; adding a signature there would invalidate it (the part that encloses the others is signed last)")]
    WouldBreak {
        /// Where the new signature would go.
        slot: String,
        /// The signed element that contains it.
        covered: String,
        /// The existing signature.
        by: String,
    },
    /// Key type not usable for XML signatures.
    #[error("the certificate's key type cannot be used for XML signatures: {0}")]
    UnsupportedKey(String),
    /// The value returned by the signer does not verify.
    #[error("the signature returned by the signer does not match its certificate (wrong key?)")]
    WrongKey,
    /// The value returned by the signer is not a signature of the expected form.
    #[error("the signature returned by the signer is malformed: {0}")]
    BadSignatureValue(String),
    /// Certificate encoding.
    #[error("certificate: {0}")]
    Certificate(String),
    /// Canonicalisation failed.
    #[error("canonicalisation failed: {0}")]
    C14n(String),
}

impl XmlError {
    /// Stable code (the CLI prints it, the app and the bridge translate it).
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "TOO_LARGE",
            Self::NotUtf8 => "XML_ENCODING",
            Self::Dtd => "XML_DTD",
            Self::TooDeep => "XML_TOO_DEEP",
            Self::Malformed(_) => "XML_MALFORMED",
            Self::IdNotFound(_) => "XML_ID_NOT_FOUND",
            Self::DuplicateId(..) => "XML_DUPLICATE_ID",
            Self::TargetUnclear(_) => "XML_TARGET_UNCLEAR",
            Self::PathNotFound(_) | Self::NotASlot { .. } => "XML_SLOT_NOT_FOUND",
            Self::PathAmbiguous(_) => "XML_SLOT_AMBIGUOUS",
            Self::WrongTarget { .. } => "XML_WRONG_TARGET",
            Self::NoFreeSlot(_) | Self::SlotOccupied(_) => "XML_SLOT_OCCUPIED",
            Self::WouldBreak { .. } => "XML_WOULD_BREAK",
            Self::UnsupportedKey(_) => "POLICY",
            Self::WrongKey | Self::BadSignatureValue(_) => "WRONG_KEY",
            Self::Certificate(_) => "CMS",
            Self::C14n(_) => "XML_C14N",
        }
    }
}

/// Whether `path` holds XML: the name ends in `.xml`, or the content starts (after a BOM,
/// blanks and comments) with an XML declaration or an element that is not HTML.
pub fn is_xml(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
        return true;
    }
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    looks_like_xml(head.get(..n).unwrap_or_default())
}

/// The content test of [`is_xml`], on the first bytes of a file.
pub fn looks_like_xml(head: &[u8]) -> bool {
    let mut s = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        while let Some((c, rest)) = s.split_first() {
            if c.is_ascii_whitespace() {
                s = rest;
            } else {
                break;
            }
        }
        if s.starts_with(b"<?xml") {
            return true;
        }
        if s.starts_with(b"<!--") {
            match memchr::memmem::find(s, b"-->") {
                Some(end) => s = &s[end + 3..],
                None => return false,
            }
            continue;
        }
        let Some(rest) = s.strip_prefix(b"<") else {
            return false;
        };
        let name: Vec<u8> = rest
            .iter()
            .take_while(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'-' | b'.') || **c >= 0x80
            })
            .copied()
            .collect();
        let starts_like_a_name = rest
            .first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80);
        return starts_like_a_name && !name.eq_ignore_ascii_case(b"html");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_recognised_by_declaration_or_root_element_not_html() {
        assert!(looks_like_xml(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>"));
        assert!(looks_like_xml(b"  <!-- c --> <HDon><DLHDon/></HDon>"));
        assert!(!looks_like_xml(b"<html><body/></html>"));
        assert!(!looks_like_xml(b"<!DOCTYPE html><html/>"));
        assert!(!looks_like_xml(b"%PDF-1.7"));
        assert!(!looks_like_xml(b"PK\x03\x04"));
        assert!(!looks_like_xml(b"< not"));
    }
}
