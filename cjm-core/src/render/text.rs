//! Text measuring and wrapping. Widths are measured with the advance widths of DejaVu Sans
//! (`font_widths.rs`, generated from the font by `scripts/font_widths.py`), the first font the
//! SVGs ask for; characters outside its table count as an average letter, East Asian wide
//! characters and emoji as a full em. The char-count variants ([`wrap`], [`one_line`]) cap
//! text that is not laid out in a box (tables, titles of charts' tooltips).

use super::font_widths::{BOLD, Block, REGULAR, UNITS_PER_EM};

/// Advance in em of a character outside the table (about an average lowercase letter of DejaVu
/// Sans, a little generous).
const FALLBACK_EM: f64 = 0.62;
const FALLBACK_EM_BOLD: f64 = 0.7;

/// East Asian wide characters (CJK, Hangul, full-width forms) and emoji.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// Width units of a character for the char-count variants: 2 for wide, else 1.
fn units(c: char) -> f64 {
    if is_wide(c) { 2.0 } else { 1.0 }
}

fn table_advance(table: &[Block], c: char) -> Option<u16> {
    let u = c as u32;
    table
        .iter()
        .find(|(first, last, _)| (*first..=*last).contains(&u))
        .and_then(|(first, _, advances)| advances.get((u - first) as usize).copied())
        .filter(|a| *a > 0)
}

/// Advance of a character in em (DejaVu Sans, or DejaVu Sans Bold).
pub(crate) fn advance_em(c: char, bold: bool) -> f64 {
    let table = if bold { BOLD } else { REGULAR };
    match table_advance(table, c) {
        Some(a) => f64::from(a) / f64::from(UNITS_PER_EM),
        None if is_wide(c) => 1.0,
        // Combining marks sit on the previous letter.
        None if matches!(c as u32, 0x0300..=0x036F | 0x200B..=0x200D | 0xFE00..=0xFE0F) => 0.0,
        None if bold => FALLBACK_EM_BOLD,
        None => FALLBACK_EM,
    }
}

/// Measured width in px of a one-line text.
pub(crate) fn px_width(text: &str, font_size: f64, bold: bool) -> f64 {
    text.chars().map(|c| advance_em(c, bold)).sum::<f64>() * font_size
}

/// Wrapped text.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Wrapped {
    pub lines: Vec<String>,
    /// Whether lines were dropped (the last kept line then ends with an ellipsis).
    pub truncated: bool,
}

/// Collapses whitespace (including control characters) into single spaces and trims.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// How text is measured: char units, or px of DejaVu Sans at a size.
#[derive(Clone, Copy)]
enum Metric {
    Units,
    Px { size: f64, bold: bool },
}

impl Metric {
    fn char(self, c: char) -> f64 {
        match self {
            Metric::Units => units(c),
            Metric::Px { size, bold } => advance_em(c, bold) * size,
        }
    }

    fn text(self, text: &str) -> f64 {
        text.chars().map(|c| self.char(c)).sum()
    }
}

/// Rounding slack, so a text exactly as wide as its box fits.
const EPS: f64 = 1e-6;

/// Cuts `text` to at most `max` (at least one character).
fn take(text: &str, max: f64, metric: Metric) -> (String, String) {
    let mut head = String::new();
    let mut used = 0.0;
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        let w = metric.char(c);
        if used + w > max + EPS && !head.is_empty() {
            break;
        }
        used += w;
        head.push(c);
        chars.next();
    }
    (head, chars.collect())
}

fn wrap_with(text: &str, max: f64, max_lines: usize, metric: Metric) -> Wrapped {
    let max_lines = max_lines.max(1);
    let text = clean(text);
    let space = metric.char(' ');
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word.to_string();
        loop {
            let w = metric.text(&word);
            let needed = if line.is_empty() {
                w
            } else {
                line_w + space + w
            };
            if needed <= max + EPS {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                line_w = needed;
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
                continue;
            }
            // A word longer than a line: split it.
            let (head, rest) = take(&word, max, metric);
            lines.push(head);
            word = rest;
            if word.is_empty() {
                break;
            }
        }
        if lines.len() > max_lines {
            break;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let truncated = lines.len() > max_lines;
    if truncated {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsize(last, max, metric);
        }
    }
    Wrapped { lines, truncated }
}

/// Appends `…` to a line, cutting it so the result fits in `max`.
fn ellipsize(line: &str, max: f64, metric: Metric) -> String {
    let dots = metric.char('…');
    let (mut head, _) = take(line, (max - dots).max(0.0), metric);
    if metric.text(&head) + dots > max + EPS {
        head.pop();
    }
    let trimmed = head.trim_end().to_string();
    format!("{trimmed}…")
}

fn one_line_with(text: &str, max: f64, metric: Metric) -> String {
    let text = clean(text);
    if metric.text(&text) <= max + EPS {
        text
    } else {
        ellipsize(&text, max, metric)
    }
}

/// Greedy word wrap to `max_chars` width units per line, at most `max_lines` lines; words
/// longer than a line are split. When lines are dropped the last line ends with `…`. (The
/// renderer lays text out with [`wrap_px`]; this variant pins the algorithm down in tests.)
#[cfg(test)]
pub(crate) fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Wrapped {
    wrap_with(text, max_chars.max(2) as f64, max_lines, Metric::Units)
}

/// One line, cut with `…` when longer than `max_chars` units.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    one_line_with(text, max_chars.max(2) as f64, Metric::Units)
}

