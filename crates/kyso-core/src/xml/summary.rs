//! What an XML file is about, in a few lines a person can check before signing: an invoice's
//! number, seller, buyer and total; a tax declaration's form, period and taxpayer; a BHXH
//! dossier's unit, procedure and forms. The bridge shows it in its confirmation, the app
//! beside the file.

use super::c14n::{Document, NodeId};
use super::dom::{self, Limits};
use super::profile::{self, Form};

/// One line: a label in both languages and the value as written in the file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// Label (Vietnamese).
    pub vi: &'static str,
    /// Label (English).
    pub en: &'static str,
    /// The value (trimmed, at most 200 characters).
    pub value: String,
}

/// A file's summary.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// The form, when it is one Kyso knows.
    pub form: Option<Form>,
    /// What the file is: (Vietnamese, English), e.g. ("Hoá đơn điện tử", "e-invoice").
    pub kind_vi: String,
    /// English.
    pub kind_en: String,
    /// The lines, in order.
    pub items: Vec<Item>,
    /// Signatures already in the file.
    pub signatures: usize,
}

impl Summary {
    /// One line of text in `lang` (`vi` or `en`): `Hoá đơn điện tử — Số hoá đơn: 123; …`.
    pub fn line(&self, lang: &str) -> String {
        let (kind, items): (&str, Vec<String>) = if lang == "en" {
            (
                &self.kind_en,
                self.items
                    .iter()
                    .map(|i| format!("{}: {}", i.en, i.value))
                    .collect(),
            )
        } else {
            (
                &self.kind_vi,
                self.items
                    .iter()
                    .map(|i| format!("{}: {}", i.vi, i.value))
                    .collect(),
            )
        };
        if items.is_empty() {
            kind.to_string()
        } else {
            format!("{kind} — {}", items.join("; "))
        }
    }
}

const MAX_VALUE: usize = 200;

/// The text of the first element under `from` whose path ends with `path` (local names).
fn text_at(doc: &Document<'_>, from: NodeId, path: &str) -> Option<String> {
    let n = doc.descendants(from).into_iter().find(|&n| {
        dom::local_name(doc, n).is_some() && dom::path_ends_with(&dom::plain_path(doc, n), path)
    })?;
    let t: String = dom::text_of(doc, n)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let t: String = t.chars().take(MAX_VALUE).collect();
    (!t.is_empty()).then_some(t)
}

fn push(items: &mut Vec<Item>, vi: &'static str, en: &'static str, value: Option<String>) {
    if let Some(value) = value {
        items.push(Item { vi, en, value });
    }
}

fn joined(a: Option<String>, b: Option<String>, sep: &str) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}{sep}{b}")),
        (a, b) => a.or(b),
    }
}

