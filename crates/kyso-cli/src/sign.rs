//! `kyso sign`: flags → a workflow request; the core plans (every refusal before the PIN),
//! the signer is opened, the core signs; the results are printed.

use kyso_core::appearance::roles;
use kyso_core::appearance::visible::{AnchorAt, Place};
use kyso_core::level::Level;
use kyso_core::workflow::{self, Context, Detached, Job, Request};
use kyso_core::FieldLock;
use kyso_core::{HashAlg, Scheme};

use crate::args::{HashArg, LevelArg, RoleArg, SignArgs, XmlProfileArg};
use crate::error::CliError;
use crate::output;

/// Runs `kyso sign`; 0 when every document was signed.
pub fn run(a: SignArgs) -> u8 {
    let json = a.json;
    match sign(a) {
        Ok(v) => {
            output::print_json_or(json, &v, || output::print_sign(&v));
            // A folder with documents that could not be signed is not a success.
            let failed = v
                .get("failed")
                .and_then(|f| f.as_array())
                .is_some_and(|f| !f.is_empty());
            u8::from(failed)
        }
        Err(e) => {
            output::print_error(json, &e);
            1
        }
    }
}

pub(crate) fn level_of(l: LevelArg) -> Level {
    match l {
        LevelArg::BB => Level::BB,
        LevelArg::BT => Level::BT,
        LevelArg::BLt => Level::BLt,
        LevelArg::BLta => Level::BLta,
    }
}

fn role_of(r: RoleArg) -> roles::Role {
    match r {
        RoleArg::Approve => roles::Role::Approve,
        RoleArg::Issue => roles::Role::Issue,
        RoleArg::Appendix => roles::Role::Appendix,
        RoleArg::Copy => roles::Role::Copy,
        RoleArg::Incoming => roles::Role::Incoming,
    }
}

fn failure(job: &Job, e: CliError) -> serde_json::Value {
    serde_json::json!({ "input": job.input, "error": output::error_json(&e) })
}

fn sign(a: SignArgs) -> Result<serde_json::Value, CliError> {
    let (folders, settings) = crate::user();
    let journal = workflow::journal(&folders);
    if let Some(w) = journal.warning() {
        eprintln!("kyso: warning: {w}");
    }
    let folder = a.input.is_dir();
    if folder && a.detached {
        return Err(CliError::usage(
            "a folder is signed PDF by PDF; --detached takes one file",
        ));
    }
    let mut skipped = Vec::new();
    let jobs = if folder {
        let out = a.output.clone().unwrap_or_else(|| a.input.clone());
        std::fs::create_dir_all(&out)?;
        // Signed by an earlier run of the same command (one that stopped when the token
        // was pulled out): only the rest is signed now.
        let (done, rest): (Vec<Job>, Vec<Job>) = workflow::folder_jobs(&a.input, &out)?
            .into_iter()
            .partition(|j| !a.force && workflow::already_signed(&journal, j));
        skipped = done
            .into_iter()
            .map(|j| serde_json::json!({"input": j.input, "output": j.output}))
            .collect();
        if rest.is_empty() {
            return Ok(serde_json::json!({"signed": [], "failed": [], "skipped": skipped}));
        }
        rest
    } else {
        // A script names its output or gets the usual name; an existing file is refused
        // (or replaced with --force), never silently renamed.
        let output = a
            .output
            .clone()
            .unwrap_or_else(|| workflow::output_name(&a.input, !a.detached, 1));
        vec![Job {
            input: a.input.clone(),
            output,
        }]
    };
    let req = Request {
        level: a.level.map(level_of),
        tsa_urls: a.tsa.clone(),
        queue: !a.no_queue,
        detached: if a.detached {
            Detached::Always
        } else {
            Detached::Never
        },
        hash: match a.hash {
            HashArg::Sha256 => HashAlg::Sha256,
            HashArg::Sha384 => HashAlg::Sha384,
            HashArg::Sha512 => HashAlg::Sha512,
        },
        scheme: a.pss.then_some(Scheme::RsaPss),
        field: a.field.clone(),
        reason: a.reason.clone(),
        location: a.location.clone(),
        contact: a.contact.clone(),
        certify: a.certify,
        lock_fields: a.lock_fields.as_deref().map(|l| match l {
            "all" => FieldLock::All,
            names => FieldLock::Include(
                names
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .collect(),
            ),
        }),
        appearance: appearance(&a)?,
        force: a.force,
        trust_files: a.trust.clone(),
        xml_profile: a.xml_profile.map(|p| match p {
            XmlProfileArg::Einvoice => kyso_core::xml::Form::Einvoice,
            XmlProfileArg::Tax => kyso_core::xml::Form::Tax,
            XmlProfileArg::Bhxh => kyso_core::xml::Form::Bhxh,
        }),
        xml_ref: a.xml_ref.clone(),
        xml_into: a.xml_into.clone(),
        c14n_with_comments: a.c14n_comments,
    };
    let ctx = Context {
        folders: &folders,
        settings: &settings,
        journal: &journal,
    };
    let mut plan = workflow::plan(&ctx, &req, jobs)?;
    let mut failed: Vec<serde_json::Value> = plan
        .take_refused()
        .into_iter()
        .map(|(job, e)| failure(&job, e.into()))
        .collect();
    if plan.is_empty() {
        return Ok(serde_json::json!({"signed": [], "failed": failed, "skipped": skipped}));
    }
    let mut signer = crate::signer::open_signer(&a.signer)?;
    let results = plan.run(&journal, signer.as_mut(), &mut ())?;
    if !folder {
        let Some((_, r)) = results.into_iter().next() else {
            return Err(kyso_core::Error::Internal("no result for the document").into());
        };
        let signed = r?;
        if let workflow::Signed::Pdf(o) = &signed {
            if let Some(w) = &o.journal_warning {
                eprintln!("kyso: warning: {w}");
            }
        }
        return Ok(serde_json::to_value(signed).unwrap_or_default());
    }
    let mut signed = Vec::new();
    let mut stopped = None;
    let mut not_reached = 0;
    for (job, r) in results {
        match r {
            Ok(o) => signed.push(serde_json::to_value(o).unwrap_or_default()),
            Err(e) => {
                match &e {
                    kyso_core::Error::NotReached(why) => {
                        not_reached += 1;
                        stopped.get_or_insert(*why);
                    }
                    kyso_core::Error::Signer(
                        s @ (kyso_core::signer::SignerError::TokenRemoved
                        | kyso_core::signer::SignerError::PinLocked),
                    ) => {
                        stopped = Some(s.code());
                        not_reached += 1;
                    }
                    _ => {}
                }
                failed.push(failure(&job, e.into()))
            }
        }
    }
    let mut v = serde_json::json!({"signed": signed, "failed": failed, "skipped": skipped});
    if let Some(code) = stopped {
        v["stopped"] = serde_json::json!({
            "code": code,
            "signed": v["signed"].as_array().map_or(0, Vec::len),
            "not_signed": not_reached,
            "message": stopped_message(code, not_reached),
        });
    }
    Ok(v)
}

