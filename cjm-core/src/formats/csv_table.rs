//! A touchpoint table for spreadsheet users: one row per touchpoint, plus continuation rows
//! for what does not fit in one row. The layout, the formula guard and the unquoting rule are
//! documented in `docs/format.md` (section "CSV").
//!
//! Columns (header names are case-insensitive; only `stage` and `touchpoint` are required):
//! `stage_id`, `stage`, `stage_description`, `stage_goal`, `stage_duration`, `touchpoint_id`,
//! `touchpoint`, `description`, `channel`, `layer`, `owner`, `personas` (ids separated by
//! commas), `actions`, `thoughts`, `feelings`, `questions`, `expectations`, `events` (list
//! columns), `emotion` (all personas), `emotion:<persona name>` or `emotion:<name> [<id>]` (one
//! column per persona), `pain_point_id`, `pain_point`, `pain_severity`, `pain_share`,
//! `pain_personas`, `evidence` (read only: ids separated by commas). Any other column is kept on
//! the touchpoint as an `x-<column>` extension.
//!
//! Rows:
//! - a *touchpoint row* has a `touchpoint` (or a `touchpoint_id`) and starts a touchpoint;
//! - a *continuation row* has the `touchpoint_id` of the touchpoint just above, an empty
//!   `touchpoint` cell and nothing but list and pain-point cells: it adds one more pain point
//!   and one more item to each list column;
//! - a *stage row* has empty `touchpoint_id` and `touchpoint` cells: it creates the stage if
//!   needed and holds one pain point of the stage itself.
//!
//! A list cell of a touchpoint row holds several values separated by line breaks (each trimmed,
//! empty lines skipped). A list whose items contain line breaks, surrounding blanks or are
//! empty is written one item per continuation row instead, so it comes back exactly.
//!
//! The evidence references of touchpoints and pain points are not written, because the table
//! has no rows for the evidence entries themselves; [`csv_losses`] lists them with everything
//! else the table drops.

use crate::error::ErrorCode;
use std::collections::HashSet;

use serde_json::Value;

use super::mermaid::{IdMaker, slug};
use crate::error::{CjmError, Location, Result};
use crate::model::{
    EmotionScale, EmotionScore, Extensions, Journey, JourneyState, Layer, PainPoint, Persona,
    Stage, ThinVec, Touchpoint,
};
use crate::validate::pointer_segment;

#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Actions,
    Thoughts,
    Feelings,
    Questions,
    Expectations,
    Events,
}

impl List {
    const ALL: [(List, &'static str); 6] = [
        (List::Actions, "actions"),
        (List::Thoughts, "thoughts"),
        (List::Feelings, "feelings"),
        (List::Questions, "questions"),
        (List::Expectations, "expectations"),
        (List::Events, "events"),
    ];

    fn of(self, tp: &Touchpoint) -> &[String] {
        match self {
            List::Actions => &tp.actions,
            List::Thoughts => &tp.thoughts,
            List::Feelings => &tp.feelings,
            List::Questions => &tp.questions,
            List::Expectations => &tp.expectations,
            List::Events => &tp.events,
        }
    }

    fn of_mut(self, tp: &mut Touchpoint) -> &mut ThinVec<String> {
        match self {
            List::Actions => &mut tp.actions,
            List::Thoughts => &mut tp.thoughts,
            List::Feelings => &mut tp.feelings,
            List::Questions => &mut tp.questions,
            List::Expectations => &mut tp.expectations,
            List::Events => &mut tp.events,
        }
    }
}

enum Column {
    StageId,
    Stage,
    StageDescription,
    StageGoal,
    StageDuration,
    TouchpointId,
    Touchpoint,
    Description,
    Channel,
    Layer,
    Owner,
    Personas,
    List(List),
    /// `emotion` (None) or `emotion:<name>` / `emotion:<name> [<id>]`.
    Emotion(Option<(String, Option<String>)>),
    PainId,
    PainPoint,
    PainSeverity,
    PainShare,
    PainPersonas,
    Evidence,
    Extra(String),
}

fn column(header: &str) -> Column {
    let key = header.trim().to_lowercase();
    match key.as_str() {
        "stage_id" => Column::StageId,
        "stage" => Column::Stage,
        "stage_description" => Column::StageDescription,
        "stage_goal" => Column::StageGoal,
        "stage_duration" | "expected_duration" => Column::StageDuration,
        "touchpoint_id" | "id" => Column::TouchpointId,
        "touchpoint" => Column::Touchpoint,
        "description" => Column::Description,
        "channel" => Column::Channel,
        "layer" => Column::Layer,
        "owner" => Column::Owner,
        "personas" => Column::Personas,
        "emotion" => Column::Emotion(None),
        "pain_point_id" | "pain_id" => Column::PainId,
        "pain_point" => Column::PainPoint,
        "pain_severity" => Column::PainSeverity,
        "pain_share" => Column::PainShare,
        "pain_personas" => Column::PainPersonas,
        "evidence" => Column::Evidence,
        _ => {
            if let Some((list, _)) = List::ALL.iter().find(|(_, name)| *name == key) {
                return Column::List(*list);
            }
            if key.starts_with("emotion:") {
                let rest = header.trim().get("emotion:".len()..).unwrap_or("").trim();
                if let Some(persona) = persona_of_header(rest) {
                    return Column::Emotion(Some(persona));
                }
            }
            Column::Extra(header.trim().to_string())
        }
    }
}

/// `<name>` or `<name> [<id>]` (the name may be empty when the id is given).
fn persona_of_header(rest: &str) -> Option<(String, Option<String>)> {
    if let Some(inner) = rest.strip_suffix(']')
        && let Some(open) = inner.rfind('[')
    {
        let id = &inner[open + 1..];
        let name = &inner[..open];
        if !id.is_empty() && (name.is_empty() || name.ends_with(' ')) {
            let name = name.strip_suffix(' ').unwrap_or(name);
            return Some((name.to_string(), Some(id.to_string())));
        }
    }
    (!rest.is_empty()).then(|| (rest.to_string(), None))
}

/// The persona column headers, in persona order: `emotion:<name>` when the importer derives
/// the persona's id from its name, `emotion:<name> [<id>]` otherwise.
fn persona_headers(personas: &[Persona]) -> Vec<String> {
    let mut derived: HashSet<String> = HashSet::new();
    personas
        .iter()
        .map(|p| {
            let plain = !p.name.is_empty()
                && p.name.trim() == p.name
                && !p.name.ends_with(']')
                && slug(&p.name) == p.id
                && !derived.contains(&p.id);
            if plain {
                derived.insert(p.id.clone());
                format!("emotion:{}", p.name)
            } else {
                format!("emotion:{} [{}]", p.name, p.id)
            }
        })
        .collect()
}

fn csv_error(code: ErrorCode, message: String, line: u64, column: Option<u64>) -> CjmError {
    CjmError::parse(
        code,
        format!("CSV: {message}"),
        Location {
            path: None,
            line: Some(line),
            column,
        },
    )
}

fn map_csv_error(error: csv::Error) -> CjmError {
    let line = error.position().map_or(1, |p| p.line());
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => csv_error(
            ErrorCode::CsvSyntax,
            format!("row has {len} fields but the header has {expected_len}"),
            line,
            None,
        ),
        csv::ErrorKind::Utf8 { err, .. } => csv_error(
            ErrorCode::InvalidUtf8,
            format!("field {} is not valid UTF-8", err.field() + 1),
            line,
            Some(err.field() as u64 + 1),
        ),
        _ => csv_error(ErrorCode::CsvSyntax, error.to_string(), line, None),
    }
}

