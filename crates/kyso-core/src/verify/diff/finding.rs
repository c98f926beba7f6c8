//! What the rules find: a typed finding (a code and its data). The sentences people read
//! are made from it in one place, [`super::wording`].

use crate::pdf::Dict;

/// One kind of change after signing, with what names it.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The trailer's `/Root` names another catalog; `keys` are the catalog keys that differ
    /// (`None` when one of the catalogs cannot be read).
    CatalogReplaced {
        /// Differing keys, not counting those a signature or DSS may add.
        keys: Option<Vec<String>>,
    },
    /// A later cross-reference entry points an object number at unreadable or foreign data.
    ForeignEntry {
        /// What the reader found there.
        error: String,
    },
    /// A signature was added although the certification (DocMDP P=1) allows no change.
    SignatureNotAllowed,
    /// An annotation (not a form field) was added.
    AnnotationAdded {
        /// Its `/Subtype`.
        subtype: String,
        /// Its `/Rect`, when readable.
        rect: Option<[f64; 4]>,
    },
    /// An annotation added or changed under a certification that allows annotations
    /// (DocMDP P=3) lies over text that was signed: allowed, but it may hide or overwrite it.
    AnnotationOverText {
        /// Its `/Subtype` (`FreeText`, `Square`, `Stamp`, …).
        subtype: String,
        /// Its `/Rect`.
        rect: [f64; 4],
    },
    /// An object of the signed revision was deleted (its number freed).
    ObjectDeleted,
    /// A field that this signature locks (FieldMDP) was changed.
    LockedFieldChanged {
        /// The field's fully qualified name.
        field: String,
    },
    /// Entries were removed from a list that may only grow.
    EntriesRemoved {
        /// The dictionary key of the list (`Annots`, `Fields`), or `None` for an indirect
        /// annotation or field array.
        list: Option<String>,
    },
    /// Dictionary keys changed that this kind of object may not change.
    KeysChanged {
        /// What the object is.
        kind: Kind,
        /// The keys (without the slash).
        keys: Vec<String>,
    },
    /// A stream or another object was rewritten.
    ObjectChanged {
        /// What the object is.
        kind: Kind,
    },
    /// A signature field that nobody signed was added or redrawn, and its widget draws on
    /// the page: new content that no signature vouches for.
    UnsignedFieldDrawn {
        /// The field's fully qualified name.
        field: String,
        /// The widget's `/Rect`.
        rect: Option<[f64; 4]>,
    },
    /// A form field (not a signature field) was added, and its widget draws on the page.
    FieldAdded {
        /// The field's fully qualified name.
        field: String,
        /// The widget's `/Rect`.
        rect: Option<[f64; 4]>,
    },
    /// An object that was present but unused in the signed revision is now used by a later
    /// revision (the "hide" shadow attack: content planted before signing, shown after).
    HiddenObjectShown {
        /// The object that now refers to it.
        via: u32,
        /// The form field it is shown through, when known.
        field: Option<String>,
    },
}

/// What a changed object is, for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A page.
    Page,
    /// The document catalog.
    Catalog,
    /// An image XObject.
    Image,
    /// A form XObject (drawn content).
    FormXObject,
    /// A font.
    Font,
    /// Another dictionary with a `/Type` and/or `/Subtype`.
    Typed {
        /// `/Type`.
        type_: Option<String>,
        /// `/Subtype`.
        subtype: Option<String>,
    },
    /// A stream without a type: page content in practice.
    ContentStream,
    /// A dictionary without a type.
    Dictionary,
    /// Not a dictionary (an array, a number …).
    Other,
}

impl Kind {
    /// What the dictionary `d` (of a changed object) is.
    pub fn of(d: &Dict) -> Kind {
        let name = |k: &[u8]| d.get_name(k).map(|t| String::from_utf8_lossy(t).into_owned());
        match (name(b"Type"), name(b"Subtype")) {
            (_, Some(s)) if s == "Image" => Kind::Image,
            (_, Some(s)) if s == "Form" => Kind::FormXObject,
            (Some(t), _) if t == "Font" => Kind::Font,
            (None, None) if d.get(b"Length").is_some() => Kind::ContentStream,
            (None, None) => Kind::Dictionary,
            (type_, subtype) => Kind::Typed { type_, subtype },
        }
    }
}

