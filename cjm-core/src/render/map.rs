//! The journey map: stages as columns, touchpoints as sub-columns, lanes as rows.
//!
//! Rendering runs in two passes. `layout` reads the journey once and computes where every
//! element goes and how big it is, into plain data (`layout::MapLayout`); `draw` then writes
//! that layout as SVG without measuring anything. What the cards say (wrapped texts, ranks,
//! statuses) is `cards`; every size and offset is a named constant in `metrics`.

mod card_layout;
mod cards;
mod draw;
mod layout;
mod metrics;

use super::i18n::Labels;
use super::theme::Palette;
use super::{Lane, RenderOptions};
use crate::error::Result;
use crate::model::{Journey, OpportunityStatus, Stage, Touchpoint};
use crate::score::{
    FrictionReport, FrictionScore, FrictionWeights, Plan, PlanItem, analyze_gaps, friction, plan,
};
use metrics::{COLUMN, EMPTY_MAP_COLUMNS, GUTTER, MARGIN};

/// A stage's span of columns.
struct StageColumns<'a> {
    stage: &'a Stage,
    x: f64,
    w: f64,
    /// Columns in the span: its touchpoints, or one empty column for a stage without any.
    count: usize,
}

/// One touchpoint column (or the empty column of a stage without touchpoints).
struct Column<'a> {
    /// Index of its stage.
    stage: usize,
    tp: Option<&'a Touchpoint>,
    x: f64,
    /// Index into the friction report's touchpoints.
    friction: Option<usize>,
}

/// The journey and what the layout derives from it once: the columns, friction and the plan.
struct MapContext<'a> {
    journey: &'a Journey,
    options: &'a RenderOptions,
    /// For the curves' colours, which the curve set carries.
    palette: &'static Palette,
    labels: &'static Labels,
    stages: Vec<StageColumns<'a>>,
    columns: Vec<Column<'a>>,
    /// Left and right edges of the columns (the gutter is left of `left`).
    left: f64,
    right: f64,
    friction: FrictionReport,
    plan: Plan,
}

impl<'a> MapContext<'a> {
    fn new(journey: &'a Journey, options: &'a RenderOptions) -> MapContext<'a> {
        let left = MARGIN + GUTTER;
        let mut x = left;
        let mut stages = Vec::new();
        let mut columns = Vec::new();
        let mut friction_index = 0;
        for (si, stage) in journey.stages.iter().enumerate() {
            let first = columns.len();
            if stage.touchpoints.is_empty() {
                columns.push(Column {
                    stage: si,
                    tp: None,
                    x,
                    friction: None,
                });
            }
            for (ti, tp) in stage.touchpoints.iter().enumerate() {
                columns.push(Column {
                    stage: si,
                    tp: Some(tp),
                    x: x + ti as f64 * COLUMN,
                    friction: Some(friction_index),
                });
                friction_index += 1;
            }
            let count = columns.len() - first;
            let w = count as f64 * COLUMN;
            stages.push(StageColumns { stage, x, w, count });
            x += w;
        }
        let right = if stages.is_empty() {
            left + EMPTY_MAP_COLUMNS * COLUMN
        } else {
            x
        };
        let gaps = analyze_gaps(journey);
        MapContext {
            journey,
            options,
            palette: Palette::of(options.theme),
            labels: Labels::of(options.language),
            stages,
            columns,
            left,
            right,
            friction: friction(journey, &FrictionWeights::default()),
            plan: plan(journey, &gaps),
        }
    }

    fn plan_item(&self, opportunity: &str) -> Option<&PlanItem> {
        self.plan.items.iter().find(|i| i.id == opportunity)
    }

    fn touchpoint_friction(&self, column: &Column) -> Option<&FrictionScore> {
        column
            .friction
            .and_then(|i| self.friction.touchpoints.get(i))
            .map(|t| &t.score)
    }

    fn stage_friction(&self, stage: usize) -> Option<&FrictionScore> {
        self.friction.stages.get(stage).map(|s| &s.score)
    }

    /// The id of a column's stage.
    fn stage_id(&self, column: &Column) -> &'a str {
        self.stages
            .get(column.stage)
            .map_or("", |s| s.stage.id.as_str())
    }

    /// The planned fix for a pain point: the best-ranked opportunity addressing it that is not
    /// dropped, or `None` when nothing addresses it.
    fn fix_for(&self, pain: &str) -> Option<&PlanItem> {
        self.plan
            .items
            .iter()
            .filter(|i| i.status != OpportunityStatus::Dropped)
            .find(|i| i.addresses.iter().any(|a| a == pain))
    }
}

/// The journey map as a standalone SVG document.
///
/// Stages are columns (header with name, goal, expected duration and stage friction); each
/// touchpoint is a fixed-width sub-column, so the map grows wider with the journey and stays
/// readable from 3 to 30+ stages. Lanes follow [`RenderOptions::lanes`]. Each touchpoint's card
/// is a `<g data-touchpoint="id">` and each stage header a `<g data-stage="id">`.
///
/// ```
/// let journey = cjm_core::parse_journey(
///     "journey\n title Buying\n section Choose\n  Read reviews: 4: Ann\n section Pay\n  Checkout: 2: Ann\n",
///     cjm_core::Format::Mermaid,
/// ).unwrap();
/// let svg = cjm_core::render_svg(&journey, &cjm_core::RenderOptions::default()).unwrap();
/// assert!(svg.starts_with("<svg"));
/// assert_eq!(svg.matches("data-stage=").count(), 2);
/// ```
pub fn render_svg(journey: &Journey, options: &RenderOptions) -> Result<String> {
    super::budget::check(super::estimate_svg(journey, options), options, "map")?;
    let ctx = MapContext::new(journey, options);
    let map = layout::lay_out(&ctx);
    Ok(draw::draw(&map, ctx.palette))
}

pub(crate) fn lane_id(lane: Lane) -> &'static str {
    match lane {
        Lane::Touchpoints => "touchpoints",
        Lane::Actions => "actions",
        Lane::Thoughts => "thoughts",
        Lane::Feelings => "feelings",
        Lane::Questions => "questions",
        Lane::Expectations => "expectations",
        Lane::Emotions => "emotions",
        Lane::PainPoints => "pain_points",
        Lane::Opportunities => "opportunities",
        Lane::Metrics => "metrics",
        Lane::Friction => "friction",
    }
}