/// A list cell of a touchpoint row: one value per line, each trimmed, empty lines skipped.
fn lines_of(cell: &str) -> ThinVec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Ids separated by commas.
fn ids_of(cell: &str) -> ThinVec<String> {
    cell.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

/// A text cell, exactly as written; empty means absent.
fn text(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_string())
}

/// A list that [`lines_of`] gives back exactly when its items are joined by line breaks.
fn simple_list(items: &[String]) -> bool {
    items
        .iter()
        .all(|i| !i.is_empty() && i.trim() == i && !i.contains(['\n', '\r']))
}

/// Ids that survive being joined by commas and split again.
fn simple_ids(ids: &[String]) -> bool {
    ids.iter()
        .all(|i| !i.is_empty() && i.trim() == i && !i.contains(','))
}

/// The cells of one record, read but not yet placed.
#[derive(Default)]
struct Row {
    stage_id: Option<String>,
    stage: String,
    stage_description: Option<String>,
    stage_goal: Option<String>,
    stage_duration: Option<String>,
    tp_id: Option<String>,
    tp_name: String,
    /// Field number of the first non-empty single-value touchpoint cell.
    tp_field: Option<u64>,
    description: Option<String>,
    channel: Option<String>,
    layer: Layer,
    owner: Option<String>,
    personas: ThinVec<String>,
    lists: Vec<(List, String)>,
    emotions: Vec<(usize, f64)>,
    pain_id: Option<String>,
    pain: Option<String>,
    pain_field: Option<u64>,
    severity: Option<i64>,
    share: Option<f64>,
    pain_personas: ThinVec<String>,
    evidence: ThinVec<String>,
    extra: Vec<(String, String)>,
}

impl Row {
    /// The pain point this row holds, if any; `owner` and `count` make its id when the row
    /// has none.
    fn pain_point(&mut self, owner: &str, count: usize, line: u64) -> Result<Option<PainPoint>> {
        if self.pain_id.is_none() && self.pain.is_none() {
            return Ok(None);
        }
        let Some(severity) = self.severity else {
            return Err(csv_error(
                ErrorCode::CsvSyntax,
                "a pain_point needs a pain_severity (1–5) in the same row".into(),
                line,
                self.pain_field,
            ));
        };
        let id = self.pain_id.take().unwrap_or_else(|| match count {
            0 => format!("{owner}-pain"),
            n => format!("{owner}-pain-{}", n + 1),
        });
        Ok(Some(PainPoint {
            id,
            description: self.pain.take().unwrap_or_default(),
            severity,
            share_affected: self.share,
            personas: std::mem::take(&mut self.pain_personas),
            evidence: ThinVec::new(),
            extensions: Extensions::new(),
        }))
    }
}

