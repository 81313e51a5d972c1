//! Parquet event logs (feature `parquet`): the file is decoded to Arrow arrays in batches of
//! 65 536 rows and read by column, with the same columns and rules as CSV: `user_id` (text or
//! integer), `timestamp` (a Parquet timestamp or date in its own unit, epoch numbers in the unit of
//! [`ReadOptions::time_unit`], or ISO-8601 text), `event` (text, dictionary-encoded or not), optionally `value` (a number);
//! every other column is a segment. A null cell is a bad row (`missing_value`; a null `value`
//! is just no value). Rows are numbered from 1 (`line` in errors); columns too (`column`).

use crate::error::ErrorCode;
use std::borrow::Cow;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrowPrimitiveType};
use arrow_schema::{DataType, TimeUnit};
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::log::{
    EpochNumber, EpochReader, EventLog, ReadOptions, TimeColumn, check_time, columns, data_error,
    timestamp_cell,
};
use super::parquet_pages::{PageProblem, find_bad_page, footer_problem};
use super::progress::{ProgressFn, ProgressPhase, ProgressUnit, REPORT_EVERY, Reporter};
use crate::error::{CjmError, Location, Result};

fn invalid_parquet(message: impl std::fmt::Display, row: Option<u64>) -> CjmError {
    CjmError::Data {
        code: ErrorCode::InvalidParquet,
        message: format!("not a readable Parquet file: {message}"),
        location: Location {
            path: None,
            line: row,
            column: None,
        },
    }
}

/// Reads a Parquet event log from its bytes (`Bytes::from(vec)` does not copy). Reports its
/// progress in rows (phase `read`), after every batch of 65 536 rows; the callback returning
/// `false` cancels with `cancelled`. A corrupt or truncated file fails with `invalid_parquet`,
/// a column of a type that cannot hold what it should with `wrong_column_type` (naming the
/// column), a missing column with `missing_column`, a bad cell as a bad row of a CSV file.
pub fn read_events_parquet(
    data: Bytes,
    options: &ReadOptions,
    progress: Option<ProgressFn>,
) -> Result<EventLog> {
    // The decoder is not ours: should it panic on a hostile file, that is an error, not a crash.
    match catch_unwind(AssertUnwindSafe(|| read(data, options, progress))) {
        Ok(result) => result,
        Err(_) => Err(invalid_parquet("the decoder failed on corrupt data", None)),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    User,
    Time,
    Event,
    Value,
    Segment,
}

fn is_text(kind: &DataType) -> bool {
    matches!(
        kind,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

fn is_integer(kind: &DataType) -> bool {
    kind.is_integer()
}

fn is_number(kind: &DataType) -> bool {
    kind.is_integer() || kind.is_floating()
}

/// Whether a column of this type can be read in this role.
fn accepts(role: Role, kind: &DataType) -> bool {
    if let DataType::Dictionary(_, values) = kind {
        return matches!(role, Role::User | Role::Event | Role::Segment | Role::Time)
            && (is_text(values) || is_integer(values));
    }
    match role {
        Role::User | Role::Event => is_text(kind) || is_integer(kind),
        Role::Segment => is_text(kind) || is_integer(kind) || *kind == DataType::Boolean,
        Role::Time => {
            is_text(kind)
                || is_number(kind)
                || matches!(
                    kind,
                    DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64
                )
        }
        Role::Value => is_number(kind) || is_text(kind),
    }
}

fn expected(role: Role) -> &'static str {
    match role {
        Role::User => "text or integers",
        Role::Event => "text (plain or dictionary-encoded) or integers",
        Role::Segment => "text, integers or booleans",
        Role::Time => "a timestamp, a date, epoch numbers or ISO-8601 text",
        Role::Value => "numbers",
    }
}

/// One cell as the reader sees it.
enum Cell<'a> {
    Null,
    Text(Cow<'a, str>),
    Int(i64),
    /// A number that is not an integer (or an integer out of `i64`).
    Float(f64),
    /// Milliseconds since the epoch from a temporal column.
    Millis(i64),
}

fn primitive<'a, T: ArrowPrimitiveType>(
    array: &'a dyn Array,
    to: impl Fn(T::Native) -> Cell<'a> + 'a,
) -> Option<Vec<Cell<'a>>> {
    let array = array.as_primitive_opt::<T>()?;
    Some(
        (0..array.len())
            .map(|i| {
                if array.is_null(i) {
                    Cell::Null
                } else {
                    to(array.value(i))
                }
            })
            .collect(),
    )
}

