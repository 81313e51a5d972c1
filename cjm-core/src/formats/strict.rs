//! Checks run on JSON and YAML text before a journey is built from it, for what the readers
//! would otherwise change without a word (issue 10, item 12):
//!
//! - a key given twice in one object or mapping (`duplicate_key`): both readers would keep the
//!   last value, or fail with a message about the model instead of the text;
//! - an integer literal no number can hold exactly, beyond −2⁶³…2⁶⁴−1 (`number_out_of_range`):
//!   JSON would turn it into a float;
//! - a YAML tag other than the core ones (`yaml_tag`): `!!binary` would be read as its text,
//!   `!custom` dropped or refused with an unrelated message.
//!
//! Each finding is reported at the line and column of the offending key, number or tag and at
//! the JSON pointer of where it sits. Input these checks cannot follow (not JSON, not YAML) is
//! left to the real parse, which reports it.

use crate::error::ErrorCode;
use std::collections::HashSet;

use serde::de::{DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use super::line_column;
use crate::error::{CjmError, Location, Result};
use crate::validate::pointer_segment;

/// Nesting the JSON scan follows; deeper input is left to the parser's `too_deep`.
const MAX_DEPTH: usize = 128;

/// YAML tags cjm reads: the core schema's, which the reader applies (`!!str 5` is text).
const CORE_TAGS: [&str; 7] = ["str", "int", "float", "bool", "null", "map", "seq"];

fn pointer(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", pointer_segment(s)))
        .collect()
}

fn duplicate_key(format: &str, key: &str, path: String, line: u64, column: u64) -> CjmError {
    CjmError::parse(
        ErrorCode::DuplicateKey,
        format!(
            "{format}: key {key:?} appears twice in the same {}; remove or rename one (neither value is kept)",
            if format == "JSON" {
                "object"
            } else {
                "mapping"
            }
        ),
        Location {
            path: Some(path),
            line: Some(line),
            column: Some(column),
        },
    )
}

fn out_of_range(format: &str, literal: &str, path: String, line: u64, column: u64) -> CjmError {
    CjmError::parse(
        ErrorCode::NumberOutOfRange,
        format!(
            "{format}: the integer {} is outside −2^63…2^64−1 and cannot be kept exactly; write it as a string (quoted) to keep every digit",
            crate::excerpt(literal)
        ),
        Location {
            path: Some(path),
            line: Some(line),
            column: Some(column),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// JSON

enum Frame {
    Object {
        keys: HashSet<String>,
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

fn json_path(stack: &[Frame]) -> Vec<String> {
    stack
        .iter()
        .filter_map(|frame| match frame {
            Frame::Object { key, .. } => key.clone(),
            Frame::Array { index } => Some(index.to_string()),
        })
        .collect()
}

/// The string starting at `bytes[start] == b'"'`: the index after its closing quote and its
/// decoded text, or `None` for anything serde_json would refuse.
fn json_string(text: &str, start: usize) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    let mut out = String::new();
    let mut run = i;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                out.push_str(text.get(run..i)?);
                return Some((i + 1, out));
            }
            b'\\' => {
                out.push_str(text.get(run..i)?);
                let escape = *bytes.get(i + 1)?;
                i += 2;
                match escape {
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let hex = |at: usize| u32::from_str_radix(text.get(at..at + 4)?, 16).ok();
                        let first = hex(i)?;
                        i += 4;
                        let code = if (0xD800..0xDC00).contains(&first) {
                            if text.get(i..i + 2)? != "\\u" {
                                return None;
                            }
                            let second = hex(i + 2)?;
                            if !(0xDC00..0xE000).contains(&second) {
                                return None;
                            }
                            i += 6;
                            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        } else {
                            first
                        };
                        out.push(char::from_u32(code)?);
                    }
                    _ => return None,
                }
                run = i;
            }
            _ => i += 1,
        }
    }
}

/// Refuses a key given twice in one JSON object and an integer literal outside −2⁶³…2⁶⁴−1.
/// A linear scan with its own stack; anything that is not JSON ends it quietly.
pub(super) fn check_json(text: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let at = |offset: usize| line_column(text.get(..offset).unwrap_or(""));
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
            b'{' | b'[' => {
                if stack.len() >= MAX_DEPTH {
                    return Ok(());
                }
                stack.push(if byte == b'{' {
                    Frame::Object {
                        keys: HashSet::new(),
                        key: None,
                        expect_key: true,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                    Some(Frame::Array { index }) => *index += 1,
                    None => return Ok(()),
                }
                i += 1;
            }
            b'"' => {
                let Some((end, decoded)) = json_string(text, i) else {
                    return Ok(());
                };
                let depth = stack.len();
                if let Some(Frame::Object {
                    keys,
                    key,
                    expect_key: expect_key @ true,
                }) = stack.last_mut()
                {
                    *expect_key = false;
                    if keys.contains(&decoded) {
                        let mut path = json_path(&stack[..depth - 1]);
                        path.push(decoded.clone());
                        let (line, column) = at(i);
                        return Err(duplicate_key(
                            "JSON",
                            &decoded,
                            pointer(&path),
                            line,
                            column,
                        ));
                    }
                    keys.insert(decoded.clone());
                    *key = Some(decoded);
                }
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                {
                    i += 1;
                }
                let literal = &text[start..i];
                let digits = literal.strip_prefix('-').unwrap_or(literal);
                if !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && literal.parse::<i64>().is_err()
                    && literal.parse::<u64>().is_err()
                {
                    let (line, column) = at(start);
                    return Err(out_of_range(
                        "JSON",
                        literal,
                        pointer(&json_path(&stack)),
                        line,
                        column,
                    ));
                }
            }
            b't' | b'f' | b'n' => {
                while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// YAML: a pass over the parsed document

/// What the YAML pass stopped at.
enum Finding {
    DuplicateKey {
        key: String,
        path: String,
    },
    Tag {
        tag: String,
        path: String,
    },
    Integer {
        literal: String,
        path: String,
    },
    /// A float of magnitude ≥ 2⁶³: maybe an integer literal beyond 128 bits, which the reader
    /// turns into a float; the text at its location tells.
    BigFloat {
        path: String,
    },
}

struct Inspect {
    path: Vec<String>,
    finding: Option<Finding>,
    /// Big floats met so far in this pass, and how many to let pass (already judged floats).
    big_floats: usize,
    skip_big_floats: usize,
}

const FINDING: &str = "cjm: YAML inspection finding";

impl Inspect {
    fn stop<E: serde::de::Error>(&mut self, finding: Finding) -> std::result::Result<(), E> {
        self.finding = Some(finding);
        Err(E::custom(FINDING))
    }
}

struct Node<'a>(&'a mut Inspect);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> std::result::Result<(), E> {
        if i64::try_from(v).is_ok() {
            return Ok(());
        }
        let path = pointer(&self.0.path);
        self.0.stop(Finding::Integer {
            literal: v.to_string(),
            path,
        })
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> std::result::Result<(), E> {
        if u64::try_from(v).is_ok() {
            return Ok(());
        }
        let path = pointer(&self.0.path);
        self.0.stop(Finding::Integer {
            literal: v.to_string(),
            path,
        })
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<(), E> {
        if v.is_finite() && v.abs() >= 9.0e18 {
            let seen = self.0.big_floats;
            self.0.big_floats += 1;
            if seen >= self.0.skip_big_floats {
                let path = pointer(&self.0.path);
                return self.0.stop(Finding::BigFloat { path });
            }
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            self.0.path.push(index.to_string());
            let more = seq.next_element_seed(Node(&mut *self.0))?.is_some();
            self.0.path.pop();
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key_seed(Key {
            inspect: &mut *self.0,
            seen: &mut seen,
        })? {
            self.0.path.push(key);
            map.next_value_seed(Node(&mut *self.0))?;
            self.0.path.pop();
        }
        Ok(())
    }

    /// The YAML reader hands a node with a tag of its own (`!custom`, `!`) over as an enum.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> std::result::Result<(), A::Error> {
        let (tag, _) = data.variant::<String>()?;
        let path = pointer(&self.0.path);
        self.0.stop(Finding::Tag {
            tag: format!("!{tag}"),
            path,
        })
    }
}

/// A mapping key, read as the text the journey reader would read it as (`1` and `"1"` are the
/// same key there), and refused when the mapping already has it.
struct Key<'a> {
    inspect: &'a mut Inspect,
    seen: &'a mut HashSet<String>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> std::result::Result<String, E> {
        if !self.seen.insert(key.to_string()) {
            let mut path = self.inspect.path.clone();
            path.push(key.to_string());
            self.inspect.stop::<E>(Finding::DuplicateKey {
                key: key.to_string(),
                path: pointer(&path),
            })?;
        }
        Ok(key.to_string())
    }
}

/// The 0-based byte offset of a 1-based line and column (in characters), if inside `text`.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .nth(column.checked_sub(1)?)
        .map(|(i, _)| i)?;
    Some(start + within)
}

/// Whether the plain scalar at a byte offset is written as an integer (decimal, `0x` or `0o`).
fn integer_literal_at(text: &str, offset: usize) -> Option<&str> {
    let rest = text.get(offset..)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || ",]}#".contains(c))
        .unwrap_or(rest.len());
    let token = &rest[..end];
    let unsigned = token.strip_prefix(['-', '+']).unwrap_or(token);
    let integer = if let Some(hex) = unsigned.strip_prefix("0x") {
        !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())
    } else if let Some(octal) = unsigned.strip_prefix("0o") {
        !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b))
    } else {
        !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit())
    };
    integer.then_some(token)
}

