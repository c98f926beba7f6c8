//! Validity of the certificates at the time judged: the best time known — what a trusted
//! timestamp proves, else what the signature claims, else now.

use x509_cert::Certificate;

use super::Finding;
use crate::cert;
use crate::verify::Eval;

/// The signer's certificate must be valid at `at`. Without a proof of time an expired
/// certificate leaves the verdict undecided even when the claimed time is inside its
/// validity: a claimed time is the signer's word, and anyone holding the key after expiry
/// could write it.
pub(super) fn of_signer(ev: &mut Eval, signer: &Certificate, at: i64, poe: Option<i64>, now: i64) {
    let (not_before, not_after) = cert::validity(signer);
    ev.report.certificate_valid_at_time = Some(not_before <= at && at <= not_after);
    if at < not_before {
        ev.find(Finding::NotYetValid);
    } else if at > not_after || (poe.is_none() && now > not_after) {
        ev.find(Finding::ExpiredNoPoe { not_after });
    }
}

/// Every CA above the signer (`path[1..]`) must be valid at `at`; each that is not is said.
pub(super) fn of_chain(ev: &mut Eval, path: &[Certificate], at: i64) {
    for c in path.iter().skip(1) {
        let (not_before, not_after) = cert::validity(c);
        if at < not_before || at > not_after {
            ev.find(Finding::ChainCertificateNotValid);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::super::testpki::{self, codes, Shape, CA, DURING, SIGNER, VALID};
    use super::*;
    use crate::verify::{Indication, SubIndication};

    #[test]
    fn valid_at_the_time_judged_says_nothing() {
        let mut ev = testpki::eval();
        of_signer(&mut ev, &testpki::signer(), DURING, None, DURING);
        assert!(codes(&ev).is_empty());
        assert_eq!(ev.report.certificate_valid_at_time, Some(true));
    }

    #[test]
    fn before_its_validity_is_not_yet_valid() {
        let mut ev = testpki::eval();
        of_signer(&mut ev, &testpki::signer(), VALID.0 - 1, None, DURING);
        assert_eq!(codes(&ev), ["CERTIFICATE_NOT_YET_VALID"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::NotYetValid));
        assert_eq!(ev.report.certificate_valid_at_time, Some(false));
    }

    #[test]
    fn expired_now_needs_a_timestamp_from_before() {
        let after = VALID.1 + 1;
        // Claimed inside the validity, checked after expiry, no timestamp: undecided.
        let mut ev = testpki::eval();
        of_signer(&mut ev, &testpki::signer(), DURING, None, after);
        assert_eq!(codes(&ev), ["CERTIFICATE_EXPIRED_NO_POE"]);
        assert_eq!(ev.report.indication, Indication::Indeterminate);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
        assert_eq!(ev.report.certificate_valid_at_time, Some(true));
        assert!(
            ev.report.findings[0]
                .en
                .contains("expired on 2033-05-18T03:33:20Z"),
            "{:?}",
            ev.report.findings[0]
        );
        // A timestamp proving a time inside the validity settles it.
        let mut ev = testpki::eval();
        of_signer(&mut ev, &testpki::signer(), DURING, Some(DURING), after);
        assert!(codes(&ev).is_empty());
        // A timestamp after expiry does not.
        let mut ev = testpki::eval();
        of_signer(&mut ev, &testpki::signer(), after, Some(after), after);
        assert_eq!(codes(&ev), ["CERTIFICATE_EXPIRED_NO_POE"]);
    }

    #[test]
    fn each_ca_out_of_its_validity_is_said() {
        let short = Shape {
            validity: (VALID.0, DURING - 1),
            ca: true,
            ..Shape::leaf(9)
        };
        let expired_ca = testpki::certificate(CA, testpki::ROOT, short);
        let signer = testpki::certificate(SIGNER, CA, Shape::leaf(3));
        let mut ev = testpki::eval();
        of_chain(&mut ev, &[signer.clone(), testpki::ca(), testpki::root()], DURING);
        assert!(codes(&ev).is_empty());
        of_chain(&mut ev, &[signer, expired_ca, testpki::root()], DURING);
        assert_eq!(codes(&ev), ["CHAIN_CERTIFICATE_NOT_VALID"]);
        assert_eq!(ev.report.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
        // The signer itself is judged by `of_signer`, not here.
        let mut ev = testpki::eval();
        of_chain(&mut ev, &[testpki::certificate(SIGNER, CA, short)], DURING);
        assert!(codes(&ev).is_empty());
    }
}
