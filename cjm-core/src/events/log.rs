//! Event logs: `user_id, timestamp, event` rows (plus optional segment columns and a value),
//! held column-wise with interned users, event names and segment values.

use crate::error::ErrorCode;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::progress::{ProgressFn, ProgressPhase, ProgressUnit, Reporter};
use crate::error::{CjmError, Location, Result};

/// A categorical column (segment) of an event log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Segment {
    pub name: String,
    /// Per row: index into `values`.
    pub codes: Vec<u32>,
    pub values: Vec<String>,
    index: HashMap<String, u32>,
}

impl Segment {
    fn push(&mut self, value: &str) {
        let next = self.values.len() as u32;
        let code = *self.index.entry(value.to_string()).or_insert_with(|| {
            self.values.push(value.to_string());
            next
        });
        self.codes.push(code);
    }
}

/// An event log in columns. Users and event names are interned to dense indices, timestamps are
/// milliseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventLog {
    pub user: Vec<u32>,
    pub time: Vec<i64>,
    pub event: Vec<u32>,
    /// Revenue or any other amount, when the log has a `value` column.
    pub value: Option<Vec<f64>>,
    pub user_ids: Vec<String>,
    pub event_names: Vec<String>,
    pub segments: Vec<Segment>,
    /// Bad rows skipped because the caller asked to skip them.
    pub skipped_rows: u64,
    user_index: HashMap<String, u32>,
    event_index: HashMap<String, u32>,
}

/// How to read an event file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ReadOptions {
    /// Skip rows that cannot be read (and count them) instead of failing on the first one.
    pub skip_bad_rows: bool,
    /// The unit of epoch numbers in the timestamp column (`auto` by default: chosen from the
    /// first number's magnitude). ISO-8601 text and typed timestamps carry their own unit.
    pub time_unit: TimeUnit,
    /// Which columns hold the user, time, event and value when they are not named `user_id`,
    /// `timestamp`, `event` and `value`.
    pub columns: ColumnMap,
}

/// The input columns that hold a log's fields, for files that do not use the standard names.
/// A name matches a column as a header does: ignoring case and surrounding spaces. Every other
/// column (a standard name that is not used included) is a segment column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMap {
    /// The user id column (default `user_id`), e.g. `distinct_id`, `user_pseudo_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The timestamp column (default `timestamp`), e.g. `event_time`, `ts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The event name column (default `event`), e.g. `event_type`, `event_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The amount column (default `value`), e.g. `revenue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl ColumnMap {
    /// The roles a column can be mapped to, as the text form names them.
    pub const ROLES: [&'static str; 4] = ["user", "time", "event", "value"];

    /// Reads the text form `user=distinct_id,time=ts,event=event_name,value=revenue` (any subset,
    /// in any order; spaces around names are ignored).
    pub fn parse(text: &str) -> Result<ColumnMap> {
        let mut map = ColumnMap::default();
        let bad = |message: String| CjmError::usage(ErrorCode::InvalidOption, message);
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((role, column)) = part.split_once('=') else {
                return Err(bad(format!(
                    "column mapping {part:?} is not ROLE=COLUMN (roles: {})",
                    Self::ROLES.join(", ")
                )));
            };
            let (role, column) = (role.trim(), column.trim());
            if column.is_empty() {
                return Err(bad(format!("column mapping {part:?} names no column")));
            }
            let slot = match role.to_ascii_lowercase().as_str() {
                "user" => &mut map.user,
                "time" => &mut map.time,
                "event" => &mut map.event,
                "value" => &mut map.value,
                _ => {
                    return Err(bad(format!(
                        "unknown role {role:?} in the column mapping (roles: {})",
                        Self::ROLES.join(", ")
                    )));
                }
            };
            if slot.is_some() {
                return Err(bad(format!("role {role:?} is mapped twice")));
            }
            *slot = Some(column.to_string());
        }
        Ok(map)
    }

    /// `(role, mapped column, standard name)` for each role.
    fn entries(&self) -> [(&'static str, Option<&str>, &'static str); 4] {
        [
            ("user", self.user.as_deref(), "user_id"),
            ("time", self.time.as_deref(), "timestamp"),
            ("event", self.event.as_deref(), "event"),
            ("value", self.value.as_deref(), "value"),
        ]
    }
}

/// The unit of epoch numbers (time since 1970-01-01T00:00:00Z) in a timestamp column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TimeUnit {
    /// The unit in which the column's first epoch number lands between 1990-01-01 (inclusive)
    /// and 2100-01-01 (exclusive); every later number must land in that range in the same
    /// unit. A number that lands in it in no unit is refused (`invalid_timestamp`).
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// Seconds.
    #[serde(rename = "s")]
    Seconds,
    /// Milliseconds.
    #[serde(rename = "ms")]
    Milliseconds,
    /// Microseconds (GA4 exports, for one).
    #[serde(rename = "us")]
    Microseconds,
    /// Nanoseconds.
    #[serde(rename = "ns")]
    Nanoseconds,
}

/// 1990-01-01T00:00:00Z in seconds since the epoch: the earliest time `auto` accepts.
const AUTO_FROM_SECONDS: i64 = 631_152_000;
/// 2100-01-01T00:00:00Z in seconds since the epoch: `auto` accepts times before it.
const AUTO_UNTIL_SECONDS: i64 = 4_102_444_800;
/// Timestamps from this many milliseconds on (about year 287 000) are refused in every unit.
const MAX_MS: i64 = 9_000_000_000_000_000;
/// 1900-01-01T00:00:00Z in milliseconds since the epoch: the earliest event time accepted.
pub const MIN_TIME_MS: i64 = -2_208_988_800_000;
/// 2201-01-01T00:00:00Z in milliseconds since the epoch: event times lie before it (so in the
/// years 1900–2200, whatever their source: ISO text, epoch numbers, typed timestamps).
pub const END_TIME_MS: i64 = 7_289_654_400_000;

/// Whether `ms` lies in the years 1900–2200 ([`MIN_TIME_MS`] ≤ ms < [`END_TIME_MS`]).
pub fn time_in_range(ms: i64) -> bool {
    (MIN_TIME_MS..END_TIME_MS).contains(&ms)
}