/// Runs the YAML pass: the first duplicate key, own tag (`!custom`) or integer beyond 64 bits
/// in document order, as an error, or `None`. Errors of the reader itself end the pass quietly.
fn inspect_yaml(text: &str) -> Option<CjmError> {
    let mut skip_big_floats = 0;
    // A float of magnitude ≥ 2⁶³ written as a float is let pass and the pass run again; a
    // document with more such floats than this is not checked for integers beyond 128 bits.
    for _ in 0..64 {
        let mut inspect = Inspect {
            path: Vec::new(),
            finding: None,
            big_floats: 0,
            skip_big_floats,
        };
        let outcome = Node(&mut inspect).deserialize(serde_yaml_ng::Deserializer::from_str(text));
        let error = outcome.err()?;
        let finding = inspect.finding.take()?;
        let location = error.location()?;
        let (line, column) = (location.line() as u64, location.column() as u64);
        let at = |path| Location {
            path: Some(path),
            line: Some(line),
            column: Some(column),
        };
        return Some(match finding {
            Finding::DuplicateKey { key, path } => duplicate_key("YAML", &key, path, line, column),
            Finding::Tag { tag, path } => tag_error(&tag, at(path)),
            Finding::Integer { literal, path } => {
                out_of_range("YAML", &literal, path, line, column)
            }
            Finding::BigFloat { path } => {
                let offset = offset_of(text, location.line(), location.column());
                match offset.and_then(|o| integer_literal_at(text, o)) {
                    Some(literal) => out_of_range("YAML", literal, path, line, column),
                    None => {
                        skip_big_floats = inspect.big_floats;
                        continue;
                    }
                }
            }
        });
    }
    None
}

