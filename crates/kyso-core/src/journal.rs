//! The signing journal and the queue of signatures waiting for the network, in one SQLite
//! database (bundled SQLite, WAL journal, one transaction per change) in the user's data
//! folder, so an office can answer "who signed what, when" and a signing made offline is
//! completed later. A process killed at any moment leaves the database consistent: an
//! event is written as `started` before the work and updated after it, so an interrupted
//! signing shows as such. No PIN, password or key material is ever stored.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

/// Why the journal cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("signing journal: {0}")]
pub struct JournalError(String);

impl From<rusqlite::Error> for JournalError {
    fn from(e: rusqlite::Error) -> Self {
        Self(e.to_string())
    }
}

/// How a journaled action ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Under way (or interrupted: the process never came back to say).
    #[default]
    Started,
    /// Done.
    Ok,
    /// Signed; the timestamp or validation data waits for the network.
    Pending,
    /// Failed (the detail holds the error code).
    Failed,
    /// A request the bridge refused.
    Refused,
}

impl Outcome {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Started => "started",
            Outcome::Ok => "ok",
            Outcome::Pending => "pending",
            Outcome::Failed => "failed",
            Outcome::Refused => "refused",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "ok" => Outcome::Ok,
            "pending" => Outcome::Pending,
            "failed" => Outcome::Failed,
            "refused" => Outcome::Refused,
            _ => Outcome::Started,
        }
    }
}

/// One signing or augmentation.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Event {
    /// Row id.
    pub id: i64,
    /// Unix seconds.
    pub time: i64,
    /// `sign` or `augment`.
    pub action: String,
    /// Input file.
    pub input: String,
    /// SHA-256 of the input.
    pub input_sha256: String,
    /// Output file.
    pub output: String,
    /// SHA-256 of the output (once written).
    pub output_sha256: Option<String>,
    /// Signer (common name).
    pub signer: Option<String>,
    /// Signer certificate SHA-256.
    pub certificate_sha256: Option<String>,
    /// PAdES level reached.
    pub level: String,
    /// How it ended (`started` while under way, or when the process was killed).
    pub result: Outcome,
    /// Error code or note.
    pub detail: Option<String>,
}

/// A signature waiting for a timestamp or validation data.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Pending {
    /// Row id.
    pub id: i64,
    /// When it was queued (Unix seconds).
    pub created: i64,
    /// The signed file to complete.
    pub file: String,
    /// Level wanted (`B-T`, `B-LT`, `B-LTA`).
    pub level: String,
    /// TSAs to use.
    pub tsa_urls: Vec<String>,
    /// Attempts so far.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// SHA-256 of the file as Kyso wrote it: completing it replaces the file, so only that
    /// file may be replaced (`None` for jobs queued by an older version).
    pub sha256: Option<String>,
}

/// The signing journal, opened once by a face and passed to whatever signs. It never blocks
/// signing: when the database cannot be opened, every entry is skipped and
/// [`Journal::warning`] says why. One connection behind a lock, so threads (the bridge's
/// connections, a batch) share it.
pub struct Journal {
    db: Result<Mutex<Connection>, JournalError>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, action TEXT NOT NULL, input TEXT NOT NULL,
  input_sha256 TEXT NOT NULL, output TEXT NOT NULL, output_sha256 TEXT, signer TEXT,
  certificate_sha256 TEXT, level TEXT NOT NULL, result TEXT NOT NULL, detail TEXT);
