//! Any bytes as a signing-bridge request: the URL path (up to the first newline) names the
//! action, the rest is the JSON body a web page sends. Parsing, the document list and the
//! address checks must refuse anything odd without panicking.
//!
#![no_main]
use kyso_bridge::{protocol, transfer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (path, body) = match data.iter().position(|b| *b == b'\n') {
        Some(p) => (&data[..p], &data[p + 1..]),
        None => (data, &b""[..]),
    };
    let path = String::from_utf8_lossy(path);
    if let Some(action) = protocol::Action::from_path(&path) {
        let _ = (action.role(), action.signs(), action.describe());
    }
    let _ = transfer::origin_of(&path);
    let Ok(req) = serde_json::from_slice::<protocol::Request>(body) else {
        return;
    };
    let allowed = vec!["https://vanban.example.gov.vn".to_string()];
    for (file, upload, meta) in req.documents() {
        let _ = protocol::Request::meta(&meta, &["SoVanBan", "so_van_ban", "DocumentNumber"]);
        let _ = transfer::resolve(&file, "https://vanban.example.gov.vn", &allowed);
        if let Some(u) = upload {
            let _ = transfer::resolve(&u, "https://vanban.example.gov.vn", &allowed);
            let _ = transfer::origin_of(&u);
        }
    }
});
