//! The change rules' view of the test kit's tiny PDFs: what changed after a signed
//! revision. The builder itself is [`crate::testkit::pdf`].

#![cfg(test)]
#![allow(clippy::unwrap_used)]

use super::{analyse, Change, Severity};
use crate::pdf::permissions::FieldLock;
pub(in crate::verify) use crate::testkit::pdf::{base, stream, Doc};

// An inherent impl beside the rules: the kit's builder knows nothing about change analysis.
impl Doc {
    /// What changed after the first revision (signed), with the certification level and
    /// the field lock given.
    pub fn changes_with(&self, docmdp: Option<i64>, lock: Option<&FieldLock>) -> Vec<Change> {
        let pdf = self.pdf();
        let signed = pdf.sections.len() - 1;
        analyse(&pdf, signed, docmdp, lock).unwrap().changes
    }

    /// What changed after the revision in section `signed` (newest first), certified at
    /// `docmdp`.
    pub fn changes_since(&self, signed: usize, docmdp: Option<i64>) -> Vec<Change> {
        analyse(&self.pdf(), signed, docmdp, None).unwrap().changes
    }

    /// What changed after the first revision, certified at `docmdp`.
    pub fn changes(&self, docmdp: Option<i64>) -> Vec<Change> {
        self.changes_with(docmdp, None)
    }

    /// The codes of [`Doc::changes`], with their severities.
    pub fn codes(&self, docmdp: Option<i64>) -> Vec<(&'static str, Severity)> {
        self.changes(docmdp)
            .iter()
            .map(|c| (c.finding.code(), c.severity))
            .collect()
    }
}

#[test]
fn the_builder_writes_revisions_the_reader_opens() {
    let d = base()
        .update(&[(9, "<</Title(x)>>")])
        .update(&[(10, "<</Title(y)>>")]);
    let pdf = d.pdf();
    assert_eq!(pdf.sections.len(), 3);
    assert!(!pdf.reconstructed);
    assert_eq!(d.codes(None), vec![]);
}