/// `ms` itself when it lies in the years 1900–2200, else the data error `invalid_timestamp`
/// naming `row` and `column`; `shown` is the timestamp as the input gave it.
pub(crate) fn check_time(
    ms: i64,
    shown: &dyn std::fmt::Display,
    row: u64,
    column: TimeColumn<'_>,
) -> Result<i64> {
    if time_in_range(ms) {
        return Ok(ms);
    }
    let date = DateTime::from_timestamp_millis(ms).map_or(String::new(), |t| {
        format!(" ({})", t.format("%Y-%m-%dT%H:%M:%S%.3fZ"))
    });
    Err(data_error(
        ErrorCode::InvalidTimestamp,
        format!(
            "row {row}, column {:?}: timestamp {shown}{date} is outside the years 1900-2200 \
             that event times must lie in",
            column.name
        ),
        row,
        column.number,
    ))
}

/// A column of milliseconds since the epoch (typed timestamps already converted) checked
/// against the years 1900–2200: the data error `invalid_timestamp` names the column and the
/// first bad row (rows from 1).
pub fn check_time_column(times_ms: &[i64], column: TimeColumn<'_>) -> Result<()> {
    match times_ms.iter().position(|ms| !time_in_range(*ms)) {
        None => Ok(()),
        Some(row) => check_time(times_ms[row], &times_ms[row], row as u64 + 1, column).map(|_| ()),
    }
}

/// A column of typed timestamps in `unit` (an explicit unit; `auto` is read as milliseconds)
/// as milliseconds since the epoch, rounded down (as Arrow casts them), each checked against
/// the years 1900–2200 with overflow-free arithmetic: the data error `invalid_timestamp`
/// names the column and the first bad row (rows from 1).
pub fn typed_column_to_ms(
    values: &[i64],
    unit: TimeUnit,
    column: TimeColumn<'_>,
) -> Result<Vec<i64>> {
    values
        .iter()
        .enumerate()
        .map(|(row, &v)| {
            let ms = match unit {
                TimeUnit::Seconds => v.saturating_mul(1000),
                TimeUnit::Auto | TimeUnit::Milliseconds => v,
                TimeUnit::Microseconds | TimeUnit::Nanoseconds => {
                    v.div_euclid(unit.per_second() / 1000)
                }
            };
            let shown = format!("{v} {}", unit.plural());
            check_time(ms, &shown, row as u64 + 1, column)
        })
        .collect()
}

impl TimeUnit {
    /// The explicit units, coarsest first.
    pub const UNITS: [TimeUnit; 4] = [
        TimeUnit::Seconds,
        TimeUnit::Milliseconds,
        TimeUnit::Microseconds,
        TimeUnit::Nanoseconds,
    ];

    /// `auto`, `s`, `ms`, `us` or `ns` (as in the options).
    pub fn from_name(name: &str) -> Result<TimeUnit> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(TimeUnit::Auto),
            "s" => Ok(TimeUnit::Seconds),
            "ms" => Ok(TimeUnit::Milliseconds),
            "us" => Ok(TimeUnit::Microseconds),
            "ns" => Ok(TimeUnit::Nanoseconds),
            other => Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!(
                    "unknown time unit {other:?}; use \"auto\", \"s\", \"ms\", \"us\" or \"ns\""
                ),
            )),
        }
    }

    /// The name in the options: `auto`, `s`, `ms`, `us` or `ns`.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Auto => "auto",
            TimeUnit::Seconds => "s",
            TimeUnit::Milliseconds => "ms",
            TimeUnit::Microseconds => "us",
            TimeUnit::Nanoseconds => "ns",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            TimeUnit::Auto => "epoch numbers",
            TimeUnit::Seconds => "seconds",
            TimeUnit::Milliseconds => "milliseconds",
            TimeUnit::Microseconds => "microseconds",
            TimeUnit::Nanoseconds => "nanoseconds",
        }
    }

    /// How many of this unit make a second (1 for `auto`, which has no scale of its own).
    fn per_second(self) -> i64 {
        match self {
            TimeUnit::Auto | TimeUnit::Seconds => 1,
            TimeUnit::Milliseconds => 1_000,
            TimeUnit::Microseconds => 1_000_000,
            TimeUnit::Nanoseconds => 1_000_000_000,
        }
    }

    /// The epoch numbers `auto` reads in this unit: from 1990-01-01T00:00:00Z (inclusive) to
    /// 2100-01-01T00:00:00Z (exclusive) — seconds 631 152 000 ..< 4 102 444 800, milliseconds,
    /// microseconds and nanoseconds the same times 10³, 10⁶, 10⁹. The four ranges do not
    /// overlap, so a number lands in at most one. `None` for `auto` itself.
    pub fn auto_range(self) -> Option<std::ops::Range<i64>> {
        (self != TimeUnit::Auto)
            .then(|| AUTO_FROM_SECONDS * self.per_second()..AUTO_UNTIL_SECONDS * self.per_second())
    }

    /// Whether `number`, in this unit, lands in [`TimeUnit::auto_range`].
    fn in_auto_range(self, number: EpochNumber) -> bool {
        let Some(range) = self.auto_range() else {
            return false;
        };
        match number {
            EpochNumber::Integer(v) => range.contains(&v),
            EpochNumber::Float(v) => v >= range.start as f64 && v < range.end as f64,
        }
    }

    /// The unit whose [`TimeUnit::auto_range`] holds `number`, if any.
    fn of_magnitude(number: EpochNumber) -> Option<TimeUnit> {
        TimeUnit::UNITS
            .into_iter()
            .find(|unit| unit.in_auto_range(number))
    }

    /// `number` in this explicit unit as milliseconds since the epoch, rounded to the nearest
    /// millisecond; `None` when negative, not finite, or from year ~287 000 on. Integers convert
    /// exactly (no float rounding). `auto` converts nothing.
    fn to_ms(self, number: EpochNumber) -> Option<i64> {
        let ms = match number {
            EpochNumber::Integer(v) if v < 0 => None,
            EpochNumber::Integer(v) => match self {
                TimeUnit::Auto => None,
                TimeUnit::Seconds => v.checked_mul(1000),
                TimeUnit::Milliseconds => Some(v),
                TimeUnit::Microseconds | TimeUnit::Nanoseconds => {
                    let per_ms = self.per_second() / 1000;
                    Some(v / per_ms + i64::from(v % per_ms >= per_ms / 2))
                }
            },
            EpochNumber::Float(v) if !v.is_finite() || v < 0.0 => None,
            EpochNumber::Float(v) if v.fract() == 0.0 && v < 9.0e18 => {
                return self.to_ms(EpochNumber::Integer(v as i64));
            }
            EpochNumber::Float(v) => {
                let ms = match self {
                    TimeUnit::Auto => return None,
                    TimeUnit::Seconds => v * 1000.0,
                    TimeUnit::Milliseconds => v,
                    TimeUnit::Microseconds | TimeUnit::Nanoseconds => {
                        v / (self.per_second() / 1000) as f64
                    }
                };
                (ms < MAX_MS as f64).then(|| ms.round() as i64)
            }
        };
        ms.filter(|ms| *ms < MAX_MS)
    }
}

