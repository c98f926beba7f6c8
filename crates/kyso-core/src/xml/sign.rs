//! Split signing: [`check`] (what will be signed, where; every refusal, without a key) →
//! [`prepare`] → (token / .p12 / phone signs the digest) → [`Prepared::finish`].
//!
//! What is signed and where the signature goes comes from a [`Choice`]: a known form's
//! profile (detected, or named) picks the element and the next free slot; `reference` (an
//! Id) and `into` (a slot name or an element path) choose them explicitly. A file that is no
//! known form signs the element named by `reference` — or its only element with an Id, or
//! the whole document — and puts the signature after it, in its parent.

use base64ct::{Base64, Encoding};
use der::Encode;
use spki::SubjectPublicKeyInfoOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::c14n::{self, Document, Method, NodeId};
use super::dom::{self, IdIndex, Limits};
use super::profile::{self, Expect, Form, Profile, Slot};
use super::time::{self as st, TimeStyle};
use super::{alg, XmlError, DSIG_NS, ENVELOPED, TYPE_SIGNATURE_PROPERTIES};
use crate::crypto::{Curve, HashAlg, KeyKind, Scheme};

/// What the user chose about an XML signature.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    /// The form's profile; detected from the document when `None`.
    pub form: Option<Form>,
    /// The `Id` of the element to sign.
    pub reference: Option<String>,
    /// Where the `Signature` goes: a slot of the form (`NMua`, `CQT`) or an element path
    /// (`HDon/DSCKS/NMua`; for other files any `A/B/C`, matched at the end).
    pub into: Option<String>,
    /// Canonicalise `SignedInfo` with comments (`…#WithComments`).
    pub with_comments: bool,
}

/// Options.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// Digest and signature hash (SHA-256; SHA-1 is refused for new signatures).
    pub hash: HashAlg,
    /// Signing time.
    pub time: OffsetDateTime,
    /// How it is written.
    pub time_style: TimeStyle,
    /// Limits.
    pub limits: Limits,
}

impl SignOptions {
    /// Defaults at `time`.
    pub fn at(time: OffsetDateTime) -> Self {
        Self {
            hash: HashAlg::Sha256,
            time,
            time_style: TimeStyle::default(),
            limits: Limits::default(),
        }
    }
}

/// What a signing will do, decided before any key is used.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Planned {
    /// The form (`None`: no known form).
    pub form: Option<Form>,
    /// The form's slot (`NBan`, `Cky` …).
    pub slot: Option<&'static str>,
    /// Who signs there, (Vietnamese, English).
    pub slot_label: Option<(&'static str, &'static str)>,
    /// Where the `Signature` element goes (`/HDon/DSCKS/NBan`).
    pub slot_path: String,
    /// The element signed (`/HDon/DLHDon`; `/` for the whole document).
    pub reference_path: String,
    /// The reference's URI (`#DLHDon-…`, or empty for the whole document).
    pub reference_uri: String,
}

/// Which element a reference names.
#[derive(Clone, Debug, PartialEq, Eq)]
enum RefSpec {
    /// The element with this `Id`.
    Id(String),
    /// The element at this path; its `Id`/`id` attribute is used.
    Path(String),
    /// The whole document (`URI=""`).
    Document,
}

/// Where the `Signature` element goes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum IntoSpec {
    /// The element at this path.
    Path(String),
    /// The child element with this name of the referenced element (BHXH `ToKhai/Cky`).
    ChildOfReferenced(String),
    /// The referenced element's parent (the document element for the whole document).
    BesideReferenced,
}

/// What to sign and where the signature goes.
#[derive(Clone, Debug)]
struct Target {
    reference: RefSpec,
    also: Vec<RefSpec>,
    into: IntoSpec,
    signing_time: bool,
    /// A form's slot holds one signature; elsewhere signatures are appended.
    exclusive: bool,
}

impl Target {
    fn from_slot(s: &Slot, reference_id: Option<&str>) -> Self {
        let (reference, into) = match &s.expect {
            Expect::Path(p) => (
                reference_id.map_or_else(|| RefSpec::Path((*p).into()), |i| RefSpec::Id(i.into())),
                IntoSpec::Path(s.into.into()),
            ),
            Expect::SlotParent(_) => (
                reference_id.map_or(RefSpec::Document, |i| RefSpec::Id(i.into())),
                IntoSpec::ChildOfReferenced(s.into.into()),
            ),
        };
        Self {
            reference,
            also: s.also.iter().map(|p| RefSpec::Path((*p).into())).collect(),
            into,
            signing_time: s.signing_time,
            exclusive: true,
        }
    }
}

