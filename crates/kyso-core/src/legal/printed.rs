//! What a Decree 30 document prints, read from its page text: the issuing body (top left,
//! above the number), "Số: N/SYMBOL", the place-and-date line, and the signature blocks
//! (a position, with its TM./KT./TL./TUQ./Q. prefix, above the signer's printed name).

use super::text::{Line, Segment};
use crate::decree::{self, class::looks_like_person, norm};

/// The number and symbol as printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number {
    /// As printed after "Số:" (spaces removed).
    pub text: String,
    /// The number.
    pub number: u32,
    /// The year in the symbol ("18/2021/TT-BYT"), for normative documents.
    pub year: Option<i32>,
    /// The symbol after the number (and year).
    pub symbol: String,
    /// Its first part ("QĐ" of "QĐ-UBND").
    pub code: String,
}

/// The place-and-date line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateLine {
    /// As printed.
    pub text: String,
    /// The place.
    pub place: String,
    /// Day, month, year.
    pub day: u32,
    /// Month.
    pub month: u32,
    /// Year.
    pub year: i32,
    /// Whether days below 10 and months 1–2 carry their leading zero.
    pub zeros_ok: bool,
}

/// A signature block: the position lines and the name under them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Prefix and position lines joined ("KT. BỘ TRƯỞNG THỨ TRƯỞNG").
    pub position: String,
    /// The printed name.
    pub name: String,
}

/// What page 1 prints at its top.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Issuing-body lines, top to bottom (a governing body may come first).
    pub body: Vec<String>,
    /// The number and symbol (`Err` with the text when it does not parse).
    pub number: Option<Result<Number, String>>,
    /// The place-and-date line (`Err` with the text when it does not parse).
    pub date: Option<Result<DateLine, String>>,
}

/// Whether a page's text is readable Vietnamese of an official document (a scan, or fonts
/// without a Unicode map, give nothing or gibberish).
pub fn readable(lines: &[Line]) -> bool {
    let all: String = lines
        .iter()
        .flat_map(|l| l.segments.iter())
        .map(|s| norm(&s.text))
        .collect::<Vec<_>>()
        .join(" ");
    ["cộng hòa xã hội chủ nghĩa", "độc lập", "số:", " tháng ", "ngày "]
        .iter()
        .filter(|w| all.contains(*w))
        .count()
        >= 2
}

fn is_motto(t: &str) -> bool {
    let n = norm(t);
    n.contains("cộng hòa xã hội") || n.contains("độc lập") || n.contains("hạnh phúc")
}

fn has_letters(t: &str) -> bool {
    t.chars().any(char::is_alphabetic)
}

/// Parses what follows "Số:".
pub fn parse_number(after: &str) -> Result<Number, String> {
    let text: String = after.chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || text.clone();
    let mut parts = text.split('/');
    let n = parts.next().ok_or_else(bad)?;
    let number: u32 = n.parse().map_err(|_| bad())?;
    let rest: Vec<&str> = parts.collect();
    let (year, symbol) = match rest.as_slice() {
        [y, s] if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => (y.parse().ok(), (*s).to_string()),
        [s] => (None, (*s).to_string()),
        _ => return Err(bad()),
    };
    let code = symbol.split('-').next().unwrap_or("").to_string();
    if code.is_empty() || !code.chars().all(|c| c.is_alphanumeric()) {
        return Err(bad());
    }
    Ok(Number {
        text,
        number,
        year,
        symbol,
        code,
    })
}

