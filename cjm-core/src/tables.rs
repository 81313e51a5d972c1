//! Results as flat tables: one row per curve point, touchpoint, gap, plan item, funnel step,
//! transition or metric, in typed columns. Every front builds its tables from here (Python's
//! `to_pandas()` / `to_polars()`, JavaScript's `resultTable`, the CLI's `--format csv`), so a
//! table has the same columns, names and values everywhere.
//!
//! Tables are read from a result's serialised form (what every front holds), so a front can
//! hand back the plain data it got.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{CjmError, ErrorCode, Result};

/// How a column's values are typed (and so how a DataFrame types the column, even when every
/// value is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    /// Text, or null.
    Text,
    /// A number, or null (NaN in pandas).
    Float,
    /// A whole number, never missing.
    Int,
    /// A whole number, or null.
    OptionalInt,
    /// true or false.
    Bool,
    /// A list of texts (ids).
    TextList,
}

/// One column of a [`Table`]: its name, its type and a value per row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TableColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnType,
    pub values: Vec<Value>,
}

/// A result as a table, column by column.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    pub columns: Vec<TableColumn>,
}

impl Table {
    /// How many rows the table has.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }
}

/// Which result a table is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// An [`crate::EmotionCurve`]: one row per point.
    EmotionCurve,
    /// A [`crate::FrictionReport`]: one row per touchpoint, a column per component.
    Friction,
    /// A [`crate::GapReport`]: one row per gap, most severe first.
    Gaps,
    /// A [`crate::Comparison`]: one row per touchpoint in both maps.
    Comparison,
    /// A [`crate::Plan`]: one row per item, in rank order.
    Plan,
    /// An [`crate::NpsResult`]: one row.
    Nps,
    /// A [`crate::CsatResult`]: one row.
    Csat,
    /// A [`crate::CesResult`]: one row.
    Ces,
    /// A [`crate::FunnelResult`]: one row per group and step, the whole population first.
    Funnel,
    /// A [`crate::FunnelComparison`]: one row per step after the first.
    FunnelComparison,
    /// A [`crate::PathsResult`]: one row per transition, most frequent first.
    Paths,
    /// A [`crate::LoyaltyResult`]: one row.
    Loyalty,
    /// A [`crate::RetentionResult`]: one row per cohort and period, all users (`(all)`, with
    /// the Wilson interval) first.
    Retention,
    /// An [`crate::ApplyReport`]: one row per metric.
    Applied,
}

impl TableKind {
    /// The kind of its name (`funnel`, `plan`, `emotion_curve`, …); an unknown name is
    /// `invalid_option`, listing the known ones.
    pub fn from_name(name: &str) -> Result<TableKind> {
        serde_json::from_value(Value::String(name.to_string())).map_err(|_| {
            CjmError::usage(
                ErrorCode::InvalidOption,
                format!(
                    "unknown table {:?}; known: emotion_curve, friction, gaps, comparison, plan, \
                     nps, csat, ces, funnel, funnel_comparison, paths, loyalty, retention, applied",
                    crate::error::excerpt(name)
                ),
            )
        })
    }
}

/// The `group` of the whole population in funnel tables (a group is a segment value).
pub const ALL_USERS: &str = "(all)";

use ColumnType::{Bool, Float, Int, OptionalInt, Text, TextList};

/// Columns read from each row by JSON pointer (relative to the row).
type Spec = &'static [(&'static str, &'static str, ColumnType)];