/// A finding's data in plain fields, for reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    /// The form field concerned.
    pub field: Option<String>,
    /// The annotation subtype concerned.
    pub annotation: Option<String>,
    /// The annotation's or widget's rectangle on its page.
    pub rect: Option<[f64; 4]>,
    /// Dictionary keys concerned.
    pub keys: Vec<String>,
    /// The object that newly refers to the one concerned.
    pub referenced_by: Option<u32>,
}

impl Finding {
    /// Stable code, for programs and translations.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::CatalogReplaced { .. } => "CATALOG_REPLACED",
            Finding::ForeignEntry { .. } => "XREF_ENTRY_FOREIGN",
            Finding::SignatureNotAllowed => "SIGNATURE_NOT_ALLOWED",
            Finding::AnnotationAdded { .. } => "ANNOTATION_ADDED",
            Finding::AnnotationOverText { .. } => "ANNOTATION_OVER_TEXT",
            Finding::ObjectDeleted => "OBJECT_DELETED",
            Finding::LockedFieldChanged { .. } => "LOCKED_FIELD_CHANGED",
            Finding::EntriesRemoved { .. } => "ENTRIES_REMOVED",
            Finding::KeysChanged { .. } => "KEYS_CHANGED",
            Finding::ObjectChanged { .. } => "OBJECT_CHANGED",
            Finding::UnsignedFieldDrawn { .. } => "UNSIGNED_FIELD_DRAWN",
            Finding::FieldAdded { .. } => "FIELD_ADDED",
            Finding::HiddenObjectShown { .. } => "HIDDEN_OBJECT_SHOWN",
        }
    }

    /// The finding's data as plain fields.
    pub fn data(&self) -> Data {
        match self {
            Finding::CatalogReplaced { keys } => Data {
                keys: keys.clone().unwrap_or_default(),
                ..Data::default()
            },
            Finding::AnnotationAdded { subtype, rect } => Data {
                annotation: Some(subtype.clone()),
                rect: *rect,
                ..Data::default()
            },
            Finding::AnnotationOverText { subtype, rect } => Data {
                annotation: Some(subtype.clone()),
                rect: Some(*rect),
                ..Data::default()
            },
            Finding::LockedFieldChanged { field } => Data {
                field: Some(field.clone()),
                ..Data::default()
            },
            Finding::EntriesRemoved { list } => Data {
                keys: list.iter().cloned().collect(),
                ..Data::default()
            },
            Finding::KeysChanged { keys, .. } => Data {
                keys: keys.clone(),
                ..Data::default()
            },
            Finding::UnsignedFieldDrawn { field, rect } | Finding::FieldAdded { field, rect } => Data {
                field: Some(field.clone()),
                annotation: Some("Widget".into()),
                rect: *rect,
                ..Data::default()
            },
            Finding::HiddenObjectShown { via, field } => Data {
                field: field.clone(),
                referenced_by: Some(*via),
                ..Data::default()
            },
            Finding::ForeignEntry { .. }
            | Finding::SignatureNotAllowed
            | Finding::ObjectDeleted
            | Finding::ObjectChanged { .. } => Data::default(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pdf::lexer::Lexer;

    fn kind(s: &str) -> Kind {
        Kind::of(
            Lexer::new(format!("{s} ").as_bytes(), 0)
                .object()
                .unwrap()
                .as_dict()
                .unwrap(),
        )
    }

    #[test]
    fn kinds_are_read_from_type_and_subtype() {
        assert_eq!(kind("<</Type/XObject/Subtype/Image/Width 1>>"), Kind::Image);
        assert_eq!(kind("<</Subtype/Form/BBox[0 0 1 1]>>"), Kind::FormXObject);
        assert_eq!(kind("<</Type/Font/Subtype/Type1>>"), Kind::Font);
        assert_eq!(kind("<</Length 12>>"), Kind::ContentStream);
        assert_eq!(kind("<</A 1>>"), Kind::Dictionary);
        assert_eq!(
            kind("<</Type/Annot/Subtype/Link>>"),
            Kind::Typed {
                type_: Some("Annot".into()),
                subtype: Some("Link".into())
            }
        );
    }
}
