//! The levels of a signature (ETSI baseline profiles: PAdES for PDFs, CAdES for `.p7s`):
//! what it carries besides the signature itself.

use std::fmt;

/// A baseline level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Level {
    /// The signature alone; its time is only claimed.
    #[serde(rename = "B-B")]
    BB,
    /// With a timestamp from a trusted authority proving when it existed.
    #[serde(rename = "B-T")]
    BT,
    /// With the certificates and revocation data a verifier needs, in the document (PDF).
    #[serde(rename = "B-LT")]
    BLt,
    /// B-LT under a document timestamp, so it can be renewed before algorithms age (PDF).
    #[serde(rename = "B-LTA")]
    BLta,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 4] = [Level::BB, Level::BT, Level::BLt, Level::BLta];

    /// The level's name: `B-B`, `B-T`, `B-LT`, `B-LTA`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::BB => "B-B",
            Level::BT => "B-T",
            Level::BLt => "B-LT",
            Level::BLta => "B-LTA",
        }
    }

    /// From its name (case-insensitive, with or without the dash).
    pub fn parse(s: &str) -> Option<Self> {
        let s: String = s.chars().filter(|c| *c != '-' && *c != '_').collect();
        Level::ALL
            .into_iter()
            .find(|l| l.as_str().replace('-', "").eq_ignore_ascii_case(&s))
    }

    /// Whether a timestamp authority is needed to reach it.
    pub fn needs_tsa(self) -> bool {
        self != Level::BB
    }

    /// Whether it adds validation data to the document (PDF only).
    pub fn is_long_term(self) -> bool {
        matches!(self, Level::BLt | Level::BLta)
    }

    /// The level a signing gets when the user does not choose: B-T when a timestamp
    /// authority is configured (a proven time is what a later check needs most, and it
    /// costs one request), else B-B. B-LT and B-LTA are chosen explicitly: they need the
    /// signer's chain and revocation services at signing time.
    pub fn default_for(tsa_configured: bool) -> Self {
        if tsa_configured {
            Level::BT
        } else {
            Level::BB
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order_follows_what_is_added() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
        assert_eq!(Level::parse("blta"), Some(Level::BLta));
        assert_eq!(Level::parse("B-X"), None);
        assert!(Level::BB < Level::BT && Level::BT < Level::BLt && Level::BLt < Level::BLta);
        assert!(!Level::BB.needs_tsa() && Level::BT.needs_tsa());
        assert!(Level::BLt.is_long_term() && !Level::BT.is_long_term());
        assert_eq!(Level::default_for(true), Level::BT);
        assert_eq!(Level::default_for(false), Level::BB);
    }
}