/// Parses "Place, ngày D tháng M năm YYYY".
pub fn parse_date(t: &str) -> Option<DateLine> {
    let n = norm(t);
    let at = n.find("ngày")?;
    let place = n[..at].trim().trim_end_matches(',').trim().to_string();
    let rest = &n[at..];
    let num_after = |word: &str, from: &str| -> Option<(String, usize)> {
        let i = from.find(word)? + word.len();
        let tail = from[i..].trim_start();
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then(|| (digits, from.len() - tail.len()))
    };
    let (d, i) = num_after("ngày", rest)?;
    let (m, j) = num_after("tháng", &rest[i..])?;
    let (y, _) = num_after("năm", &rest[i + j..])?;
    let (day, month, year): (u32, u32, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    if place.is_empty() || !(1..=31).contains(&day) || !(1..=12).contains(&month) || y.len() != 4 {
        return None;
    }
    let zeros_ok = (day >= 10 || d.len() == 2) && (month > 2 || m.len() == 2);
    // The place as printed (case kept), from the original text.
    let printed_place = t.split(',').next().unwrap_or("").trim().to_string();
    Some(DateLine {
        text: format!("{printed_place}, ngày {d} tháng {m} năm {y}"),
        place: printed_place,
        day,
        month,
        year,
        zeros_ok,
    })
}

/// Reads the top of page 1: the number and its column's lines above it (the issuing body),
/// and the date line.
pub fn header(lines: &[Line]) -> Header {
    let mut h = Header::default();
    let top = lines.iter().take(40);
    // "Số:" (or "Luật số:"), in the first lines.
    let mut number_seg: Option<(usize, &Segment)> = None;
    for (i, l) in top.clone().enumerate() {
        for s in &l.segments {
            let n = norm(&s.text);
            let numbered = ["số:", "số :", "luật số:"].iter().any(|p| n.starts_with(p));
            if let Some((_, a)) = s.text.split_once(':').filter(|_| numbered) {
                if number_seg.is_none() {
                    h.number = Some(parse_number(a));
                    number_seg = Some((i, s));
                }
            }
        }
    }
    for l in top {
        for s in &l.segments {
            let n = norm(&s.text);
            if h.date.is_none()
                && n.contains("ngày")
                && n.contains("tháng")
                && n.contains("năm")
                && s.text.contains(',')
            {
                h.date = Some(parse_date(&s.text).ok_or_else(|| s.text.clone()));
            }
        }
    }
    if let Some((i, num)) = number_seg {
        // The issuing body: the lines just above the number, in its column.
        let mut body = Vec::new();
        for l in lines[..i].iter().rev().take(5) {
            if num.y > 0.0 && l.y - num.y > 100.0 {
                break;
            }
            let Some(s) = l.segments.iter().find(|s| s.overlaps(num) && !is_motto(&s.text)) else {
                continue;
            };
            if !has_letters(&s.text) {
                continue; // a rule under the name
            }
            if norm(&s.text).contains("công báo") {
                break; // the Official Gazette's page header
            }
            body.push(s.text.clone());
        }
        body.reverse();
        h.body = body;
    }
    h
}

fn is_position(t: &str) -> bool {
    let n = norm(t);
    let prefixed = decree::PREFIXES
        .iter()
        .any(|(p, _, _)| n.starts_with(&p.to_lowercase()));
    let upper = t.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    prefixed
        || (upper
            && decree::POSITION_WORDS
                .iter()
                .any(|w| n == *w || n.starts_with(&format!("{w} "))))
}

/// The signature blocks on a page: a position line (a prefix, or a known position in
/// capitals), the lines under it in the same column, and the first person's name there.
pub fn blocks(lines: &[Line]) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for s in l.segments.iter().filter(|s| is_position(&s.text)) {
            // Only the first line of a position (the one not under another position line).
            let above_is_position = i > 0
                && lines[i - 1]
                    .segments
                    .iter()
                    .any(|a| a.overlaps(s) && is_position(&a.text) && lines[i - 1].y - l.y < 3.0 * 14.0);
            if above_is_position {
                continue;
            }
            let mut position = vec![s.text.clone()];
            for below in lines.iter().skip(i + 1).take(40) {
                if s.y - below.y > 200.0 {
                    break;
                }
                let Some(b) = below.segments.iter().find(|b| b.overlaps(s)) else {
                    continue;
                };
                if looks_like_person(&b.text) {
                    out.push(Block {
                        position: position.join(" "),
                        name: b.text.clone(),
                    });
                    break;
                }
                if is_position(&b.text)
                    || b.text
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase)
                {
                    position.push(b.text.clone());
                }
            }
        }
    }
    out
}

