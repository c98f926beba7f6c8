//! Canonicalisation: the one place that names the C14N library (`bergshamra-c14n` 0.11.1, with
//! its parser `uppsala`; versions pinned in Cargo.toml so an update that changes bytes is a
//! deliberate change, caught by the xmlsec1 interop tests).
//!
//! XMLDSig rules applied here, not in the library:
//! - a same-document reference (`URI=""` or `URI="#id"`) selects its node set *without comments*
//!   (XMLDSig 1.1 §4.4.3.3), whatever the canonicalisation method says; `#WithComments` only
//!   matters for `SignedInfo` (and for `#xpointer(...)` references, which Kyso refuses);
//! - the enveloped-signature transform removes the `Signature` element that holds the reference;
//! - the document subset keeps its context: inclusive C14N renders the apex element with every
//!   namespace in scope and with the `xml:*` attributes inherited from its ancestors.

use bergshamra_c14n::{canonicalize_doc_to, C14nMode, C14nSink};
use bergshamra_xml::nodeset::{NodeIdSet, NodeSetType};
use bergshamra_xml::NodeSet;
/// The document tree the canonicaliser works on (the rest of `xml` uses it through here, so
/// replacing the library touches this file and the type names only).
pub(crate) use uppsala::{Document, NodeId, NodeKind};

use super::XmlError;
use crate::crypto::Hasher;

/// Parses `text` into the canonicaliser's tree: DTDs and entities refused, nesting bounded.
/// The error is the parser's message.
pub(crate) fn parse(text: &str, max_depth: u32) -> Result<Document<'_>, String> {
    uppsala::Parser::new()
        .with_forbid_dtd(true)
        .with_forbid_entities(true)
        .with_max_depth(max_depth)
        .with_max_entity_expansion(0)
        .parse(text)
        .map_err(|e| e.to_string())
}

/// Canonicalisation methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Canonical XML 1.0 (the default for Vietnamese forms).
    C14n10,
    /// Canonical XML 1.0 with comments (some tax notices).
    C14n10WithComments,
    /// Canonical XML 1.1.
    C14n11,
    /// Canonical XML 1.1 with comments.
    C14n11WithComments,
    /// Exclusive C14N (rare here).
    Exclusive,
    /// Exclusive C14N with comments.
    ExclusiveWithComments,
}

impl Method {
    fn mode(self) -> C14nMode {
        match self {
            Self::C14n10 => C14nMode::Inclusive,
            Self::C14n10WithComments => C14nMode::InclusiveWithComments,
            Self::C14n11 => C14nMode::Inclusive11,
            Self::C14n11WithComments => C14nMode::Inclusive11WithComments,
            Self::Exclusive => C14nMode::Exclusive,
            Self::ExclusiveWithComments => C14nMode::ExclusiveWithComments,
        }
    }
    /// XMLDSig URI.
    pub fn uri(self) -> &'static str {
        self.mode().uri()
    }
    /// From a URI.
    pub fn from_uri(uri: &str) -> Option<Self> {
        let m = C14nMode::from_uri(uri)?;
        Some(match m {
            C14nMode::Inclusive => Self::C14n10,
            C14nMode::InclusiveWithComments => Self::C14n10WithComments,
            C14nMode::Inclusive11 => Self::C14n11,
            C14nMode::Inclusive11WithComments => Self::C14n11WithComments,
            C14nMode::Exclusive => Self::Exclusive,
            C14nMode::ExclusiveWithComments => Self::ExclusiveWithComments,
        })
    }
    fn with_comments(self) -> bool {
        self.mode().with_comments()
    }
}

impl C14nSink for Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// Where canonical bytes go.
pub(crate) trait Sink: C14nSink {}
impl Sink for Hasher {}
impl Sink for Vec<u8> {}

