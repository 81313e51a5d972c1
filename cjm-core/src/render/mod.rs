//! Rendering: the journey map as SVG, standalone charts (emotion curve, friction strip, as-is vs
//! to-be) and a self-contained HTML report.
//!
//! Pure string building, deterministic (no hash-map order, numbers with at most two decimals)
//! and safe for journey files from anywhere: element and attribute names are fixed strings of
//! this module, every text from the file is escaped by [`escape_xml`], nothing from the file
//! becomes a link, a style or a script, and every colour comes from the [`Theme`].

mod budget;
mod charts;
mod common;
#[rustfmt::skip]
mod font_widths;
mod funnel;
mod html;
mod i18n;
mod map;
mod markup;
mod text;
mod theme;

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Journey;

pub use budget::{
    DEFAULT_MAX_OUTPUT_BYTES, estimate_chart_svg, estimate_comparison_svg, estimate_funnel_svg,
    estimate_report_html, estimate_svg,
};
pub use charts::{render_comparison_svg, render_curve_svg, render_friction_svg};
pub use funnel::render_funnel_svg;
pub use html::render_report_html;
pub use map::render_svg;
pub use markup::escape_xml;

/// What to draw of a journey: the map, or one chart of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Chart {
    /// The journey map: stages, touchpoints, lanes, the emotion curve.
    Map,
    /// The emotion curve, one line per persona.
    Curve,
    /// The friction index per touchpoint.
    Friction,
    /// As-is against to-be, touchpoint by touchpoint (needs the to-be journey).
    Comparison,
}

impl Chart {
    pub const ALL: [Chart; 4] = [Chart::Map, Chart::Curve, Chart::Friction, Chart::Comparison];

    pub fn name(self) -> &'static str {
        match self {
            Chart::Map => "map",
            Chart::Curve => "curve",
            Chart::Friction => "friction",
            Chart::Comparison => "comparison",
        }
    }

    /// `map`, `curve`, `friction` or `comparison`; anything else is `invalid_option`.
    pub fn from_name(name: &str) -> crate::error::Result<Chart> {
        Chart::ALL
            .into_iter()
            .find(|chart| chart.name() == name)
            .ok_or_else(|| {
                crate::error::CjmError::usage(
                    ErrorCode::InvalidOption,
                    format!(
                        "unknown chart {:?}: map, curve, friction or comparison",
                        crate::excerpt(name)
                    ),
                )
            })
    }
}

/// Draws `chart` of `journey` as SVG; `to_be` is the journey a comparison compares with (the
/// other charts ignore it). A comparison without one is `invalid_option`.
pub fn render_chart(
    journey: &Journey,
    chart: Chart,
    to_be: Option<&Journey>,
    options: &RenderOptions,
) -> crate::error::Result<String> {
    match (chart, to_be) {
        (Chart::Map, _) => render_svg(journey, options),
        (Chart::Curve, _) => render_curve_svg(journey, options),
        (Chart::Friction, _) => render_friction_svg(journey, options),
        (Chart::Comparison, Some(to_be)) => render_comparison_svg(journey, to_be, options),
        (Chart::Comparison, None) => Err(crate::error::CjmError::usage(
            ErrorCode::InvalidOption,
            "the comparison chart needs the to-be journey to compare with",
        )),
    }
}

/// A row of the journey map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// Touchpoint name and channel; backstage steps are marked.
    Touchpoints,
    /// What the customer does.
    Actions,
    /// What the customer thinks.
    Thoughts,
    /// What the customer feels, in words.
    Feelings,
    /// What the customer asks.
    Questions,
    /// What the customer expects to happen.
    Expectations,
    /// The emotion curve: one line per persona, neutral line, valleys and peak.
    Emotions,
    /// Pain points with their severity (1–5) and whether a fix is planned.
    PainPoints,
    /// Opportunities with their rank in the plan, owner and status.
    Opportunities,
    /// Metrics coloured by target status (met, at risk, missed).
    Metrics,
    /// The friction index per touchpoint as a heat strip.
    Friction,
}

impl Lane {
    /// Every lane, in the default order.
    pub const ALL: [Lane; 11] = [
        Lane::Touchpoints,
        Lane::Actions,
        Lane::Thoughts,
        Lane::Feelings,
        Lane::Questions,
        Lane::Expectations,
        Lane::Emotions,
        Lane::PainPoints,
        Lane::Opportunities,
        Lane::Metrics,
        Lane::Friction,
    ];
}

/// Colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// Language of lane titles, legends and report headings (the journey's own text is shown as
/// written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Ru,
}

/// How to draw a map or a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct RenderOptions {
    /// Which lanes, in order; empty means all (the default).
    pub lanes: Vec<Lane>,
    /// Persona ids whose emotion curves are drawn; empty means all. Unknown ids are ignored.
    pub personas: Vec<String>,
    pub theme: Theme,
    pub language: Language,
    /// Whether to draw the journey title above the map (default true).
    pub title: bool,
    /// The output budget in bytes (default [`DEFAULT_MAX_OUTPUT_BYTES`], 64 MiB; `0`: no
    /// limit). Before building anything, a renderer estimates an upper bound of its output from
    /// the journey's counts and text lengths and refuses with `output_too_large` (kind `usage`)
    /// when the estimate is over the budget, instead of running out of memory. For a report it
    /// bounds the whole page. JavaScript passes it as `maxOutputBytes`.
    #[serde(alias = "maxOutputBytes")]
    pub max_output_bytes: u64,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            lanes: Lane::ALL.to_vec(),
            personas: Vec::new(),
            theme: Theme::Light,
            language: Language::En,
            title: true,
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
        }
    }
}

impl RenderOptions {
    /// The lanes to draw: the given ones without repeats, or all when none are given.
    pub fn effective_lanes(&self) -> Vec<Lane> {
        if self.lanes.is_empty() {
            return Lane::ALL.to_vec();
        }
        let mut lanes: Vec<Lane> = Vec::new();
        for lane in &self.lanes {
            if !lanes.contains(lane) {
                lanes.push(*lane);
            }
        }
        lanes
    }
}

/// What goes into the HTML report. New sections (a funnel, say) get their own optional field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ReportOptions {
    /// How the map and the charts are drawn; `language` and `theme` apply to the whole report.
    pub render: RenderOptions,
    /// Today's date (YYYY-MM-DD), for the days since the map was updated; the core reads no
    /// clock.
    pub today: Option<String>,
    /// A to-be journey to compare with: adds an as-is vs to-be section. JavaScript passes it
    /// as `toBe`.
    #[serde(alias = "toBe")]
    pub to_be: Option<Journey>,
    /// A computed funnel: adds a funnel section (chart and table).
    pub funnel: Option<crate::events::FunnelResult>,
}
