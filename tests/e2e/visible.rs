//! Visible signatures: text in the embedded font (extracts exactly with pdftotext), a PNG
//! with transparency, placement by page + rectangle on plain, rotated and offset pages and
//! into an existing field — checked by rendering with pdftoppm and reading the pixels, and
//! by pdfsig, pyHanko, qpdf and kyso verify. Bad inputs are refused with nothing written.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// A 60×30 RGBA PNG: a red ellipse on a transparent background (made with Python's zlib).
fn seal(dir: &Path) -> PathBuf {
    ellipse(dir, "seal.png", [220, 20, 20])
}

fn ellipse(dir: &Path, name: &str, rgb: [u8; 3]) -> PathBuf {
    let p = dir.join(name);
    let script = r#"
import struct, sys, zlib
w, h = 60, 30
col = bytes([int(v) for v in sys.argv[2].split(",")]) + b"\xff"
raw = b"".join(b"\x00" + b"".join(col if (x-30)**2/900 + (y-15)**2/225 < 1 else bytes(4) for x in range(w)) for y in range(h))
c = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + c(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)) + c(b"IDAT", zlib.compress(raw)) + c(b"IEND", b""))
"#;
    let ok = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&p)
        .arg(format!("{},{},{}", rgb[0], rgb[1], rgb[2]))
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

/// Pixels matching `is` as points on the displayed page (origin bottom-left).
fn pixels(pdf: &Path, is: fn(&[u8]) -> bool) -> Vec<(f32, f32)> {
    let (w, h, px) = render(pdf);
    let mut out = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let p = &px[(y * w + x) * 3..(y * w + x) * 3 + 3];
            if is(p) {
                out.push((x as f32 + 0.5, (h - y) as f32 - 0.5));
            }
        }
    }
    out
}

fn red(p: &[u8]) -> bool {
    p[0] > 180 && p[1] < 90 && p[2] < 90
}

fn blue(p: &[u8]) -> bool {
    p[2] > 150 && p[0] < 90 && p[1] < 120
}

fn dark(p: &[u8]) -> bool {
    p[0] < 100 && p[1] < 100 && p[2] < 100
}

fn inside(pts: &[(f32, f32)], r: [f32; 4]) -> usize {
    pts.iter()
        .filter(|(u, v)| *u >= r[0] - 1.0 && *u <= r[2] + 1.0 && *v >= r[1] - 1.0 && *v <= r[3] + 1.0)
        .count()
}

/// Red pixels inside and outside the rectangle (points on the displayed page).
fn red_pixels(pdf: &Path, r: [f32; 4]) -> (usize, usize) {
    let pts = pixels(pdf, red);
    let n = inside(&pts, r);
    (n, pts.len() - n)
}

fn bounds(pts: &[(f32, f32)]) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for (u, v) in pts {
        b = [b[0].min(*u), b[1].min(*v), b[2].max(*u), b[3].max(*v)];
    }
    b
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
        (vec!["--text", "x"], "need a place"),
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

/// Decree 30: the leader approves with the blue handwritten signature; the clerk issues with
/// the red seal at real size over its left third; both signatures stay valid.
#[test]
fn leader_approves_then_clerk_issues_with_the_seal_over_the_left_third() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let sig_png = ellipse(dir.path(), "chu-ky.png", [20, 40, 200]);
    let seal_png = seal(dir.path());
    let leader = dir.path().join("to-trinh-ky.pdf");
    sign_token(
        &f.pdf("v17-classic.pdf"),
        &leader,
        "01",
        &[
            "--role",
            "approve",
            "--visible",
            "1,300,80,420,140",
            "--image",
            sig_png.to_str().unwrap(),
        ],
    );
    let issued = dir.path().join("van-ban-phat-hanh.pdf");
    sign_token(
        &leader,
        &issued,
        "02",
        &[
            "--role",
            "issue",
            "--image",
            seal_png.to_str().unwrap(),
            "--doc-number",
            "15/QĐ-UBND",
        ],
    );
    let blue_box = bounds(&pixels(&issued, blue));
    let reds = pixels(&issued, red);
    assert!(
        reds.len() > 200 && blue_box[2] > blue_box[0],
        "{} red, blue {blue_box:?}",
        reds.len()
    );
    let red_box = bounds(&reds);
    let third = blue_box[0] + (blue_box[2] - blue_box[0]) / 3.0;
    // Over the left third of the signature image, not beyond it.
    assert!(
        red_box[2] <= third + 3.0 && red_box[2] > blue_box[0],
        "red {red_box:?} blue {blue_box:?}"
    );
    let left_third = [blue_box[0], blue_box[1], third, blue_box[3]];
    assert!(inside(&reds, left_third) > 50, "the seal covers the left third");
    // Real size: 60×30 px at 96 dpi = 45 × 22.5 pt.
    assert!(((red_box[2] - red_box[0]) - 45.0).abs() < 3.0, "{red_box:?}");
    all_validators_accept(&issued, 2);
    let (_, v) = kyso_verify(&[&issued]);
    assert!(
        v.to_string().contains("15/QĐ-UBND"),
        "the issuing signature records the number"
    );
}

