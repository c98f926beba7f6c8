//! Glyph widths of the standard 14 fonts for ASCII codes 32–126, for PDFs that name a
//! standard font without giving `/Widths` (older and generated files do). The figures are
//! the Adobe core-font metrics, as published in the metric-compatible URW base-35 AFM files
//! (Nimbus Roman = Times, Nimbus Sans = Helvetica); Courier is 600 throughout.

/// Times Roman (NimbusRoman-Regular.afm).
const TIMES_ROMAN: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333,
    389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469,
    500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389,
    278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

/// Times Bold (NimbusRoman-Bold.afm).
const TIMES_BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389,
    500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581,
    500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389,
    333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

/// Times Italic (NimbusRoman-Italic.afm).
const TIMES_ITALIC: [u16; 95] = [
    250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667, 722, 611, 611, 722, 722, 333,
    444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389, 278, 389, 422,
    500, 333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500, 500, 500, 389, 389,
    278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541,
];

/// Times Bold Italic (NimbusRoman-BoldItalic.afm).
const TIMES_BOLD_ITALIC: [u16; 95] = [
    250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500,
    500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 832, 667, 667, 667, 722, 667, 667, 722, 778, 389,
    500, 667, 611, 889, 722, 722, 611, 722, 667, 556, 611, 722, 667, 889, 667, 611, 611, 333, 278, 333, 570,
    500, 333, 500, 500, 444, 500, 444, 333, 500, 556, 278, 278, 500, 278, 778, 556, 500, 500, 500, 389, 389,
    278, 556, 444, 667, 500, 444, 389, 348, 220, 348, 570,
];

/// Helvetica (NimbusSans-Regular.afm).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
    500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica Bold (NimbusSans-Bold.afm).
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278,
    556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
    556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556,
    333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// The width (1/1000 em) of `code` in the standard font `base_font` (a subset prefix
/// `ABCDEF+` and Windows names like `Arial,Bold` or `TimesNewRomanPS-BoldMT` are understood),
/// when the font is one of the standard ones and the code is printable ASCII.
pub fn width(base_font: &[u8], code: u32) -> Option<f32> {
    let i = usize::try_from(code.checked_sub(32)?).ok().filter(|&i| i < 95)?;
    let name = String::from_utf8_lossy(base_font);
    let name = name
        .split_once('+')
        .map_or(&*name, |(_, n)| n)
        .to_ascii_lowercase();
    let bold = name.contains("bold");
    let italic = name.contains("italic") || name.contains("oblique");
    let table = if name.starts_with("courier") {
        return Some(600.0);
    } else if name.starts_with("times") {
        match (bold, italic) {
            (false, false) => &TIMES_ROMAN,
            (true, false) => &TIMES_BOLD,
            (false, true) => &TIMES_ITALIC,
            (true, true) => &TIMES_BOLD_ITALIC,
        }
    } else if name.starts_with("helvetica") || name.starts_with("arial") {
        // The oblique faces share the upright widths.
        if bold {
            &HELVETICA_BOLD
        } else {
            &HELVETICA
        }
    } else {
        return None;
    };
    table.get(i).map(|&w| f32::from(w))
}

#[cfg(test)]
mod tests {
    use super::width;

    #[test]
    fn standard_names_and_their_windows_spellings() {
        assert_eq!(width(b"Times-Roman", u32::from(b' ')), Some(250.0));
        assert_eq!(
            width(b"ABCDEF+TimesNewRomanPS-BoldMT", u32::from(b'W')),
            Some(1000.0)
        );
        assert_eq!(width(b"Helvetica-Oblique", u32::from(b'i')), Some(222.0));
        assert_eq!(width(b"Arial,Bold", u32::from(b'i')), Some(278.0));
        assert_eq!(width(b"Courier-Bold", u32::from(b'm')), Some(600.0));
        assert_eq!(width(b"Times-Roman", 0xE0), None);
        assert_eq!(width(b"Symbol", u32::from(b'a')), None);
    }
}