fn tag_error(tag: &str, location: Location) -> CjmError {
    CjmError::parse(
        ErrorCode::YamlTag,
        format!(
            "YAML: tag {} is not supported (only !!str, !!int, !!float, !!bool, !!null, !!map, !!seq); remove it, and quote the value to keep it as text",
            crate::excerpt(tag)
        ),
        location,
    )
}

// ---------------------------------------------------------------------------------------------
// YAML: a scan of the text for tags the reader does not show (`!!binary`, `!!timestamp`, …)

/// Whether a tag token (`!!binary`, `!<tag:yaml.org,2002:str>`) is one of [`CORE_TAGS`].
fn is_core_tag(tag: &str) -> bool {
    let name = tag
        .strip_prefix("!!")
        .or_else(|| {
            tag.strip_prefix("!<tag:yaml.org,2002:")
                .and_then(|t| t.strip_suffix('>'))
        })
        .unwrap_or("");
    CORE_TAGS.contains(&name)
}

/// The first tag outside [`CORE_TAGS`] in the text, with its line and column: a `!` that starts
/// a node (at the start of a line, or after `: `, `- `, `? `, `[`, `{`, `,` or an anchor),
/// outside comments, quoted scalars and block scalars (`|`, `>`).
fn scan_yaml_tags(text: &str) -> Option<(String, u64, u64)> {
    let mut quote: Option<char> = None;
    let mut block_indent: Option<usize> = None;
    let mut flow_depth = 0usize;
    for (line_index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(block) = block_indent {
            if line.trim().is_empty() || indent > block {
                continue;
            }
            block_indent = None;
        }
        if quote.is_none() && line.starts_with('%') {
            continue;
        }
        // The token read so far, the one before it, the last character outside whitespace,
        // and whether whitespace came after that character.
        let mut token = String::new();
        let mut previous_token = String::new();
        let mut previous = None::<char>;
        let mut blank_before = false;
        let mut chars = line.char_indices().enumerate().peekable();
        while let Some((column, (offset, ch))) = chars.next() {
            match quote {
                Some('"') => {
                    if ch == '\\' {
                        chars.next();
                    } else if ch == '"' {
                        quote = None;
                    }
                    continue;
                }
                Some(_) => {
                    if ch == '\'' {
                        if chars.peek().is_some_and(|(_, (_, c))| *c == '\'') {
                            chars.next();
                        } else {
                            quote = None;
                        }
                    }
                    continue;
                }
                None => {}
            }
            if ch.is_whitespace() {
                if !token.is_empty() {
                    previous_token = std::mem::take(&mut token);
                }
                blank_before = true;
                continue;
            }
            let node_start = previous.is_none()
                || (flow_depth > 0 && previous.is_some_and(|p| "[{,".contains(p)))
                || (blank_before
                    && (["-", "?", "---"].contains(&previous_token.as_str())
                        || previous_token.ends_with(':')
                        || previous_token.starts_with('&')));
            match ch {
                '#' if blank_before || previous.is_none() => break,
                '"' | '\'' if node_start => quote = Some(ch),
                '[' | '{' if node_start => flow_depth += 1,
                ']' | '}' if flow_depth > 0 => flow_depth -= 1,
                '!' if node_start => {
                    let rest = &line[offset..];
                    let end = if rest.starts_with("!<") {
                        rest.find('>').map_or(rest.len(), |e| e + 1)
                    } else {
                        rest.find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                            .unwrap_or(rest.len())
                    };
                    let tag = &rest[..end];
                    if !is_core_tag(tag) {
                        return Some((tag.to_string(), line_index as u64 + 1, column as u64 + 1));
                    }
                }
                _ => {}
            }
            token.push(ch);
            previous = Some(ch);
            blank_before = false;
        }
        if !token.is_empty() {
            previous_token = token;
        }
        let indicator = previous_token.strip_prefix(['|', '>']).is_some_and(|rest| {
            rest.chars()
                .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
        });
        if quote.is_none() && flow_depth == 0 && indicator {
            block_indent = Some(indent);
        }
    }
    None
}