/// The target found in a document.
struct Located {
    form: Option<Form>,
    slot: Option<&'static Slot>,
    /// `None`: the whole document.
    reference: Option<NodeId>,
    reference_uri: String,
    also: Vec<(NodeId, String)>,
    into: NodeId,
    signing_time: bool,
}

/// The slots of the known profiles live as long as the program: a slot chosen is returned by
/// reference without copying the profile around.
fn static_profile(form: Form) -> &'static Profile {
    use std::sync::OnceLock;
    static P: OnceLock<[Profile; 3]> = OnceLock::new();
    let all = P.get_or_init(|| Form::ALL.map(Profile::of));
    match form {
        Form::Einvoice => &all[0],
        Form::Tax => &all[1],
        Form::Bhxh => &all[2],
    }
}

/// An element's `Id`, `id` or `ID`.
fn id_of<'d>(doc: &'d Document<'_>, n: NodeId) -> Option<&'d str> {
    ["Id", "id", "ID"].iter().find_map(|a| dom::attr(doc, n, a))
}

fn has_signature(doc: &Document<'_>, n: NodeId) -> bool {
    dom::dsig_child(doc, n, "Signature").is_some()
}

/// Whether slot `s` takes a signature over `reference` (an element of the document).
fn slot_fits(doc: &Document<'_>, s: &Slot, reference: NodeId) -> bool {
    match &s.expect {
        Expect::Path(p) => dom::path_ends_with(&dom::plain_path(doc, reference), p),
        Expect::SlotParent(name) => dom::local_name(doc, reference) == Some(name),
    }
}

/// The slot a form's signature goes to, and over what (for slots that sign their parent, the
/// form element's Id): the slot named, or the first of the usual ones that is free and fits
/// the element named.
fn choose_slot(
    doc: &Document<'_>,
    ids: &IdIndex,
    profile: &'static Profile,
    choice: &Choice,
) -> Result<(&'static Slot, Option<String>), XmlError> {
    let reference = match &choice.reference {
        Some(id) => Some(ids.unique(id)?),
        None => None,
    };
    let named = match &choice.into {
        Some(n) => Some(profile.slot(n).ok_or_else(|| XmlError::NotASlot {
            into: n.clone(),
            form: profile.name(),
            slots: profile.slot_names(),
        })?),
        None => None,
    };
    if let (Some(s), Some(r)) = (named, reference) {
        if !slot_fits(doc, s, r) {
            return Err(XmlError::WrongTarget {
                slot: s.name,
                expected: match &s.expect {
                    Expect::Path(p) => (*p).to_string(),
                    Expect::SlotParent(name) => format!("the {name} that holds it"),
                },
                found: dom::path(doc, r),
            });
        }
    }
    let candidates: Vec<&'static Slot> = match named {
        Some(s) => vec![s],
        None => profile.slots.iter().filter(|s| s.by_default).collect(),
    };
    for s in candidates {
        match (&s.expect, reference) {
            (_, Some(r)) if !slot_fits(doc, s, r) => continue,
            // a slot named by the user is used as it is: occupied or missing, `locate` says so
            (Expect::Path(_), _) if named.is_some() => return Ok((s, choice.reference.clone())),
            (Expect::Path(_), _) => {
                if let Ok(n) = dom::resolve_path(doc, s.into) {
                    if !has_signature(doc, n) {
                        return Ok((s, choice.reference.clone()));
                    }
                }
            }
            (Expect::SlotParent(_), Some(_)) => return Ok((s, choice.reference.clone())),
            (Expect::SlotParent(name), None) => {
                // the first form (in document order) whose slot is free
                let found = doc.descendants(doc.root()).into_iter().find(|&n| {
                    dom::local_name(doc, n) == Some(name)
                        && dom::children(doc, n)
                            .find(|&c| dom::local_name(doc, c) == Some(s.into))
                            .is_some_and(|c| !has_signature(doc, c))
                });
                if let Some(f) = found {
                    let id = id_of(doc, f).ok_or_else(|| {
                        XmlError::IdNotFound(format!("(no Id attribute on {})", dom::path(doc, f)))
                    })?;
                    return Ok((s, Some(id.to_string())));
                }
            }
        }
    }
    match (named, reference) {
        (Some(s), _) => Err(XmlError::SlotOccupied(s.name.into())),
        (None, Some(r)) => match profile.slots.iter().find(|s| slot_fits(doc, s, r)) {
            Some(s) => Err(XmlError::SlotOccupied(s.name.into())),
            None => Err(XmlError::NotASlot {
                into: format!("#{}", choice.reference.clone().unwrap_or_default()),
                form: profile.name(),
                slots: profile.slot_names(),
            }),
        },
        (None, None) => Err(XmlError::NoFreeSlot(profile.form.describe().1)),
    }
}

