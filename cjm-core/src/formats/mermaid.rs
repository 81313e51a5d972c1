//! Mermaid `journey` diagrams: `section` → stage, `Task: score: actor, actor` → touchpoint.
//!
//! Mermaid scores run 1..5 (faces); they are mapped linearly to and from the journey's declared
//! emotion scale, so 3 is neutral on any scale.

use std::collections::{HashMap, HashSet};

use crate::error::{CjmError, Location, Result};
use crate::model::{EmotionScale, EmotionScore, Extensions, Journey, Persona, Stage, Touchpoint};

/// Lower-case, Unicode letters and digits kept, everything else folded to `-`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() || ch == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(ch);
        } else {
            dash = true;
        }
    }
    out
}

/// Makes ids unique by appending `-2`, `-3`, … to repeats.
pub(crate) struct IdMaker {
    used: HashSet<String>,
    /// Next suffix to try per base, so many equal names stay linear, not quadratic.
    next: HashMap<String, usize>,
}

impl IdMaker {
    pub(crate) fn new() -> IdMaker {
        IdMaker {
            used: HashSet::new(),
            next: HashMap::new(),
        }
    }

    pub(crate) fn make(&mut self, text: &str, fallback: &str) -> String {
        let base = match slug(text) {
            s if s.is_empty() => fallback.to_string(),
            s => s,
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn error(line: usize, column: usize, message: String) -> CjmError {
    CjmError::parse(
        "mermaid_syntax",
        format!("Mermaid: {message}"),
        Location::at(line as u64, column as u64),
    )
}

/// Converts a 1..5 Mermaid score to the journey scale.
fn from_mermaid(score: f64, scale: &EmotionScale) -> f64 {
    scale.min + (score - 1.0) / 4.0 * (scale.max - scale.min)
}

/// Converts a score on the journey scale to the nearest Mermaid 1..5 score.
fn to_mermaid(score: f64, scale: &EmotionScale) -> i64 {
    let ratio = (score - scale.min) / (scale.max - scale.min);
    ((1.0 + ratio * 4.0).round() as i64).clamp(1, 5)
}

pub(crate) fn parse(text: &str) -> Result<Journey> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l)).peekable();
    // Optional front matter (`---` … `---`) carries Mermaid config, which cjm ignores.
    while let Some((_, line)) = lines.peek() {
        if line.trim().is_empty() || line.trim_start().starts_with("%%") {
            lines.next();
        } else {
            break;
        }
    }
    if let Some((_, line)) = lines.peek()
        && line.trim() == "---"
    {
        let (start, _) = lines.next().unwrap_or_default();
        loop {
            match lines.next() {
                Some((_, l)) if l.trim() == "---" => break,
                Some(_) => {}
                None => return Err(error(start, 1, "front matter `---` is never closed".into())),
            }
        }
    }

    let mut journey = Journey::new("journey", "Journey");
    let scale = journey.emotion_scale.clone();
    let mut header_seen = false;
    let mut stage_ids = IdMaker::new();
    let mut touchpoint_ids = IdMaker::new();
    let mut persona_ids = IdMaker::new();
    let mut in_acc_block = false;

