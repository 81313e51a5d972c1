//! Funnel step definitions: which events, with which properties, make a step.
//!
//! ```text
//! step        := alternative ('|' alternative)*
//! alternative := name filter*
//! name        := text without | [ ] "   or   "quoted text" (\" and \\ escaped)
//! filter      := '[' key op value ']'
//! op          := =  !=  ~  >  >=  <  <=
//! ```
//!
//! `view`, `view|click`, `purchase[platform=mobile]`, `page[url~^/cart][country!=RU]`,
//! `order[amount>=100]`. A row is step k when its event is one of the step's alternatives and
//! every filter of that alternative holds on the row's segment columns: `=`/`!=` compare text,
//! `~` searches a regular expression anywhere in the value (as ClickHouse's `match`; the
//! `regex-lite` syntax), and `>`, `>=`, `<`, `<=` compare numbers (a value that is no number
//! fails them). One row may be several steps (`view` and `view[page=home]`), as one row may
//! satisfy several conditions of ClickHouse's `windowFunnel`.

use regex_lite::Regex;

use super::log::EventLog;
use crate::error::{CjmError, ErrorCode, Result};

/// A parsed step.
#[derive(Debug, Clone)]
pub struct StepDef {
    pub alternatives: Vec<Alternative>,
}

/// One event name and the filters its rows must pass.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub event: String,
    pub filters: Vec<Filter>,
}

/// A property condition: `key op value`.
#[derive(Debug, Clone)]
pub struct Filter {
    pub key: String,
    pub op: FilterOp,
    pub value: String,
    /// The value as a number, for the comparisons.
    number: f64,
    regex: Option<Regex>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    Equal,
    NotEqual,
    Matches,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

impl Filter {
    /// Whether a segment value passes.
    pub fn passes(&self, value: &str) -> bool {
        let number = || value.trim().parse::<f64>().ok().filter(|n| !n.is_nan());
        match self.op {
            FilterOp::Equal => value == self.value,
            FilterOp::NotEqual => value != self.value,
            FilterOp::Matches => self.regex.as_ref().is_some_and(|r| r.is_match(value)),
            FilterOp::Greater => number().is_some_and(|n| n > self.number),
            FilterOp::GreaterOrEqual => number().is_some_and(|n| n >= self.number),
            FilterOp::Less => number().is_some_and(|n| n < self.number),
            FilterOp::LessOrEqual => number().is_some_and(|n| n <= self.number),
        }
    }
}

impl StepDef {
    /// Whether any alternative has filters.
    pub fn is_filtered(&self) -> bool {
        self.alternatives.iter().any(|a| !a.filters.is_empty())
    }
}

/// The longest step text read (a step is a line a person writes, not a document).
const MAX_STEP_CHARS: usize = 4096;

/// Parses one step definition; errors name the character where reading stopped.
pub fn parse_step(text: &str) -> Result<StepDef> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > MAX_STEP_CHARS {
        return Err(CjmError::usage(
            ErrorCode::InvalidOption,
            format!("a step is at most {MAX_STEP_CHARS} characters long"),
        ));
    }
    let mut reader = Reader { text, chars, at: 0 };
    let mut alternatives = vec![reader.alternative()?];
    while reader.peek() == Some('|') {
        reader.at += 1;
        alternatives.push(reader.alternative()?);
    }
    if let Some(c) = reader.peek() {
        return Err(reader.error(&format!("unexpected {c:?}")));
    }
    Ok(StepDef { alternatives })
}

