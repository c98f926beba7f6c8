//! Signing a PDF (PAdES B-B, ETSI EN 319 142-1) by incremental update, in two stages so a
//! signer may take its time between them:
//!
//! 1. [`prepare`]: read the structure, add the signature field and dictionary, write the
//!    output to a temporary file next to the destination, hash the byte ranges, build the
//!    signed attributes. Nothing is asked of the signer yet: every refusal (encrypted file,
//!    certified document, expired certificate, existing output) happens before a PIN is used.
//! 2. [`Prepared::finish`]: check the signature value against the certificate, embed the
//!    CMS in the reserved `/Contents`, flush, and rename into place atomically.
//!
//! The input is only ever read.

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    detached;
    ltv;
}
mod field;
pub mod xml;

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use x509_cert::Certificate;

use crate::cert;
use crate::cms::build::{self, AttrParams};
use crate::crypto::{self, HashAlg, Hasher, Scheme};
use crate::error::{AppearanceError, Refusal};
use crate::files::temp_beside;
use crate::pdf::byterange::{self, ByteRange};
use crate::pdf::writer::{Base, Update};
use crate::pdf::FileSource;
use crate::pdf::{self, Object, Pdf, PdfError};
use crate::signer::{SignRequest, Signer};
use crate::trust::tsa;
use crate::Error;

/// How to sign.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// Field to sign: an existing empty signature field, or the name for a new one.
    pub field: Option<String>,
    /// Digest algorithm (SHA-256 by default; SHA-1 is refused).
    pub hash: HashAlg,
    /// Signature scheme; the key's default when `None`.
    pub scheme: Option<Scheme>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact_info: Option<String>,
    /// Claimed signing time (Unix seconds), written to `/M`.
    pub time: i64,
    /// Replace an existing output file.
    pub force: bool,
    /// Timestamp authorities for a signature timestamp (PAdES B-T), tried in order; empty
    /// for B-B.
    pub tsa_urls: Vec<String>,
    /// Room the TSA's tokens need, when the caller already asked ([`probe_tsa`]: it also
    /// puts the TSA that answered first); `None` makes [`prepare`] ask.
    pub tsa_room: Option<usize>,
    /// Make a certification signature with this DocMDP level (1 no changes, 2 form filling
    /// and signing, 3 also annotations); only as the document's first signature.
    pub certify: Option<u8>,
    /// Fields this signature locks (FieldMDP): later changes to them are not allowed.
    pub lock_fields: Option<crate::pdf::permissions::FieldLock>,
    /// A visible signature: what to draw and where.
    pub appearance: Option<crate::appearance::visible::Spec>,
}

impl Default for SignOptions {
    fn default() -> Self {
        Self {
            field: None,
            hash: HashAlg::Sha256,
            scheme: None,
            reason: None,
            location: None,
            contact_info: None,
            time: crate::timefmt::now(),
            force: false,
            tsa_urls: Vec::new(),
            tsa_room: None,
            certify: None,
            lock_fields: None,
            appearance: None,
        }
    }
}

/// What a finished signature looks like, for the caller to show or log.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SignOutcome {
    /// Output path.
    pub output: PathBuf,
    /// Field name signed.
    pub field: String,
    /// Signer identity.
    pub signer: cert::Identity,
    /// Signer certificate fingerprint.
    pub certificate_sha256: String,
    /// The byte range.
    pub byte_range: ByteRange,
    /// CMS size / bytes reserved in `/Contents`.
    pub cms_len: usize,
    /// Bytes reserved.
    pub reserved: usize,
    /// Hash algorithm.
    pub hash: HashAlg,
    /// Scheme.
    pub scheme: Scheme,
    /// Time proven by the signature timestamp (B-T), Unix seconds.
    pub timestamp: Option<i64>,
    /// The TSA that gave it.
    pub tsa_url: Option<String>,
    /// Input and output SHA-256 (for the journal).
    #[serde(flatten)]
    pub digests: FileDigests,
}

/// Checks the policy for a new signature: algorithms, key size, certificate validity at the
/// signing time, key usage.
pub fn check_policy(
    cert: &Certificate,
    kind: crypto::KeyKind,
    hash: HashAlg,
    scheme: Scheme,
    at: i64,
) -> Result<(), Error> {
    if !hash.allowed_for_signing() {
        return Err(Refusal::WeakHash(hash.name()).into());
    }
    if !kind.allowed_for_signing() {
        return Err(Refusal::WeakKey(kind.describe()).into());
    }
    let fits = matches!(
        (kind, scheme),
        (crypto::KeyKind::Rsa { .. }, Scheme::RsaPkcs1 | Scheme::RsaPss)
            | (crypto::KeyKind::Ec { .. }, Scheme::Ecdsa)
    );
    if !fits {
        return Err(Refusal::SchemeMismatch.into());
    }
    let (nb, na) = cert::validity(cert);
    if at > na {
        return Err(Error::CertificateExpired {
            not_after: crate::timefmt::rfc3339(na),
        });
    }
    if at < nb {
        return Err(Error::CertificateNotYetValid {
            not_before: crate::timefmt::rfc3339(nb),
        });
    }
    if !cert::can_sign_documents(cert) || cert::is_ca(cert) {
        return Err(Refusal::KeyUsage.into());
    }
    Ok(())
}

