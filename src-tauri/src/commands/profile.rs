//! The organisation profile (seal, signature images, organisation name) for visible
//! signatures. Images are chosen in a native dialog (in Rust), copied into the config
//! folder and only ever read locally.

use base64ct::Encoding;
use kyso_core::appearance::profile::Profile;
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::files::{scripted_answer, to_paths};
use crate::error::{CmdResult, CommandError};
use crate::state::AppState;

/// The profile for the UI, images as data URLs for display.
#[derive(Serialize)]
pub struct ProfileView {
    /// Organisation name.
    pub organization: Option<String>,
    /// The seal, as a data URL.
    pub seal: Option<String>,
    /// Signature images by person, as data URLs.
    pub signatures: Vec<(String, String)>,
    /// Text under approval signatures.
    pub approve_text: Vec<String>,
}

fn err(e: impl std::fmt::Display) -> CommandError {
    CommandError::new("PROFILE", e.to_string())
}

fn data_url(bytes: &[u8]) -> String {
    let mime = if bytes.starts_with(&[0xFF, 0xD8]) {
        "image/jpeg"
    } else {
        "image/png"
    };
    format!("data:{mime};base64,{}", base64ct::Base64::encode_string(bytes))
}

fn view(state: &AppState) -> CmdResult<ProfileView> {
    let p = Profile::load(&state.config_dir).map_err(err)?;
    let seal = p
        .seal_image(&state.config_dir)
        .map_err(err)?
        .map(|b| data_url(&b));
    let mut signatures = Vec::new();
    for name in p.signatures.keys() {
        if let Some(b) = p.signature_image(&state.config_dir, name).map_err(err)? {
            signatures.push((name.clone(), data_url(&b)));
        }
    }
    Ok(ProfileView {
        organization: p.organization,
        seal,
        signatures,
        approve_text: p.approve_text,
    })
}

/// The profile.
#[tauri::command]
pub fn get_profile(state: State<'_, AppState>) -> CmdResult<ProfileView> {
    view(&state)
}

/// Saves the organisation name and approval text.
#[tauri::command]
pub fn save_profile(
    state: State<'_, AppState>,
    organization: Option<String>,
    approve_text: Vec<String>,
) -> CmdResult<ProfileView> {
    let mut p = Profile::load(&state.config_dir).map_err(err)?;
    p.organization = organization.filter(|o| !o.trim().is_empty());
    p.approve_text = approve_text
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect();
    p.save(&state.config_dir).map_err(err)?;
    view(&state)
}

/// Lets the user choose the seal (`kind` = `seal`) or a person's signature image (`kind` =
/// `signature`, `person` = the name as in the certificate); checks and stores it.
#[tauri::command]
pub async fn pick_profile_image(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: String,
    person: Option<String>,
) -> CmdResult<ProfileView> {
    let picked = match scripted_answer() {
        Some(p) => p,
        None => to_paths(
            app.dialog()
                .file()
                .add_filter("PNG / JPEG", &["png", "jpg", "jpeg", "PNG", "JPG", "JPEG"])
                .blocking_pick_file()
                .map(|f| vec![f]),
        ),
    };
    let Some(file) = picked.into_iter().next() else {
        return view(&state);
    };
    let mut p = Profile::load(&state.config_dir).map_err(err)?;
    match (kind.as_str(), person) {
        ("seal", _) => p.seal = Some(Profile::store_image(&state.config_dir, &file, "seal").map_err(err)?),
        ("signature", Some(name)) if !name.trim().is_empty() => {
            let stored = Profile::store_image(
                &state.config_dir,
                &file,
                &format!("signature-{}", p.signatures.len()),
            )
            .map_err(err)?;
            p.signatures.insert(name, stored);
        }
        _ => {
            return Err(CommandError::new(
                "PROFILE",
                "choose the seal, or a signature image with the person's name",
            ))
        }
    }
    p.save(&state.config_dir).map_err(err)?;
    view(&state)
}