fn resolve_ref(doc: &Document<'_>, ids: &IdIndex, r: &RefSpec) -> Result<(Option<NodeId>, String), XmlError> {
    match r {
        RefSpec::Document => Ok((None, String::new())),
        RefSpec::Id(id) => Ok((Some(ids.unique(id)?), format!("#{id}"))),
        RefSpec::Path(p) => {
            let n = dom::resolve_path(doc, p)?;
            let id = id_of(doc, n)
                .ok_or_else(|| XmlError::IdNotFound(format!("(no Id attribute on {p})")))?
                .to_string();
            ids.unique(&id)?; // and it must be unique
            Ok((Some(n), format!("#{id}")))
        }
    }
}

/// The elements carrying an Id outside any `Signature` (those inside are signatures' own).
fn data_ids(doc: &Document<'_>) -> Vec<NodeId> {
    let sigs = dom::signatures(doc);
    doc.descendants(doc.root())
        .into_iter()
        .filter(|&n| id_of(doc, n).is_some() && !sigs.iter().any(|&s| dom::within(doc, n, s)))
        .collect()
}

fn locate(doc: &Document<'_>, ids: &IdIndex, choice: &Choice) -> Result<Located, XmlError> {
    let form = choice.form.or_else(|| profile::detect(doc));
    let (target, slot) = match form {
        Some(f) => {
            let profile = static_profile(f);
            let (slot, reference) = choose_slot(doc, ids, profile, choice)?;
            (Target::from_slot(slot, reference.as_deref()), Some(slot))
        }
        None => {
            let reference = match &choice.reference {
                Some(id) => RefSpec::Id(id.clone()),
                None => match data_ids(doc).as_slice() {
                    [] => RefSpec::Document,
                    [one] => RefSpec::Id(id_of(doc, *one).unwrap_or_default().to_string()),
                    many => {
                        let mut names: Vec<String> = many
                            .iter()
                            .take(5)
                            .map(|&n| id_of(doc, n).unwrap_or_default().to_string())
                            .collect();
                        if many.len() > 5 {
                            names.push("…".into());
                        }
                        return Err(XmlError::TargetUnclear(names.join(", ")));
                    }
                },
            };
            let into = match &choice.into {
                Some(p) => IntoSpec::Path(p.clone()),
                None => IntoSpec::BesideReferenced,
            };
            (
                Target {
                    reference,
                    also: Vec::new(),
                    into,
                    signing_time: true,
                    exclusive: false,
                },
                None,
            )
        }
    };
    let (reference, reference_uri) = resolve_ref(doc, ids, &target.reference)?;
    let also = target
        .also
        .iter()
        .map(|r| {
            let (n, uri) = resolve_ref(doc, ids, r)?;
            Ok((n.unwrap_or_else(|| doc.root()), uri))
        })
        .collect::<Result<Vec<_>, XmlError>>()?;
    let document_element = dom::children(doc, doc.root())
        .next()
        .ok_or_else(|| XmlError::Malformed("no document element".into()))?;
    let into = match &target.into {
        IntoSpec::Path(p) => dom::resolve_path(doc, p)?,
        IntoSpec::BesideReferenced => reference
            .and_then(|r| doc.parent(r))
            .filter(|p| dom::local_name(doc, *p).is_some())
            .unwrap_or(document_element),
        IntoSpec::ChildOfReferenced(name) => {
            let parent = reference.unwrap_or(document_element);
            let hits: Vec<NodeId> = dom::children(doc, parent)
                .filter(|&c| dom::local_name(doc, c) == Some(name))
                .collect();
            match hits.as_slice() {
                [one] => *one,
                [] => {
                    return Err(XmlError::PathNotFound(format!(
                        "{}/{name}",
                        dom::path(doc, parent)
                    )))
                }
                _ => {
                    return Err(XmlError::PathAmbiguous(format!(
                        "{}/{name}",
                        dom::path(doc, parent)
                    )))
                }
            }
        }
    };
    let slot_path = dom::path(doc, into);
    if target.exclusive && has_signature(doc, into) {
        return Err(XmlError::SlotOccupied(slot_path));
    }
    // The signature must not go inside what it signs (except the document as a whole, which
    // the enveloped-signature transform handles): its ancestors' context would change.
    // An existing signature whose referenced data contains the slot would break.
    for sig in dom::signatures(doc) {
        let Some(si) = dom::dsig_child(doc, sig, "SignedInfo") else {
            continue;
        };
        for r in dom::children(doc, si).filter(|&r| dom::is(doc, r, DSIG_NS, "Reference")) {
            let uri = dom::attr(doc, r, "URI").unwrap_or("");
            let covered = if uri.is_empty() {
                Some(doc.root())
            } else {
                uri.strip_prefix('#').and_then(|i| ids.get(i).first().copied())
            };
            if let Some(c) = covered {
                if dom::within(doc, into, c) && !dom::within(doc, into, sig) {
                    return Err(XmlError::WouldBreak {
                        slot: slot_path,
                        covered: if c == doc.root() {
                            "the whole document".into()
                        } else {
                            dom::path(doc, c)
                        },
                        by: dom::path(doc, sig),
                    });
                }
            }
        }
    }
    Ok(Located {
        form,
        slot,
        reference,
        reference_uri,
        also,
        into,
        signing_time: target.signing_time,
    })
}