CREATE TABLE IF NOT EXISTS pending (
  id INTEGER PRIMARY KEY, created INTEGER NOT NULL, file TEXT NOT NULL UNIQUE, level TEXT NOT NULL,
  tsa_urls TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
";

fn connect(dir: &Path) -> Result<Connection, JournalError> {
    std::fs::create_dir_all(dir).map_err(|e| JournalError(e.to_string()))?;
    let db = Connection::open(dir.join("journal.sqlite3"))?;
    db.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL + synchronous=NORMAL: committed transactions survive a killed process, and a
    // reader never sees half a write.
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    db.execute_batch(SCHEMA)?;
    // Added after the first release: the queued file's SHA-256.
    let has_sha = db
        .prepare("SELECT 1 FROM pragma_table_info('pending') WHERE name = 'sha256'")?
        .exists([])?;
    if !has_sha {
        db.execute_batch("ALTER TABLE pending ADD COLUMN sha256 TEXT")?;
    }
    Ok(db)
}

impl Journal {
    /// Opens (or creates) `journal.sqlite3` in `dir` (the data folder); an error when it
    /// cannot be used (for listing it).
    pub fn open_in(dir: &Path) -> Result<Self, JournalError> {
        Ok(Self {
            db: Ok(Mutex::new(connect(dir)?)),
        })
    }

    /// Opens the journal in `dir` for signing: when it cannot be used, the journal records
    /// nothing and [`Journal::warning`] says why; signing goes on.
    pub fn open_or_skip(dir: &Path) -> Self {
        Self {
            db: connect(dir).map(Mutex::new),
        }
    }

    /// Why nothing is being recorded, if it is not.
    pub fn warning(&self) -> Option<String> {
        self.db
            .as_ref()
            .err()
            .map(|e| format!("{e}; this is not recorded"))
    }

    fn db(&self) -> Result<MutexGuard<'_, Connection>, JournalError> {
        match &self.db {
            Ok(m) => Ok(m.lock().unwrap_or_else(|e| e.into_inner())),
            Err(e) => Err(JournalError(e.0.clone())),
        }
    }

    /// Records an event; returns its id.
    pub fn record(&self, e: &Event) -> Result<i64, JournalError> {
        let db = self.db()?;
        db.execute(
            "INSERT INTO events (time, action, input, input_sha256, output, output_sha256, signer,
               certificate_sha256, level, result, detail) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
            params![
                e.time,
                e.action,
                e.input,
                e.input_sha256,
                e.output,
                e.output_sha256,
                e.signer,
                e.certificate_sha256,
                e.level,
                e.result.as_str(),
                e.detail
            ],
        )?;
        Ok(db.last_insert_rowid())
    }

    /// Updates event `id` with its outcome (`e.result`, `e.level`, output hash, signer,
    /// detail).
    pub fn finish(&self, id: i64, e: &Event) -> Result<(), JournalError> {
        self.db()?.execute(
            "UPDATE events SET result=?2, level=?3, output_sha256=?4, signer=?5,
               certificate_sha256=?6, detail=?7,
               input_sha256 = CASE WHEN ?8 = '' THEN input_sha256 ELSE ?8 END WHERE id=?1",
            params![
                id,
                e.result.as_str(),
                e.level,
                e.output_sha256,
                e.signer,
                e.certificate_sha256,
                e.detail,
                e.input_sha256
            ],
        )?;
        Ok(())
    }

    /// Events, newest first: at most `limit`, skipping the `offset` newest.
    pub fn events_page(&self, offset: usize, limit: usize) -> Result<Vec<Event>, JournalError> {
        let db = self.db()?;
        let mut st = db.prepare(
            "SELECT id, time, action, input, input_sha256, output, output_sha256, signer,
               certificate_sha256, level, result, detail FROM events ORDER BY id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let rows = st.query_map(
            params![
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(Event {
                    id: r.get(0)?,
                    time: r.get(1)?,
                    action: r.get(2)?,
                    input: r.get(3)?,
                    input_sha256: r.get(4)?,
                    output: r.get(5)?,
                    output_sha256: r.get(6)?,
                    signer: r.get(7)?,
                    certificate_sha256: r.get(8)?,
                    level: r.get(9)?,
                    result: Outcome::parse(&r.get::<_, String>(10)?),
                    detail: r.get(11)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every event, oldest first.
    pub fn events(&self) -> Result<Vec<Event>, JournalError> {
        let mut all = self.events_page(0, usize::MAX >> 1)?;
        all.reverse();
        Ok(all)
    }

    /// Queues `file` (whose content has SHA-256 `sha256`) for completion to `level`.
    pub fn add_pending(
        &self,
        file: &str,
        sha256: &str,
        level: &str,
        tsa_urls: &[String],
    ) -> Result<(), JournalError> {
        let urls = serde_json::to_string(tsa_urls).map_err(|e| JournalError(e.to_string()))?;
        self.db()?.execute(
            "INSERT INTO pending (created, file, level, tsa_urls, sha256) VALUES (?1,?2,?3,?4,?5)
             ON CONFLICT(file) DO UPDATE SET level=excluded.level, tsa_urls=excluded.tsa_urls,
               sha256=excluded.sha256",
            params![crate::timefmt::now(), file, level, urls, sha256],
        )?;
        Ok(())
    }

    /// Whether `output` holds the signed copy Kyso made of an input whose SHA-256 is
    /// `input_sha256`: a signing of that input to that path succeeded (or waits for the
    /// network), and the file's SHA-256 `output_sha256` is the last one Kyso recorded for it.
    pub fn made_from(
        &self,
        output: &str,
        input_sha256: &str,
        output_sha256: &str,
    ) -> Result<bool, JournalError> {
        let db = self.db()?;
        let signed: bool = db
            .prepare(
                "SELECT 1 FROM events WHERE action = 'sign' AND output = ?1 AND input_sha256 = ?2
                   AND result IN ('ok', 'pending')",
            )?
            .exists(params![output, input_sha256])?;
        let last: Option<String> = db
            .query_row(
                "SELECT output_sha256 FROM events WHERE output = ?1 AND output_sha256 IS NOT NULL
                   AND result IN ('ok', 'pending') ORDER BY id DESC LIMIT 1",
                params![output],
                |r| r.get(0),
            )
            .optional()?;
        Ok(signed && last.is_some_and(|l| l.eq_ignore_ascii_case(output_sha256)))
    }

    /// The SHA-256 Kyso last recorded for `file` as an output it wrote (for queue jobs made
    /// before the queue kept it).
    pub fn written_sha256(&self, file: &str) -> Result<Option<String>, JournalError> {
        Ok(self
            .db()?
            .query_row(
                "SELECT output_sha256 FROM events WHERE output = ?1 AND output_sha256 IS NOT NULL
                   ORDER BY id DESC LIMIT 1",
                params![file],
                |r| r.get::<_, String>(0),
            )
            .optional()?)
    }

    /// The queue, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, JournalError> {
        let db = self.db()?;
        let mut st = db.prepare(
            "SELECT id, created, file, level, tsa_urls, attempts, last_error, sha256 FROM pending ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let urls: String = r.get(4)?;
            Ok(Pending {
                id: r.get(0)?,
                created: r.get(1)?,
                file: r.get(2)?,
                level: r.get(3)?,
                tsa_urls: serde_json::from_str(&urls).unwrap_or_default(),
                attempts: r.get(5)?,
                last_error: r.get(6)?,
                sha256: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A queued job failed again: it stays, with the reason.
    pub fn pending_failed(&self, id: i64, error: &str) -> Result<(), JournalError> {
        self.db()?.execute(
            "UPDATE pending SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// A queued job is done.
    pub fn pending_done(&self, id: i64) -> Result<(), JournalError> {
        self.db()?
            .execute("DELETE FROM pending WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// SQLite's own consistency check (`ok` when sound).
    pub fn integrity(&self) -> Result<String, JournalError> {
        Ok(self
            .db()?
            .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default())
    }

    /// Records the start of `action` (`sign`, `augment`) on `input`. The input's SHA-256 is
    /// filled in by [`Entry::finish`] (a signing computes it in its own pass).
    pub fn start(&self, action: &str, input: &Path, output: &Path, level: &str) -> Entry<'_> {
        let ev = Event {
            time: crate::timefmt::now(),
            action: action.into(),
            input: input.display().to_string(),
            output: output.display().to_string(),
            level: level.into(),
            result: Outcome::Started,
            ..Event::default()
        };
        Entry {
            journal: self,
            id: self.record(&ev).unwrap_or(0),
            input: input.to_path_buf(),
        }
    }

    /// Records a request that involves no file of the user's (the bridge's answers): who
    /// asked, what, and how it ended. Returns the row (0 when nothing is recorded).
    pub fn note(&self, action: &str, origin: &str, result: Outcome, detail: &str) -> i64 {
        self.record(&Event {
            time: crate::timefmt::now(),
            action: action.into(),
            input: origin.into(),
            output: "-".into(),
            result,
            detail: Some(detail.into()),
            ..Event::default()
        })
        .unwrap_or(0)
    }

    /// Rewrites the detail of note `id` (the same refusal repeated: one row counts them).
    pub fn renote(&self, id: i64, detail: &str) {
        if let Ok(db) = self.db() {
            let _ = db.execute("UPDATE events SET detail = ?2 WHERE id = ?1", params![id, detail]);
        }
    }
}

/// The digests a signing already computed (so the journal does not read the files again).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digests {
    /// SHA-256 of the input, hex.
    pub input_sha256: Option<String>,
    /// SHA-256 of the output, hex.
    pub output_sha256: Option<String>,
}

/// A journal entry in progress.
pub struct Entry<'a> {
    journal: &'a Journal,
    id: i64,
    input: std::path::PathBuf,
}

impl Entry<'_> {
    /// Records the outcome: the level reached, the output written with its and the input's
    /// SHA-256 when already known (else they are computed here), the signer (name,
    /// certificate SHA-256) and a detail (error code).
    pub fn finish(
        &self,
        result: Outcome,
        level: &str,
        output: Option<(&Path, &Digests)>,
        signer: Option<(String, String)>,
        detail: Option<String>,
    ) {
        if self.journal.db.is_err() {
            return;
        }
        let (signer, certificate_sha256) = signer.map_or((None, None), |(a, b)| (Some(a), Some(b)));
        let known = output.map(|(_, d)| d.clone()).unwrap_or_default();
        let input_sha256 = known
            .input_sha256
            .or_else(|| file_sha256(&self.input).ok())
            .unwrap_or_default();
        let output_sha256 = known
            .output_sha256
            .or_else(|| output.and_then(|(p, _)| file_sha256(p).ok()));
        let ev = Event {
            result,
            level: level.into(),
            input_sha256,
            output_sha256,
            signer,
            certificate_sha256,
            detail,
            ..Event::default()
        };
        let _ = self.journal.finish(self.id, &ev);
    }

    /// Queues `file` to be completed to `level` when the network is back, with the SHA-256
    /// of the file as it is now (only that file will be replaced by the completion).
    pub fn queue(&self, file: &Path, level: &str, tsa_urls: &[String]) -> Result<(), JournalError> {
        if self.journal.db.is_err() {
            return Err(JournalError(
                "the signing journal is not available, so the job cannot be queued".into(),
            ));
        }
        let sha = file_sha256(file).map_err(|e| JournalError(format!("{}: {e}", file.display())))?;
        self.journal
            .add_pending(&file.display().to_string(), &sha, level, tsa_urls)
    }
}

/// SHA-256 of a file, streamed.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = crate::crypto::Hasher::new(crate::crypto::HashAlg::Sha256);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hex::encode(h.finish()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn events_and_queue_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open_in(dir.path()).unwrap();
        let id = j
            .record(&Event {
                time: 1,
                action: "sign".into(),
                input: "a.pdf".into(),
                input_sha256: "00".into(),
                output: "b.pdf".into(),
                level: "B-T".into(),
                result: Outcome::Started,
                ..Event::default()
            })
            .unwrap();
        let done = Event {
            result: Outcome::Pending,
            level: "B-B".into(),
            output_sha256: Some("11".into()),
            detail: Some("TSA_UNAVAILABLE".into()),
            ..Event::default()
        };
        j.finish(id, &done).unwrap();
        let ev = j.events().unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].result, ev[0].level.as_str()), (Outcome::Pending, "B-B"));
        j.add_pending("b.pdf", "aa", "B-LT", &["http://tsa".into()])
            .unwrap();
        j.add_pending("b.pdf", "bb", "B-LTA", &["http://tsa".into()])
            .unwrap();
        let p = j.pending().unwrap();
        assert_eq!(p.len(), 1, "one job per file");
        assert_eq!(p[0].level, "B-LTA");
        assert_eq!(p[0].sha256.as_deref(), Some("bb"));
        assert_eq!(j.written_sha256("b.pdf").unwrap().as_deref(), Some("11"));
        assert_eq!(j.written_sha256("c.pdf").unwrap(), None);
        j.pending_failed(p[0].id, "still offline").unwrap();
        assert_eq!(j.pending().unwrap()[0].attempts, 1);
        j.pending_done(p[0].id).unwrap();
        assert!(j.pending().unwrap().is_empty());
        assert_eq!(j.integrity().unwrap(), "ok");
    }

    #[test]
    fn a_queue_from_before_the_digest_column_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        {
            let old = Connection::open(dir.path().join("journal.sqlite3")).unwrap();
            old.execute_batch(
                "CREATE TABLE pending (id INTEGER PRIMARY KEY, created INTEGER NOT NULL,
                   file TEXT NOT NULL UNIQUE, level TEXT NOT NULL, tsa_urls TEXT NOT NULL,
                   attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
                 INSERT INTO pending (created, file, level, tsa_urls) VALUES (1, 'old.pdf', 'B-LT', '[]');",
            )
            .unwrap();
        }
        let j = Journal::open_in(dir.path()).unwrap();
        let p = j.pending().unwrap();
        assert_eq!((p[0].file.as_str(), p[0].sha256.as_deref()), ("old.pdf", None));
        let id = j.note("bridge SignPDF", "http://a", Outcome::Refused, "once");
        j.renote(id, "twice");
        assert_eq!(j.events().unwrap()[0].detail.as_deref(), Some("twice"));
    }
}
