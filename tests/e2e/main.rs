//! End-to-end tests: the `kyso` binary against a real SoftHSM2 token, real PKCS#12 files,
//! and independent validators (poppler pdfsig, pyHanko, qpdf, openssl cms, xmlsec1, signxml).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod agreement;
mod certified;
mod corpus;
mod doctor;
mod later_changes;
mod legal;
mod ltv;
mod queue;
mod refusals;
mod remote;
mod revocation;
mod sign;
mod support;
mod timestamps;
mod tokens;
mod trust;
mod unplugged;
mod verify;
mod visible;
mod xml;