fn planned(doc: &Document<'_>, l: &Located) -> Planned {
    Planned {
        form: l.form,
        slot: l.slot.map(|s| s.name),
        slot_label: l.slot.map(|s| s.label),
        slot_path: dom::path(doc, l.into),
        reference_path: l.reference.map_or_else(|| "/".into(), |r| dom::path(doc, r)),
        reference_uri: l.reference_uri.clone(),
    }
}

/// Decides what a signing of `xml` will sign and where, and refuses what cannot be signed
/// (a DTD, a duplicated or missing Id, an ambiguous or occupied slot, a place that would
/// break an existing signature) — without a key, so before any PIN is asked.
pub fn check(xml: &[u8], choice: &Choice, limits: &Limits) -> Result<Planned, XmlError> {
    let (s, _) = dom::text(xml, limits)?;
    let doc = dom::parse(s, limits)?;
    let ids = IdIndex::build(&doc);
    let l = locate(&doc, &ids, choice)?;
    Ok(planned(&doc, &l))
}

/// A signature waiting for its value.
#[derive(Debug)]
pub struct Prepared {
    /// The digest the signer signs (PKCS#1 v1.5 DigestInfo / ECDSA prehash input).
    pub digest_to_sign: Vec<u8>,
    /// The canonical `SignedInfo` (the message, for tokens that hash themselves).
    pub signed_info_c14n: Vec<u8>,
    /// Hash algorithm.
    pub hash: HashAlg,
    /// Scheme (from the certificate's key).
    pub scheme: Scheme,
    /// The `Id` given to the new `Signature`.
    pub signature_id: String,
    /// What was decided.
    pub planned: Planned,
    key: KeyKind,
    spki: SubjectPublicKeyInfoOwned,
    text: String,
    value_at: usize,
    bom: bool,
}

/// The scheme XMLDSig uses for a key (PKCS#1 v1.5 for RSA: the forms' validators expect it).
pub fn scheme_for(key: KeyKind) -> Result<Scheme, XmlError> {
    match key {
        KeyKind::Rsa { .. } => Ok(Scheme::RsaPkcs1),
        KeyKind::Ec {
            curve: Curve::P256 | Curve::P384,
        } => Ok(Scheme::Ecdsa),
        other => Err(XmlError::UnsupportedKey(other.describe())),
    }
}