/// An epoch number as read: an integer (converted exactly) or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum EpochNumber {
    Integer(i64),
    Float(f64),
}

impl EpochNumber {
    /// The number in `text`, if it is one (integers first, so they keep every digit).
    fn parse(text: &str) -> Option<EpochNumber> {
        if let Ok(v) = text.parse::<i64>() {
            return Some(EpochNumber::Integer(v));
        }
        // Rust reads "inf" and "NaN" as floats: they are no epoch numbers.
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(EpochNumber::Float)
    }
}

impl std::fmt::Display for EpochNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EpochNumber::Integer(v) => write!(f, "{v}"),
            // 1e300, not 301 digits.
            EpochNumber::Float(v) if v.abs() >= 1e16 => write!(f, "{v:e}"),
            EpochNumber::Float(v) => write!(f, "{v}"),
        }
    }
}

/// Where a timestamp column is, for errors: its name and number (from 1), if known.
#[derive(Debug, Clone, Copy)]
pub struct TimeColumn<'a> {
    pub name: &'a str,
    pub number: Option<u64>,
}

/// Converts a column's epoch numbers to milliseconds in the unit asked for; under `auto`, in
/// the unit its first number chose.
#[derive(Debug, Clone)]
pub(crate) struct EpochReader {
    unit: TimeUnit,
    /// Under `auto`: the unit chosen, the row and the number that chose it.
    chosen: Option<(TimeUnit, u64, EpochNumber)>,
}

impl EpochReader {
    pub(crate) fn new(unit: TimeUnit) -> EpochReader {
        EpochReader { unit, chosen: None }
    }

    /// `number` (in `row` of `column`) as milliseconds since the epoch, or a data error
    /// `invalid_timestamp` naming the column, the row and the units tried.
    pub(crate) fn read(
        &mut self,
        number: EpochNumber,
        row: u64,
        column: TimeColumn<'_>,
    ) -> Result<i64> {
        let fail = |message: String| {
            data_error(
                ErrorCode::InvalidTimestamp,
                format!("row {row}, column {:?}: {message}", column.name),
                row,
                column.number,
            )
        };
        let unit = match (self.unit, &self.chosen) {
            (TimeUnit::Auto, Some((unit, from_row, first))) => {
                if !unit.in_auto_range(number) {
                    let other = TimeUnit::of_magnitude(number).map_or(String::new(), |u| {
                        format!(" (it would be in {})", u.plural())
                    });
                    return Err(fail(format!(
                        "timestamp {number} is not between 1990-01-01 and 2100-01-01 in {}, the \
                         unit chosen from {first} in row {from_row}{other}; a column holds one \
                         unit{}",
                        unit.plural(),
                        UNIT_HINT
                    )));
                }
                *unit
            }
            (TimeUnit::Auto, None) => {
                let Some(unit) = TimeUnit::of_magnitude(number) else {
                    return Err(fail(format!(
                        "timestamp {number} is not between 1990-01-01 and 2100-01-01 in any \
                         unit (s, ms, us or ns; {}){}",
                        auto_ranges(),
                        UNIT_HINT
                    )));
                };
                self.chosen = Some((unit, row, number));
                unit
            }
            (unit, _) => unit,
        };
        let ms = unit.to_ms(number).ok_or_else(|| {
            fail(format!(
                "timestamp {number} is not an epoch time in {} (negative or too large)",
                unit.plural()
            ))
        })?;
        // Formatted only for an error: this runs once per row.
        check_time(ms, &format_args!("{number} {}", unit.plural()), row, column)
    }
}

const UNIT_HINT: &str = "; name the unit with the time unit option (s, ms, us or ns)";

