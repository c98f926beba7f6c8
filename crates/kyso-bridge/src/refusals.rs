//! Refused requests in the journal without letting a page flood it: the first refusal of a
//! site in a minute gets a row, repeats in that minute are counted in the same row, and
//! beyond a number of rows a minute (a page inventing sites) one row counts the rest.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kyso_core::journal::{Journal, Outcome};

/// Rows for refusals a minute, all sites together.
const ROWS_PER_MINUTE: usize = 30;
const MINUTE: Duration = Duration::from_secs(60);

struct Row {
    since: Instant,
    id: i64,
    count: u64,
    first: String,
}

#[derive(Default)]
struct State {
    by_site: HashMap<String, Row>,
    /// When the rows of the last minute were written.
    rows: Vec<Instant>,
    /// The row that counts refusals beyond the limit.
    overflow: Option<Row>,
}

/// See the module.
#[derive(Default)]
pub struct RefusalLog {
    state: Mutex<State>,
}

fn counted(first: &str, count: u64) -> String {
    format!("{first} (×{count} trong một phút / in one minute)")
}

impl RefusalLog {
    /// Journals a refusal of `action` for `origin` (see the module).
    pub fn note(&self, journal: &Journal, action: &str, origin: &str, detail: &str) {
        let now = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(row) = st
            .by_site
            .get_mut(origin)
            .filter(|r| now.duration_since(r.since) < MINUTE)
        {
            row.count += 1;
            journal.renote(row.id, &counted(&row.first, row.count));
            return;
        }
        st.rows.retain(|t| now.duration_since(*t) < MINUTE);
        st.by_site.retain(|_, r| now.duration_since(r.since) < MINUTE);
        if st.rows.len() >= ROWS_PER_MINUTE {
            match st
                .overflow
                .as_mut()
                .filter(|r| now.duration_since(r.since) < MINUTE)
            {
                Some(row) => {
                    row.count += 1;
                    journal.renote(
                        row.id,
                        &format!(
                            "{} yêu cầu bị từ chối khác trong một phút / {} more refused requests in one minute",
                            row.count, row.count
                        ),
                    );
                }
                None => {
                    let first =
                        "1 yêu cầu bị từ chối khác trong một phút / 1 more refused request in one minute";
                    let id = journal.note("bridge (many sites)", "(many sites)", Outcome::Refused, first);
                    st.overflow = Some(Row {
                        since: now,
                        id,
                        count: 1,
                        first: first.into(),
                    });
                }
            }
            return;
        }
        st.rows.push(now);
        let id = journal.note(action, origin, Outcome::Refused, detail);
        st.by_site.insert(
            origin.to_string(),
            Row {
                since: now,
                id,
                count: 1,
                first: detail.to_string(),
            },
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_refusals_takes_a_few_rows() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open_in(dir.path()).unwrap();
        let log = RefusalLog::default();
        for _ in 0..500 {
            log.note(&j, "bridge SignPDF", "http://evil.vn:80", "Status 2: not allowed");
        }
        let ev = j.events().unwrap();
        assert_eq!(ev.len(), 1);
        assert!(
            ev[0].detail.as_deref().unwrap().contains("×500"),
            "{:?}",
            ev[0].detail
        );
        // Many invented sites: a bounded number of rows, the rest counted.
        for i in 0..1000 {
            log.note(
                &j,
                "bridge SignPDF",
                &format!("http://s{i}.evil.vn:80"),
                "Status 2",
            );
        }
        let ev = j.events().unwrap();
        assert_eq!(
            ev.len(),
            ROWS_PER_MINUTE + 1,
            "one row per site up to the limit, then one"
        );
        let last = ev.last().unwrap().detail.clone().unwrap();
        assert!(
            last.contains(&format!("{} more", 1000 - (ROWS_PER_MINUTE - 1))),
            "{last}"
        );
    }
}
