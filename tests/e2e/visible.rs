//! Visible signatures: text in the embedded font (extracts exactly with pdftotext), a PNG
//! with transparency, placement by page + rectangle on plain, rotated and offset pages and
//! into an existing field — checked by rendering with pdftoppm and reading the pixels, and
//! by pdfsig, pyHanko, qpdf and kyso verify. Bad inputs are refused with nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// A 60×30 RGBA PNG: a red ellipse on a transparent background (made with Python's zlib).
fn seal(dir: &Path) -> PathBuf {
    let p = dir.join("seal.png");
    let script = r#"
import struct, sys, zlib
w, h = 60, 30
raw = b"".join(b"\x00" + b"".join(bytes([220, 20, 20, 255]) if (x-30)**2/900 + (y-15)**2/225 < 1 else bytes(4) for x in range(w)) for y in range(h))
c = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + c(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) + c(b"IDAT", zlib.compress(raw)) + c(b"IEND", b""))
"#;
    let ok = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&p)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    p
}

/// Page 1 rendered at 72 dpi: (width, height, RGB pixels), from pdftoppm's PPM output.
fn render(pdf: &Path) -> (usize, usize, Vec<u8>) {
    let o = Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1"])
        .arg(pdf)
        .output()
        .unwrap();
    let d = o.stdout;
    // "P6\n<w> <h>\n255\n" then pixels
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while d[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !d[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&d[s..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, d[i + 1..].to_vec())
}

/// Red pixels inside and outside the rectangle (points on the displayed page, origin
/// bottom-left).
fn red_pixels(pdf: &Path, r: [f32; 4]) -> (usize, usize) {
    let (w, h, px) = render(pdf);
    let (mut inside, mut outside) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            let p = &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
            if p[0] > 180 && p[1] < 90 && p[2] < 90 {
                let (u, v) = (x as f32 + 0.5, (h - y) as f32 - 0.5);
                if u >= r[0] - 1.0 && u <= r[2] + 1.0 && v >= r[1] - 1.0 && v <= r[3] + 1.0 {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
        }
    }
    (inside, outside)
}

fn text_of(pdf: &Path) -> String {
    let o = Command::new("pdftotext").arg(pdf).arg("-").output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn all_validators_accept(pdf: &Path, n: usize) {
    let sigs = pdfsig(pdf);
    assert_eq!(sigs.len(), n);
    assert!(sigs.iter().all(|s| s.0 && s.1), "{sigs:?}");
    let (text, ok) = pyhanko_summary(pdf, &[]);
    assert!(ok, "{text}");
    assert!(qpdf_ok(pdf));
    let (code, v) = kyso_verify(&[pdf]);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn text_and_seal_land_where_asked_on_every_page_geometry() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let png = seal(dir.path());
    let rect = [300.0, 80.0, 560.0, 160.0];
    for name in [
        "v17-classic.pdf",
        "rotated.pdf",
        "offset-box.pdf",
        "xref-stream.pdf",
    ] {
        let out = dir.path().join(format!("vis-{name}"));
        sign_token(
            &f.pdf(name),
            &out,
            "01",
            &["--visible", "1,300,80,560,160", "--image", png.to_str().unwrap()],
        );
        let text = text_of(&out);
        assert!(text.contains("Người ký: Nguyễn Văn An"), "{name}: {text}");
        assert!(text.contains("Cơ quan: UBND tỉnh Bắc Giang"), "{name}: {text}");
        let (inside, outside) = red_pixels(&out, rect);
        assert!(
            inside > 200,
            "{name}: the seal is drawn in the box ({inside} red pixels)"
        );
        assert_eq!(outside, 0, "{name}: nothing red outside the box");
        all_validators_accept(&out, 1);
    }
}

#[test]
fn into_an_existing_field_and_a_second_visible_signature_after_it() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let png = seal(dir.path());
    let first = dir.path().join("leader.pdf");
    sign_token(
        &f.pdf("empty-field.pdf"),
        &first,
        "01",
        &[
            "--field",
            "ChuKyLanhDao",
            "--visible",
            "field",
            "--text",
            "Phê duyệt — Chủ tịch UBND tỉnh",
        ],
    );
    assert!(text_of(&first).contains("Phê duyệt — Chủ tịch UBND tỉnh"));
    // The clerk's signature after the leader's, elsewhere on the page, with the seal.
    let second = dir.path().join("clerk.pdf");
    sign_token(
        &first,
        &second,
        "02",
        &[
            "--visible",
            "1,60,80,300,160",
            "--image",
            png.to_str().unwrap(),
            "--text",
            "Văn thư: đã phát hành",
        ],
    );
    let (inside, outside) = red_pixels(&second, [60.0, 80.0, 300.0, 160.0]);
    assert!(inside > 200 && outside == 0, "{inside} {outside}");
    all_validators_accept(&second, 2);
}

#[test]
fn bad_images_and_boxes_are_refused_and_nothing_is_written() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let out = dir.path().join("out.pdf");
    let input = f.pdf("v17-classic.pdf");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--visible", "1,300,80,560,160", "--image", bad.to_str().unwrap()],
            "image",
        ),
        (
            vec![
                "--visible",
                "1,300,80,312,92",
                "--text",
                "Một dòng chữ rất dài không thể nào vừa",
            ],
            "does not fit",
        ),
        (vec!["--text", "x"], "--visible"),
        (vec!["--visible", "1,3,4"], "PAGE,X1"),
        (vec!["--visible", "9,300,80,560,160"], "page 9"),
    ];
    for (extra, want) in cases {
        let o = sign_p12_file(&input, &out, "rsa2048", &[&["--json"][..], &extra].concat());
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        let msg = json(&o)["error"]["message"].as_str().unwrap().to_string();
        assert!(msg.contains(want), "{extra:?}: {msg}");
        assert!(!out.exists());
    }
}
