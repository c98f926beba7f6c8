//! Long-term signatures from the command line: `kyso augment`, the queue of signatures made
//! offline (`kyso augment --pending`), and the signing journal (`kyso journal`).

use kyso_core::journal::Journal;
use kyso_core::sign::ltv;
use kyso_core::Error;

use crate::args::{AugmentArgs, JournalArgs, LevelArg};
use crate::output;

pub fn level_name(l: LevelArg) -> &'static str {
    match l {
        LevelArg::BB => "B-B",
        LevelArg::BT => "B-T",
        LevelArg::BLt => "B-LT",
        LevelArg::BLta => "B-LTA",
    }
}

fn augment_one(a: &AugmentArgs) -> Result<serde_json::Value, Error> {
    let input = a
        .input
        .clone()
        .ok_or_else(|| Error::Policy("name the signed PDF to extend, or use --pending".into()))?;
    let level = match a.level {
        Some(LevelArg::BLt) => ltv::Level::Lt,
        Some(LevelArg::BLta) => ltv::Level::Lta,
        _ => return Err(Error::Policy("augment takes --level B-LT or B-LTA".into())),
    };
    let output = a.output.clone().unwrap_or_else(|| {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tag = if level == ltv::Level::Lta { "lta" } else { "lt" };
        input.with_file_name(kyso_core::filename::safe_file_name(
            &format!("{stem}-{tag}.pdf"),
            "signed.pdf",
        ))
    });
    let (anchors, intermediates) = crate::trust_material(&a.trust)?;
    let rec = crate::journal_start(
        "augment",
        &input,
        &output,
        level_name(a.level.unwrap_or(LevelArg::BLt)),
    );
    let r = ltv::augment(
        &input,
        &output,
        level,
        &ltv::AugmentOptions {
            anchors,
            intermediates,
            tsa_urls: a.tsa.clone(),
            force: a.force,
        },
    );
    match &r {
        Ok(o) => rec.finish(
            "ok",
            level_name(a.level.unwrap_or(LevelArg::BLt)),
            Some((o.output.as_path(), &kyso_core::sign::FileDigests::default())),
            None,
            None,
        ),
        Err(e) => rec.finish("failed", "", None, None, Some(e.code().into())),
    }
    Ok(serde_json::to_value(r?).unwrap_or_default())
}

/// Completes every queued job it can; a failed job stays queued with its reason.
fn augment_pending(a: &AugmentArgs) -> Result<(serde_json::Value, bool), Error> {
    let trust = crate::trust_material(&a.trust)?;
    let r = ltv::complete_queue(&trust, &a.tsa)?;
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
    let j = match Journal::open() {
        Ok(j) => j,
        Err(e) => {
            output::print_error(a.json, &Error::Policy(e.to_string()));
            return 2;
        }
    };
    let (events, pending) = (j.events().unwrap_or_default(), j.pending().unwrap_or_default());
    let v = serde_json::json!({"events": events, "pending": pending});
    output::print_json_or(a.json, &v, || {
        for e in &events {
            println!(
                "{}  {:7} {:8} {:6} {} → {}  {}",
                kyso_core::timefmt::vietnam(e.time),
                e.action,
                e.result,
                e.level,
                e.input,
                e.output,
                e.signer.clone().unwrap_or_default()
            );
        }
        if !pending.is_empty() {
            println!("Waiting for the network ({}):", pending.len());
            for p in &pending {
                println!(
                    "  {} → {}  {}",
                    p.file,
                    p.level,
                    p.last_error.clone().unwrap_or_default()
                );
            }
        }
    });
    0
}
