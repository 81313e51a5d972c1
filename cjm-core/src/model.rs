//! The journey model: what a Customer Journey Map file holds.
//!
//! Every object carries an `extensions` map that keeps fields this version does not know, so
//! a file written by a newer tool survives a round trip through an older one. Keys starting with
//! `x-` are the documented place for custom data; other unknown keys are kept too, but the
//! validator warns about them because they are usually typos.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use thin_vec::{ThinVec, thin_vec};

/// The file-format version this library writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Unknown fields, preserved on round trip, in their order. Most objects have none, so an empty
/// map costs one pointer (the map itself is 72 bytes): it matters when a journey holds a million
/// touchpoints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extensions(Option<Box<IndexMap<String, Value>>>);

/// A list read at its exact length. Growing by doubling leaves up to half a list unused, and a
/// `ThinVec`'s first push reserves four items: a one-emotion touchpoint held 240 bytes for 72,
/// most of a large journey's memory (issue 10: journeys within ~20× their input). Shrinking as
/// each list is finished lets the next ones reuse the room, so the peak falls too.
fn exact_list<'de, D, T>(deserializer: D) -> Result<ThinVec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = ThinVec::<T>::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}

/// As [`exact_list`], for the stage and touchpoint lists.
fn exact_vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Vec::<T>::deserialize(deserializer)?;
    list.shrink_to_fit();
    Ok(list)
}

impl Extensions {
    pub fn new() -> Extensions {
        Extensions(None)
    }

    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |map| map.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    /// Sets a field (keeping its place when it exists); returns the value it replaces.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        self.0.get_or_insert_default().insert(key, value)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().flat_map(|map| map.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.iter().map(|(key, _)| key)
    }
}

impl From<IndexMap<String, Value>> for Extensions {
    fn from(map: IndexMap<String, Value>) -> Extensions {
        Extensions((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl FromIterator<(String, Value)> for Extensions {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(items: I) -> Extensions {
        Extensions::from(items.into_iter().collect::<IndexMap<_, _>>())
    }
}

impl<'a> IntoIterator for &'a Extensions {
    type Item = (&'a String, &'a Value);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Value)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Serialize for Extensions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Extensions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Extensions, D::Error> {
        IndexMap::<String, Value>::deserialize(deserializer).map(Extensions::from)
    }
}

impl JsonSchema for Extensions {
    fn inline_schema() -> bool {
        <IndexMap<String, Value>>::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <IndexMap<String, Value>>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <IndexMap<String, Value>>::json_schema(generator)
    }
}

fn current_format_version() -> u32 {
    FORMAT_VERSION
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A Customer Journey Map: personas walking through ordered stages of touchpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "cjm journey", extend("$id" = "https://cjm.dev/schema/journey.schema.json"))]
pub struct Journey {
    /// Optional pointer to this JSON Schema, so editors validate the file.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Version of the cjm file format; defaults to the current one (1).
    #[serde(default = "current_format_version")]
    pub format_version: u32,
    /// Stable identifier of the journey.
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the map describes the current experience (as-is) or the planned one (to-be).
    #[serde(default)]
    pub state: JourneyState,
    /// Person or team responsible for keeping the map current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// For a to-be map: the id of the as-is journey it improves on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    /// Date the map was last reviewed against reality (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The emotion scale the scores in this file use. Default −2..+2.
    #[serde(default, skip_serializing_if = "is_default")]
    pub emotion_scale: EmotionScale,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<Persona>,
    /// Ordered stages, e.g. awareness → consideration → decision → purchase → usage → loyalty.
    #[serde(default, deserialize_with = "exact_vec")]
    pub stages: Vec<Stage>,
    /// Improvement ideas linked to the pain points they address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opportunities: Vec<Opportunity>,
    /// Journey-level metrics (e.g. overall NPS, LTV, CAC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<Metric>,
    /// Data sources the map is built from; referenced by id from touchpoints, pain points, metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Fields this version does not know; preserved on round trip. Use `x-` prefixed keys.
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// As-is (current experience) or to-be (planned experience).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JourneyState {
    #[default]
    #[serde(alias = "as-is")]
    AsIs,
    #[serde(alias = "to-be")]
    ToBe,
}

/// The numeric range emotion scores use. Common choices: −2..+2 (default), 1..5, 1..10.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionScale {
    pub min: f64,
    pub max: f64,
}

impl Default for EmotionScale {
    fn default() -> Self {
        EmotionScale {
            min: -2.0,
            max: 2.0,
        }
    }
}

impl EmotionScale {
    /// Maps a score on this scale to −1..+1 (the midpoint is neutral). A score outside the
    /// scale counts as the nearer end (−1 or +1); the result is never `-0`, and never NaN or
    /// infinite for finite bounds with `min < max`, however large (±1e308 works: the halves
    /// are taken before subtracting, so nothing overflows).
    pub fn normalise(&self, score: f64) -> f64 {
        let mid = (self.min + self.max) / 2.0;
        let half = (self.max - self.min) / 2.0;
        let value = if mid.is_finite() && half.is_finite() {
            (score - mid) / half
        } else {
            // Bounds near the largest float: the same formula on halves.
            let half = self.max / 2.0 - self.min / 2.0;
            (score / 2.0 - self.min / 2.0) / half * 2.0 - 1.0
        };
        if value.is_nan() {
            return 0.0;
        }
        value.clamp(-1.0, 1.0) + 0.0
    }

