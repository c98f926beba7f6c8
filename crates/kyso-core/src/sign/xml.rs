//! Signing an XML file (enveloped XMLDSig) with any signer: the file is read (bounded), the
//! `Signature` prepared in its slot, the canonical `SignedInfo` and its digest handed to the
//! signer (a token hashes the message itself; a phone only ever sees the digest), the value
//! checked against the certificate and inserted, and the output written beside the
//! destination and renamed into place. XMLDSig has no timestamp: the signature is B-B.

use std::path::{Path, PathBuf};

use super::{check_output, check_policy, FileDigests};
use crate::crypto::{HashAlg, Scheme};
use crate::error::Refusal;
use crate::level::Level;
use crate::signer::{SignRequest, Signer, SignerError};
use crate::xml::dom::Limits;
use crate::xml::sign::{self as xs, Choice, Planned};
use crate::xml::{Form, XmlError};
use crate::Error;

/// A signed XML file.
#[derive(Clone, Debug, serde::Serialize)]
pub struct XmlOutcome {
    /// Output path.
    pub output: PathBuf,
    /// Signer identity.
    pub signer: crate::cert::Identity,
    /// Signer certificate fingerprint.
    pub certificate_sha256: String,
    /// Always B-B (XMLDSig carries no timestamp).
    pub level: Level,
    /// The form (`einvoice`, `tax`, `bhxh`), when the file is one Kyso knows.
    pub form: Option<Form>,
    /// The form's slot signed (`NBan`, `Cky` …).
    pub slot: Option<&'static str>,
    /// Where the `Signature` element went.
    pub slot_path: String,
    /// The element signed (`/` for the whole document).
    pub reference: String,
    /// The new `Signature`'s `Id`.
    pub signature_id: String,
    /// Hash algorithm.
    pub hash: HashAlg,
    /// Input and output SHA-256 (for the journal).
    #[serde(flatten)]
    pub digests: FileDigests,
}

/// Reads an XML input within the size limit (the whole file is needed in memory: its
/// canonical form is computed on a parsed tree).
fn read_input(input: &Path) -> Result<Vec<u8>, Error> {
    let limit = Limits::default().max_bytes;
    let len = std::fs::metadata(input)?.len();
    if len > limit as u64 {
        return Err(XmlError::TooLarge {
            size: usize::try_from(len).unwrap_or(usize::MAX),
            limit,
        }
        .into());
    }
    Ok(std::fs::read(input)?)
}

/// What signing `input` with `choice` will do, or why it cannot be done — without a key,
/// so before any PIN.
pub fn check_xml(input: &Path, choice: &Choice) -> Result<Planned, Error> {
    let data = read_input(input)?;
    Ok(xs::check(&data, choice, &Limits::default())?)
}

/// Signs `input` into `output` (enveloped XMLDSig, B-B).
pub fn sign_xml(
    input: &Path,
    output: &Path,
    signer: &mut dyn Signer,
    opts: &super::SignOptions,
    choice: &Choice,
) -> Result<XmlOutcome, Error> {
    if opts.scheme == Some(Scheme::RsaPss) {
        return Err(Refusal::XmlPss.into());
    }
    let kind = signer.key_kind();
    let scheme = xs::scheme_for(kind)?;
    let cert = signer.certificate().clone();
    let chain = signer.chain().to_vec();
    check_policy(&cert, kind, opts.hash, scheme, opts.time)?;
    check_output(input, output, opts.force)?;
    let data = read_input(input)?;
    let time = time::OffsetDateTime::from_unix_timestamp(opts.time)
        .map_err(|_| Error::Internal("signing time out of range"))?;
    let mut xopts = xs::SignOptions::at(time);
    xopts.hash = opts.hash;
    let prepared = xs::prepare(&data, choice, &cert, &chain, &xopts)?;
    let planned = prepared.planned.clone();
    let signature_id = prepared.signature_id.clone();
    let value = signer.sign(&SignRequest {
        message: &prepared.signed_info_c14n,
        digest: &prepared.digest_to_sign,
        hash: opts.hash,
        scheme,
        label: &input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    })?;
    let signed = prepared.finish(&value).map_err(|e| match e {
        XmlError::WrongKey => Error::Signer(SignerError::WrongKey),
        e => e.into(),
    })?;
    super::write_new(output, input, &signed, opts.force)?;
    Ok(XmlOutcome {
        output: output.to_path_buf(),
        signer: crate::cert::identity(&cert),
        certificate_sha256: crate::cert::fingerprint(&cert),
        level: Level::BB,
        form: planned.form,
        slot: planned.slot,
        slot_path: planned.slot_path,
        reference: planned.reference_path,
        signature_id,
        hash: opts.hash,
        digests: FileDigests {
            input_sha256: Some(hex::encode(HashAlg::Sha256.digest(&data))),
            output_sha256: Some(hex::encode(HashAlg::Sha256.digest(&signed))),
        },
    })
}
