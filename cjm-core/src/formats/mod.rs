//! Reading and writing journeys: JSON, YAML, Mermaid `journey` and a CSV touchpoint table.

mod csv_table;
/// `conversion_losses` (also `Format::conversion_losses`); a front re-exports it as
/// `pub use formats::losses::conversion_losses;`.
pub(crate) mod losses;
mod mermaid;
mod strict;
pub(crate) mod tree;

pub(crate) use csv_table::neutralise;

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{CjmError, Location, Result};
use crate::model::{FORMAT_VERSION, Journey};

/// A file format cjm reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Json,
    Yaml,
    /// Mermaid `journey` diagram (lossy: titles, sections, tasks, scores and actors only).
    Mermaid,
    /// One row per touchpoint (lossy: no opportunities, metrics or evidence entries).
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Yaml, Format::Mermaid, Format::Csv];

    /// Parses a format name such as `json`, `yaml`, `yml`, `mermaid`, `mmd` or `csv`.
    pub fn from_name(name: &str) -> Result<Format> {
        match name
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            "mermaid" | "mmd" | "md" => Ok(Format::Mermaid),
            "csv" => Ok(Format::Csv),
            other => Err(CjmError::usage(
                ErrorCode::UnsupportedFormat,
                format!("unknown format {other:?}: use json, yaml, mermaid or csv"),
            )),
        }
    }

    /// Picks the format from a file name's extension.
    pub fn from_path(path: &str) -> Result<Format> {
        let extension = path.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
        Format::from_name(extension).map_err(|_| {
            CjmError::usage(
                ErrorCode::UnsupportedFormat,
                format!(
                    "cannot tell the format of {path:?} from its extension: use .json, .yaml, .yml, .mmd or .csv, or name the format"
                ),
            )
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Mermaid => "mermaid",
            Format::Csv => "csv",
        }
    }
}

/// Limits applied while reading untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct LoadOptions {
    /// Inputs larger than this many bytes are refused with `input_too_large` before parsing.
    pub max_bytes: usize,
}

/// 16 MiB: far above any hand-made map, low enough to refuse a runaway file quickly.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Reads a journey from text with the default limits. Does not validate: call
/// [`crate::validate`] for that.
///
/// ```
/// use cjm_core::{parse_journey, Format};
/// let yaml = "id: shop\ntitle: Магазин\nstages:\n  - id: buy\n    name: Покупка\n    touchpoints:\n      - id: site\n        name: Сайт\n";
/// let journey = parse_journey(yaml, Format::Yaml).unwrap();
/// assert_eq!(journey.stages[0].touchpoints[0].name, "Сайт");
/// ```
pub fn parse_journey(text: &str, format: Format) -> Result<Journey> {
    parse_journey_with(text, format, &LoadOptions::default())
}

/// Reads a journey from text with explicit limits.
pub fn parse_journey_with(text: &str, format: Format, options: &LoadOptions) -> Result<Journey> {
    check_size(text.len(), options)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let journey = match format {
        Format::Json => parse_json(text)?,
        Format::Yaml => parse_yaml(text, options.max_bytes)?,
        Format::Mermaid => mermaid::parse(text)?,
        Format::Csv => csv_table::parse(text)?,
    };
    check_version(journey)
}

/// Reads a journey from raw bytes, reporting invalid UTF-8 with its line and column.
pub fn parse_journey_bytes(bytes: &[u8], format: Format, options: &LoadOptions) -> Result<Journey> {
    check_size(bytes.len(), options)?;
    let text = utf8(bytes, "input")?;
    parse_journey_with(text, format, options)
}

/// Bytes as UTF-8 text, or an `invalid_utf8` error with the line and column of the first bad byte.
pub(crate) fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        // The valid prefix is UTF-8 by definition, so this cannot fail.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = line_column(prefix);
        CjmError::parse(
            ErrorCode::InvalidUtf8,
            format!(
                "{what} is not valid UTF-8 (byte offset {}); save the file as UTF-8",
                error.valid_up_to()
            ),
            Location::at(line, column),
        )
    })
}