    /// Maps a −1..+1 value back onto this scale (within `min..=max`).
    pub fn denormalise(&self, value: f64) -> f64 {
        let mid = self.min / 2.0 + self.max / 2.0;
        let half = self.max / 2.0 - self.min / 2.0;
        let score = mid + value.clamp(-1.0, 1.0) * half;
        if score.is_nan() {
            return mid + 0.0;
        }
        if self.min <= self.max {
            score.clamp(self.min, self.max) + 0.0
        } else {
            score + 0.0
        }
    }

    pub fn contains(&self, score: f64) -> bool {
        score >= self.min && score <= self.max
    }
}

/// A customer archetype whose path the map follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Persona {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Free-form attributes such as age, city, income, occupation.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub demographics: IndexMap<String, String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub needs: ThinVec<String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub motivations: ThinVec<String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub pains: ThinVec<String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub fears: ThinVec<String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub goals: ThinVec<String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub expectations: ThinVec<String>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// One ordered phase of the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Stage {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What the customer wants to achieve in this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// How long the stage is expected to take: `30m`, `2h`, `3d`, `1w` or ISO-8601 (`P3D`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_duration: Option<String>,
    #[serde(default, deserialize_with = "exact_vec")]
    pub touchpoints: Vec<Touchpoint>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<PainPoint>")]
    pub pain_points: ThinVec<PainPoint>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<Metric>")]
    pub metrics: ThinVec<Metric>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// Frontstage steps are seen by the customer; backstage ones happen behind the scenes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    #[default]
    Frontstage,
    Backstage,
}

