//! # cjm-core
//!
//! The pure core of **cjm**, an embeddable Customer Journey Map engine. It holds the journey
//! model, validation, the file formats and (in later modules) scoring, analytics and rendering.
//! It does no I/O beyond parsing and writing what it is handed, keeps no global state and does
//! not panic on any input: every failure is a [`CjmError`] with a stable code and a location.
//!
//! ```
//! use cjm_core::{parse_journey, validate, write_journey, Format, ValidateOptions};
//!
//! let text = r#"
//! journey
//!     title Покупка протеина
//!     section Выбор
//!       Читает отзывы: 4: Новичок
//!     section Оплата
//!       Оформляет заказ: 2: Новичок
//! "#;
//! let journey = parse_journey(text, Format::Mermaid).unwrap();
//! assert_eq!(journey.stages.len(), 2);
//! assert_eq!(journey.stages[1].touchpoints[0].emotions[0].score, -1.0);
//!
//! let problems = validate(&journey, &ValidateOptions::default());
//! assert!(problems.iter().all(|p| p.code != "emotion_out_of_scale"));
//!
//! let yaml = write_journey(&journey, Format::Yaml).unwrap();
//! assert!(yaml.contains("Покупка протеина"));
//! ```

mod duration;
mod error;
mod events;
mod formats;
pub mod js_options;
mod model;
mod render;
mod score;
mod summary;
mod tables;
mod templates;
mod validate;

pub use duration::parse_duration;
pub use error::{
    CjmError, ErrorCode, ErrorInfo, ErrorKind, Location, Result, excerpt, utf16_to_bytes,
};
pub use events::*;
pub use formats::losses::conversion_losses;
pub use formats::tree::{PlainTree, journey_from_tree, tree_to_json};
#[cfg(feature = "streaming-yaml")]
pub use formats::yaml_readers_agree;
pub use formats::{
    DEFAULT_MAX_BYTES, Format, LoadOptions, journey_from_value, journey_to_value, parse_journey,
    parse_journey_bytes, parse_journey_with, write_journey,
};
pub use model::*;
pub use render::*;
pub use score::*;
pub use summary::{PainPointRef, Summary, summarize};
pub use tables::{ALL_USERS, ColumnType, Table, TableColumn, TableKind, result_table, table_csv};
pub use templates::{TEMPLATE_LANGUAGES, TEMPLATE_NAMES, template};
pub use validate::{
    DEFAULT_MAX_PROBLEMS_PER_CODE, DEFAULT_STALE_AFTER_DAYS, Problem, ProblemCode, Severity,
    ValidateOptions, has_errors, pointer_segment, validate,
};

/// The JSON Schema of the journey file format (draft 2020-12), as committed in
/// `docs/schema/journey.schema.json`.
pub fn journey_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Journey)).unwrap_or_default()
}

/// JSON Schema of the values the API exchanges besides journeys (problems, errors, options),
/// from which the TypeScript and Python types are generated.
pub fn api_schema() -> serde_json::Value {
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct CjmApi {
        problem: Problem,
        error_info: ErrorInfo,
        validate_options: ValidateOptions,
        load_options: LoadOptions,
        format: Format,
        summary: Summary,
        score_report: ScoreReport,
        emotion_curve: EmotionCurve,
        friction_report: FrictionReport,
        friction_weights: FrictionWeights,
        gap_report: GapReport,
        comparison: Comparison,
        plan: Plan,
        health: Health,
        nps_result: NpsResult,
        csat_result: CsatResult,
        ces_result: CesResult,
        render_options: RenderOptions,
        report_options: ReportOptions,
        funnel_spec: FunnelSpec,
        funnel_result: FunnelResult,
        funnel_state: FunnelState,
        funnel_comparison: FunnelComparison,
        split: SplitInput,
        load_journey_options: js_options::LoadJourneyOptions,
        validate_journey_options: js_options::ValidateJourneyOptions,
        emotion_curve_options: js_options::EmotionCurveOptions,
        friction_options: js_options::FrictionOptions,
        health_options: js_options::HealthOptions,
        events_options: js_options::EventsOptions,
        paths_options: js_options::PathsOptions,
        loyalty_options: js_options::LoyaltyOptions,
        apply_events_options: js_options::ApplyEventsOptions,
        events_read: js_options::EventsRead,
        apply_events_result: js_options::ApplyEventsResult,
        paths_result: PathsResult,
        path_options: PathOptions,
        loyalty_result: LoyaltyResult,
        retention_spec: RetentionSpec,
        retention_result: RetentionResult,
        apply_options: ApplyOptions,
        apply_report: ApplyReport,
        read_options: ReadOptions,
        table: Table,
        table_kind: TableKind,
    }
    serde_json::to_value(schemars::schema_for!(CjmApi)).unwrap_or_default()
}

/// Validates and fails with [`CjmError::Invalid`] when the journey has errors (warnings pass).
pub fn check(journey: &Journey, options: &ValidateOptions) -> Result<Vec<Problem>> {
    let problems = validate(journey, options);
    if has_errors(&problems) {
        Err(CjmError::Invalid { problems })
    } else {
        Ok(problems)
    }
}