struct Reader<'a> {
    text: &'a str,
    chars: Vec<char>,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// The text up to the first character `keep` refuses, without surrounding spaces.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.at;
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
        self.chars[start..self.at]
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// The error for the current character (1-based in the message, as an editor counts).
    fn error(&self, what: &str) -> CjmError {
        CjmError::usage(
            ErrorCode::InvalidOption,
            format!(
                "step {:?}: {what} at character {}",
                crate::error::excerpt(self.text),
                self.at + 1
            ),
        )
    }

    fn alternative(&mut self) -> Result<Alternative> {
        self.skip_spaces();
        let event = match self.peek() {
            Some('"') => self.quoted()?,
            _ => self.take_while(|c| !matches!(c, '|' | '[' | ']' | '"')),
        };
        if event.is_empty() {
            return Err(self.error("an event name is expected"));
        }
        self.skip_spaces();
        let mut filters = Vec::new();
        while self.peek() == Some('[') {
            self.at += 1;
            filters.push(self.filter()?);
            self.skip_spaces();
        }
        Ok(Alternative { event, filters })
    }

    /// A double-quoted text; `\"` and `\\` stand for `"` and `\`.
    fn quoted(&mut self) -> Result<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("the quoted text is not closed")),
                Some('"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some('\\') if matches!(self.chars.get(self.at + 1), Some('"' | '\\')) => {
                    out.push(self.chars[self.at + 1]);
                    self.at += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn filter(&mut self) -> Result<Filter> {
        self.skip_spaces();
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| !matches!(c, '=' | '!' | '~' | '>' | '<' | ']' | '['))
        {
            self.at += 1;
        }
        let key: String = self.chars[start..self.at]
            .iter()
            .collect::<String>()
            .trim()
            .to_string();
        if key.is_empty() {
            return Err(self.error("a property name is expected"));
        }
        let next = self.chars.get(self.at + 1).copied();
        let (op, width) = match (self.peek(), next) {
            (Some('!'), Some('=')) => (FilterOp::NotEqual, 2),
            (Some('>'), Some('=')) => (FilterOp::GreaterOrEqual, 2),
            (Some('<'), Some('=')) => (FilterOp::LessOrEqual, 2),
            (Some('='), _) => (FilterOp::Equal, 1),
            (Some('~'), _) => (FilterOp::Matches, 1),
            (Some('>'), _) => (FilterOp::Greater, 1),
            (Some('<'), _) => (FilterOp::Less, 1),
            _ => {
                return Err(self.error("an operator (=, !=, ~, >, >=, <, <=) is expected"));
            }
        };
        self.at += width;
        self.skip_spaces();
        let value_at = self.at;
        let value = match self.peek() {
            Some('"') => self.quoted()?,
            _ => self.take_while(|c| c != ']'),
        };
        self.skip_spaces();
        if self.peek() != Some(']') {
            return Err(self.error("']' is expected to close the filter"));
        }
        self.at += 1;
        let mut filter = Filter {
            key,
            op,
            value,
            number: f64::NAN,
            regex: None,
        };
        match op {
            FilterOp::Matches => match Regex::new(&filter.value) {
                Ok(regex) => filter.regex = Some(regex),
                Err(error) => {
                    self.at = value_at;
                    let first = error.to_string();
                    let first = first.lines().last().unwrap_or_default().trim().to_string();
                    return Err(self.error(&format!(
                        "the regular expression does not compile ({first})"
                    )));
                }
            },
            FilterOp::Greater
            | FilterOp::GreaterOrEqual
            | FilterOp::Less
            | FilterOp::LessOrEqual => match filter.value.parse::<f64>() {
                Ok(number) if number.is_finite() => filter.number = number,
                _ => {
                    self.at = value_at;
                    return Err(self.error(&format!(
                        "{:?} is not a number to compare with",
                        filter.value
                    )));
                }
            },
            _ => {}
        }
        Ok(filter)
    }
}

