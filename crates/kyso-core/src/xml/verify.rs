//! Verification: one finding per `Signature` element.
//!
//! References are resolved only inside the document (`URI=""` or `URI="#Id"`); anything else —
//! another file, a web address, an XPointer expression, an XSLT or XPath transform — is reported
//! and not followed. The signer certificate is extracted (DER) for Kyso's chain and revocation
//! machinery; this module does not decide trust.

use base64ct::{Base64, Encoding};
use der::Decode;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::Certificate;

use super::alg;
use super::c14n::{self, Document, Method, NodeId};
use super::dom::{self, IdIndex, Limits};
use super::profile::{self, Expect, Form, Profile};
use super::time::{self as st, SigningTime};
use super::{XmlError, DSIG_NS, ENVELOPED};
use crate::crypto::{self, HashAlg, KeyKind, Scheme};

/// What is wrong (or weak) with one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The structure is not an XMLDSig `Signature` (missing `SignedInfo`, …).
    Malformed(String),
    /// Algorithm not supported (or not allowed).
    UnsupportedAlgorithm(String),
    /// A transform other than enveloped-signature / C14N (XSLT, XPath, Base64, …): not run.
    UnsupportedTransform(String),
    /// A reference outside the document (file, web address) or an XPointer expression: not followed.
    ExternalReference(String),
    /// No element carries the referenced Id.
    TargetMissing(String),
    /// The referenced Id occurs more than once: which one was signed is ambiguous (wrapping).
    DuplicateId(String, usize),
    /// The digest of the referenced data does not match: the data changed after signing.
    DigestMismatch(String),
    /// The signature value does not verify over `SignedInfo`.
    SignatureValueInvalid,
    /// No usable certificate in `KeyInfo`.
    NoCertificate,
    /// The certificate could not be read.
    BadCertificate(String),
    /// `X509SubjectName` differs from the certificate's subject (informational).
    SubjectNameMismatch,
    /// No reference covers the data this profile expects (signature wrapping / wrong target).
    UnexpectedTarget {
        /// What the profile wants.
        expected: String,
        /// What was referenced.
        found: String,
    },
    /// A data reference points inside a `Signature` (a classic wrapping shape).
    TargetInsideSignature(String),
    /// The signature is not in any of the profile's slots (moved).
    UnexpectedLocation(String),
    /// SHA-1 (digest or signature): weak, flagged, not a failure by itself.
    Weak(String),
    /// `SigningTime` exists but no reference covers it (anyone could have changed it).
    SigningTimeUnsigned,
}

impl Problem {
    /// Makes the signature invalid (as opposed to a warning). For tests: verification judges
    /// each problem into a finding with its own verdict (`verify/xmldsig`).
    #[cfg(any(test, feature = "internals"))]
    pub fn is_failure(&self) -> bool {
        !matches!(
            self,
            Self::Weak(_) | Self::SubjectNameMismatch | Self::SigningTimeUnsigned
        )
    }
}

/// One reference.
#[derive(Clone, Debug)]
pub struct ReferenceResult {
    /// `URI` as written.
    pub uri: String,
    /// Resolved element's path (`/HDon/DLHDon`), if resolved.
    pub target_path: Option<String>,
    /// Digest algorithm.
    pub digest: Option<HashAlg>,
    /// Digest matched.
    pub digest_ok: bool,
    /// It points at this signature's own `Object`/`SignatureProperties`.
    pub is_signature_property: bool,
}

/// Result of the value check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueCheck {
    /// Verified with the certificate's key.
    Valid,
    /// Does not verify.
    Invalid,
    /// Not checked (no certificate, unsupported algorithm, malformed).
    NotChecked(String),
}

/// Everything found about one `Signature` element.
#[derive(Clone, Debug)]
pub struct XmlSignatureFinding {
    /// Where it is (`/HDon/DSCKS/NBan/Signature`).
    pub path: String,
    /// Its `Id`.
    pub id: Option<String>,
    /// `CanonicalizationMethod`.
    pub c14n: Option<String>,
    /// `SignatureMethod`.
    pub signature_method: Option<String>,
    /// The scheme and hash it names, when Kyso knows it.
    pub algorithm: Option<(Scheme, HashAlg)>,
    /// The profile slot it sits in (`NBan`, `Cky` …), when the file is a known form.
    pub slot: Option<&'static str>,
    /// References.
    pub references: Vec<ReferenceResult>,
    /// The value.
    pub value: ValueCheck,
    /// The signer certificate (DER): the one whose key verified, else the first.
    pub signer_cert_der: Option<Vec<u8>>,
    /// Other certificates in `KeyInfo` (for path building).
    pub other_certs_der: Vec<Vec<u8>>,
    /// `X509SubjectName` as written.
    pub subject_name: Option<String>,
    /// `SigningTime`.
    pub signing_time: Option<SigningTime>,
    /// Problems and warnings.
    pub problems: Vec<Problem>,
}

