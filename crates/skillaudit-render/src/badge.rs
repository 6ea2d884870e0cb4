//! The shields.io-style "flat" SVG badge of a report: `skillaudit | B 78`, the right half
//! coloured by grade.
//!
//! Shields sizes each half from the text's rendered width; without a font engine we estimate it
//! from a table of Verdana 11px advance widths (the font the badge asks for), which is what
//! shields itself does. `textLength` pins each text to the estimated width, so a viewer with a
//! different fallback font still fits the text in its box.

use crate::escape::{truncate, visible};
use skillaudit_core::{Grade, Report};

/// The label a report's badge carries.
pub const LABEL: &str = "skillaudit";

const LABEL_MAX: usize = 40;
/// Space left and right of each text, in pixels.
const PADDING: u32 = 5;

/// Colour of the value half for a grade (the shields palette: brightgreen, green, yellow,
/// orange, red).
pub fn badge_color(grade: Grade) -> &'static str {
    match grade {
        Grade::A => "#4c1",
        Grade::B => "#97ca00",
        Grade::C => "#dfb317",
        Grade::D => "#fe7d37",
        Grade::F => "#e05d44",
    }
}

/// The badge of a report: [`LABEL`] and its grade and score.
pub fn badge_for(report: &Report) -> String {
    badge_svg(LABEL, report.grade, report.score)
}

/// A flat badge reading `label | GRADE score`, e.g. `skillaudit | B 78`. The label is escaped
/// (and cut to 40 characters), so any text is safe to pass.
pub fn badge_svg(label: &str, grade: Grade, score: u32) -> String {
    let label = visible(&truncate(label.trim(), LABEL_MAX));
    let value = format!("{grade} {score}");
    let label_width = text_width_tenths(&label);
    let value_width = text_width_tenths(&value);
    // Box widths in whole pixels, like shields: text width rounded up plus padding each side.
    let left = label_width.div_ceil(10) + 2 * PADDING;
    let right = value_width.div_ceil(10) + 2 * PADDING;
    let total = left + right;
    let color = badge_color(grade);
    let title = xml_escape(&format!("{label}: {value}"));
    let label = xml_escape(&label);
    // Text is drawn at ten times the size and scaled down by 0.1 (as shields does) so that
    // positions keep one decimal of precision in integer coordinates.
    let label_x = left * 5;
    let value_x = left * 10 + right * 5;
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{title}">"##,
            r##"<title>{title}</title>"##,
            r##"<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>"##,
            r##"<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>"##,
            r##"<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" fill="{color}"/><rect width="{total}" height="20" fill="url(#s)"/></g>"##,
            r##"<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">"##,
            r##"<text aria-hidden="true" x="{label_x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{label_len}">{label}</text>"##,
            r##"<text x="{label_x}" y="140" transform="scale(.1)" fill="#fff" textLength="{label_len}">{label}</text>"##,
            r##"<text aria-hidden="true" x="{value_x}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="{value_len}">{value}</text>"##,
            r##"<text x="{value_x}" y="140" transform="scale(.1)" fill="#fff" textLength="{value_len}">{value}</text>"##,
            r##"</g></svg>"##,
            "\n"
        ),
        total = total,
        title = title,
        left = left,
        right = right,
        color = color,
        label_x = label_x,
        value_x = value_x,
        label_len = label_width,
        value_len = value_width,
        label = label,
        value = value,
    )
}

/// Advance widths of Verdana at 11px for ASCII 32 (space) to 126 (`~`), in hundredths of a
/// pixel (font units × 11 / 2048).
const VERDANA_11PX: [u32; 95] = [
    387, 439, 505, 976, 699, 1188, 798, 296, // ' !"#$%&''
    562, 562, 699, 976, 400, 464, 400, 698, // ()*+,-./
    699, 699, 699, 699, 699, 699, 699, 699, // 01234567
    699, 699, 469, 469, 976, 976, 976, 598, // 89:;<=>?
    1100, 752, 755, 768, 847, 695, 633, 852, // @ABCDEFG
    827, 463, 500, 760, 613, 929, 823, 866, // HIJKLMNO
    663, 866, 764, 751, 678, 805, 752, 1088, // PQRSTUVW
    755, 677, 754, 562, 698, 562, 976, 699, // XYZ[\]^_
    699, 660, 685, 573, 685, 655, 387, 685, // `abcdefg
    696, 302, 375, 650, 302, 1070, 696, 668, // hijklmno
    685, 685, 469, 573, 433, 696, 650, 898, // pqrstuvw
    650, 650, 565, 700, 698, 700, 976, // xyz{|}~
];

/// Estimated width of one character in hundredths of a pixel: the table for ASCII, a full em
/// for East Asian wide characters, an average capital's width for anything else.
fn char_width_hundredths(ch: char) -> u32 {
    let code = u32::from(ch);
    match code {
        32..=126 => VERDANA_11PX
            .get((code - 32) as usize)
            .copied()
            .unwrap_or(700),
        0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff | 0xff00..=0xff60 => {
            1100
        }
        _ => 700,
    }
}

/// Estimated width of `text` in tenths of a pixel, rounded up.
fn text_width_tenths(text: &str) -> u32 {
    let hundredths: u32 = text
        .chars()
        .map(char_width_hundredths)
        .fold(0, u32::saturating_add);
    hundredths.div_ceil(10)
}

/// Escapes XML's five special characters; noncharacters XML forbids become U+FFFD. (Control
/// characters never get here: [`visible`] has already turned them into `\u{…}` text.)
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_verdana_table() {
        // "skillaudit" in Verdana 11px is about 49px wide.
        let width = text_width_tenths("skillaudit");
        assert!((480..=500).contains(&width), "{width}");
        assert!(text_width_tenths("W") > text_width_tenths("i"));
        assert_eq!(text_width_tenths(""), 0);
    }

    #[test]
    fn boxes_grow_with_the_label() {
        let short = badge_svg("a", Grade::A, 90);
        let long = badge_svg("a much longer label", Grade::A, 90);
        let width = |svg: &str| -> u32 {
            svg.split("width=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        assert!(width(&long) > width(&short) + 50);
    }

    #[test]
    fn escaping_keeps_the_label_text() {
        assert_eq!(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    }
}