/// The cells of a column (any type this reader accepts); `None` for any other type.
fn cells(array: &dyn Array) -> Option<Vec<Cell<'_>>> {
    if let Some(strings) = array.as_string_opt::<i32>() {
        return Some(
            strings
                .iter()
                .map(|s| s.map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s))))
                .collect(),
        );
    }
    if let Some(strings) = array.as_string_opt::<i64>() {
        return Some(
            strings
                .iter()
                .map(|s| s.map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s))))
                .collect(),
        );
    }
    if let Some(strings) = array.as_string_view_opt() {
        return Some(
            strings
                .iter()
                .map(|s| s.map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s))))
                .collect(),
        );
    }
    if let Some(dictionary) = array.as_any_dictionary_opt() {
        let values = cells(dictionary.values().as_ref())?;
        let keys = cells(dictionary.keys())?;
        return Some(
            keys.into_iter()
                .map(|key| match key {
                    Cell::Int(k) => match usize::try_from(k).ok().and_then(|k| values.get(k)) {
                        Some(Cell::Text(s)) => Cell::Text(s.clone()),
                        Some(Cell::Int(v)) => Cell::Int(*v),
                        _ => Cell::Null,
                    },
                    _ => Cell::Null,
                })
                .collect(),
        );
    }
    if let Some(booleans) = array.as_boolean_opt() {
        return Some(
            booleans
                .iter()
                .map(|b| b.map_or(Cell::Null, |b| Cell::Text(Cow::Owned(b.to_string()))))
                .collect(),
        );
    }
    let int = |v: i64| Cell::Int(v);
    let wide = |v: u64| i64::try_from(v).map_or(Cell::Float(v as f64), Cell::Int);
    let float = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Cell::Int(v as i64)
        } else {
            Cell::Float(v)
        }
    };
    let millis = |v: i64| Cell::Millis(v);
    match array.data_type() {
        DataType::Int8 => primitive::<Int8Type>(array, move |v| int(v.into())),
        DataType::Int16 => primitive::<Int16Type>(array, move |v| int(v.into())),
        DataType::Int32 => primitive::<Int32Type>(array, move |v| int(v.into())),
        DataType::Int64 => primitive::<Int64Type>(array, int),
        DataType::UInt8 => primitive::<UInt8Type>(array, move |v| int(v.into())),
        DataType::UInt16 => primitive::<UInt16Type>(array, move |v| int(v.into())),
        DataType::UInt32 => primitive::<UInt32Type>(array, move |v| int(v.into())),
        DataType::UInt64 => primitive::<UInt64Type>(array, wide),
        DataType::Float16 => primitive::<Float16Type>(array, move |v| float(v.to_f64())),
        DataType::Float32 => primitive::<Float32Type>(array, move |v| float(v.into())),
        DataType::Float64 => primitive::<Float64Type>(array, float),
        DataType::Date32 => {
            primitive::<Date32Type>(array, move |d| millis(i64::from(d) * 86_400_000))
        }
        DataType::Date64 => primitive::<Date64Type>(array, millis),
        DataType::Timestamp(TimeUnit::Second, _) => {
            primitive::<TimestampSecondType>(array, move |s| millis(s.saturating_mul(1000)))
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            primitive::<TimestampMillisecondType>(array, millis)
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            primitive::<TimestampMicrosecondType>(array, move |us| millis(us.div_euclid(1000)))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            primitive::<TimestampNanosecondType>(array, move |ns| millis(ns.div_euclid(1_000_000)))
        }
        _ => None,
    }
}

fn text<'c>(cell: &'c Cell<'_>) -> Option<Cow<'c, str>> {
    match cell {
        Cell::Text(s) => Some(Cow::Borrowed(s.trim())),
        Cell::Int(v) => Some(Cow::Owned(v.to_string())),
        Cell::Float(v) => Some(Cow::Owned(v.to_string())),
        Cell::Null | Cell::Millis(_) => None,
    }
}