/// XML-escapes text content / attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\r' => o.push_str("&#13;"),
            c => o.push(c),
        }
    }
    o
}

/// Builds the `Signature` in its slot and returns what the signer must sign. Refuses what
/// [`check`] refuses, and a key XMLDSig cannot use here.
pub fn prepare(
    xml: &[u8],
    choice: &Choice,
    cert: &Certificate,
    chain: &[Certificate],
    opts: &SignOptions,
) -> Result<Prepared, XmlError> {
    if !opts.hash.allowed_for_signing() {
        return Err(XmlError::UnsupportedKey(format!(
            "{} is not used for new signatures",
            opts.hash.name()
        )));
    }
    let spki = cert.tbs_certificate.subject_public_key_info.clone();
    let key =
        KeyKind::from_spki(&spki).ok_or_else(|| XmlError::UnsupportedKey(spki.algorithm.oid.to_string()))?;
    let scheme = scheme_for(key)?;
    let sig_method =
        alg::signature_uri(scheme, opts.hash).ok_or_else(|| XmlError::UnsupportedKey(key.describe()))?;
    let method = if choice.with_comments {
        Method::C14n10WithComments
    } else {
        Method::C14n10
    };
    let (s, bom) = dom::text(xml, &opts.limits)?;
    let doc = dom::parse(s, &opts.limits)?;
    let ids = IdIndex::build(&doc);
    let located = locate(&doc, &ids, choice)?;
    let planned = planned(&doc, &located);
    let slot = located.into;
    let slot_path = planned.slot_path.clone();

    // A fresh Signature Id (real files use the slot name, e.g. Id="NBan").
    let base = match located.slot {
        Some(s) => s.name.to_string(),
        None => "Signature".to_string(),
    };
    let mut sid = base.clone();
    let mut k = 1;
    while ids.contains(&sid) || ids.contains(&format!("{sid}-SigningTime")) {
        k += 1;
        sid = format!("{base}-{k}");
    }
    let time_id = format!("{sid}-SigningTime");

    // Digests of the data references, on the input document: the enveloped-signature
    // transform removes exactly the element about to be inserted, so the node set is the same.
    let mut digests = Vec::new();
    let mut h = crate::crypto::Hasher::new(opts.hash);
    c14n::reference(&doc, located.reference, None, Method::C14n10, &[], &mut h)?;
    digests.push(h.finish());
    for (n, _) in &located.also {
        let mut h = crate::crypto::Hasher::new(opts.hash);
        c14n::reference(&doc, Some(*n), None, Method::C14n10, &[], &mut h)?;
        digests.push(h.finish());
    }

    // The Signature element, DigestValues and SignatureValue empty for now.
    let dm = alg::digest_uri(opts.hash);
    let mut x = String::with_capacity(4096);
    x.push_str(&format!(
        "<Signature xmlns=\"{DSIG_NS}\" Id=\"{}\"><SignedInfo><CanonicalizationMethod Algorithm=\"{}\"/><SignatureMethod Algorithm=\"{sig_method}\"/>",
        escape(&sid),
        method.uri(),
    ));
    x.push_str(&format!(
        "<Reference URI=\"{}\"><Transforms><Transform Algorithm=\"{ENVELOPED}\"/></Transforms><DigestMethod Algorithm=\"{dm}\"/><DigestValue></DigestValue></Reference>",
        escape(&located.reference_uri)
    ));
    for (_, uri) in &located.also {
        x.push_str(&format!(
            "<Reference URI=\"{}\"><DigestMethod Algorithm=\"{dm}\"/><DigestValue></DigestValue></Reference>",
            escape(uri)
        ));
    }
    if located.signing_time {
        x.push_str(&format!(
            "<Reference Type=\"{TYPE_SIGNATURE_PROPERTIES}\" URI=\"#{}\"><DigestMethod Algorithm=\"{dm}\"/><DigestValue></DigestValue></Reference>",
            escape(&time_id)
        ));
    }
    x.push_str("</SignedInfo><SignatureValue></SignatureValue><KeyInfo><X509Data>");
    x.push_str(&format!(
        "<X509SubjectName>{}</X509SubjectName>",
        escape(&cert.tbs_certificate.subject.to_string())
    ));
    for c in std::iter::once(cert).chain(chain.iter()) {
        let d = c.to_der().map_err(|e| XmlError::Certificate(e.to_string()))?;
        x.push_str(&format!(
            "<X509Certificate>{}</X509Certificate>",
            Base64::encode_string(&d)
        ));
    }
    x.push_str("</X509Data></KeyInfo>");
    if located.signing_time {
        x.push_str(&format!(
            "<Object Id=\"{}\"><SignatureProperties><SignatureProperty Target=\"#{}\"><SigningTime>{}</SigningTime></SignatureProperty></SignatureProperties></Object>",
            escape(&time_id),
            escape(&sid),
            st::format(opts.time, opts.time_style)
        ));
    }
    x.push_str("</Signature>");

    // Insert into the slot, touching no other byte of the file.
    let range = doc
        .node_range(slot)
        .ok_or_else(|| XmlError::PathNotFound(slot_path.clone()))?;
    let src = s
        .get(range.clone())
        .ok_or_else(|| XmlError::Malformed("slot range".into()))?;
    let (slot_open, slot_close) = if let Some(open) = src.strip_suffix("/>") {
        let qname = qname_of(src);
        (format!("{}>", open.trim_end()), format!("</{qname}>"))
    } else {
        let end_tag = src
            .rfind("</")
            .ok_or_else(|| XmlError::Malformed("slot end tag".into()))?;
        (src[..end_tag].to_string(), src[end_tag..].to_string())
    };
    let mut out = String::with_capacity(s.len() + x.len() + 64);
    out.push_str(&s[..range.start]);
    out.push_str(&slot_open);
    let sig_start = out.len();
    out.push_str(&x);
    out.push_str(&slot_close);
    out.push_str(&s[range.end..]);

    // The Object digest and SignedInfo need the Signature's context: with inclusive C14N, an
    // apex element inherits the namespace declarations and xml:* attributes of its ancestors
    // and nothing else. So they are canonicalised in a skeleton made of the ancestors' start
    // tags, the Signature and the end tags: the same bytes as in the whole file, without
    // parsing a 50 MB file twice (the tests re-verify every output on the whole file).
    let mut skeleton = String::with_capacity(x.len() + 1024);
    let mut closers = Vec::new();
    let mut ancestors = Vec::new();
    let mut cur = doc.parent(slot);
    while let Some(a) = cur {
        if dom::local_name(&doc, a).is_some() {
            ancestors.push(a);
        }
        cur = doc.parent(a);
    }
    for &a in ancestors.iter().rev() {
        let src = doc
            .node_source(a)
            .ok_or_else(|| XmlError::Malformed("ancestor".into()))?;
        let open = start_tag(src).ok_or_else(|| XmlError::Malformed("ancestor start tag".into()))?;
        skeleton.push_str(open);
        closers.push(format!("</{}>", qname_of(open)));
    }
    let slot_open_tag = start_tag(&slot_open).ok_or_else(|| XmlError::Malformed("slot start tag".into()))?;
    skeleton.push_str(slot_open_tag);
    skeleton.push_str(&x);
    skeleton.push_str(&format!("</{}>", qname_of(slot_open_tag)));
    for c in closers.iter().rev() {
        skeleton.push_str(c);
    }
    drop(doc);
    let doc2 = dom::parse(&skeleton, &opts.limits)?;
    let ids2 = IdIndex::build(&doc2);
    let sig = ids2.unique(&sid)?;
    if located.signing_time {
        let obj = ids2.unique(&time_id)?;
        let mut h = crate::crypto::Hasher::new(opts.hash);
        c14n::reference(&doc2, Some(obj), None, Method::C14n10, &[], &mut h)?;
        digests.push(h.finish());
    }
    let si =
        dom::dsig_child(&doc2, sig, "SignedInfo").ok_or_else(|| XmlError::Malformed("SignedInfo".into()))?;
    let mut si_c14n = Vec::new();
    c14n::element(&doc2, si, method, &[], &mut si_c14n)?;
    drop(doc2);

    // Fill the DigestValues, in the text and in the canonical SignedInfo. Base64 needs no
    // escaping, so `<DigestValue></DigestValue>` → `<DigestValue>b64</DigestValue>` is exactly
    // what canonicalising the filled element gives (checked by the tests, which re-verify).
    const EMPTY: &str = "<DigestValue></DigestValue>";
    let mut si_text = String::from_utf8(si_c14n).map_err(|_| XmlError::C14n("non-UTF-8 output".into()))?;
    let mut text = out;
    for d in &digests {
        let filled = format!("<DigestValue>{}</DigestValue>", Base64::encode_string(d));
        let at = si_text
            .find(EMPTY)
            .ok_or_else(|| XmlError::C14n("DigestValue".into()))?;
        si_text.replace_range(at..at + EMPTY.len(), &filled);
        let at = sig_start
            + text[sig_start..]
                .find(EMPTY)
                .ok_or_else(|| XmlError::C14n("DigestValue".into()))?;
        text.replace_range(at..at + EMPTY.len(), &filled);
    }
    let value_at = sig_start
        + text[sig_start..]
            .find("<SignatureValue></SignatureValue>")
            .ok_or_else(|| XmlError::C14n("SignatureValue".into()))?
        + "<SignatureValue>".len();
    let signed_info_c14n = si_text.into_bytes();
    Ok(Prepared {
        digest_to_sign: opts.hash.digest(&signed_info_c14n),
        signed_info_c14n,
        hash: opts.hash,
        scheme,
        signature_id: sid,
        planned,
        key,
        spki,
        text,
        value_at,
        bom,
    })
}