/// Refuses an output that would overwrite the input, or an existing file without `force`.
pub fn check_output(input: &Path, output: &Path, force: bool) -> Result<(), Error> {
    if let (Ok(a), Ok(b)) = (std::fs::canonicalize(input), std::fs::canonicalize(output)) {
        if a == b {
            return Err(Error::SameFile);
        }
    }
    if output.exists() && !force {
        return Err(Error::OutputExists(output.display().to_string()));
    }
    Ok(())
}

/// A signature dictionary written into a temporary copy of the document, with its
/// `/Contents` reserved and its byte ranges hashed. Shared by signatures and document
/// timestamps.
pub(crate) struct Reserved {
    tmp: tempfile::NamedTempFile,
    output: PathBuf,
    force: bool,
    contents_at: u64,
    reserved: usize,
    byte_range: ByteRange,
    field: String,
    /// Digest of the byte ranges.
    pub digest: Vec<u8>,
    /// SHA-256 state after the whole input (when the signature hash is SHA-256, the input's
    /// and the output's SHA-256 for the journal come free from the signing pass).
    input_state: Option<Hasher>,
    /// The appended bytes as written (the `/Contents` hole still zeros).
    appended: Vec<u8>,
    /// Offset of the hole's `<` within `appended`.
    hole_rel: usize,
}

/// SHA-256 of the input and the output, when known without reading the files again.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct FileDigests {
    /// SHA-256 of the input file.
    pub input_sha256: Option<String>,
    /// SHA-256 of the output file.
    pub output_sha256: Option<String>,
}

impl Reserved {
    /// Writes `der` into the reserved `/Contents`, flushes, renames into place.
    pub(crate) fn embed(
        mut self,
        der: &[u8],
    ) -> Result<(PathBuf, String, ByteRange, usize, FileDigests), Error> {
        let hexed = byterange::contents_text(der, self.reserved).ok_or(Error::ContentsOverflow {
            needed: der.len(),
            reserved: self.reserved,
        })?;
        let digests = match self.input_state.take() {
            Some(state) => {
                let mut out = state.clone();
                let at = self.hole_rel + 1;
                out.update(self.appended.get(..at).unwrap_or_default());
                out.update(&hexed);
                out.update(self.appended.get(at + hexed.len()..).unwrap_or_default());
                FileDigests {
                    input_sha256: Some(hex::encode(state.finish())),
                    output_sha256: Some(hex::encode(out.finish())),
                }
            }
            None => FileDigests::default(),
        };
        let f = self.tmp.as_file_mut();
        f.seek(SeekFrom::Start(self.contents_at + 1))?;
        f.write_all(&hexed)?;
        f.sync_all()?;
        persist(self.tmp, &self.output, self.force)?;
        Ok((self.output, self.field, self.byte_range, self.reserved, digests))
    }
}

/// A signature waiting for its value: the output sits in a temporary file.
pub struct Prepared {
    reserved: Reserved,
    hash: HashAlg,
    scheme: Scheme,
    signed_attrs: cms::signed_data::SignedAttributes,
    attrs_der: Vec<u8>,
    attrs_digest: Vec<u8>,
    /// The input's file name, for signers that show what is being signed.
    label: String,
    cert: Certificate,
    chain: Vec<Certificate>,
    /// TSAs for B-T, the one that answered the size probe first.
    tsa_urls: Vec<String>,
}

impl Prepared {
    /// The request to hand to the signer.
    pub fn request(&self) -> SignRequest<'_> {
        SignRequest {
            message: &self.attrs_der,
            digest: &self.attrs_digest,
            hash: self.hash,
            scheme: self.scheme,
            label: &self.label,
        }
    }

    /// Embeds the signature value and moves the file into place. A value that does not verify
    /// with the certificate is refused and nothing is written.
    pub fn finish(self, signature: &[u8]) -> Result<SignOutcome, Error> {
        let alg = self.scheme.algorithm_identifier(self.hash)?;
        let spki = &self.cert.tbs_certificate.subject_public_key_info;
        crypto::verify(spki, &alg, Some(self.hash), &self.attrs_der, signature)
            .map_err(|_| crate::signer::SignerError::WrongKey)?;
        // B-T: the signature timestamp covers the signature value (ETSI EN 319 122-1 §5.3).
        let token = if self.tsa_urls.is_empty() {
            None
        } else {
            let t = tsa::timestamp(&self.tsa_urls, self.hash, &self.hash.digest(signature))
                .map_err(|e| Error::Timestamp(e.0.join("; ")))?;
            Some(t)
        };
        let unsigned_attrs = token
            .as_ref()
            .map(|t| build::timestamp_attribute(&t.der))
            .transpose()?;
        let cms = build::assemble(build::Assemble {
            hash: self.hash,
            signed_attrs: self.signed_attrs,
            signature_algorithm: alg,
            signature,
            signer: &self.cert,
            certificates: &self.chain,
            unsigned_attrs,
        })?;
        let cms_len = cms.len();
        let (output, field, byte_range, reserved, digests) = self.reserved.embed(&cms)?;
        Ok(SignOutcome {
            output,
            field,
            signer: cert::identity(&self.cert),
            certificate_sha256: cert::fingerprint(&self.cert),
            byte_range,
            cms_len,
            reserved,
            hash: self.hash,
            scheme: self.scheme,
            timestamp: token.as_ref().map(|t| t.time),
            tsa_url: token.map(|t| t.url),
            digests,
        })
    }
}

