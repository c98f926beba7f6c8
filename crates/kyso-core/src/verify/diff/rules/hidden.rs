//! Objects hidden in the signed revision and brought out later — the "hide" shadow attack:
//! content is planted before signing where nothing uses it (so the signer does not see it,
//! but the signature covers it), and a later update points at it, for example a form field's
//! appearance under a certification that allows form filling. Every object a later revision
//! newly refers to that existed, unused, in the signed revision is reported.

use std::collections::{BTreeMap, HashSet, VecDeque};

use super::super::history::{get_at, refs_in};
use super::super::{appearance, Change, Finding};
use super::Context;
use crate::pdf::{Object, Source};

/// Most objects visited to learn what the signed revision uses. Beyond this the question
/// stays open and nothing is reported (a document this large is reported by its size).
const MAX_WALK: usize = 1_000_000;

/// Objects of the signed revision that later revisions newly refer to, and from where.
#[derive(Default)]
pub(in super::super) struct Referrals {
    /// Referenced object → the first written object referring to it.
    newly: BTreeMap<u32, u32>,
}

impl Referrals {
    /// Notes the references of written object `num` (`old` its signed version, if any).
    pub fn note<S: Source>(&mut self, ctx: &Context<'_, S>, num: u32, old: Option<&Object>, new: &Object) {
        let mut now = HashSet::new();
        refs_in(new, &mut now);
        let mut before = HashSet::new();
        if let Some(o) = old {
            refs_in(o, &mut before);
        }
        for r in now.difference(&before) {
            // Rewritten objects are judged as themselves; new ones hide nothing.
            if !ctx.written.contains(r) && ctx.existed(*r) {
                self.newly.entry(*r).or_insert(num);
            }
        }
    }
}

/// Which of `wanted` the signed revision uses (reaches from its trailer); `None` when the
/// walk is too long to finish.
fn used_in_signed<S: Source>(ctx: &Context<'_, S>, wanted: &HashSet<u32>) -> Option<HashSet<u32>> {
    let mut seen: HashSet<u32> = HashSet::new();
    let mut queue: VecDeque<u32> = VecDeque::new();
    let mut roots = HashSet::new();
    refs_in(&Object::Dict(ctx.signed_trailer.clone()), &mut roots);
    queue.extend(roots);
    let mut found = HashSet::new();
    while let Some(num) = queue.pop_front() {
        if !seen.insert(num) {
            continue;
        }
        if seen.len() > MAX_WALK {
            return None;
        }
        if wanted.contains(&num) {
            found.insert(num);
            if found.len() == wanted.len() {
                break;
            }
        }
        let Ok(obj) = get_at(ctx.pdf, num, ctx.signed) else {
            continue;
        };
        let mut refs = HashSet::new();
        refs_in(&obj, &mut refs);
        queue.extend(refs.into_iter().filter(|r| !seen.contains(r)));
    }
    Some(found)
}

/// Objects unused in the signed revision that a later revision refers to.
pub(in super::super) fn check<S: Source>(ctx: &Context<'_, S>, referrals: &Referrals) -> Vec<Change> {
    if referrals.newly.is_empty() {
        return Vec::new();
    }
    let wanted: HashSet<u32> = referrals.newly.keys().copied().collect();
    let Some(used) = used_in_signed(ctx, &wanted) else {
        return Vec::new();
    };
    referrals
        .newly
        .iter()
        .filter(|(num, _)| !used.contains(num))
        .map(|(num, via)| {
            let via_dict = ctx
                .pdf
                .get(crate::pdf::ObjRef::new(*via, 0))
                .ok()
                .and_then(|o| o.as_dict().cloned());
            let field = via_dict
                .filter(|d| d.name_is(b"Subtype", b"Widget") || d.get(b"FT").is_some())
                .map(|d| appearance::field_of(ctx.pdf, *via, &d).name)
                .filter(|n| !n.is_empty());
            let page = ctx.annot_pages.get(via).copied().or_else(|| ctx.page_of(*via));
            Change::forbidden(*num, page, Finding::HiddenObjectShown { via: *via, field })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::testpdf::{base, stream, Doc};
    use super::super::super::{Finding, Severity::Forbidden};

    /// The base document with a form XObject (9) that nothing uses: planted before signing.
    fn planted() -> Doc {
        base().update(&[(
            9,
            &stream(
                "/Type/XObject/Subtype/Form/BBox[0 0 200 20]/Resources<</Font<</F1 5 0 R>>>>",
                "BT /F1 12 Tf (99/QD) Tj ET",
            ),
        )])
    }

    fn field_with_ap(ap: u32) -> String {
        format!(
            "<</Type/Annot/Subtype/Widget/FT/Tx/T(SoVanBan)/V(99/QD)/F 4/Rect[50 600 250 620]/P 3 0 R\
             /AP<</N {ap} 0 R>>>>"
        )
    }

    #[test]
    fn a_field_appearance_pointed_at_a_hidden_object_is_refused_even_under_p2() {
        let d = planted().update(&[(6, &field_with_ap(9))]);
        let c = d.changes_since(1, Some(2));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].severity, Forbidden);
        assert_eq!(c[0].object, 9);
        assert_eq!(c[0].page, Some(1));
        assert_eq!(
            c[0].finding,
            Finding::HiddenObjectShown {
                via: 6,
                field: Some("SoVanBan".into())
            }
        );
    }

    #[test]
    fn a_new_appearance_or_one_in_use_is_not_hidden() {
        // A fresh appearance stream: ordinary form filling.
        let d = base().update(&[
            (
                9,
                &stream(
                    "/Type/XObject/Subtype/Form/BBox[0 0 200 20]",
                    "BT /F1 12 Tf (01/QD) Tj ET",
                ),
            ),
            (6, &field_with_ap(9)),
        ]);
        assert_eq!(d.codes(Some(2)), vec![]);
        // Re-using an object the signed revision draws (the page's font) hides nothing.
        let d = base().update(&[
            (
                9,
                &stream(
                    "/Type/XObject/Subtype/Form/Resources<</Font<</F1 5 0 R>>>>",
                    "BT /F1 12 Tf (x) Tj ET",
                ),
            ),
            (6, &field_with_ap(9)),
        ]);
        assert_eq!(d.codes(Some(2)), vec![]);
    }

    #[test]
    fn a_hidden_object_reached_through_a_new_one_is_found() {
        // The new appearance draws the planted form as an XObject.
        let d = planted().update(&[
            (
                10,
                &stream(
                    "/Type/XObject/Subtype/Form/Resources<</XObject<</H 9 0 R>>>>",
                    "/H Do",
                ),
            ),
            (6, &field_with_ap(10)),
        ]);
        let c = d.changes_since(1, Some(3));
        assert_eq!(
            c.iter().map(|c| (c.finding.code(), c.object)).collect::<Vec<_>>(),
            vec![("HIDDEN_OBJECT_SHOWN", 9)]
        );
        assert!(c[0].what().contains("through object 10"), "{}", c[0].what());
    }
}