fn read_row(record: &csv::StringRecord, columns: &[Column], line: u64) -> Result<Row> {
    let mut row = Row::default();
    for (index, (raw, col)) in record.iter().zip(columns).enumerate() {
        let field = index as u64 + 1;
        let cell = unguard(raw);
        let number = |what: &str| -> Result<Option<f64>> {
            let cell = cell.trim();
            if cell.is_empty() {
                return Ok(None);
            }
            cell.replace(',', ".")
                .parse::<f64>()
                .map(Some)
                .map_err(|_| {
                    csv_error(
                        ErrorCode::WrongType,
                        format!("{what} {cell:?} is not a number"),
                        line,
                        Some(field),
                    )
                })
        };
        let single = !cell.trim().is_empty();
        match col {
            Column::StageId => row.stage_id = text(cell),
            Column::Stage => row.stage = cell.to_string(),
            Column::StageDescription => row.stage_description = text(cell),
            Column::StageGoal => row.stage_goal = text(cell),
            Column::StageDuration => row.stage_duration = text(cell),
            Column::TouchpointId => row.tp_id = text(cell),
            Column::Touchpoint => row.tp_name = cell.to_string(),
            Column::Description => row.description = text(cell),
            Column::Channel => row.channel = text(cell),
            Column::Owner => row.owner = text(cell),
            Column::Layer => {
                row.layer = match cell.trim().to_lowercase().as_str() {
                    "" | "frontstage" | "front" => Layer::Frontstage,
                    "backstage" | "back" => Layer::Backstage,
                    other => {
                        return Err(csv_error(
                            ErrorCode::WrongType,
                            format!("layer {other:?} must be frontstage or backstage"),
                            line,
                            Some(field),
                        ));
                    }
                }
            }
            Column::Personas => row.personas = ids_of(cell),
            Column::List(list) => {
                if !cell.is_empty() {
                    row.lists.push((*list, cell.to_string()));
                }
                continue;
            }
            Column::Emotion(_) => {
                if let Some(score) = number("emotion")? {
                    row.emotions.push((index, score));
                }
            }
            Column::PainId => {
                row.pain_id = text(cell);
                row.pain_field = row.pain_field.or(row.pain_id.as_ref().map(|_| field));
                continue;
            }
            Column::PainPoint => {
                row.pain = text(cell);
                row.pain_field = row.pain.as_ref().map(|_| field).or(row.pain_field);
                continue;
            }
            Column::PainSeverity => {
                if let Some(value) = number("pain_severity")? {
                    if value.fract() != 0.0 || !value.is_finite() {
                        return Err(csv_error(
                            ErrorCode::WrongType,
                            format!("pain_severity {value} must be a whole number 1–5"),
                            line,
                            Some(field),
                        ));
                    }
                    row.severity = Some(value as i64);
                }
                continue;
            }
            Column::PainShare => {
                row.share = number("pain_share")?;
                continue;
            }
            Column::PainPersonas => {
                row.pain_personas = ids_of(cell);
                continue;
            }
            Column::Evidence => row.evidence = ids_of(cell),
            Column::Extra(name) => {
                if let Some(value) = text(cell) {
                    let key = if name.starts_with("x-") {
                        name.clone()
                    } else {
                        format!("x-{name}")
                    };
                    row.extra.push((key, value));
                }
            }
        }
        let touchpoint_cell = !matches!(
            col,
            Column::StageId
                | Column::Stage
                | Column::StageDescription
                | Column::StageGoal
                | Column::StageDuration
                | Column::TouchpointId
                | Column::Touchpoint
        );
        if touchpoint_cell && single && row.tp_field.is_none() {
            row.tp_field = Some(field);
        }
    }
    Ok(row)
}

/// The stage a row belongs to, created when new.
fn stage_of(
    journey: &mut Journey,
    stage_ids: &mut IdMaker,
    row: &mut Row,
    line: u64,
) -> Result<usize> {
    let stage_name = std::mem::take(&mut row.stage);
    if stage_name.is_empty() && row.stage_id.is_none() {
        return Err(csv_error(
            ErrorCode::CsvSyntax,
            "the stage cell is empty".into(),
            line,
            None,
        ));
    }
    let key = row.stage_id.clone().unwrap_or_else(|| slug(&stage_name));
    let existing = journey.stages.iter().position(|s| {
        s.id == key || (row.stage_id.is_none() && !stage_name.is_empty() && s.name == stage_name)
    });
    let index = match existing {
        Some(i) => i,
        None => {
            let id = match row.stage_id.take() {
                Some(id) => id,
                None => stage_ids.make(&stage_name, "stage"),
            };
            let name = if stage_name.is_empty() {
                id.clone()
            } else {
                stage_name
            };
            journey.stages.push(Stage::new(id, name));
            journey.stages.len() - 1
        }
    };
    let stage = &mut journey.stages[index];
    if stage.description.is_none() {
        stage.description = row.stage_description.take();
    }
    if stage.goal.is_none() {
        stage.goal = row.stage_goal.take();
    }
    if stage.expected_duration.is_none() {
        stage.expected_duration = row.stage_duration.take();
    }
    Ok(index)
}