/// Renames the finished temporary file into place; an existing output (without `force`)
/// is [`Error::OutputExists`].
pub(crate) fn persist(tmp: tempfile::NamedTempFile, output: &Path, force: bool) -> Result<(), Error> {
    crate::files::persist(tmp, output, force).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::OutputExists(output.display().to_string())
        } else {
            Error::Io(e)
        }
    })
}

/// Writes `bytes` as the new file `output` (a signed XML file, a detached signature): into a
/// temporary file beside it, flushed, then renamed — never over an existing file unless
/// `force`.
pub(crate) fn write_new(output: &Path, input: &Path, bytes: &[u8], force: bool) -> Result<(), Error> {
    let mut tmp = temp_beside(output, input)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    persist(tmp, output, force)
}

/// The refusals that depend only on the document (damaged, encrypted, certified with no
/// changes allowed), for callers to run before asking for a PIN. [`prepare`] checks them too.
pub fn check_document(input: &Path) -> Result<(), Error> {
    let pdf = Pdf::open(FileSource::new(File::open(input)?)?)?;
    if pdf.reconstructed {
        return Err(Error::Damaged);
    }
    if pdf.trailer().get(b"Encrypt").is_some() {
        return Err(Error::Encrypted);
    }
    // An update numbers its objects from /Size: past the format's limit they could not be
    // written, so say so now, before the PIN is asked for.
    let limit = pdf::budget::MAX_OBJECT_NUMBER;
    let declared = pdf.trailer().get_int(b"Size").unwrap_or(0);
    if pdf.size() > limit || declared > i64::from(limit) {
        return Err(pdf::PdfError::TooComplex("/Size past the PDF limit of 8,388,607").into());
    }
    let (_, catalog) = pdf::catalog(&pdf)?;
    field::refuse_if_locked(&pdf, &catalog)
}

/// Asks the TSAs for a timestamp of a dummy hash: finds one that answers (it goes first in
/// the returned list) and learns how much room its tokens need. Callers may run it before
/// asking for a PIN, so a TSA that is down stops the signing before anything is asked.
pub fn probe_tsa(urls: &[String], hash: HashAlg) -> Result<(Vec<String>, usize), Error> {
    if urls.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let probe = tsa::timestamp(urls, hash, &hash.digest(b"kyso size probe"))
        .map_err(|e| Error::Timestamp(e.0.join("; ")))?;
    let mut ordered = vec![probe.url.clone()];
    ordered.extend(urls.iter().filter(|u| **u != probe.url).cloned());
    // Room for the attribute wrapping and for a longer serial, nonce or time.
    Ok((ordered, probe.der.len() + 512))
}

/// Adds the signature dictionary `sig` (its `/ByteRange` and `/Contents` become fixed-width
/// slots of `contents_len` bytes) and its field to `update`, writes the document plus the
/// update to a temporary file beside `output`, and hashes the byte ranges with `hash`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn reserve<S: pdf::Source>(
    input: &Path,
    output: &Path,
    force: bool,
    hash: HashAlg,
    pdf: &Pdf<S>,
    catalog: &pdf::Dict,
    cat_ref: pdf::ObjRef,
    mut update: Update,
    mut sig: pdf::Dict,
    contents_len: usize,
    field_name: Option<&str>,
    visible: Option<field::Visible>,
    lock: Option<&crate::pdf::permissions::FieldLock>,
    before: &std::fs::Metadata,
) -> Result<Reserved, Error> {
    sig.set(
        b"ByteRange",
        Object::Placeholder(pdf::object::Placeholder::ByteRange),
    );
    sig.set(
        b"Contents",
        Object::Placeholder(pdf::object::Placeholder::Contents(contents_len)),
    );
    // Only a DocMDP reference makes a certification; a FieldMDP lock alone does not.
    let certifying = sig
        .get(b"Reference")
        .and_then(Object::as_array)
        .unwrap_or_default()
        .iter()
        .any(|r| {
            r.as_dict()
                .is_some_and(|d| d.name_is(b"TransformMethod", b"DocMDP"))
        });
    let sig_ref = update.add(Object::Dict(sig));
    let field_name = field::attach(
        pdf,
        catalog,
        cat_ref,
        &mut update,
        sig_ref,
        field::Target {
            name: field_name,
            visible,
            lock,
        },
    )?;
    if certifying {
        // A certification signature is named in the catalog's /Perms (ISO 32000-2 §12.8.4).
        let mut cat = update
            .get(cat_ref)
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_else(|| catalog.clone());
        let mut perms = pdf::Dict::new();
        perms.set(b"DocMDP", Object::Ref(sig_ref));
        cat.set(b"Perms", Object::Dict(perms));
        update.put(cat_ref, Object::Dict(cat));
    }

    let base = Base::of(pdf);
    let mut written = update.write(&base)?;
    let (contents_at, n) = written
        .contents_at
        .ok_or(Error::Internal("no /Contents placeholder"))?;
    let br_at = written
        .byte_range_at
        .ok_or(Error::Internal("no /ByteRange placeholder"))?;
    let total = base.file_len + written.bytes.len() as u64;
    let hole_end = contents_at + 2 * n as u64 + 2;
    let byte_range = ByteRange::around(contents_at, hole_end, total);
    let text = byte_range
        .placeholder_text()
        .ok_or(Error::Internal("byte range too wide"))?;
    let rel = usize::try_from(br_at - base.file_len).map_err(|_| Error::Internal("offset"))?;
    written
        .bytes
        .get_mut(rel..rel + text.len())
        .ok_or(Error::Internal("byte range offset"))?
        .copy_from_slice(&text);

    // Copy the original into the temp file (kernel copy) while hashing it on this thread.
    let mut tmp = temp_beside(output, input)?;
    let mut copy_dst = tmp.as_file().try_clone()?;
    let mut copy_src = File::open(input)?;
    // The copy is flushed to disk here, overlapping the hashing, so the final fsync only
    // has the small appended part left to write.
    let copier = std::thread::spawn(move || {
        let n = std::io::copy(&mut copy_src, &mut copy_dst)?;
        copy_dst.sync_data()?;
        Ok::<u64, std::io::Error>(n)
    });
    let mut hasher = Hasher::new(hash);
    byterange::stream_range(pdf.source(), 0, base.file_len, &mut |b| hasher.update(b))?;
    let input_state = (hash == HashAlg::Sha256).then(|| hasher.clone());
    let hole_start_rel =
        usize::try_from(contents_at - base.file_len).map_err(|_| Error::Internal("offset"))?;
    let hole_end_rel = usize::try_from(hole_end - base.file_len).map_err(|_| Error::Internal("offset"))?;
    hasher.update(written.bytes.get(..hole_start_rel).unwrap_or_default());
    hasher.update(written.bytes.get(hole_end_rel..).unwrap_or_default());
    let copied = copier
        .join()
        .map_err(|_| Error::Internal("copy thread panicked"))??;
    if copied != base.file_len {
        return Err(Error::InputChanged);
    }
    let f = tmp.as_file_mut();
    f.seek(SeekFrom::Start(base.file_len))?;
    f.write_all(&written.bytes)?;
    // The input must not have changed under us (else the hash and the copy could differ).
    let after = std::fs::metadata(input)?;
    if after.len() != before.len() || after.modified().ok() != before.modified().ok() {
        return Err(Error::InputChanged);
    }

    Ok(Reserved {
        tmp,
        output: output.to_path_buf(),
        force,
        contents_at,
        reserved: n,
        byte_range,
        field: field_name,
        digest: hasher.finish(),
        input_state,
        hole_rel: hole_start_rel,
        appended: written.bytes,
    })
}