impl XmlSignatureFinding {
    /// The signature at `path` before anything of it is read.
    pub fn unread(path: String, id: Option<String>) -> Self {
        Self {
            path,
            id,
            c14n: None,
            signature_method: None,
            algorithm: None,
            slot: None,
            references: Vec::new(),
            value: ValueCheck::NotChecked(String::new()),
            signer_cert_der: None,
            other_certs_der: Vec::new(),
            subject_name: None,
            signing_time: None,
            problems: Vec::new(),
        }
    }

    /// Cryptographically intact and no wrapping finding (for tests; see `is_failure`).
    #[cfg(any(test, feature = "internals"))]
    pub fn is_valid(&self) -> bool {
        self.value == ValueCheck::Valid
            && !self.references.is_empty()
            && self.references.iter().all(|r| r.digest_ok)
            && !self.problems.iter().any(Problem::is_failure)
    }
}

/// Options.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// Limits.
    pub limits: Limits,
    /// The form whose slots and expected targets are checked (wrapping checks beyond
    /// duplicate Ids); detected from the document when `None`.
    pub form: Option<Form>,
}

/// Everything found in one file.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The form the file is (its profile's checks were applied).
    pub form: Option<Form>,
    /// Ids that occur more than once anywhere in the file, with their count.
    pub duplicate_ids: Vec<(String, usize)>,
    /// One finding per `Signature` element, in document order.
    pub signatures: Vec<XmlSignatureFinding>,
}

/// Checks every `Signature` element in the file. `Err` only when the file cannot be read
/// safely at all (too large, DTD, not well-formed).
pub fn signatures(xml: &[u8], opts: &VerifyOptions) -> Result<Checked, XmlError> {
    let (s, _) = dom::text(xml, &opts.limits)?;
    let doc = dom::parse(s, &opts.limits)?;
    let ids = IdIndex::build(&doc);
    let form = opts.form.or_else(|| profile::detect(&doc));
    let profile = form.map(Profile::of);
    let signatures = dom::signatures(&doc)
        .into_iter()
        .map(|sig| one(&doc, &ids, sig, profile.as_ref()))
        .collect();
    Ok(Checked {
        form,
        duplicate_ids: ids.duplicates(),
        signatures,
    })
}