impl Prepared {
    /// Inserts the signer's value: PKCS#1 v1.5 for RSA; for ECDSA either DER (what tokens and
    /// Kyso's signers return) or raw r||s — XMLDSig wants raw r||s. The value is checked
    /// against the certificate first and never embedded if it does not verify.
    pub fn finish(self, signature_value: &[u8]) -> Result<Vec<u8>, XmlError> {
        let raw = match self.key {
            KeyKind::Ec { curve } => ecdsa_raw(curve, signature_value)?,
            KeyKind::Rsa { .. } => signature_value.to_vec(),
        };
        if !super::verify::check_value(&self.spki, self.scheme, self.hash, &self.signed_info_c14n, &raw) {
            return Err(XmlError::WrongKey);
        }
        let mut text = self.text;
        text.insert_str(self.value_at, &Base64::encode_string(&raw));
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        Ok(out)
    }
}

/// The qualified name of the element whose start tag begins `tag`.
fn qname_of(tag: &str) -> &str {
    tag.get(1..)
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .next()
        .unwrap_or("")
}

/// The start tag at the beginning of an element's source (`>` outside quotes ends it).
fn start_tag(src: &str) -> Option<&str> {
    let mut quote = None;
    for (i, c) in src.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return src.get(..=i),
            _ => {}
        }
    }
    None
}

