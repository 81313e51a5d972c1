//! Event logs from Arrow record batches (feature `arrow`): what a Parquet file decodes to, and
//! what a DataFrame library hands over through the Arrow C stream interface (pyarrow, polars,
//! pandas, DuckDB, …). One reader for both, with the columns and rules of CSV: `user_id` (text
//! or integers), `timestamp` (a timestamp or date in its own unit, epoch numbers in the unit of
//! [`ReadOptions::time_unit`], or ISO-8601 text), `event` (text, plain or dictionary-encoded, or
//! integers), optionally `value` (a number); every other column is a segment (text, numbers or
//! booleans). A null cell is a bad row (`missing_value`; a null `value` is just no value). Rows
//! and columns are numbered from 1 (`line` and `column` in errors).
//!
//! Texts are interned once per distinct value with a fast hash table; a dictionary-encoded
//! column is interned once per dictionary entry and batch, not once per row.

use std::borrow::Cow;
use std::hash::BuildHasher;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrowPrimitiveType, RecordBatch};
use arrow_schema::{ArrowError, DataType, Schema, TimeUnit};
use hashbrown::HashTable;

use super::log::{
    EpochNumber, EpochReader, EventLog, NO_VALUE, ReadOptions, TimeColumn, check_time, columns,
    data_error, timestamp_cell,
};
use super::progress::{ProgressFn, ProgressPhase, ProgressUnit, Reporter};
use crate::error::{CjmError, ErrorCode, Location, Result};

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

fn is_number(kind: &DataType) -> bool {
    kind.is_integer() || kind.is_floating()
}

/// Whether a column of this type can be read in this role.
fn accepts(role: Role, kind: &DataType) -> bool {
    if let DataType::Dictionary(_, values) = kind {
        return matches!(role, Role::User | Role::Event | Role::Segment | Role::Time)
            && (is_text(values) || values.is_integer());
    }
    match role {
        Role::User | Role::Event => is_text(kind) || kind.is_integer(),
        Role::Segment => is_text(kind) || is_number(kind) || *kind == DataType::Boolean,
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
        Role::Segment => "text, numbers or booleans",
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

fn texts<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<Cell<'a>> {
    values
        .map(|s| s.map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s))))
        .collect()
}

