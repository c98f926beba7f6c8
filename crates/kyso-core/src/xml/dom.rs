//! Parsing with limits, the Id index, element paths.

use std::collections::HashMap;

use super::c14n::{self, Document, NodeId, NodeKind};
use super::XmlError;

/// Limits applied before and while parsing.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest element nesting accepted.
    pub max_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        // Real forms are a few KB to a few MB; bulk invoices/statements reach tens of MB.
        Self {
            max_bytes: 256 << 20,
            max_depth: 128,
        }
    }
}

/// The text of an XML file: UTF-8, BOM split off (kept for output).
pub(crate) fn text<'a>(xml: &'a [u8], limits: &Limits) -> Result<(&'a str, bool), XmlError> {
    if xml.len() > limits.max_bytes {
        return Err(XmlError::TooLarge {
            size: xml.len(),
            limit: limits.max_bytes,
        });
    }
    let (bom, body) = match xml.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, xml),
    };
    let s = std::str::from_utf8(body).map_err(|_| XmlError::NotUtf8)?;
    Ok((s, bom))
}

/// Parses: DTDs refused (so no entity can be declared, let alone expanded), depth bounded.
pub(crate) fn parse<'a>(text: &'a str, limits: &Limits) -> Result<Document<'a>, XmlError> {
    // The parser rejects a DOCTYPE too; checking first gives the specific error.
    if has_doctype(text) {
        return Err(XmlError::Dtd);
    }
    c14n::parse(text, limits.max_depth).map_err(|m| {
        if m.contains("depth") {
            XmlError::TooDeep
        } else if m.contains("DOCTYPE") || m.contains("DTD") {
            XmlError::Dtd
        } else {
            XmlError::Malformed(m)
        }
    })
}

/// A `<!DOCTYPE` in the prolog (before the document element). A miss here is still caught by
/// the parser's own DTD refusal; this only gives the specific message.
fn has_doctype(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(p) = text[i..].find('<') {
        let j = i + p;
        if text[j..].starts_with("<!DOCTYPE") {
            return true;
        }
        match b.get(j + 1) {
            Some(b'?' | b'!') => i = j + 1,
            _ => return false,
        }
    }
    false
}

/// The element's local name, if `n` is an element.
pub(crate) fn local_name<'d>(doc: &'d Document<'_>, n: NodeId) -> Option<&'d str> {
    match doc.node_kind(n) {
        Some(NodeKind::Element(e)) => Some(e.name.local_name.as_ref()),
        _ => None,
    }
}

/// True if `n` is an element with this namespace and local name.
pub(crate) fn is(doc: &Document<'_>, n: NodeId, ns: &str, local: &str) -> bool {
    match doc.node_kind(n) {
        Some(NodeKind::Element(e)) => {
            e.name.local_name == local && e.name.namespace_uri.as_deref() == Some(ns)
        }
        _ => false,
    }
}

/// An attribute without namespace.
pub(crate) fn attr<'d>(doc: &'d Document<'_>, n: NodeId, name: &str) -> Option<&'d str> {
    match doc.node_kind(n) {
        Some(NodeKind::Element(e)) => e
            .attributes
            .iter()
            .find(|a| a.name.local_name == name && a.name.prefix.is_none())
            .map(|a| a.value.as_ref()),
        _ => None,
    }
}

/// Child elements.
pub(crate) fn children<'d>(doc: &'d Document<'_>, n: NodeId) -> impl Iterator<Item = NodeId> + 'd {
    doc.children_iter(n)
        .filter(move |&c| matches!(doc.node_kind(c), Some(NodeKind::Element(_))))
}

/// First child element in the XMLDSig namespace with this local name.
pub(crate) fn dsig_child(doc: &Document<'_>, n: NodeId, local: &str) -> Option<NodeId> {
    children(doc, n).find(|&c| is(doc, c, super::DSIG_NS, local))
}

/// Text content (concatenated).
pub(crate) fn text_of(doc: &Document<'_>, n: NodeId) -> String {
    doc.text_content_deep(n)
}

/// `a` is `b` or one of its descendants.
pub(crate) fn within(doc: &Document<'_>, mut a: NodeId, b: NodeId) -> bool {
    loop {
        if a == b {
            return true;
        }
        match doc.parent(a) {
            Some(p) => a = p,
            None => return false,
        }
    }
}

