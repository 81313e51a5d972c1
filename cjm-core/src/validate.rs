//! Validation: every problem in a journey, each with a stable code, a JSON pointer and a severity.

use crate::error::ErrorCode;
use std::collections::HashMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::duration::parse_duration;
use crate::model::{Extensions, FORMAT_VERSION, Journey, Metric, PainPoint};

/// Emotion scale bounds beyond ±this are `out_of_range` (scales are like −2..2 or 1..10).
pub const MAX_SCALE: f64 = 1e6;
/// Reach above this (customers per period) is `out_of_range`.
pub const MAX_REACH: f64 = 1e12;
/// Impact above this is `out_of_range` (RICE impact is 0.25 to 3; other scales go to 100).
pub const MAX_IMPACT: f64 = 1e6;
/// Effort (person-months) outside `MIN_EFFORT..=MAX_EFFORT` is `out_of_range`.
pub const MIN_EFFORT: f64 = 1e-6;
/// See [`MIN_EFFORT`].
pub const MAX_EFFORT: f64 = 1e6;

/// A number for a message: exponent form when very large or small (`1e308`, not 309 digits).
fn short(value: f64) -> String {
    if value != 0.0 && !(1e-4..1e9).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

/// How serious a problem is: errors make a journey invalid, warnings are advice.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

crate::error::codes! {
    /// Every code a [`Problem`] can carry (`docs/errors.md` lists each with its meaning; a test
    /// keeps the two in step).
    ProblemCode {
        DanglingReference => "dangling_reference",
        DuplicateEmotion => "duplicate_emotion",
        DuplicateId => "duplicate_id",
        EmotionOutOfScale => "emotion_out_of_scale",
        EmptyField => "empty_field",
        EmptyStage => "empty_stage",
        InconsistentReference => "inconsistent_reference",
        InvalidDate => "invalid_date",
        InvalidDuration => "invalid_duration",
        InvalidEffort => "invalid_effort",
        InvalidId => "invalid_id",
        InvalidScale => "invalid_scale",
        MissingDirection => "missing_direction",
        MissingUpdated => "missing_updated",
        NegativeValue => "negative_value",
        NoEvidence => "no_evidence",
        NoStages => "no_stages",
        NonFiniteNumber => "non_finite_number",
        OutOfRange => "out_of_range",
        SeverityOutOfRange => "severity_out_of_range",
        ShareOutOfRange => "share_out_of_range",
        StaleMap => "stale_map",
        UnknownField => "unknown_field",
        UnsupportedVersion => "unsupported_version",
    }
}

/// One finding of the validator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    /// Stable machine-readable code, e.g. `duplicate_id`, `emotion_out_of_scale`.
    pub code: String,
    pub severity: Severity,
    /// JSON pointer to the offending value.
    pub path: String,
    pub message: String,
    /// On the summary entry that closes a code's list when more than
    /// [`ValidateOptions::max_problems_per_code`] were found: how many more problems of this code
    /// there are, not listed one by one (the entry itself is not one of them). 0 otherwise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: u64,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl Problem {
    /// How many problems this entry stands for: 1, or the `omitted` count of a summary entry.
    pub fn count(&self) -> u64 {
        if self.omitted > 0 { self.omitted } else { 1 }
    }
}

/// A map whose `updated` date is older than this many days gets a `stale_map` warning, by
/// default (every front's default).
pub const DEFAULT_STALE_AFTER_DAYS: u32 = 180;

/// How many problems of one code [`validate`] lists by default before summarising the rest.
pub const DEFAULT_MAX_PROBLEMS_PER_CODE: u32 = 1000;

/// Knobs for [`validate`]. The core reads no clock: pass `today` to get staleness warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ValidateOptions {
    /// Today's date (YYYY-MM-DD); when absent, staleness is not checked.
    pub today: Option<String>,
    /// A map whose `updated` date is older than this many days gets a `stale_map` warning.
    pub stale_after_days: u32,
    /// Problems listed per code; past it, one summary entry per code carries the number not
    /// listed (`omitted`), so a map with a million touchpoints lacking evidence costs a thousand
    /// entries, not a million. `null` lists every one. Default 1000.
    pub max_problems_per_code: Option<u32>,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            today: None,
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
            max_problems_per_code: Some(DEFAULT_MAX_PROBLEMS_PER_CODE),
        }
    }
}

