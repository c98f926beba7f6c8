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
    /// A stable code for programs, when the sentence says a typed finding (the JSON report
    /// carries it; people read the sentences).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

impl Message {
    /// A message.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
            code: None,
        }
    }

    /// The message of a typed finding, with the finding's stable code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
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
