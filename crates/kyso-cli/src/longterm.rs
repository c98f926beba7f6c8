//! Long-term signatures from the command line: `kyso augment`, the queue of signatures made
//! offline (`kyso augment --pending`), and the signing journal (`kyso journal`).

use kyso_core::journal::Journal;
use kyso_core::level::Level;
use kyso_core::trust::Material;
use kyso_core::workflow;

use crate::args::{AugmentArgs, JournalArgs};
use crate::error::CliError;
use crate::output;

fn augment_one(a: &AugmentArgs) -> Result<serde_json::Value, CliError> {
    let input = a
        .input
        .clone()
        .ok_or_else(|| CliError::usage("name the signed PDF to extend, or use --pending"))?;
    let level = a.level.map(crate::sign::level_of).unwrap_or(Level::BLt);
    let output = a.output.clone().unwrap_or_else(|| {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tag = if level == Level::BLta { "lta" } else { "lt" };
        input.with_file_name(kyso_core::filename::safe_file_name(
            &format!("{stem}-{tag}.pdf"),
            "signed.pdf",
        ))
    });
    let (folders, settings) = crate::user();
    let trust = Material::load(&folders.config, &settings, &a.trust)?;
    let journal = workflow::journal(&folders);
    let r = workflow::augment(&journal, &input, &output, level, &trust, &a.tsa, a.force)?;
    Ok(serde_json::to_value(r).unwrap_or_default())
}

/// Completes every queued job it can; a failed job stays queued with its reason.
fn augment_pending(a: &AugmentArgs) -> Result<(serde_json::Value, bool), CliError> {
    let (folders, settings) = crate::user();
    let trust = Material::load(&folders.config, &settings, &a.trust)?;
    let journal = Journal::open_in(&folders.data)?;
    let r = workflow::complete_queue(&journal, &trust, &a.tsa)?;
    let ok = r.failed.is_empty();
    Ok((serde_json::to_value(r).unwrap_or_default(), ok))
}

pub fn run_augment(a: AugmentArgs) -> u8 {
    if a.pending {
        return match augment_pending(&a) {
            Ok((v, ok)) => {
                output::print_json_or(a.json, &v, || {
                    for d in v["completed"].as_array().into_iter().flatten() {
                        println!(
                            "completed: {} ({})",
                            d["output"].as_str().unwrap_or(""),
                            d["level"].as_str().unwrap_or("")
                        );
                    }
                    for f in v["failed"].as_array().into_iter().flatten() {
                        println!(
                            "still waiting: {} — {}",
                            f["file"].as_str().unwrap_or(""),
                            f["error"]["message"].as_str().unwrap_or("")
                        );
                    }
                });
                u8::from(!ok)
            }
            Err(e) => {
                output::print_error(a.json, &e);
                2
            }
        };
    }
    match augment_one(&a) {
        Ok(v) => {
            output::print_json_or(a.json, &v, || {
                println!(
                    "{} ({} signature(s); {} certificates, {} OCSP responses, {} CRLs)",
                    v["output"].as_str().unwrap_or(""),
                    v["signatures"],
                    v["certificates"],
                    v["ocsp_responses"],
                    v["crls"]
                )
            });
            0
        }
        Err(e) => {
            output::print_error(a.json, &e);
            1
        }
    }
}

pub fn run_journal(a: JournalArgs) -> u8 {
    let (folders, _) = crate::user();
    let j = match Journal::open_in(&folders.data) {
        Ok(j) => j,
        Err(e) => {
            output::print_error(a.json, &e.into());
            return 2;
        }
    };
    // One page: the newest `limit` events after skipping `offset`, one more to know whether
    // older ones remain; shown oldest first.
    let (offset, limit) = (a.offset as usize, a.limit as usize);
    let mut events = match j.events_page(offset, limit + 1) {
        Ok(e) => e,
        Err(e) => {
            output::print_error(a.json, &e.into());
            return 2;
        }
    };
    let more = events.len() > limit;
    events.truncate(limit);
    events.reverse();
    let pending = j.pending().unwrap_or_default();
    let v = serde_json::json!({
        "events": events, "pending": pending, "offset": offset, "limit": limit, "more": more
    });
    // Bridge rows carry text a web page chose (its origin, its file names): shown safely.
    let s = output::shown;
    output::print_json_or(a.json, &v, || {
        if more {
            println!("(older events: kyso journal --offset {})", offset + limit);
        }
        for e in &events {
            println!(
                "{}  {:7} {:8} {:6} {} → {}  {}{}",
                kyso_core::timefmt::vietnam(e.time),
                s(&e.action),
                e.result.as_str(),
                s(&e.level),
                s(&e.input),
                s(&e.output),
                s(&e.signer.clone().unwrap_or_default()),
                e.detail
                    .as_deref()
                    .filter(|_| e.output == "-")
                    .map(|d| format!("  {}", s(d)))
                    .unwrap_or_default()
            );
        }
        if !pending.is_empty() {
            println!("Waiting for the network ({}):", pending.len());
            for p in &pending {
                println!(
                    "  {} → {}  {}",
                    s(&p.file),
                    p.level,
                    s(&p.last_error.clone().unwrap_or_default())
                );
            }
        }
    });
    0
}