const GAPS: Spec = &[
    ("kind", "/kind", Text),
    ("severity", "/severity", Float),
    ("stage", "/stage", Text),
    ("touchpoint", "/touchpoint", Text),
    ("subject", "/subject", Text),
    ("message", "/message", Text),
    ("evidence", "/evidence", TextList),
];
const COMPARISON: Spec = &[
    ("stage", "/stage", Text),
    ("touchpoint", "/touchpoint", Text),
    ("emotion_before", "/emotion_before", Float),
    ("emotion_after", "/emotion_after", Float),
    ("emotion_change", "/emotion_change", Float),
    ("friction_before", "/friction_before", Float),
    ("friction_after", "/friction_after", Float),
    ("friction_change", "/friction_change", Float),
];
const PLAN: Spec = &[
    ("rank", "/rank", Int),
    ("id", "/id", Text),
    ("title", "/title", Text),
    ("method", "/method", Text),
    ("score", "/score", Float),
    ("reach", "/reach", Float),
    ("impact", "/impact", Float),
    ("confidence", "/confidence", Float),
    ("effort", "/effort", Float),
    ("addresses", "/addresses", TextList),
    ("addressed_severity", "/addressed_severity", Float),
    ("high_priority", "/high_priority", Bool),
    ("stage", "/stage", Text),
    ("touchpoint", "/touchpoint", Text),
    ("owner", "/owner", Text),
    ("due", "/due", Text),
    ("status", "/status", Text),
    ("flags", "/flags", TextList),
];
const NPS: Spec = &[
    ("responses", "/responses", Int),
    ("promoters", "/promoters", Int),
    ("passives", "/passives", Int),
    ("detractors", "/detractors", Int),
    ("nps", "/nps", Float),
    ("interval_low", "/interval/low", Float),
    ("interval_high", "/interval/high", Float),
];
const CSAT: Spec = &[
    ("responses", "/responses", Int),
    ("satisfied", "/satisfied", Int),
    ("csat", "/csat", Float),
    ("interval_low", "/interval/low", Float),
    ("interval_high", "/interval/high", Float),
];
const CES: Spec = &[
    ("responses", "/responses", Int),
    ("mean", "/mean", Float),
    ("mean_interval_low", "/mean_interval/low", Float),
    ("mean_interval_high", "/mean_interval/high", Float),
    ("easy", "/easy", Int),
    ("share_easy", "/share_easy", Float),
    ("share_interval_low", "/share_interval/low", Float),
    ("share_interval_high", "/share_interval/high", Float),
];
const FUNNEL_STEP: Spec = &[
    ("step", "/step", Text),
    ("users", "/users", Int),
    ("conversion_from_start", "/conversion_from_start", Float),
    (
        "conversion_from_previous",
        "/conversion_from_previous",
        Float,
    ),
    ("dropped", "/dropped", Int),
    ("drop_off", "/drop_off", Float),
    (
        "median_seconds_from_previous",
        "/time_from_previous/median",
        Float,
    ),
    (
        "median_seconds_from_start",
        "/time_from_start/median",
        Float,
    ),
];
const FUNNEL_COMPARISON: Spec = &[
    ("step", "/step", Text),
    ("a_users", "/a_users", Int),
    ("a_base", "/a_base", Int),
    ("b_users", "/b_users", Int),
    ("b_base", "/b_base", Int),
    ("a_conversion", "/a_conversion", Float),
    ("b_conversion", "/b_conversion", Float),
    ("difference", "/difference", Float),
    ("interval_low", "/interval/low", Float),
    ("interval_high", "/interval/high", Float),
    ("test", "/test", Text),
    ("z", "/z", Float),
    ("p_value", "/p_value", Float),
];
const TRANSITIONS: Spec = &[
    ("from", "/from", Text),
    ("to", "/to", Text),
    ("events", "/events", Int),
    ("users", "/users", Int),
    ("share", "/share", Float),
    ("median_seconds", "/median_seconds", Float),
];
const RETENTION_CELL: Spec = &[
    ("period", "/period", Int),
    ("users", "/users", Int),
    ("retained", "/retained", Int),
    ("rate", "/rate", Float),
    ("interval_low", "/interval/low", Float),
    ("interval_high", "/interval/high", Float),
];
const LOYALTY: Spec = &[
    ("purchase_event", "/purchase_event", Text),
    ("customers", "/customers", Int),
    ("repeat_customers", "/repeat_customers", Int),
    ("repeat_rate", "/repeat_rate", Float),
    ("interval_low", "/interval/low", Float),
    ("interval_high", "/interval/high", Float),
    ("purchases_per_customer", "/purchases_per_customer", Float),
    (
        "median_seconds_to_second_purchase",
        "/time_to_second_purchase/median",
        Float,
    ),
    ("average_order_value", "/average_order_value", Float),
];
const APPLIED: Spec = &[
    ("path", "/path", Text),
    ("id", "/id", Text),
    ("kind", "/kind", Text),
    ("action", "/action", Text),
    ("value", "/value", Float),
    ("unit", "/unit", Text),
    ("sample_size", "/sample_size", OptionalInt),
];
const CURVE_POINT: Spec = &[
    ("stage", "/stage", Text),
    ("touchpoint", "/touchpoint", Text),
    ("touchpoint_name", "/touchpoint_name", Text),
    ("value", "/value", Float),
    ("score", "/score", Float),
    ("sample_size", "/sample_size", OptionalInt),
    ("margin", "/margin", Float),
];
const FRICTION_TOUCHPOINT: Spec = &[
    ("stage", "/stage", Text),
    ("touchpoint", "/touchpoint", Text),
    ("name", "/name", Text),
    ("traffic", "/traffic", Float),
    ("index", "/score/index", Float),
    ("coverage", "/score/coverage", Float),
];

