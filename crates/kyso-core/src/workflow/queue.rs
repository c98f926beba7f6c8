//! Taking signatures further after signing: `augment` (B-LT/B-LTA for any signed PDF, ours
//! or not) and completing the signatures queued while the network was down. Both journaled.

use std::path::Path;

use crate::journal::{Digests, Journal, Outcome};
use crate::level::Level;
use crate::sign::ltv::{self, AugmentOptions, AugmentOutcome};
use crate::trust::Material;
use crate::Error;

/// Brings every signature of `input` to `level` (B-LT or B-LTA), writing `output`.
pub fn augment(
    journal: &Journal,
    input: &Path,
    output: &Path,
    level: Level,
    trust: &Material,
    tsa_urls: &[String],
    force: bool,
) -> Result<AugmentOutcome, Error> {
    if !level.is_long_term() {
        return Err(crate::error::Refusal::AugmentLevel(level).into());
    }
    let rec = journal.start("augment", input, output, level.as_str());
    let r = ltv::augment(
        input,
        output,
        level,
        &AugmentOptions {
            anchors: trust.anchors.clone(),
            intermediates: trust.intermediates.clone(),
            tsa_urls: tsa_urls.to_vec(),
            force,
            network: trust.network.clone(),
        },
    );
    match &r {
        Ok(o) => rec.finish(
            Outcome::Ok,
            level.as_str(),
            Some((o.output.as_path(), &Digests::default())),
            None,
            None,
        ),
        Err(e) => rec.finish(Outcome::Failed, "", None, None, Some(e.code().into())),
    }
    r
}

/// What one pass over the queue did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct QueueReport {
    /// Jobs completed (and removed from the queue).
    pub completed: Vec<AugmentOutcome>,
    /// Jobs still waiting: file, level, error code and message.
    pub failed: Vec<serde_json::Value>,
}

/// Completes every queued job it can (the TSAs in `extra_tsa` first, then the job's own);
/// a job that fails stays queued with its reason. Each job is journaled.
pub fn complete_queue(
    journal: &Journal,
    trust: &Material,
    extra_tsa: &[String],
) -> Result<QueueReport, Error> {
    let mut report = QueueReport::default();
    for job in journal.pending().map_err(|e| Error::Journal(e.to_string()))? {
        let file = Path::new(&job.file);
        let level = Level::parse(&job.level).unwrap_or(Level::BT);
        let mut urls = extra_tsa.to_vec();
        urls.extend(job.tsa_urls.iter().filter(|u| !extra_tsa.contains(u)).cloned());
        let rec = journal.start("augment", file, file, level.as_str());
        let opts = AugmentOptions {
            anchors: trust.anchors.clone(),
            intermediates: trust.intermediates.clone(),
            tsa_urls: urls,
            force: true,
            network: trust.network.clone(),
        };
        // The digest recorded when it was queued (older queues: the journal's record of the
        // file Kyso wrote); without one, the file cannot be told from another and is left.
        let expected = match &job.sha256 {
            Some(s) => Some(s.clone()),
            None => journal.written_sha256(&job.file).ok().flatten(),
        };
        let done = match expected {
            Some(sha) => ltv::complete_pending(file, &sha, level, &opts),
            None => Err(Error::PendingChanged(job.file.clone())),
        };
        match done {
            Ok(o) => {
                rec.finish(
                    Outcome::Ok,
                    level.as_str(),
                    Some((file, &Digests::default())),
                    None,
                    None,
                );
                let _ = journal.pending_done(job.id);
                report.completed.push(o);
            }
            Err(e) => {
                rec.finish(Outcome::Failed, "", None, None, Some(e.code().into()));
                let _ = journal.pending_failed(job.id, &e.to_string());
                report.failed.push(serde_json::json!({
                    "file": job.file, "level": job.level,
                    "error": {"code": e.code(), "message": e.to_string()}
                }));
            }
        }
    }
    Ok(report)
}
