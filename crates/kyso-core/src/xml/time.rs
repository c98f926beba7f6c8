//! `SigningTime` values: written as Vietnamese forms write them, read in all the forms seen.
//!
//! Seen in public samples: `2021-11-05T14:48:47` (local time, no zone: by far the most common),
//! `2026-04-20T08:58:40.983+07:00`, `...Z`. A value without a zone is read as Vietnam time
//! (UTC+07:00, no daylight saving) and reported as such, so the skew shown is honest.

use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// How new signatures write `SigningTime`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeStyle {
    /// `2026-10-05T09:30:00` in Vietnam time (what the tax authority's own tools write).
    #[default]
    LocalNoZone,
    /// `2026-10-05T09:30:00+07:00`.
    WithOffset,
}

/// Vietnam time.
pub const VN: UtcOffset = offset!(+7);

/// Formats a signing time.
pub fn format(t: OffsetDateTime, style: TimeStyle) -> String {
    let t = t.to_offset(VN);
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    match style {
        TimeStyle::LocalNoZone => base,
        TimeStyle::WithOffset => format!("{base}+07:00"),
    }
}

/// A parsed `SigningTime`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningTime {
    /// The text as written.
    pub raw: String,
    /// The instant, if the text could be read.
    pub instant: Option<OffsetDateTime>,
    /// The text had no zone; Vietnam time was assumed.
    pub zone_assumed: bool,
}

/// Parses the formats seen in Vietnamese files.
pub fn parse(raw: &str) -> SigningTime {
    let s = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return SigningTime {
            raw: raw.into(),
            instant: Some(t),
            zone_assumed: false,
        };
    }
    let plain = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let frac = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
    let space = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    for fd in [plain, frac, space] {
        if let Ok(p) = PrimitiveDateTime::parse(s, fd) {
            return SigningTime {
                raw: raw.into(),
                instant: Some(p.assume_offset(VN)),
                zone_assumed: true,
            };
        }
    }
    SigningTime {
        raw: raw.into(),
        instant: None,
        zone_assumed: false,
    }
}