/// A table being filled row by row.
struct Builder {
    table: Table,
}

impl Builder {
    fn new(leading: &[(&str, ColumnType)], spec: Spec, trailing: &[(&str, ColumnType)]) -> Self {
        let names = leading
            .iter()
            .copied()
            .chain(spec.iter().map(|(name, _, kind)| (*name, *kind)))
            .chain(trailing.iter().copied());
        Builder {
            table: Table {
                columns: names
                    .map(|(name, kind)| TableColumn {
                        name: name.to_string(),
                        kind,
                        values: Vec::new(),
                    })
                    .collect(),
            },
        }
    }

    /// Adds a row: the leading values, the spec's values read from `row`, the trailing values.
    fn row(&mut self, leading: &[Value], spec: Spec, row: &Value, trailing: &[Value]) {
        let values = leading
            .iter()
            .cloned()
            .chain(
                spec.iter()
                    .map(|(_, pointer, _)| row.pointer(pointer).cloned().unwrap_or(Value::Null)),
            )
            .chain(trailing.iter().cloned());
        for (column, value) in self.table.columns.iter_mut().zip(values) {
            column.values.push(value);
        }
    }
}

fn rows<'v>(result: &'v Value, pointer: &str, kind: TableKind) -> Result<&'v [Value]> {
    result
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| not_a(kind, pointer))
}

fn not_a(kind: TableKind, pointer: &str) -> CjmError {
    let name = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    CjmError::usage(
        ErrorCode::InvalidOption,
        format!("not a {name} result: it has no list at {pointer:?}"),
    )
}

/// A spec's table with one row per element of the list at `pointer`.
fn listed(result: &Value, pointer: &str, spec: Spec, kind: TableKind) -> Result<Table> {
    let mut builder = Builder::new(&[], spec, &[]);
    for row in rows(result, pointer, kind)? {
        builder.row(&[], spec, row, &[]);
    }
    Ok(builder.table)
}

/// A spec's table of the result itself, one row.
fn single(result: &Value, spec: Spec, kind: TableKind) -> Result<Table> {
    if !result.is_object() {
        return Err(not_a(kind, ""));
    }
    let mut builder = Builder::new(&[], spec, &[]);
    builder.row(&[], spec, result, &[]);
    Ok(builder.table)
}

