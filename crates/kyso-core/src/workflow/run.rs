//! Running a [`Plan`]: each document signed (or a batch in one request for services that
//! confirm once), taken to its level — timestamp, validation data and document timestamp,
//! or the queue when the network is not there — and journaled.
//!
//! A token that is pulled out (or stops answering) stops the batch: documents already signed
//! stay signed, the one under way leaves nothing behind, and the rest are reported as not
//! signed so the user can plug the token back in and sign them.

use std::path::{Path, PathBuf};

use super::{Job, Kind, Plan};
use crate::files::temp_beside;
use crate::journal::{Digests, Entry, Journal, Outcome};
use crate::level::Level;
use crate::sign::detached::{self, DetachedOutcome};
use crate::sign::ltv::{self, AugmentOptions, AugmentOutcome};
use crate::sign::xml::XmlOutcome;
use crate::sign::{self, SignOptions, SignOutcome};
use crate::signer::{Signer, SignerError};
use crate::Error;

/// What a face hears while a plan runs, and how it stops one.
pub trait Observer {
    /// Document `index` of `total` is being signed.
    fn progress(&mut self, _index: usize, _total: usize, _input: &Path) {}
    /// Whether the user asked to stop (checked between documents).
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that hears nothing and never stops.
impl Observer for () {}

/// A signed PDF at the level it reached.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LevelOutcome {
    /// The signature.
    #[serde(flatten)]
    pub signature: SignOutcome,
    /// Level reached now.
    pub level: Level,
    /// Validation data added (B-LT/B-LTA).
    pub validation_data: Option<AugmentOutcome>,
    /// Set when the rest waits for the network: the level wanted and why.
    pub pending: Option<PendingNote>,
    /// The journal could not be used (the signing itself is fine).
    pub journal_warning: Option<String>,
}

/// A signature queued to be completed when the network is back.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PendingNote {
    /// Level wanted.
    pub wanted_level: Level,
    /// Why it is waiting.
    pub reason: String,
}

/// What happened to each document of a plan, in order.
pub type Results = Vec<(Job, Result<Signed, Error>)>;

/// One signed document.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Signed {
    /// A PDF signed inside.
    Pdf(Box<LevelOutcome>),
    /// Any file, with a detached `.p7s`.
    Detached(Box<DetachedOutcome>),
    /// An XML file signed inside (XMLDSig, B-B).
    Xml(Box<XmlOutcome>),
}

impl Signed {
    /// The file written.
    pub fn output(&self) -> &Path {
        match self {
            Signed::Pdf(o) => &o.signature.output,
            Signed::Detached(o) => &o.output,
            Signed::Xml(o) => &o.output,
        }
    }

    /// The level reached.
    pub fn level(&self) -> Level {
        match self {
            Signed::Pdf(o) => o.level,
            Signed::Detached(o) => o.level,
            Signed::Xml(o) => o.level,
        }
    }

    /// The level still wanted, when the rest waits for the network.
    pub fn pending(&self) -> Option<Level> {
        match self {
            Signed::Pdf(o) => o.pending.as_ref().map(|p| p.wanted_level),
            Signed::Detached(_) | Signed::Xml(_) => None,
        }
    }
}

/// Who signed, for the journal.
fn who(o: &SignOutcome) -> Option<(String, String)> {
    Some((
        o.signer.common_name.clone().unwrap_or_default(),
        o.certificate_sha256.clone(),
    ))
}

fn digests(d: &sign::FileDigests) -> Digests {
    Digests {
        input_sha256: d.input_sha256.clone(),
        output_sha256: d.output_sha256.clone(),
    }
}

/// One PDF between its journal entry and its signature value: the signature goes to
/// `target` — the output, or a stage file beside it that B-LT/B-LTA extend before it
/// becomes the output.
struct Doc<'j> {
    rec: Entry<'j>,
    long: Option<Level>,
    target: PathBuf,
    stage: Option<tempfile::TempPath>,
    opts: SignOptions,
}