/// The ranges `auto` accepts, as text for errors.
fn auto_ranges() -> String {
    TimeUnit::UNITS
        .iter()
        .filter_map(|unit| {
            unit.auto_range()
                .map(|r| format!("{} {}..{}", unit.name(), r.start, r.end))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl EventLog {
    /// An empty log with the given segment columns.
    pub fn new(segment_names: &[&str]) -> EventLog {
        EventLog {
            segments: segment_names
                .iter()
                .map(|n| Segment {
                    name: n.to_string(),
                    ..Segment::default()
                })
                .collect(),
            ..EventLog::default()
        }
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Builds a log from columns without going row by row through strings: `users` are any
    /// integer ids (codes of a dictionary-encoded column work too), `times_ms` milliseconds since
    /// the epoch, `events` indices into `event_names`. Fails with a `data` error naming the first
    /// bad row. Copies the time and event columns; [`EventLog::from_owned_columns`] takes them.
    /// The times are taken as given (analyses stay overflow-free for any `i64`): readers of
    /// outside data check them first ([`check_time_column`], [`typed_column_to_ms`]) for the
    /// years 1900–2200.
    pub fn from_columns(
        users: &[i64],
        times_ms: &[i64],
        events: &[u32],
        event_names: Vec<String>,
    ) -> Result<EventLog> {
        EventLog::from_owned_columns(users, times_ms.to_vec(), events.to_vec(), event_names)
    }

    /// [`EventLog::from_columns`] that keeps the given time and event columns without copying
    /// them.
    pub fn from_owned_columns(
        users: &[i64],
        time: Vec<i64>,
        event: Vec<u32>,
        event_names: Vec<String>,
    ) -> Result<EventLog> {
        check_columns(users.len(), &time, &event, &event_names)?;
        let (user_ids, dense) = dense_users(users);
        Ok(EventLog::assemble(
            dense,
            user_ids,
            time,
            event,
            event_names,
        ))
    }

    /// A log whose users are already interned: `users` are codes into `user_ids` (every id
    /// used, numbered in order of first appearance, as an interner makes them).
    pub fn from_interned_columns(
        users: Vec<u32>,
        user_ids: Vec<String>,
        time: Vec<i64>,
        event: Vec<u32>,
        event_names: Vec<String>,
    ) -> Result<EventLog> {
        check_columns(users.len(), &time, &event, &event_names)?;
        if let Some(row) = users.iter().position(|u| *u as usize >= user_ids.len()) {
            return Err(data_error(
                ErrorCode::InvalidValue,
                format!(
                    "user code {} has no id ({} ids)",
                    users[row],
                    user_ids.len()
                ),
                row as u64 + 1,
                None,
            ));
        }
        Ok(EventLog::assemble(
            users,
            user_ids,
            time,
            event,
            event_names,
        ))
    }

    fn assemble(
        user: Vec<u32>,
        user_ids: Vec<String>,
        time: Vec<i64>,
        event: Vec<u32>,
        event_names: Vec<String>,
    ) -> EventLog {
        let event_index = event_names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        EventLog {
            user,
            time,
            event,
            value: None,
            user_ids,
            event_names,
            segments: Vec::new(),
            skipped_rows: 0,
            user_index: HashMap::new(),
            event_index,
        }
    }

    /// For a log built by [`EventLog::from_columns`] with dictionary codes as user ids: each
    /// user id `code` becomes `names[code]` (codes without a name keep their number).
    pub fn name_users_by_code(&mut self, names: &[String]) {
        for id in &mut self.user_ids {
            if let Some(name) = id.parse::<usize>().ok().and_then(|c| names.get(c)) {
                id.clone_from(name);
            }
        }
    }

    /// Adds a categorical column from codes and their values.
    pub fn add_segment(&mut self, name: &str, codes: Vec<u32>, values: Vec<String>) -> Result<()> {
        if codes.len() != self.len() {
            return Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!(
                    "segment {name:?} has {} rows, the log {}",
                    codes.len(),
                    self.len()
                ),
            ));
        }
        if let Some(row) = codes.iter().position(|c| *c as usize >= values.len()) {
            return Err(data_error(
                ErrorCode::InvalidValue,
                format!("segment {name:?} code {} has no value", codes[row]),
                row as u64 + 1,
                None,
            ));
        }
        self.segments.push(Segment {
            name: name.to_string(),
            codes,
            values,
            index: HashMap::new(),
        });
        Ok(())
    }

    /// Interns an event name and returns its index.
    pub fn event_id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.event_index.get(name) {
            return *id;
        }
        let id = self.event_names.len() as u32;
        self.event_names.push(name.to_string());
        self.event_index.insert(name.to_string(), id);
        id
    }

    fn user_id(&mut self, user: &str) -> u32 {
        if let Some(id) = self.user_index.get(user) {
            return *id;
        }
        let id = self.user_ids.len() as u32;
        self.user_ids.push(user.to_string());
        self.user_index.insert(user.to_string(), id);
        id
    }

    /// Appends one event. `segments` must have one value per segment column.
    pub fn push(
        &mut self,
        user: &str,
        time_ms: i64,
        event: &str,
        segments: &[&str],
        value: Option<f64>,
    ) {
        let user = self.user_id(user);
        let event = self.event_id(event);
        self.user.push(user);
        self.time.push(time_ms);
        self.event.push(event);
        for (segment, v) in self.segments.iter_mut().zip(segments) {
            segment.push(v);
        }
        if let Some(v) = value {
            let rows = self.time.len();
            self.value
                .get_or_insert_with(|| vec![f64::NAN; rows - 1])
                .push(v);
        } else if let Some(values) = &mut self.value {
            values.push(f64::NAN);
        }
    }

    /// The segment column with this name.
    pub fn segment(&self, name: &str) -> Result<&Segment> {
        self.segments
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| {
                CjmError::usage(
                    ErrorCode::UnknownColumn,
                    format!(
                        "the event log has no column {name:?}; segment columns: {}",
                        self.segments
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    /// Earliest and latest timestamps (ms), when the log is not empty.
    pub fn period(&self) -> Option<(i64, i64)> {
        let min = self.time.iter().min()?;
        let max = self.time.iter().max()?;
        Some((*min, *max))
    }
}

/// The columns of a log agree in length and every event code has a name.
fn check_columns(users: usize, time: &[i64], event: &[u32], event_names: &[String]) -> Result<()> {
    if users != time.len() || users != event.len() {
        return Err(CjmError::usage(
            ErrorCode::InvalidOption,
            format!(
                "columns differ in length: user_id {users}, timestamp {}, event {}",
                time.len(),
                event.len()
            ),
        ));
    }
    if let Some(row) = event.iter().position(|e| *e as usize >= event_names.len()) {
        return Err(data_error(
            ErrorCode::InvalidValue,
            format!(
                "event code {} has no name ({} names)",
                event[row],
                event_names.len()
            ),
            row as u64 + 1,
            None,
        ));
    }
    Ok(())
}

/// Dense user indices for integer ids, and each index's id as text. Compact ids (the usual
/// case: row ids, dictionary codes) are numbered in ascending order through a presence bitmap
/// with a running count per 64-bit word, which stays in cache where a per-id table would not;
/// other ids through a hash map, in order of first appearance.
fn dense_users(users: &[i64]) -> (Vec<String>, Vec<u32>) {
    let (Some(&min), Some(&max)) = (users.iter().min(), users.iter().max()) else {
        return (Vec::new(), Vec::new());
    };
    let span = (max as i128 - min as i128 + 1) as u128;
    let mut user_ids = Vec::new();
    if span <= (64 * users.len() as u128).max(1 << 16) {
        // (bits present in the word, users numbered before it)
        let mut words = vec![(0u64, 0u32); span.div_ceil(64) as usize];
        let offset = |u: i64| (u as i128 - min as i128) as usize;
        for &u in users {
            let o = offset(u);
            words[o >> 6].0 |= 1 << (o & 63);
        }
        for (w, (bits, before)) in words.iter_mut().enumerate() {
            *before = user_ids.len() as u32;
            let mut rest = *bits;
            while rest != 0 {
                let bit = rest.trailing_zeros() as i64;
                user_ids.push((min + (w as i64) * 64 + bit).to_string());
                rest &= rest - 1;
            }
        }
        let dense = users
            .iter()
            .map(|&u| {
                let o = offset(u);
                let (bits, before) = words[o >> 6];
                before + (bits & ((1u64 << (o & 63)) - 1)).count_ones()
            })
            .collect();
        (user_ids, dense)
    } else {
        let mut index: HashMap<i64, u32> = HashMap::with_capacity(users.len() / 4);
        let dense = users
            .iter()
            .map(|&u| {
                let next = user_ids.len() as u32;
                *index.entry(u).or_insert_with(|| {
                    user_ids.push(u.to_string());
                    next
                })
            })
            .collect();
        (user_ids, dense)
    }
}

pub(crate) fn data_error(
    code: ErrorCode,
    message: String,
    row: u64,
    column: Option<u64>,
) -> CjmError {
    CjmError::Data {
        code,
        message,
        location: Location {
            path: None,
            line: Some(row),
            column,
        },
    }
}

/// Parses a single timestamp, such as a period bound: an ISO-8601 date-time with or without
/// offset (without: UTC), a date, or an epoch number in the unit in which it lands between
/// 1990-01-01 and 2100-01-01 (see [`TimeUnit::auto_range`]). Returns milliseconds since the
/// epoch.
///
/// ```
/// use cjm_core::parse_timestamp;
/// assert_eq!(parse_timestamp("1700000000"), Some(1_700_000_000_000));
/// assert_eq!(parse_timestamp("1700000000000000"), Some(1_700_000_000_000));
/// assert_eq!(parse_timestamp("2024-05-01T10:00:00Z"), parse_timestamp("2024-05-01 13:00:00+03:00"));
/// assert_eq!(parse_timestamp("2024-05-01"), Some(1_714_521_600_000));
/// assert_eq!(parse_timestamp("5"), None);
/// assert_eq!(parse_timestamp("yesterday"), None);
/// ```
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    match EpochNumber::parse(text) {
        Some(number) => TimeUnit::of_magnitude(number)?.to_ms(number),
        None => parse_iso(text),
    }
    .filter(|ms| time_in_range(*ms))
}

/// An ISO-8601 date-time (without offset: UTC) or date as milliseconds since the epoch.
fn parse_iso(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp_millis());
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt.timestamp_millis());
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp_millis())
}

/// A timestamp cell of a text format (CSV, NDJSON, Parquet text): an epoch number through
/// `epochs` (the column's unit), else ISO-8601 text.
pub(crate) fn timestamp_cell(
    text: &str,
    epochs: &mut EpochReader,
    row: u64,
    column: TimeColumn<'_>,
) -> Result<i64> {
    let text = text.trim();
    if let Some(number) = EpochNumber::parse(text) {
        return epochs.read(number, row, column);
    }
    let ms = parse_iso(text).ok_or_else(|| {
        data_error(
            ErrorCode::InvalidTimestamp,
            format!(
                "row {row}, column {:?}: timestamp {:?} is neither an epoch number nor an \
                 ISO-8601 date-time",
                column.name,
                crate::error::excerpt(text)
            ),
            row,
            column.number,
        )
    })?;
    check_time(
        ms,
        &format_args!("{:?}", crate::error::excerpt(text)),
        row,
        column,
    )
}

/// One epoch number in `unit` as milliseconds since the epoch (rounded to the nearest
/// millisecond); under `auto` in the unit in which it lands between 1990-01-01 and 2100-01-01.
/// `None` when negative, not finite, too large, or (`auto`) in that range in no unit.
///
/// ```
/// use cjm_core::{TimeUnit, epoch_to_ms};
/// assert_eq!(epoch_to_ms(1_700_000_000.5, TimeUnit::Seconds), Some(1_700_000_000_500));
/// assert_eq!(epoch_to_ms(1.7e15, TimeUnit::Auto), Some(1_700_000_000_000));
/// assert_eq!(epoch_to_ms(5.0, TimeUnit::Auto), None);
/// assert_eq!(epoch_to_ms(5.0, TimeUnit::Seconds), Some(5_000));
/// ```
pub fn epoch_to_ms(number: f64, unit: TimeUnit) -> Option<i64> {
    let number = EpochNumber::Float(number);
    match unit {
        TimeUnit::Auto => TimeUnit::of_magnitude(number)?.to_ms(number),
        unit => unit.to_ms(number),
    }
    .filter(|ms| time_in_range(*ms))
}

/// An integer column of epoch numbers in `unit` as milliseconds (under `auto`, the unit is
/// chosen from the first number and every number must land between 1990-01-01 and 2100-01-01
/// in it; negative and too large values are refused in every unit): a data error
/// `invalid_timestamp` names the column and the first bad row (rows from 1).
pub fn epoch_column_to_ms(
    numbers: &[i64],
    unit: TimeUnit,
    column: TimeColumn<'_>,
) -> Result<Vec<i64>> {
    epoch_numbers_to_ms(
        numbers.iter().map(|&n| EpochNumber::Integer(n)),
        unit,
        column,
    )
}

/// [`epoch_column_to_ms`] for a float column (seconds or milliseconds with fractions, or any
/// unit held as floats); NaN and infinities are refused like out-of-range numbers.
pub fn epoch_float_column_to_ms(
    numbers: &[f64],
    unit: TimeUnit,
    column: TimeColumn<'_>,
) -> Result<Vec<i64>> {
    epoch_numbers_to_ms(numbers.iter().map(|&n| EpochNumber::Float(n)), unit, column)
}

/// One column of epoch numbers through one [`EpochReader`] (rows numbered from 1).
fn epoch_numbers_to_ms(
    numbers: impl Iterator<Item = EpochNumber>,
    unit: TimeUnit,
    column: TimeColumn<'_>,
) -> Result<Vec<i64>> {
    let mut epochs = EpochReader::new(unit);
    numbers
        .enumerate()
        .map(|(row, number)| epochs.read(number, row as u64 + 1, column))
        .collect()
}

/// The segment value of an empty cell, a null or a missing key: a group of its own in breakdowns
/// and comparisons, never a failed read.
pub const NO_VALUE: &str = "(none)";

pub(crate) struct Columns {
    pub user: usize,
    pub time: usize,
    /// The timestamp column's name as the header spells it.
    pub time_name: String,
    /// The user and event columns' names as the header spells them.
    pub user_name: String,
    pub event_name: String,
    pub event: usize,
    pub value: Option<usize>,
    pub segments: Vec<usize>,
}

/// Finds the columns of each role in a header: the standard names, or those `map` gives.
pub(crate) fn columns(header: &[String], map: &ColumnMap) -> Result<Columns> {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    };
    let found = || crate::error::excerpt(&header.join(", "));
    // Two columns of one name (ignoring case and surrounding spaces) would make every lookup
    // by name ambiguous: refused, naming the second. Blank names (trailing commas of a
    // spreadsheet export) are no names and are let through as before.
    for (second, name) in header.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if let Some(first) = header[..second]
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
        {
            return Err(data_error(
                ErrorCode::DuplicateColumn,
                format!(
                    "columns {} and {} are both named {name:?}; column names must be unique",
                    first + 1,
                    second + 1
                ),
                1,
                Some(second as u64 + 1),
            ));
        }
    }
    let mut chosen: [Option<usize>; 4] = [None; 4];
    for (slot, (role, mapped, standard)) in map.entries().into_iter().enumerate() {
        let index = match mapped {
            Some(name) => Some(find(name).ok_or_else(|| {
                data_error(
                    ErrorCode::MissingColumn,
                    format!(
                        "the column mapping gives {name:?} for {role}, but the event log has no such column (found: {})",
                        found()
                    ),
                    1,
                    None,
                )
            })?),
            None => find(standard),
        };
        if role != "value" && index.is_none() {
            return Err(data_error(
                ErrorCode::MissingColumn,
                format!(
                    "the event log needs a {standard:?} column (found: {}); map another column to {role} with the column mapping, e.g. {role}=NAME",
                    found()
                ),
                1,
                None,
            ));
        }
        if let Some(index) = index
            && let Some(other) = chosen[..slot].iter().position(|c| *c == Some(index))
        {
            return Err(CjmError::usage(
                ErrorCode::InvalidOption,
                format!(
                    "column {:?} is mapped to both {} and {role}",
                    header[index].trim(),
                    ColumnMap::ROLES[other]
                ),
            ));
        }
        chosen[slot] = index;
    }
    // The three required roles were found above; `missing` covers the type system's doubt.
    let missing = || data_error(ErrorCode::MissingColumn, "missing column".into(), 1, None);
    let [user, time, event, value] = chosen;
    let (user, time, event) = (
        user.ok_or_else(missing)?,
        time.ok_or_else(missing)?,
        event.ok_or_else(missing)?,
    );
    Ok(Columns {
        user,
        time,
        time_name: header[time].trim().to_string(),
        user_name: header[user].trim().to_string(),
        event_name: header[event].trim().to_string(),
        event,
        value,
        segments: (0..header.len())
            .filter(|i| !chosen.contains(&Some(*i)))
            .collect(),
    })
}

