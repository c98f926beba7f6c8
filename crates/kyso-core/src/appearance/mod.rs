//! What Kyso draws into PDFs: text with an embedded Vietnamese-capable font (used by the
//! printable validation report, and by visible signatures).

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    font;
}
pub mod profile;
pub mod roles;
pub mod visible;