pub(crate) fn parse(input: &str) -> Result<Journey> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input.as_bytes());
    let headers = reader.headers().map_err(map_csv_error)?.clone();
    let columns: Vec<Column> = headers.iter().map(column).collect();
    for required in ["stage", "touchpoint"] {
        if !headers
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case(required))
        {
            return Err(csv_error(
                ErrorCode::CsvSyntax,
                format!(
                    "the header needs a {required:?} column (found: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
                1,
                None,
            ));
        }
    }

    let mut journey = Journey::new("imported-journey", "Imported journey");
    let mut stage_ids = IdMaker::new();
    let mut touchpoint_ids = IdMaker::new();
    let mut persona_ids = IdMaker::new();
    // The persona id each emotion column maps to (None: the `emotion` column, all personas).
    let mut persona_of_column: Vec<Option<String>> = Vec::new();
    for col in &columns {
        persona_of_column.push(match col {
            Column::Emotion(Some((name, id))) => {
                let id = match id {
                    Some(id) => id.clone(),
                    None => persona_ids.make(name, "persona"),
                };
                journey
                    .personas
                    .push(Persona::new(id.clone(), name.clone()));
                Some(id)
            }
            _ => None,
        });
    }

    // The touchpoint the previous row started or continued: (stage index, its id).
    let mut last: Option<(usize, String)> = None;
    for record in reader.records() {
        let record = record.map_err(map_csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut row = read_row(&record, &columns, line)?;

        // A continuation row: more list items and one more pain point of the touchpoint above.
        // A row with other touchpoint cells is a touchpoint of its own, even with the same id
        // (a duplicate id, which the validator reports), so no written table is unreadable.
        if row.tp_name.is_empty()
            && row.tp_field.is_none()
            && let (Some(id), Some((stage, last_id))) = (&row.tp_id, &last)
            && id == last_id
        {
            let stage = *stage;
            let Some(tp) = journey.stages[stage].touchpoints.last_mut() else {
                continue;
            };
            for (list, cell) in std::mem::take(&mut row.lists) {
                list.of_mut(tp).push(cell);
            }
            let count = tp.pain_points.len();
            let owner = tp.id.clone();
            if let Some(pain) = row.pain_point(&owner, count, line)? {
                tp.pain_points.push(pain);
            }
            continue;
        }

        // A stage row: the stage, and one pain point of the stage itself.
        if row.tp_name.is_empty() && row.tp_id.is_none() {
            if row.tp_field.is_some() || !row.lists.is_empty() {
                return Err(csv_error(
                    ErrorCode::CsvSyntax,
                    "the touchpoint cell is empty".into(),
                    line,
                    row.tp_field,
                ));
            }
            let index = stage_of(&mut journey, &mut stage_ids, &mut row, line)?;
            let stage = &mut journey.stages[index];
            let (owner, count) = (stage.id.clone(), stage.pain_points.len());
            if let Some(pain) = row.pain_point(&owner, count, line)? {
                stage.pain_points.push(pain);
            }
            last = None;
            continue;
        }

        // A touchpoint row.
        let index = stage_of(&mut journey, &mut stage_ids, &mut row, line)?;
        let id = match row.tp_id.take() {
            Some(id) => id,
            None => touchpoint_ids.make(&row.tp_name, "touchpoint"),
        };
        let mut tp = Touchpoint::new(id, std::mem::take(&mut row.tp_name));
        tp.description = row.description.take();
        tp.channel = row.channel.take();
        tp.layer = row.layer;
        tp.owner = row.owner.take();
        tp.personas = std::mem::take(&mut row.personas);
        for (list, cell) in std::mem::take(&mut row.lists) {
            *list.of_mut(&mut tp) = lines_of(&cell);
        }
        for (column, score) in std::mem::take(&mut row.emotions) {
            tp.emotions.push(EmotionScore {
                persona: persona_of_column[column].clone(),
                score,
                sample_size: None,
                extensions: Extensions::new(),
            });
        }
        tp.evidence = std::mem::take(&mut row.evidence);
        for (key, value) in std::mem::take(&mut row.extra) {
            tp.extensions.insert(key, Value::String(value));
        }
        let owner = tp.id.clone();
        if let Some(pain) = row.pain_point(&owner, 0, line)? {
            tp.pain_points.push(pain);
        }
        last = Some((index, tp.id.clone()));
        // Continuation rows may grow a list again; they are rare, and cost only that list.
        tp.shrink_lists();
        journey.stages[index].touchpoints.push(tp);
    }
    for stage in &mut journey.stages {
        stage.touchpoints.shrink_to_fit();
    }
    Ok(journey)
}

/// Characters a spreadsheet skips before it looks for a formula sign: spaces, NBSP, tabs,
/// line breaks, zero-width characters (U+200B–U+200D) and the byte-order mark.
fn blank(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\t' | '\r' | '\n' | '\u{200b}'..='\u{200d}' | '\u{feff}'
    )
}

/// A plain number such as `-1` or `+0.5`: data, not a formula.
fn plain_number(cell: &str) -> bool {
    cell.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && cell.parse::<f64>().is_ok()
}

/// Whether a spreadsheet could run the cell as a formula: it starts with a tab or a carriage
/// return, or its first non-blank character is `= + - @`, full-width `＝ ＋ － ＠`, or `|`.
fn formula_like(cell: &str) -> bool {
    if cell.starts_with(['\t', '\r']) {
        return true;
    }
    let rest = cell.trim_start_matches(blank);
    let dangerous = rest.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠', '|']);
    dangerous && !(rest.len() == cell.len() && plain_number(cell))
}

/// Whether the writer guards the cell: it is formula-like after any leading apostrophes.
/// (Counting the apostrophes makes the reader's unquoting the exact inverse of the guard.)
fn guarded(cell: &str) -> bool {
    formula_like(cell.trim_start_matches('\''))
}

/// Spreadsheets run cells starting with `=`, `+`, `-` or `@` (and the other signs of
/// [`formula_like`]) as formulas; a leading `'` stops that. Numbers are left alone. A cell that
/// already starts with apostrophes followed by such a sign gets one more, so that [`unguard`]
/// gives every string back exactly.
pub(crate) fn neutralise(cell: &str) -> String {
    if guarded(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The inverse of [`neutralise`]: removes the leading `'` only when the rest of the cell is a
/// guarded cell; `'hello` stays `'hello`.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if guarded(rest) => rest,
        _ => cell,
    }
}

/// Positions of the columns in a written table.
struct Layout {
    header: Vec<String>,
    personas: Vec<usize>,
    extra: Vec<(String, usize)>,
}