fn row_into(
    log: &mut EventLog,
    cols: &Columns,
    cells: &[&str],
    row: u64,
    epochs: &mut EpochReader,
) -> Result<()> {
    let cell = |i: usize| cells.get(i).copied().unwrap_or("");
    let user = cell(cols.user).trim();
    if user.is_empty() {
        return Err(data_error(
            ErrorCode::MissingValue,
            format!("{} is empty", cols.user_name),
            row,
            Some(cols.user as u64 + 1),
        ));
    }
    let event = cell(cols.event).trim();
    if event.is_empty() {
        return Err(data_error(
            ErrorCode::MissingValue,
            format!("{} is empty", cols.event_name),
            row,
            Some(cols.event as u64 + 1),
        ));
    }
    let time = timestamp_cell(
        cell(cols.time),
        epochs,
        row,
        TimeColumn {
            name: cols.time_name.as_str(),
            number: Some(cols.time as u64 + 1),
        },
    )?;
    let value = match cols.value.map(cell).map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    data_error(
                        ErrorCode::InvalidValue,
                        format!(
                            "value {:?} is not a finite number",
                            crate::error::excerpt(text)
                        ),
                        row,
                        cols.value.map(|i| i as u64 + 1),
                    )
                })?,
        ),
    };
    let segments: Vec<&str> = cols
        .segments
        .iter()
        .map(|i| match cell(*i).trim() {
            "" => NO_VALUE,
            text => text,
        })
        .collect();
    log.push(user, time, event, &segments, value);
    Ok(())
}