/// An ECDSA value as XMLDSig writes it (r||s), from DER (tokens, remote services) or raw.
fn ecdsa_raw(curve: Curve, v: &[u8]) -> Result<Vec<u8>, XmlError> {
    let bad = |e: String| XmlError::BadSignatureValue(e);
    match curve {
        Curve::P256 => match p256::ecdsa::Signature::from_der(v) {
            Ok(s) => Ok(s.to_bytes().to_vec()),
            Err(_) if v.len() == 64 => Ok(v.to_vec()),
            Err(e) => Err(bad(e.to_string())),
        },
        Curve::P384 => match p384::ecdsa::Signature::from_der(v) {
            Ok(s) => Ok(s.to_bytes().to_vec()),
            Err(_) if v.len() == 96 => Ok(v.to_vec()),
            Err(e) => Err(bad(e.to_string())),
        },
        Curve::P521 => Err(XmlError::UnsupportedKey("ECDSA P-521".into())),
    }
}

/// The `Signature` element with this `Id`, as it is written in a signed file (for callers
/// that return only the signature: the bridge's `ReturnSignatureOnly`). It declares the
/// XMLDSig namespace itself.
pub fn signature_element(xml: &[u8], signature_id: &str) -> Option<String> {
    let limits = Limits::default();
    let (text, _) = dom::text(xml, &limits).ok()?;
    let doc = dom::parse(text, &limits).ok()?;
    let sig = dom::signatures(&doc)
        .into_iter()
        .find(|&s| dom::attr(&doc, s, "Id") == Some(signature_id))?;
    doc.node_source(sig).map(str::to_string)
}
