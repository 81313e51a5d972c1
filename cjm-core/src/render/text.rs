//! Text measuring and wrapping by character count. Counting is by `char` (so Cyrillic counts
//! one per letter, not two bytes); East Asian wide characters and emoji count two.

/// Average advance of a character in em, for the system sans-serif stacks (a little generous, so
/// wrapped text stays inside its cell in wider fonts too).
const EM_PER_CHAR: f64 = 0.6;
const EM_PER_CHAR_BOLD: f64 = 0.64;

/// Width units of a character: 2 for wide (CJK, Hangul, full-width forms, emoji), else 1.
fn units(c: char) -> usize {
    let u = c as u32;
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Width of a string in character units.
pub(crate) fn width(text: &str) -> usize {
    text.chars().map(units).sum()
}

/// How many characters fit in `px` at `font_size`.
pub(crate) fn chars_for(px: f64, font_size: f64, bold: bool) -> usize {
    let per = font_size * if bold { EM_PER_CHAR_BOLD } else { EM_PER_CHAR };
    if !(px.is_finite() && per > 0.0) || px <= per {
        return 1;
    }
    (px / per).floor() as usize
}

/// Estimated width in px of a one-line text.
pub(crate) fn px_width(text: &str, font_size: f64, bold: bool) -> f64 {
    width(text) as f64 * font_size * if bold { EM_PER_CHAR_BOLD } else { EM_PER_CHAR }
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

/// Cuts `text` to at most `max` width units.
fn take_units(text: &str, max: usize) -> (String, String) {
    let mut head = String::new();
    let mut used = 0;
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        let u = units(c);
        if used + u > max && used > 0 {
            break;
        }
        used += u;
        head.push(c);
        chars.next();
    }
    (head, chars.collect())
}

/// Greedy word wrap to `max_chars` width units per line, at most `max_lines` lines; words
/// longer than a line are split. When lines are dropped the last line ends with `…`.
pub(crate) fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Wrapped {
    let max_chars = max_chars.max(2);
    let max_lines = max_lines.max(1);
    let text = clean(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word.to_string();
        loop {
            let w = width(&word);
            let needed = if line.is_empty() { w } else { line_w + 1 + w };
            if needed <= max_chars {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                line_w = needed;
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
                continue;
            }
            // A word longer than a line: split it.
            let (head, rest) = take_units(&word, max_chars);
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
            *last = ellipsize(last, max_chars);
        }
    }
    Wrapped { lines, truncated }
}

/// Appends `…` to a line, cutting it so the result fits in `max_chars` units.
fn ellipsize(line: &str, max_chars: usize) -> String {
    let (mut head, _) = take_units(line, max_chars.saturating_sub(1).max(1));
    if width(&head) + 1 > max_chars {
        head.pop();
    }
    let trimmed = head.trim_end().to_string();
    format!("{trimmed}…")
}

/// One line, cut with `…` when longer than `max_chars` units.
pub(crate) fn one_line(text: &str, max_chars: usize) -> String {
    let text = clean(text);
    if width(&text) <= max_chars {
        text
    } else {
        ellipsize(&text, max_chars.max(2))
    }
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

    #[test]
    fn one_line_cuts() {
        assert_eq!(one_line("hello world", 20), "hello world");
        assert_eq!(one_line("hello world", 6), "hello…");
    }
}