/// Refuses journeys from a newer file format, whose fields may mean something else.
fn check_version(journey: Journey) -> Result<Journey> {
    if journey.format_version > FORMAT_VERSION {
        return Err(CjmError::parse(
            ErrorCode::UnsupportedVersion,
            format!(
                "the journey uses format_version {}, newer than this library's {FORMAT_VERSION}: upgrade cjm",
                journey.format_version
            ),
            Location::pointer("/format_version"),
        ));
    }
    Ok(journey)
}

/// Writes a journey in the given format.
///
/// JSON and YAML are lossless. Mermaid and CSV keep what those formats can express.
pub fn write_journey(journey: &Journey, format: Format) -> Result<String> {
    if matches!(format, Format::Json | Format::Yaml) {
        refuse_non_finite(journey)?;
    }
    match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(journey).map_err(|e| {
                CjmError::usage(
                    ErrorCode::SerializeFailed,
                    format!("cannot write JSON: {e}"),
                )
            })?;
            text.push('\n');
            Ok(text)
        }
        Format::Yaml => serde_yaml_ng::to_string(journey).map_err(|e| {
            CjmError::usage(
                ErrorCode::SerializeFailed,
                format!("cannot write YAML: {e}"),
            )
        }),
        Format::Mermaid => Ok(mermaid::write(journey)),
        Format::Csv => csv_table::write(journey),
    }
}

/// JSON cannot carry NaN or infinity; writing them would silently turn them into `null`.
/// Refused with the `non_finite_number` error (as `docs/format.md` says) at the first such
/// number, so every front reports the same code and place.
fn refuse_non_finite(journey: &Journey) -> Result<()> {
    match crate::validate(journey, &Default::default())
        .into_iter()
        .find(|p| p.code == "non_finite_number")
    {
        None => Ok(()),
        Some(problem) => Err(CjmError::parse(
            ErrorCode::NonFiniteNumber,
            format!(
                "{} at {}: JSON and YAML cannot carry NaN or infinity",
                problem.message, problem.path
            ),
            Location::pointer(problem.path),
        )),
    }
}

impl LoadOptions {
    /// Refuses an input of `size` bytes over the limit with `input_too_large`, so a binding can
    /// check a file's size before reading it.
    pub fn check_size(&self, size: usize) -> Result<()> {
        if size > self.max_bytes {
            return Err(CjmError::parse(
                ErrorCode::InputTooLarge,
                format!(
                    "input is {size} bytes, more than the limit of {} bytes; raise the size limit if this is intended",
                    self.max_bytes
                ),
                Location::default(),
            ));
        }
        Ok(())
    }
}

fn check_size(size: usize, options: &LoadOptions) -> Result<()> {
    options.check_size(size)
}

/// 1-based line and column (in characters) of the end of `prefix`.
pub(crate) fn line_column(prefix: &str) -> (u64, u64) {
    let line = prefix.matches('\n').count() as u64 + 1;
    let last_line = prefix.rsplit('\n').next().unwrap_or("");
    (line, last_line.chars().count() as u64 + 1)
}

/// Turns the path serde_path_to_error tracked into a JSON pointer.
fn pointer(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&crate::validate::pointer_segment(key));
            }
            Segment::Enum { .. } => {}
            Segment::Unknown => return None,
        }
    }
    Some(out)
}