/// Where a visible signature goes (an existing field's rectangle, else the spec's page and
/// rectangle) and its appearance, added to `update`.
fn visible_widget<S: pdf::Source>(
    pdf: &Pdf<S>,
    catalog: &pdf::Dict,
    spec: &crate::appearance::visible::Spec,
    field_name: Option<&str>,
    update: &mut Update,
) -> Result<field::Visible, Error> {
    use crate::appearance::visible::{self, PageBox};
    let existing = match field_name {
        Some(n) => field::existing_widget(pdf, catalog, n)?,
        None => None,
    };
    let index = spec.page.max(1) - 1;
    let (page, rect) = match (existing, &spec.place) {
        (Some(e), _) => e,
        (None, Some(place)) => {
            let (_, page) = pdf::page(pdf, catalog, index)?;
            let geo = PageBox::of(pdf, &page);
            let (dw, dh) = geo.displayed();
            let r = match place {
                visible::Place::Rect(r) => geo.rect(*r),
                &visible::Place::TopRight(w, h) => {
                    geo.rect([dw - 20.0 - w, dh - 20.0 - h, dw - 20.0, dh - 20.0])
                }
                &visible::Place::TopLeft(w, h) => geo.rect([20.0, dh - 20.0 - h, 20.0 + w, dh - 20.0]),
                visible::Place::Anchor {
                    text,
                    width,
                    height,
                    at,
                } => {
                    let (p, r) = find_anchor(pdf, catalog, text, *width, *height, *at)?;
                    return finish_visible(pdf, catalog, spec, p, r, update);
                }
                &visible::Place::OverLastSignature(w, h) => {
                    let (p, lr) = field::last_visible_signature(pdf, catalog)?
                        .ok_or_else(|| Error::from(AppearanceError::NothingToSeal))?;
                    // Page coordinates already: the seal's right edge at a third of the
                    // leader's box, centred on it vertically.
                    let right = lr[0] + (lr[2] - lr[0]) / 3.0;
                    let cy = (lr[1] + lr[3]) / 2.0;
                    return finish_visible(
                        pdf,
                        catalog,
                        spec,
                        p,
                        [right - w, cy - h / 2.0, right, cy + h / 2.0],
                        update,
                    );
                }
            };
            (index, r)
        }
        (None, None) => return Err(AppearanceError::PlaceMissing.into()),
    };
    finish_visible(pdf, catalog, spec, page, rect, update)
}

/// The first page showing `text`, and the box placed beside it there (page coordinates).
fn find_anchor<S: pdf::Source>(
    pdf: &Pdf<S>,
    catalog: &pdf::Dict,
    text: &str,
    w: f32,
    h: f32,
    at: crate::appearance::visible::AnchorAt,
) -> Result<(usize, [f32; 4]), Error> {
    use crate::appearance::visible::PageBox;
    let pages = pdf::page_count(pdf, catalog)?.min(2000);
    for i in 0..pages {
        let (_, page) = pdf::page(pdf, catalog, i)?;
        if let Some(b) = pdf::text::find(pdf, &page, text)? {
            return Ok((i, PageBox::of(pdf, &page).beside(b, w, h, at)));
        }
    }
    Err(AppearanceError::AnchorNotFound(text.to_string()).into())
}

