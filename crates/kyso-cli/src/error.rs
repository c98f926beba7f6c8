//! The CLI's errors: the core's, plus flags that make no sense. The core's messages never
//! name a flag; here each error that a flag can fix gets the flag as a hint.

use kyso_core::error::{AppearanceError, Refusal};
use kyso_core::signer::SignerError;
use kyso_core::xml::XmlError;
use kyso_core::Error;

/// What went wrong, for `print_error`.
#[derive(Debug)]
pub enum CliError {
    /// From the core.
    Core(Error),
    /// Flags that do not fit together or do not parse.
    Usage(String),
}

macro_rules! from_core {
    ($($t:ty),*) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> Self {
                CliError::Core(e.into())
            }
        }
    )*};
}
from_core!(
    Error,
    std::io::Error,
    SignerError,
    Refusal,
    AppearanceError,
    kyso_core::journal::JournalError,
    kyso_core::trust::TrustError
);

impl CliError {
    /// A usage error.
    pub fn usage(s: impl Into<String>) -> Self {
        CliError::Usage(s.into())
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Core(e) => e.code(),
            CliError::Usage(_) => "USAGE",
        }
    }

    /// The message, with the flag that fixes it when there is one.
    pub fn message(&self) -> String {
        match self {
            CliError::Core(e) => match hint(e) {
                Some(h) => format!("{e}; {h}"),
                None => e.to_string(),
            },
            CliError::Usage(s) => s.clone(),
        }
    }
}

/// The flag that fixes `e`, if one does.
pub fn hint(e: &Error) -> Option<&'static str> {
    Some(match e {
        Error::Policy(Refusal::NotPdf) => "use --detached to make a separate .p7s signature for other files",
        Error::Policy(Refusal::TsaRequired(_)) => "add --tsa URL",
        Error::OutputExists(_) => "name another with -o, or replace it with --force",
        Error::NoTrustedChain(_) => "import them with `kyso trust import FILE|URL`, or add --trust ROOT.pem",
        Error::Appearance(AppearanceError::PlaceMissing | AppearanceError::BlockMissing) => {
            "use --visible PAGE,X1,Y1,X2,Y2, --anchor TEXT, or --visible field --field NAME"
        }
        Error::Appearance(AppearanceError::SealMissing(_)) => {
            "add --image SEAL.png, or save it with `kyso profile set --seal`"
        }
        Error::Appearance(AppearanceError::DocNumberMissing(_)) => "add --doc-number",
        Error::Appearance(AppearanceError::OrgMissing) => {
            "add --org, or save it with `kyso profile set --org`"
        }
        Error::Appearance(AppearanceError::ReceiptMissing) => "add --receipt",
        Error::Trust(kyso_core::trust::TrustError::NotPinned { .. }) => {
            "add it with --custom only if you trust it"
        }
        Error::Signer(SignerError::AmbiguousToken(_)) => "choose one with --token LABEL",
        Error::Signer(SignerError::AmbiguousCert(_)) => "choose one with --cert SELECTOR",
        Error::Signer(SignerError::PinRequired) => {
            "give it with --pin-env VAR, --pin-fd N, --pin-file F, or on a terminal"
        }
        Error::Signer(SignerError::ModuleLoad { .. }) => "name the driver with --pkcs11 MODULE",
        Error::Policy(Refusal::XmlLevel(_)) => "leave out --level (or give --level B-B) for XML files",
        Error::Policy(Refusal::XmlPss) => "leave out --pss for XML files",
        Error::Xml(XmlError::TargetUnclear(_) | XmlError::IdNotFound(_)) => {
            "name the element to sign with --xml-ref ID"
        }
        Error::Xml(
            XmlError::NoFreeSlot(_)
            | XmlError::NotASlot { .. }
            | XmlError::PathAmbiguous(_)
            | XmlError::SlotOccupied(_),
        ) => "name the place of the signature with --xml-into (a slot such as NMua or CQT, or a path A/B/C)",
        Error::Xml(XmlError::WrongTarget { .. }) => "check --xml-ref and --xml-into",
        _ => return None,
    })
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