impl Plan {
    /// Signs every planned document with `signer`, in order; `observer` hears progress and
    /// may stop the batch between documents. Results are in the plan's order. `Err` only
    /// when a service asked for the whole batch at once refused or failed: then nothing
    /// was written.
    pub fn run(
        &self,
        journal: &Journal,
        signer: &mut dyn Signer,
        observer: &mut dyn Observer,
    ) -> Result<Results, Error> {
        let mut opts = self.opts.clone();
        opts.appearance = self.appearance.as_ref().map(|(spec, role)| {
            crate::appearance::roles::for_signer(spec.clone(), *role, signer.certificate(), &self.config)
        });
        let pdfs = self.jobs.iter().filter(|(_, k)| *k == Kind::Pdf).count();
        if signer.signs_batches() && pdfs > 1 && pdfs == self.jobs.len() {
            observer.progress(0, self.jobs.len(), Path::new(""));
            let done = self.run_batch(journal, signer, &opts);
            observer.progress(self.jobs.len(), self.jobs.len(), Path::new(""));
            return done;
        }
        let total = self.jobs.len();
        let mut out = Vec::new();
        let mut stopped: Option<Error> = None;
        for (index, (job, kind)) in self.jobs.iter().enumerate() {
            if let Some(why) = &stopped {
                // The journal says which documents were not signed, and why.
                let e = Error::NotReached(why.code());
                journal
                    .start("sign", &job.input, &job.output, self.level.as_str())
                    .finish(
                        Outcome::Failed,
                        "",
                        None,
                        None,
                        Some(format!("{}: {}", e.code(), why.code())),
                    );
                out.push((job.clone(), Err(e)));
                continue;
            }
            if observer.cancelled() {
                out.push((job.clone(), Err(Error::Signer(SignerError::Cancelled))));
                continue;
            }
            observer.progress(index, total, &job.input);
            let r = match kind {
                Kind::Pdf => self.sign_pdf(journal, job, signer, &opts),
                Kind::Detached => self.sign_detached(journal, job, signer, &opts),
                Kind::Xml => self.sign_xml(journal, job, signer, &opts),
            };
            // A token that is gone (or a locked PIN) fails every later document the same way.
            if let Err(e @ Error::Signer(SignerError::TokenRemoved | SignerError::PinLocked)) = &r {
                stopped = Some(Error::Signer(match e {
                    Error::Signer(SignerError::PinLocked) => SignerError::PinLocked,
                    _ => SignerError::TokenRemoved,
                }));
            }
            out.push((job.clone(), r));
        }
        observer.progress(total, total, Path::new(""));
        Ok(out)
    }

