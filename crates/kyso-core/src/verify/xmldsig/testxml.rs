//! Real XML signatures for the checks' unit tests: a small e-invoice signed by Kyso's own
//! XML signer with the fixed P-256 key of the CMS tests, read back by Kyso's XML reader.
#![cfg(test)]
#![allow(clippy::expect_used)]

use p256::ecdsa::signature::hazmat::PrehashSigner;
use time::macros::datetime;

use super::Eval;
use crate::testkit::cms as testcms;
use crate::xml::sign::{prepare, Choice, SignOptions};
use crate::xml::verify::{self as xv, Checked, XmlSignatureFinding};

/// The Id of the invoice data (`HDon/DLHDon`).
pub const INV: &str = "DLHDon-K1";

/// An e-invoice as the forms shape it (two signature places, no signature yet).
const UNSIGNED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon><DLHDon Id=\"DLHDon-K1\"><TTChung><PBan>2.0.1</PBan><SHDon>42</SHDon></TTChung><NDHDon><NBan><Ten>CÔNG TY TNHH ÁNH DƯƠNG</Ten></NBan><TToan><TgTTTBSo>100</TgTTTBSo></TToan></NDHDon></DLHDon><DSCKS><NBan/><NMua/></DSCKS></HDon>";

/// The e-invoice signed by the seller on 2026-10-05 at 09:30 Vietnam time (into `NBan`,
/// with a signed `SigningTime`).
pub fn einvoice() -> String {
    let signer = testcms::signer();
    let p = prepare(
        UNSIGNED.as_bytes(),
        &Choice::default(),
        &signer,
        &[],
        &SignOptions::at(datetime!(2026-10-05 02:30:00 UTC)),
    )
    .expect("Kyso prepares the invoice");
    let sig: p256::ecdsa::Signature = testcms::key()
        .sign_prehash(&p.digest_to_sign)
        .expect("a signature");
    let signed = p.finish(sig.to_der().as_bytes()).expect("Kyso finishes it");
    String::from_utf8(signed).expect("UTF-8")
}

/// What the XML reader finds in `xml`.
pub fn checked(xml: &str) -> Checked {
    xv::signatures(xml.as_bytes(), &xv::VerifyOptions::default()).expect("readable XML")
}

/// A signature with nothing in it (for checks that read one field).
pub fn bare() -> XmlSignatureFinding {
    XmlSignatureFinding::unread("/Doc/Signature".into(), None)
}

/// A signature report with nothing found yet.
pub fn eval() -> Eval {
    Eval::new(
        "Signature1",
        crate::verify::SignatureKind::Signature,
        Some("XMLDSig".into()),
    )
}

pub(in crate::verify) use crate::verify::codes;
