//! One signing workflow for every face — the CLI, the app and the bridge. How a signing goes
//! is decided here, once: the level (and the timestamp authority it needs), signing offline
//! now and completing later, the Decree 30 role's appearance and reason, output names, and
//! the journal. A face converts its arguments into a [`Request`], calls [`plan`] — every
//! refusal happens there, before a PIN is asked — opens the signer the user chose, and calls
//! [`Plan::run`]; it shows progress and the results.
//!
//! Per document: prepare → signer → finish (PAdES B-B/B-T), then validation data and a
//! document timestamp for B-LT/B-LTA, or the queue when the network is not there. A remote
//! service that confirms a batch once gets every document in one request.
//!
//! XML files (by content, or named `.xml`) are signed inside with an enveloped XMLDSig
//! signature ([`crate::sign::xml`]): what is signed and where the signature goes come from
//! the form's profile (detected, or [`Request::xml_profile`]) or the request's choices.
//! XMLDSig has no timestamp, so an XML signature is B-B; asking for a higher level for one
//! is refused, the default level never is.

mod jobs;
mod queue;
mod run;

use std::path::{Path, PathBuf};

pub use jobs::{folder_jobs, has_pdf_header, is_pdf, is_xml, output_beside, output_name, signs_inside, Job};
pub use queue::{augment, complete_queue, QueueReport};
pub use run::{LevelOutcome, Observer, PendingNote, Results, Signed};

use crate::appearance::{roles, visible};
use crate::crypto::{HashAlg, Scheme};
use crate::error::Refusal;
use crate::folders::Folders;
use crate::journal::Journal;
use crate::level::Level;
use crate::pdf::permissions::FieldLock;
use crate::settings::Settings;
use crate::sign::{self, SignOptions};
use crate::trust::Material;
use crate::xml::sign::{Choice, Planned};
use crate::xml::Form;
use crate::Error;

/// What a signing runs with: the user's folders and settings, and the journal it records to.
pub struct Context<'a> {
    /// Config and data folders.
    pub folders: &'a Folders,
    /// The user's settings (TSAs, offline mode, trust anchor files).
    pub settings: &'a Settings,
    /// The journal.
    pub journal: &'a Journal,
}

/// What to do with a file that is not a PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detached {
    /// Refuse it (a PDF was expected).
    #[default]
    Never,
    /// PDFs are signed inside, other files get a `.p7s` (the app).
    Auto,
    /// Every file gets a `.p7s`, PDFs too.
    Always,
}

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct Request {
    /// The level; the default when `None` ([`Level::default_for`]).
    pub level: Option<Level>,
    /// Timestamp authorities, tried in order; the settings' when empty.
    pub tsa_urls: Vec<String>,
    /// With no TSA reachable (or B-LT data unavailable), sign now and complete later.
    pub queue: bool,
    /// Files that are not PDFs.
    pub detached: Detached,
    /// Digest algorithm.
    pub hash: HashAlg,
    /// Signature scheme (the key's default when `None`).
    pub scheme: Option<Scheme>,
    /// An existing empty signature field, or the new field's name.
    pub field: Option<String>,
    /// `/Reason` (for an issuing signature, the number and date when not given).
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact: Option<String>,
    /// Certification level (DocMDP 1–3).
    pub certify: Option<u8>,
    /// Fields this signature locks.
    pub lock_fields: Option<FieldLock>,
    /// A visible signature, with its Decree 30 role.
    pub appearance: Option<roles::Request>,
    /// Replace existing outputs.
    pub force: bool,
    /// Extra trust anchor files for this signing's B-LT chains.
    pub trust_files: Vec<PathBuf>,
    /// XML: the form's profile (`None`: detected from the document).
    pub xml_profile: Option<Form>,
    /// XML: the `Id` of the element to sign.
    pub xml_ref: Option<String>,
    /// XML: where the `Signature` goes — a slot of the form (`NMua`, `CQT`) or an element
    /// path (`A/B/C`).
    pub xml_into: Option<String>,
    /// XML: canonicalise `SignedInfo` with comments (`…#WithComments`).
    pub c14n_with_comments: bool,
}