fn parse_json(text: &str) -> Result<Journey> {
    strict::check_json(text)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result: std::result::Result<Journey, _> =
        serde_path_to_error::deserialize(&mut deserializer);
    let journey = result.map_err(|error| {
        let path = pointer(error.path()).filter(|p| !p.is_empty());
        let inner = error.into_inner();
        let (line, column) = (inner.line() as u64, inner.column() as u64);
        let full = inner.to_string();
        let message = full
            .strip_suffix(&format!(" at line {line} column {column}"))
            .unwrap_or(&full)
            .to_string();
        let code = if message.contains("recursion limit") {
            ErrorCode::TooDeep
        } else {
            match inner.classify() {
                serde_json::error::Category::Data => ErrorCode::WrongType,
                _ => ErrorCode::JsonSyntax,
            }
        };
        CjmError::parse(
            code,
            format!("JSON: {message}"),
            Location {
                path,
                line: (line > 0).then_some(line),
                // serde_json reports column 0 before the first character; columns are 1-based.
                column: (line > 0).then_some(column.max(1)),
            },
        )
    })?;
    deserializer.end().map_err(|e| {
        CjmError::parse(
            ErrorCode::JsonSyntax,
            "JSON: trailing characters after the journey".to_string(),
            Location::at(e.line() as u64, e.column() as u64),
        )
    })?;
    Ok(journey)
}

/// Deepest flow nesting (`[`/`{`) accepted in YAML; the deserializer's own limit is 128 too.
const MAX_YAML_FLOW_DEPTH: usize = 128;