#[test]
fn appendix_copy_and_incoming_stamps() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let seal_png = seal(dir.path());
    let iso = |t: &str| {
        t.split_whitespace().any(|w| {
            w.len() == 25
                && w.ends_with("+07:00")
                && w.as_bytes()[10] == b'T'
                && w[..4].chars().all(|c| c.is_ascii_digit())
        })
    };
    // Appendix: number of the main document and the time, top right of page 1, 10 pt.
    let appendix = dir.path().join("phu-luc.pdf");
    sign_token(
        &f.pdf("v17-classic.pdf"),
        &appendix,
        "03",
        &["--role", "appendix", "--doc-number", "15/QĐ-UBND"],
    );
    let text = text_of(&appendix);
    assert!(text.contains("15/QĐ-UBND") && iso(&text), "{text}");
    let top_right = [595.28 - 220.0, 841.89 - 54.0, 595.28 - 20.0, 841.89 - 20.0];
    assert!(inside(&pixels(&appendix, dark), top_right) > 30);
    all_validators_accept(&appendix, 1);
    // Copy: the copying organisation's seal, name and time, top right.
    let copy = dir.path().join("ban-sao.pdf");
    sign_token(
        &f.pdf("v17-classic.pdf"),
        &copy,
        "01",
        &[
            "--role",
            "copy",
            "--image",
            seal_png.to_str().unwrap(),
            "--org",
            "Sở Nội vụ tỉnh Bắc Giang",
        ],
    );
    let text = text_of(&copy);
    assert!(text.contains("Sở Nội vụ tỉnh Bắc Giang") && iso(&text), "{text}");
    let (inside_red, outside_red) = red_pixels(
        &copy,
        [595.28 - 260.0, 841.89 - 60.0, 595.28 - 20.0, 841.89 - 20.0],
    );
    assert!(inside_red > 200 && outside_red == 0, "{inside_red} {outside_red}");
    all_validators_accept(&copy, 1);
    // Incoming: a receipt stamp on a document someone else signed; their signature stays valid.
    let received = dir.path().join("van-ban-den.pdf");
    sign_token(
        &appendix,
        &received,
        "02",
        &["--role", "incoming", "--receipt", "Số đến: 1234"],
    );
    assert!(text_of(&received).contains("Số đến: 1234"));
    all_validators_accept(&received, 2);
    // Refusals: the seal needs a leader's visible signature; an appendix needs its number.
    let out = dir.path().join("x.pdf");
    let o = sign_p12_file(
        &f.pdf("v17-classic.pdf"),
        &out,
        "rsa2048",
        &["--json", "--role", "issue", "--image", seal_png.to_str().unwrap()],
    );
    assert!(json(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("leader signs first"));
    let o = sign_p12_file(
        &f.pdf("v17-classic.pdf"),
        &out,
        "rsa2048",
        &["--json", "--role", "appendix"],
    );
    assert!(json(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("document number"));
    assert!(!out.exists());
}

/// The organisation profile supplies the leader's signature image, the seal and the
/// organisation's name; images are stored in the config folder.
#[test]
fn the_organisation_profile_supplies_images_and_names() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    let cfg_s = cfg.to_str().unwrap().to_string();
    let env = [("KYSO_CONFIG_DIR", cfg_s.as_str())];
    let sig_png = ellipse(dir.path(), "an.png", [20, 40, 200]);
    let seal_png = seal(dir.path());
    let bad = dir.path().join("bad.png");
    std::fs::write(&bad, b"no").unwrap();
    let o = kyso_env(&["profile", "set", "--seal", bad.to_str().unwrap()], &env);
    assert_eq!(o.status.code(), Some(1), "an unreadable seal is refused");
    let o = kyso_env(
        &[
            "profile",
            "set",
            "--org",
            "UBND tỉnh Bắc Giang",
            "--seal",
            seal_png.to_str().unwrap(),
            "--signature",
            &format!("Nguyễn Văn An={}", sig_png.display()),
        ],
        &env,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown = json(&kyso_env(&["profile", "show", "--json"], &env));
    assert_eq!(shown["organization"], "UBND tỉnh Bắc Giang");
    assert!(cfg.join("profile").join(shown["seal"].as_str().unwrap()).exists());

    let sign = |input: &Path, out: &Path, id: &str, extra: &[&str]| {
        let mut args = vec![
            "sign",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--pkcs11",
            f.module.to_str().unwrap(),
            "--cert",
            id,
            "--pin-env",
            "KYSO_PIN",
        ];
        args.extend_from_slice(extra);
        let o = kyso_env(&args, &env);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let leader = dir.path().join("leader.pdf");
    sign(
        &f.pdf("v17-classic.pdf"),
        &leader,
        "01",
        &["--role", "approve", "--visible", "1,300,80,420,140"],
    );
    assert!(
        pixels(&leader, blue).len() > 200,
        "the leader's image comes from the profile"
    );
    let issued = dir.path().join("issued.pdf");
    sign(&leader, &issued, "02", &["--role", "issue"]);
    assert!(
        pixels(&issued, red).len() > 200,
        "the seal comes from the profile"
    );
    let copy = dir.path().join("copy.pdf");
    sign(&f.pdf("v17-classic.pdf"), &copy, "03", &["--role", "copy"]);
    assert!(text_of(&copy).contains("UBND tỉnh Bắc Giang"));
    all_validators_accept(&issued, 2);
}

/// Where pdftotext sees the words `words` in a row on page 1: `[x1, y1, x2, y2]` on the
/// displayed page, origin bottom-left (pdftotext -bbox counts from the top).
fn word_box(pdf: &Path, words: &[&str]) -> [f32; 4] {
    let o = Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    // Words come in the displayed frame; its height is the rendered page's (72 dpi = points).
    let page_h = render(pdf).1 as f32;
    let mut found: Vec<(String, [f32; 4])> = Vec::new();
    for w in html.split("<word ").skip(1) {
        let attr = |k: &str| -> f32 {
            w.split(&format!("{k}=\""))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .unwrap()
        };
        let text = w
            .split('>')
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or("")
            .to_string();
        found.push((
            text,
            [
                attr("xMin"),
                page_h - attr("yMax"),
                attr("xMax"),
                page_h - attr("yMin"),
            ],
        ));
    }
    let i = found
        .windows(words.len())
        .position(|win| win.iter().zip(words).all(|((t, _), w)| t == w))
        .unwrap_or_else(|| {
            panic!(
                "{words:?} not in {:?}",
                found.iter().map(|f| &f.0).collect::<Vec<_>>()
            )
        });
    let mut b = found[i].1;
    for (_, r) in &found[i..i + words.len()] {
        b = [b[0].min(r[0]), b[1].min(r[1]), b[2].max(r[2]), b[3].max(r[3])];
    }
    b
}

#[test]
fn placed_relative_to_text_in_a_simple_font_a_rotated_page_and_a_cid_font() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let png = seal(dir.path());
    // A Type1 font with one-byte codes, on a plain and on a rotated page: the seal to the
    // right of the placeholder, then above it. The standard fonts of these test files carry no
    // /Widths: the standard metrics measure them, as poppler does.
    // The third file draws the text inside nested form XObjects.
    for (name, at) in [
        ("v17-classic.pdf", "right"),
        ("rotated.pdf", "above"),
        ("form-xobject-text.pdf", "right"),
    ] {
        let out = dir.path().join(format!("anchor-{name}"));
        sign_token(
            &f.pdf(name),
            &out,
            "01",
            &[
                "--anchor",
                "01/QD-UBND",
                "--anchor-at",
                at,
                "--anchor-box",
                "80x40",
                "--image",
                png.to_str().unwrap(),
                "--text",
                "Đã ký",
            ],
        );
        let word = word_box(&out, &["01/QD-UBND"]);
        let red = bounds(&pixels(&out, red));
        match at {
            "right" => {
                assert!(
                    red[0] >= word[2] - 1.5 && red[0] < word[2] + 16.0,
                    "{name}: seal {red:?} right of {word:?}"
                );
                let (cw, cr) = ((word[1] + word[3]) / 2.0, (red[1] + red[3]) / 2.0);
                assert!(
                    (cw - cr).abs() < 8.0,
                    "{name}: centred on the text line: {red:?} {word:?}"
                );
            }
            _ => {
                assert!(
                    red[1] >= word[3] - 6.0 && red[1] < word[3] + 16.0,
                    "{name}: seal {red:?} above {word:?}"
                );
                let (cw, cr) = ((word[0] + word[2]) / 2.0, (red[0] + red[2]) / 2.0);
                assert!(
                    (cw - cr).abs() < 30.0,
                    "{name}: centred over the text: {red:?} {word:?}"
                );
            }
        }
        all_validators_accept(&out, 1);
    }

    // Vietnamese text in an embedded Type0/Identity-H font with ToUnicode (Kyso's own PDF
    // report): the signer's printed name is the anchor.
    let signed = dir.path().join("signed.pdf");
    sign_token(&f.pdf("v17-classic.pdf"), &signed, "01", &[]);
    let report = dir.path().join("bao-cao.pdf");
    let root = f.root_pem();
    let o = kyso(&[
        "verify",
        "--trust",
        root.to_str().unwrap(),
        signed.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(report.exists(), "{}", stdout(&o));
    let out = dir.path().join("anchor-cid.pdf");
    sign_token(
        &report,
        &out,
        "01",
        &[
            "--anchor",
            "Nguyễn Văn An",
            "--anchor-at",
            "right",
            "--anchor-box",
            "60x30",
            "--image",
            png.to_str().unwrap(),
            "--text",
            "x",
        ],
    );
    let word = word_box(&out, &["Nguyễn", "Văn", "An"]);
    // The seal's pixels near the name (the report prints failed checks in red elsewhere).
    let near: Vec<(f32, f32)> = pixels(&out, red)
        .into_iter()
        .filter(|(x, y)| *x > word[0] && *x < word[2] + 90.0 && (*y - (word[1] + word[3]) / 2.0).abs() < 40.0)
        .collect();
    let red = bounds(&near);
    assert!(
        red[0] >= word[2] - 1.0 && red[0] < word[2] + 12.0,
        "seal {red:?} right of the name {word:?}"
    );
    assert!(
        ((word[1] + word[3]) / 2.0 - (red[1] + red[3]) / 2.0).abs() < 8.0,
        "{red:?} {word:?}"
    );
    all_validators_accept(&out, 1);

    // Text that is not there: named, nothing written.
    let missing = dir.path().join("missing.pdf");
    let o = sign_token_output(
        &f.pdf("v17-classic.pdf"),
        &missing,
        "01",
        &["--anchor", "[CHU_KY_LANH_DAO]"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("[CHU_KY_LANH_DAO]") && stdout(&o).contains("not found"),
        "{}",
        stdout(&o)
    );
    assert!(!missing.exists());
}

/// Decree 30 electronic copies: the copy form, the copying organisation and the time, in
/// Liberation Serif (Times metrics) 10 pt, black, top right of page 1, no image — even with
/// a seal in the organisation profile; the form from `--copy-form`.
#[test]
fn a_copy_shows_its_form_organisation_and_time_without_an_image() {
    let f = fixtures();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sao-y.pdf");
    sign_p12_ok(
        &f.pdf("v17-classic.pdf"),
        &copy,
        "rsa2048",
        &["--role", "copy", "--org", "Sở Nội vụ tỉnh Bắc Giang"],
    );
    let text = text_of(&copy);
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let at = lines
        .iter()
        .position(|l| *l == "SAO Y")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(lines[at + 1], "Sở Nội vụ tỉnh Bắc Giang", "{text}");
    let time = lines[at + 2];
    assert!(
        time.len() == 25 && time.ends_with("+07:00") && time.as_bytes()[10] == b'T',
        "{time}"
    );
    // Top right of page 1, 10 pt: the line is 10 pt tall give or take the font's extent.
    let b = word_box(&copy, &["SAO", "Y"]);
    assert!(b[2] > 595.28 - 30.0 - 200.0 && b[3] > 841.89 - 40.0, "{b:?}");
    assert!((b[3] - b[1] - 10.0).abs() < 2.5, "10 pt: {b:?}");
    // Black text only: no coloured pixel anywhere, and no image in what the copy added.
    let coloured = pixels(&copy, |p| {
        let (mx, mn) = (p.iter().max().unwrap(), p.iter().min().unwrap());
        mx - mn > 60
    });
    assert!(coloured.is_empty(), "{} coloured pixels", coloured.len());
    let original = std::fs::metadata(f.pdf("v17-classic.pdf")).unwrap().len() as usize;
    let added = &std::fs::read(&copy).unwrap()[original..];
    assert!(!added.windows(6).any(|w| w == b"/Image"), "no image XObject");
    assert!(pixels(&copy, dark).len() > 100);
    all_validators_accept(&copy, 1);
    // The other forms.
    let extract = dir.path().join("trich-sao.pdf");
    sign_p12_ok(
        &f.pdf("v17-classic.pdf"),
        &extract,
        "rsa2048",
        &["--role", "copy", "--copy-form", "trich-sao", "--org", "Sở Nội vụ"],
    );
    assert!(text_of(&extract).contains("TRÍCH SAO"));
    let o = sign_p12_file(
        &f.pdf("v17-classic.pdf"),
        &dir.path().join("x.pdf"),
        "rsa2048",
        &["--role", "copy", "--copy-form", "photocopy", "--org", "Sở Nội vụ"],
    );
    assert_eq!(o.status.code(), Some(2), "an unknown form is a usage error");
}
