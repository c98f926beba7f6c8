//! The rules, one per kind of change. Each object a later revision wrote goes through the
//! per-object rules in order until one claims it ([`judge`]); the document-wide rules look
//! at what those objects add up to (a replaced catalog, widgets and annotations shown, hidden
//! objects brought out).

pub(super) mod added;
pub(super) mod bookkeeping;
pub(super) mod covering;
pub(super) mod deleted;
pub(super) mod dicts;
pub(super) mod drawn;
pub(super) mod hidden;
pub(super) mod lists;
pub(super) mod locks;
pub(super) mod root;
pub(super) mod widgets;

use super::context::Context;
use super::history::equivalent;
use super::Change;
use crate::pdf::{ObjRef, Object, Source};

/// An object that existed in the signed revision and was written again later.
pub(super) struct Written<'a> {
    /// Object number.
    pub num: u32,
    /// It is a page.
    pub is_page: bool,
    /// The page it is, or the page an annotation is on (1-based).
    pub page: Option<usize>,
    /// As signed.
    pub old: &'a Object,
    /// As it is now.
    pub new: &'a Object,
}

/// A per-object rule: `None` when the object is not its kind (the next rule is asked),
/// else the changes found (none: allowed).
type Rule<S> = fn(&Context<'_, S>, &Written<'_>) -> Option<Vec<Change>>;

/// Judges object `num`, written by a later revision; notes the objects it refers to for the
/// hidden-object rule.
pub(super) fn judge<S: Source>(
    ctx: &Context<'_, S>,
    num: u32,
    referrals: &mut hidden::Referrals,
) -> Vec<Change> {
    if bookkeeping::is_metadata(ctx, num) {
        return Vec::new();
    }
    let is_page = ctx.page_of(num).is_some();
    let page = ctx.page_of(num).or_else(|| ctx.annot_pages.get(&num).copied());
    let new = match ctx.pdf.get(ObjRef::new(num, 0)) {
        Ok(o) => o,
        Err(e) => return deleted::foreign_entry(num, page, &e),
    };
    if !ctx.existed(num) {
        referrals.note(ctx, num, None, &new);
        return added::check(ctx, num, &new);
    }
    let Ok(old) = ctx.old(num) else {
        return Vec::new(); // unreadable in the signed revision: nothing signed to compare with
    };
    referrals.note(ctx, num, Some(&old), &new);
    if equivalent(&old, &new) {
        return Vec::new();
    }
    let w = Written {
        num,
        is_page,
        page,
        old: &old,
        new: &new,
    };
    let rules: [Rule<S>; 6] = [
        deleted::check,
        locks::check,
        bookkeeping::check,
        lists::check,
        dicts::check,
        drawn::check,
    ];
    rules.iter().find_map(|rule| rule(ctx, &w)).unwrap_or_default()
}