/// A step of the journey: one interaction of the customer with the business.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Touchpoint {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the interaction happens: website, app, email, phone, chat, social, ads, search,
    /// courier, pickup_point, store, marketplace, reviews, or any other name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub layer: Layer,
    /// Persona ids that go through this touchpoint; empty means every persona.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub personas: ThinVec<String>,
    /// Team responsible for this touchpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// What the customer does.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub actions: ThinVec<String>,
    /// What the customer thinks.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub thoughts: ThinVec<String>,
    /// What the customer feels, in words.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub feelings: ThinVec<String>,
    /// What the customer asks.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub questions: ThinVec<String>,
    /// What the customer expects to happen.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub expectations: ThinVec<String>,
    /// Emotion scores on the journey's scale, per persona (or for all when `persona` is absent).
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<EmotionScore>")]
    pub emotions: ThinVec<EmotionScore>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<PainPoint>")]
    pub pain_points: ThinVec<PainPoint>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<Metric>")]
    pub metrics: ThinVec<Metric>,
    /// Ids of the evidence entries this touchpoint is based on.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub evidence: ThinVec<String>,
    /// Event names in analytics logs that mean the customer is at this touchpoint: exact names
    /// or globs with `*` (e.g. `checkout_*`). Used to build the map from event data.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub events: ThinVec<String>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// How a persona feels at a touchpoint, on the journey's emotion scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmotionScore {
    /// Persona id; absent means the score applies to every persona.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    pub score: f64,
    /// Number of responses or users behind the score, when it comes from data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u64>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// A place where customers struggle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PainPoint {
    pub id: String,
    pub description: String,
    /// 1 (minor) to 5 (critical).
    pub severity: i64,
    /// Share of all customers of the journey affected, 0..1 (not of the listed personas only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_affected: Option<f64>,
    /// Persona ids affected; empty means all.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub personas: ThinVec<String>,
    /// Ids of the evidence entries supporting this pain point.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub evidence: ThinVec<String>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// Where an improvement idea stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    #[default]
    Idea,
    Planned,
    InProgress,
    Done,
    Dropped,
}

/// An improvement idea, prioritised by RICE (reach × impact × confidence ÷ effort).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Opportunity {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Ids of the pain points this opportunity addresses.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub addresses: ThinVec<String>,
    /// Stage id where the change happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Touchpoint id where the change happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoint: Option<String>,
    /// Ids of the metrics this opportunity is expected to move.
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub metrics: ThinVec<String>,
    /// Customers affected per period (RICE reach), ≥ 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<f64>,
    /// RICE impact: 0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<f64>,
    /// Confidence in the estimates, 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Effort in person-months, > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: OpportunityStatus,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// Well-known metric kinds. `custom` for anything else (then set `direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    Conversion,
    DropOff,
    BounceRate,
    TimeInStage,
    Nps,
    Csat,
    Ces,
    RepeatPurchaseRate,
    AverageOrderValue,
    Cac,
    Ltv,
    Retention,
    Churn,
    /// Share of customers who contact support at this point (0..1).
    SupportContacts,
    /// Share of customers who go back to an earlier step or stage (0..1).
    BacktrackRate,
    /// Share of customers who repeat a step (A → B → A) (0..1).
    LoopRate,
    /// Share of attempts that end in an error (0..1).
    ErrorRate,
    /// Customers reaching this point (a count); weights stage and journey scores.
    Traffic,
    #[default]
    Custom,
}

impl MetricKind {
    /// Which way is better for this kind, when it is known.
    pub fn default_direction(self) -> Option<Direction> {
        use MetricKind::*;
        match self {
            DropOff | BounceRate | TimeInStage | Cac | Churn | SupportContacts | BacktrackRate
            | LoopRate | ErrorRate => Some(Direction::LowerIsBetter),
            Conversion | Nps | Csat | Ces | RepeatPurchaseRate | AverageOrderValue | Ltv
            | Retention => Some(Direction::HigherIsBetter),
            Traffic | Custom => None,
        }
    }
}

/// Whether a higher or a lower value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// A measured number on a touchpoint, a stage or the journey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Metric {
    /// Optional stable id, so opportunities can name the metric they should move.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: MetricKind,
    /// Display name; defaults to the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// The value before a change, to measure before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// Unit such as `%`, `share`, `s`, `days`, `RUB`, `USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which way is better; defaults from the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u64>,
    /// Period the value was measured over, e.g. `2024-04-01..2024-04-30`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "ThinVec::is_empty",
        deserialize_with = "exact_list"
    )]
    #[schemars(with = "Vec<String>")]
    pub evidence: ThinVec<String>,
    /// Where the value comes from; absent means entered by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<MetricSource>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

