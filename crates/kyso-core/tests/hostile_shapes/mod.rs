//! Hostile document shapes, each made at any size: the ones issue 13 measured (a 256 MiB
//! cross-reference bomb, a catalog with 200,000 keys, thousands of unterminated streams and
//! strings in a file without a cross-reference table) and the classes the fuzzers and the
//! budget review found. Shared by `tests/hostile.rs` (run under an address-space limit) and
//! `examples/hostile_shapes.rs` (the benchmark's generator), so both see the same bytes.

#![allow(dead_code)]

/// Every shape, with what it attacks.
pub const SHAPES: &[(&str, &str)] = &[
    (
        "xref-bomb",
        "cross-reference streams /W[0 0 1] /Size 2^28 inflating to ~1000x their size, chained by /Prev",
    ),
    (
        "wide-dict",
        "a catalog with as many distinct keys as fit (200,000 in 2 MB)",
    ),
    (
        "unterminated-streams",
        "no xref; stream headers that never reach endstream",
    ),
    (
        "unterminated-strings",
        "no xref; objects that open a literal string and never close it",
    ),
    (
        "objstm-bombs",
        "fields in many object streams that each inflate to 8 MiB",
    ),
    (
        "xref-rows",
        "one cross-reference stream with millions of valid rows",
    ),
    (
        "prev-chain",
        "thousands of tiny cross-reference tables chained by /Prev",
    ),
    ("big-array", "a /Fields array with millions of elements"),
    ("trailer-flood", "no xref; unterminated trailer dictionaries"),
    (
        "tounicode-ranges",
        "page fonts whose ToUnicode maps are ranges of 65,536 distinct codes (billions of entries)",
    ),
    (
        "width-ranges",
        "page fonts whose /W arrays repeat one range of 65,535 codes",
    ),
];

/// The shape `name` at about `size` bytes (never less than a small valid-looking header).
pub fn make(name: &str, size: usize) -> Option<Vec<u8>> {
    Some(match name {
        "xref-bomb" => xref_bomb(size),
        "wide-dict" => wide_dict(size),
        "unterminated-streams" => unterminated(size, b"<</Length 999999999>>\nstream\n"),
        "unterminated-strings" => unterminated(size, b"(never closed "),
        "objstm-bombs" => objstm_bombs(size),
        "xref-rows" => xref_rows(size),
        "prev-chain" => prev_chain(size),
        "big-array" => big_array(size),
        "trailer-flood" => trailer_flood(size),
        "tounicode-ranges" => font_page(size, |i| {
            format!("<{:08X}> <{:08X}> <0041>\n", i << 16, (i << 16) | 0xFFFF)
        }),
        "width-ranges" => font_page(size, |_| "0 65534 500\n".to_string()),
        _ => return None,
    })
}

const HEAD: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