/// Canonicalises the node set of a same-document reference: `apex` (`None`: the whole
/// document, `URI=""`) without comments, minus the subtree `exclude` (the enveloping
/// `Signature`, when the enveloped-signature transform is listed).
pub(crate) fn reference<W: Sink>(
    doc: &Document<'_>,
    apex: Option<NodeId>,
    exclude: Option<NodeId>,
    method: Method,
    prefixes: &[String],
    out: &mut W,
) -> Result<(), XmlError> {
    let set = match apex {
        None => {
            // whole document: everything but comments and the excluded subtree (compact inverted set)
            let mut ids = NodeIdSet::default();
            for n in doc.descendants(doc.root()) {
                if matches!(doc.node_kind(n), Some(NodeKind::Comment(_))) {
                    ids.insert(n.index());
                }
            }
            if let Some(x) = exclude {
                ids.insert(x.index());
                for n in doc.descendants(x) {
                    ids.insert(n.index());
                }
            }
            NodeSet::from_ids(ids, NodeSetType::Invert)
        }
        Some(apex) => subtree_set(doc, apex, exclude),
    };
    canonicalize_doc_to(doc, method.mode(), Some(&set), prefixes, out)
        .map_err(|e| XmlError::C14n(e.to_string()))
}

/// The node set of `apex`'s subtree without comments and without `exclude`'s subtree.
///
/// Stored the cheaper way round: a signed element is often most of the file (`DLHDon` of a bulk
/// invoice), and for those an "everything except" set is ~2.5x faster to canonicalise than a set
/// listing millions of visible nodes. The inverted form relies on the parser numbering nodes in
/// document order, so a subtree is one index range; that is checked, not assumed.
fn subtree_set(doc: &Document<'_>, apex: NodeId, exclude: Option<NodeId>) -> NodeSet {
    let mut hidden = NodeIdSet::default();
    let (mut count, mut max) = (0usize, apex.index());
    let mut stack = vec![apex];
    while let Some(n) = stack.pop() {
        count += 1;
        max = max.max(n.index());
        if Some(n) == exclude || matches!(doc.node_kind(n), Some(NodeKind::Comment(_))) {
            // hidden, with its whole subtree (the walk continues to count the range)
            hidden.insert(n.index());
            for d in doc.descendants(n) {
                count += 1;
                max = max.max(d.index());
                hidden.insert(d.index());
            }
            continue;
        }
        stack.extend(doc.children_iter(n));
    }
    // the last node in document order has the highest index
    let mut last = doc.root();
    while let Some(c) = doc.last_child(last) {
        last = c;
    }
    let total = last.index() + 1;
    let contiguous = count == max - apex.index() + 1;
    if contiguous && count > total / 2 {
        // everything but: the nodes before and after the range (not the document node 0),
        // comments and the excluded subtree
        for i in (1..apex.index()).chain(max + 1..total) {
            hidden.insert(i);
        }
        NodeSet::from_ids(hidden, NodeSetType::Invert)
    } else {
        // small subtree (an Object, a form in a dossier): list the visible nodes
        let mut visible = NodeIdSet::default();
        let mut stack = vec![apex];
        while let Some(n) = stack.pop() {
            if !hidden.contains(&n.index()) {
                visible.insert(n.index());
                stack.extend(doc.children_iter(n));
            }
        }
        NodeSet::from_ids(visible, NodeSetType::Normal)
    }
}

/// Canonicalises an element subtree (`SignedInfo`), with comments if the method says so.
pub(crate) fn element<W: Sink>(
    doc: &Document<'_>,
    el: NodeId,
    method: Method,
    prefixes: &[String],
    out: &mut W,
) -> Result<(), XmlError> {
    let set = if method.with_comments() {
        NodeSet::tree_with_comments(el, doc)
    } else {
        NodeSet::tree_without_comments(el, doc)
    };
    canonicalize_doc_to(doc, method.mode(), Some(&set), prefixes, out)
        .map_err(|e| XmlError::C14n(e.to_string()))
}
