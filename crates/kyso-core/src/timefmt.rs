//! Time formats: RFC 3339 for reports, PDF dates (ISO 32000-2 §7.9.4) for `/M`.

use time::{OffsetDateTime, UtcOffset};

/// RFC 3339 in UTC, e.g. `2026-11-24T05:30:00Z`.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Parses RFC 3339 to Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// `unix` in Vietnam time (UTC+7) with `format`.
fn in_vietnam(unix: i64, format: &[time::format_description::FormatItem<'_>]) -> String {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.to_offset(offset).format(format).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Vietnam time (UTC+7) for people, e.g. `2026-11-24 12:30:00 (+07:00)`.
pub fn vietnam(unix: i64) -> String {
    in_vietnam(
        unix,
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] (+07:00)"),
    )
}

/// Vietnam time in the ISO 8601 style Decree 30 stamps use: `2026-11-24T09:30:00+07:00`.
pub fn vietnam_iso(unix: i64) -> String {
    in_vietnam(
        unix,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+07:00"),
    )
}

/// The calendar date in Vietnam as documents write it: `05/12/2026`.
pub fn vietnam_date(unix: i64) -> String {
    in_vietnam(unix, time::macros::format_description!("[day]/[month]/[year]"))
}

/// The calendar date in Vietnam as (year, month, day).
pub fn vietnam_ymd(unix: i64) -> Option<(i32, u8, u8)> {
    let offset = UtcOffset::from_hms(7, 0, 0).ok()?;
    let t = OffsetDateTime::from_unix_timestamp(unix).ok()?.to_offset(offset);
    Some((t.year(), u8::from(t.month()), t.day()))
}

/// PDF date in UTC: `D:YYYYMMDDHHmmSSZ`.
pub fn pdf_date(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "D:[year][month][day][hour][minute][second]Z"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Parses a PDF date (`D:YYYYMMDDHHmmSSOHH'mm'`, most parts optional) to Unix seconds.
pub fn parse_pdf_date(s: &str) -> Option<i64> {
    let s = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let num = |from: usize, len: usize, default: u32| -> Option<u32> {
        match digits.get(from..from + len) {
            Some(t) => t.parse().ok(),
            None => Some(default),
        }
    };
    let year = i32::try_from(num(0, 4, 0)?).ok()?;
    let month = u8::try_from(num(4, 2, 1)?).ok()?;
    let day = u8::try_from(num(6, 2, 1)?).ok()?;
    let hour = u8::try_from(num(8, 2, 0)?).ok()?;
    let minute = u8::try_from(num(10, 2, 0)?).ok()?;
    let second = u8::try_from(num(12, 2, 0)?).ok()?.min(59);
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    let t = time::Time::from_hms(hour, minute, second).ok()?;
    let rest = s.get(digits.len()..).unwrap_or("");
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let body: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let h: i8 = body.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let m: i8 = body.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let (h, m) = if sign == '-' { (-h, -m) } else { (h, m) };
            UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => UtcOffset::UTC,
    };
    Some(
        time::PrimitiveDateTime::new(date, t)
            .assume_offset(offset)
            .unix_timestamp(),
    )
}

/// An HTTP `Date` header (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), as Unix
/// seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let f = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), f)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

/// Now, as Unix seconds.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    }

    #[test]
    fn pdf_dates_round_trip() {
        let t = 1_795_500_000;
        assert_eq!(parse_pdf_date(&pdf_date(t)), Some(t));
        assert_eq!(
            parse_pdf_date("D:20261124123000+07'00'"),
            parse_pdf_date("D:20261124053000Z")
        );
        assert!(parse_pdf_date("garbage").is_none());
    }
}
