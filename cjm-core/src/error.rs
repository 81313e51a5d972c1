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

/// Declares a code enum from one list of `Variant => "text"`, so that `ALL` and `as_str` can
/// never miss a variant.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable text of the code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// Every code an error can carry, stable across versions and fronts (`docs/errors.md` gives
    /// each one's meaning; a test keeps the two in step). Some codes belong to more than one
    /// kind (`csv_syntax` for a journey table is `parse`, for an event log `data`).
    ErrorCode {
        Cancelled => "cancelled",
        CsvSyntax => "csv_syntax",
        DuplicateColumn => "duplicate_column",
        DuplicateKey => "duplicate_key",
        IncompatibleStates => "incompatible_states",
        InputTooLarge => "input_too_large",
        InternalError => "internal_error",
        InvalidArgument => "invalid_argument",
        InvalidJourney => "invalid_journey",
        InvalidOption => "invalid_option",
        InvalidParquet => "invalid_parquet",
        InvalidResponse => "invalid_response",
        InvalidTimestamp => "invalid_timestamp",
        InvalidUtf8 => "invalid_utf8",
        InvalidValue => "invalid_value",
        Io => "io",
        JsonSyntax => "json_syntax",
        MermaidSyntax => "mermaid_syntax",
        MetricIdTaken => "metric_id_taken",
        MissingColumn => "missing_column",
        MissingValue => "missing_value",
        NoEventRules => "no_event_rules",
        NoResponses => "no_responses",
        NonFiniteNumber => "non_finite_number",
        NumberOutOfRange => "number_out_of_range",
        OutputTooLarge => "output_too_large",
        SerializeFailed => "serialize_failed",
        TooDeep => "too_deep",
        UnknownColumn => "unknown_column",
        UnknownLanguage => "unknown_language",
        UnknownPersona => "unknown_persona",
        UnknownTemplate => "unknown_template",
        UnsupportedFormat => "unsupported_format",
        UnsupportedVersion => "unsupported_version",
        WrongColumnType => "wrong_column_type",
        WrongType => "wrong_type",
        YamlAliasLimit => "yaml_alias_limit",
        YamlSyntax => "yaml_syntax",
        YamlTag => "yaml_tag",
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every error cjm reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CjmError {
    /// Input that cannot be read as a journey.
    #[error("{message}{}", location.describe())]
    Parse {
        /// Stable code: `json_syntax`, `yaml_syntax`, `mermaid_syntax`, `csv_syntax`,
        /// `wrong_type`, `invalid_utf8`, `too_deep`, `input_too_large`, `unsupported_version`, …
        code: ErrorCode,
        message: String,
        location: Location,
    },
    /// A journey that was read but has errors; all of them are listed.
    #[error("{}", summarise(problems))]
    Invalid { problems: Vec<Problem> },
    /// A wrong call: unknown format, template, language or option.
    #[error("{message}")]
    Usage { code: ErrorCode, message: String },
    /// Event data that cannot be used.
    #[error("{message}{}", location.describe())]
    Data {
        code: ErrorCode,
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
    pub fn parse(code: ErrorCode, message: impl Into<String>, location: Location) -> Self {
        CjmError::Parse {
            code,
            message: message.into(),
            location,
        }
    }

    pub fn usage(code: ErrorCode, message: impl Into<String>) -> Self {
        CjmError::Usage {
            code,
            message: message.into(),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CjmError::Parse { code, .. } | CjmError::Usage { code, .. } => code.as_str(),
            CjmError::Data { code, .. } => code.as_str(),
            CjmError::Invalid { .. } => ErrorCode::InvalidJourney.as_str(),
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