/// Distinct texts of one column, in order of first appearance.
#[derive(Default)]
struct Interner {
    index: HashMap<String, u32>,
    values: Vec<String>,
}

impl Interner {
    fn code(&mut self, text: &str) -> u32 {
        if let Some(code) = self.index.get(text) {
            return *code;
        }
        let code = self.values.len() as u32;
        self.values.push(text.to_string());
        self.index.insert(text.to_string(), code);
        code
    }
}

fn read(data: Bytes, options: &ReadOptions, progress: Option<ProgressFn>) -> Result<EventLog> {
    if let Some(problem) = footer_problem(&data) {
        return Err(invalid_parquet(problem, None));
    }
    let builder = ParquetRecordBatchReaderBuilder::try_new(data.clone())
        .map_err(|e| invalid_parquet(e, None))?;
    if let Some(page) = find_bad_page(&data, builder.metadata()) {
        let what = match page.problem {
            PageProblem::Impossible {
                declared,
                compressed,
            } => format!(
                "declares {declared} bytes uncompressed, more than its {compressed} compressed \
                 bytes can hold"
            ),
            PageProblem::Dictionary { values, bytes } => format!(
                "is a dictionary declaring {values} values, more than its {bytes} bytes can hold"
            ),
            PageProblem::Malformed => "has a header that is not well-formed Thrift".to_string(),
        };
        return Err(invalid_parquet(
            format_args!(
                "a page of column {:?} in row group {} {what}",
                page.column,
                page.row_group + 1
            ),
            None,
        ));
    }
    let total = u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let schema = builder.schema().clone();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let cols = columns(&header).map_err(|error| match error {
        CjmError::Data {
            code,
            message,
            location,
        } => CjmError::Data {
            code,
            message,
            location: Location {
                column: location.column,
                ..Location::default()
            },
        },
        other => other,
    })?;
    let mut roles = vec![(cols.user, Role::User), (cols.time, Role::Time)];
    roles.push((cols.event, Role::Event));
    roles.extend(cols.value.map(|i| (i, Role::Value)));
    roles.extend(cols.segments.iter().map(|i| (*i, Role::Segment)));
    for (index, role) in &roles {
        let field = schema.field(*index);
        if !accepts(*role, field.data_type()) {
            return Err(CjmError::Data {
                code: ErrorCode::WrongColumnType,
                message: format!(
                    "column {:?} is of type {}; it should hold {}",
                    field.name(),
                    field.data_type(),
                    expected(*role)
                ),
                location: Location {
                    path: None,
                    line: None,
                    column: Some(*index as u64 + 1),
                },
            });
        }
    }
    let integer_users = match schema.field(cols.user).data_type() {
        DataType::Dictionary(_, values) => is_integer(values),
        kind => is_integer(kind),
    };
    let reader = builder
        .with_batch_size(REPORT_EVERY as usize)
        .build()
        .map_err(|e| invalid_parquet(e, None))?;

    let mut reporter = Reporter::new(progress, ProgressPhase::Read, ProgressUnit::Rows, total);
    let mut users: Vec<i64> = Vec::new();
    let mut user_names = Interner::default();
    let mut times: Vec<i64> = Vec::new();
    let mut events: Vec<u32> = Vec::new();
    let mut event_names = Interner::default();
    let mut segments: Vec<(Vec<u32>, Interner)> = cols
        .segments
        .iter()
        .map(|_| (Vec::new(), Interner::default()))
        .collect();
    let mut values: Vec<f64> = Vec::new();
    let mut epochs = EpochReader::new(options.time_unit);
    let mut skipped = 0u64;
    let mut rows_before = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| invalid_parquet(e, Some(rows_before + 1)))?;
        let column = |index: usize| {
            cells(batch.column(index).as_ref()).ok_or_else(|| {
                invalid_parquet(
                    format!("column {:?} changed type", header[index]),
                    Some(rows_before + 1),
                )
            })
        };
        let user_cells = column(cols.user)?;
        let time_cells = column(cols.time)?;
        let event_cells = column(cols.event)?;
        let value_cells = cols.value.map(column).transpose()?;
        let segment_cells = cols
            .segments
            .iter()
            .map(|i| column(*i))
            .collect::<Result<Vec<_>>>()?;
        for r in 0..batch.num_rows() {
            let row = rows_before + r as u64 + 1;
            let at = |index: usize| Some(index as u64 + 1);
            let missing = |name: &str, index: usize| {
                data_error(
                    ErrorCode::MissingValue,
                    format!("{name} is missing"),
                    row,
                    at(index),
                )
            };
            let result = (|| -> Result<(i64, i64, u32, Option<f64>)> {
                let user = text(&user_cells[r]).filter(|t| !t.is_empty());
                let Some(user) = user else {
                    return Err(missing("user_id", cols.user));
                };
                let time_column = TimeColumn {
                    name: cols.time_name.as_str(),
                    number: at(cols.time),
                };
                let time = match &time_cells[r] {
                    Cell::Null => return Err(missing("timestamp", cols.time)),
                    Cell::Millis(ms) => {
                        check_time(*ms, &format_args!("{ms} ms"), row, time_column)?
                    }
                    Cell::Int(v) => epochs.read(EpochNumber::Integer(*v), row, time_column)?,
                    Cell::Float(v) => epochs.read(EpochNumber::Float(*v), row, time_column)?,
                    Cell::Text(t) => timestamp_cell(t, &mut epochs, row, time_column)?,
                };
                let event = text(&event_cells[r]).filter(|t| !t.is_empty());
                let Some(event) = event else {
                    return Err(missing("event", cols.event));
                };
                let value = match value_cells.as_ref().map(|v| &v[r]) {
                    None | Some(Cell::Null) => None,
                    Some(Cell::Int(v)) => Some(*v as f64),
                    Some(cell) => {
                        let number = match cell {
                            Cell::Float(v) => Some(*v),
                            Cell::Text(t) if t.trim().is_empty() => None,
                            Cell::Text(t) => Some(t.trim().parse::<f64>().unwrap_or(f64::NAN)),
                            _ => Some(f64::NAN),
                        };
                        match number {
                            Some(v) if !v.is_finite() => {
                                return Err(data_error(
                                    ErrorCode::InvalidValue,
                                    format!(
                                        "value {:?} is not a finite number",
                                        text(cell).unwrap_or_default()
                                    ),
                                    row,
                                    cols.value.and_then(at),
                                ));
                            }
                            other => other,
                        }
                    }
                };
                for (cells, index) in segment_cells.iter().zip(&cols.segments) {
                    if matches!(cells[r], Cell::Null) {
                        return Err(missing(header[*index].trim(), *index));
                    }
                }
                // Only a good row's texts are interned.
                let user = match (&user_cells[r], integer_users) {
                    (Cell::Int(v), true) => *v,
                    (_, true) => {
                        return Err(data_error(
                            ErrorCode::InvalidValue,
                            format!("user_id {user} is not a 64-bit integer"),
                            row,
                            at(cols.user),
                        ));
                    }
                    (_, false) => i64::from(user_names.code(&user)),
                };
                Ok((user, time, event_names.code(&event), value))
            })();
            match result {
                Ok((user, time, event, value)) => {
                    users.push(user);
                    times.push(time);
                    events.push(event);
                    if cols.value.is_some() {
                        values.push(value.unwrap_or(f64::NAN));
                    }
                    for ((codes, interner), cells) in segments.iter_mut().zip(&segment_cells) {
                        codes.push(interner.code(&text(&cells[r]).unwrap_or_default()));
                    }
                }
                Err(_) if options.skip_bad_rows => skipped += 1,
                Err(error) => return Err(error),
            }
        }
        rows_before += batch.num_rows() as u64;
        reporter.report(rows_before)?;
    }

    let mut log = EventLog::from_owned_columns(&users, times, events, event_names.values)?;
    if !integer_users {
        log.name_users_by_code(&user_names.values);
    }
    for ((codes, interner), index) in segments.into_iter().zip(&cols.segments) {
        log.add_segment(header[*index].trim(), codes, interner.values)?;
    }
    if values.iter().any(|v| !v.is_nan()) {
        log.value = Some(values);
    }
    log.skipped_rows = skipped;
    reporter.finish()?;
    Ok(log)
}