/// Greedy word wrap to lines at most `max_px` wide in DejaVu Sans (bold or not) at
/// `font_size`, at most `max_lines` lines, as [`wrap`].
pub(crate) fn wrap_px(
    text: &str,
    max_px: f64,
    font_size: f64,
    bold: bool,
    max_lines: usize,
) -> Wrapped {
    let metric = Metric::Px {
        size: font_size,
        bold,
    };
    // At least two characters' room, as the char-count wrap.
    let floor = 2.0 * metric.char('M');
    let max = if max_px.is_finite() {
        max_px.max(floor)
    } else {
        floor
    };
    wrap_with(text, max, max_lines, metric)
}

/// One line at most `max_px` wide, cut with `…` when longer.
pub(crate) fn one_line_px(text: &str, max_px: f64, font_size: f64, bold: bool) -> String {
    let metric = Metric::Px {
        size: font_size,
        bold,
    };
    let floor = 2.0 * metric.char('M');
    let max = if max_px.is_finite() {
        max_px.max(floor)
    } else {
        floor
    };
    one_line_with(text, max, metric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_words() {
        let w = wrap("one two three four", 9, 5);
        assert_eq!(w.lines, vec!["one two", "three", "four"]);
        assert!(!w.truncated);
    }

    #[test]
    fn counts_cyrillic_by_chars() {
        let w = wrap("Осведомлённость клиента", 15, 5);
        assert_eq!(w.lines, vec!["Осведомлённость", "клиента"]);
    }

    #[test]
    fn splits_long_words_and_caps_lines() {
        let w = wrap("abcdefghijklmnop", 5, 2);
        assert_eq!(w.lines, vec!["abcde", "fghi…"]);
        assert!(w.truncated);
        let w = wrap("aa bb cc dd ee", 5, 2);
        assert_eq!(w.lines, vec!["aa bb", "cc d…"]);
    }

    #[test]
    fn collapses_whitespace_and_controls() {
        assert_eq!(wrap(" a\n\tb \u{0}c ", 20, 2).lines, vec!["a b c"]);
        assert!(wrap("", 10, 2).lines.is_empty());
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(
            wrap("購入購入購入", 4, 5).lines,
            vec!["購入", "購入", "購入"]
        );
    }

    /// Expected sums of advances read independently with fontTools 4.68
    /// (`TTFont(path)["hmtx"][cmap[ord(c)]][0]` per character, DejaVu Sans 2.37, 2048 units
    /// per em), not with scripts/font_widths.py:
    /// - regular "Hello, World!": 1540+1260+569+569+1253+651+651+2025+1253+842+569+1300+821
    ///   = 13303 units;
    /// - regular "Привет, мир!": 1540+1300+1331+1207+1260+1193+651+651+1545+1331+1300+821
    ///   = 14130;
    /// - regular "«Ёжик» — 100 ₽": 1253+1294+1845+1331+1237+1253+651+2048+651+1303·3+651+1303
    ///   = 17426;
    /// - bold "Оплата → доставка…": 1741+1415+1500+1382+1187+1382+713+1716+713+1654+1407+1214
    ///   +1187+1382+1296+1390+1382+2048 = 24709;
    /// - bold "Wi-Fi №5": 2259+702+850+1399+702+713+2464+1425 = 10514.
    #[test]
    fn widths_are_dejavu_sans_advances() {
        let close = |got: f64, want: f64| (got - want).abs() < 1e-9;
        assert!(close(px_width("Hello, World!", 2048.0, false), 13303.0));
        assert!(close(px_width("Привет, мир!", 2048.0, false), 14130.0));
        assert!(close(px_width("«Ёжик» — 100 ₽", 2048.0, false), 17426.0));
        assert!(close(px_width("Оплата → доставка…", 2048.0, true), 24709.0));
        assert!(close(px_width("Wi-Fi №5", 2048.0, true), 10514.0));
        // At 12 px: 13303 / 2048 × 12.
        assert!(close(
            px_width("Hello, World!", 12.0, false),
            13303.0 / 2048.0 * 12.0
        ));
        // Outside the table: wide characters a full em, others the fallback.
        assert!(close(px_width("日本", 10.0, false), 20.0));
        assert!(close(px_width("α", 10.0, false), 6.2));
        assert!(close(px_width("α", 10.0, true), 7.0));
    }

    #[test]
    fn wraps_by_measured_width() {
        // "Hello, World!" is 13303 units; at 2048 px per em each unit is a pixel. "Hello," is
        // 1540+1260+569+569+1253+651 = 5842, a space 651, "World!" 2025+1253+842+569+1300+821
        // = 6810.
        let one = wrap_px("Hello, World!", 13303.0, 2048.0, false, 3);
        assert_eq!(one.lines, vec!["Hello, World!"]);
        let two = wrap_px("Hello, World!", 13302.0, 2048.0, false, 3);
        assert_eq!(two.lines, vec!["Hello,", "World!"]);
        // "i" (569) is narrow and "W" (2025) wide: four i fit in 2276, only one W does.
        assert_eq!(
            wrap_px("iiii WWWW", 4.0 * 569.0, 2048.0, false, 5).lines,
            vec!["iiii", "W", "W", "W", "W"]
        );
        // Truncated with an ellipsis (2048) that still fits: in 8000 − 2048 = 5952 go "Hello,"
        // (5842); in 7000 − 2048 = 4952 only "Hell" (3938; with "o" 5191).
        let cut = wrap_px("Hello, World!", 8000.0, 2048.0, false, 1);
        assert!(cut.truncated);
        assert_eq!(cut.lines, vec!["Hello,…"]);
        assert!(px_width(&cut.lines[0], 2048.0, false) <= 8000.0);
        assert_eq!(one_line_px("Hello, World!", 7000.0, 2048.0, false), "Hell…");
    }

    #[test]
    fn one_line_cuts() {
        assert_eq!(one_line("hello world", 20), "hello world");
        assert_eq!(one_line("hello world", 6), "hello…");
    }
}
