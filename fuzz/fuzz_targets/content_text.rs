//! Any bytes as a page's content stream and its font's ToUnicode CMap, through the text
//! reader that places anchored signatures: operators, text matrices, CMaps, 1- and 2-byte
//! codes. The input is split at the first `0xFF 0x00` (before: content, after: CMap); the
//! page is wrapped in a minimal valid PDF so the reader's own paths are taken.
#![no_main]
use libfuzzer_sys::fuzz_target;

fn wrap(content: &[u8], cmap: &[u8], type0: bool) -> Vec<u8> {
    let font = if type0 {
        "<</Type/Font/Subtype/Type0/BaseFont/F/Encoding/Identity-H/DescendantFonts[<</Type/Font/Subtype/CIDFontType2/DW 500/W[1[600 700]5 9 400]>>]/ToUnicode 6 0 R>>"
    } else {
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/FirstChar 32/Widths[278 278 355]/ToUnicode 6 0 R>>"
    };
    let objects: Vec<Vec<u8>> = vec![
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec(),
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>/XObject<</X1 7 0 R>>>>/Contents 4 0 R>>".to_vec(),
        [format!("<</Length {}>>stream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
        font.as_bytes().to_vec(),
        [format!("<</Length {}>>stream\n", cmap.len()).as_bytes(), cmap, b"\nendstream"].concat(),
        [
            format!("<</Type/XObject/Subtype/Form/BBox[0 0 100 100]/Resources<</Font<</F1 5 0 R>>>>/Length {}>>stream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut f = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(f.len());
        f.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        f.extend_from_slice(body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let x = f.len();
    f.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes());
    for o in offsets {
        f.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
    }
    f.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{x}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    f
}

fuzz_target!(|data: &[u8]| {
    let split = data.windows(2).position(|w| w == [0xff, 0x00]);
    let (content, cmap) = match split {
        Some(p) => (&data[..p], &data[p + 2..]),
        None => (data, &b""[..]),
    };
    let type0 = data.first().is_some_and(|b| b & 1 == 1);
    let file = wrap(content, cmap, type0);
    let Ok(pdf) = kyso_core::pdf::reader::Pdf::open(file) else {
        return;
    };
    let Ok((_, cat)) = kyso_core::pdf::catalog(&pdf) else {
        return;
    };
    if let Ok((_, page)) = kyso_core::pdf::page(&pdf, &cat, 0) {
        let _ = kyso_core::pdf::text::page_glyphs(&pdf, &page);
        let _ = kyso_core::pdf::text::find(&pdf, &page, "[CHU_KY]");
    }
});