impl Layout {
    fn new(journey: &Journey) -> Layout {
        let tps = || journey.touchpoints().map(|(_, tp)| tp);
        let pains = || {
            journey
                .stages
                .iter()
                .flat_map(|s| s.pain_points.iter())
                .chain(tps().flat_map(|tp| tp.pain_points.iter()))
        };
        let mut header: Vec<String> = Vec::new();
        let mut push = |name: &str, used: bool| {
            if used {
                header.push(name.to_string());
            }
        };
        push("stage_id", true);
        push("stage", true);
        push(
            "stage_description",
            journey.stages.iter().any(|s| s.description.is_some()),
        );
        push("stage_goal", true);
        push(
            "stage_duration",
            journey.stages.iter().any(|s| s.expected_duration.is_some()),
        );
        for name in [
            "touchpoint_id",
            "touchpoint",
            "description",
            "channel",
            "layer",
            "owner",
        ] {
            push(name, true);
        }
        push("personas", tps().any(|tp| !tp.personas.is_empty()));
        for (list, name) in List::ALL {
            push(
                name,
                list != List::Events || tps().any(|tp| !tp.events.is_empty()),
            );
        }
        push("emotion", true);
        let first_persona = header.len();
        header.extend(persona_headers(&journey.personas));
        let personas = (first_persona..header.len()).collect();
        for name in ["pain_point_id", "pain_point", "pain_severity", "pain_share"] {
            header.push(name.to_string());
        }
        if pains().any(|p| !p.personas.is_empty()) {
            header.push("pain_personas".to_string());
        }
        // Text extensions of touchpoints get a column each, so the importer keeps them.
        let mut extra: Vec<(String, usize)> = Vec::new();
        for tp in tps() {
            for (key, value) in &tp.extensions {
                if value.is_string()
                    && key.starts_with("x-")
                    && !extra.iter().any(|(k, _)| k == key)
                {
                    extra.push((key.clone(), header.len()));
                    header.push(key.clone());
                }
            }
        }
        Layout {
            header,
            personas,
            extra,
        }
    }

    fn row(&self) -> Vec<String> {
        vec![String::new(); self.header.len()]
    }

    fn set(&self, row: &mut [String], name: &str, value: impl Into<String>) {
        if let Some(i) = self.header.iter().position(|h| h == name) {
            row[i] = value.into();
        }
    }

    fn set_stage(&self, row: &mut [String], stage: &Stage) {
        self.set(row, "stage_id", stage.id.clone());
        self.set(row, "stage", stage.name.clone());
        self.set(
            row,
            "stage_description",
            stage.description.clone().unwrap_or_default(),
        );
        self.set(row, "stage_goal", stage.goal.clone().unwrap_or_default());
        self.set(
            row,
            "stage_duration",
            stage.expected_duration.clone().unwrap_or_default(),
        );
    }

    fn set_pain(&self, row: &mut [String], pain: Option<&PainPoint>) {
        let Some(pain) = pain else { return };
        self.set(row, "pain_point_id", pain.id.clone());
        self.set(row, "pain_point", pain.description.clone());
        self.set(row, "pain_severity", pain.severity.to_string());
        self.set(
            row,
            "pain_share",
            pain.share_affected.map_or(String::new(), |s| s.to_string()),
        );
        self.set(row, "pain_personas", pain.personas.join(","));
    }
}

pub(crate) fn write(journey: &Journey) -> Result<String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let layout = Layout::new(journey);
    let io = |e: csv::Error| {
        CjmError::usage(ErrorCode::SerializeFailed, format!("cannot write CSV: {e}"))
    };
    writer.write_record(&layout.header).map_err(io)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for stage in &journey.stages {
        // Stage rows: one per pain point of the stage, or one for a stage without touchpoints.
        let stage_rows = stage
            .pain_points
            .len()
            .max(usize::from(stage.touchpoints.is_empty()));
        for k in 0..stage_rows {
            let mut row = layout.row();
            layout.set_stage(&mut row, stage);
            layout.set_pain(&mut row, stage.pain_points.get(k));
            rows.push(row);
        }
        for tp in &stage.touchpoints {
            let score = |persona: Option<&str>| {
                tp.emotions
                    .iter()
                    .find(|e| e.persona.as_deref() == persona)
                    .map_or(String::new(), |e| e.score.to_string())
            };
            let mut row = layout.row();
            layout.set_stage(&mut row, stage);
            layout.set(&mut row, "touchpoint_id", tp.id.clone());
            layout.set(&mut row, "touchpoint", tp.name.clone());
            layout.set(
                &mut row,
                "description",
                tp.description.clone().unwrap_or_default(),
            );
            layout.set(&mut row, "channel", tp.channel.clone().unwrap_or_default());
            layout.set(
                &mut row,
                "layer",
                match tp.layer {
                    Layer::Frontstage => "frontstage",
                    Layer::Backstage => "backstage",
                },
            );
            layout.set(&mut row, "owner", tp.owner.clone().unwrap_or_default());
            layout.set(&mut row, "personas", tp.personas.join(","));
            // Lists go in one cell, one item per line, when that reads back exactly;
            // otherwise one item per continuation row.
            let mut spread: Vec<(&str, &[String])> = Vec::new();
            for (list, name) in List::ALL {
                let items = list.of(tp);
                if simple_list(items) {
                    layout.set(&mut row, name, items.join("\n"));
                } else {
                    spread.push((name, items));
                }
            }
            layout.set(&mut row, "emotion", score(None));
            for (persona, &i) in journey.personas.iter().zip(&layout.personas) {
                row[i] = score(Some(&persona.id));
            }
            layout.set_pain(&mut row, tp.pain_points.first());
            for (key, i) in &layout.extra {
                row[*i] = tp
                    .extensions
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
            }
            rows.push(row);
            // Continuation rows find their touchpoint by id: without one, only the first row.
            let more = if tp.id.is_empty() {
                1
            } else {
                spread
                    .iter()
                    .map(|(_, items)| items.len() + 1)
                    .chain([tp.pain_points.len()])
                    .max()
                    .unwrap_or(1)
            };
            for k in 1..more {
                let mut row = layout.row();
                layout.set(&mut row, "stage_id", stage.id.clone());
                layout.set(&mut row, "stage", stage.name.clone());
                layout.set(&mut row, "touchpoint_id", tp.id.clone());
                for (name, items) in &spread {
                    if let Some(item) = items.get(k - 1) {
                        layout.set(&mut row, name, item.clone());
                    }
                }
                layout.set_pain(&mut row, tp.pain_points.get(k));
                rows.push(row);
            }
        }
    }
    for row in rows {
        let row: Vec<String> = row.iter().map(|c| neutralise(c)).collect();
        writer.write_record(&row).map_err(io)?;
    }
    let bytes = writer.into_inner().map_err(|e| {
        CjmError::usage(ErrorCode::SerializeFailed, format!("cannot write CSV: {e}"))
    })?;
    String::from_utf8(bytes)
        .map_err(|e| CjmError::usage(ErrorCode::SerializeFailed, format!("cannot write CSV: {e}")))
}

