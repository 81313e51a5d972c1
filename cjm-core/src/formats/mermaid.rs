//! Mermaid `journey` diagrams: `section` → stage, `Task: score: actor, actor` → touchpoint.
//!
//! Mermaid scores run 1..5 (faces); they are mapped linearly to and from the journey's declared
//! emotion scale, so 3 is neutral on any scale.

use crate::error::ErrorCode;
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

    fn base(text: &str, fallback: &str) -> String {
        match slug(text) {
            s if s.is_empty() => fallback.to_string(),
            s => s,
        }
    }

    pub(crate) fn make(&mut self, text: &str, fallback: &str) -> String {
        let base = IdMaker::base(text, fallback);
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

    /// The id [`IdMaker::make`] would return now, without taking it.
    fn peek(&self, text: &str, fallback: &str) -> String {
        let base = IdMaker::base(text, fallback);
        if !self.used.contains(&base) {
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        loop {
            let candidate = format!("{base}-{n}");
            if !self.used.contains(&candidate) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Marks an id given explicitly (by a `%% cjm` comment) as used.
    fn claim(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }
}

fn error(line: usize, column: usize, message: String) -> CjmError {
    CjmError::parse(
        ErrorCode::MermaidSyntax,
        format!("Mermaid: {message}"),
        Location::at(line as u64, column as u64),
    )
}

/// Converts a 1..5 Mermaid score to the journey scale.
pub(crate) fn from_mermaid(score: f64, scale: &EmotionScale) -> f64 {
    scale.min + (score - 1.0) / 4.0 * (scale.max - scale.min)
}

/// Converts a score on the journey scale to the nearest Mermaid 1..5 score.
pub(crate) fn to_mermaid(score: f64, scale: &EmotionScale) -> i64 {
    let ratio = (score - scale.min) / (scale.max - scale.min);
    ((1.0 + ratio * 4.0).round() as i64).clamp(1, 5)
}

// ---------------------------------------------------------------------------------------------
// Escaping names.
//
// Mermaid's journey syntax has no quoting: `:` splits a task's fields, `,` its actors, `#` and
// `;` end a name, `%%` starts a comment, a line break ends the statement, and a line starting
// with `title `, `section `, `journey`, `accTitle` or `accDescr` is a directive. Mermaid does
// replace entity codes `#35;` (decimal) and `#quot;` (named) in the text before parsing and
// shows the character they stand for, so every such character is written as `#<decimal>;`:
// the diagram renders the original name, and the importer decodes the same codes.
// ---------------------------------------------------------------------------------------------

/// Written for an empty name (Mermaid needs some text); `&empty;` renders as ∅.
const EMPTY_NAME: &str = "#empty;";

/// Lower-case keywords that make a line a directive when a name starts with them.
fn starts_with_keyword(text: &str) -> bool {
    let head: String = text.chars().take(9).flat_map(char::to_lowercase).collect();
    let word_then_space = |word: &str| {
        head.strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
    };
    head.starts_with("journey")
        || head.starts_with("acctitle")
        || head.starts_with("accdescr")
        || word_then_space("title")
        || word_then_space("section")
}

/// Escapes a name so that it survives as one field of a Mermaid statement. `actor` also escapes
/// `,`, which separates actors.
pub(crate) fn encode(text: &str, actor: bool) -> String {
    if text.is_empty() {
        return EMPTY_NAME.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let first = chars.iter().position(|c| !c.is_whitespace());
    let last = chars.iter().rposition(|c| !c.is_whitespace());
    let keyword = starts_with_keyword(text);
    let mut out = String::with_capacity(text.len());
    for (i, &ch) in chars.iter().enumerate() {
        let edge_space =
            ch.is_whitespace() && (first.is_none_or(|f| i < f) || last.is_none_or(|l| i > l));
        let percent_pair =
            ch == '%' && (i > 0 && chars[i - 1] == '%' || chars.get(i + 1) == Some(&'%'));
        let escape = matches!(ch, '#' | ':' | ';' | '\u{2028}' | '\u{2029}')
            || ch.is_control()
            || (actor && ch == ',')
            || percent_pair
            || edge_space
            || (i == 0 && keyword);
        if escape {
            out.push_str(&format!("#{};", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// Named entity codes decoded besides the decimal ones (`#35;`).
fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "quot" => "\"",
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "apos" => "'",
        "colon" => ":",
        "semi" => ";",
        "num" => "#",
        "percnt" => "%",
        "comma" => ",",
        "nbsp" => "\u{a0}",
        "empty" => "",
        _ => return None,
    })
}

/// Decodes the entity codes Mermaid replaces: `#<decimal>;` and a few named ones (`#quot;`).
/// Anything else is kept as written. Linear: a code is at most 12 characters.
pub(crate) fn decode(text: &str) -> String {
    if !text.contains('#') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let code = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(end, _)| &after[..end]);
        let decoded = code.and_then(|code| {
            if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
                code.parse::<u32>()
                    .ok()
                    .and_then(char::from_u32)
                    .map(|c| (c.to_string(), code.len()))
            } else {
                named_entity(code).map(|s| (s.to_string(), code.len()))
            }
        });
        match decoded {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &after[len + 1..];
            }
            None => {
                out.push('#');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// `%% cjm {...}` comments: what plain Mermaid cannot carry but cjm reads back.
//
//     %% cjm {"journey":"coffee-order"}                 journey id (and emotion_scale)
//     %% cjm {"persona":"commuter","name":"Commuter"}   personas, in order, with their ids
//     %% cjm {"stage":"choose"}                         id of the next `section`
//     %% cjm {"touchpoint":"menu"}                      id of the next task or unscored line
//     %% unscored: Name                                 a touchpoint without a score
//
// Each is written only when the importer would not derive the same thing from the names, so a
// journey that came from plain Mermaid is written back as plain Mermaid.
// ---------------------------------------------------------------------------------------------

const META: &str = "cjm ";
const UNSCORED: &str = "unscored:";

fn meta_line(indent: &str, value: serde_json::Value) -> String {
    format!("{indent}%% {META}{value}\n")
}

/// A `%% cjm {...}` comment, or `None` for any other comment (or a malformed one).
fn read_meta(comment: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let body = comment
        .strip_prefix("%%")?
        .trim_start()
        .strip_prefix(META)?;
    match serde_json::from_str::<serde_json::Value>(body.trim()) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// `text` starts with `word` (any case) followed by whitespace or the end; returns the rest.
fn keyword<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && (rest.is_empty() || rest.starts_with(char::is_whitespace)))
        .then_some(rest)
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
    let mut journey_id: Option<String> = None;
    let mut header_seen = false;
    let mut stage_ids = IdMaker::new();
    let mut touchpoint_ids = IdMaker::new();
    let mut persona_ids = IdMaker::new();
    // Persona id by name: actors are names. Declared personas come first.
    // (Index into `journey.personas`, so repeated actors cost no allocation.)
    let mut persona_by_name: HashMap<String, usize> = HashMap::new();
    let mut declared_personas: HashSet<String> = HashSet::new();
    let mut scored_on: Vec<usize> = Vec::new();
    let mut task_number = 0usize;
    let mut next_stage_id: Option<String> = None;
    let mut next_touchpoint_id: Option<String> = None;
    let mut in_acc_block = false;

    for (number, raw) in lines {
        let line = raw.trim();
        let indent = raw.len() - raw.trim_start().len();
        let column = raw[..indent].chars().count() + 1;
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix("%%") {
            if !header_seen || in_acc_block {
                continue;
            }
            if let Some(meta) = read_meta(line) {
                let text_of = |key: &str| meta.get(key).and_then(|v| v.as_str()).map(String::from);
                if let Some(id) = text_of("journey") {
                    journey_id = Some(id);
                }
                if let Some(scale) = meta.get("emotion_scale") {
                    let min = scale.get("min").and_then(serde_json::Value::as_f64);
                    let max = scale.get("max").and_then(serde_json::Value::as_f64);
                    if let (Some(min), Some(max)) = (min, max) {
                        journey.emotion_scale = EmotionScale { min, max };
                    }
                }
                if let (Some(id), Some(name)) = (text_of("persona"), text_of("name"))
                    && declared_personas.insert(id.clone())
                {
                    persona_ids.claim(&id);
                    let index = journey.personas.len();
                    persona_by_name.entry(name.clone()).or_insert(index);
                    journey.personas.push(Persona::new(id, name));
                }
                if let Some(id) = text_of("stage") {
                    next_stage_id = Some(id);
                }
                if let Some(id) = text_of("touchpoint") {
                    next_touchpoint_id = Some(id);
                }
            } else if let Some(name) = comment.trim_start().strip_prefix(UNSCORED) {
                let name = name.trim();
                if !name.is_empty() {
                    let name = decode(name);
                    let id = match next_touchpoint_id.take() {
                        Some(id) => {
                            touchpoint_ids.claim(&id);
                            id
                        }
                        None => touchpoint_ids.make(&name, "touchpoint"),
                    };
                    next_stage_id = None;
                    ensure_stage(&mut journey, &mut stage_ids);
                    if let Some(stage) = journey.stages.last_mut() {
                        stage.touchpoints.push(Touchpoint::new(id, name));
                    }
                }
            }
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
                format!(
                    "expected `journey` as the diagram type, found {:?}",
                    crate::error::excerpt(line)
                ),
            ));
        }
        if let Some(title) = keyword(line, "title") {
            let title = decode(title.trim());
            journey.id = match slug(&title) {
                s if s.is_empty() => "journey".into(),
                s => s,
            };
            journey.title = title;
            next_stage_id = None;
            next_touchpoint_id = None;
            continue;
        }
        let lower: String = line.chars().take(8).flat_map(char::to_lowercase).collect();
        if lower.starts_with("acctitle") || lower.starts_with("accdescr") {
            in_acc_block = line.contains('{') && !line.contains('}');
            continue;
        }
        if let Some(name) = keyword(line, "section") {
            let name = name.trim();
            if name.is_empty() {
                return Err(error(number, column, "`section` needs a name".into()));
            }
            let name = decode(name);
            let id = match next_stage_id.take() {
                Some(id) => {
                    stage_ids.claim(&id);
                    id
                }
                None => stage_ids.make(&name, "stage"),
            };
            next_touchpoint_id = None;
            journey.stages.push(Stage::new(id, name));
            continue;
        }
        let mut parts = line.splitn(3, ':');
        let raw_name = parts.next().unwrap_or("").trim();
        let Some(score_text) = parts.next() else {
            return Err(error(
                number,
                column,
                format!(
                    "expected `Task name: score: actors`, found {:?}",
                    crate::error::excerpt(line)
                ),
            ));
        };
        if raw_name.is_empty() {
            return Err(error(
                number,
                column,
                "a task needs a name before `:`".into(),
            ));
        }
        let name = decode(raw_name);
        // Column of the score's first character: after the name, the `:` and any spaces.
        let name_chars = line.find(':').map_or(0, |i| line[..i].chars().count());
        let spaces = score_text.chars().take_while(|c| c.is_whitespace()).count();
        let score_column = column + name_chars + 1 + spaces;
        let score: f64 = score_text.trim().parse().map_err(|_| {
            error(
                number,
                score_column,
                format!(
                    "score {:?} of task {:?} is not a number",
                    crate::error::excerpt(score_text.trim()),
                    crate::error::excerpt(&name)
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
        ensure_stage(&mut journey, &mut stage_ids);
        next_stage_id = None;
        let id = match next_touchpoint_id.take() {
            Some(id) => {
                touchpoint_ids.claim(&id);
                id
            }
            None => touchpoint_ids.make(&name, "touchpoint"),
        };
        let mut tp = Touchpoint::new(id, name);
        let value = from_mermaid(score, &journey.emotion_scale);
        // An actor named twice on one task counts once: `scored_on[persona]` is the number of
        // the last task that scored the persona (a vector, not a set: no hashing per actor).
        task_number += 1;
        let actors = parts.next().unwrap_or("");
        tp.emotions
            .reserve(actors.bytes().filter(|&b| b == b',').count() + 1);
        for actor in actors.split(',') {
            let actor = actor.trim();
            if actor.is_empty() {
                continue;
            }
            let decoded;
            let actor = if actor.contains('#') {
                decoded = decode(actor);
                decoded.as_str()
            } else {
                actor
            };
            let index = match persona_by_name.get(actor) {
                Some(&index) => index,
                None => {
                    let id = persona_ids.make(actor, "persona");
                    let index = journey.personas.len();
                    persona_by_name.insert(actor.to_string(), index);
                    journey.personas.push(Persona::new(id, actor));
                    index
                }
            };
            if scored_on.len() <= index {
                scored_on.resize(index + 1, 0);
            }
            if scored_on[index] != task_number {
                scored_on[index] = task_number;
                let id = journey.personas.get(index).map(|p| p.id.clone());
                tp.emotions.push(emotion(id, value));
            }
        }
        if tp.emotions.is_empty() {
            tp.emotions.push(emotion(None, value));
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
    if let Some(id) = journey_id {
        journey.id = id;
    }
    Ok(journey)
}

/// Tasks before any `section` go to a stage named "Steps".
fn ensure_stage(journey: &mut Journey, stage_ids: &mut IdMaker) {
    if journey.stages.is_empty() {
        journey
            .stages
            .push(Stage::new(stage_ids.make("steps", "stage"), "Steps"));
    }
}

fn emotion(persona: Option<String>, score: f64) -> EmotionScore {
    EmotionScore {
        persona,
        score,
        sample_size: None,
        extensions: Extensions::new(),
    }
}

/// The scores a task is written with: the finite ones.
fn finite_scores(tp: &Touchpoint) -> Vec<&EmotionScore> {
    tp.emotions.iter().filter(|e| e.score.is_finite()).collect()
}

/// The persona ids written as a task's actors, in order (an emotion for all personas has none).
fn actor_ids<'a>(scores: &[&'a EmotionScore]) -> Vec<&'a str> {
    scores.iter().filter_map(|e| e.persona.as_deref()).collect()
}

/// Whether importing the written actors by name gives back exactly the journey's personas (ids,
/// names and order) and each score's persona. If not, the personas are declared in comments.
fn personas_derive_from_actors(journey: &Journey, names: &HashMap<&str, &str>) -> bool {
    if journey.personas.iter().any(|p| p.name.is_empty()) {
        return false;
    }
    let mut ids = IdMaker::new();
    let mut by_name: HashMap<&str, String> = HashMap::new();
    let mut derived: Vec<(String, &str)> = Vec::new();
    for (_, tp) in journey.touchpoints() {
        for id in actor_ids(&finite_scores(tp)) {
            let name = names.get(id).copied().unwrap_or(id);
            let got = by_name.entry(name).or_insert_with(|| {
                let new = ids.make(name, "persona");
                derived.push((new.clone(), name));
                new
            });
            if got != id {
                return false;
            }
        }
    }
    derived.len() == journey.personas.len()
        && derived
            .iter()
            .zip(&journey.personas)
            .all(|((id, name), p)| *id == p.id && *name == p.name)
}

/// `None` when the importer derives `id` from `name` by itself; else the `%% cjm` comment that
/// carries it. Keeps `ids` in step with the importer either way.
fn id_comment(
    ids: &mut IdMaker,
    key: &str,
    id: &str,
    name: &str,
    fallback: &str,
) -> Option<serde_json::Value> {
    if ids.peek(name, fallback) == id {
        ids.make(name, fallback);
        None
    } else {
        ids.claim(id);
        Some(serde_json::json!({ key: id }))
    }
}

pub(crate) fn write(journey: &Journey) -> String {
    let scale = &journey.emotion_scale;
    // Persona names by id (the first of repeated ids), for the actors.
    let mut names: HashMap<&str, &str> = HashMap::with_capacity(journey.personas.len());
    for p in &journey.personas {
        names.entry(p.id.as_str()).or_insert(p.name.as_str());
    }
    let mut out = String::from("journey\n");

    let mut meta = serde_json::Map::new();
    let derived_id = match slug(&journey.title) {
        s if s.is_empty() => "journey".to_string(),
        s => s,
    };
    if journey.id != derived_id {
        meta.insert("journey".into(), journey.id.clone().into());
    }
    if journey.emotion_scale != EmotionScale::default() {
        meta.insert(
            "emotion_scale".into(),
            serde_json::json!({"min": scale.min, "max": scale.max}),
        );
    }
    if !meta.is_empty() {
        out.push_str(&meta_line("    ", meta.into()));
    }
    out.push_str(&format!("    title {}\n", encode(&journey.title, false)));
    if !personas_derive_from_actors(journey, &names) {
        for p in &journey.personas {
            out.push_str(&meta_line(
                "    ",
                serde_json::json!({"persona": p.id, "name": p.name}),
            ));
        }
    }

    // The importer derives ids from names; an id it would not derive is written in a comment.
    let mut stage_ids = IdMaker::new();
    let mut touchpoint_ids = IdMaker::new();
    for stage in &journey.stages {
        if let Some(value) = id_comment(&mut stage_ids, "stage", &stage.id, &stage.name, "stage") {
            out.push_str(&meta_line("    ", value));
        }
        out.push_str(&format!("    section {}\n", encode(&stage.name, false)));
        for tp in &stage.touchpoints {
            if let Some(value) = id_comment(
                &mut touchpoint_ids,
                "touchpoint",
                &tp.id,
                &tp.name,
                "touchpoint",
            ) {
                out.push_str(&meta_line("      ", value));
            }
            let finite = finite_scores(tp);
            // Mermaid needs a score per task; rather than invent one for an unscored touchpoint
            // (often backstage), it is kept as a comment the importer reads back.
            if finite.is_empty() {
                out.push_str(&format!(
                    "      %% {UNSCORED} {}\n",
                    encode(&tp.name, false)
                ));
                continue;
            }
            // Mermaid has one score per task: the mean over personas.
            let mean = finite.iter().map(|e| e.score).sum::<f64>() / finite.len() as f64;
            let score = to_mermaid(mean, scale);
            let actors: Vec<String> = actor_ids(&finite)
                .into_iter()
                .map(|id| encode(names.get(id).copied().unwrap_or(id), true))
                .collect();
            out.push_str(&format!("      {}: {score}", encode(&tp.name, false)));
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
    use proptest::prelude::*;

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

    #[test]
    fn names_that_look_like_directives_are_escaped() {
        assert_eq!(encode("%% comment", false), "#37;#37; comment");
        assert_eq!(encode("title Hijack", false), "#116;itle Hijack");
        assert_eq!(encode("Section Fake", false), "#83;ection Fake");
        assert_eq!(encode("journeyman", false), "#106;ourneyman");
        assert_eq!(encode("Titles page", false), "Titles page");
        assert_eq!(encode("a: b; #c", false), "a#58; b#59; #35;c");
        assert_eq!(encode("line\nbreak", false), "line#10;break");
        assert_eq!(encode(" padded ", false), "#32;padded#32;");
        assert_eq!(encode("50% off", false), "50% off");
        assert_eq!(encode("A, B", true), "A#44; B");
        assert_eq!(encode("A, B", false), "A, B");
        assert_eq!(encode("", false), "#empty;");
        assert_eq!(encode("Привет 😀", false), "Привет 😀");
    }

    #[test]
    fn decode_reads_mermaid_entity_codes_and_keeps_the_rest() {
        assert_eq!(
            decode("#116;itle #35;1#59; #quot;x#quot;"),
            "title #1; \"x\""
        );
        assert_eq!(decode("#empty;"), "");
        assert_eq!(
            decode("C# and #unknown; and #99999999; and #"),
            "C# and #unknown; and #99999999; and #"
        );
        assert_eq!(decode("#1114112;"), "#1114112;"); // beyond Unicode: kept
    }

    #[test]
    fn hostile_names_come_back_as_written() {
        let mut journey = Journey::new("j", "title %% x");
        journey.personas.push(Persona::new("p1", "section Fake"));
        journey.personas.push(Persona::new("p2", "A, B: c"));
        let mut stage = Stage::new("s", "%% comment");
        let mut tp = Touchpoint::new("t", "title Hijack");
        tp.emotions.push(emotion(Some("p1".into()), 1.0));
        tp.emotions.push(emotion(Some("p2".into()), 1.0));
        stage.touchpoints.push(tp);
        stage
            .touchpoints
            .push(Touchpoint::new("u", " unscored; #1\nnext "));
        journey.stages.push(stage);
        let text = write(&journey);
        // Nothing in the output reads as a directive or a comment except cjm's own comments.
        for line in text.lines().skip(1) {
            let line = line.trim();
            assert!(
                line.starts_with("title #116;")
                    || line.starts_with("section #37;")
                    || line.starts_with("%% cjm ")
                    || line.starts_with("%% unscored: ")
                    || line.starts_with("#116;itle Hijack: 4: #115;ection Fake, A#44; B#58; c"),
                "{line}\n{text}"
            );
        }
        assert_eq!(parse(&text).expect("reads back"), journey);
    }

    #[test]
    fn plain_mermaid_imports_as_before() {
        let text = "journey\n  Title Shop\n  section Buy\n    titles: 3\n    Pay: 5: Ann, Ann, Bob\n  %% unscored: Ship\n  %% just a comment\n";
        let journey = parse(text).expect("loads");
        assert_eq!(journey.title, "Shop");
        assert_eq!(journey.id, "shop");
        let tps = &journey.stages[0].touchpoints;
        assert_eq!(tps[0].name, "titles");
        assert_eq!(tps[0].emotions, vec![emotion(None, 0.0)]);
        // Ann named twice scores once; ids from names.
        assert_eq!(
            tps[1].emotions,
            vec![
                emotion(Some("ann".into()), 2.0),
                emotion(Some("bob".into()), 2.0)
            ]
        );
        assert_eq!((tps[2].id.as_str(), tps[2].emotions.len()), ("ship", 0));
        assert_eq!(tps.len(), 3);
    }

    #[test]
    fn ids_survive_and_are_written_only_when_not_derivable() {
        let mut journey = Journey::new("shop", "Shop");
        journey.personas.push(Persona::new("ann", "Ann"));
        journey
            .personas
            .push(Persona::new("silent", "Never scored"));
        let mut buy = Stage::new("buy-2", "Buy");
        let mut first = Touchpoint::new("buy", "Pay"); // id of another element's slug
        first.emotions.push(emotion(Some("ann".into()), -2.0));
        buy.touchpoints.push(first);
        // "pay" and "pay-2" are what the importer derives for the next two "Pay" tasks.
        let mut second = Touchpoint::new("pay", "Pay");
        second.emotions.push(emotion(None, 0.0));
        buy.touchpoints.push(second);
        buy.touchpoints.push(Touchpoint::new("pay-2", "Pay"));
        journey.stages.push(buy);
        journey.stages.push(Stage::new("buy", "Buy"));
        let text = write(&journey);
        assert_eq!(
            text,
            "journey\n    title Shop\n\
             \x20   %% cjm {\"persona\":\"ann\",\"name\":\"Ann\"}\n\
             \x20   %% cjm {\"persona\":\"silent\",\"name\":\"Never scored\"}\n\
             \x20   %% cjm {\"stage\":\"buy-2\"}\n    section Buy\n\
             \x20     %% cjm {\"touchpoint\":\"buy\"}\n      Pay: 1: Ann\n\
             \x20     Pay: 3\n      %% unscored: Pay\n\
             \x20   section Buy\n"
        );
        assert_eq!(parse(&text).expect("reads back"), journey);
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[a-zA-Zа-яА-Я0-9 ]{0,12}",
            Just("%%".to_string()),
            Just("%% cjm {\"stage\":\"x\"}".to_string()),
            Just("%% unscored: y".to_string()),
            Just("title x".to_string()),
            Just("section y".to_string()),
            Just("journey".to_string()),
            Just("accTitle: z".to_string()),
            Just(":".to_string()),
            Just(";".to_string()),
            Just("#".to_string()),
            Just("#35;".to_string()),
            Just("#empty;".to_string()),
            Just(",".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("Покупка".to_string()),
            Just("😀👍🏽".to_string()),
            Just("\u{2028}".to_string()),
        ]
    }

    fn name() -> impl Strategy<Value = String> {
        proptest::collection::vec(piece(), 0..4).prop_map(|p| p.concat())
    }

    /// Ids: arbitrary, or what the importer would derive, or a likely clash.
    fn id() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            name().prop_map(Some),
            Just(Some("stage".into())),
            Just(Some("touchpoint".into())),
            Just(Some("a".into())),
            Just(Some("a-2".into())),
        ]
    }

    #[derive(Debug, Clone)]
    enum Scores {
        Unscored,
        All(i8),
        Personas(Vec<bool>, i8),
    }

    fn scores() -> impl Strategy<Value = Scores> {
        prop_oneof![
            Just(Scores::Unscored),
            (1i8..=5).prop_map(Scores::All),
            (proptest::collection::vec(any::<bool>(), 4), 1i8..=5)
                .prop_map(|(m, s)| Scores::Personas(m, s)),
        ]
    }

    fn unique(ids: &mut HashSet<String>, wanted: Option<String>, name: &str) -> String {
        let mut id = wanted.unwrap_or_else(|| slug(name));
        while !ids.insert(id.clone()) {
            id.push('~');
        }
        id
    }

    type Spec = (
        (String, Option<String>, bool),
        Vec<(String, Option<String>)>,
        Vec<(
            (String, Option<String>),
            Vec<((String, Option<String>), Scores)>,
        )>,
    );

    fn build(spec: Spec) -> Journey {
        let ((title, journey_id, one_to_five), personas, stages) = spec;
        let mut journey = Journey::new("", title.clone());
        journey.id = journey_id.unwrap_or_else(|| slug(&title));
        if one_to_five {
            journey.emotion_scale = EmotionScale {
                min: 1.0,
                max: 10.0,
            };
        }
        let mut persona_ids = HashSet::new();
        let mut persona_names = HashSet::new();
        for (name, id) in personas {
            // Actors are names: two personas with one name are a documented loss.
            if persona_names.insert(name.clone()) {
                let id = unique(&mut persona_ids, id, &name);
                journey.personas.push(Persona::new(id, name));
            }
        }
        let mut stage_ids = HashSet::new();
        let mut tp_ids = HashSet::new();
        for ((name, id), tps) in stages {
            let mut stage = Stage::new(unique(&mut stage_ids, id, &name), name);
            for ((name, id), scores) in tps {
                let mut tp = Touchpoint::new(unique(&mut tp_ids, id, &name), name);
                let value = |s: i8| from_mermaid(f64::from(s), &journey.emotion_scale);
                match scores {
                    Scores::Unscored => {}
                    Scores::All(s) => tp.emotions.push(emotion(None, value(s))),
                    Scores::Personas(mask, s) => {
                        for (p, _) in journey.personas.iter().zip(mask).filter(|(_, m)| *m) {
                            tp.emotions.push(emotion(Some(p.id.clone()), value(s)));
                        }
                    }
                }
                stage.touchpoints.push(tp);
            }
            journey.stages.push(stage);
        }
        journey
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Export then import gives back every name, id, score and unscored touchpoint.
        #[test]
        fn any_names_and_ids_round_trip(
            spec in (
                (name(), id(), any::<bool>()),
                proptest::collection::vec((name(), id()), 0..4),
                proptest::collection::vec(
                    ((name(), id()), proptest::collection::vec(((name(), id()), scores()), 0..4)),
                    0..4,
                ),
            )
        ) {
            let journey = build(spec);
            prop_assert!(
                crate::formats::losses::conversion_losses(&journey, crate::Format::Mermaid)
                    .is_empty()
            );
            let text = write(&journey);
            let again = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(&again, &journey, "{}", text);
            // And every non-comment line is one statement Mermaid reads as intended.
            for line in text.lines().skip(1) {
                let line = line.trim();
                let comment = line.starts_with("%% cjm {") || line.starts_with("%% unscored: ");
                let directive = line.starts_with("title ") || line.starts_with("section ");
                let task = !line.starts_with("%%") && line.matches(':').count() >= 1;
                prop_assert!(comment || directive || task, "{}", line);
            }
        }

        /// `conversion_losses` is empty exactly when the round trip through Mermaid is exact.
        #[test]
        fn losses_are_listed_exactly_when_the_round_trip_changes_something(
            spec in (
                (name(), id(), any::<bool>()),
                proptest::collection::vec((name(), id()), 0..3),
                proptest::collection::vec(
                    ((name(), id()), proptest::collection::vec(((name(), id()), scores()), 0..3)),
                    0..3,
                ),
            ),
            change in 0u8..9,
            amount in -0.5f64..0.5,
        ) {
            let mut journey = build(spec);
            let first_scored = journey
                .stages
                .iter_mut()
                .flat_map(|s| s.touchpoints.iter_mut())
                .find(|t| !t.emotions.is_empty());
            match (change, first_scored) {
                (1, Some(tp)) => tp.emotions.iter_mut().for_each(|e| e.score += amount),
                (2, Some(tp)) => tp.emotions[0].score += amount,
                (3, Some(tp)) => tp.emotions[0].sample_size = Some(7),
                (4, Some(tp)) => tp.channel = Some("web".into()),
                (5, Some(tp)) => {
                    let again = tp.emotions[0].clone();
                    tp.emotions.push(again);
                }
                (6, _) => journey.description = Some("why".into()),
                (7, _) => journey.state = crate::model::JourneyState::ToBe,
                (8, _) => {
                    if let Some(p) = journey.personas.first().cloned() {
                        journey.personas.push(Persona::new(format!("{}~twin", p.id), p.name));
                    }
                }
                _ => {}
            }
            let losses =
                crate::formats::losses::conversion_losses(&journey, crate::Format::Mermaid);
            let text = write(&journey);
            let again = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            // A persona that shares a name loses nothing until it is scored.
            prop_assert_eq!(losses.is_empty(), again == journey, "{:?}\n{}", losses, text);
        }
    }
}
