//! A touchpoint table for spreadsheet users: one row per touchpoint.
//!
//! Columns (header names are case-insensitive; only `stage` and `touchpoint` are required):
//! `stage_id`, `stage`, `stage_goal`, `touchpoint_id`, `touchpoint`, `description`, `channel`,
//! `layer`, `owner`, `actions`, `thoughts`, `feelings`, `questions`, `expectations` (several
//! values in one cell are separated by line breaks), `emotion` (all personas),
//! `emotion:<persona>` (one column per persona), `pain_point`, `pain_severity`, `pain_share`,
//! `evidence` (ids separated by commas). Any other column is kept on the touchpoint as an
//! `x-<column>` extension.

use serde_json::Value;

use super::mermaid::{IdMaker, slug};
use crate::error::{CjmError, Location, Result};
use crate::model::{
    EmotionScore, Extensions, Journey, Layer, PainPoint, Persona, Stage, Touchpoint,
};

enum Column {
    StageId,
    Stage,
    StageGoal,
    TouchpointId,
    Touchpoint,
    Description,
    Channel,
    Layer,
    Owner,
    Actions,
    Thoughts,
    Feelings,
    Questions,
    Expectations,
    Emotion(Option<String>),
    PainPoint,
    PainSeverity,
    PainShare,
    Evidence,
    Extra(String),
}

fn column(header: &str) -> Column {
    let key = header.trim().to_lowercase();
    match key.as_str() {
        "stage_id" => Column::StageId,
        "stage" => Column::Stage,
        "stage_goal" => Column::StageGoal,
        "touchpoint_id" | "id" => Column::TouchpointId,
        "touchpoint" => Column::Touchpoint,
        "description" => Column::Description,
        "channel" => Column::Channel,
        "layer" => Column::Layer,
        "owner" => Column::Owner,
        "actions" => Column::Actions,
        "thoughts" => Column::Thoughts,
        "feelings" => Column::Feelings,
        "questions" => Column::Questions,
        "expectations" => Column::Expectations,
        "emotion" => Column::Emotion(None),
        "pain_point" => Column::PainPoint,
        "pain_severity" => Column::PainSeverity,
        "pain_share" => Column::PainShare,
        "evidence" => Column::Evidence,
        _ => match key.strip_prefix("emotion:") {
            Some(persona) => {
                Column::Emotion(Some(header.trim()["emotion:".len()..].trim().to_string()))
                    .with_persona_check(persona)
            }
            None => Column::Extra(header.trim().to_string()),
        },
    }
}

impl Column {
    fn with_persona_check(self, persona: &str) -> Column {
        if persona.trim().is_empty() {
            Column::Extra("emotion:".into())
        } else {
            self
        }
    }
}

fn csv_error(code: &'static str, message: String, line: u64, column: Option<u64>) -> CjmError {
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
            "csv_syntax",
            format!("row has {len} fields but the header has {expected_len}"),
            line,
            None,
        ),
        csv::ErrorKind::Utf8 { err, .. } => csv_error(
            "invalid_utf8",
            format!("field {} is not valid UTF-8", err.field() + 1),
            line,
            Some(err.field() as u64 + 1),
        ),
        _ => csv_error("csv_syntax", error.to_string(), line, None),
    }
}