/// The table of a result (in its serialised form) of the given kind. Fails with
/// `invalid_option` when the value is not such a result.
pub fn result_table(kind: TableKind, result: &Value) -> Result<Table> {
    match kind {
        TableKind::Gaps => listed(result, "/gaps", GAPS, kind),
        TableKind::Comparison => listed(result, "/touchpoints", COMPARISON, kind),
        TableKind::Plan => listed(result, "/items", PLAN, kind),
        TableKind::FunnelComparison => listed(result, "/steps", FUNNEL_COMPARISON, kind),
        TableKind::Paths => listed(result, "/transitions", TRANSITIONS, kind),
        TableKind::Applied => listed(result, "/metrics", APPLIED, kind),
        TableKind::Nps => single(result, NPS, kind),
        TableKind::Csat => single(result, CSAT, kind),
        TableKind::Ces => single(result, CES, kind),
        TableKind::Loyalty => single(result, LOYALTY, kind),
        TableKind::Retention => {
            let mut builder = Builder::new(&[("cohort", Text)], RETENTION_CELL, &[]);
            let all = [Value::String(ALL_USERS.into())];
            for point in rows(result, "/overall", kind)? {
                builder.row(&all, RETENTION_CELL, point, &[]);
            }
            for cohort in rows(result, "/cohorts", kind)? {
                let name = [cohort.get("cohort").cloned().unwrap_or(Value::Null)];
                for cell in rows(cohort, "/periods", kind)? {
                    builder.row(&name, RETENTION_CELL, cell, &[]);
                }
            }
            Ok(builder.table)
        }
        TableKind::EmotionCurve => {
            let persona = result.get("persona").cloned().unwrap_or(Value::Null);
            let mut builder = Builder::new(&[("persona", Text)], CURVE_POINT, &[]);
            for point in rows(result, "/points", kind)? {
                builder.row(std::slice::from_ref(&persona), CURVE_POINT, point, &[]);
            }
            Ok(builder.table)
        }
        TableKind::Friction => {
            let components: Vec<(&str, ColumnType)> = crate::ComponentKind::ALL
                .iter()
                .map(|kind| (kind.name(), Float))
                .collect();
            let mut builder = Builder::new(&[], FRICTION_TOUCHPOINT, &components);
            for touchpoint in rows(result, "/touchpoints", kind)? {
                // Each component's contribution in index points, or null where it has none.
                let contributions: Vec<Value> = crate::ComponentKind::ALL
                    .iter()
                    .map(|kind| {
                        let name = kind.name();
                        touchpoint
                            .pointer("/score/components")
                            .and_then(Value::as_array)
                            .and_then(|all| {
                                all.iter()
                                    .find(|c| c.get("kind").and_then(Value::as_str) == Some(name))
                            })
                            .and_then(|c| c.get("contribution").cloned())
                            .unwrap_or(Value::Null)
                    })
                    .collect();
                builder.row(&[], FRICTION_TOUCHPOINT, touchpoint, &contributions);
            }
            Ok(builder.table)
        }
        TableKind::Funnel => {
            let leading = [("group", Text), ("step_index", Int)];
            let mut builder = Builder::new(&leading, FUNNEL_STEP, &[]);
            let total = result.get("total").ok_or_else(|| not_a(kind, "/total"))?;
            let groups = std::iter::once(total).chain(rows(result, "/groups", kind)?);
            for group in groups {
                let label = match group.get("group") {
                    Some(Value::String(label)) => label.as_str(),
                    _ => ALL_USERS,
                };
                for (index, step) in rows(group, "/steps", kind)?.iter().enumerate() {
                    let leading = [Value::from(label), Value::from(index + 1)];
                    builder.row(&leading, FUNNEL_STEP, step, &[]);
                }
            }
            Ok(builder.table)
        }
    }
}

/// A table as CSV (a header, then a row per row, `\n` line ends): numbers with at most six
/// decimals (exponent form where that would lose them), never `inf`, `NaN` or `-0`; lists
/// joined with `,`; missing values empty; cells a spreadsheet would run as formulas neutralised
/// with a leading `'`.
pub fn table_csv(table: &Table) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; errors would only come from I/O.
    let _ = writer.write_record(table.columns.iter().map(|c| c.name.as_str()));
    for row in 0..table.rows() {
        let cells = table
            .columns
            .iter()
            .map(|column| csv_cell(column.values.get(row).unwrap_or(&Value::Null)));
        let _ = writer.write_record(cells.map(|c| crate::formats::neutralise(&c)));
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

fn csv_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) if number.is_f64() => number.as_f64().map_or(String::new(), |v| {
            crate::score::tidy(v).map_or(String::new(), csv_number)
        }),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => items.iter().map(csv_cell).collect::<Vec<_>>().join(","),
        Value::Object(_) => String::new(),
    }
}

/// Six decimals; numbers that would lose every digit that way (1e-46) or that are very large
/// (1.8e308, where `v * 1e6` overflows) in exponent form.
fn csv_number(v: f64) -> String {
    let rounded = (v * 1e6).round() / 1e6 + 0.0;
    if v.abs() < 1e15 && (rounded != 0.0 || v == 0.0) {
        format!("{rounded}")
    } else {
        format!("{v:e}")
    }
}
