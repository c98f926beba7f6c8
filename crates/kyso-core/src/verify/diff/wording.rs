//! The sentences for every finding, in English and Vietnamese, in one place. The object and
//! page numbers are added by the report around them.

use super::finding::{Finding, Kind};

/// A finding in English and in Vietnamese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wording {
    /// English.
    pub en: String,
    /// Vietnamese.
    pub vi: String,
}

fn w(en: impl Into<String>, vi: impl Into<String>) -> Wording {
    Wording {
        en: en.into(),
        vi: vi.into(),
    }
}

/// `/A /B` for keys `A`, `B`.
fn names(keys: &[String]) -> String {
    keys.iter().map(|k| format!("/{k}")).collect::<Vec<_>>().join(" ")
}

/// `[x1 y1 x2 y2]` in points, without needless decimals.
fn rect(r: &[f64; 4]) -> String {
    let n = |v: f64| {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("[{} {} {} {}]", n(r[0]), n(r[1]), n(r[2]), n(r[3]))
}

/// What kind of object, as the subject of a sentence.
fn kind(k: &Kind) -> Wording {
    match k {
        Kind::Page => w("page", "trang"),
        Kind::Catalog => w("document catalog", "danh mục tài liệu"),
        Kind::Image => w("an image", "một hình ảnh"),
        Kind::FormXObject => w(
            "a form XObject (drawn content)",
            "một khối nội dung vẽ (form XObject)",
        ),
        Kind::Font => w("a font", "một phông chữ"),
        Kind::Typed {
            type_: Some(t),
            subtype: Some(s),
        } => w(format!("a /{t} /{s} object"), format!("một đối tượng /{t} /{s}")),
        Kind::Typed {
            type_: Some(t),
            subtype: None,
        } => w(format!("a /{t} object"), format!("một đối tượng /{t}")),
        Kind::Typed {
            type_: None,
            subtype: Some(s),
        } => w(format!("a /{s} object"), format!("một đối tượng /{s}")),
        Kind::ContentStream => w("a content stream", "một luồng nội dung trang"),
        Kind::Dictionary | Kind::Typed { .. } => w("a dictionary", "một từ điển dữ liệu"),
        Kind::Other => w(
            "an object of the signed document",
            "một đối tượng của tài liệu đã ký",
        ),
    }
}

/// The sentences for `f`.
pub fn wording(f: &Finding) -> Wording {
    match f {
        Finding::CatalogReplaced { keys: Some(keys) } => w(
            format!(
                "the document catalog (/Root) was replaced and changed: {}",
                names(keys)
            ),
            format!("danh mục tài liệu (/Root) bị thay thế và sửa: {}", names(keys)),
        ),
        Finding::CatalogReplaced { keys: None } => w(
            "the document catalog (/Root) was replaced",
            "danh mục tài liệu (/Root) bị thay thế",
        ),
        Finding::ForeignEntry { error } => w(
            format!("a later cross-reference entry points at unreadable or foreign data ({error})"),
            format!("một mục tham chiếu chéo thêm sau trỏ tới dữ liệu lạ hoặc không đọc được ({error})"),
        ),
        Finding::SignatureNotAllowed => w(
            "a signature was added to a document certified with no changes allowed",
            "một chữ ký được thêm vào tài liệu đã chứng thực không cho phép thay đổi",
        ),
        Finding::AnnotationAdded { subtype, .. } => w(
            format!("an annotation (/{subtype}) was added after signing"),
            format!("một chú thích (/{subtype}) được thêm sau khi ký"),
        ),
        Finding::AnnotationOverText { subtype, rect: r } => w(
            format!(
                "a /{subtype} annotation at {} lies over signed text: the certification allows \
                 annotations, check it does not hide or overwrite what was signed",
                rect(r)
            ),
            format!(
                "một chú thích /{subtype} tại {} nằm đè lên chữ đã ký: chứng thực cho phép chú thích, \
                 hãy kiểm tra nó không che hoặc viết đè lên nội dung đã ký",
                rect(r)
            ),
        ),
        Finding::ObjectDeleted => w(
            "an object of the signed document was deleted",
            "một đối tượng của tài liệu đã ký bị xoá",
        ),
        Finding::LockedFieldChanged { field } => w(
            format!("the field \"{field}\" locked by this signature was changed"),
            format!("trường \"{field}\" đã bị khoá bởi chữ ký này nhưng vẫn bị sửa"),
        ),
        Finding::EntriesRemoved { list: None } => w(
            "entries were removed from an annotation or field list",
            "có mục bị xoá khỏi danh sách chú thích hoặc trường",
        ),
        Finding::EntriesRemoved { list: Some(l) } => w(
            format!("entries were removed from /{l}"),
            format!("có mục bị xoá khỏi /{l}"),
        ),
        Finding::KeysChanged { kind: k, keys } => {
            let k = kind(k);
            w(
                format!("{} changed: {}", k.en, names(keys)),
                format!("{} bị sửa: {}", k.vi, names(keys)),
            )
        }
        Finding::ObjectChanged { kind: k } => {
            let k = kind(k);
            w(format!("{} changed", k.en), format!("{} bị sửa", k.vi))
        }
        Finding::UnsignedFieldDrawn { field, .. } => w(
            format!(
                "the signature field \"{field}\", which nobody signed, was added or redrawn after \
                 signing and draws on the page"
            ),
            format!(
                "trường chữ ký \"{field}\" chưa được ai ký nhưng được thêm hoặc vẽ lại sau khi ký và \
                 vẽ nội dung lên trang"
            ),
        ),
        Finding::FieldAdded { field, .. } => w(
            format!("the form field \"{field}\" was added after signing and draws on the page"),
            format!("trường biểu mẫu \"{field}\" được thêm sau khi ký và vẽ nội dung lên trang"),
        ),
        Finding::HiddenObjectShown { via, field } => {
            let (en, vi) = match field {
                Some(f) => (format!(" of the field \"{f}\""), format!(" của trường \"{f}\"")),
                None => (String::new(), String::new()),
            };
            w(
                format!(
                    "content present but unused in the signed revision is now shown through object \
                     {via}{en} (a \"hide\" shadow attack)"
                ),
                format!(
                    "nội dung có sẵn nhưng không được dùng trong bản đã ký nay được hiển thị qua đối \
                     tượng {via}{vi} (tấn công \"hide\" kiểu shadow)"
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Finding> {
        vec![
            Finding::CatalogReplaced { keys: None },
            Finding::CatalogReplaced {
                keys: Some(vec!["OpenAction".into()]),
            },
            Finding::ForeignEntry { error: "x".into() },
            Finding::SignatureNotAllowed,
            Finding::AnnotationAdded {
                subtype: "Text".into(),
                rect: None,
            },
            Finding::AnnotationOverText {
                subtype: "FreeText".into(),
                rect: [60.0, 750.5, 400.0, 780.0],
            },
            Finding::ObjectDeleted,
            Finding::LockedFieldChanged { field: "a".into() },
            Finding::EntriesRemoved { list: None },
            Finding::EntriesRemoved {
                list: Some("Annots".into()),
            },
            Finding::KeysChanged {
                kind: Kind::Page,
                keys: vec!["Contents".into()],
            },
            Finding::ObjectChanged { kind: Kind::Other },
            Finding::UnsignedFieldDrawn {
                field: "a".into(),
                rect: None,
            },
            Finding::FieldAdded {
                field: "a".into(),
                rect: None,
            },
            Finding::HiddenObjectShown { via: 7, field: None },
        ]
    }

    #[test]
    fn every_finding_reads_in_both_languages() {
        for f in all() {
            let t = wording(&f);
            assert!(!t.en.is_empty() && !t.vi.is_empty() && t.en != t.vi, "{f:?}");
            assert!(!f.code().is_empty());
        }
    }

    /// The sentences reports already carried keep their words (people and tests match them).
    #[test]
    fn earlier_sentences_are_unchanged() {
        let t = wording(&Finding::KeysChanged {
            kind: Kind::Page,
            keys: vec!["Contents".into(), "Resources".into()],
        });
        assert_eq!(t.en, "page changed: /Contents /Resources");
        assert_eq!(t.vi, "trang bị sửa: /Contents /Resources");
        let t = wording(&Finding::ObjectChanged {
            kind: Kind::FormXObject,
        });
        assert_eq!(t.en, "a form XObject (drawn content) changed");
        assert_eq!(t.vi, "một khối nội dung vẽ (form XObject) bị sửa");
        let t = wording(&Finding::LockedFieldChanged {
            field: "SoVanBan".into(),
        });
        assert_eq!(
            t.en,
            "the field \"SoVanBan\" locked by this signature was changed"
        );
        let t = wording(&Finding::ObjectChanged { kind: Kind::Other });
        assert_eq!(t.en, "an object of the signed document changed");
    }

    #[test]
    fn rectangles_are_written_in_points() {
        let t = wording(&Finding::AnnotationOverText {
            subtype: "FreeText".into(),
            rect: [60.0, 750.5, 400.0, 780.0],
        });
        assert!(
            t.en.contains("/FreeText annotation at [60 750.5 400 780]"),
            "{}",
            t.en
        );
        assert!(t.vi.contains("[60 750.5 400 780]"));
    }
}