fn one(doc: &Document<'_>, ids: &IdIndex, sig: NodeId, profile: Option<&Profile>) -> XmlSignatureFinding {
    let mut f = XmlSignatureFinding::unread(dom::path(doc, sig), dom::attr(doc, sig, "Id").map(str::to_string));
    let Some(si) = dom::dsig_child(doc, sig, "SignedInfo") else {
        f.problems.push(Problem::Malformed("no SignedInfo".into()));
        f.value = ValueCheck::NotChecked("no SignedInfo".into());
        return f;
    };
    let alg_of = |parent: NodeId, name: &str| {
        dom::dsig_child(doc, parent, name)
            .and_then(|n| dom::attr(doc, n, "Algorithm"))
            .map(str::to_string)
    };
    f.c14n = alg_of(si, "CanonicalizationMethod");
    f.signature_method = alg_of(si, "SignatureMethod");

    // References.
    let mut covered: Vec<NodeId> = Vec::new();
    for r in dom::children(doc, si).filter(|&r| dom::is(doc, r, DSIG_NS, "Reference")) {
        let (res, target) = reference(doc, ids, sig, r, &mut f.problems);
        // covered = referenced; whether the digest held is the reference's own finding
        if let Some(t) = target {
            covered.push(t);
        }
        f.references.push(res);
    }
    if f.references.is_empty() {
        f.problems.push(Problem::Malformed("no Reference".into()));
    }

    // Certificates.
    let mut certs: Vec<Vec<u8>> = Vec::new();
    if let Some(x509) = dom::dsig_child(doc, sig, "KeyInfo").and_then(|k| dom::dsig_child(doc, k, "X509Data"))
    {
        for c in dom::children(doc, x509) {
            if dom::is(doc, c, DSIG_NS, "X509Certificate") {
                match b64(&dom::text_of(doc, c)) {
                    Some(d) => certs.push(d),
                    None => f
                        .problems
                        .push(Problem::BadCertificate("X509Certificate is not base64".into())),
                }
            } else if dom::is(doc, c, DSIG_NS, "X509SubjectName") {
                f.subject_name = Some(dom::text_of(doc, c).trim().to_string());
            }
        }
    }

    // SignedInfo → value.
    let method = f.c14n.as_deref().and_then(Method::from_uri);
    let sig_alg = f.signature_method.as_deref().and_then(alg::signature_from_uri);
    f.algorithm = sig_alg;
    let value = dom::dsig_child(doc, sig, "SignatureValue")
        .map(|v| dom::text_of(doc, v))
        .and_then(|t| b64(&t));
    f.value = match (method, sig_alg, value) {
        (None, _, _) => {
            f.problems
                .push(Problem::UnsupportedAlgorithm(f.c14n.clone().unwrap_or_default()));
            ValueCheck::NotChecked("canonicalisation method".into())
        }
        (_, None, _) => {
            f.problems.push(Problem::UnsupportedAlgorithm(
                f.signature_method.clone().unwrap_or_default(),
            ));
            ValueCheck::NotChecked("signature method".into())
        }
        (_, _, None) => {
            f.problems
                .push(Problem::Malformed("SignatureValue missing or not base64".into()));
            ValueCheck::NotChecked("no value".into())
        }
        (Some(m), Some((scheme, hash)), Some(value)) => {
            if !hash.allowed_for_signing() {
                f.problems.push(Problem::Weak(format!(
                    "signature method {}",
                    f.signature_method.clone().unwrap_or_default()
                )));
            }
            let prefixes = inclusive_prefixes(doc, dom::dsig_child(doc, si, "CanonicalizationMethod"));
            let mut msg = Vec::new();
            match c14n::element(doc, si, m, &prefixes, &mut msg) {
                Err(e) => ValueCheck::NotChecked(e.to_string()),
                Ok(()) if certs.is_empty() => {
                    f.problems.push(Problem::NoCertificate);
                    ValueCheck::NotChecked("no certificate".into())
                }
                Ok(()) => {
                    // the certificate whose key verifies is the signer's
                    let mut result = ValueCheck::Invalid;
                    for (i, der) in certs.iter().enumerate() {
                        let Ok(cert) = Certificate::from_der(der) else {
                            f.problems
                                .push(Problem::BadCertificate(format!("certificate {i} is not X.509")));
                            continue;
                        };
                        let spki = &cert.tbs_certificate.subject_public_key_info;
                        if check_value(spki, scheme, hash, &msg, &value) {
                            f.signer_cert_der = Some(der.clone());
                            if let Some(n) = f.subject_name.as_ref().filter(|n| !n.is_empty()) {
                                if !same_name(n, &cert.tbs_certificate.subject.to_string()) {
                                    f.problems.push(Problem::SubjectNameMismatch);
                                }
                            }
                            result = ValueCheck::Valid;
                            break;
                        }
                    }
                    if result == ValueCheck::Invalid {
                        f.problems.push(Problem::SignatureValueInvalid);
                    }
                    result
                }
            }
        }
    };
    if f.signer_cert_der.is_none() {
        f.signer_cert_der = certs.first().cloned();
    }
    f.other_certs_der = certs
        .into_iter()
        .filter(|c| Some(c) != f.signer_cert_der.as_ref())
        .collect();

    // SigningTime: SignatureProperty[@Target="#<Id>"]/SigningTime in this Signature's Objects
    // (any namespace: some HTKK files put SignatureProperties in no namespace, xmlns="").
    let want_target = f.id.as_ref().map(|i| format!("#{i}"));
    let mut best: Option<(bool, NodeId)> = None;
    for n in doc.descendants(sig) {
        if dom::local_name(doc, n) == Some("SigningTime") {
            let prop = doc.parent(n);
            let targeted = prop.and_then(|p| dom::attr(doc, p, "Target")).map(str::to_string) == want_target
                && want_target.is_some();
            if best.is_none_or(|(t, _)| !t && targeted) {
                best = Some((targeted, n));
            }
        }
    }
    if let Some((_, n)) = best {
        f.signing_time = Some(st::parse(&dom::text_of(doc, n)));
        if !covered.iter().any(|&c| dom::within(doc, n, c)) {
            f.problems.push(Problem::SigningTimeUnsigned);
        }
    }

    // Wrapping: a data reference into a Signature (other than this one's own properties).
    let mut wrapped = Vec::new();
    for r in &f.references {
        if let Some(p) = &r.target_path {
            if !r.is_signature_property && (p.contains("/Signature/") || p.ends_with("/Signature")) {
                wrapped.push(Problem::TargetInsideSignature(p.clone()));
            }
        }
    }
    f.problems.extend(wrapped);
    if let Some(profile) = profile {
        let refs = f.references.clone();
        profile_checks(doc, sig, &refs, profile, &mut f);
    }
    f
}