fn finish_visible<S: pdf::Source>(
    pdf: &Pdf<S>,
    catalog: &pdf::Dict,
    spec: &crate::appearance::visible::Spec,
    page: usize,
    rect: [f32; 4],
    update: &mut Update,
) -> Result<field::Visible, Error> {
    use crate::appearance::visible::{self, PageBox};
    let (_, page_dict) = pdf::page(pdf, catalog, page)?;
    let rotate = PageBox::of(pdf, &page_dict).rotate;
    let ap =
        visible::build(spec, rect, rotate, update).map_err(|e| AppearanceError::Drawing(e.to_string()))?;
    Ok(field::Visible { page, rect, ap })
}

/// Stage 1: everything up to the signature value.
pub fn prepare(
    input: &Path,
    output: &Path,
    cert: &Certificate,
    chain: &[Certificate],
    kind: crypto::KeyKind,
    opts: &SignOptions,
) -> Result<Prepared, Error> {
    let scheme = opts.scheme.unwrap_or(match kind {
        crypto::KeyKind::Rsa { .. } => Scheme::RsaPkcs1,
        crypto::KeyKind::Ec { .. } => Scheme::Ecdsa,
    });
    check_policy(cert, kind, opts.hash, scheme, opts.time)?;
    check_output(input, output, opts.force)?;

    let file = File::open(input)?;
    let before = file.metadata()?;
    let pdf = Pdf::open(FileSource::new(file)?)?;
    if pdf.reconstructed {
        return Err(Error::Damaged);
    }
    if pdf.trailer().get(b"Encrypt").is_some() {
        return Err(Error::Encrypted);
    }
    let (cat_ref, catalog) = pdf::catalog(&pdf)?;
    let cat_ref = cat_ref.ok_or(PdfError::Malformed {
        offset: 0,
        what: "document catalog is not an indirect object".into(),
    })?;
    field::refuse_if_locked(&pdf, &catalog)?;

    // Size /Contents from a CMS built with a maximal dummy signature.
    let dummy_digest = vec![0u8; opts.hash.output_len()];
    let dummy_attrs = build::signed_attributes(&AttrParams {
        hash: opts.hash,
        content_digest: &dummy_digest,
        signer: cert,
        signing_time: None,
    })?;
    let dummy_sig = vec![0xffu8; kind.max_signature_len()];
    let dummy = build::assemble(build::Assemble {
        hash: opts.hash,
        signed_attrs: dummy_attrs,
        signature_algorithm: scheme.algorithm_identifier(opts.hash)?,
        signature: &dummy_sig,
        signer: cert,
        certificates: chain,
        unsigned_attrs: None,
    })?;
    // B-T: the token's size is learnt from a real answer of the TSA (as pyHanko does), which
    // also finds an unreachable TSA before the PIN is used.
    let (tsa_urls, token_room) = match opts.tsa_room {
        Some(room) if !opts.tsa_urls.is_empty() => (opts.tsa_urls.clone(), room),
        _ => probe_tsa(&opts.tsa_urls, opts.hash)?,
    };
    let reserved = dummy.len() + 256 + token_room;

    let mut update = Update::new(pdf.size());
    let visible = match &opts.appearance {
        Some(spec) => Some(visible_widget(
            &pdf,
            &catalog,
            spec,
            opts.field.as_deref(),
            &mut update,
        )?),
        None => None,
    };
    let mut sig = pdf::Dict::new();
    sig.set(b"Type", Object::name(b"Sig"));
    sig.set(b"Filter", Object::name(b"Adobe.PPKLite"));
    sig.set(b"SubFilter", Object::name(b"ETSI.CAdES.detached"));
    sig.set(b"M", Object::string(crate::timefmt::pdf_date(opts.time)));
    for (key, value) in [
        (&b"Reason"[..], &opts.reason),
        (b"Location", &opts.location),
        (b"ContactInfo", &opts.contact_info),
    ] {
        if let Some(v) = value {
            sig.set(key, pdf::object::text_string(v));
        }
    }
    if let Some(cn) = cert::identity(cert).common_name {
        sig.set(b"Name", pdf::object::text_string(&cn));
    }
    if let Some(p) = opts.certify {
        if !(1..=3).contains(&p) {
            return Err(Refusal::CertifyLevel(p).into());
        }
        let already_signed = pdf::fields(&pdf, &catalog)?
            .iter()
            .any(|f| f.field_type.as_deref() == Some(b"Sig") && f.value.is_some());
        if already_signed {
            return Err(Refusal::CertifyNotFirst.into());
        }
        let mut params = pdf::Dict::new();
        params.set(b"Type", Object::name(b"TransformParams"));
        params.set(b"P", Object::Int(i64::from(p)));
        params.set(b"V", Object::name(b"1.2"));
        let mut reference = pdf::Dict::new();
        reference.set(b"Type", Object::name(b"SigRef"));
        reference.set(b"TransformMethod", Object::name(b"DocMDP"));
        reference.set(b"TransformParams", Object::Dict(params));
        sig.set(b"Reference", Object::Array(vec![Object::Dict(reference)]));
    }
    // The lock asked for, else the one the field being signed asks of its signer.
    let lock = opts.lock_fields.clone().or_else(|| {
        let name = opts.field.as_deref()?;
        let fields = pdf::fields(&pdf, &catalog).ok()?;
        let f = fields.iter().find(|f| f.name == name)?;
        crate::pdf::permissions::FieldLock::of_field(&pdf, &f.dict)
    });
    if let Some(lock) = &lock {
        // FieldMDP in the signature's /Reference, which validators read (ISO 32000-2
        // §12.8.2.4).
        let mut params = lock.to_dict(b"TransformParams");
        params.set(b"V", Object::name(b"1.2"));
        let mut reference = pdf::Dict::new();
        reference.set(b"Type", Object::name(b"SigRef"));
        reference.set(b"TransformMethod", Object::name(b"FieldMDP"));
        reference.set(b"TransformParams", Object::Dict(params));
        let mut refs = sig
            .get(b"Reference")
            .and_then(Object::as_array)
            .map(<[Object]>::to_vec)
            .unwrap_or_default();
        refs.push(Object::Dict(reference));
        sig.set(b"Reference", Object::Array(refs));
    }
    let reserved = reserve(
        input,
        output,
        opts.force,
        opts.hash,
        &pdf,
        &catalog,
        cat_ref,
        update,
        sig,
        reserved,
        opts.field.as_deref(),
        visible,
        lock.as_ref(),
        &before,
    )?;
    let content_digest = reserved.digest.clone();

    let signed_attrs = build::signed_attributes(&AttrParams {
        hash: opts.hash,
        content_digest: &content_digest,
        signer: cert,
        signing_time: None,
    })?;
    let attrs_der = build::signed_attributes_der(&signed_attrs)?;
    let attrs_digest = opts.hash.digest(&attrs_der);
    Ok(Prepared {
        reserved,
        hash: opts.hash,
        scheme,
        signed_attrs,
        attrs_der,
        attrs_digest,
        label: input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        cert: cert.clone(),
        chain: chain.to_vec(),
        tsa_urls,
    })
}

