//! Windows draws Kyso's window with Microsoft Edge WebView2. Windows 10 and 11 normally have
//! its runtime, but an old or stripped-down installation may not, and then no window can
//! open at all: the user gets a plain system dialog saying what is missing and where to get
//! it (only Microsoft distributes the runtime), instead of a program that silently does
//! nothing. On Linux the window is WebKitGTK, a package dependency.

/// Microsoft's page for the WebView2 runtime (Evergreen bootstrapper).
#[cfg_attr(not(windows), allow(dead_code))]
pub const DOWNLOAD: &str = "https://go.microsoft.com/fwlink/p/?LinkId=2124703";

/// What the user reads when the runtime is missing (Vietnamese, then English).
#[cfg_attr(not(windows), allow(dead_code))]
pub fn missing_text(cause: &str) -> String {
    format!(
        "Kyso cần Microsoft Edge WebView2 Runtime để hiển thị cửa sổ, nhưng máy tính này chưa có.\n\
         Hãy cài WebView2 Runtime (miễn phí, của Microsoft) tại {DOWNLOAD} hoặc nhờ bộ phận CNTT cài, \
         rồi mở lại Kyso. Trong lúc chờ, lệnh kyso (dòng lệnh) vẫn ký và kiểm tra được.\n\n\
         Kyso needs the Microsoft Edge WebView2 Runtime to show its window, and this computer does not have it.\n\
         Install the WebView2 Runtime (free, from Microsoft) from {DOWNLOAD} or ask your IT department, \
         then open Kyso again. Meanwhile the kyso command line still signs and checks.\n\n({cause})"
    )
}

/// Whether the window can be drawn; if not, says so (standard error and a system dialog that
/// offers Microsoft's download page) and returns false.
#[cfg(windows)]
pub fn runtime_present() -> bool {
    let cause = match tauri::webview_version() {
        Ok(_) => return true,
        Err(e) => e.to_string(),
    };
    let text = missing_text(&cause);
    eprintln!("{text}");
    let answer = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Warning)
        .set_title("Kyso — thiếu WebView2 / WebView2 missing")
        .set_description(&text)
        .set_buttons(rfd::MessageButtons::OkCancelCustom(
            "Mở trang tải về / Open the download page".into(),
            "Đóng / Close".into(),
        ))
        .show();
    if matches!(answer, rfd::MessageDialogResult::Custom(ref s) if s.starts_with("Mở")) {
        let _ = tauri_plugin_opener::open_url(DOWNLOAD, None::<&str>);
    }
    false
}

/// Whether the window can be drawn (always, outside Windows).
#[cfg(not(windows))]
pub fn runtime_present() -> bool {
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_message_says_what_to_do_in_both_languages() {
        let t = super::missing_text("no runtime");
        assert!(t.contains("WebView2 Runtime") && t.contains(super::DOWNLOAD));
        assert!(t.contains("Hãy cài") && t.contains("Install the"));
        assert!(t.ends_with("(no runtime)"));
    }
}