/// The cells of a column that is not dictionary-encoded (any type this reader accepts);
/// `None` for any other type.
fn cells(array: &dyn Array) -> Option<Vec<Cell<'_>>> {
    if let Some(strings) = array.as_string_opt::<i32>() {
        return Some(texts(strings.iter()));
    }
    if let Some(strings) = array.as_string_opt::<i64>() {
        return Some(texts(strings.iter()));
    }
    if let Some(strings) = array.as_string_view_opt() {
        return Some(texts(strings.iter()));
    }
    if let Some(booleans) = array.as_boolean_opt() {
        return Some(
            booleans
                .iter()
                .map(|b| b.map_or(Cell::Null, |b| Cell::Text(Cow::Borrowed(bool_text(b)))))
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

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// A column of one batch: its cells, or for a dictionary-encoded column the dictionary's
/// entries and, per row, the entry it points at.
struct Column<'a> {
    /// Per row: the cell, or for a dictionary column `Int(key)` / `Null`.
    cells: Vec<Cell<'a>>,
    dictionary: Option<Vec<Cell<'a>>>,
}

const NULL: Cell<'static> = Cell::Null;

impl<'a> Column<'a> {
    fn new(array: &'a dyn Array) -> Option<Column<'a>> {
        if let Some(dictionary) = array.as_any_dictionary_opt() {
            return Some(Column {
                cells: cells(dictionary.keys())?,
                dictionary: Some(cells(dictionary.values().as_ref())?),
            });
        }
        Some(Column {
            cells: cells(array)?,
            dictionary: None,
        })
    }

    /// The dictionary entry row `row` points at (`None` for a plain column or a null key).
    fn key(&self, row: usize) -> Option<usize> {
        let dictionary = self.dictionary.as_ref()?;
        match self.cells[row] {
            Cell::Int(key) => usize::try_from(key).ok().filter(|k| *k < dictionary.len()),
            _ => None,
        }
    }

    fn get(&self, row: usize) -> &Cell<'a> {
        match &self.dictionary {
            None => &self.cells[row],
            Some(dictionary) => self.key(row).map_or(&NULL, |key| &dictionary[key]),
        }
    }

    /// The code of row `row`'s text in `interner`; a dictionary entry is interned once per
    /// batch (`cache`, by entry).
    fn code(&self, row: usize, interner: &mut Interner, cache: &mut Vec<u32>) -> u32 {
        const UNSEEN: u32 = u32::MAX;
        match (self.key(row), &self.dictionary) {
            (Some(key), Some(dictionary)) => {
                if cache.len() != dictionary.len() {
                    cache.clear();
                    cache.resize(dictionary.len(), UNSEEN);
                }
                if cache[key] == UNSEEN {
                    cache[key] = interner.code(segment_text(&dictionary[key]).as_ref());
                }
                cache[key]
            }
            _ => interner.code(segment_text(self.get(row)).as_ref()),
        }
    }
}

/// A segment cell's value: its text, or [`NO_VALUE`] for a null or blank cell (as CSV's empty
/// cells).
fn segment_text<'c>(cell: &'c Cell<'_>) -> Cow<'c, str> {
    match text(cell) {
        Some(text) if !text.trim().is_empty() => text,
        _ => Cow::Borrowed(NO_VALUE),
    }
}

/// Whether a cell holds nothing to read: null, or only white space.
fn is_blank(cell: &Cell<'_>) -> bool {
    match cell {
        Cell::Null | Cell::Millis(_) => true,
        Cell::Text(s) => s.trim().is_empty(),
        Cell::Int(_) | Cell::Float(_) => false,
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

/// Up to this many bytes of a text live in its table entry.
const INLINE: usize = 11;
/// The `len` of an entry whose text is longer than [`INLINE`] (compared in the arena).
const LONG: u8 = u8::MAX;

/// A table entry: the text's code and, for a short text, the text itself, so that finding a
/// short text (most ids and event names) touches the table only.
#[derive(Clone, Copy)]
struct Slot {
    inline: [u8; INLINE],
    len: u8,
    code: u32,
}

/// Distinct texts of one column, numbered in order of first appearance. The texts are stored
/// once, end to end in an arena; a 16-byte entry per text in the hash table finds them.
#[derive(Default)]
pub(crate) struct Interner {
    table: HashTable<Slot>,
    /// Where each text starts in `arena`, and after the last, where the arena ends.
    ends: Vec<usize>,
    arena: Vec<u8>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Interner {
    pub(crate) fn code(&mut self, text: &str) -> u32 {
        let bytes = text.as_bytes();
        let hash = self.hasher.hash_one(bytes);
        let short = bytes.len() <= INLINE;
        let mut inline = [0u8; INLINE];
        if short {
            inline[..bytes.len()].copy_from_slice(bytes);
        }
        let Interner {
            table,
            ends,
            arena,
            hasher,
        } = self;
        let stored = |code: u32| {
            let code = code as usize;
            &arena[ends[code]..ends[code + 1]]
        };
        let entry = table.entry(
            hash,
            |slot| {
                if short {
                    usize::from(slot.len) == bytes.len() && slot.inline == inline
                } else {
                    slot.len == LONG && stored(slot.code) == bytes
                }
            },
            |slot| hasher.hash_one(stored(slot.code)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => found.get().code,
            hashbrown::hash_table::Entry::Vacant(place) => {
                if ends.is_empty() {
                    ends.push(0);
                }
                let code = (ends.len() - 1) as u32;
                arena.extend_from_slice(bytes);
                ends.push(arena.len());
                place.insert(Slot {
                    inline,
                    len: if short { bytes.len() as u8 } else { LONG },
                    code,
                });
                code
            }
        }
    }

    pub(crate) fn into_values(self) -> Vec<String> {
        self.ends
            .windows(2)
            .map(|w| String::from_utf8_lossy(&self.arena[w[0]..w[1]]).into_owned())
            .collect()
    }
}

/// Reads an event log from record batches of `schema`. `total_rows`, when known, is what
/// progress (phase `read`, in rows) counts up to after each batch; otherwise one report comes at
/// the end. `rows_in_memory` says the batches are already in memory, so that `total_rows` can
/// be trusted to reserve the columns (a file's own count is not: a hostile footer could claim
/// billions). A batch the source fails to deliver becomes the error `batch_error` makes of it,
/// given the first row it would have held.
pub fn read_record_batches(
    schema: &Schema,
    batches: impl Iterator<Item = std::result::Result<RecordBatch, ArrowError>>,
    total_rows: Option<u64>,
    rows_in_memory: bool,
    options: &ReadOptions,
    progress: Option<ProgressFn>,
    batch_error: &dyn Fn(ArrowError, u64) -> CjmError,
) -> Result<EventLog> {
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let cols = columns(&header, &options.columns).map_err(|error| match error {
        // A header is no row: the location keeps the column only.
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
                    crate::error::excerpt(field.name()),
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
        DataType::Dictionary(_, values) => values.is_integer(),
        kind => kind.is_integer(),
    };

    let (mut reporter, mut late_progress) = match total_rows {
        Some(total) => (
            Reporter::new(progress, ProgressPhase::Read, ProgressUnit::Rows, total),
            None,
        ),
        None => (Reporter::none(), progress),
    };
    let mut user_codes: Vec<u32> = Vec::new();
    let mut user_ids: Vec<i64> = Vec::new();
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
    // Room for every row when the count is known (growing by doubling would copy each column).
    let rows = match total_rows {
        Some(total) if rows_in_memory => usize::try_from(total).unwrap_or(0),
        _ => 0,
    };
    if integer_users {
        user_ids.reserve(rows);
    } else {
        user_codes.reserve(rows);
    }
    times.reserve(rows);
    events.reserve(rows);
    if cols.value.is_some() {
        values.reserve(rows);
    }
    segments
        .iter_mut()
        .for_each(|(codes, _)| codes.reserve(rows));
    let mut epochs = EpochReader::new(options.time_unit);
    let mut skipped = 0u64;
    let mut rows_before = 0u64;
    // Per dictionary column: its entries' codes in the current batch.
    let (mut user_cache, mut event_cache) = (Vec::new(), Vec::new());
    let mut segment_caches: Vec<Vec<u32>> = vec![Vec::new(); cols.segments.len()];
    for batch in batches {
        let batch = batch.map_err(|e| batch_error(e, rows_before + 1))?;
        if batch.num_columns() != header.len() {
            return Err(batch_error(
                ArrowError::SchemaError("a batch has other columns than the schema".into()),
                rows_before + 1,
            ));
        }
        let column = |index: usize| {
            Column::new(batch.column(index).as_ref()).ok_or_else(|| {
                batch_error(
                    ArrowError::SchemaError(format!("column {:?} changed type", header[index])),
                    rows_before + 1,
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
        user_cache.clear();
        event_cache.clear();
        // Text user ids are interned for the whole batch first: in a tight loop the lookups
        // (mostly cache misses in a table of a million ids) overlap, which a row at a time they
        // do not. Ids of rows found bad later are dropped again at the end.
        let batch_users: Vec<u32> = if integer_users {
            Vec::new()
        } else {
            (0..batch.num_rows())
                .map(|r| {
                    if is_blank(user_cells.get(r)) {
                        u32::MAX
                    } else {
                        user_cells.code(r, &mut user_names, &mut user_cache)
                    }
                })
                .collect()
        };
        segment_caches.iter_mut().for_each(Vec::clear);
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
            let result = (|| -> Result<(Option<i64>, i64, Option<f64>)> {
                let user = user_cells.get(r);
                if is_blank(user) {
                    return Err(missing(&cols.user_name, cols.user));
                }
                let time_column = TimeColumn {
                    name: cols.time_name.as_str(),
                    number: at(cols.time),
                };
                let time = match time_cells.get(r) {
                    Cell::Null => return Err(missing(&cols.time_name, cols.time)),
                    Cell::Millis(ms) => {
                        check_time(*ms, &format_args!("{ms} ms"), row, time_column)?
                    }
                    Cell::Int(v) => epochs.read(EpochNumber::Integer(*v), row, time_column)?,
                    Cell::Float(v) => epochs.read(EpochNumber::Float(*v), row, time_column)?,
                    Cell::Text(t) => timestamp_cell(t, &mut epochs, row, time_column)?,
                };
                if is_blank(event_cells.get(r)) {
                    return Err(missing(&cols.event_name, cols.event));
                }
                let value = match value_cells.as_ref().map(|v| v.get(r)) {
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
                                        crate::error::excerpt(&text(cell).unwrap_or_default())
                                    ),
                                    row,
                                    cols.value.and_then(at),
                                ));
                            }
                            other => other,
                        }
                    }
                };
                let user = match (user, integer_users) {
                    (Cell::Int(v), true) => Some(*v),
                    (_, true) => {
                        return Err(data_error(
                            ErrorCode::InvalidValue,
                            format!(
                                "user_id {} is not a 64-bit integer",
                                text(user).unwrap_or_default()
                            ),
                            row,
                            at(cols.user),
                        ));
                    }
                    (_, false) => None,
                };
                Ok((user, time, value))
            })();
            match result {
                Ok((user, time, value)) => {
                    // Only a good row's texts are interned.
                    match user {
                        Some(id) => user_ids.push(id),
                        // One code per row of the batch (made above for text ids).
                        None => user_codes.push(batch_users.get(r).copied().unwrap_or_default()),
                    }
                    times.push(time);
                    events.push(event_cells.code(r, &mut event_names, &mut event_cache));
                    if cols.value.is_some() {
                        values.push(value.unwrap_or(f64::NAN));
                    }
                    for (((codes, interner), cells), cache) in segments
                        .iter_mut()
                        .zip(&segment_cells)
                        .zip(&mut segment_caches)
                    {
                        codes.push(cells.code(r, interner, cache));
                    }
                }
                Err(_) if options.skip_bad_rows => skipped += 1,
                Err(error) => return Err(error),
            }
        }
        rows_before += batch.num_rows() as u64;
        reporter.report(rows_before)?;
    }

    let mut log = if integer_users {
        EventLog::from_owned_columns(&user_ids, times, events, event_names.into_values())?
    } else {
        let mut user_names = user_names.into_values();
        if skipped > 0 {
            user_names = renumber(&mut user_codes, user_names);
        }
        EventLog::from_interned_columns(
            user_codes,
            user_names,
            times,
            events,
            event_names.into_values(),
        )?
    };
    for ((codes, interner), index) in segments.into_iter().zip(&cols.segments) {
        log.add_segment(header[*index].trim(), codes, interner.into_values())?;
    }
    if values.iter().any(|v| !v.is_nan()) {
        log.value = Some(values);
    }
    log.skipped_rows = skipped;
    if let Some(progress) = late_progress.take() {
        reporter = Reporter::new(
            Some(progress),
            ProgressPhase::Read,
            ProgressUnit::Rows,
            rows_before,
        );
    }
    reporter.finish()?;
    Ok(log)
}

/// Codes renumbered in order of first appearance in `codes`, and the values they still use:
/// drops values no code points at.
fn renumber(codes: &mut [u32], values: Vec<String>) -> Vec<String> {
    let mut new_codes = vec![u32::MAX; values.len()];
    let mut kept = Vec::new();
    let mut values: Vec<Option<String>> = values.into_iter().map(Some).collect();
    for code in codes {
        let old = *code as usize;
        if new_codes[old] == u32::MAX {
            new_codes[old] = kept.len() as u32;
            kept.push(values[old].take().unwrap_or_default());
        }
        *code = new_codes[old];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::Int8Type;
    use arrow_array::{ArrayRef, DictionaryArray, Int64Array, StringArray};
    use arrow_schema::Field;
    use std::sync::Arc;

    /// A batch: user ids, epoch seconds, events.
    type Batch<'a> = (Vec<Option<&'a str>>, Vec<Option<i64>>, ArrayRef);

    fn read(batches: Vec<Batch<'_>>, skip_bad_rows: bool) -> Result<EventLog> {
        let event_type = batches[0].2.data_type().clone();
        let schema = Arc::new(Schema::new(vec![
            Field::new("user_id", DataType::Utf8, true),
            Field::new("timestamp", DataType::Int64, true),
            Field::new("event", event_type, true),
        ]));
        let batches: Vec<_> = batches
            .into_iter()
            .map(|(users, times, events)| {
                let columns: Vec<ArrayRef> = vec![
                    Arc::new(StringArray::from(users)),
                    Arc::new(Int64Array::from(times)),
                    events,
                ];
                RecordBatch::try_new(schema.clone(), columns)
            })
            .collect();
        let options = ReadOptions {
            skip_bad_rows,
            time_unit: super::super::TimeUnit::Seconds,
            ..ReadOptions::default()
        };
        read_record_batches(
            &schema,
            batches.into_iter(),
            None,
            false,
            &options,
            None,
            &|error, _| CjmError::usage(ErrorCode::InvalidValue, error.to_string()),
        )
    }

    fn dictionary(keys: &[i8], values: &[&str]) -> ArrayRef {
        let keys = arrow_array::PrimitiveArray::<Int8Type>::from(keys.to_vec());
        Arc::new(
            DictionaryArray::<Int8Type>::try_new(
                keys,
                Arc::new(StringArray::from(values.to_vec())),
            )
            .expect("valid dictionary"),
        )
    }

    #[test]
    fn each_batch_reads_its_own_dictionary() {
        let t = Some(1_700_000_000);
        let log = read(
            vec![
                (
                    vec![Some("a"), Some("b")],
                    vec![t, t],
                    dictionary(&[0, 1], &["view", "buy"]),
                ),
                (
                    vec![Some("a"), Some("c")],
                    vec![t, t],
                    dictionary(&[0, 1], &["buy", "cart"]),
                ),
            ],
            false,
        )
        .expect("readable");
        let events: Vec<&str> = log
            .event
            .iter()
            .map(|e| log.event_names[*e as usize].as_str())
            .collect();
        assert_eq!(events, ["view", "buy", "buy", "cart"]);
        assert_eq!(log.user_ids, ["a", "b", "c"]);
    }

    #[test]
    fn skipped_rows_leave_no_users_behind() {
        let t = Some(1_700_000_000);
        let events = || dictionary(&[0, 0, 0], &["view"]);
        let log = read(
            vec![(
                vec![Some("ghost"), Some("b"), Some("a")],
                vec![None, t, t],
                events(),
            )],
            true,
        )
        .expect("readable");
        assert_eq!(log.skipped_rows, 1);
        assert_eq!(log.user_ids, ["b", "a"]);
        assert_eq!(log.user, [0, 1]);
        let error = read(
            vec![(
                vec![Some("ghost"), Some("b"), None],
                vec![t, t, t],
                events(),
            )],
            false,
        )
        .expect_err("a null user is a bad row");
        assert_eq!(error.code(), "missing_value");
        assert_eq!(error.location().line, Some(3));
    }

    #[test]
    fn interner_numbers_texts_in_order_of_first_appearance() {
        let mut interner = Interner::default();
        let codes: Vec<u32> = ["b", "a", "b", "c", "a"]
            .iter()
            .map(|t| interner.code(t))
            .collect();
        assert_eq!(codes, [0, 1, 0, 2, 1]);
        assert_eq!(interner.into_values(), ["b", "a", "c"]);
    }

    #[test]
    fn renumbering_keeps_first_appearance_order_and_drops_unused_values() {
        let mut codes = vec![2, 0, 2, 3];
        let values = ["a", "b", "c", "d"].map(String::from).to_vec();
        assert_eq!(renumber(&mut codes, values), ["c", "a", "d"]);
        assert_eq!(codes, [0, 1, 0, 2]);
    }

    #[test]
    fn interner_tells_long_and_short_texts_apart() {
        let mut interner = Interner::default();
        let long = "a-text-longer-than-eleven-bytes";
        let texts = [
            "",
            "ab",
            long,
            "ab\0",
            "abcdefghijk",
            "abcdefghijkl",
            long,
            "",
            "ё",
        ];
        let codes: Vec<u32> = texts.iter().map(|t| interner.code(t)).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 2, 0, 6]);
        assert_eq!(
            interner.into_values(),
            ["", "ab", long, "ab\0", "abcdefghijk", "abcdefghijkl", "ё"]
        );
    }
}
