//! Remote-account secrets in the operating system's keyring, when the user asks Kyso to
//! remember them: Windows Credential Manager, the macOS Keychain, the Linux kernel keyring
//! (kept for the login session). Never in files; PINs are never kept at all.

use crate::signer::Secret;

const SERVICE: &str = "vn.kyso.remote";

fn entry(account: &str) -> Result<::keyring::Entry, String> {
    ::keyring::Entry::new(SERVICE, account).map_err(|e| e.to_string())
}

/// The secret remembered for `account`, if there is one.
pub fn saved(account: &str) -> Option<Secret> {
    entry(account).ok()?.get_password().ok().map(Secret::new)
}

/// Remembers `secret` for `account`.
pub fn save(account: &str, secret: &Secret) -> Result<(), String> {
    entry(account)?.set_password(secret.expose()).map_err(|e| {
        format!("the system keyring did not keep the secret ({e}); it will be asked for next time")
    })
}

/// Forgets the secret of `account` (nothing to forget is fine).
pub fn forget(account: &str) {
    if let Ok(e) = entry(account) {
        let _ = e.delete_credential();
    }
}