/// The summary of `xml`; `None` when the file cannot be read as XML (the signing or the
/// check then says why).
pub fn summary(xml: &[u8]) -> Option<Summary> {
    let limits = Limits::default();
    let (text, _) = dom::text(xml, &limits).ok()?;
    let doc = dom::parse(text, &limits).ok()?;
    let root = dom::children(&doc, doc.root()).next()?;
    let form = profile::detect(&doc);
    let mut items = Vec::new();
    let t = |p: &str| text_at(&doc, root, p);
    match form {
        Some(Form::Einvoice) => {
            push(
                &mut items,
                "Số hoá đơn",
                "Invoice number",
                joined(t("TTChung/KHHDon"), t("TTChung/SHDon"), " "),
            );
            push(&mut items, "Ngày lập", "Date", t("TTChung/NLap"));
            push(
                &mut items,
                "Người bán",
                "Seller",
                joined(
                    t("NDHDon/NBan/Ten"),
                    t("NDHDon/NBan/MST").map(|m| format!("(MST {m})")),
                    " ",
                ),
            );
            push(&mut items, "Người mua", "Buyer", t("NDHDon/NMua/Ten"));
            push(
                &mut items,
                "Tổng tiền thanh toán",
                "Total",
                joined(t("TToan/TgTTTBSo"), t("TTChung/DVTTe"), " "),
            );
        }
        Some(Form::Tax) => {
            push(
                &mut items,
                "Tờ khai",
                "Form",
                joined(
                    t("TKhaiThue/tenTKhai"),
                    t("TKhaiThue/maTKhai").map(|m| format!("(mã {m})")),
                    " ",
                ),
            );
            push(
                &mut items,
                "Kỳ kê khai",
                "Period",
                joined(
                    t("KyKKhaiThue/kyKKhai"),
                    t("KyKKhaiThue/kieuKy").map(|k| format!("({k})")),
                    " ",
                ),
            );
            push(
                &mut items,
                "Người nộp thuế",
                "Taxpayer",
                joined(t("NNT/tenNNT"), t("NNT/mst").map(|m| format!("(MST {m})")), " "),
            );
        }
        Some(Form::Bhxh) => {
            push(
                &mut items,
                "Đơn vị",
                "Unit",
                joined(
                    t("ThongTinDonVi/TenDonVi"),
                    t("ThongTinDonVi/MaDonVi").map(|m| format!("(mã {m})")),
                    " ",
                ),
            );
            push(&mut items, "Thủ tục", "Procedure", t("ThongTinHoSo/TenThuTuc"));
            push(&mut items, "Kỳ", "Period", t("ThongTinHoSo/KyKeKhai"));
            let forms: Vec<String> = doc
                .descendants(root)
                .into_iter()
                .filter(|&n| dom::local_name(&doc, n) == Some("ToKhai"))
                .filter_map(|n| {
                    ["MaToKhai", "Id", "id"]
                        .iter()
                        .find_map(|a| dom::attr(&doc, n, a))
                })
                .take(20)
                .map(str::to_string)
                .collect();
            push(
                &mut items,
                "Tờ khai trong hồ sơ",
                "Forms",
                (!forms.is_empty()).then(|| forms.join(", ")),
            );
        }
        None => {
            push(
                &mut items,
                "Phần tử gốc",
                "Document element",
                dom::local_name(&doc, root).map(str::to_string),
            );
            let ids: Vec<String> = doc
                .descendants(root)
                .into_iter()
                .filter_map(|n| ["Id", "id", "ID"].iter().find_map(|a| dom::attr(&doc, n, a)))
                .take(5)
                .map(str::to_string)
                .collect();
            push(
                &mut items,
                "Phần có Id",
                "Parts with an Id",
                (!ids.is_empty()).then(|| ids.join(", ")),
            );
        }
    }
    let (kind_vi, kind_en) = form.map_or(("Tệp XML", "XML file"), Form::describe);
    Some(Summary {
        form,
        kind_vi: kind_vi.into(),
        kind_en: kind_en.into(),
        items,
        signatures: dom::signatures(&doc).len(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_is_summarised_by_number_seller_buyer_and_total() {
        let x = "<HDon><DLHDon Id=\"a\"><TTChung><KHHDon>C26TAA</KHHDon><SHDon>00001234</SHDon><NLap>2026-10-05</NLap><DVTTe>VND</DVTTe></TTChung>\
                 <NDHDon><NBan><Ten>CÔNG TY TNHH ÁNH DƯƠNG</Ten><MST>0312345678</MST></NBan><NMua><Ten>Trần Thị Bình</Ten></NMua></NDHDon>\
                 <TToan><TgTTTBSo>23769504</TgTTTBSo></TToan></DLHDon><DSCKS><NBan/></DSCKS></HDon>";
        let s = summary(x.as_bytes()).unwrap_or_else(|| panic!("no summary"));
        assert_eq!(s.form, Some(Form::Einvoice));
        assert_eq!(
            s.line("vi"),
            "Hoá đơn điện tử — Số hoá đơn: C26TAA 00001234; Ngày lập: 2026-10-05; Người bán: CÔNG TY TNHH ÁNH DƯƠNG (MST 0312345678); Người mua: Trần Thị Bình; Tổng tiền thanh toán: 23769504 VND"
        );
        assert!(summary(b"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").is_none());
        let g =
            summary(b"<HoSo><DU_LIEU Id=\"data\">x</DU_LIEU></HoSo>").unwrap_or_else(|| panic!("no summary"));
        assert_eq!(
            g.line("en"),
            "XML file — Document element: HoSo; Parts with an Id: data"
        );
    }
}