/// libyaml's scanner slows down quadratically on deeply nested flow collections (100 000 `[`
/// took 28 s), before the deserializer's depth limit can act. This linear pre-scan refuses such
/// input first. It counts only brackets that start a token (after `:`, `,`, `-`, `?`, another
/// bracket or the start of a line) outside quotes and comments, so `a[b` in plain text is
/// never counted.
fn check_yaml_flow_depth(text: &str) -> Result<()> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (line_index, line) in text.lines().enumerate() {
        let mut previous = None::<char>;
        for (column, ch) in line.chars().enumerate() {
            match quote {
                Some(q) => {
                    if ch == q && previous != Some('\\') {
                        quote = None;
                    }
                }
                None => match ch {
                    '#' if previous.is_none_or(char::is_whitespace) => break,
                    '"' | '\'' if previous.is_none_or(|p| " \t:,[{-?".contains(p)) => {
                        quote = Some(ch)
                    }
                    '[' | '{' if previous.is_none_or(|p| " \t:,[{-?".contains(p)) => {
                        depth += 1;
                        if depth > MAX_YAML_FLOW_DEPTH {
                            return Err(CjmError::parse(
                                ErrorCode::TooDeep,
                                format!(
                                    "YAML: nesting deeper than {MAX_YAML_FLOW_DEPTH} levels is not supported"
                                ),
                                Location::at(line_index as u64 + 1, column as u64 + 1),
                            ));
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
            if !ch.is_whitespace() || quote.is_some() {
                previous = Some(ch);
            } else if previous.is_some() {
                previous = Some(' ');
            }
        }
        // Single-quoted and plain scalars end at a line break in block context for our purpose.
        if quote == Some('\'') {
            quote = None;
        }
    }
    Ok(())
}

/// How many bytes converting `0x`/`0o` numbers for float fields may read again in all; past
/// that the next one is refused (`wrong_type`) with a message asking for decimal.
const YAML_HEX_REREAD_BYTES: usize = 64 * 1024 * 1024;

fn parse_yaml(text: &str, max_bytes: usize) -> Result<Journey> {
    check_yaml_flow_depth(text)?;
    #[cfg(feature = "streaming-yaml")]
    if let Some(journey) = parse_plain_yaml(text) {
        return Ok(journey);
    }
    parse_yaml_fully(text, max_bytes)
}

/// For the fuzz target and tests: whether the streaming reader of plain YAML, when it reads
/// `text` at all, gives the journey the full reader gives. `Err` describes a difference.
#[cfg(feature = "streaming-yaml")]
#[doc(hidden)]
pub fn yaml_readers_agree(text: &str) -> std::result::Result<(), String> {
    if check_yaml_flow_depth(text).is_err() {
        return Ok(());
    }
    let Some(streamed) = parse_plain_yaml(text) else {
        return Ok(());
    };
    let full = parse_yaml_fully(text, usize::MAX)
        .map_err(|e| format!("the streaming reader read what the full one refuses: {e}"))?;
    let (a, b) = (journey_to_value(&streamed), journey_to_value(&full));
    match (a, b) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Err(_), Err(_)) if format!("{streamed:?}") == format!("{full:?}") => Ok(()),
        (a, b) => Err(format!(
            "the readers differ:\n streaming {a:?}\n full {b:?}"
        )),
    }
}

/// The full YAML reader: bounded alias expansion, the strict checks (duplicate keys, tags,
/// integers beyond 64 bits), `0x`/`0o` numbers in float fields, and located errors.
fn parse_yaml_fully(text: &str, max_bytes: usize) -> Result<Journey> {
    check_yaml_expansion(text, max_bytes)?;
    strict::check_yaml(text)?;
    // YAML 1.2 reads `0x1F` and `0o17` as integers, but the reader takes them for a float
    // field (a score, a scale bound, a metric value) only in decimal: each one it refuses there
    // is written in decimal, padded with blanks to keep later columns, and the text read again.
    let mut decimal: std::borrow::Cow<str> = std::borrow::Cow::Borrowed(text);
    let mut result: std::result::Result<Journey, _>;
    let mut rewrites = 0;
    loop {
        let deserializer = serde_yaml_ng::Deserializer::from_str(&decimal);
        result = serde_path_to_error::deserialize(deserializer);
        let Err(error) = &result else { break };
        let Some(at) = strict::hex_or_octal_float(&decimal, error.inner()) else {
            break;
        };
        // Each conversion reads the text again: at most 64 MiB read in all (16 MiB: 4 numbers).
        if (rewrites + 1usize).saturating_mul(text.len()) > YAML_HEX_REREAD_BYTES {
            break;
        }
        rewrites += 1;
        decimal = std::borrow::Cow::Owned(at);
    }
    result.map_err(|error| {
        let path = pointer(error.path()).filter(|p| !p.is_empty());
        let inner = error.into_inner();
        if strict::hex_or_octal_float(&decimal, &inner).is_some() {
            let location = inner.location();
            return CjmError::parse(
                ErrorCode::WrongType,
                format!(
                    "YAML: too many hexadecimal or octal numbers where decimals are expected (at most {} per {} bytes); write this one in decimal",
                    rewrites,
                    text.len()
                ),
                Location {
                    path,
                    line: location.as_ref().map(|l| l.line() as u64),
                    column: location.as_ref().map(|l| l.column() as u64),
                },
            );
        }
        let location = inner.location();
        let full = inner.to_string();
        let message = match &location {
            Some(loc) => full
                .strip_suffix(&format!(" at line {} column {}", loc.line(), loc.column()))
                .unwrap_or(&full)
                .to_string(),
            None => full,
        };
        // serde_yaml prefixes data errors with the dotted path; the pointer carries it instead.
        let message = match message.split_once(": ") {
            Some((prefix, rest)) if path.is_some() && !prefix.contains(char::is_whitespace) => {
                rest.to_string()
            }
            _ => message,
        };
        let code = if message.contains("recursion limit") {
            ErrorCode::TooDeep
        } else if message.contains("repetition limit") {
            ErrorCode::YamlAliasLimit
        } else if message.starts_with("invalid type")
            || message.starts_with("missing field")
            || message.starts_with("unknown variant")
            || message.starts_with("invalid value")
            || message.starts_with("invalid length")
        {
            ErrorCode::WrongType
        } else {
            ErrorCode::YamlSyntax
        };
        let mut line = location.as_ref().map(|l| l.line() as u64);
        let mut column = location.as_ref().map(|l| l.column() as u64);
        let mut message = format!("YAML: {message}");
        if message.contains("more than one document") {
            // The reader names no place: point at the second document's start.
            message = "YAML: a second document starts here; a journey file holds one YAML document (remove the second `---` and what follows, or split the file)".to_string();
            if let Some((l, c)) = strict::second_document_start(text) {
                (line, column) = (Some(l), Some(c));
            }
        }
        CjmError::parse(code, message, Location { path, line, column })
    })
}

/// Reads plain YAML — one document, no anchors or aliases, no tags, no integer literal of 20
/// digits or more — straight into the journey with a streaming reader, which holds no more
/// than the journey (the full reader below buffers every event of the document first: about
/// 24 bytes for each byte of input). `None` for text that is not plain, or that the streaming
/// reader refuses (a duplicate key, a YAML 1.1 form, a syntax error, nesting deeper than 128):
/// the full reader then reads it, with every check and every error message as before. The
/// shared cases and a differential test over the fuzz corpus hold the two to the same journeys.
#[cfg(feature = "streaming-yaml")]
fn parse_plain_yaml(text: &str) -> Option<Journey> {
    if !is_plain_yaml(text) {
        return None;
    }
    // Both option structs are non-exhaustive: set field by field on the defaults.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = None;
    budget.max_events = usize::MAX;
    budget.max_nodes = usize::MAX;
    budget.max_total_scalar_bytes = usize::MAX;
    budget.max_depth = 128;
    budget.max_documents = 1;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.emit_comments = false;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options.merge_keys = serde_saphyr::MergeKeyPolicy::Error;
    options.strict_booleans = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options(text, options).ok()
}

/// Whether YAML text is block-style YAML as cjm writes it, which both readers read alike: one
/// document (no `---` or `...` line), no anchors, aliases or tags (`&`, `*`, `!`), no flow
/// collections other than empty ones (`[]`, `{}`), no comments, tabs or carriage returns, no
/// reserved indicators (`@`, `` ` ``, `%`), no number outside plain decimal (`0842`, `0x1F`,
/// `+12`, `.5`, `1_000`), no `true`/`false`/`null` in odd casing (`falSe`), no line of nothing
/// but spaces, a final line break, and no run of 20 digits (an integer that may not fit 64 bits). It looks at token starts only roughly: text that merely looks like one of these
/// (`*важно*` in prose) just takes the full reader. The two YAML parsers differ at the edges
/// (the streaming one reads `{a b:, c: 1}`, the full one refuses it; a fuzzer finding), hence
/// this narrow gate.
#[cfg(feature = "streaming-yaml")]
fn is_plain_yaml(text: &str) -> bool {
    // A block scalar (`|`) on the last line: without a final line break the parsers disagree
    // whether its text ends with one (a fuzzer finding). Files cjm writes end with one.
    if !text.ends_with('\n') {
        return false;
    }
    let mut previous = b'\n';
    let mut digits = 0usize;
    // Whether the current line has held only spaces so far.
    let mut blank_line = true;
    let bytes = text.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        // A line of nothing but spaces: the parsers keep different line breaks for it at the
        // end of a block scalar (`|` then ` ` at the end of the file; a fuzzer finding).
        match byte {
            b'\n' if blank_line && previous == b' ' => return false,
            b'\n' => blank_line = true,
            b' ' => {}
            _ => blank_line = false,
        }
        let token_start = matches!(previous, b' ' | b'\n' | b':' | b'-' | b',' | b'?');
        let next = bytes.get(index + 1).copied().unwrap_or(b' ');
        match byte {
            // Tabs, carriage returns and a byte-order mark (0xEF starts it), which the two
            // parsers place differently.
            b'\t' | b'\r' | 0xEF => return false,
            // A colon that starts a token or follows another (`:i:`, `idd::`): keys the two
            // parsers split differently (a fuzzer finding).
            b':' if token_start || next == b':' => return false,
            b'&' | b'*' | b'!' | b'@' | b'`' | b'%' | b'#' if token_start => return false,
            // Numbers outside plain decimal (`0842`, `0x1F`, `0o17`, `+12`, `.5`, `1_000`):
            // the readers type them differently where no field type decides (a fuzzer finding:
            // `0842` was 842.0 to one and "0842" to the other).
            b'0' if token_start && (next.is_ascii_digit() || b"xob_".contains(&next)) => {
                return false;
            }
            b'+' | b'.' if token_start && (next.is_ascii_digit() || next == b'.') => return false,
            b'_' if previous.is_ascii_digit() && next.is_ascii_digit() => return false,
            b'[' if token_start && next != b']' => return false,
            // `falSe`, `NuLL`: words YAML's core schema reads as text unless they are all lower
            // case, capitalised or all upper case; the streaming parser reads any casing as a
            // boolean (a fuzzer finding).
            b't' | b'T' | b'f' | b'F' | b'n' | b'N'
                if token_start && odd_keyword(&bytes[index..]) =>
            {
                return false;
            }
            b'{' if token_start && next != b'}' => return false,
            b'-' | b'.'
                if previous == b'\n'
                    && bytes[index..].starts_with(if byte == b'-' { b"---" } else { b"..." }) =>
            {
                return false;
            }
            _ => {}
        }
        digits = if byte.is_ascii_digit() { digits + 1 } else { 0 };
        if digits >= 20 {
            return false;
        }
        previous = byte;
    }
    !(blank_line && previous == b' ')
}