    for (number, raw) in lines {
        let line = raw.trim();
        let indent = raw.len() - raw.trim_start().len();
        let column = raw[..indent].chars().count() + 1;
        if line.is_empty() || line.starts_with("%%") {
            continue;
        }
        if in_acc_block {
            in_acc_block = !line.contains('}');
            continue;
        }
        if !header_seen {
            if line == "journey" {
                header_seen = true;
                continue;
            }
            return Err(error(
                number,
                column,
                format!("expected `journey` as the diagram type, found {line:?}"),
            ));
        }
        if let Some(title) = line.strip_prefix("title") {
            let title = title.trim();
            journey.title = title.to_string();
            journey.id = match slug(title) {
                s if s.is_empty() => "journey".into(),
                s => s,
            };
            continue;
        }
        if line.starts_with("accTitle") || line.starts_with("accDescr") {
            in_acc_block = line.contains('{') && !line.contains('}');
            continue;
        }
        if let Some(name) = line.strip_prefix("section") {
            let name = name.trim();
            if name.is_empty() {
                return Err(error(number, column, "`section` needs a name".into()));
            }
            let id = stage_ids.make(name, "stage");
            journey.stages.push(Stage::new(id, name));
            continue;
        }
        let mut parts = line.splitn(3, ':');
        let name = parts.next().unwrap_or("").trim();
        let Some(score_text) = parts.next() else {
            return Err(error(
                number,
                column,
                format!("expected `Task name: score: actors`, found {line:?}"),
            ));
        };
        if name.is_empty() {
            return Err(error(
                number,
                column,
                "a task needs a name before `:`".into(),
            ));
        }
        // Column of the score's first character: after the name, the `:` and any spaces.
        let name_chars = line.find(':').map_or(0, |i| line[..i].chars().count());
        let spaces = score_text.chars().take_while(|c| c.is_whitespace()).count();
        let score_column = column + name_chars + 1 + spaces;
        let score: f64 = score_text.trim().parse().map_err(|_| {
            error(
                number,
                score_column,
                format!(
                    "score {:?} of task {name:?} is not a number",
                    score_text.trim()
                ),
            )
        })?;
        if !(1.0..=5.0).contains(&score) {
            return Err(error(
                number,
                score_column,
                format!("score {score} of task {name:?} must be between 1 and 5"),
            ));
        }
        let actors: Vec<&str> = parts
            .next()
            .map(|a| {
                a.split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if journey.stages.is_empty() {
            journey
                .stages
                .push(Stage::new(stage_ids.make("steps", "stage"), "Steps"));
        }
        let mut tp = Touchpoint::new(touchpoint_ids.make(name, "touchpoint"), name);
        let value = from_mermaid(score, &scale);
        if actors.is_empty() {
            tp.emotions.push(emotion(None, value));
        }
        for actor in actors {
            let id = match journey.personas.iter().find(|p| p.name == actor) {
                Some(p) => p.id.clone(),
                None => {
                    let id = persona_ids.make(actor, "persona");
                    journey.personas.push(Persona::new(id.clone(), actor));
                    id
                }
            };
            if !tp
                .emotions
                .iter()
                .any(|e| e.persona.as_deref() == Some(id.as_str()))
            {
                tp.emotions.push(emotion(Some(id), value));
            }
        }
        if let Some(stage) = journey.stages.last_mut() {
            stage.touchpoints.push(tp);
        }
    }
    if !header_seen {
        return Err(error(
            1,
            1,
            "empty input: expected a `journey` diagram".into(),
        ));
    }
    Ok(journey)
}

fn emotion(persona: Option<String>, score: f64) -> EmotionScore {
    EmotionScore {
        persona,
        score,
        sample_size: None,
        extensions: Extensions::new(),
    }
}

/// Mermaid has no escaping: `:` splits fields, line breaks end statements, `#` and `;` start
/// entities and statements. They are replaced by look-alikes so the diagram still reads well.
fn clean(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
        .replace(':', "∶")
        .replace(';', ",")
        .replace('#', "№")
        .trim()
        .to_string()
}

pub(crate) fn write(journey: &Journey) -> String {
    let scale = &journey.emotion_scale;
    let mut out = String::from("journey\n");
    out.push_str(&format!("    title {}\n", clean(&journey.title)));
    for stage in &journey.stages {
        out.push_str(&format!("    section {}\n", clean(&stage.name)));
        for tp in &stage.touchpoints {
            let finite: Vec<&EmotionScore> =
                tp.emotions.iter().filter(|e| e.score.is_finite()).collect();
            // Mermaid needs a score per task; rather than invent one for an unscored touchpoint
            // (often backstage), it is kept as a comment.
            if finite.is_empty() {
                out.push_str(&format!("      %% unscored: {}\n", clean(&tp.name)));
                continue;
            }
            // Mermaid has one score per task: the mean over personas.
            let mean = finite.iter().map(|e| e.score).sum::<f64>() / finite.len() as f64;
            let score = to_mermaid(mean, scale);
            let actors: Vec<String> = finite
                .iter()
                .filter_map(|e| e.persona.as_ref())
                .map(|id| {
                    let name = journey
                        .personas
                        .iter()
                        .find(|p| &p.id == id)
                        .map_or(id.as_str(), |p| p.name.as_str());
                    clean(name).replace(',', " ")
                })
                .collect();
            out.push_str(&format!("      {}: {score}", clean(&tp.name)));
            if !actors.is_empty() {
                out.push_str(&format!(": {}", actors.join(", ")));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_cyrillic_and_folds_punctuation() {
        assert_eq!(slug("Оформление заказа!"), "оформление-заказа");
        assert_eq!(slug("  Go -- to work "), "go-to-work");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn score_mapping_round_trips_on_default_scale() {
        let scale = EmotionScale::default();
        for s in 1..=5 {
            let v = from_mermaid(s as f64, &scale);
            assert_eq!(v, (s - 3) as f64);
            assert_eq!(to_mermaid(v, &scale), s);
        }
    }
}