fn handle(log: &mut EventLog, result: Result<()>, options: &ReadOptions) -> Result<()> {
    match result {
        Err(_) if options.skip_bad_rows => {
            log.skipped_rows += 1;
            Ok(())
        }
        other => other,
    }
}

/// Reads a CSV event log with a header naming `user_id`, `timestamp`, `event`, optionally
/// `value`; every other column is a segment. Errors carry the line and column.
pub fn read_events_csv(text: &str, options: &ReadOptions) -> Result<EventLog> {
    csv_with(text, options, &mut Reporter::none())
}

fn csv_with(text: &str, options: &ReadOptions, reporter: &mut Reporter) -> Result<EventLog> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| data_error(ErrorCode::CsvSyntax, format!("CSV: {e}"), 1, None))?
        .iter()
        .map(str::to_string)
        .collect();
    let cols = columns(&header, &options.columns)?;
    let names: Vec<&str> = cols.segments.iter().map(|i| header[*i].trim()).collect();
    let mut log = EventLog::new(&names);
    let mut epochs = EpochReader::new(options.time_unit);
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                let result = if record.len() != header.len() {
                    Err(data_error(
                        ErrorCode::CsvSyntax,
                        format!(
                            "row has {} fields but the header has {}",
                            record.len(),
                            header.len()
                        ),
                        line,
                        None,
                    ))
                } else {
                    let cells: Vec<&str> = record.iter().collect();
                    row_into(&mut log, &cols, &cells, line, &mut epochs)
                };
                handle(&mut log, result, options)?;
                reporter.tick(|| reader.position().byte())?;
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                handle(
                    &mut log,
                    Err(data_error(
                        ErrorCode::CsvSyntax,
                        format!("CSV: {e}"),
                        line,
                        None,
                    )),
                    options,
                )?;
            }
        }
    }
    reporter.finish()?;
    Ok(log)
}

