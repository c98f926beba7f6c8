//! The signing time an XML signature claims (the forms' `SigningTime`): recorded with where
//! it comes from, used for the certificate judgement only when a reference covers it.

use super::{Eval, Finding, VerifyOptions};
use crate::timefmt;
use crate::xml::verify::{Problem, XmlSignatureFinding};

/// How far ahead of now a claimed time may be before it is told (clocks drift).
const SKEW: i64 = 600;
/// Vietnam is UTC+7: a time written in Vietnam time but read as UTC is 7 hours ahead.
const VIETNAM_OFFSET: i64 = 7 * 3600;

/// Records the claimed signing time and its notes; returns it when it can be used (signed).
pub(super) fn claimed(ev: &mut Eval, f: &XmlSignatureFinding, opts: &VerifyOptions) -> Option<i64> {
    let st = f.signing_time.as_ref()?;
    let raw = st.raw.trim();
    let Some(instant) = st.instant else {
        ev.find(Finding::SigningTimeUnreadable { raw: raw.to_string() });
        return None;
    };
    let t = instant.unix_timestamp();
    let unsigned = f.problems.contains(&Problem::SigningTimeUnsigned);
    ev.report.claimed_time = Some(timefmt::rfc3339(t));
    ev.report.claimed_time_vietnam = Some(timefmt::vietnam(t));
    ev.report.claimed_time_source = Some(
        if unsigned {
            "SigningTime (unsigned)"
        } else {
            "SigningTime"
        }
        .into(),
    );
    if st.zone_assumed {
        ev.find(Finding::SigningTimeZoneAssumed { raw: raw.to_string() });
    }
    in_future(ev, t, opts.now.unwrap_or_else(timefmt::now));
    (!unsigned).then_some(t)
}

/// XMLDSig has no timestamp to compare with; a time in the future is the tell-tale of
/// tools that write Vietnam time as UTC (7 hours ahead), or of a wrong clock.
fn in_future(ev: &mut Eval, t: i64, now: i64) {
    let ahead = t - now;
    if ahead > SKEW {
        ev.find(if ahead <= VIETNAM_OFFSET + SKEW {
            Finding::VietnamTimeAsUtc
        } else {
            Finding::SigningTimeInFuture
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testxml::{self, checked, codes, einvoice};
    use super::*;
    use crate::verify::Indication;
    use crate::xml::time as st;

    /// 2026-10-05T02:30:00Z, when the test invoice is signed (09:30 in Vietnam).
    const SIGNED_AT: i64 = 1_791_167_400;

    fn opts_at(now: i64) -> VerifyOptions {
        VerifyOptions {
            now: Some(now),
            ..VerifyOptions::default()
        }
    }

    #[test]
    fn a_signed_time_without_zone_is_read_as_vietnam_time_and_used() {
        let f = checked(&einvoice()).signatures.remove(0);
        let mut ev = testxml::eval();
        assert_eq!(claimed(&mut ev, &f, &opts_at(SIGNED_AT + 60)), Some(SIGNED_AT));
        assert_eq!(ev.report.claimed_time.as_deref(), Some("2026-10-05T02:30:00Z"));
        assert_eq!(ev.report.claimed_time_source.as_deref(), Some("SigningTime"));
        assert_eq!(codes(&ev), ["XMLDSIG_SIGNING_TIME_ZONE_ASSUMED"]);
        assert_eq!(
            ev.report.findings[0].en,
            "The signing time \"2026-10-05T09:30:00\" has no time zone; it is read as Vietnam time (UTC+7)."
        );
    }

    #[test]
    fn an_unsigned_time_is_shown_but_not_used() {
        let mut f = testxml::bare();
        f.signing_time = Some(st::parse("2026-10-05T09:30:00+07:00"));
        f.problems.push(Problem::SigningTimeUnsigned);
        let mut ev = testxml::eval();
        assert_eq!(claimed(&mut ev, &f, &opts_at(SIGNED_AT)), None);
        assert_eq!(
            ev.report.claimed_time_source.as_deref(),
            Some("SigningTime (unsigned)")
        );
        assert!(codes(&ev).is_empty());
    }

    #[test]
    fn an_unreadable_time_is_told_and_not_used() {
        let mut f = testxml::bare();
        f.signing_time = Some(st::parse("  hôm qua "));
        let mut ev = testxml::eval();
        assert_eq!(claimed(&mut ev, &f, &opts_at(SIGNED_AT)), None);
        assert_eq!(codes(&ev), ["XMLDSIG_SIGNING_TIME_UNREADABLE"]);
        assert_eq!(
            ev.report.findings[0].vi,
            "Không đọc được thời gian ký \"hôm qua\"."
        );
        assert!(ev.report.claimed_time.is_none());
    }

    #[test]
    fn no_time_no_note() {
        let mut ev = testxml::eval();
        assert_eq!(claimed(&mut ev, &testxml::bare(), &opts_at(SIGNED_AT)), None);
        assert!(ev.report.findings.is_empty());
    }

    #[test]
    fn a_time_ahead_is_told_as_vietnam_time_or_a_wrong_clock() {
        let told = |ahead: i64| {
            let mut ev = testxml::eval();
            in_future(&mut ev, SIGNED_AT + ahead, SIGNED_AT);
            assert_eq!(ev.report.indication, Indication::TotalPassed);
            codes(&ev)
        };
        assert!(told(SKEW).is_empty());
        assert_eq!(told(SKEW + 1), ["XMLDSIG_VIETNAM_TIME_AS_UTC"]);
        assert_eq!(told(VIETNAM_OFFSET), ["XMLDSIG_VIETNAM_TIME_AS_UTC"]);
        assert_eq!(told(VIETNAM_OFFSET + SKEW), ["XMLDSIG_VIETNAM_TIME_AS_UTC"]);
        assert_eq!(
            told(VIETNAM_OFFSET + SKEW + 1),
            ["XMLDSIG_SIGNING_TIME_IN_FUTURE"]
        );
    }
}