/// Where `name` is printed on the page (the segment and its line index), and the position
/// lines just above it in the same column (joined), if any.
pub fn find_name(lines: &[Line], name: &str) -> Option<(usize, Option<String>)> {
    let want = norm(name);
    if want.is_empty() {
        return None;
    }
    let mut found: Option<(usize, Option<String>)> = None;
    for (i, l) in lines.iter().enumerate() {
        for s in l.segments.iter().filter(|s| norm(&s.text) == want) {
            let mut position = Vec::new();
            // Lines of the other column ("Nơi nhận" …) may come between.
            for above in lines[..i].iter().rev().take(40) {
                if above.y - s.y > 200.0 {
                    break;
                }
                match above.segments.iter().find(|a| a.overlaps(s)) {
                    Some(a) if is_position(&a.text) => position.push(a.text.clone()),
                    // Another line of the same column ends the position above the name.
                    Some(_) if !position.is_empty() => break,
                    _ => {}
                }
            }
            position.reverse();
            let candidate = (i, (!position.is_empty()).then(|| position.join(" ")));
            // A printing under a position (the signature block) is the one that counts.
            if candidate.1.is_some() {
                return Some(candidate);
            }
            found = found.or(Some(candidate));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f32, segs: &[(f32, &str)]) -> Line {
        Line {
            y,
            segments: segs
                .iter()
                .map(|(x, t)| Segment {
                    text: t.to_string(),
                    x0: *x,
                    x1: x + 7.0 * t.chars().count() as f32,
                    y,
                })
                .collect(),
        }
    }

    #[test]
    fn numbers_and_dates_parse_as_printed() {
        let n = parse_number(" 18 /2021/TT-BYT").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((n.number, n.year, n.code.as_str()), (18, Some(2021), "TT"));
        let n = parse_number("15/QĐ-UBND").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((n.number, n.year, n.symbol.as_str()), (15, None, "QĐ-UBND"));
        assert!(parse_number("…/QĐ-UBND").is_err());
        let d = parse_date("Bắc Giang, ngày 05 tháng 12 năm 2026").unwrap_or_else(|| panic!("date"));
        assert_eq!(
            (d.place.as_str(), d.day, d.month, d.year, d.zeros_ok),
            ("Bắc Giang", 5, 12, 2026, true)
        );
        let d = parse_date("Hà Nội, ngày 5 tháng 1 năm 2026").unwrap_or_else(|| panic!("date"));
        assert!(!d.zeros_ok);
        assert!(parse_date("Hà Nội, ngày    tháng    năm 2026").is_none());
    }

    #[test]
    fn a_decision_page_reads_as_a_clerk_reads_it() {
        let page1 = [
            line(
                800.0,
                &[
                    (60.0, "ỦY BAN NHÂN DÂN"),
                    (300.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                ],
            ),
            line(
                786.0,
                &[(60.0, "TỈNH BẮC GIANG"), (330.0, "Độc lập - Tự do - Hạnh phúc")],
            ),
            line(770.0, &[(80.0, "_______")]),
            line(
                750.0,
                &[
                    (60.0, "Số: 15/QĐ-UBND"),
                    (300.0, "Bắc Giang, ngày 05 tháng 12 năm 2026"),
                ],
            ),
            line(300.0, &[(60.0, "Nơi nhận:"), (330.0, "TM. ỦY BAN NHÂN DÂN")]),
            line(286.0, &[(340.0, "CHỦ TỊCH")]),
            line(200.0, &[(60.0, "- Lưu: VT."), (335.0, "Nguyễn Văn An")]),
        ];
        let h = header(&page1);
        assert_eq!(h.body, ["ỦY BAN NHÂN DÂN", "TỈNH BẮC GIANG"]);
        assert_eq!(h.number.and_then(Result::ok).map(|n| n.code), Some("QĐ".into()));
        assert_eq!(h.date.and_then(Result::ok).map(|d| d.day), Some(5));
        assert!(readable(&page1));
        assert_eq!(
            blocks(&page1),
            [Block {
                position: "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH".into(),
                name: "Nguyễn Văn An".into()
            }]
        );
        assert_eq!(
            find_name(&page1, "NGUYỄN VĂN AN"),
            Some((6, Some("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH".into())))
        );
        assert!(!readable(&[line(
            800.0,
            &[(60.0, "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ")]
        )]));
    }
}