/// Reads newline-delimited JSON: one object per line with `user_id`, `timestamp` (string or
/// number), `event`, optionally `value`; other string or number fields are segments (their
/// names are taken from the first line).
pub fn read_events_ndjson(text: &str, options: &ReadOptions) -> Result<EventLog> {
    ndjson_with(text, options, &mut Reporter::none())
}

fn ndjson_with(text: &str, options: &ReadOptions, reporter: &mut Reporter) -> Result<EventLog> {
    let mut log: Option<(EventLog, Columns, Vec<String>)> = None;
    let mut epochs = EpochReader::new(options.time_unit);
    let start = text.as_ptr() as usize;
    for (index, line) in text.lines().enumerate() {
        let row = index as u64 + 1;
        reporter.tick(|| (line.as_ptr() as usize - start) as u64)?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: std::result::Result<serde_json::Map<String, serde_json::Value>, _> =
            serde_json::from_str(line);
        let object = match parsed {
            Ok(object) => object,
            Err(e) => {
                let error = data_error(
                    ErrorCode::JsonSyntax,
                    format!("JSON: {e}"),
                    row,
                    Some(e.column() as u64),
                );
                match &mut log {
                    Some((l, _, _)) => {
                        handle(l, Err(error), options)?;
                        continue;
                    }
                    None if options.skip_bad_rows => continue,
                    None => return Err(error),
                }
            }
        };
        if log.is_none() {
            let header: Vec<String> = object.keys().cloned().collect();
            let cols = columns(&header, &options.columns).map_err(|e| match e {
                CjmError::Data { code, message, .. } => data_error(code, message, row, None),
                other => other,
            })?;
            let names: Vec<&str> = cols.segments.iter().map(|i| header[*i].as_str()).collect();
            log = Some((EventLog::new(&names), cols, header));
        }
        let Some((l, cols, header)) = &mut log else {
            continue;
        };
        // A null or missing key is an empty cell; an array or object is refused as what it is,
        // not reported as "empty".
        let texts: Result<Vec<String>> = header
            .iter()
            .enumerate()
            .map(|(column, key)| match object.get(key) {
                Some(serde_json::Value::String(s)) => Ok(s.clone()),
                Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
                Some(serde_json::Value::Bool(b)) => Ok(b.to_string()),
                Some(serde_json::Value::Null) | None => Ok(String::new()),
                Some(other) => Err(data_error(
                    ErrorCode::InvalidValue,
                    format!(
                        "{} is a JSON {}, not text or a number",
                        crate::error::excerpt(key),
                        if other.is_array() { "array" } else { "object" }
                    ),
                    row,
                    Some(column as u64 + 1),
                )),
            })
            .collect();
        let result = texts.and_then(|texts| {
            let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
            row_into(l, cols, &cells, row, &mut epochs)
        });
        handle(l, result, options)?;
    }
    reporter.finish()?;
    Ok(log.map(|(l, _, _)| l).unwrap_or_default())
}

/// How an event log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventFormat {
    /// A header naming `user_id`, `timestamp`, `event` (and optionally `value`, segments).
    Csv,
    /// One JSON object per line (`jsonl` is the same).
    Ndjson,
    /// Apache Parquet, read by column (builds with the core's `parquet` feature; others fail
    /// with `unsupported_format`).
    Parquet,
}

impl EventFormat {
    /// The format's name: `csv`, `ndjson` or `parquet`.
    pub fn name(self) -> &'static str {
        match self {
            EventFormat::Csv => "csv",
            EventFormat::Ndjson => "ndjson",
            EventFormat::Parquet => "parquet",
        }
    }

    /// `csv`, `ndjson`, `jsonl` or `parquet`.
    pub fn from_name(name: &str) -> Result<EventFormat> {
        match name
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "csv" => Ok(EventFormat::Csv),
            "ndjson" | "jsonl" => Ok(EventFormat::Ndjson),
            "parquet" | "pq" => Ok(EventFormat::Parquet),
            other => Err(CjmError::usage(
                ErrorCode::UnsupportedFormat,
                format!(
                    "unknown event log format {other:?}; use \"csv\", \"ndjson\" or \"parquet\""
                ),
            )),
        }
    }

    /// The format from a file name: `.csv`, `.ndjson`, `.jsonl` or `.parquet`.
    pub fn from_path(path: &str) -> Result<EventFormat> {
        // `events.csv.gz`: the format of the name inside the compression.
        let inner = path.strip_suffix(".gz").unwrap_or(path);
        let extension = inner.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
        EventFormat::from_name(extension).map_err(|_| {
            CjmError::usage(
                ErrorCode::UnsupportedFormat,
                format!(
                    "{path:?}: event logs are .csv, .ndjson/.jsonl (either may be .gz) or .parquet; or name the format"
                ),
            )
        })
    }
}

