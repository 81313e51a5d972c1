//! What a conversion to a lossy format drops, in words a person can read before converting.
//!
//! JSON and YAML keep everything. Mermaid keeps the journey id, title and emotion scale, the
//! personas (ids and names), the stages and touchpoints (ids, names, order) and one score per
//! task. The CSV table keeps one row per touchpoint with most of its text fields; its list comes
//! from `csv_table::csv_losses`, one `<JSON pointer>: <why>` item per dropped value.

use std::collections::{HashMap, HashSet};

use super::Format;
use super::mermaid::{from_mermaid, to_mermaid};
use crate::model::{FORMAT_VERSION, Journey, JourneyState, Layer};

/// Counted losses, worded "3 pain points".
#[derive(Default)]
struct Losses(Vec<String>);

impl Losses {
    fn count(&mut self, n: usize, one: &str, many: &str) {
        match n {
            0 => {}
            1 => self.0.push(format!("1 {one}")),
            n => self.0.push(format!("{n} {many}")),
        }
    }

    fn flag(&mut self, lost: bool, what: &str) {
        if lost {
            self.0.push(what.to_string());
        }
    }
}

/// Lists what writing `journey` as `format` and reading it back would lose, as readable items
/// such as `"3 pain points"` or `"to-be state"`. Empty for JSON and YAML, and for a journey that
/// holds only what the format carries.
///
/// ```
/// use cjm_core::{Format, parse_journey};
/// let yaml = "id: shop\ntitle: Shop\nstate: to_be\nstages:\n  - id: buy\n    name: Buy\n    touchpoints:\n      - id: pay\n        name: Pay\n        channel: web\n        emotions: [{score: 1}]\n";
/// let journey = parse_journey(yaml, Format::Yaml).unwrap();
/// assert_eq!(Format::Mermaid.conversion_losses(&journey), ["to-be state", "1 touchpoint channel"]);
/// assert!(Format::Json.conversion_losses(&journey).is_empty());
/// ```
pub fn conversion_losses(journey: &Journey, format: Format) -> Vec<String> {
    match format {
        Format::Json | Format::Yaml => Vec::new(),
        Format::Mermaid => mermaid_losses(journey),
        // The CSV table's owner keeps the precise list next to its writer.
        Format::Csv => super::csv_table::csv_losses(journey),
    }
}

impl Format {
    /// What writing `journey` in this format drops; see [`conversion_losses`].
    pub fn conversion_losses(self, journey: &Journey) -> Vec<String> {
        conversion_losses(journey, self)
    }
}

/// Journey-level fields neither Mermaid nor CSV carry.
fn journey_fields(journey: &Journey, losses: &mut Losses) {
    losses.flag(journey.schema.is_some(), "the $schema link");
    losses.flag(
        journey.format_version != FORMAT_VERSION,
        "the format_version (read back as the current one)",
    );
    losses.flag(journey.description.is_some(), "the journey description");
    losses.flag(journey.state == JourneyState::ToBe, "to-be state");
    losses.flag(journey.owner.is_some(), "the journey owner");
    losses.flag(
        journey.based_on.is_some(),
        "based_on (the as-is journey id)",
    );
    losses.flag(journey.updated.is_some(), "the updated date");
    losses.count(journey.tags.len(), "tag", "tags");
}

/// Persona details besides id and name, which neither format carries.
fn persona_details(journey: &Journey, losses: &mut Losses) {
    let personas = &journey.personas;
    let with = |f: fn(&crate::model::Persona) -> bool| personas.iter().filter(|p| f(p)).count();
    losses.count(
        with(|p| p.description.is_some()),
        "persona description",
        "persona descriptions",
    );
    let items = |f: fn(&crate::model::Persona) -> usize| personas.iter().map(f).sum::<usize>();
    losses.count(
        items(|p| p.demographics.len()),
        "persona demographic",
        "persona demographics",
    );
    losses.count(items(|p| p.needs.len()), "persona need", "persona needs");
    losses.count(
        items(|p| p.motivations.len()),
        "persona motivation",
        "persona motivations",
    );
    losses.count(items(|p| p.pains.len()), "persona pain", "persona pains");
    losses.count(items(|p| p.fears.len()), "persona fear", "persona fears");
    losses.count(items(|p| p.goals.len()), "persona goal", "persona goals");
    losses.count(
        items(|p| p.expectations.len()),
        "persona expectation",
        "persona expectations",
    );
}

fn all_metrics(journey: &Journey) -> usize {
    journey.metrics.len()
        + journey
            .stages
            .iter()
            .map(|s| s.metrics.len() + s.touchpoints.iter().map(|t| t.metrics.len()).sum::<usize>())
            .sum::<usize>()
}

/// Extension fields (`x-…` and unknown keys) on every object but touchpoints.
fn extensions_except_touchpoints(journey: &Journey) -> usize {
    journey.extensions.len()
        + journey
            .personas
            .iter()
            .map(|p| p.extensions.len())
            .sum::<usize>()
        + journey
            .stages
            .iter()
            .map(|s| s.extensions.len())
            .sum::<usize>()
        + journey
            .opportunities
            .iter()
            .map(|o| o.extensions.len())
            .sum::<usize>()
        + journey
            .evidence
            .iter()
            .map(|e| e.extensions.len())
            .sum::<usize>()
}

