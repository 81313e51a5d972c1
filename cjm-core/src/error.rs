//! Errors with a stable code, a message and a location, the same in every language binding.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validate::Problem;

/// Where in the input a problem sits. Any of the parts may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// JSON pointer into the journey, e.g. `/stages/2/touchpoints/0/emotions/1/score`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// 1-based line in the input text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column in the input text (characters for text formats, fields for CSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl Location {
    pub fn at(line: u64, column: u64) -> Location {
        Location {
            path: None,
            line: Some(line),
            column: Some(column),
        }
    }

    pub fn pointer(path: impl Into<String>) -> Location {
        Location {
            path: Some(path.into()),
            line: None,
            column: None,
        }
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(line) = self.line {
            match self.column {
                Some(column) => parts.push(format!("line {line}, column {column}")),
                None => parts.push(format!("line {line}")),
            }
        }
        if let Some(path) = &self.path {
            parts.push(format!("at {path}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }
}

/// The family an error belongs to; bindings map each to its own exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input could not be read as a journey (syntax, types, encoding, size).
    Parse,
    /// The journey was read but breaks the model's rules.
    Validation,
    /// The call itself was wrong: unknown format, template or option.
    Usage,
    /// Event data could not be used.
    Data,
}

/// Every error cjm reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CjmError {
    /// Input that cannot be read as a journey.
    #[error("{message}{}", location.describe())]
    Parse {
        /// Stable code: `json_syntax`, `yaml_syntax`, `mermaid_syntax`, `csv_syntax`,
        /// `wrong_type`, `invalid_utf8`, `too_deep`, `input_too_large`, `unsupported_version`.
        code: &'static str,
        message: String,
        location: Location,
    },
    /// A journey that was read but has errors; all of them are listed.
    #[error("{}", summarise(problems))]
    Invalid { problems: Vec<Problem> },
    /// A wrong call: unknown format, template, language or option.
    #[error("{message}")]
    Usage { code: &'static str, message: String },
    /// Event data that cannot be used.
    #[error("{message}{}", location.describe())]
    Data {
        code: &'static str,
        message: String,
        location: Location,
    },
}

fn summarise(problems: &[Problem]) -> String {
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == crate::validate::Severity::Error)
        .collect();
    let mut text = format!("journey is invalid: {} error(s)", errors.len());
    for problem in errors.iter().take(3) {
        text.push_str(&format!(
            "; {} at {}: {}",
            problem.code, problem.path, problem.message
        ));
    }
    if errors.len() > 3 {
        text.push_str("; …");
    }
    text
}

/// A serialisable view of an error, the form bindings hand to their languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorInfo {
    pub kind: ErrorKind,
    pub code: String,
    pub message: String,
    pub location: Location,
    /// For validation errors: every problem found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl CjmError {
    pub fn parse(code: &'static str, message: impl Into<String>, location: Location) -> Self {
        CjmError::Parse {
            code,
            message: message.into(),
            location,
        }
    }

    pub fn usage(code: &'static str, message: impl Into<String>) -> Self {
        CjmError::Usage {
            code,
            message: message.into(),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CjmError::Parse { code, .. } | CjmError::Usage { code, .. } => code,
            CjmError::Data { code, .. } => code,
            CjmError::Invalid { .. } => "invalid_journey",
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            CjmError::Parse { .. } => ErrorKind::Parse,
            CjmError::Invalid { .. } => ErrorKind::Validation,
            CjmError::Usage { .. } => ErrorKind::Usage,
            CjmError::Data { .. } => ErrorKind::Data,
        }
    }

    pub fn location(&self) -> Location {
        match self {
            CjmError::Parse { location, .. } | CjmError::Data { location, .. } => location.clone(),
            CjmError::Invalid { problems } => problems
                .iter()
                .find(|p| p.severity == crate::validate::Severity::Error)
                .map(|p| Location::pointer(p.path.clone()))
                .unwrap_or_default(),
            CjmError::Usage { .. } => Location::default(),
        }
    }

    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            kind: self.kind(),
            code: self.code().to_string(),
            message: self.to_string(),
            location: self.location(),
            problems: match self {
                CjmError::Invalid { problems } => problems.clone(),
                _ => Vec::new(),
            },
        }
    }
}

pub type Result<T, E = CjmError> = std::result::Result<T, E>;

/// How many characters of an input an error message quotes at most.
pub const EXCERPT_CHARS: usize = 200;

/// `text` as quoted in an error message: at most [`EXCERPT_CHARS`] characters, cut at a
/// character boundary and ended with `…` when longer, so that a huge line is never echoed whole.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// UTF-16 text (as JS strings hold it) as bytes for the core's readers: well-formed text as
/// UTF-8, each lone surrogate as the three bytes Python's `surrogatepass` writes (`ED A0 80`…),
/// so the reader refuses it with `invalid_utf8` at its line and column, as in Python.
pub fn utf16_to_bytes(units: impl IntoIterator<Item = u16>) -> Vec<u8> {
    let units = units.into_iter();
    let mut bytes = Vec::with_capacity(units.size_hint().0);
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Err(lone) => {
                let u = lone.unpaired_surrogate();
                bytes.extend_from_slice(&[
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]);
            }
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_become_surrogatepass_bytes() {
        // "a", a lone high surrogate, "é": UTF-8 around the three surrogatepass bytes.
        assert_eq!(
            utf16_to_bytes([0x61, 0xD800, 0xE9]),
            [0x61, 0xED, 0xA0, 0x80, 0xC3, 0xA9]
        );
        assert_eq!(utf16_to_bytes("ок".encode_utf16()), "ок".as_bytes());
    }

    #[test]
    fn excerpt_cuts_long_text_at_a_char_boundary() {
        assert_eq!(excerpt("short"), "short");
        let exact = "é".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&exact), exact);
        let long = "é".repeat(EXCERPT_CHARS + 1);
        assert_eq!(excerpt(&long), format!("{}…", "é".repeat(EXCERPT_CHARS)));
    }
}