impl ValidateOptions {
    /// Options with `today` and a staleness limit (the other fields at their defaults), checked.
    pub fn checked(
        today: Option<String>,
        stale_after_days: u32,
    ) -> crate::error::Result<ValidateOptions> {
        let options = ValidateOptions {
            today,
            stale_after_days,
            ..ValidateOptions::default()
        };
        options.check()?;
        Ok(options)
    }

    /// Checks the options themselves: `today` must be a YYYY-MM-DD date.
    pub fn check(&self) -> crate::error::Result<()> {
        if let Some(today) = &self.today
            && NaiveDate::parse_from_str(today, "%Y-%m-%d").is_err()
        {
            return Err(crate::error::CjmError::usage(
                ErrorCode::InvalidOption,
                format!("today {today:?} is not a date in YYYY-MM-DD form"),
            ));
        }
        Ok(())
    }
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

struct Checker<'a> {
    journey: &'a Journey,
    problems: Vec<Problem>,
    max_per_code: Option<u32>,
    /// Per code: how many were listed, and the severity and number of those that were not.
    per_code: HashMap<ProblemCode, (u32, Severity, u64)>,
}

impl<'a> Checker<'a> {
    fn push(&mut self, severity: Severity, code: ProblemCode, path: &str, message: String) {
        let (listed, _, omitted) = self.per_code.entry(code).or_insert((0, severity, 0));
        if self.max_per_code.is_some_and(|max| *listed >= max) {
            *omitted += 1;
            return;
        }
        *listed += 1;
        self.problems.push(Problem {
            code: code.as_str().to_string(),
            severity,
            path: path.to_string(),
            message,
            omitted: 0,
        });
    }

    /// One entry per code whose list was cut, in order of the codes' first problems.
    fn summarise_omitted(&mut self) {
        let mut cut: Vec<(usize, &'static str, Severity, u64)> = Vec::new();
        for (code, (_, severity, omitted)) in &self.per_code {
            if *omitted > 0 {
                let code = code.as_str();
                let first = self.problems.iter().position(|p| p.code == code);
                cut.push((first.unwrap_or(usize::MAX), code, *severity, *omitted));
            }
        }
        cut.sort_unstable();
        for (_, code, severity, omitted) in cut {
            let kind = match severity {
                Severity::Error => "errors",
                Severity::Warning => "warnings",
            };
            let max = self.max_per_code.unwrap_or(0);
            self.problems.push(Problem {
                code: code.to_string(),
                severity,
                path: String::new(),
                message: format!(
                    "{omitted} more {code} {kind} are not listed (at most {max} are listed per code; \
                     raise max_problems_per_code to see them all)"
                ),
                omitted,
            });
        }
    }

    fn error(&mut self, code: ProblemCode, path: &str, message: String) {
        self.push(Severity::Error, code, path, message);
    }

    fn warning(&mut self, code: ProblemCode, path: &str, message: String) {
        self.push(Severity::Warning, code, path, message);
    }

    fn id(&mut self, id: &'a str, place: Place, seen: &mut HashMap<&'a str, Place>, what: &str) {
        if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
            self.error(
                ProblemCode::InvalidId,
                &format!("{place}/id"),
                format!("{what} id {id:?} must be non-empty and contain no whitespace"),
            );
            return;
        }
        if let Some(first) = seen.get(id) {
            let message = format!("{what} id {id:?} is already used at {first}");
            self.error(ProblemCode::DuplicateId, &format!("{place}/id"), message);
        } else {
            seen.insert(id, place);
        }
    }

    fn non_empty(&mut self, value: &str, path: &str, what: &str) {
        if value.trim().is_empty() {
            self.error(
                ProblemCode::EmptyField,
                path,
                format!("{what} must not be empty"),
            );
        }
    }

    fn finite(&mut self, value: f64, path: &str) -> bool {
        if value.is_finite() {
            true
        } else {
            self.error(
                ProblemCode::NonFiniteNumber,
                path,
                format!("{value} is not a finite number"),
            );
            false
        }
    }

