//! What Kyso draws into PDFs: text with an embedded Vietnamese-capable font (used by the
//! printable validation report, and by visible signatures).

pub mod font;
pub mod profile;
pub mod roles;
pub mod visible;