/// Whether text starts with `true`, `false` or `null` in a casing other than the three the core
/// schema reads (`true`, `True`, `TRUE`), followed by the end of the token.
#[cfg(feature = "streaming-yaml")]
fn odd_keyword(text: &[u8]) -> bool {
    ["true", "false", "null"].iter().any(|word| {
        let n = word.len();
        let Some(head) = text.get(..n) else {
            return false;
        };
        let ends = text
            .get(n)
            .is_none_or(|b| matches!(b, b' ' | b'\n' | b',' | b']' | b'}' | b':' | b'#'));
        if !ends || !head.eq_ignore_ascii_case(word.as_bytes()) {
            return false;
        }
        let lower = word.as_bytes();
        let upper = word.to_ascii_uppercase();
        let mut capital = lower.to_vec();
        capital[0] = capital[0].to_ascii_uppercase();
        head != lower && head != upper.as_bytes() && head != capital.as_slice()
    })
}

/// The smallest node budget for YAML after alias expansion, whatever the input size: ordinary
/// reuse of anchors in a hand-made map stays far below it, and the "billion laughs" guard of the
/// YAML reader (`yaml_alias_limit`) still fires first on small exponential bombs.
const YAML_MIN_EXPANDED_NODES: usize = 250_000;
/// The smallest budget for the bytes of scalars after alias expansion.
const YAML_MIN_EXPANDED_BYTES: usize = 1024 * 1024;
/// Nodes (and scalar bytes) a YAML input may expand to per byte of input. An alias-free file
/// holds at most about one node per byte (`{a,b,c}`), so aliases may multiply that by about 8.
const YAML_EXPANSION_PER_BYTE: usize = 8;