    /// `out_of_range` when `value` is above `limit`.
    fn at_most(&mut self, value: f64, limit: f64, path: &str, message: impl FnOnce() -> String) {
        if value > limit {
            self.error(ProblemCode::OutOfRange, path, message());
        }
    }

    fn date(&mut self, value: &str, path: &str) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.error(
                    ProblemCode::InvalidDate,
                    path,
                    format!("{value:?} is not a date in YYYY-MM-DD form"),
                );
                None
            }
        }
    }

    fn reference(&mut self, target: &str, known: &HashMap<&str, Place>, path: &str, what: &str) {
        if !known.contains_key(target) {
            self.error(
                ProblemCode::DanglingReference,
                path,
                format!("no {what} has id {target:?}"),
            );
        }
    }

    fn extensions(&mut self, extensions: &Extensions, path: &str) {
        for key in extensions.keys() {
            if !key.starts_with("x-") {
                self.warning(
                    ProblemCode::UnknownField,
                    &format!("{path}/{}", pointer_segment(key)),
                    format!(
                        "unknown field {key:?} is kept as an extension; prefix custom fields with \"x-\" or check the spelling"
                    ),
                );
            }
        }
    }
}

/// Where an id is defined, kept as indices (not a formatted pointer) so a journey with a million
/// ids costs a few bytes per id until a duplicate needs the path in its message.
#[derive(Clone, Copy)]
enum Place {
    Persona(u32),
    Evidence(u32),
    Stage(u32),
    StagePainPoint(u32, u32),
    Touchpoint(u32, u32),
    TouchpointPainPoint(u32, u32, u32),
    Opportunity(u32),
    JourneyMetric(u32),
    StageMetric(u32, u32),
    TouchpointMetric(u32, u32, u32),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Place::Persona(i) => write!(f, "/personas/{i}"),
            Place::Evidence(i) => write!(f, "/evidence/{i}"),
            Place::Stage(s) => write!(f, "/stages/{s}"),
            Place::StagePainPoint(s, p) => write!(f, "/stages/{s}/pain_points/{p}"),
            Place::Touchpoint(s, t) => write!(f, "/stages/{s}/touchpoints/{t}"),
            Place::TouchpointPainPoint(s, t, p) => {
                write!(f, "/stages/{s}/touchpoints/{t}/pain_points/{p}")
            }
            Place::Opportunity(i) => write!(f, "/opportunities/{i}"),
            Place::JourneyMetric(m) => write!(f, "/metrics/{m}"),
            Place::StageMetric(s, m) => write!(f, "/stages/{s}/metrics/{m}"),
            Place::TouchpointMetric(s, t, m) => {
                write!(f, "/stages/{s}/touchpoints/{t}/metrics/{m}")
            }
        }
    }
}

/// Items with their index for a [`Place`] (no journey that fits in memory has 4 billion items
/// of a kind).
fn indexed<T>(items: &[T]) -> impl Iterator<Item = (u32, &T)> {
    let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    items
        .iter()
        .enumerate()
        .map(move |(i, item)| (index(i), item))
}

/// Every id of the journey by kind, borrowed from it, with where it is first defined.
struct Ids<'a> {
    personas: HashMap<&'a str, Place>,
    stages: HashMap<&'a str, Place>,
    touchpoints: HashMap<&'a str, Place>,
    pain_points: HashMap<&'a str, Place>,
    opportunities: HashMap<&'a str, Place>,
    evidence: HashMap<&'a str, Place>,
    metrics: HashMap<&'a str, Place>,
}

/// Checks a journey and returns every problem found, errors and warnings, in document order.
///
/// ```
/// use cjm_core::{parse_journey, validate, Format, ValidateOptions, Severity};
/// let journey = parse_journey(r#"{"id": "j", "title": "T", "stages": []}"#, Format::Json).unwrap();
/// let problems = validate(&journey, &ValidateOptions::default());
/// assert!(problems.iter().any(|p| p.code == "no_stages" && p.severity == Severity::Error));
/// ```
pub fn validate(journey: &Journey, options: &ValidateOptions) -> Vec<Problem> {
    let mut c = Checker {
        journey,
        problems: Vec::new(),
        max_per_code: options.max_problems_per_code,
        per_code: HashMap::new(),
    };
    let ids = collect_ids(&mut c);
    check_journey(&mut c, &ids, options);
    c.summarise_omitted();
    c.problems
}