/// `/HDon/DSCKS/NBan`-style path of local names (with `[n]` when siblings share the name).
pub(crate) fn path(doc: &Document<'_>, n: NodeId) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(n);
    while let Some(c) = cur {
        if let Some(name) = local_name(doc, c) {
            let part = match doc.parent(c) {
                Some(p) => {
                    let same: Vec<NodeId> = children(doc, p)
                        .filter(|&s| local_name(doc, s) == Some(name))
                        .collect();
                    if same.len() > 1 {
                        let idx = same.iter().position(|&s| s == c).unwrap_or(0) + 1;
                        format!("{name}[{idx}]")
                    } else {
                        name.to_string()
                    }
                }
                None => name.to_string(),
            };
            parts.push(part);
        }
        cur = doc.parent(c);
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

/// Path of local names without indexes (`/HDon/DSCKS/NBan`), for matching profile patterns.
pub(crate) fn plain_path(doc: &Document<'_>, n: NodeId) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(n);
    while let Some(c) = cur {
        if let Some(name) = local_name(doc, c) {
            parts.push(name);
        }
        cur = doc.parent(c);
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

/// `pattern` (`A/B/C`, local names) matches the end of `plain` (`/X/A/B/C`) on a step boundary.
pub(crate) fn path_ends_with(plain: &str, pattern: &str) -> bool {
    let pattern = pattern.trim_matches('/');
    plain == format!("/{pattern}") || plain.ends_with(&format!("/{pattern}"))
}

/// Resolves an `--xml-into` path: local names; the first step may be the document element or
/// any element (forms are sometimes wrapped in a transport envelope, e.g. `TDiep/DLieu/HDon`).
pub(crate) fn resolve_path(doc: &Document<'_>, pattern: &str) -> Result<NodeId, XmlError> {
    let steps: Vec<&str> = pattern
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let Some((first, rest)) = steps.split_first() else {
        return Err(XmlError::PathNotFound(pattern.into()));
    };
    // candidates for the first step: any element with that name; then child steps
    let mut hits: Vec<NodeId> = doc
        .descendants(doc.root())
        .into_iter()
        .filter(|&n| local_name(doc, n) == Some(*first))
        .collect();
    for step in rest {
        hits = hits
            .iter()
            .flat_map(|&h| children(doc, h).filter(|&c| local_name(doc, c) == Some(*step)))
            .collect();
    }
    match hits.len() {
        0 => Err(XmlError::PathNotFound(pattern.into())),
        1 => Ok(hits[0]),
        _ => Err(XmlError::PathAmbiguous(pattern.into())),
    }
}

/// Every element carrying an `Id`, `id` or `ID` attribute (no namespace), by value. Without a
/// DTD or schema, XMLDSig leaves "which attribute is an ID" to the application; Vietnamese
/// forms use `Id` (e-invoice, BHXH) and `id` (HTKK tax declarations).
pub(crate) struct IdIndex {
    map: HashMap<String, Vec<NodeId>>,
}

impl IdIndex {
    pub(crate) fn build(doc: &Document<'_>) -> Self {
        let mut map: HashMap<String, Vec<NodeId>> = HashMap::new();
        for n in doc.descendants(doc.root()) {
            if let Some(NodeKind::Element(e)) = doc.node_kind(n) {
                for a in &e.attributes {
                    if a.name.prefix.is_none() && matches!(a.name.local_name.as_ref(), "Id" | "id" | "ID") {
                        let v = map.entry(a.value.to_string()).or_default();
                        if !v.contains(&n) {
                            v.push(n);
                        }
                    }
                }
            }
        }
        Self { map }
    }

    /// The elements with this Id.
    pub(crate) fn get(&self, id: &str) -> &[NodeId] {
        self.map.get(id).map_or(&[], Vec::as_slice)
    }

    /// The one element with this Id.
    pub(crate) fn unique(&self, id: &str) -> Result<NodeId, XmlError> {
        match self.get(id) {
            [] => Err(XmlError::IdNotFound(id.into())),
            [one] => Ok(*one),
            many => Err(XmlError::DuplicateId(id.into(), many.len())),
        }
    }

    /// Ids that occur more than once (for a document-level report).
    pub(crate) fn duplicates(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = self
            .map
            .iter()
            .filter(|(_, n)| n.len() > 1)
            .map(|(k, n)| (k.clone(), n.len()))
            .collect();
        v.sort();
        v
    }

    /// Contains this value.
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }
}

/// All `Signature` elements in the XMLDSig namespace, in document order.
pub(crate) fn signatures(doc: &Document<'_>) -> Vec<NodeId> {
    doc.descendants(doc.root())
        .into_iter()
        .filter(|&n| is(doc, n, super::DSIG_NS, "Signature"))
        .collect()
}