/// What the table drops of a journey, as `(JSON pointer, explanation)`: removing every listed
/// pointer from the journey (and from the journey read back) leaves two equal journeys.
fn losses(journey: &Journey) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut lost = |path: String, what: &str| out.push((path, what.to_string()));
    const NO_ROWS: &str = "the table has no rows for it";
    lost(
        "/id".into(),
        "the table has no journey id (read back as imported-journey)",
    );
    lost(
        "/title".into(),
        "the table has no title (read back as Imported journey)",
    );
    if journey.schema.is_some() {
        lost("/$schema".into(), "the table has no schema pointer");
    }
    for (field, present) in [
        ("description", journey.description.is_some()),
        ("state", journey.state != JourneyState::AsIs),
        ("owner", journey.owner.is_some()),
        ("based_on", journey.based_on.is_some()),
        ("updated", journey.updated.is_some()),
        (
            "emotion_scale",
            journey.emotion_scale != EmotionScale::default(),
        ),
        ("tags", !journey.tags.is_empty()),
    ] {
        if present {
            lost(format!("/{field}"), "the table has no journey-level fields");
        }
    }
    for (field, count) in [
        ("opportunities", journey.opportunities.len()),
        ("metrics", journey.metrics.len()),
        ("evidence", journey.evidence.len()),
    ] {
        if count > 0 {
            lost(format!("/{field}"), NO_ROWS);
        }
    }
    for key in journey.extensions.keys() {
        lost(
            format!("/{}", pointer_segment(key)),
            "the table has no journey-level fields",
        );
    }
    for (i, p) in journey.personas.iter().enumerate() {
        let at = format!("/personas/{i}");
        for (field, present) in [
            ("description", p.description.is_some()),
            ("demographics", !p.demographics.is_empty()),
            ("needs", !p.needs.is_empty()),
            ("motivations", !p.motivations.is_empty()),
            ("pains", !p.pains.is_empty()),
            ("fears", !p.fears.is_empty()),
            ("goals", !p.goals.is_empty()),
            ("expectations", !p.expectations.is_empty()),
        ] {
            if present {
                lost(
                    format!("{at}/{field}"),
                    "a persona is only a column header: its id and name are kept",
                );
            }
        }
        for key in p.extensions.keys() {
            lost(
                format!("{at}/{}", pointer_segment(key)),
                "persona extensions are not kept",
            );
        }
        if p.name.trim() != p.name {
            lost(format!("{at}/name"), "a column header is trimmed");
        }
        if p.id.contains(['[', ']']) {
            lost(
                format!("{at}/id"),
                "a persona id with [ or ] cannot be written in a header",
            );
        }
    }
    let optional =
        |lost: &mut dyn FnMut(String, &str), at: &str, field: &str, v: &Option<String>| {
            if v.as_deref() == Some("") {
                lost(
                    format!("{at}/{field}"),
                    "an empty cell reads back as absent",
                );
            }
        };
    let pain_losses = |lost: &mut dyn FnMut(String, &str), at: &str, pain: &PainPoint| {
        if !pain.evidence.is_empty() {
            lost(
                format!("{at}/evidence"),
                "evidence references are not written (no evidence rows)",
            );
        }
        if !simple_ids(&pain.personas) {
            lost(format!("{at}/personas"), "ids are joined by commas");
        }
        for key in pain.extensions.keys() {
            lost(
                format!("{at}/{}", pointer_segment(key)),
                "pain point extensions are not kept",
            );
        }
    };
    for (s, stage) in journey.stages.iter().enumerate() {
        let at = format!("/stages/{s}");
        if stage.name.is_empty() {
            lost(
                format!("{at}/name"),
                "an empty stage name reads back as the stage id",
            );
        }
        optional(&mut lost, &at, "description", &stage.description);
        optional(&mut lost, &at, "goal", &stage.goal);
        optional(
            &mut lost,
            &at,
            "expected_duration",
            &stage.expected_duration,
        );
        if !stage.metrics.is_empty() {
            lost(format!("{at}/metrics"), "the table has no metric columns");
        }
        for key in stage.extensions.keys() {
            lost(
                format!("{at}/{}", pointer_segment(key)),
                "stage extensions are not kept",
            );
        }
        for (k, pain) in stage.pain_points.iter().enumerate() {
            pain_losses(&mut lost, &format!("{at}/pain_points/{k}"), pain);
        }
        for (t, tp) in stage.touchpoints.iter().enumerate() {
            let at = format!("{at}/touchpoints/{t}");
            if tp.id.is_empty() {
                lost(format!("{at}/id"), "an empty id is made from the name");
                // Continuation rows need the id: only the first row is written.
                if tp.pain_points.len() > 1 {
                    lost(
                        format!("{at}/pain_points"),
                        "without an id, only the first pain point is written",
                    );
                }
                for (list, name) in List::ALL {
                    if !simple_list(list.of(tp)) {
                        lost(
                            format!("{at}/{name}"),
                            "without an id, a list needing one row per item is not written",
                        );
                    }
                }
            }
            optional(&mut lost, &at, "description", &tp.description);
            optional(&mut lost, &at, "channel", &tp.channel);
            optional(&mut lost, &at, "owner", &tp.owner);
            if !simple_ids(&tp.personas) {
                lost(format!("{at}/personas"), "ids are joined by commas");
            }
            for (list, name) in List::ALL {
                if list.of(tp).iter().any(String::is_empty) {
                    lost(format!("{at}/{name}"), "empty list items are not kept");
                }
            }
            if !tp.metrics.is_empty() {
                lost(format!("{at}/metrics"), "the table has no metric columns");
            }
            if !tp.evidence.is_empty() {
                lost(
                    format!("{at}/evidence"),
                    "evidence references are not written (no evidence rows)",
                );
            }
            // Emotions come back in column order: all personas first, then persona by persona,
            // one score each, for personas the journey lists.
            let canonical: Vec<Option<&str>> = std::iter::once(None)
                .chain(journey.personas.iter().map(|p| Some(p.id.as_str())))
                .filter(|p| tp.emotions.iter().any(|e| e.persona.as_deref() == *p))
                .collect();
            let actual: Vec<Option<&str>> =
                tp.emotions.iter().map(|e| e.persona.as_deref()).collect();
            if canonical != actual {
                lost(
                    format!("{at}/emotions"),
                    "scores come back one per persona column, in column order",
                );
            } else {
                for (e, emotion) in tp.emotions.iter().enumerate() {
                    if emotion.sample_size.is_some() {
                        lost(
                            format!("{at}/emotions/{e}/sample_size"),
                            "the table has no sample-size columns",
                        );
                    }
                    for key in emotion.extensions.keys() {
                        lost(
                            format!("{at}/emotions/{e}/{}", pointer_segment(key)),
                            "emotion extensions are not kept",
                        );
                    }
                }
            }
            for (k, pain) in tp.pain_points.iter().enumerate() {
                pain_losses(&mut lost, &format!("{at}/pain_points/{k}"), pain);
            }
            for (key, value) in &tp.extensions {
                let kept = key.starts_with("x-")
                    && key.trim() == key
                    && value.as_str().is_some_and(|v| !v.is_empty());
                if !kept {
                    lost(
                        format!("{at}/{}", pointer_segment(key)),
                        "only non-empty text x- extensions of touchpoints get a column",
                    );
                }
            }
        }
    }
    out
}