/// True when the list holds at least one error.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

fn collect_ids<'a>(c: &mut Checker<'a>) -> Ids<'a> {
    let journey = c.journey;
    let mut ids = Ids {
        personas: HashMap::new(),
        stages: HashMap::new(),
        touchpoints: HashMap::new(),
        pain_points: HashMap::new(),
        opportunities: HashMap::new(),
        evidence: HashMap::new(),
        metrics: HashMap::new(),
    };
    for (i, persona) in indexed(&journey.personas) {
        c.id(&persona.id, Place::Persona(i), &mut ids.personas, "persona");
    }
    for (i, evidence) in indexed(&journey.evidence) {
        c.id(
            &evidence.id,
            Place::Evidence(i),
            &mut ids.evidence,
            "evidence",
        );
    }
    for (s, stage) in indexed(&journey.stages) {
        c.id(&stage.id, Place::Stage(s), &mut ids.stages, "stage");
        for (p, pain) in indexed(&stage.pain_points) {
            let place = Place::StagePainPoint(s, p);
            c.id(&pain.id, place, &mut ids.pain_points, "pain point");
        }
        for (t, tp) in indexed(&stage.touchpoints) {
            c.id(
                &tp.id,
                Place::Touchpoint(s, t),
                &mut ids.touchpoints,
                "touchpoint",
            );
            for (p, pain) in indexed(&tp.pain_points) {
                let place = Place::TouchpointPainPoint(s, t, p);
                c.id(&pain.id, place, &mut ids.pain_points, "pain point");
            }
        }
    }
    for (i, opportunity) in indexed(&journey.opportunities) {
        let place = Place::Opportunity(i);
        c.id(
            &opportunity.id,
            place,
            &mut ids.opportunities,
            "opportunity",
        );
    }
    let mut metric_ids =
        |metrics: &'a [Metric], place: &dyn Fn(u32) -> Place, c: &mut Checker<'a>| {
            for (m, metric) in indexed(metrics) {
                if let Some(id) = &metric.id {
                    c.id(id, place(m), &mut ids.metrics, "metric");
                }
            }
        };
    metric_ids(&journey.metrics, &Place::JourneyMetric, c);
    for (s, stage) in indexed(&journey.stages) {
        metric_ids(&stage.metrics, &|m| Place::StageMetric(s, m), c);
        for (t, tp) in indexed(&stage.touchpoints) {
            metric_ids(&tp.metrics, &|m| Place::TouchpointMetric(s, t, m), c);
        }
    }
    ids
}