/// Refuses a duplicate key, a tag outside the core schema or an integer beyond 64 bits in YAML,
/// whichever comes first in the text.
pub(super) fn check_yaml(text: &str) -> Result<()> {
    let found = inspect_yaml(text);
    let tag = scan_yaml_tags(text).map(|(tag, line, column)| {
        tag_error(
            &tag,
            Location {
                path: None,
                line: Some(line),
                column: Some(column),
            },
        )
    });
    let position = |e: &CjmError| {
        let l = e.location();
        (l.line.unwrap_or(u64::MAX), l.column.unwrap_or(u64::MAX))
    };
    match (found, tag) {
        (Some(a), Some(b)) => Err(if position(&b) < position(&a) { b } else { a }),
        (Some(e), None) | (None, Some(e)) => Err(e),
        (None, None) => Ok(()),
    }
}

/// When the YAML reader refused an integer where a float is expected and that integer is a plain
/// `0x`/`0o` literal (YAML 1.2 core schema), the text with that literal written in decimal,
/// padded with blanks to its length when shorter.
pub(super) fn hex_or_octal_float(text: &str, error: &serde_yaml_ng::Error) -> Option<String> {
    let message = error.to_string();
    if !message.contains("invalid type: integer") || !message.contains("expected f") {
        return None;
    }
    let location = error.location()?;
    let offset = offset_of(text, location.line(), location.column())?;
    let literal = integer_literal_at(text, offset)?;
    let (negative, unsigned) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal.strip_prefix('+').unwrap_or(literal)),
    };
    let value = if let Some(hex) = unsigned.strip_prefix("0x") {
        u128::from_str_radix(hex, 16).ok()?
    } else {
        u128::from_str_radix(unsigned.strip_prefix("0o")?, 8).ok()?
    };
    let mut written = format!("{}{value}", if negative { "-" } else { "" });
    while written.len() < literal.len() {
        written.push(' ');
    }
    let mut out = String::with_capacity(text.len() + written.len());
    out.push_str(&text[..offset]);
    out.push_str(&written);
    out.push_str(&text[offset + literal.len()..]);
    Some(out)
}

/// The line and column where the second document of a YAML stream starts: its `---` marker, or
/// its first line after a `...` end marker.
pub(super) fn second_document_start(text: &str) -> Option<(u64, u64)> {
    let mut documents = 0;
    let mut in_document = false;
    let is_marker = |line: &str, marker: &str| {
        line.strip_prefix(marker)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    for (index, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if is_marker(line, "---") {
            documents += 1;
            in_document = true;
        } else if is_marker(line, "...") {
            in_document = false;
            continue;
        } else if in_document
            || line.trim().is_empty()
            || line.trim_start().starts_with('#')
            || line.starts_with('%')
        {
            continue;
        } else {
            documents += 1;
            in_document = true;
        }
        if documents == 2 {
            return Some((index as u64 + 1, 1));
        }
    }
    None
}
