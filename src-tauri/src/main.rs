//! Kyso desktop app: a thin Tauri shell. Commands validate their input and call kyso-core;
//! the UI never sees a key, and the PIN crosses IPC once per signing request, is wrapped in a
//! zeroizing type on arrival and dropped after the single login.
//!
//! Files: the UI cannot name arbitrary paths. Only files the user chose in a native dialog or
//! dropped on the window are registered in `AppState`, and commands refuse anything else.

// Hide the console window on Windows release builds.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

mod commands;
mod error;
mod settings;
mod state;
mod webview;

use tauri::{Emitter, Manager};

fn main() {
    let started = std::time::Instant::now();
    if !webview::runtime_present() {
        std::process::exit(3);
    }
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let state = state::AppState::load()?;
            // Revocation lists for checks without network, fetched while the user starts.
            commands::trust::refresh_at_start(&state);
            app.manage(state);
            commands::bridge::apply(app.handle());
            commands::update::manage(app.handle());
            commands::launch::manage(app.handle());
            Ok(())
        })
        .on_page_load(move |_, payload| {
            // Diagnostic for the start-up benchmark (scripts/bench-app.py): prints the time to
            // the UI's first load. Reads no secrets and changes no behaviour.
            if payload.event() == tauri::webview::PageLoadEvent::Finished
                && std::env::var_os("KYSO_STARTUP_PROBE").is_some()
            {
                eprintln!("kyso-startup-ms {}", started.elapsed().as_millis());
            }
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                // A drop is a choice the user made: register the files so commands accept them.
                let state = window.state::<state::AppState>();
                let files = state.register_dropped(paths);
                let _ = window.emit("files-dropped", files);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::signing_defaults,
            commands::settings::add_setting_path,
            commands::settings::remove_setting_path,
            commands::certs::list_certificates,
            commands::files::pick_files,
            commands::files::pick_folder,
            commands::files::pick_p12,
            commands::files::reveal_output,
            commands::files::read_preview,
            commands::files::export_report,
            commands::sign::sign_documents,
            commands::sign::cancel_signing,
            commands::sign::inspect_xml,
            commands::verify::verify_documents,
            commands::journal::get_journal,
            commands::journal::complete_pending,
            commands::profile::get_profile,
            commands::profile::save_profile,
            commands::profile::pick_profile_image,
            commands::remote::list_providers,
            commands::remote::save_provider,
            commands::remote::remove_provider,
            commands::bridge::bridge_status,
            commands::bridge::bridge_answer,
            commands::bridge::bridge_origin_answer,
            commands::launch::launch_request,
            commands::update::update_info,
            commands::update::check_update,
            commands::update::install_update,
            commands::bridge::bridge_document,
            commands::trust::trust_list,
            commands::trust::trust_set_enabled,
            commands::trust::trust_refresh,
            commands::doctor::self_check,
            commands::doctor::welcome_pending,
            commands::doctor::welcome_shown,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => eprintln!("Kyso could not start: {e}"),
    }
}