fn check_journey(c: &mut Checker, ids: &Ids, options: &ValidateOptions) {
    let journey = c.journey;
    if journey.format_version > FORMAT_VERSION || journey.format_version == 0 {
        c.error(
            ProblemCode::UnsupportedVersion,
            "/format_version",
            format!(
                "format_version {} is not supported; this library reads version {FORMAT_VERSION}",
                journey.format_version
            ),
        );
    }
    c.non_empty(&journey.title, "/title", "title");
    c.extensions(&journey.extensions, "");

    let scale = &journey.emotion_scale;
    let scale_ok =
        c.finite(scale.min, "/emotion_scale/min") & c.finite(scale.max, "/emotion_scale/max");
    for (bound, name) in [(scale.min, "min"), (scale.max, "max")] {
        c.at_most(
            bound.abs(),
            MAX_SCALE,
            &format!("/emotion_scale/{name}"),
            || {
                format!(
                    "emotion scale {name} {} is beyond ±{} (scales are like -2..2 or 1..10)",
                    short(bound),
                    short(MAX_SCALE)
                )
            },
        );
    }
    let scale_ok = scale_ok && {
        if scale.min >= scale.max {
            c.error(
                ProblemCode::InvalidScale,
                "/emotion_scale",
                format!(
                    "emotion scale minimum {} must be below its maximum {}",
                    scale.min, scale.max
                ),
            );
            false
        } else {
            true
        }
    };

    match &journey.updated {
        Some(updated) => {
            if let Some(date) = c.date(updated, "/updated") {
                check_staleness(c, date, options);
            }
        }
        None => c.warning(
            ProblemCode::MissingUpdated,
            "",
            "the map has no `updated` date, so nobody can tell whether it is current".into(),
        ),
    }

    for (i, persona) in journey.personas.iter().enumerate() {
        let path = format!("/personas/{i}");
        c.non_empty(&persona.name, &format!("{path}/name"), "persona name");
        c.extensions(&persona.extensions, &path);
    }
    for (i, evidence) in journey.evidence.iter().enumerate() {
        let path = format!("/evidence/{i}");
        c.non_empty(&evidence.title, &format!("{path}/title"), "evidence title");
        if let Some(date) = &evidence.date {
            c.date(date, &format!("{path}/date"));
        }
        c.extensions(&evidence.extensions, &path);
    }
    for (i, metric) in journey.metrics.iter().enumerate() {
        check_metric(c, ids, metric, &format!("/metrics/{i}"));
    }

    if journey.stages.is_empty() {
        c.error(
            ProblemCode::NoStages,
            "/stages",
            "a journey needs at least one stage".into(),
        );
    }
    for (s, stage) in journey.stages.iter().enumerate() {
        let stage_path = format!("/stages/{s}");
        c.non_empty(&stage.name, &format!("{stage_path}/name"), "stage name");
        c.extensions(&stage.extensions, &stage_path);
        if let Some(duration) = &stage.expected_duration
            && parse_duration(duration).is_none()
        {
            c.error(
                ProblemCode::InvalidDuration,
                &format!("{stage_path}/expected_duration"),
                format!("{duration:?} is not a duration such as 30m, 2h, 3d, 1w or P3D"),
            );
        }
        if stage.touchpoints.is_empty() {
            c.error(
                ProblemCode::EmptyStage,
                &format!("{stage_path}/touchpoints"),
                format!("stage {:?} has no touchpoints", stage.id),
            );
        }
        for (p, pain) in stage.pain_points.iter().enumerate() {
            check_pain_point(c, ids, pain, &format!("{stage_path}/pain_points/{p}"));
        }
        for (m, metric) in stage.metrics.iter().enumerate() {
            check_metric(c, ids, metric, &format!("{stage_path}/metrics/{m}"));
        }
        for (t, tp) in stage.touchpoints.iter().enumerate() {
            let tp_path = format!("{stage_path}/touchpoints/{t}");
            c.non_empty(&tp.name, &format!("{tp_path}/name"), "touchpoint name");
            c.extensions(&tp.extensions, &tp_path);
            for (i, persona) in tp.personas.iter().enumerate() {
                c.reference(
                    persona,
                    &ids.personas,
                    &format!("{tp_path}/personas/{i}"),
                    "persona",
                );
            }
            let mut scored: HashMap<Option<&str>, usize> = HashMap::new();
            for (e, emotion) in tp.emotions.iter().enumerate() {
                let path = format!("{tp_path}/emotions/{e}");
                c.extensions(&emotion.extensions, &path);
                if let Some(persona) = &emotion.persona {
                    c.reference(
                        persona,
                        &ids.personas,
                        &format!("{path}/persona"),
                        "persona",
                    );
                }
                if let Some(first) = scored.insert(emotion.persona.as_deref(), e) {
                    c.error(
                        ProblemCode::DuplicateEmotion,
                        &path,
                        format!(
                            "{} already has a score at {tp_path}/emotions/{first}",
                            match &emotion.persona {
                                Some(p) => format!("persona {p:?}"),
                                None => "the all-personas entry".to_string(),
                            }
                        ),
                    );
                }
                let score_path = format!("{path}/score");
                if c.finite(emotion.score, &score_path)
                    && scale_ok
                    && !scale.contains(emotion.score)
                {
                    c.error(
                        ProblemCode::EmotionOutOfScale,
                        &score_path,
                        format!(
                            "emotion {} is outside the declared scale {}..{}",
                            emotion.score, scale.min, scale.max
                        ),
                    );
                }
            }
            for (p, pain) in tp.pain_points.iter().enumerate() {
                check_pain_point(c, ids, pain, &format!("{tp_path}/pain_points/{p}"));
            }
            for (m, metric) in tp.metrics.iter().enumerate() {
                check_metric(c, ids, metric, &format!("{tp_path}/metrics/{m}"));
            }
            for (e, evidence) in tp.evidence.iter().enumerate() {
                c.reference(
                    evidence,
                    &ids.evidence,
                    &format!("{tp_path}/evidence/{e}"),
                    "evidence",
                );
            }
            let evidenced = !tp.evidence.is_empty()
                || tp.emotions.iter().any(|e| e.sample_size.is_some())
                || tp
                    .metrics
                    .iter()
                    .any(|m| !m.evidence.is_empty() || m.sample_size.is_some())
                || tp.pain_points.iter().any(|p| !p.evidence.is_empty());
            if !evidenced {
                c.warning(
                    ProblemCode::NoEvidence,
                    &tp_path,
                    format!(
                        "touchpoint {:?} cites no evidence: link analytics, surveys, interviews, tickets or reviews so the map is not built on guesses",
                        tp.id
                    ),
                );
            }
        }
    }

    for (i, opportunity) in journey.opportunities.iter().enumerate() {
        let path = format!("/opportunities/{i}");
        c.non_empty(
            &opportunity.title,
            &format!("{path}/title"),
            "opportunity title",
        );
        c.extensions(&opportunity.extensions, &path);
        for (a, pain) in opportunity.addresses.iter().enumerate() {
            c.reference(
                pain,
                &ids.pain_points,
                &format!("{path}/addresses/{a}"),
                "pain point",
            );
        }
        if let Some(stage) = &opportunity.stage {
            c.reference(stage, &ids.stages, &format!("{path}/stage"), "stage");
        }
        for (m, metric) in opportunity.metrics.iter().enumerate() {
            c.reference(
                metric,
                &ids.metrics,
                &format!("{path}/metrics/{m}"),
                "metric",
            );
        }
        if let Some(tp) = &opportunity.touchpoint {
            c.reference(
                tp,
                &ids.touchpoints,
                &format!("{path}/touchpoint"),
                "touchpoint",
            );
            // The stage the touchpoint is first defined in, from where its id is.
            let actual = match ids.touchpoints.get(tp.as_str()) {
                Some(Place::Touchpoint(s, _)) => journey.stages.get(*s as usize).map(|s| &s.id),
                _ => None,
            };
            if let (Some(stage), Some(actual)) = (&opportunity.stage, actual)
                && stage != actual
                && ids.stages.contains_key(stage.as_str())
            {
                c.error(
                    ProblemCode::InconsistentReference,
                    &format!("{path}/touchpoint"),
                    format!("touchpoint {tp:?} belongs to stage {actual:?}, not {stage:?}"),
                );
            }
        }
        if let Some(reach) = opportunity.reach
            && c.finite(reach, &format!("{path}/reach"))
        {
            if reach < 0.0 {
                c.error(
                    ProblemCode::NegativeValue,
                    &format!("{path}/reach"),
                    format!("reach {reach} must not be negative"),
                );
            }
            c.at_most(reach, MAX_REACH, &format!("{path}/reach"), || {
                format!(
                    "reach {} is more than {} customers per period",
                    short(reach),
                    short(MAX_REACH)
                )
            });
        }
        if let Some(impact) = opportunity.impact
            && c.finite(impact, &format!("{path}/impact"))
        {
            if impact < 0.0 {
                c.error(
                    ProblemCode::NegativeValue,
                    &format!("{path}/impact"),
                    format!("impact {impact} must not be negative"),
                );
            }
            c.at_most(impact, MAX_IMPACT, &format!("{path}/impact"), || {
                format!(
                    "impact {} is beyond {} (RICE impact is 0.25 to 3)",
                    short(impact),
                    short(MAX_IMPACT)
                )
            });
        }
        if let Some(confidence) = opportunity.confidence
            && c.finite(confidence, &format!("{path}/confidence"))
            && !(0.0..=1.0).contains(&confidence)
        {
            c.error(
                ProblemCode::ShareOutOfRange,
                &format!("{path}/confidence"),
                format!("confidence {confidence} must be between 0 and 1"),
            );
        }
        if let Some(effort) = opportunity.effort
            && c.finite(effort, &format!("{path}/effort"))
            && effort <= 0.0
        {
            c.error(
                ProblemCode::InvalidEffort,
                &format!("{path}/effort"),
                format!("effort {effort} must be greater than 0 (person-months)"),
            );
        } else if let Some(effort) = opportunity.effort
            && effort.is_finite()
            && !(MIN_EFFORT..=MAX_EFFORT).contains(&effort)
        {
            c.error(
                ProblemCode::OutOfRange,
                &format!("{path}/effort"),
                format!(
                    "effort {} person-months is outside {}..{} (about three seconds to 80 000 \
                     years)",
                    short(effort),
                    short(MIN_EFFORT),
                    short(MAX_EFFORT)
                ),
            );
        }
        if let Some(due) = &opportunity.due {
            c.date(due, &format!("{path}/due"));
        }
    }
}