/// The most a gzip member may inflate to, per compressed byte: CSV and NDJSON logs compress
/// 5-20×, very repetitive ones up to about 100×; a bomb compresses about 1000×.
const GZIP_MAX_RATIO: usize = 256;
/// The least a gzip input may inflate to, whatever its size.
const GZIP_MIN_LIMIT: usize = 256 << 20;

/// The inflated bytes of gzip input (it starts with the gzip magic `1f 8b`), `None` for other
/// input. Refused (`input_too_large`) past [`GZIP_MAX_RATIO`] times the compressed size (at
/// least [`GZIP_MIN_LIMIT`]), before allocating more; corrupt data is `invalid_value`.
fn gunzip(bytes: &[u8]) -> Result<Option<Vec<u8>>> {
    let limit = bytes
        .len()
        .saturating_mul(GZIP_MAX_RATIO)
        .max(GZIP_MIN_LIMIT);
    gunzip_within(bytes, limit)
}

fn gunzip_within(bytes: &[u8], limit: usize) -> Result<Option<Vec<u8>>> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(None);
    }
    let mut out = Vec::new();
    // One byte past the limit tells a file at the limit from a larger one.
    let mut reader = flate2::read::MultiGzDecoder::new(bytes).take(limit as u64 + 1);
    reader.read_to_end(&mut out).map_err(|error| {
        data_error(
            ErrorCode::InvalidValue,
            format!("the gzip data cannot be read: {error}"),
            1,
            None,
        )
    })?;
    if out.len() > limit {
        return Err(CjmError::parse(
            ErrorCode::InputTooLarge,
            format!(
                "the gzip input inflates to more than {limit} bytes (at most {GZIP_MAX_RATIO}× its {} bytes, or 256 MiB); decompress it first if it is genuine",
                bytes.len()
            ),
            crate::error::Location::default(),
        ));
    }
    Ok(Some(out))
}

/// Reads an event log from bytes in the given format; invalid UTF-8 is reported with its line
/// and column. CSV and NDJSON may come gzip-compressed (read by their magic bytes).
pub fn read_events(bytes: &[u8], format: EventFormat, options: &ReadOptions) -> Result<EventLog> {
    read_events_with(bytes, format, options, None)
}

/// [`read_events`] reporting its progress to `progress` (phase `read`: bytes of CSV/NDJSON,
/// rows of Parquet; every 65 536 rows and once at the end); the callback returning `false`
/// cancels with the `cancelled` error.
pub fn read_events_with(
    bytes: &[u8],
    format: EventFormat,
    options: &ReadOptions,
    progress: Option<ProgressFn>,
) -> Result<EventLog> {
    if format == EventFormat::Parquet {
        #[cfg(feature = "parquet")]
        return super::parquet::read_events_parquet(
            bytes::Bytes::copy_from_slice(bytes),
            options,
            progress,
        );
        #[cfg(not(feature = "parquet"))]
        return Err(CjmError::usage(
            ErrorCode::UnsupportedFormat,
            "this build of cjm reads no Parquet (the core's `parquet` feature is off); use CSV or NDJSON",
        ));
    }
    let inflated = gunzip(bytes)?;
    let bytes = inflated.as_deref().unwrap_or(bytes);
    let text = crate::formats::utf8(bytes, "the event log")?;
    let mut reporter = Reporter::new(
        progress,
        ProgressPhase::Read,
        ProgressUnit::Bytes,
        text.len() as u64,
    );
    match format {
        EventFormat::Ndjson => ndjson_with(text, options, &mut reporter),
        _ => csv_with(text, options, &mut reporter),
    }
}

#[cfg(test)]
mod gzip_tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_logs_read_as_the_plain_ones() {
        let csv = include_bytes!("../../../tests/inputs/events/basic.csv");
        let plain = read_events(csv, EventFormat::Csv, &ReadOptions::default()).unwrap();
        let packed = read_events(&gzip(csv), EventFormat::Csv, &ReadOptions::default()).unwrap();
        assert_eq!(packed.user_ids, plain.user_ids);
        assert_eq!((&packed.time, &packed.event), (&plain.time, &plain.event));
        // Two concatenated members are one stream, as `cat a.gz b.gz` makes.
        let (head, tail) = csv.split_at(csv.iter().position(|&b| b == b'\n').unwrap() + 1);
        let two = [gzip(head), gzip(tail)].concat();
        let again = read_events(&two, EventFormat::Csv, &ReadOptions::default()).unwrap();
        assert_eq!(again.len(), plain.len());
        assert_eq!(
            EventFormat::from_path("x/events.csv.gz").unwrap(),
            EventFormat::Csv
        );
        assert_eq!(
            EventFormat::from_path("events.jsonl.gz").unwrap(),
            EventFormat::Ndjson
        );
    }

    #[test]
    fn a_gzip_bomb_is_refused_at_its_limit_and_corrupt_data_is_invalid() {
        let bomb = gzip(&vec![b'a'; 1 << 20]);
        assert!(bomb.len() < 4096, "{}", bomb.len());
        let error = gunzip_within(&bomb, 100_000).unwrap_err();
        assert_eq!(error.code(), "input_too_large");
        assert_eq!(
            gunzip_within(&bomb, 1 << 20).unwrap().unwrap().len(),
            1 << 20
        );
        let mut corrupt = gzip(b"user_id,timestamp,event\n");
        let middle = corrupt.len() / 2;
        corrupt[middle] ^= 0xff;
        let error = read_events(&corrupt, EventFormat::Csv, &ReadOptions::default()).unwrap_err();
        assert_eq!(error.code(), "invalid_value", "{error}");
        let truncated = &gzip(b"user_id,timestamp,event\nu,2024-05-01T00:00:00Z,a\n")[..20];
        assert!(read_events(truncated, EventFormat::Csv, &ReadOptions::default()).is_err());
    }
}
