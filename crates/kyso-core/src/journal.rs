//! The signing journal and the queue of signatures waiting for the network, in one SQLite
//! database (bundled SQLite, WAL journal, one transaction per change) in the user's data
//! folder, so an office can answer "who signed what, when" and a signing made offline is
//! completed later. A process killed at any moment leaves the database consistent: an
//! event is written as `started` before the work and updated after it, so an interrupted
//! signing shows as such. No PIN, password or key material is ever stored.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

/// The data folder (`KYSO_DATA_DIR` overrides it; see [`crate::folders`]).
pub fn data_dir() -> PathBuf {
    crate::folders::data_dir()
}

/// Why the journal cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("signing journal: {0}")]
pub struct JournalError(String);

impl From<rusqlite::Error> for JournalError {
    fn from(e: rusqlite::Error) -> Self {
        Self(e.to_string())
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
    /// `started`, `ok`, `pending` (waiting for the network), `failed`.
    pub result: String,
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
}

/// The open journal.
pub struct Journal {
    db: Connection,
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

impl Journal {
    /// Opens (or creates) `journal.sqlite3` in `dir`.
    pub fn open_in(dir: &Path) -> Result<Self, JournalError> {
        std::fs::create_dir_all(dir).map_err(|e| JournalError(e.to_string()))?;
        let db = Connection::open(dir.join("journal.sqlite3"))?;
        db.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL + synchronous=NORMAL: committed transactions survive a killed process, and a
        // reader never sees half a write.
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        db.execute_batch(SCHEMA)?;
        Ok(Self { db })
    }

    /// Opens the user's journal.
    pub fn open() -> Result<Self, JournalError> {
        Self::open_in(&data_dir())
    }

    /// Records an event; returns its id.
    pub fn record(&self, e: &Event) -> Result<i64, JournalError> {
        self.db.execute(
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
                e.result,
                e.detail
            ],
        )?;
        Ok(self.db.last_insert_rowid())
    }

    /// Updates event `id` with its outcome (`e.result`, `e.level`, output hash, signer,
    /// detail).
    pub fn finish(&self, id: i64, e: &Event) -> Result<(), JournalError> {
        self.db.execute(
            "UPDATE events SET result=?2, level=?3, output_sha256=?4, signer=?5,
               certificate_sha256=?6, detail=?7,
               input_sha256 = CASE WHEN ?8 = '' THEN input_sha256 ELSE ?8 END WHERE id=?1",
            params![
                id,
                e.result,
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

    /// Every event, oldest first.
    pub fn events(&self) -> Result<Vec<Event>, JournalError> {
        let mut st = self.db.prepare(
            "SELECT id, time, action, input, input_sha256, output, output_sha256, signer,
               certificate_sha256, level, result, detail FROM events ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
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
                result: r.get(10)?,
                detail: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Queues `file` for completion to `level`.
    pub fn add_pending(&self, file: &str, level: &str, tsa_urls: &[String]) -> Result<(), JournalError> {
        let urls = serde_json::to_string(tsa_urls).map_err(|e| JournalError(e.to_string()))?;
        self.db.execute(
            "INSERT INTO pending (created, file, level, tsa_urls) VALUES (?1,?2,?3,?4)
             ON CONFLICT(file) DO UPDATE SET level=excluded.level, tsa_urls=excluded.tsa_urls",
            params![crate::timefmt::now(), file, level, urls],
        )?;
        Ok(())
    }

    /// The queue, oldest first.
    pub fn pending(&self) -> Result<Vec<Pending>, JournalError> {
        let mut st = self.db.prepare(
            "SELECT id, created, file, level, tsa_urls, attempts, last_error FROM pending ORDER BY id",
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
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A queued job failed again: it stays, with the reason.
    pub fn pending_failed(&self, id: i64, error: &str) -> Result<(), JournalError> {
        self.db.execute(
            "UPDATE pending SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// A queued job is done.
    pub fn pending_done(&self, id: i64) -> Result<(), JournalError> {
        self.db
            .execute("DELETE FROM pending WHERE id = ?1", params![id])?;
        Ok(())
    }

    /// SQLite's own consistency check (`ok` when sound).
    pub fn integrity(&self) -> Result<String, JournalError> {
        Ok(self
            .db
            .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default())
    }
}

/// A journal entry in progress, for callers that sign or augment. The journal never blocks
/// signing: when it cannot be opened, [`Entry::warning`] says why and nothing is recorded.
pub struct Entry {
    journal: Option<Journal>,
    id: i64,
    warning: Option<String>,
    input: PathBuf,
}

impl Entry {
    /// Records the start of `action` (`sign`, `augment`) on `input`. The input's SHA-256 is
    /// filled in by [`Entry::finish`] (a signing computes it in its own pass).
    pub fn start(action: &str, input: &Path, output: &Path, level: &str) -> Self {
        let (journal, warning) = match Journal::open() {
            Ok(j) => (Some(j), None),
            Err(e) => (None, Some(format!("{e}; this is not recorded"))),
        };
        let ev = Event {
            time: crate::timefmt::now(),
            action: action.into(),
            input: input.display().to_string(),
            output: output.display().to_string(),
            level: level.into(),
            result: "started".into(),
            ..Event::default()
        };
        let id = journal.as_ref().and_then(|j| j.record(&ev).ok()).unwrap_or(0);
        Self {
            journal,
            id,
            warning,
            input: input.to_path_buf(),
        }
    }

    /// Why the journal could not be used, if it could not.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Records the outcome: `result` (`ok`, `pending`, `failed`), the level reached, the
    /// output written with its and the input's SHA-256 when already known (else they are
    /// computed here), the signer (name, certificate SHA-256) and a detail (error code).
    pub fn finish(
        &self,
        result: &str,
        level: &str,
        output: Option<(&Path, &crate::sign::FileDigests)>,
        signer: Option<(String, String)>,
        detail: Option<String>,
    ) {
        let Some(j) = &self.journal else { return };
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
            result: result.into(),
            level: level.into(),
            input_sha256,
            output_sha256,
            signer,
            certificate_sha256,
            detail,
            ..Event::default()
        };
        let _ = j.finish(self.id, &ev);
    }

    /// Queues `file` to be completed to `level` when the network is back.
    pub fn queue(&self, file: &Path, level: &str, tsa_urls: &[String]) -> Result<(), JournalError> {
        let j = self.journal.as_ref().ok_or_else(|| {
            JournalError("the signing journal is not available, so the job cannot be queued".into())
        })?;
        j.add_pending(&file.display().to_string(), level, tsa_urls)
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
                result: "started".into(),
                ..Event::default()
            })
            .unwrap();
        let done = Event {
            result: "pending".into(),
            level: "B-B".into(),
            output_sha256: Some("11".into()),
            detail: Some("TSA_UNAVAILABLE".into()),
            ..Event::default()
        };
        j.finish(id, &done).unwrap();
        let ev = j.events().unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].result.as_str(), ev[0].level.as_str()), ("pending", "B-B"));
        j.add_pending("b.pdf", "B-LT", &["http://tsa".into()]).unwrap();
        j.add_pending("b.pdf", "B-LTA", &["http://tsa".into()]).unwrap();
        let p = j.pending().unwrap();
        assert_eq!(p.len(), 1, "one job per file");
        assert_eq!(p[0].level, "B-LTA");
        j.pending_failed(p[0].id, "still offline").unwrap();
        assert_eq!(j.pending().unwrap()[0].attempts, 1);
        j.pending_done(p[0].id).unwrap();
        assert!(j.pending().unwrap().is_empty());
        assert_eq!(j.integrity().unwrap(), "ok");
    }
}