fn mermaid_losses(journey: &Journey) -> Vec<String> {
    let mut losses = Losses::default();
    journey_fields(journey, &mut losses);
    persona_details(journey, &mut losses);

    let stages = &journey.stages;
    let tps: Vec<_> = journey.touchpoints().map(|(_, tp)| tp).collect();
    let count_stages = |f: fn(&crate::model::Stage) -> bool| stages.iter().filter(|s| f(s)).count();
    let count_tps = |f: fn(&crate::model::Touchpoint) -> bool| tps.iter().filter(|t| f(t)).count();
    losses.count(
        count_stages(|s| s.description.is_some()),
        "stage description",
        "stage descriptions",
    );
    losses.count(
        count_stages(|s| s.goal.is_some()),
        "stage goal",
        "stage goals",
    );
    losses.count(
        count_stages(|s| s.expected_duration.is_some()),
        "stage duration",
        "stage durations",
    );
    losses.count(
        count_tps(|t| t.description.is_some()),
        "touchpoint description",
        "touchpoint descriptions",
    );
    losses.count(
        count_tps(|t| t.channel.is_some()),
        "touchpoint channel",
        "touchpoint channels",
    );
    losses.count(
        count_tps(|t| t.layer == Layer::Backstage),
        "backstage layer",
        "backstage layers",
    );
    losses.count(
        count_tps(|t| !t.personas.is_empty()),
        "touchpoint persona list",
        "touchpoint persona lists",
    );
    losses.count(
        count_tps(|t| t.owner.is_some()),
        "touchpoint owner",
        "touchpoint owners",
    );
    let items = |f: fn(&crate::model::Touchpoint) -> usize| tps.iter().map(|t| f(t)).sum::<usize>();
    losses.count(items(|t| t.actions.len()), "action", "actions");
    losses.count(items(|t| t.thoughts.len()), "thought", "thoughts");
    losses.count(items(|t| t.feelings.len()), "feeling", "feelings");
    losses.count(items(|t| t.questions.len()), "question", "questions");
    losses.count(
        items(|t| t.expectations.len()),
        "expectation",
        "expectations",
    );
    losses.count(
        items(|t| t.evidence.len()),
        "evidence reference",
        "evidence references",
    );
    losses.count(items(|t| t.events.len()), "event pattern", "event patterns");
    let pain_points =
        stages.iter().map(|s| s.pain_points.len()).sum::<usize>() + items(|t| t.pain_points.len());
    losses.count(pain_points, "pain point", "pain points");
    losses.count(all_metrics(journey), "metric", "metrics");
    losses.count(journey.opportunities.len(), "opportunity", "opportunities");
    losses.count(journey.evidence.len(), "evidence entry", "evidence entries");

    // Scores: one whole Mermaid face (1–5) per task, for the actors named on it.
    let scale = &journey.emotion_scale;
    let known: HashSet<&str> = journey.personas.iter().map(|p| p.id.as_str()).collect();
    let mut first_with_name: HashMap<&str, &str> = HashMap::new();
    let mut name_of: HashMap<&str, &str> = HashMap::new();
    for p in &journey.personas {
        first_with_name
            .entry(p.name.as_str())
            .or_insert(p.id.as_str());
        name_of.entry(p.id.as_str()).or_insert(p.name.as_str());
    }
    let (mut averaged, mut rounded, mut non_finite, mut for_all, mut repeated, mut unknown) =
        (0, 0, 0, 0, 0, 0);
    let mut renamed = 0;
    let mut sample_sizes = 0;
    let mut emotion_extensions = 0;
    for tp in &tps {
        sample_sizes += tp
            .emotions
            .iter()
            .filter(|e| e.sample_size.is_some())
            .count();
        emotion_extensions += tp
            .emotions
            .iter()
            .map(|e| e.extensions.len())
            .sum::<usize>();
        non_finite += tp.emotions.iter().filter(|e| !e.score.is_finite()).count();
        let finite: Vec<_> = tp.emotions.iter().filter(|e| e.score.is_finite()).collect();
        if finite.is_empty() {
            continue;
        }
        let mean = finite.iter().map(|e| e.score).sum::<f64>() / finite.len() as f64;
        let written = from_mermaid(to_mermaid(mean, scale) as f64, scale);
        if finite.iter().any(|e| e.score != finite[0].score) {
            averaged += 1;
        } else if written != mean {
            rounded += 1;
        }
        let scored: Vec<&str> = finite.iter().filter_map(|e| e.persona.as_deref()).collect();
        if scored.is_empty() {
            // A task without actors reads back as one score for all personas.
            repeated += finite.len() - 1;
        } else {
            for_all += finite.iter().filter(|e| e.persona.is_none()).count();
        }
        let mut seen = HashSet::new();
        for id in scored {
            if !seen.insert(id) {
                repeated += 1;
            } else if !known.contains(id) {
                unknown += 1;
            } else if let Some(name) = name_of.get(id)
                && first_with_name.get(name) != Some(&id)
            {
                renamed += 1;
            }
        }
    }
    losses.count(
        averaged,
        "touchpoint whose personas score differently (written as their mean)",
        "touchpoints whose personas score differently (written as their mean)",
    );
    losses.count(
        rounded,
        "score between Mermaid's whole faces (rounded)",
        "scores between Mermaid's whole faces (rounded)",
    );
    losses.count(non_finite, "non-finite score", "non-finite scores");
    losses.count(
        for_all,
        "score for all personas beside per-persona scores",
        "scores for all personas beside per-persona scores",
    );
    losses.count(repeated, "repeated score", "repeated scores");
    losses.count(
        unknown,
        "score of an unknown persona (read back as a new persona)",
        "scores of unknown personas (read back as new personas)",
    );
    losses.count(
        renamed,
        "score of a persona sharing its name with another (actors are names)",
        "scores of personas sharing their name with another (actors are names)",
    );
    losses.count(sample_sizes, "sample size", "sample sizes");
    let extensions =
        extensions_except_touchpoints(journey) + items(|t| t.extensions.len()) + emotion_extensions;
    losses.count(extensions, "extension field", "extension fields");
    losses.0
}