/// A step text that stands for exactly the event `name`: the name itself when the grammar reads
/// it back unchanged, else quoted.
pub fn quote_event(name: &str) -> String {
    let plain = !name.is_empty() && name.trim() == name && !name.contains(['|', '[', ']', '"']);
    if plain {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Which steps each row of a log is: bit k of a row's mask is set when the row is step k.
pub(crate) struct StepMatcher<'a> {
    /// Per event code: the steps an event of that name is, filters aside.
    plain: Vec<u32>,
    /// Per event code: the filtered alternatives of that event as (step bit, checks).
    rules: Vec<Vec<(u32, Vec<Check<'a>>)>>,
    any_filtered: bool,
    /// Whether a step has several alternatives or filters.
    shared: bool,
    /// The segment columns (indexes into the log's segments) some filter reads.
    filter_columns: Vec<usize>,
}

/// One filter resolved against a segment column: whether each of its values passes.
struct Check<'a> {
    codes: &'a [u32],
    pass: Vec<bool>,
}

impl<'a> StepMatcher<'a> {
    /// Resolves parsed steps against a log; a filter on a column the log lacks is refused
    /// (`unknown_column`), naming the step.
    pub(crate) fn new(log: &'a EventLog, steps: &[StepDef], texts: &[String]) -> Result<Self> {
        let events = log.event_names.len();
        let code_of: std::collections::HashMap<&str, u32> = log
            .event_names
            .iter()
            .enumerate()
            .map(|(code, name)| (name.as_str(), code as u32))
            .collect();
        let mut matcher = StepMatcher {
            plain: vec![0; events],
            rules: (0..events).map(|_| Vec::new()).collect(),
            any_filtered: false,
            shared: steps
                .iter()
                .any(|step| step.alternatives.len() > 1 || step.is_filtered()),
            filter_columns: Vec::new(),
        };
        for (k, (step, text)) in steps.iter().zip(texts).enumerate() {
            let bit = 1u32 << k;
            for alternative in &step.alternatives {
                let mut checks = Vec::new();
                for filter in &alternative.filters {
                    let segment = log.segment(&filter.key).map_err(|error| {
                        CjmError::usage(ErrorCode::UnknownColumn, format!("step {text:?}: {error}"))
                    })?;
                    let column = log.segments.iter().position(|s| std::ptr::eq(s, segment));
                    if let Some(column) = column
                        && !matcher.filter_columns.contains(&column)
                    {
                        matcher.filter_columns.push(column);
                    }
                    checks.push(Check {
                        codes: &segment.codes,
                        pass: segment.values.iter().map(|v| filter.passes(v)).collect(),
                    });
                }
                let Some(&code) = code_of.get(alternative.event.as_str()) else {
                    continue;
                };
                if checks.is_empty() {
                    matcher.plain[code as usize] |= bit;
                } else {
                    matcher.rules[code as usize].push((bit, checks));
                    matcher.any_filtered = true;
                }
            }
        }
        Ok(matcher)
    }

    /// Whether some step can be reached by rows that differ (several event names, or filters).
    pub(crate) fn has_shared_steps(&self) -> bool {
        self.shared
    }

    /// Per row, a number equal for rows that agree on the event and on every column a filter
    /// reads (`None` when no step has filters: the event code is that number).
    pub(crate) fn row_kinds(&self, log: &EventLog) -> Option<Vec<u32>> {
        if self.filter_columns.is_empty() {
            return None;
        }
        let columns: Vec<&[u32]> = self
            .filter_columns
            .iter()
            .map(|&c| log.segments[c].codes.as_slice())
            .collect();
        let mut seen: std::collections::HashMap<Vec<u32>, u32> = std::collections::HashMap::new();
        let mut key = Vec::with_capacity(columns.len() + 1);
        Some(
            log.event
                .iter()
                .enumerate()
                .map(|(row, &event)| {
                    key.clear();
                    key.push(event);
                    key.extend(columns.iter().map(|c| c[row]));
                    // Look up before inserting: a copy of the key only for a new kind.
                    if let Some(&kind) = seen.get(&key) {
                        return kind;
                    }
                    let kind = seen.len() as u32;
                    seen.insert(key.clone(), kind);
                    kind
                })
                .collect(),
        )
    }

    /// Whether no step depends on properties: then an event's name alone gives its steps.
    pub(crate) fn is_plain(&self) -> bool {
        !self.any_filtered
    }

    /// The steps an event of each name is, for a plain matcher.
    pub(crate) fn plain_masks(&self) -> &[u32] {
        &self.plain
    }

    /// The steps row `row` (of event code `event`) is.
    #[inline]
    pub(crate) fn mask(&self, row: usize, event: u32) -> u32 {
        let e = event as usize;
        let mut mask = self.plain[e];
        if self.any_filtered {
            for (bit, checks) in &self.rules[e] {
                if mask & bit == 0 && checks.iter().all(|c| c.pass[c.codes[row] as usize]) {
                    mask |= bit;
                }
            }
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(step: &StepDef) -> Vec<&str> {
        step.alternatives.iter().map(|a| a.event.as_str()).collect()
    }

    #[test]
    fn plain_names_alternatives_and_filters() {
        let step = parse_step("view").unwrap();
        assert_eq!(events(&step), ["view"]);
        assert!(!step.is_filtered());
        let step = parse_step(" view | click ").unwrap();
        assert_eq!(events(&step), ["view", "click"]);
        let step = parse_step("purchase[platform=mobile][amount >= 100]|refund").unwrap();
        assert_eq!(events(&step), ["purchase", "refund"]);
        let filters = &step.alternatives[0].filters;
        assert_eq!(filters.len(), 2);
        assert_eq!(
            (filters[0].key.as_str(), filters[0].op),
            ("platform", FilterOp::Equal)
        );
        assert_eq!(
            (filters[1].key.as_str(), filters[1].op),
            ("amount", FilterOp::GreaterOrEqual)
        );
        assert!(
            filters[1].passes("100") && filters[1].passes(" 250.5") && !filters[1].passes("99")
        );
        assert!(!filters[1].passes("many"));
        // Names with spaces and Cyrillic; a quoted name may hold the grammar's characters.
        let step = parse_step("Просмотр карточки[страница~^/каталог]").unwrap();
        assert_eq!(events(&step), ["Просмотр карточки"]);
        assert!(step.alternatives[0].filters[0].passes("/каталог/обувь"));
        let step = parse_step(r#""a|b[c]"[k="x]y"]"#).unwrap();
        assert_eq!(events(&step), ["a|b[c]"]);
        assert!(step.alternatives[0].filters[0].passes("x]y"));
    }

    #[test]
    fn operators_compare_as_documented() {
        let filter = |text: &str| parse_step(text).unwrap().alternatives[0].filters[0].clone();
        assert!(filter("e[k!=web]").passes("app") && !filter("e[k!=web]").passes("web"));
        assert!(filter("e[k~ob]").passes("mobile") && !filter("e[k~^ob]").passes("mobile"));
        assert!(filter("e[n>2]").passes("3") && !filter("e[n>2]").passes("2"));
        assert!(filter("e[n<2]").passes("-1") && filter("e[n<=2]").passes("2"));
        assert!(filter("e[k=]").passes("") && !filter("e[k=]").passes("x"));
    }

    #[test]
    fn quoted_names_read_back_exactly() {
        for name in [
            "view",
            "a|b",
            " padded ",
            "say \"hi\"",
            "back\\slash",
            "[x]",
            "Оплата",
        ] {
            let step = parse_step(&quote_event(name)).unwrap();
            assert_eq!(step.alternatives.len(), 1);
            assert_eq!(step.alternatives[0].event, name);
            assert!(step.alternatives[0].filters.is_empty());
        }
        assert_eq!(quote_event("view"), "view");
        assert_eq!(quote_event("a|b"), "\"a|b\"");
    }

    #[test]
    fn malformed_steps_name_the_character() {
        for (text, what, at) in [
            ("", "an event name is expected", 1),
            ("view|", "an event name is expected", 6),
            ("view[page=x", "']' is expected", 12),
            ("view[=x]", "a property name is expected", 6),
            ("view[page x]", "an operator", 12),
            ("view[n>abc]", "not a number", 8),
            ("view[k~(]", "does not compile", 8),
            ("view]", "unexpected ']'", 5),
            ("\"view", "quoted text is not closed", 6),
        ] {
            let error = parse_step(text).unwrap_err();
            assert_eq!(error.code(), "invalid_option");
            let message = error.to_string();
            assert!(message.contains(what), "{text}: {message}");
            assert!(
                message.ends_with(&format!("at character {at}")),
                "{text}: {message}"
            );
        }
    }
}