/// Budgets for one YAML input: `(nodes, scalar bytes)` after alias expansion.
///
/// Both are `8 × input bytes`, at least [`YAML_MIN_EXPANDED_NODES`] nodes and
/// [`YAML_MIN_EXPANDED_BYTES`] bytes, and never more than `max_bytes` (the size limit): aliases
/// never let a file cost more than the largest alias-free file the size limit admits.
fn yaml_budget(input_len: usize, max_bytes: usize) -> (usize, usize) {
    let relative = input_len.saturating_mul(YAML_EXPANSION_PER_BYTE);
    let nodes = relative.min(max_bytes).max(YAML_MIN_EXPANDED_NODES);
    let bytes = relative.min(max_bytes).max(YAML_MIN_EXPANDED_BYTES);
    (nodes, bytes)
}

/// The marker message the counting pass aborts with when a budget is spent.
const EXPANSION_MARKER: &str = "cjm: YAML alias expansion budget spent";

/// Running totals of the counting pass.
struct Expansion {
    nodes: usize,
    bytes: usize,
    max_nodes: usize,
    max_bytes: usize,
}

impl Expansion {
    fn add<E: serde::de::Error>(
        &mut self,
        nodes: usize,
        bytes: usize,
    ) -> std::result::Result<(), E> {
        self.nodes = self.nodes.saturating_add(nodes);
        self.bytes = self.bytes.saturating_add(bytes);
        if self.nodes > self.max_nodes || self.bytes > self.max_bytes {
            Err(E::custom(EXPANSION_MARKER))
        } else {
            Ok(())
        }
    }
}