fn lines_of(cell: &str) -> Vec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn text(cell: &str) -> Option<String> {
    let cell = cell.trim();
    (!cell.is_empty()).then(|| cell.to_string())
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
                "csv_syntax",
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
    // Persona column headers in order, with the persona id each maps to.
    let mut persona_of_column: Vec<Option<String>> = Vec::new();
    for col in &columns {
        persona_of_column.push(match col {
            Column::Emotion(Some(name)) => {
                let id = persona_ids.make(name, "persona");
                journey
                    .personas
                    .push(Persona::new(id.clone(), name.clone()));
                Some(id)
            }
            _ => None,
        });
    }

    for record in reader.records() {
        let record = record.map_err(map_csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut stage_name = String::new();
        let mut stage_id = None;
        let mut stage_goal = None;
        let mut tp = Touchpoint::new("", "");
        let mut tp_id = None;
        let mut pain: Option<(String, u64)> = None;
        let mut severity: Option<(i64, u64)> = None;
        let mut share = None;
        for (index, (cell, col)) in record.iter().zip(&columns).enumerate() {
            let field = index as u64 + 1;
            let number = |cell: &str, what: &str| -> Result<Option<f64>> {
                let cell = cell.trim();
                if cell.is_empty() {
                    return Ok(None);
                }
                cell.replace(',', ".")
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| {
                        csv_error(
                            "wrong_type",
                            format!("{what} {cell:?} is not a number"),
                            line,
                            Some(field),
                        )
                    })
            };
            match col {
                Column::StageId => stage_id = text(cell),
                Column::Stage => stage_name = cell.trim().to_string(),
                Column::StageGoal => stage_goal = text(cell),
                Column::TouchpointId => tp_id = text(cell),
                Column::Touchpoint => tp.name = cell.trim().to_string(),
                Column::Description => tp.description = text(cell),
                Column::Channel => tp.channel = text(cell),
                Column::Owner => tp.owner = text(cell),
                Column::Layer => {
                    tp.layer = match cell.trim().to_lowercase().as_str() {
                        "" | "frontstage" | "front" => Layer::Frontstage,
                        "backstage" | "back" => Layer::Backstage,
                        other => {
                            return Err(csv_error(
                                "wrong_type",
                                format!("layer {other:?} must be frontstage or backstage"),
                                line,
                                Some(field),
                            ));
                        }
                    }
                }
                Column::Actions => tp.actions = lines_of(cell),
                Column::Thoughts => tp.thoughts = lines_of(cell),
                Column::Feelings => tp.feelings = lines_of(cell),
                Column::Questions => tp.questions = lines_of(cell),
                Column::Expectations => tp.expectations = lines_of(cell),
                Column::Emotion(_) => {
                    if let Some(score) = number(cell, "emotion")? {
                        tp.emotions.push(EmotionScore {
                            persona: persona_of_column[index].clone(),
                            score,
                            sample_size: None,
                            extensions: Extensions::new(),
                        });
                    }
                }
                Column::PainPoint => pain = text(cell).map(|p| (p, field)),
                Column::PainSeverity => {
                    if let Some(value) = number(cell, "pain_severity")? {
                        if value.fract() != 0.0 {
                            return Err(csv_error(
                                "wrong_type",
                                format!("pain_severity {value} must be a whole number 1–5"),
                                line,
                                Some(field),
                            ));
                        }
                        severity = Some((value as i64, field));
                    }
                }
                Column::PainShare => share = number(cell, "pain_share")?,
                Column::Evidence => {
                    tp.evidence = cell
                        .split(',')
                        .map(str::trim)
                        .filter(|e| !e.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                Column::Extra(name) => {
                    if let Some(value) = text(cell) {
                        let key = if name.starts_with("x-") {
                            name.clone()
                        } else {
                            format!("x-{name}")
                        };
                        tp.extensions.insert(key, Value::String(value));
                    }
                }
            }
        }
        if stage_name.is_empty() && stage_id.is_none() {
            return Err(csv_error(
                "csv_syntax",
                "the stage cell is empty".into(),
                line,
                None,
            ));
        }
        if tp.name.is_empty() {
            return Err(csv_error(
                "csv_syntax",
                "the touchpoint cell is empty".into(),
                line,
                None,
            ));
        }
        tp.id = match tp_id {
            Some(id) => id,
            None => touchpoint_ids.make(&tp.name, "touchpoint"),
        };
        if let Some((description, field)) = pain {
            let Some((severity, _)) = severity else {
                return Err(csv_error(
                    "csv_syntax",
                    "a pain_point needs a pain_severity (1–5) in the same row".into(),
                    line,
                    Some(field),
                ));
            };
            tp.pain_points.push(PainPoint {
                id: format!("{}-pain", tp.id),
                description,
                severity,
                share_affected: share,
                personas: Vec::new(),
                evidence: Vec::new(),
                extensions: Extensions::new(),
            });
        }
        let key = stage_id.clone().unwrap_or_else(|| slug(&stage_name));
        let existing = journey.stages.iter().position(|s| {
            s.id == key || (stage_id.is_none() && !stage_name.is_empty() && s.name == stage_name)
        });
        let stage = match existing {
            Some(i) => &mut journey.stages[i],
            None => {
                let id = match stage_id {
                    Some(id) => id,
                    None => stage_ids.make(&stage_name, "stage"),
                };
                let name = if stage_name.is_empty() {
                    id.clone()
                } else {
                    stage_name
                };
                journey.stages.push(Stage::new(id, name));
                journey.stages.last_mut().expect("just pushed")
            }
        };
        if stage.goal.is_none() {
            stage.goal = stage_goal;
        }
        stage.touchpoints.push(tp);
    }
    Ok(journey)
}

/// Spreadsheets run cells starting with `=`, `+`, `-` or `@` as formulas; a leading `'` stops
/// that. Numbers are left alone.
pub(crate) fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

pub(crate) fn write(journey: &Journey) -> Result<String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header: Vec<String> = [
        "stage_id",
        "stage",
        "stage_goal",
        "touchpoint_id",
        "touchpoint",
        "description",
        "channel",
        "layer",
        "owner",
        "actions",
        "thoughts",
        "feelings",
        "questions",
        "expectations",
        "emotion",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Persona columns carry the name: readable in a spreadsheet, and the importer derives the
    // same id from it when the id was derived from the name in the first place.
    for persona in &journey.personas {
        header.push(format!("emotion:{}", persona.name));
    }
    header.extend(["pain_point", "pain_severity", "pain_share", "evidence"].map(String::from));
    // Text extensions of touchpoints get a column each, so the importer keeps them.
    let mut extra: Vec<&str> = Vec::new();
    for (_, tp) in journey.touchpoints() {
        for (key, value) in &tp.extensions {
            if value.is_string() && key.starts_with("x-") && !extra.contains(&key.as_str()) {
                extra.push(key);
            }
        }
    }
    header.extend(extra.iter().map(|k| k.to_string()));
    let io = |e: csv::Error| CjmError::usage("serialize_failed", format!("cannot write CSV: {e}"));
    writer.write_record(&header).map_err(io)?;
    for stage in &journey.stages {
        for tp in &stage.touchpoints {
            let score = |persona: Option<&str>| {
                tp.emotions
                    .iter()
                    .find(|e| e.persona.as_deref() == persona)
                    .map_or(String::new(), |e| e.score.to_string())
            };
            // A row holds one pain point; the first (most specific) one is written.
            let pain = tp.pain_points.first();
            let mut row = vec![
                stage.id.clone(),
                stage.name.clone(),
                stage.goal.clone().unwrap_or_default(),
                tp.id.clone(),
                tp.name.clone(),
                tp.description.clone().unwrap_or_default(),
                tp.channel.clone().unwrap_or_default(),
                match tp.layer {
                    Layer::Frontstage => "frontstage".into(),
                    Layer::Backstage => "backstage".into(),
                },
                tp.owner.clone().unwrap_or_default(),
                tp.actions.join("\n"),
                tp.thoughts.join("\n"),
                tp.feelings.join("\n"),
                tp.questions.join("\n"),
                tp.expectations.join("\n"),
                score(None),
            ];
            for persona in &journey.personas {
                row.push(score(Some(&persona.id)));
            }
            row.push(pain.map_or(String::new(), |p| p.description.clone()));
            row.push(pain.map_or(String::new(), |p| p.severity.to_string()));
            row.push(
                pain.and_then(|p| p.share_affected)
                    .map_or(String::new(), |s| s.to_string()),
            );
            row.push(tp.evidence.join(","));
            for key in &extra {
                row.push(
                    tp.extensions
                        .get(*key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            let row: Vec<String> = row.iter().map(|c| neutralise(c)).collect();
            writer.write_record(&row).map_err(io)?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| CjmError::usage("serialize_failed", format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|e| CjmError::usage("serialize_failed", format!("cannot write CSV: {e}")))
}
