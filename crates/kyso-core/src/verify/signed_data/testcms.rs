//! The signature checks' view of the test kit's CMS material: the SignedData Kyso makes,
//! and an empty report to record findings in. The material is [`crate::testkit::cms`].
#![cfg(test)]

pub(in crate::verify) use crate::testkit::cms::{rsa_certificate, signed_data, signed_data_der};

use super::Eval;

/// A signature report with nothing found yet.
pub fn eval() -> Eval {
    Eval::new("Signature1", crate::verify::SignatureKind::Signature, None)
}
