//! What the crate's unit tests share across modules: real signature material
//! ([`cms`]) and tiny PDFs written byte by byte ([`pdf`]). Compiled for tests only; the
//! layering test skips files marked `#![cfg(test)]`, as the arrows they draw (a CMS test
//! using a PDF builder) are not the product's.
#![cfg(test)]

pub mod cms;
pub mod pdf;
