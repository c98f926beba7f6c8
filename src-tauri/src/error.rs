//! The error every command returns: a stable code the UI translates (vi/en), an English
//! detail, and for PIN errors the token's tries-left flags. Never contains a PIN.

use kyso_core::signer::{PinState, SignerError};
use serde::Serialize;

/// A command failure, serialised to the UI as `{code, detail, pin}`.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    /// Stable code (`PIN_INCORRECT`, `TOKEN_MISSING`, `NOT_CHOSEN`, …).
    pub code: String,
    /// English detail for logs and the "more" section.
    pub detail: String,
    /// Token PIN flags, for PIN errors.
    pub pin: Option<PinState>,
}

impl CommandError {
    /// A command error.
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            detail: detail.into(),
            pin: None,
        }
    }
}

impl From<kyso_core::Error> for CommandError {
    fn from(e: kyso_core::Error) -> Self {
        let pin = match &e {
            kyso_core::Error::Signer(SignerError::PinIncorrect(s)) => Some(*s),
            _ => None,
        };
        Self {
            code: e.code().into(),
            detail: e.to_string(),
            pin,
        }
    }
}

impl From<SignerError> for CommandError {
    fn from(e: SignerError) -> Self {
        kyso_core::Error::Signer(e).into()
    }
}

impl From<kyso_core::trust::TrustError> for CommandError {
    fn from(e: kyso_core::trust::TrustError) -> Self {
        kyso_core::Error::from(e).into()
    }
}

impl From<kyso_core::journal::JournalError> for CommandError {
    fn from(e: kyso_core::journal::JournalError) -> Self {
        kyso_core::Error::from(e).into()
    }
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> Self {
        Self::new("IO", e.to_string())
    }
}

/// Result of a command.
pub type CmdResult<T> = Result<T, CommandError>;