/// Signs `input` into `output` with `signer` (both stages).
pub fn sign_pdf(
    input: &Path,
    output: &Path,
    signer: &mut dyn Signer,
    opts: &SignOptions,
) -> Result<SignOutcome, Error> {
    let cert = signer.certificate().clone();
    let chain = signer.chain().to_vec();
    let prepared = prepare(input, output, &cert, &chain, signer.key_kind(), opts)?;
    let value = signer.sign(&prepared.request())?;
    prepared.finish(&value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use der::Encode;
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};

    use super::*;
    use crate::cms::parse;
    use crate::crypto::{Curve, KeyKind};
    use crate::testkit::cms::{self as kit, KeySigner};
    use crate::testkit::pdf::{base, Doc};

    const P256: KeyKind = KeyKind::Ec { curve: Curve::P256 };
    /// Inside the kit certificate's validity (1,600,000,000 – 2,000,000,000).
    const DURING: i64 = 1_700_000_000;

    fn code(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
        r.expect_err("a refusal").code()
    }

    /// A folder holding `in.pdf` with `bytes`.
    fn folder(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.pdf");
        std::fs::write(&input, bytes).unwrap();
        (dir, input)
    }

    /// The names in `dir`, sorted: a left-over temporary file shows here.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn the_policy_accepts_a_p256_key_with_sha256_while_the_certificate_is_valid() {
        check_policy(&kit::signer(), P256, HashAlg::Sha256, Scheme::Ecdsa, DURING).unwrap();
        check_policy(&kit::signer(), P256, HashAlg::Sha384, Scheme::Ecdsa, DURING).unwrap();
    }

    #[test]
    fn the_policy_refuses_sha1_weak_keys_and_a_scheme_that_does_not_fit() {
        let cert = kit::signer();
        let r = check_policy(&cert, P256, HashAlg::Sha1, Scheme::Ecdsa, DURING);
        assert!(matches!(r, Err(Error::Policy(Refusal::WeakHash(_)))), "{r:?}");
        let rsa1024 = KeyKind::Rsa { bits: 1024 };
        let r = check_policy(&cert, rsa1024, HashAlg::Sha256, Scheme::RsaPkcs1, DURING);
        assert!(matches!(r, Err(Error::Policy(Refusal::WeakKey(_)))), "{r:?}");
        assert_eq!(code(r), "POLICY");
        let r = check_policy(&cert, P256, HashAlg::Sha256, Scheme::RsaPkcs1, DURING);
        assert!(matches!(r, Err(Error::Policy(Refusal::SchemeMismatch))), "{r:?}");
        let rsa = KeyKind::Rsa { bits: 2048 };
        let r = check_policy(&cert, rsa, HashAlg::Sha256, Scheme::Ecdsa, DURING);
        assert!(matches!(r, Err(Error::Policy(Refusal::SchemeMismatch))), "{r:?}");
        check_policy(&cert, rsa, HashAlg::Sha256, Scheme::RsaPss, DURING).unwrap();
    }

    #[test]
    fn the_policy_refuses_a_certificate_outside_its_validity_at_the_signing_time() {
        let cert = kit::signer();
        let r = check_policy(&cert, P256, HashAlg::Sha256, Scheme::Ecdsa, 2_000_000_001);
        assert!(
            matches!(&r, Err(Error::CertificateExpired { not_after }) if not_after == "2033-05-18T03:33:20Z"),
            "{r:?}"
        );
        assert_eq!(code(r), "CERT_EXPIRED");
        let r = check_policy(&cert, P256, HashAlg::Sha256, Scheme::Ecdsa, 1_599_999_999);
        assert_eq!(code(r), "CERT_NOT_YET_VALID");
        // The last second of validity still signs.
        check_policy(&cert, P256, HashAlg::Sha256, Scheme::Ecdsa, 2_000_000_000).unwrap();
    }

    #[test]
    fn the_policy_refuses_a_certificate_not_meant_for_documents_or_a_ca() {
        use const_oid::db::rfc5280::{ID_CE_BASIC_CONSTRAINTS, ID_CE_KEY_USAGE};
        let certs_only = KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign);
        let cert = kit::signer_with(vec![kit::extension(ID_CE_KEY_USAGE, true, &certs_only)]);
        let r = check_policy(&cert, P256, HashAlg::Sha256, Scheme::Ecdsa, DURING);
        assert!(matches!(r, Err(Error::Policy(Refusal::KeyUsage))), "{r:?}");
        let ca = BasicConstraints {
            ca: true,
            path_len_constraint: None,
        };
        let cert = kit::signer_with(vec![kit::extension(ID_CE_BASIC_CONSTRAINTS, true, &ca)]);
        let r = check_policy(&cert, P256, HashAlg::Sha256, Scheme::Ecdsa, DURING);
        assert!(matches!(r, Err(Error::Policy(Refusal::KeyUsage))), "{r:?}");
        // nonRepudiation alone is a document signer's usage.
        let nr = KeyUsage(KeyUsages::NonRepudiation.into());
        let cert = kit::signer_with(vec![kit::extension(ID_CE_KEY_USAGE, true, &nr)]);
        check_policy(&cert, P256, HashAlg::Sha256, Scheme::Ecdsa, DURING).unwrap();
    }

    #[test]
    fn the_output_is_never_the_input_and_never_an_existing_file_without_force() {
        let (dir, input) = folder(b"%PDF-1.7\n");
        let out = dir.path().join("out.pdf");
        check_output(&input, &out, false).unwrap();
        assert_eq!(code(check_output(&input, &input, true)), "SAME_FILE");
        // The same file by another spelling of its path.
        let other = dir.path().join(".").join("in.pdf");
        assert_eq!(code(check_output(&input, &other, true)), "SAME_FILE");
        std::fs::write(&out, b"mine").unwrap();
        assert_eq!(code(check_output(&input, &out, false)), "OUTPUT_EXISTS");
        check_output(&input, &out, true).unwrap();
    }

    #[test]
    fn write_new_writes_the_bytes_and_replaces_a_file_only_with_force() {
        let (dir, input) = folder(b"input");
        let out = dir.path().join("out.p7s");
        write_new(&out, &input, b"first", false).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"first");
        let r = write_new(&out, &input, b"second", false);
        assert!(
            matches!(&r, Err(Error::OutputExists(p)) if p == &out.display().to_string()),
            "{r:?}"
        );
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"first",
            "the existing file is untouched"
        );
        write_new(&out, &input, b"third", true).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"third");
        // The temporary file beside it was renamed, or removed when refused.
        assert_eq!(names(dir.path()), ["in.pdf", "out.p7s"]);
        assert_eq!(std::fs::read(&input).unwrap(), b"input");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_takes_the_inputs_permissions_plus_owner_write() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, input) = folder(b"input");
        std::fs::set_permissions(&input, std::fs::Permissions::from_mode(0o444)).unwrap();
        let out = dir.path().join("out.p7s");
        write_new(&out, &input, b"x", false).unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }

    /// `base()` certified at DocMDP level `p`.
    fn certified(p: &str) -> Doc {
        base().update(&[
            (
                1,
                "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R/Perms<</DocMDP 9 0 R>>>>",
            ),
            (
                9,
                &format!("<</Type/Sig/Reference[<</Type/SigRef/TransformMethod/DocMDP/TransformParams<</P {p}>>>>]>>"),
            ),
        ])
    }

    #[test]
    fn check_document_passes_a_plain_pdf_and_refuses_what_cannot_be_signed() {
        let (_d, input) = folder(base().bytes());
        check_document(&input).unwrap();
        let (_d, input) = folder(certified("2").bytes());
        check_document(&input).unwrap();
        let (_d, input) = folder(certified("1").bytes());
        assert_eq!(code(check_document(&input)), "CERTIFIED_NO_CHANGES");
        // Out of range counts as the strictest level.
        let (_d, input) = folder(certified("7").bytes());
        assert_eq!(code(check_document(&input)), "CERTIFIED_NO_CHANGES");
        let encrypted = base()
            .with_trailer("/Encrypt<</Filter/Standard/V 2/R 3/O(x)/U(y)/P -4>>")
            .update(&[(9, "<<>>")]);
        let (_d, input) = folder(encrypted.bytes());
        assert_eq!(code(check_document(&input)), "ENCRYPTED_PDF");
        let (_d, input) = folder(b"not a pdf at all");
        assert_eq!(code(check_document(&input)), "NOT_PDF");
    }

    #[test]
    fn check_document_refuses_a_file_whose_cross_references_are_broken() {
        // The xref offset points into the header: the reader rebuilds the table by scanning,
        // and a signature must not be added to a guess.
        let bytes = base().bytes().to_vec();
        let at = bytes.windows(10).rposition(|w| w == b"startxref\n").unwrap() + 10;
        let mut broken = bytes[..at].to_vec();
        broken.extend_from_slice(b"3\n%%EOF\n");
        let (_d, input) = folder(&broken);
        assert_eq!(code(check_document(&input)), "DAMAGED_PDF");
    }

    fn options() -> SignOptions {
        SignOptions {
            time: DURING,
            ..SignOptions::default()
        }
    }

    #[test]
    fn sign_pdf_appends_a_signature_whose_byte_range_and_cms_verify() {
        let original = base().bytes().to_vec();
        let (dir, input) = folder(&original);
        let out = dir.path().join("out.pdf");
        let mut signer = KeySigner::default();
        let outcome = sign_pdf(&input, &out, &mut signer, &options()).unwrap();
        assert_eq!(signer.calls, 1);
        assert_eq!(outcome.field, "Signature1");
        assert_eq!(outcome.output, out);
        assert_eq!(std::fs::read(&input).unwrap(), original, "the input is only read");
        assert_eq!(names(dir.path()), ["in.pdf", "out.pdf"]);
        let signed = std::fs::read(&out).unwrap();
        assert!(signed.starts_with(&original), "an incremental update");
        // The byte range covers the whole file but the /Contents hole.
        let [a, b, c, d] = outcome.byte_range.0.map(|v| v as usize);
        assert_eq!((a, c + d), (0, signed.len()));
        assert_eq!((signed[b], signed[c - 1]), (b'<', b'>'));
        assert_eq!(c - b, 2 * outcome.reserved + 2);
        let cms = hex::decode(&signed[b + 1..c - 1]).unwrap();
        let sd = parse::parse(&cms).unwrap();
        assert_eq!(sd.der_len, outcome.cms_len);
        let si = &sd.signer_infos[0];
        let covered = [&signed[..b], &signed[c..]].concat();
        assert_eq!(si.message_digest(), Some(HashAlg::Sha256.digest(&covered)));
        kit::assert_signed_by_kit(si);
        // The journal's digests are those of the files as they are.
        assert_eq!(
            outcome.digests.input_sha256,
            Some(hex::encode(HashAlg::Sha256.digest(&original)))
        );
        assert_eq!(
            outcome.digests.output_sha256,
            Some(hex::encode(HashAlg::Sha256.digest(&signed)))
        );
        // The new field is a signed signature field of the document.
        let pdf = Pdf::open(signed).unwrap();
        let (_, catalog) = pdf::catalog(&pdf).unwrap();
        let fields = pdf::fields(&pdf, &catalog).unwrap();
        let f = fields.iter().find(|f| f.name == "Signature1").unwrap();
        assert_eq!(f.field_type.as_deref(), Some(&b"Sig"[..]));
        assert!(f.value.is_some());
        assert_eq!(
            sd.certificates[0].to_der().unwrap(),
            kit::signer().to_der().unwrap()
        );
    }

    #[test]
    fn an_existing_output_is_refused_before_the_signer_is_asked() {
        let (dir, input) = folder(base().bytes());
        let out = dir.path().join("out.pdf");
        std::fs::write(&out, b"someone's file").unwrap();
        let mut signer = KeySigner::default();
        assert_eq!(
            code(sign_pdf(&input, &out, &mut signer, &options())),
            "OUTPUT_EXISTS"
        );
        assert_eq!(
            signer.calls, 0,
            "no PIN is used for a signature that cannot be written"
        );
        assert_eq!(std::fs::read(&out).unwrap(), b"someone's file");
        let forced = SignOptions {
            force: true,
            ..options()
        };
        sign_pdf(&input, &out, &mut signer, &forced).unwrap();
        assert!(std::fs::read(&out).unwrap().starts_with(base().bytes()));
        assert_eq!(names(dir.path()), ["in.pdf", "out.pdf"]);
    }

    #[test]
    fn a_value_from_the_wrong_key_writes_nothing() {
        let (dir, input) = folder(base().bytes());
        let out = dir.path().join("out.pdf");
        let mut signer = KeySigner {
            wrong_key: true,
            ..KeySigner::default()
        };
        assert_eq!(code(sign_pdf(&input, &out, &mut signer, &options())), "WRONG_KEY");
        assert_eq!(signer.calls, 1);
        assert_eq!(names(dir.path()), ["in.pdf"], "no output, no temporary file left");
    }

    #[test]
    fn a_certification_level_outside_1_to_3_is_refused_and_only_first() {
        let (dir, input) = folder(base().bytes());
        let out = dir.path().join("out.pdf");
        let mut signer = KeySigner::default();
        let level4 = SignOptions {
            certify: Some(4),
            ..options()
        };
        let r = sign_pdf(&input, &out, &mut signer, &level4);
        assert!(matches!(r, Err(Error::Policy(Refusal::CertifyLevel(4)))), "{r:?}");
        let certify = SignOptions {
            certify: Some(2),
            ..options()
        };
        sign_pdf(&input, &out, &mut signer, &certify).unwrap();
        let again = dir.path().join("again.pdf");
        let r = sign_pdf(&out, &again, &mut signer, &certify);
        assert!(matches!(r, Err(Error::Policy(Refusal::CertifyNotFirst))), "{r:?}");
        // An approval signature after the certification is fine, in a new field.
        let outcome = sign_pdf(&out, &again, &mut signer, &options()).unwrap();
        assert_eq!(outcome.field, "Signature2");
        assert_eq!(signer.calls, 2);
    }
}
