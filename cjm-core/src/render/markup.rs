//! The one place markup is written. Element and attribute names are `&'static str`, so no text
//! from a journey file can ever become one; every attribute value and every text node passes
//! through [`escape_xml`].

use std::fmt::Write as _;

/// Escapes text for XML and HTML, in text nodes and in quoted attribute values alike:
/// `& < > " '` become entities, and characters XML 1.0 forbids (C0 controls other than tab,
/// line feed and carriage return, U+FFFE, U+FFFF) are dropped, as are the C1 controls
/// (U+007F–U+009F), which XML discourages and HTML rejects.
///
/// ```
/// assert_eq!(
///     cjm_core::escape_xml("<a href=\"x\">'&'</a>\u{0}"),
///     "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
/// );
/// ```
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An attribute value: a number (formatted by [`num`]) or text (escaped).
#[derive(Clone)]
pub(crate) enum Val<'a> {
    N(f64),
    S(&'a str),
    O(String),
}

impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::N(v)
    }
}

impl<'a> From<&'a str> for Val<'a> {
    fn from(v: &'a str) -> Self {
        Val::S(v)
    }
}

impl<'a> From<&'a String> for Val<'a> {
    fn from(v: &'a String) -> Self {
        Val::S(v.as_str())
    }
}

impl From<String> for Val<'_> {
    fn from(v: String) -> Self {
        Val::O(v)
    }
}

/// A number for markup: at most two decimals, no `-0`, `0` for non-finite values.
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let rounded = (v * 100.0).round() / 100.0;
    let mut s = format!("{rounded:.2}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// A markup writer (SVG or HTML).
#[derive(Default)]
pub(crate) struct Markup {
    out: String,
}

impl Markup {
    pub(crate) fn new() -> Self {
        Markup::default()
    }

    fn attrs(&mut self, attrs: &[(&'static str, Val<'_>)]) {
        for (name, value) in attrs {
            let value = match value {
                Val::N(v) => num(*v),
                Val::S(s) => escape_xml(s),
                Val::O(s) => escape_xml(s),
            };
            let _ = write!(self.out, " {name}=\"{value}\"");
        }
    }

    /// `<tag attrs>`
    pub(crate) fn open(&mut self, tag: &'static str, attrs: &[(&'static str, Val<'_>)]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.attrs(attrs);
        self.out.push('>');
    }

    /// `<tag attrs/>`
    pub(crate) fn empty(&mut self, tag: &'static str, attrs: &[(&'static str, Val<'_>)]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.attrs(attrs);
        self.out.push_str("/>");
    }

    /// `</tag>`
    pub(crate) fn close(&mut self, tag: &'static str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// Escaped text.
    pub(crate) fn text(&mut self, text: &str) {
        self.out.push_str(&escape_xml(text));
    }

    /// `<tag attrs>text</tag>`
    pub(crate) fn elem(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, Val<'_>)],
        text: &str,
    ) {
        self.open(tag, attrs);
        self.text(text);
        self.close(tag);
    }

    /// Markup this crate wrote itself (constants, or output of another `Markup`).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    pub(crate) fn newline(&mut self) {
        self.out.push('\n');
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(escape_xml(r#"&<>"'"#), "&amp;&lt;&gt;&quot;&#39;");
    }

    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(escape_xml("a\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}b"), "ab");
        assert_eq!(escape_xml("a\u{7f}\u{85}\u{9f}b\u{fffe}\u{ffff}"), "ab");
        assert_eq!(escape_xml("a\tb\nc\rd"), "a\tb\nc\rd");
    }

    #[test]
    fn keeps_unicode() {
        assert_eq!(
            escape_xml("Покупка протеина — «как есть» 😀"),
            "Покупка протеина — «как есть» 😀"
        );
    }

    #[test]
    fn numbers_are_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-12.345), "-12.35");
    }
}