/// Where a metric's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetricSource {
    /// Entered by hand (the same as no source).
    Manual,
    /// Measured from an event log by `apply`, which owns it: a later `apply` replaces it (matched
    /// by id) and never touches a metric of any other source.
    Events,
}

impl Metric {
    /// True when `apply` measured this metric from an event log.
    pub fn is_measured(&self) -> bool {
        self.source == Some(MetricSource::Events)
    }

    /// The stated direction, else the kind's default.
    pub fn effective_direction(&self) -> Option<Direction> {
        self.direction.or(self.kind.default_direction())
    }
}

/// Kinds of data a map can be built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Analytics,
    Survey,
    Interview,
    SupportTickets,
    Reviews,
    Observation,
    Experiment,
    Other,
}

/// A data source behind the map: analytics, a survey, interviews, tickets, reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    pub id: String,
    pub kind: EvidenceKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the data lives (report name, dashboard, file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When the data was collected (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Period covered, e.g. `2024-04-01..2024-04-30`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u64>,
    #[serde(flatten)]
    pub extensions: Extensions,
}

impl Journey {
    /// An empty journey with the given id and title.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Journey {
        Journey {
            schema: None,
            format_version: FORMAT_VERSION,
            id: id.into(),
            title: title.into(),
            description: None,
            state: JourneyState::AsIs,
            owner: None,
            based_on: None,
            updated: None,
            emotion_scale: EmotionScale::default(),
            tags: Vec::new(),
            personas: Vec::new(),
            stages: Vec::new(),
            opportunities: Vec::new(),
            metrics: Vec::new(),
            evidence: Vec::new(),
            extensions: Extensions::new(),
        }
    }

    /// All touchpoints in journey order, with the stage each belongs to.
    pub fn touchpoints(&self) -> impl Iterator<Item = (&Stage, &Touchpoint)> {
        self.stages
            .iter()
            .flat_map(|stage| stage.touchpoints.iter().map(move |tp| (stage, tp)))
    }
}

impl Stage {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Stage {
        Stage {
            id: id.into(),
            name: name.into(),
            description: None,
            goal: None,
            expected_duration: None,
            touchpoints: Vec::new(),
            pain_points: ThinVec::new(),
            metrics: ThinVec::new(),
            extensions: Extensions::new(),
        }
    }
}

impl Touchpoint {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Touchpoint {
        Touchpoint {
            id: id.into(),
            name: name.into(),
            description: None,
            channel: None,
            layer: Layer::Frontstage,
            personas: ThinVec::new(),
            owner: None,
            actions: ThinVec::new(),
            thoughts: ThinVec::new(),
            feelings: ThinVec::new(),
            questions: ThinVec::new(),
            expectations: ThinVec::new(),
            emotions: ThinVec::new(),
            pain_points: ThinVec::new(),
            metrics: ThinVec::new(),
            evidence: ThinVec::new(),
            events: ThinVec::new(),
            extensions: Extensions::new(),
        }
    }

    /// Frees the unused room of every list (see [`exact_list`]), for readers that build
    /// touchpoints item by item.
    pub(crate) fn shrink_lists(&mut self) {
        self.personas.shrink_to_fit();
        self.actions.shrink_to_fit();
        self.thoughts.shrink_to_fit();
        self.feelings.shrink_to_fit();
        self.questions.shrink_to_fit();
        self.expectations.shrink_to_fit();
        self.emotions.shrink_to_fit();
        self.pain_points.shrink_to_fit();
        self.metrics.shrink_to_fit();
        self.evidence.shrink_to_fit();
        self.events.shrink_to_fit();
    }
}

impl Persona {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Persona {
        Persona {
            id: id.into(),
            name: name.into(),
            description: None,
            demographics: IndexMap::new(),
            needs: ThinVec::new(),
            motivations: ThinVec::new(),
            pains: ThinVec::new(),
            fears: ThinVec::new(),
            goals: ThinVec::new(),
            expectations: ThinVec::new(),
            extensions: Extensions::new(),
        }
    }
}
