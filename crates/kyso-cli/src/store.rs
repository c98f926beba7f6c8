//! What the user keeps in the config folder: `kyso trust` (the trust store) and `kyso
//! profile` (the organisation's seal, signature images, name).

use std::path::Path;

use kyso_core::appearance::profile::Profile;
use kyso_core::Error;

use crate::args::{ProfileCommand, TrustCommand};
use crate::error::CliError;
use crate::output;

/// `kyso profile show|set`.
pub fn run_profile(c: ProfileCommand) -> u8 {
    let (folders, _) = crate::user();
    let config = folders.config;
    let profile_err =
        |e: kyso_core::appearance::profile::ProfileError| CliError::from(Error::Profile(e.to_string()));
    let r = (|| -> Result<(Profile, bool), CliError> {
        let mut p = Profile::load(&config).map_err(profile_err)?;
        match c {
            ProfileCommand::Show { json } => Ok((p, json)),
            ProfileCommand::Set {
                org,
                seal,
                signature,
                approve_text,
            } => {
                if let Some(o) = org {
                    p.organization = Some(o);
                }
                if let Some(f) = seal {
                    p.seal = Some(Profile::store_image(&config, &f, "seal").map_err(profile_err)?);
                }
                for (i, s) in signature.iter().enumerate() {
                    let (name, file) = s
                        .split_once('=')
                        .ok_or_else(|| CliError::usage("--signature takes NAME=FILE"))?;
                    let stored = Profile::store_image(
                        &config,
                        Path::new(file),
                        &format!("signature-{i}-{}", p.signatures.len()),
                    )
                    .map_err(profile_err)?;
                    p.signatures.insert(name.to_string(), stored);
                }
                if !approve_text.is_empty() {
                    p.approve_text = approve_text;
                }
                p.save(&config).map_err(profile_err)?;
                Ok((p, false))
            }
        }
    })();
    match r {
        Ok((p, json)) => {
            let v = serde_json::to_value(&p).unwrap_or_default();
            output::print_json_or(json, &v, || {
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default())
            });
            0
        }
        Err(e) => {
            output::print_error(false, &e);
            1
        }
    }
}

/// `kyso trust import|list|disable|enable|refresh`.
pub fn run_trust(c: TrustCommand) -> u8 {
    let (folders, mut settings) = crate::user();
    let mut store = kyso_core::trust::TrustStore::open(&folders.config);
    match c {
        TrustCommand::Import {
            files,
            custom,
            system,
            json,
        } => {
            let system = match system
                .as_deref()
                .map(|s| (s, kyso_core::trust::System::from_name(s)))
            {
                None => None,
                Some((_, Some(s))) if s != kyso_core::trust::System::Other => Some(s),
                Some((s, _)) => {
                    output::print_error(
                        json,
                        &CliError::usage(format!("--system takes official or public, not {s}")),
                    );
                    return 1;
                }
            };
            let mut imported = Vec::new();
            for f in &files {
                let data = if f.starts_with("http://") || f.starts_with("https://") {
                    match kyso_core::net::fetch::get(f, kyso_core::net::fetch::MAX_CERT) {
                        Ok(d) => d,
                        Err(e) => {
                            output::print_error(json, &CliError::usage(format!("cannot download {f}: {e}")));
                            return 1;
                        }
                    }
                } else {
                    match std::fs::read(f) {
                        Ok(d) => d,
                        Err(e) => {
                            output::print_error(json, &e.into());
                            return 1;
                        }
                    }
                };
                match store.import_as(&data, custom, system) {
                    Ok(entries) => imported.extend(entries),
                    Err(e) => {
                        output::print_error(json, &Error::from(e).into());
                        return 1;
                    }
                }
            }
            let v = serde_json::json!({ "imported": imported });
            output::print_json_or(json, &v, || {
                for e in &imported {
                    println!(
                        "imported {:?}: {} ({})",
                        e.role,
                        e.subject,
                        e.pinned_as.unwrap_or("custom anchor")
                    );
                }
            });
            0
        }
        TrustCommand::List { json } => {
            let entries = kyso_core::trust::overview(&folders.config, &settings, Some(&folders.data));
            let v = serde_json::json!({
                "entries": entries,
                "stored": store.list(),
                "pins": kyso_core::trust::PINS,
            });
            output::print_json_or(json, &v, || {
                for e in &entries {
                    let source = match e.source {
                        kyso_core::trust::Source::BuiltIn => "built-in",
                        kyso_core::trust::Source::Imported => "imported",
                        kyso_core::trust::Source::Custom => "custom",
                        kyso_core::trust::Source::Kept => "kept",
                    };
                    println!(
                        "{}  {:<8}  {:<12}  {:<8}  {}  {}",
                        if e.enabled { "on " } else { "OFF" },
                        source,
                        format!("{:?}", e.role).to_lowercase(),
                        format!("{:?}", e.system).to_lowercase(),
                        &e.sha256[..16],
                        e.subject
                    );
                }
            });
            0
        }
        TrustCommand::Disable { fingerprint, json } => {
            switch(&folders, &mut settings, &fingerprint, false, json)
        }
        TrustCommand::Enable { fingerprint, json } => {
            switch(&folders, &mut settings, &fingerprint, true, json)
        }
        TrustCommand::Refresh { json } => {
            let results = kyso_core::trust::refresh(&folders, &settings);
            let v = serde_json::json!({ "refreshed": results });
            output::print_json_or(json, &v, || {
                for r in &results {
                    match (&r.error, &r.this_update) {
                        (None, Some(t)) => println!("ok      {} — {} ({t})", r.url, r.issuer),
                        (Some(e), _) => println!("failed  {} — {}: {e}", r.url, r.issuer),
                        _ => {}
                    }
                }
            });
            u8::from(results.iter().all(|r| r.error.is_some()) && !results.is_empty())
        }
    }
}

/// `kyso trust disable|enable FINGERPRINT`: saved in the settings the app shares.
fn switch(
    folders: &kyso_core::folders::Folders,
    settings: &mut kyso_core::settings::Settings,
    fingerprint: &str,
    on: bool,
    json: bool,
) -> u8 {
    let entries = kyso_core::trust::overview(&folders.config, settings, Some(&folders.data));
    let fp = match kyso_core::trust::resolve(&entries, fingerprint) {
        Ok(fp) => fp,
        Err(e) => {
            output::print_error(json, &Error::from(e).into());
            return 1;
        }
    };
    kyso_core::trust::set_enabled(settings, &fp, on);
    if let Err(e) = settings.save(&folders.config) {
        output::print_error(json, &e.into());
        return 1;
    }
    let entry = kyso_core::trust::overview(&folders.config, settings, Some(&folders.data))
        .into_iter()
        .find(|e| e.sha256 == fp);
    let v = serde_json::json!({ "changed": entry });
    output::print_json_or(json, &v, || {
        if let Some(e) = &entry {
            println!("{} {}", if on { "on: " } else { "off:" }, e.subject);
        }
    });
    0
}