impl Default for Request {
    fn default() -> Self {
        Self {
            level: None,
            tsa_urls: Vec::new(),
            queue: true,
            detached: Detached::Never,
            hash: HashAlg::Sha256,
            scheme: None,
            field: None,
            reason: None,
            location: None,
            contact: None,
            certify: None,
            lock_fields: None,
            appearance: None,
            force: false,
            trust_files: Vec::new(),
            xml_profile: None,
            xml_ref: None,
            xml_into: None,
            c14n_with_comments: false,
        }
    }
}

impl Request {
    /// The XML choices of the request.
    pub fn xml_choice(&self) -> Choice {
        Choice {
            form: self.xml_profile,
            reference: self.xml_ref.clone().filter(|r| !r.trim().is_empty()),
            into: self.xml_into.clone().filter(|r| !r.trim().is_empty()),
            with_comments: self.c14n_with_comments,
        }
    }
}

/// How one document is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Pdf,
    Detached,
    Xml,
}

/// A signing decided and checked, waiting for the signer.
pub struct Plan {
    jobs: Vec<(Job, Kind)>,
    refused: Vec<(Job, Error)>,
    /// The level wanted.
    pub level: Level,
    /// Why no TSA answered, when the documents are signed now and completed later.
    pub waiting: Option<String>,
    queue: bool,
    opts: SignOptions,
    appearance: Option<(visible::Spec, Option<roles::Role>)>,
    trust: Material,
    config: PathBuf,
    xml: Choice,
    xml_targets: Vec<(PathBuf, Planned)>,
}

impl Plan {
    /// The documents that will be signed.
    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.jobs.iter().map(|(j, _)| j)
    }

    /// Whether anything is left to sign.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// For an XML document of the plan: what will be signed and where the signature goes
    /// (for the confirmation a face shows).
    pub fn xml_target(&self, input: &Path) -> Option<&Planned> {
        self.xml_targets.iter().find(|(p, _)| p == input).map(|(_, t)| t)
    }

    /// The documents refused before anything was asked, with why (once).
    pub fn take_refused(&mut self) -> Vec<(Job, Error)> {
        std::mem::take(&mut self.refused)
    }
}