    fn start<'j>(&self, journal: &'j Journal, job: &Job, base: &SignOptions) -> Result<Doc<'j>, Error> {
        let rec = journal.start("sign", &job.input, &job.output, self.level.as_str());
        let long = if self.waiting.is_none() && self.level.is_long_term() {
            Some(self.level)
        } else {
            None
        };
        let mut opts = base.clone();
        if self.waiting.is_some() {
            opts.tsa_urls.clear();
        }
        let Some(_) = long else {
            return Ok(Doc {
                rec,
                long,
                target: job.output.clone(),
                stage: None,
                opts,
            });
        };
        let stage = match temp_beside(&job.output, &job.input) {
            Ok(s) => s.into_temp_path(),
            Err(e) => {
                let e = Error::Io(e);
                rec.finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                return Err(e);
            }
        };
        opts.force = true;
        Ok(Doc {
            rec,
            long,
            target: stage.to_path_buf(),
            stage: Some(stage),
            opts,
        })
    }

    fn sign_pdf(
        &self,
        journal: &Journal,
        job: &Job,
        signer: &mut dyn Signer,
        base: &SignOptions,
    ) -> Result<Signed, Error> {
        let doc = self.start(journal, job, base)?;
        let signed = sign::sign_pdf(&job.input, &doc.target, signer, &doc.opts);
        self.conclude(journal, doc, job, base, signed)
            .map(|o| Signed::Pdf(Box::new(o)))
    }

    fn sign_detached(
        &self,
        journal: &Journal,
        job: &Job,
        signer: &mut dyn Signer,
        base: &SignOptions,
    ) -> Result<Signed, Error> {
        let wanted = if base.tsa_urls.is_empty() {
            Level::BB
        } else {
            Level::BT
        };
        let rec = journal.start("sign", &job.input, &job.output, wanted.as_str());
        let mut opts = base.clone();
        // A .p7s cannot be completed later: with no TSA it is signed B-B, and says so.
        let untimestamped = self.waiting.clone();
        if untimestamped.is_some() {
            opts.tsa_urls.clear();
        }
        match detached::sign_detached(&job.input, &job.output, signer, &opts) {
            Ok(mut o) => {
                o.not_timestamped = untimestamped;
                rec.finish(
                    Outcome::Ok,
                    o.level.as_str(),
                    Some((&o.output, &Digests::default())),
                    Some((
                        o.signer.common_name.clone().unwrap_or_default(),
                        crate::cert::fingerprint(signer.certificate()),
                    )),
                    None,
                );
                Ok(Signed::Detached(Box::new(o)))
            }
            Err(e) => {
                rec.finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                Err(e)
            }
        }
    }

    fn sign_xml(
        &self,
        journal: &Journal,
        job: &Job,
        signer: &mut dyn Signer,
        base: &SignOptions,
    ) -> Result<Signed, Error> {
        let rec = journal.start("sign", &job.input, &job.output, Level::BB.as_str());
        match sign::xml::sign_xml(&job.input, &job.output, signer, base, &self.xml) {
            Ok(o) => {
                rec.finish(
                    Outcome::Ok,
                    o.level.as_str(),
                    Some((&o.output, &digests(&o.digests))),
                    Some((
                        o.signer.common_name.clone().unwrap_or_default(),
                        o.certificate_sha256.clone(),
                    )),
                    None,
                );
                Ok(Signed::Xml(Box::new(o)))
            }
            Err(e) => {
                rec.finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                Err(e)
            }
        }
    }

    /// Queues `file` for completion to the plan's level.
    fn queue(&self, rec: &Entry<'_>, file: &Path, reason: String) -> Result<PendingNote, Error> {
        rec.queue(file, self.level.as_str(), &self.opts.tsa_urls)
            .map_err(|e| Error::Journal(e.to_string()))?;
        Ok(PendingNote {
            wanted_level: self.level,
            reason,
        })
    }

    /// After the signature: the level reached, B-LT/B-LTA validation data, the queue, the
    /// journal.
    fn conclude(
        &self,
        journal: &Journal,
        doc: Doc<'_>,
        job: &Job,
        base: &SignOptions,
        signed: Result<SignOutcome, Error>,
    ) -> Result<LevelOutcome, Error> {
        let rec = &doc.rec;
        let mut out = match signed {
            Ok(o) => o,
            Err(e) => {
                rec.finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                return Err(e);
            }
        };
        let (Some(level), Some(stage)) = (doc.long, doc.stage.as_ref()) else {
            let reached = if doc.opts.tsa_urls.is_empty() {
                Level::BB
            } else {
                Level::BT
            };
            let pending = match &self.waiting {
                Some(why) => {
                    // The journal keeps the stable code; the message goes to the caller.
                    rec.finish(
                        Outcome::Pending,
                        reached.as_str(),
                        Some((&out.output, &digests(&out.digests))),
                        who(&out),
                        Some("TSA_UNAVAILABLE".into()),
                    );
                    Some(self.queue(rec, &out.output, why.clone())?)
                }
                None => {
                    rec.finish(
                        Outcome::Ok,
                        reached.as_str(),
                        Some((&out.output, &digests(&out.digests))),
                        who(&out),
                        None,
                    );
                    None
                }
            };
            return Ok(LevelOutcome {
                signature: out,
                level: reached,
                validation_data: None,
                pending,
                journal_warning: journal.warning(),
            });
        };
        // B-LT/B-LTA: the output appears only when everything is in — or, when validation
        // data cannot be had now and queueing is allowed, as the B-T signature with the rest
        // queued.
        out.output = job.output.clone();
        let aug = ltv::augment(
            stage,
            &job.output,
            level,
            &AugmentOptions {
                anchors: self.trust.anchors.clone(),
                intermediates: self.trust.intermediates.clone(),
                tsa_urls: base.tsa_urls.clone(),
                force: base.force,
                network: self.trust.network.clone(),
            },
        );
        let input_only = Digests {
            input_sha256: out.digests.input_sha256.clone(),
            output_sha256: None,
        };
        match aug {
            Ok(aug) => {
                rec.finish(
                    Outcome::Ok,
                    level.as_str(),
                    Some((&job.output, &input_only)),
                    who(&out),
                    None,
                );
                Ok(LevelOutcome {
                    signature: out,
                    level,
                    validation_data: Some(aug),
                    pending: None,
                    journal_warning: journal.warning(),
                })
            }
            Err(e @ (Error::ValidationData(_) | Error::Timestamp(_))) if self.queue => {
                sign::check_output(&job.input, &job.output, base.force)?;
                let Doc { rec, stage, .. } = doc;
                if let Some(stage) = stage {
                    stage.persist(&job.output).map_err(|e| Error::Io(e.error))?;
                }
                rec.finish(
                    Outcome::Pending,
                    Level::BT.as_str(),
                    Some((&job.output, &digests(&out.digests))),
                    who(&out),
                    Some(e.code().into()),
                );
                let pending = self.queue(&rec, &job.output, e.to_string())?;
                Ok(LevelOutcome {
                    signature: out,
                    level: Level::BT,
                    validation_data: None,
                    pending: Some(pending),
                    journal_warning: journal.warning(),
                })
            }
            Err(e) => {
                rec.finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                Err(e)
            }
        }
    }

    /// Every PDF in one request to the signer (one confirmation on the phone): each is
    /// prepared first, then all digests go to the service, then each is finished. A document
    /// that cannot be prepared gets its error and the others go on; when the service fails,
    /// nothing is written.
    fn run_batch(
        &self,
        journal: &Journal,
        signer: &mut dyn Signer,
        base: &SignOptions,
    ) -> Result<Results, Error> {
        let cert = signer.certificate().clone();
        let chain = signer.chain().to_vec();
        let kind = signer.key_kind();
        let mut ready = Vec::new();
        let mut results: Vec<Option<Result<Signed, Error>>> = Vec::new();
        for (i, (job, _)) in self.jobs.iter().enumerate() {
            results.push(None);
            let doc = match self.start(journal, job, base) {
                Ok(d) => d,
                Err(e) => {
                    results[i] = Some(Err(e));
                    continue;
                }
            };
            match sign::prepare(&job.input, &doc.target, &cert, &chain, kind, &doc.opts) {
                Ok(prepared) => ready.push((i, doc, prepared)),
                Err(e) => {
                    doc.rec
                        .finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                    results[i] = Some(Err(e));
                }
            }
        }
        let values = {
            let reqs: Vec<_> = ready.iter().map(|(_, _, pr)| pr.request()).collect();
            signer.sign_many(&reqs)
        };
        let values = match values {
            Ok(v) => v,
            Err(e) => {
                let e = Error::Signer(e);
                for (_, doc, _) in &ready {
                    doc.rec
                        .finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                }
                return Err(e);
            }
        };
        for ((i, doc, prepared), value) in ready.into_iter().zip(values) {
            let signed = prepared.finish(&value);
            if let Some((job, _)) = self.jobs.get(i) {
                results[i] = Some(
                    self.conclude(journal, doc, job, base, signed)
                        .map(|o| Signed::Pdf(Box::new(o))),
                );
            }
        }
        Ok(self
            .jobs
            .iter()
            .zip(results)
            .map(|((job, _), r)| {
                (
                    job.clone(),
                    r.unwrap_or(Err(Error::Internal("a batch job was skipped"))),
                )
            })
            .collect())
    }
}