/// Walks the YAML document as the deserializer replays it (aliases expanded), counting nodes
/// and the bytes of text scalars (numbers, booleans and nulls count as nodes only) without keeping anything, and stops as soon as a budget is spent.
struct CountSeed<'a>(&'a mut Expansion);

impl<'de> serde::de::DeserializeSeed<'de> for CountSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for CountSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_i128<E: serde::de::Error>(self, _: i128) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.0.add(1, v.len())
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> std::result::Result<(), E> {
        self.0.add(1, v.len())
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        self.0.add(1, 0)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        self.0.add(1, 0)?;
        while seq.next_element_seed(CountSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<(), A::Error> {
        self.0.add(1, 0)?;
        while map.next_key_seed(CountSeed(&mut *self.0))?.is_some() {
            map.next_value_seed(CountSeed(&mut *self.0))?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(
        self,
        data: A,
    ) -> std::result::Result<(), A::Error> {
        use serde::de::VariantAccess;
        let ((), variant) = data.variant_seed(CountSeed(&mut *self.0))?;
        variant.newtype_variant_seed(CountSeed(self.0))
    }
}

/// Refuses YAML whose aliases would expand past the budget of [`yaml_budget`], before anything
/// is built from it (issue 10: one 3 000-item anchor referenced 30 000 times is 90 M nodes from
/// 123 KB; the reader's own guard only catches exponential growth). The counting pass replays
/// the document as the deserializer would and keeps nothing, so it costs time bounded by the
/// budget and memory bounded by the input. Without both `&` and `*` there can be no alias and
/// the pass is skipped. Other errors of the pass are left to the real parse, which reports them.
fn check_yaml_expansion(text: &str, max_bytes: usize) -> Result<()> {
    if !text.contains('*') || !text.contains('&') {
        return Ok(());
    }
    let (max_nodes, max_scalar_bytes) = yaml_budget(text.len(), max_bytes);
    let mut expansion = Expansion {
        nodes: 0,
        bytes: 0,
        max_nodes,
        max_bytes: max_scalar_bytes,
    };
    let deserializer = serde_yaml_ng::Deserializer::from_str(text);
    let outcome = serde::de::DeserializeSeed::deserialize(CountSeed(&mut expansion), deserializer);
    match outcome {
        Err(error) if error.to_string().contains(EXPANSION_MARKER) => {
            let what = if expansion.nodes > max_nodes {
                format!("more than {max_nodes} nodes")
            } else {
                format!("more than {max_scalar_bytes} bytes of text")
            };
            let (culprit, location) = match most_used_alias(text) {
                Some(alias) => (
                    format!(
                        "; alias *{} is used {} time(s), first at line {}, column {}{}",
                        alias.name,
                        alias.count,
                        alias.line,
                        alias.column,
                        alias
                            .anchor
                            .map(|(l, c)| format!(
                                " (anchor &{} at line {l}, column {c})",
                                alias.name
                            ))
                            .unwrap_or_default()
                    ),
                    Location::at(alias.line, alias.column),
                ),
                None => (String::new(), Location::default()),
            };
            Err(CjmError::parse(
                ErrorCode::InputTooLarge,
                format!(
                    "YAML: aliases expand the {}-byte input to {what} (at most {YAML_EXPANSION_PER_BYTE} per input byte, at least {YAML_MIN_EXPANDED_NODES} nodes and {YAML_MIN_EXPANDED_BYTES} bytes, never more than the size limit){culprit}; write the repeated data out or reference less of it",
                    text.len()
                ),
                location,
            ))
        }
        _ => Ok(()),
    }
}

/// The alias used most often in a YAML text, for the error message.
struct AliasUse {
    name: String,
    count: usize,
    line: u64,
    column: u64,
    anchor: Option<(u64, u64)>,
}

/// Finds `*name` aliases and `&name` anchors by a light scan (outside comments and quoted
/// scalars), counts the uses of each alias and returns the most used one with the position of
/// its first use and of its anchor. Only used to word an error; the budget itself is enforced
/// on the real parse.
fn most_used_alias(text: &str) -> Option<AliasUse> {
    // name -> (count, first use, anchor)
    let mut uses: std::collections::HashMap<&str, (usize, (u64, u64))> =
        std::collections::HashMap::new();
    let mut anchors: std::collections::HashMap<&str, (u64, u64)> = std::collections::HashMap::new();
    let mut quote: Option<char> = None;
    for (line_index, line) in text.lines().enumerate() {
        let mut previous: Option<char> = None;
        let mut chars = line.char_indices().enumerate().peekable();
        while let Some((column, (offset, ch))) = chars.next() {
            match quote {
                Some(q) => {
                    if ch == q && previous != Some('\\') {
                        quote = None;
                    }
                }
                None => match ch {
                    '#' if previous.is_none_or(char::is_whitespace) => break,
                    '"' | '\'' if previous.is_none_or(|p| " \t:,[{-?".contains(p)) => {
                        quote = Some(ch)
                    }
                    '*' | '&' if previous.is_none_or(|p| " \t,[{-?:".contains(p)) => {
                        let rest = &line[offset + 1..];
                        let end = rest
                            .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                            .unwrap_or(rest.len());
                        let name = &rest[..end];
                        if !name.is_empty() {
                            let at = (line_index as u64 + 1, column as u64 + 1);
                            if ch == '*' {
                                uses.entry(name).or_insert((0, at)).0 += 1;
                            } else {
                                anchors.entry(name).or_insert(at);
                            }
                            let skip = name.chars().count();
                            for _ in 0..skip {
                                chars.next();
                            }
                            previous = name.chars().last();
                            continue;
                        }
                    }
                    _ => {}
                },
            }
            if !ch.is_whitespace() || quote.is_some() {
                previous = Some(ch);
            } else {
                previous = Some(' ');
            }
        }
        if quote == Some('\'') {
            quote = None;
        }
    }
    let (name, (count, (line, column))) = uses
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.1.1.cmp(&a.1.1)))?;
    Some(AliasUse {
        name: name.to_string(),
        count,
        line,
        column,
        anchor: anchors.get(name).copied(),
    })
}

/// Builds a journey from an already-parsed JSON value (what bindings receive from Python
/// dicts or JS objects), reporting a wrong type with the JSON pointer where it sits.
pub fn journey_from_value(value: serde_json::Value) -> Result<Journey> {
    let result: std::result::Result<Journey, _> = serde_path_to_error::deserialize(value);
    let journey = result.map_err(|error| {
        let path = pointer(error.path()).filter(|p| !p.is_empty());
        let message = error.into_inner().to_string();
        CjmError::parse(
            ErrorCode::WrongType,
            message,
            Location {
                path,
                line: None,
                column: None,
            },
        )
    })?;
    check_version(journey)
}

/// The journey as a JSON value (what bindings hand to Python dicts or JS objects).
pub fn journey_to_value(journey: &Journey) -> Result<serde_json::Value> {
    refuse_non_finite(journey)?;
    serde_json::to_value(journey).map_err(|e| {
        CjmError::usage(
            ErrorCode::SerializeFailed,
            format!("cannot convert journey: {e}"),
        )
    })
}