fn profile_checks(
    doc: &Document<'_>,
    sig: NodeId,
    refs: &[ReferenceResult],
    profile: &Profile,
    f: &mut XmlSignatureFinding,
) {
    let parent = doc.parent(sig).unwrap_or(sig);
    let parent_plain = dom::plain_path(doc, parent);
    let Some(slot) = profile
        .slots
        .iter()
        .find(|s| dom::path_ends_with(&parent_plain, s.into))
    else {
        f.problems.push(Problem::UnexpectedLocation(format!(
            "{} is not a signature place of the {} form",
            dom::path(doc, parent),
            profile.name()
        )));
        return;
    };
    f.slot = Some(slot.name);
    let (expected, ok) = match &slot.expect {
        Expect::Path(p) => {
            // the target's position only: a digest failure is its own finding
            let ok = refs.iter().any(|r| {
                !r.is_signature_property
                    && r.target_path
                        .as_deref()
                        .is_some_and(|t| dom::path_ends_with(&strip_indexes(t), p))
            });
            ((*p).to_string(), ok)
        }
        Expect::SlotParent(name) => {
            let form = doc.parent(parent);
            let want = form.map(|x| dom::path(doc, x)).unwrap_or_default();
            let ok = form.is_some_and(|x| dom::local_name(doc, x) == Some(name))
                && refs
                    .iter()
                    .any(|r| r.target_path.as_deref() == Some(want.as_str()));
            (format!("{want} (the {name} holding this slot)"), ok)
        }
    };
    if !ok {
        let found = refs
            .iter()
            .filter(|r| !r.is_signature_property)
            .map(|r| r.target_path.clone().unwrap_or_else(|| r.uri.clone()))
            .collect::<Vec<_>>()
            .join(", ");
        f.problems.push(Problem::UnexpectedTarget { expected, found });
    }
}

fn strip_indexes(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut skip = false;
    for ch in p.chars() {
        match ch {
            '[' => skip = true,
            ']' => skip = false,
            c if !skip => out.push(c),
            _ => {}
        }
    }
    out
}

