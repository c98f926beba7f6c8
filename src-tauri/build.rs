// Tauri build step. App commands are listed so that each needs an explicit permission in a
// capability: a command not granted in capabilities/main.json cannot be called from the UI.
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "get_settings",
        "save_settings",
        "signing_defaults",
        "list_certificates",
        "pick_files",
        "pick_folder",
        "pick_p12",
        "sign_documents",
        "cancel_signing",
        "inspect_xml",
        "verify_documents",
        "reveal_output",
        "read_preview",
        "export_report",
        "get_journal",
        "complete_pending",
        "get_profile",
        "save_profile",
        "pick_profile_image",
        "list_providers",
        "save_provider",
        "remove_provider",
        "bridge_status",
        "bridge_answer",
        "bridge_origin_answer",
        "launch_request",
        "update_info",
        "check_update",
        "install_update",
        "bridge_document",
        "add_setting_path",
        "remove_setting_path",
        "trust_list",
        "trust_set_enabled",
        "trust_refresh",
        "self_check",
        "welcome_pending",
        "welcome_shown",
    ]);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