/// What writing `journey` as a CSV table drops, one line each: `<JSON pointer>: <why>`.
/// Reading the table back gives the journey minus exactly these.
pub(crate) fn csv_losses(journey: &Journey) -> Vec<String> {
    losses(journey)
        .into_iter()
        .map(|(path, what)| format!("{path}: {what}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Format, parse_journey, write_journey};

    /// Removes the value at a JSON pointer (object keys only; the loss paths never end in an
    /// array index). Returns whether something was there.
    fn remove(value: &mut Value, pointer: &str) -> bool {
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
        let key = key.replace("~1", "/").replace("~0", "~");
        match value.pointer_mut(parent) {
            Some(Value::Object(map)) => map.shift_remove(&key).is_some(),
            _ => false,
        }
    }

    fn example(name: &str) -> Journey {
        let path = format!(
            "{}/../examples/{name}/journey.yaml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).expect("example");
        parse_journey(&text, Format::Yaml).expect("example parses")
    }

    /// Export → import keeps every field the table carries: the two journeys are equal as
    /// JSON once the pointers `losses` lists are removed from both, and nothing else.
    fn round_trip_equal_but_losses(journey: &Journey) -> Vec<(String, String)> {
        let text = write_journey(journey, Format::Csv).expect("writes");
        let back = parse_journey(&text, Format::Csv).expect("reads back");
        let mut original = serde_json::to_value(journey).unwrap();
        let mut again = serde_json::to_value(&back).unwrap();
        let losses = losses(journey);
        for (path, _) in &losses {
            remove(&mut original, path);
            remove(&mut again, path);
        }
        assert_eq!(
            again,
            original,
            "round trip changed more than the losses:\n{}\n{text}",
            csv_losses(journey).join("\n")
        );
        losses
    }

    #[test]
    fn examples_round_trip_except_the_listed_losses() {
        for name in ["sports-nutrition", "ecommerce"] {
            let journey = example(name);
            let losses = round_trip_equal_but_losses(&journey);
            let paths: Vec<&str> = losses.iter().map(|(p, _)| p.as_str()).collect();
            // What the table keeps is not listed: pain points, their ids, personas, stages.
            assert!(
                !paths.iter().any(|p| p.ends_with("/pain_points")),
                "{paths:?}"
            );
            assert!(
                !paths.iter().any(|p| p.ends_with("/id") && p != &"/id"),
                "{paths:?}"
            );
            // What it drops is: every evidence reference, every opportunity, metrics.
            for dropped in ["/opportunities", "/evidence", "/metrics", "/title"] {
                assert!(paths.contains(&dropped), "{name}: {dropped} not listed");
            }
            let refs = journey
                .touchpoints()
                .filter(|(_, tp)| !tp.evidence.is_empty())
                .count();
            let listed = paths
                .iter()
                .filter(|p| {
                    p.contains("/touchpoints/")
                        && p.ends_with("/evidence")
                        && !p.contains("/pain_points/")
                })
                .count();
            assert_eq!(listed, refs, "{name}: touchpoint evidence references");
        }
    }

    #[test]
    fn the_sports_example_keeps_two_pain_points_of_one_touchpoint() {
        let journey = example("sports-nutrition");
        let text = write_journey(&journey, Format::Csv).unwrap();
        let back = parse_journey(&text, Format::Csv).unwrap();
        let find = |j: &Journey| {
            j.touchpoints()
                .find(|(_, tp)| tp.id == "reorder-decision")
                .map(|(_, tp)| tp.pain_points.clone())
                .unwrap()
        };
        let (mut before, after) = (find(&journey), find(&back));
        assert_eq!(before.len(), 2);
        // Evidence references are the one thing dropped (listed by `losses`).
        for pain in &mut before {
            assert!(!pain.evidence.is_empty());
            pain.evidence.clear();
        }
        assert_eq!(after, before);
    }

    #[test]
    fn a_journey_with_nothing_but_what_the_table_holds_has_only_id_and_title_losses() {
        let text = "stage_id,stage,touchpoint_id,touchpoint,pain_point_id,pain_point,pain_severity\n\
                    s,S,t,T,p1,one,2\n\
                    s,,t,,p2,two,3\n";
        let journey = parse_journey(text, Format::Csv).unwrap();
        assert_eq!(journey.stages[0].touchpoints[0].pain_points.len(), 2);
        assert_eq!(
            csv_losses(&journey),
            [
                "/id: the table has no journey id (read back as imported-journey)",
                "/title: the table has no title (read back as Imported journey)"
            ]
        );
        round_trip_equal_but_losses(&journey);
    }

    #[test]
    fn odd_journeys_differ_only_by_their_listed_losses() {
        let yaml = r#"
id: odd
title: Odd
state: to_be
emotion_scale: {min: 1, max: 5}
personas:
  - {id: a, name: " A ", needs: [n]}
stages:
  - id: s
    name: ""
    goal: ""
    x-stage: 1
    touchpoints:
      - {id: t, name: A, actions: ["x\ny", ""], evidence: [e], x-n: 3, x-s: "", note: k}
      - {id: t, name: "", pain_points: [{id: p, description: d, severity: 1, evidence: [e]}, {id: q, description: e, severity: 2}]}
      - id: ""
        name: No id
        actions: [" a "]
        emotions: [{persona: a, score: 2}, {score: 1}, {persona: ghost, score: 1}]
        pain_points: [{id: r, description: f, severity: 3}, {id: u, description: g, severity: 4}]
      - {id: w, name: W, emotions: [{persona: a, score: 2, sample_size: 9, x-e: 1}]}
"#;
        let journey = parse_journey(yaml, Format::Yaml).unwrap();
        let losses = round_trip_equal_but_losses(&journey);
        let paths: Vec<&str> = losses.iter().map(|(p, _)| p.as_str()).collect();
        for expected in [
            "/state",
            "/emotion_scale",
            "/personas/0/needs",
            "/personas/0/name",
            "/stages/0/name",
            "/stages/0/goal",
            "/stages/0/x-stage",
            "/stages/0/touchpoints/0/actions",
            "/stages/0/touchpoints/0/evidence",
            "/stages/0/touchpoints/0/x-n",
            "/stages/0/touchpoints/0/x-s",
            "/stages/0/touchpoints/0/note",
            "/stages/0/touchpoints/1/pain_points/0/evidence",
            "/stages/0/touchpoints/2/id",
            "/stages/0/touchpoints/2/pain_points",
            "/stages/0/touchpoints/2/actions",
            "/stages/0/touchpoints/2/emotions",
            "/stages/0/touchpoints/3/emotions/0/sample_size",
            "/stages/0/touchpoints/3/emotions/0/x-e",
        ] {
            assert!(paths.contains(&expected), "{expected} not in {paths:?}");
        }
    }

    #[test]
    fn guard_and_unguard_are_inverse() {
        for s in [
            "=1+1",
            "'=x",
            "''=x",
            "'hello",
            "hello",
            "-1",
            "-1+1",
            "+",
            "",
            "'",
            "''",
            " =1",
            "\u{a0}=1",
            "\u{200b}@x",
            "\u{feff}-x",
            "＝1",
            "＋1",
            "－1",
            "＠x",
            "|x",
            "\tx",
            "\rx",
            "\n=x",
            "'-1",
            "-inf",
            "1e5",
            "Привет",
            "😀=",
        ] {
            assert_eq!(unguard(&neutralise(s)), s, "{s:?}");
        }
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(neutralise("'hello"), "'hello");
        assert_eq!(neutralise("-1"), "-1");
        assert_eq!(neutralise("-1+1"), "'-1+1");
        assert_eq!(neutralise(" \u{a0}\u{200b}=1"), "' \u{a0}\u{200b}=1");
        assert_eq!(neutralise("\tplain"), "'\tplain");
        assert_eq!(neutralise("|cmd"), "'|cmd");
        assert_eq!(neutralise("＠x"), "'＠x");
        assert_eq!(unguard("'hello"), "'hello");
        assert_eq!(unguard("'-1"), "'-1");
        assert_eq!(unguard("'=s"), "=s");
    }
}