/// Checks and decides everything that does not need the signer: which documents can be
/// signed (a damaged, encrypted or locked document is refused; an existing output is never
/// replaced without `force`), the level and a timestamp authority that answers (asked once,
/// before any PIN), the visible signature, and the trust for B-LT chains.
///
/// A single document that cannot be signed is an error; in a batch it is listed in
/// [`Plan::refused`] and the others go on.
pub fn plan(ctx: &Context<'_>, req: &Request, jobs: Vec<Job>) -> Result<Plan, Error> {
    let single = jobs.len() == 1;
    let mut tsa_urls = if req.tsa_urls.is_empty() {
        ctx.settings.tsa_urls.clone()
    } else {
        req.tsa_urls.clone()
    };
    // Offline mode asks no TSA: unless a level is chosen, the signature is B-B.
    let level = req
        .level
        .unwrap_or(Level::default_for(!tsa_urls.is_empty() && !ctx.settings.offline));
    // XML files are B-B whatever the default: they need no TSA (an explicit level for them
    // is refused below, document by document).
    let all_xml =
        req.detached != Detached::Always && !jobs.is_empty() && jobs.iter().all(|j| is_xml(&j.input));
    if level.needs_tsa() && tsa_urls.is_empty() && !all_xml {
        return Err(Refusal::TsaRequired(level).into());
    }
    if !level.needs_tsa() {
        tsa_urls.clear();
    }
    if level.is_long_term() && req.detached == Detached::Always {
        return Err(Refusal::LongTermNeedsPdf(level).into());
    }
    if let Some(p) = req.certify {
        if !(1..=3).contains(&p) {
            return Err(Refusal::CertifyLevel(p).into());
        }
    }

    let xml = req.xml_choice();
    let mut xml_targets = Vec::new();
    let mut planned = Vec::new();
    let mut refused = Vec::new();
    for job in jobs {
        let kind = match req.detached {
            Detached::Always => Kind::Detached,
            _ if is_xml(&job.input) => Kind::Xml,
            Detached::Auto if !is_pdf(&job.input) => Kind::Detached,
            Detached::Never if !is_pdf(&job.input) => {
                refused.push((job, Refusal::NotPdf.into()));
                continue;
            }
            _ => Kind::Pdf,
        };
        if kind == Kind::Detached && level.is_long_term() {
            refused.push((job, Refusal::LongTermNeedsPdf(level).into()));
            continue;
        }
        if let Some(l) = req.level.filter(|l| kind == Kind::Xml && *l != Level::BB) {
            refused.push((job, Refusal::XmlLevel(l).into()));
            continue;
        }
        let check = sign::check_output(&job.input, &job.output, req.force).and_then(|()| match kind {
            Kind::Pdf => sign::check_document(&job.input),
            Kind::Detached => Ok(()),
            Kind::Xml => {
                sign::xml::check_xml(&job.input, &xml).map(|t| xml_targets.push((job.input.clone(), t)))
            }
        });
        match check {
            Ok(()) => planned.push((job, kind)),
            Err(e) => refused.push((job, e)),
        }
    }
    if single {
        if let Some((_, e)) = refused.pop() {
            return Err(e);
        }
    }

    // One probe, before the PIN: it finds a TSA that answers and the room its tokens need.
    let mut waiting = None;
    let mut tsa_room = None;
    if !tsa_urls.is_empty() && planned.iter().any(|(_, k)| *k != Kind::Xml) {
        let probed = if ctx.settings.offline {
            Err(Error::Offline)
        } else {
            sign::probe_tsa(&tsa_urls, req.hash)
        };
        match probed {
            Ok((urls, room)) => {
                tsa_urls = urls;
                tsa_room = Some(room);
            }
            Err(e @ (Error::Timestamp(_) | Error::Offline)) if req.queue => waiting = Some(e.to_string()),
            Err(e) => return Err(e),
        }
    }

    // The visible signature is worked out now, so a missing seal or number stops at once.
    let appearance = match &req.appearance {
        Some(a) => roles::spec(a, &ctx.folders.config)?.map(|s| (s, a.role)),
        None => None,
    };
    let reason = req
        .reason
        .clone()
        .filter(|r| !r.trim().is_empty())
        .or_else(|| roles::reason_for(req.appearance.as_ref()?));
    let trust = if level.is_long_term() {
        Material::load(&ctx.folders.config, ctx.settings, &req.trust_files)?
    } else {
        Material::default()
    };
    let opts = SignOptions {
        field: req.field.clone(),
        hash: req.hash,
        scheme: req.scheme,
        reason,
        location: req.location.clone().filter(|l| !l.trim().is_empty()),
        contact_info: req.contact.clone(),
        time: crate::timefmt::now(),
        force: req.force,
        tsa_urls,
        tsa_room,
        certify: req.certify,
        appearance: None,
        lock_fields: req.lock_fields.clone(),
    };
    Ok(Plan {
        jobs: planned,
        refused,
        level,
        waiting,
        queue: req.queue,
        opts,
        appearance,
        trust,
        config: ctx.folders.config.clone(),
        xml,
        xml_targets,
    })
}

/// The level a face shows as chosen when the user has not chosen one.
pub fn default_level(settings: &Settings) -> Level {
    Level::default_for(!settings.tsa_urls.is_empty() && !settings.offline)
}

/// Where the journal of `folders` is, opened for signing (never blocking it).
pub fn journal(folders: &Folders) -> Journal {
    Journal::open_or_skip(&folders.data)
}

/// Whether `job` was done already: its output is the signed copy Kyso made of this very
/// input (by the journal's SHA-256 of both). A folder signed again after a batch stopped
/// (the token pulled out) signs only the rest.
pub fn already_signed(journal: &Journal, job: &Job) -> bool {
    if !job.output.is_file() {
        return false;
    }
    let (Ok(input), Ok(output)) = (
        crate::journal::file_sha256(&job.input),
        crate::journal::file_sha256(&job.output),
    ) else {
        return false;
    };
    journal
        .made_from(&job.output.display().to_string(), &input, &output)
        .unwrap_or(false)
}

/// Whether `path` is one Kyso may write a signed copy to for `input` (not the input itself).
pub fn check_output(input: &Path, output: &Path, force: bool) -> Result<(), Error> {
    sign::check_output(input, output, force)
}