fn check_staleness(c: &mut Checker, updated: NaiveDate, options: &ValidateOptions) {
    let Some(today) = &options.today else { return };
    let Ok(today) = NaiveDate::parse_from_str(today, "%Y-%m-%d") else {
        return;
    };
    let age = (today - updated).num_days();
    if age > i64::from(options.stale_after_days) {
        c.warning(
            ProblemCode::StaleMap,
            "/updated",
            format!(
                "the map was last updated {age} days ago (more than {}): check it against current data",
                options.stale_after_days
            ),
        );
    }
}

fn check_pain_point(c: &mut Checker, ids: &Ids, pain: &PainPoint, path: &str) {
    c.non_empty(
        &pain.description,
        &format!("{path}/description"),
        "pain point description",
    );
    c.extensions(&pain.extensions, path);
    if !(1..=5).contains(&pain.severity) {
        c.error(
            ProblemCode::SeverityOutOfRange,
            &format!("{path}/severity"),
            format!("severity {} must be between 1 and 5", pain.severity),
        );
    }
    if let Some(share) = pain.share_affected
        && c.finite(share, &format!("{path}/share_affected"))
        && !(0.0..=1.0).contains(&share)
    {
        c.error(
            ProblemCode::ShareOutOfRange,
            &format!("{path}/share_affected"),
            format!("share of customers affected {share} must be between 0 and 1"),
        );
    }
    for (i, persona) in pain.personas.iter().enumerate() {
        c.reference(
            persona,
            &ids.personas,
            &format!("{path}/personas/{i}"),
            "persona",
        );
    }
    for (i, evidence) in pain.evidence.iter().enumerate() {
        c.reference(
            evidence,
            &ids.evidence,
            &format!("{path}/evidence/{i}"),
            "evidence",
        );
    }
}

fn check_metric(c: &mut Checker, ids: &Ids, metric: &Metric, path: &str) {
    c.extensions(&metric.extensions, path);
    if let Some(value) = metric.value {
        c.finite(value, &format!("{path}/value"));
    }
    if let Some(target) = metric.target {
        c.finite(target, &format!("{path}/target"));
    }
    if let Some(baseline) = metric.baseline {
        c.finite(baseline, &format!("{path}/baseline"));
    }
    if metric.effective_direction().is_none() && metric.target.is_some() {
        c.warning(
            ProblemCode::MissingDirection,
            &format!("{path}/direction"),
            "a custom metric with a target needs `direction` (higher_is_better or lower_is_better)"
                .into(),
        );
    }
    if metric.name.is_none() && metric.kind == crate::model::MetricKind::Custom {
        c.error(
            ProblemCode::EmptyField,
            &format!("{path}/name"),
            "a custom metric needs a name".into(),
        );
    }
    for (i, evidence) in metric.evidence.iter().enumerate() {
        c.reference(
            evidence,
            &ids.evidence,
            &format!("{path}/evidence/{i}"),
            "evidence",
        );
    }
}
