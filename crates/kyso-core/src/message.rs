//! A sentence for people, in Vietnamese (first: the users' language) and English. Every face
//! shows one or the other; the JSON carries both.

use serde::Serialize;

/// A message for people, in both languages.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, Default)]
pub struct Message {
    /// Tiếng Việt.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Message {
    /// A message.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in `lang` (`vi`, else English).
    pub fn in_lang(&self, lang: &str) -> &str {
        if lang == "vi" {
            &self.vi
        } else {
            &self.en
        }
    }
}