/// What to do after a batch stopped at a document (the token pulled out, the PIN locked).
fn stopped_message(code: &str, not_signed: usize) -> String {
    if code == "PIN_LOCKED" {
        return format!(
            "Mã PIN đã bị khoá: {not_signed} văn bản chưa ký (tệp gốc không bị thay đổi). Hãy mở khoá PIN với đơn vị cấp chứng thư rồi chạy lại đúng lệnh này để ký các văn bản còn lại. / The PIN is locked: {not_signed} document(s) not signed (their files are untouched). Have the PIN unlocked by your certificate provider, then run the same command again to sign the rest."
        );
    }
    format!(
        "Thiết bị ký đã bị rút ra hoặc ngừng trả lời: {not_signed} văn bản chưa ký (tệp gốc không bị thay đổi). Hãy cắm lại thiết bị rồi chạy lại đúng lệnh này để ký các văn bản còn lại (văn bản đã ký được bỏ qua). / The token was removed or stopped answering: {not_signed} document(s) not signed (their files are untouched). Plug the token back in and run the same command again to sign the rest (documents already signed are skipped)."
    )
}

/// The visible-signature request from the flags (the core works out the rest).
fn appearance(a: &SignArgs) -> Result<Option<roles::Request>, CliError> {
    let image = match &a.image {
        Some(p) => {
            Some(std::fs::read(p).map_err(|e| CliError::usage(format!("the image {}: {e}", p.display())))?)
        }
        None => None,
    };
    let bad = || CliError::usage("--visible takes PAGE,X1,Y1,X2,Y2 (numbers, points) or field");
    let (page, place, use_field) = match a.visible.as_deref() {
        None if a.anchor.is_some() => {
            let at = AnchorAt::from_name(&a.anchor_at)
                .ok_or_else(|| CliError::usage("--anchor-at takes above, over, below or right"))?;
            let size: Vec<f32> = a
                .anchor_box
                .split(['x', 'X'])
                .filter_map(|v| v.trim().parse().ok())
                .collect();
            let [w, h] = size.as_slice() else {
                return Err(CliError::usage(
                    "--anchor-box takes WIDTHxHEIGHT in points, e.g. 170x60",
                ));
            };
            if *w < 10.0 || *h < 10.0 {
                return Err(CliError::usage("the anchored box needs at least 10 × 10 points"));
            }
            let text = a.anchor.clone().unwrap_or_default();
            (
                1,
                Some(Place::Anchor {
                    text,
                    width: *w,
                    height: *h,
                    at,
                }),
                false,
            )
        }
        None => (1, None, false),
        Some("field") => {
            if a.field.is_none() {
                return Err(CliError::usage("--visible field needs --field NAME"));
            }
            (1, None, true)
        }
        Some(v) => {
            let n: Vec<f32> = v
                .split(',')
                .map(|x| x.trim().parse::<f32>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad())?;
            let [p, x1, y1, x2, y2] = n.as_slice() else {
                return Err(bad());
            };
            if *p < 1.0 || (x2 - x1).abs() < 10.0 || (y2 - y1).abs() < 10.0 {
                return Err(CliError::usage(
                    "the visible signature needs a page ≥ 1 and a box of at least 10 × 10 points",
                ));
            }
            (*p as usize, Some(Place::Rect([*x1, *y1, *x2, *y2])), false)
        }
    };
    let wanted = a.role.is_some() || place.is_some() || use_field || image.is_some() || !a.text.is_empty();
    Ok(wanted.then(|| roles::Request {
        role: a.role.map(role_of),
        place,
        use_field,
        page,
        text: a.text.clone(),
        image,
        doc_number: a.doc_number.clone(),
        org: a.org.clone(),
        receipt: a.receipt.clone(),
        copy_form: a.copy_form.as_deref().and_then(roles::CopyForm::from_name),
        seal: a.seal,
        issued_date: None,
    }))
}
