//! Tiny PDFs with incremental updates, written byte by byte for unit tests (the change
//! rules', the signature checks', signing's): every offset is known, nothing is generated
//! by the code under test.
#![cfg(test)]
#![allow(clippy::unwrap_used)]

use crate::pdf::Pdf;

/// A file being built: its bytes and where its last cross-reference section starts.
pub struct Doc {
    bytes: Vec<u8>,
    last_xref: usize,
    size: u32,
    root: u32,
    /// Extra trailer entries for the next section (`/Encrypt`, a made-up `/Size`).
    trailer: String,
}

/// A stream object's text.
pub fn stream(dict: &str, data: &str) -> String {
    format!("<<{dict}/Length {}>>stream\n{data}\nendstream", data.len())
}

/// The signed document most tests start from: one page showing "Signed text" at (72, 700),
/// a text field `SoVanBan` (widget 6, appearance 7) and an AcroForm (8).
pub fn base() -> Doc {
    Doc::new(&[
        (1, "<</Type/Catalog/Pages 2 0 R/AcroForm 8 0 R>>"),
        (2, "<</Type/Pages/Kids[3 0 R]/Count 1>>"),
        (
            3,
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 600 800]/Resources<</Font<</F1 5 0 R>>>>\
             /Contents 4 0 R/Annots[6 0 R]>>",
        ),
        (4, &stream("", "BT /F1 12 Tf 72 700 Td (Signed text) Tj ET")),
        (5, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"),
        (
            6,
            "<</Type/Annot/Subtype/Widget/FT/Tx/T(SoVanBan)/V()/F 4/Rect[50 600 250 620]/P 3 0 R\
             /AP<</N 7 0 R>>>>",
        ),
        (7, &stream("/Type/XObject/Subtype/Form/BBox[0 0 200 20]", "")),
        (8, "<</Fields[6 0 R]/DA(/Helv 12 Tf 0 g)>>"),
    ])
}

impl Doc {
    /// A classic-xref file of `objs` (object number, body) whose catalog is object 1.
    pub fn new(objs: &[(u32, &str)]) -> Doc {
        let mut d = Doc {
            bytes: b"%PDF-1.7\n".to_vec(),
            last_xref: 0,
            size: 0,
            root: 1,
            trailer: String::new(),
        };
        d.section(objs, &[], false);
        d
    }

    /// An incremental update writing `objs`.
    pub fn update(mut self, objs: &[(u32, &str)]) -> Doc {
        self.section(objs, &[], true);
        self
    }

    /// An incremental update writing `objs` and freeing the numbers in `free`.
    pub fn update_freeing(mut self, objs: &[(u32, &str)], free: &[u32]) -> Doc {
        self.section(objs, free, true);
        self
    }

    /// An incremental update whose xref entries point the numbers in `entries` at the byte
    /// offsets given (the data there is left as it is).
    pub fn update_pointing(mut self, entries: &[(u32, usize)]) -> Doc {
        let mut rows: Vec<(u32, String)> = entries
            .iter()
            .map(|(n, off)| (*n, format!("{off:010} 00000 n \n")))
            .collect();
        rows.sort();
        self.finish_section(rows, true);
        self
    }

    /// The next update names object `root` as the catalog.
    pub fn with_root(mut self, root: u32) -> Doc {
        self.root = root;
        self
    }

    /// The next section's trailer also holds `entries` (PDF syntax, e.g. `/Encrypt 9 0 R`).
    pub fn with_trailer(mut self, entries: &str) -> Doc {
        self.trailer = entries.to_string();
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Byte offset of object `num`'s latest body.
    pub fn offset_of(&self, num: u32) -> usize {
        let head = format!("\n{num} 0 obj\n");
        self.bytes
            .windows(head.len())
            .rposition(|w| w == head.as_bytes())
            .unwrap()
            + 1
    }

    fn section(&mut self, objs: &[(u32, &str)], free: &[u32], incremental: bool) {
        let mut rows = Vec::new();
        for (num, body) in objs {
            if !self.bytes.ends_with(b"\n") {
                self.bytes.push(b'\n');
            }
            let at = self.bytes.len();
            self.bytes
                .extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
            rows.push((*num, format!("{at:010} 00000 n \n")));
        }
        for num in free {
            rows.push((*num, "0000000000 00001 f \n".to_string()));
        }
        rows.sort();
        self.finish_section(rows, incremental);
    }

    fn finish_section(&mut self, rows: Vec<(u32, String)>, incremental: bool) {
        let at = self.bytes.len();
        let mut x = String::from("xref\n");
        if !incremental {
            x.push_str("0 1\n0000000000 65535 f \n");
        }
        for (num, row) in &rows {
            x.push_str(&format!("{num} 1\n{row}"));
            self.size = self.size.max(num + 1);
        }
        let prev = if incremental {
            format!("/Prev {}", self.last_xref)
        } else {
            String::new()
        };
        x.push_str(&format!(
            "trailer\n<</Size {}/Root {} 0 R{prev}{}>>\nstartxref\n{at}\n%%EOF\n",
            self.size, self.root, self.trailer
        ));
        self.bytes.extend_from_slice(x.as_bytes());
        self.last_xref = at;
    }

    /// The file, opened.
    pub fn pdf(&self) -> Pdf<Vec<u8>> {
        Pdf::open(self.bytes.clone()).unwrap()
    }
}