/// A file of `objects` (number, body) with a correct classic cross-reference table.
fn classic(objects: &[(u32, Vec<u8>)], trailer_extra: &str) -> Vec<u8> {
    let mut f = HEAD.to_vec();
    let mut offsets = Vec::new();
    for (n, body) in objects {
        offsets.push((*n, f.len()));
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let size = objects.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let x = f.len();
    f.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
    for num in 1..size {
        match offsets.iter().find(|(n, _)| *n == num) {
            Some((_, off)) => f.extend_from_slice(format!("{off:010} 00000 n\r\n").as_bytes()),
            None => f.extend_from_slice(b"0000000000 65535 f\r\n"),
        }
    }
    f.extend_from_slice(
        format!("trailer\n<</Size {size}/Root 1 0 R{trailer_extra}>>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
    );
    f
}

fn catalog_and_pages() -> Vec<(u32, Vec<u8>)> {
    vec![
        (1, b"<</Type/Catalog/Pages 2 0 R>>".to_vec()),
        (2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec()),
        (3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>".to_vec()),
    ]
}

/// Bits written least-significant first, as deflate packs them.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, v: u64, n: u32) {
        self.acc |= v << self.n;
        self.n += n;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code, which deflate stores most-significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let mut rev = 0u64;
        for i in 0..len {
            rev |= u64::from((code >> i) & 1) << (len - 1 - i);
        }
        self.put(rev, len);
    }
}

/// A zlib stream of about `packed` bytes that inflates to ~158x as many zero bytes, made
/// directly (one fixed-Huffman block: a literal 0, then <length 258, distance 1> repeated),
/// so a test builds gigabytes of bomb in milliseconds without compressing anything.
pub fn zero_bomb(packed: usize) -> (Vec<u8>, u64) {
    let matches = (packed.saturating_sub(8) * 8 / 13).max(1) as u64;
    let mut b = Bits {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    for _ in 0..matches {
        b.code(0xC5, 8); // length symbol 285 = 258 bytes
        b.code(0, 5); // distance symbol 0 = 1 back
    }
    b.code(0, 7); // end of block
    if b.n > 0 {
        b.put(0, 8 - b.n);
    }
    let inflated = 1 + 258 * matches;
    // Adler-32 of zeros: a stays 1, b adds 1 per byte.
    let adler = ((inflated % 65521) << 16) | 1;
    b.out.extend_from_slice(&(adler as u32).to_be_bytes());
    (b.out, inflated)
}

fn xref_bomb(size: usize) -> Vec<u8> {
    // Issue 13's file: 261 KB, /W [0 0 1], /Size 2^28, 256 MiB of one-byte rows. Larger
    // sizes chain more such sections by /Prev (each one ~1.7 MB of fixed-Huffman bomb).
    let mut f = HEAD.to_vec();
    for (n, body) in catalog_and_pages() {
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(&body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let per = (1_700_000usize).min(size.saturating_sub(f.len() + 400).max(4096));
    let mut prev: Option<usize> = None;
    let mut num = 10;
    while f.len() + 400 < size || prev.is_none() {
        let room = size.saturating_sub(f.len() + 400).clamp(4096, per);
        let (bomb, _) = zero_bomb(room);
        let at = f.len();
        let prev_entry = prev.map(|p| format!("/Prev {p}")).unwrap_or_default();
        f.extend_from_slice(
            format!(
                "{num} 0 obj\n<</Type/XRef/W[0 0 1]/Size 268435456/Root 1 0 R/Filter/FlateDecode/Length {}{prev_entry}>>\nstream\n",
                bomb.len()
            )
            .as_bytes(),
        );
        f.extend_from_slice(&bomb);
        f.extend_from_slice(b"\nendstream\nendobj\n");
        prev = Some(at);
        num += 1;
    }
    f.extend_from_slice(format!("startxref\n{}\n%%EOF\n", prev.unwrap_or(0)).as_bytes());
    f
}

fn wide_dict(size: usize) -> Vec<u8> {
    let mut body = b"<</Type/Catalog/Pages 2 0 R".to_vec();
    let mut k = 0u64;
    while body.len() + 200 < size {
        body.extend_from_slice(format!("/K{k:x} {k}").as_bytes());
        k += 1;
    }
    body.extend_from_slice(b">>");
    let mut objs = catalog_and_pages();
    objs[0].1 = body;
    classic(&objs, "")
}

/// No cross-reference data at all: objects opened with `open` and never finished.
fn unterminated(size: usize, open: &[u8]) -> Vec<u8> {
    let mut f = HEAD.to_vec();
    for (n, body) in catalog_and_pages() {
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(&body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let mut n = 10u64;
    while f.len() < size {
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(open);
        f.extend_from_slice(b"xxxxxxxx\n");
        n += 1;
    }
    f
}

fn trailer_flood(size: usize) -> Vec<u8> {
    let mut f = unterminated(size / 4, b"<</A 1>>\nendobj\n");
    while f.len() < size {
        f.extend_from_slice(b"trailer\n<</Root 1 0 R/Size (");
    }
    f
}

fn objstm_bombs(size: usize) -> Vec<u8> {
    // Each object stream: its header, then 8 MiB of spaces before its one object (a field).
    // The 8 MiB are compressed once (raw deflate); each stream prefixes its own header as a
    // stored deflate block, so building a thousand streams costs one compression.
    let mut body = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = enc.write_all(&vec![b' '; 8 << 20]);
        let _ = enc.write_all(b"<</FT/Sig/T(f)>>");
        body = enc.finish().unwrap_or(body);
    }
    let mut tail = vec![b' '; 8 << 20];
    tail.extend_from_slice(b"<</FT/Sig/T(f)>>");
    let tail_adler = adler32(&tail);
    let stream_of = |num: u32| -> (Vec<u8>, usize) {
        let header = format!("{num} 0 ").into_bytes();
        let mut z = vec![0x78, 0x01, 0x00];
        let n = header.len() as u16;
        z.extend_from_slice(&n.to_le_bytes());
        z.extend_from_slice(&(!n).to_le_bytes());
        z.extend_from_slice(&header);
        z.extend_from_slice(&body);
        let adler = adler32_combine(adler32(&header), tail_adler, tail.len() as u64);
        z.extend_from_slice(&adler.to_be_bytes());
        (z, header.len())
    };
    let per = body.len() + 140;
    let count = (size / per).max(2) as u32;
    let mut objs = catalog_and_pages();
    let fields: Vec<String> = (0..count).map(|i| format!("{} 0 R", 100 + i)).collect();
    objs[0].1 = format!(
        "<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[{}]>>>>",
        fields.join(" ")
    )
    .into_bytes();
    let mut f = HEAD.to_vec();
    let mut offsets = Vec::new();
    for (n, body) in &objs {
        offsets.push((*n, f.len()));
        f.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        f.extend_from_slice(body);
        f.extend_from_slice(b"\nendobj\n");
    }
    let mut stm_offsets = Vec::new();
    for i in 0..count {
        let num = 100_000 + i;
        stm_offsets.push(f.len());
        let (data, first) = stream_of(100 + i);
        f.extend_from_slice(
            format!(
                "{num} 0 obj\n<</Type/ObjStm/N 1/First {first}/Filter/FlateDecode/Length {}>>\nstream\n",
                data.len()
            )
            .as_bytes(),
        );
        f.extend_from_slice(&data);
        f.extend_from_slice(b"\nendstream\nendobj\n");
    }
    // Cross-reference stream: objects 1-3 by offset, fields 100.. in the streams.
    let x = f.len();
    let xref_num = 100_000 + count;
    let mut rows = Vec::new();
    let mut index = Vec::new();
    let push = |rows: &mut Vec<u8>, t: u8, a: u64, b: u16| {
        rows.push(t);
        rows.extend_from_slice(&a.to_be_bytes()[4..]);
        rows.extend_from_slice(&b.to_be_bytes());
    };
    index.push("1 3".to_string());
    for (_, off) in &offsets {
        push(&mut rows, 1, *off as u64, 0);
    }
    index.push(format!("100 {count}"));
    for i in 0..count {
        push(&mut rows, 2, u64::from(100_000 + i), 0);
    }
    index.push(format!("100000 {}", count + 1));
    for off in &stm_offsets {
        push(&mut rows, 1, *off as u64, 0);
    }
    push(&mut rows, 1, x as u64, 0);
    f.extend_from_slice(
        format!(
            "{xref_num} 0 obj\n<</Type/XRef/W[1 4 2]/Size {}/Index[{}]/Root 1 0 R/Length {}>>\nstream\n",
            xref_num + 1,
            index.join(" "),
            rows.len()
        )
        .as_bytes(),
    );
    f.extend_from_slice(&rows);
    f.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{x}\n%%EOF\n").as_bytes());
    f
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// The Adler-32 of `first ‖ second` from theirs (zlib's adler32_combine).
fn adler32_combine(first: u32, second: u32, second_len: u64) -> u32 {
    const BASE: u64 = 65521;
    let rem = second_len % BASE;
    let (a1, b1) = (u64::from(first & 0xffff), u64::from(first >> 16));
    let (a2, b2) = (u64::from(second & 0xffff), u64::from(second >> 16));
    let a = (a1 + a2 + BASE - 1) % BASE;
    let b = (rem * a1 % BASE + b1 + b2 + BASE - rem) % BASE;
    ((b << 16) | a) as u32
}

fn xref_rows(size: usize) -> Vec<u8> {
    // Millions of rows that all point at the catalog: compressible to almost nothing.
    let mut f = HEAD.to_vec();
    let cat = f.len();
    f.extend_from_slice(b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
    let pages = f.len();
    f.extend_from_slice(b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n");
    let rows_wanted = (size as u64 * 1000).min(8_388_000);
    let mut raw = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let row = |t: u8, off: usize| {
            let mut r = vec![t];
            r.extend_from_slice(&(off as u32).to_be_bytes());
            r.push(0);
            r
        };
        let _ = enc.write_all(&row(0, 0));
        let _ = enc.write_all(&row(1, cat));
        let _ = enc.write_all(&row(1, pages));
        let chunk: Vec<u8> = (0..4096).flat_map(|_| row(1, cat)).collect();
        let mut done = 3u64;
        while done < rows_wanted {
            let _ = enc.write_all(&chunk);
            done += 4096;
        }
        raw = enc.finish().unwrap_or(raw);
        let _ = done;
    }
    let x = f.len();
    f.extend_from_slice(
        format!(
            "3 0 obj\n<</Type/XRef/W[1 4 1]/Size {}/Root 1 0 R/Filter/FlateDecode/Length {}>>\nstream\n",
            rows_wanted + 4096,
            raw.len()
        )
        .as_bytes(),
    );
    f.extend_from_slice(&raw);
    f.extend_from_slice(b"\nendstream\nendobj\n");
    // Pad to the size asked for with a comment-free filler object.
    while f.len() + 64 < size {
        let n = (size - f.len() - 64).min(1 << 20);
        f.extend_from_slice(b"% ");
        f.extend(std::iter::repeat_n(b'x', n));
        f.push(b'\n');
    }
    f.extend_from_slice(format!("startxref\n{x}\n%%EOF\n").as_bytes());
    f
}

fn prev_chain(size: usize) -> Vec<u8> {
    let mut f = HEAD.to_vec();
    let cat = f.len();
    f.extend_from_slice(b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n");
    let pages = f.len();
    f.extend_from_slice(b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n");
    let mut prev: Option<usize> = None;
    while f.len() + 200 < size || prev.is_none() {
        let at = f.len();
        let p = prev.map(|p| format!("/Prev {p}")).unwrap_or_default();
        f.extend_from_slice(
            format!("xref\n0 3\n0000000000 65535 f\r\n{cat:010} 00000 n\r\n{pages:010} 00000 n\r\ntrailer\n<</Size 3/Root 1 0 R{p}>>\n")
                .as_bytes(),
        );
        prev = Some(at);
    }
    f.extend_from_slice(format!("startxref\n{}\n%%EOF\n", prev.unwrap_or(0)).as_bytes());
    f
}

fn big_array(size: usize) -> Vec<u8> {
    let mut arr = b"[".to_vec();
    while arr.len() + 300 < size {
        arr.extend_from_slice(b"4 0 R ");
    }
    arr.push(b']');
    let mut objs = catalog_and_pages();
    objs[0].1 = b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields 5 0 R>>>>".to_vec();
    objs.push((4, b"<</FT/Sig/T(a)>>".to_vec()));
    objs.push((5, arr));
    classic(&objs, "")
}

/// A one-page document whose fonts (Type0, Identity-H) carry `item(i)` until the file
/// reaches `size`: ToUnicode ranges when an item starts with `<`, else `/W` entries. Each
/// font takes about 1 MB, under the reader's limits (4 MB of ToUnicode, 500,000 array
/// elements), so every font is read and the page's fonts spend one budget together.
fn font_page(size: usize, item: impl Fn(u32) -> String) -> Vec<u8> {
    const PER_FONT: usize = 1 << 20;
    let to_unicode = item(0).starts_with('<');
    let mut objs = catalog_and_pages();
    let (mut fonts, mut content) = (String::new(), String::from("BT "));
    let (mut total, mut i, mut n) = (0, 0u32, 0u32);
    while n == 0 || total + 600 < size {
        let mut items = String::new();
        let mut count = 0;
        while items.len() < PER_FONT && total + items.len() + 600 < size {
            items.push_str(&item(i));
            i += 1;
            count += 1;
        }
        total += items.len() + 300;
        let num = 10 + 2 * n;
        let font = if to_unicode {
            let cmap = format!(
                "begincmap\n1 begincodespacerange <00000000> <FFFFFFFF> endcodespacerange\n{count} beginbfrange\n{items}endbfrange\nendcmap\n"
            );
            objs.push((
                num + 1,
                format!("<</Length {}>>stream\n{cmap}\nendstream", cmap.len()).into_bytes(),
            ));
            format!("<</Type/Font/Subtype/Type0/BaseFont/F/Encoding/Identity-H/DescendantFonts[<</Type/Font/Subtype/CIDFontType2/DW 500>>]/ToUnicode {} 0 R>>", num + 1)
        } else {
            format!("<</Type/Font/Subtype/Type0/BaseFont/F/Encoding/Identity-H/DescendantFonts[<</Type/Font/Subtype/CIDFontType2/DW 500/W[{items}]>>]>>")
        };
        objs.push((num, font.into_bytes()));
        fonts.push_str(&format!("/F{n} {num} 0 R"));
        content.push_str(&format!("/F{n} 12 Tf 72 700 Td <00000041> Tj "));
        n += 1;
    }
    content.push_str("ET");
    objs[2].1 = format!(
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<<{fonts}>>>>/Contents 4 0 R>>"
    )
    .into_bytes();
    objs.push((
        4,
        format!("<</Length {}>>stream\n{content}\nendstream", content.len()).into_bytes(),
    ));
    objs.sort_by_key(|(n, _)| *n);
    classic(&objs, "")
}