fn reference(
    doc: &Document<'_>,
    ids: &IdIndex,
    sig: NodeId,
    r: NodeId,
    problems: &mut Vec<Problem>,
) -> (ReferenceResult, Option<NodeId>) {
    let uri = dom::attr(doc, r, "URI").unwrap_or("").to_string();
    let transforms: Vec<(String, NodeId)> = dom::dsig_child(doc, r, "Transforms")
        .map(|t| {
            dom::children(doc, t)
                .filter(|&x| dom::is(doc, x, DSIG_NS, "Transform"))
                .map(|x| (dom::attr(doc, x, "Algorithm").unwrap_or("").to_string(), x))
                .collect()
        })
        .unwrap_or_default();
    let digest = dom::dsig_child(doc, r, "DigestMethod")
        .and_then(|d| dom::attr(doc, d, "Algorithm"))
        .and_then(alg::digest_from_uri);
    let mut res = ReferenceResult {
        uri: uri.clone(),
        target_path: None,
        digest,
        digest_ok: false,
        is_signature_property: false,
    };
    // Resolve, in the document only.
    let target = if uri.is_empty() {
        None
    } else if let Some(id) = uri.strip_prefix('#') {
        if id.starts_with("xpointer(") {
            problems.push(Problem::ExternalReference(uri.clone()));
            return (res, None);
        }
        match ids.get(id) {
            [] => {
                problems.push(Problem::TargetMissing(uri.clone()));
                return (res, None);
            }
            [one] => Some(*one),
            many => {
                problems.push(Problem::DuplicateId(id.to_string(), many.len()));
                return (res, None);
            }
        }
    } else {
        problems.push(Problem::ExternalReference(uri.clone()));
        return (res, None);
    };
    res.target_path = Some(target.map_or_else(|| "/".to_string(), |t| dom::path(doc, t)));
    res.is_signature_property = target.is_some_and(|t| {
        dom::within(doc, t, sig)
            && (dom::is(doc, t, DSIG_NS, "Object") || dom::is(doc, t, DSIG_NS, "SignatureProperties"))
    });
    let Some(digest) = digest else {
        problems.push(Problem::UnsupportedAlgorithm(
            dom::dsig_child(doc, r, "DigestMethod")
                .and_then(|d| dom::attr(doc, d, "Algorithm"))
                .unwrap_or("")
                .to_string(),
        ));
        return (res, target);
    };
    if !digest.allowed_for_signing() {
        problems.push(Problem::Weak(format!("digest {}", alg::digest_uri(digest))));
    }
    // Transforms: enveloped-signature and one canonicalisation, nothing else.
    let mut enveloped = false;
    let mut method = Method::C14n10;
    let mut prefixes = Vec::new();
    for (t, node) in &transforms {
        if t == ENVELOPED {
            enveloped = true;
        } else if let Some(m) = Method::from_uri(t) {
            method = m;
            prefixes = inclusive_prefixes(doc, Some(*node));
        } else {
            problems.push(Problem::UnsupportedTransform(t.clone()));
            return (res, target);
        }
    }
    let mut h = crypto::Hasher::new(digest);
    let exclude = if enveloped { Some(sig) } else { None };
    if let Err(e) = c14n::reference(doc, target, exclude, method, &prefixes, &mut h) {
        problems.push(Problem::Malformed(e.to_string()));
        return (res, target);
    }
    let want = dom::dsig_child(doc, r, "DigestValue")
        .map(|d| dom::text_of(doc, d))
        .and_then(|t| b64(&t));
    res.digest_ok = want.as_deref() == Some(h.finish().as_slice());
    if !res.digest_ok {
        problems.push(Problem::DigestMismatch(uri));
    }
    (res, target)
}

/// `InclusiveNamespaces/@PrefixList` of an exclusive C14N method or transform.
fn inclusive_prefixes(doc: &Document<'_>, method: Option<NodeId>) -> Vec<String> {
    method
        .and_then(|m| dom::children(doc, m).find(|&c| dom::local_name(doc, c) == Some("InclusiveNamespaces")))
        .and_then(|n| dom::attr(doc, n, "PrefixList"))
        .map(|l| {
            l.split_whitespace()
                .map(|p| {
                    if p == "#default" {
                        String::new()
                    } else {
                        p.to_string()
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Base64 with the line breaks and spaces real files have.
fn b64(t: &str) -> Option<Vec<u8>> {
    let clean: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    Base64::decode_vec(&clean).ok()
}

fn same_name(written: &str, subject: &str) -> bool {
    let norm = |s: &str| {
        let mut v: Vec<String> = s
            .split(',')
            .map(|p| p.trim().to_lowercase().replace(' ', ""))
            .collect();
        v.sort();
        v
    };
    norm(written) == norm(subject)
}

/// Checks a raw XMLDSig signature value (RSA PKCS#1 v1.5, or ECDSA r||s) over `msg`, with
/// the algorithm policy and verification of `crate::crypto`.
pub(crate) fn check_value(
    spki: &SubjectPublicKeyInfoOwned,
    scheme: Scheme,
    hash: HashAlg,
    msg: &[u8],
    value: &[u8],
) -> bool {
    let Ok(alg) = scheme.algorithm_identifier(hash) else {
        return false;
    };
    let sig = match (scheme, KeyKind::from_spki(spki)) {
        (Scheme::Ecdsa, Some(KeyKind::Ec { .. })) => match crypto::ecdsa_raw_to_der(value) {
            Some(d) => d,
            None => return false,
        },
        (Scheme::RsaPkcs1, Some(KeyKind::Rsa { .. })) => value.to_vec(),
        _ => return false,
    };
    crypto::verify_prehashed(spki, &alg, Some(hash), &hash.digest(msg), &sig).is_ok()
}
