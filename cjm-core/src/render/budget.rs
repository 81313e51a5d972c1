//! The output budget: a cheap, conservative estimate of each renderer's output, computed from
//! the journey's counts and text lengths before any markup is built, and the refusal
//! (`output_too_large`) when it exceeds [`RenderOptions::max_output_bytes`].
//!
//! The estimate is an upper bound, not a forecast: every element the renderers emit has a fixed
//! shape, so each counted thing (stage, touchpoint, lane item, curve point, table row) is charged
//! a constant of markup well above what it takes, and each text from the journey is charged its
//! escaped length (`&` grows to `&amp;`, …) times the number of places it can appear. Tests in
//! `tests/render.rs` check `actual ≤ estimate` and `estimate ≤ 20 × actual` on the examples and
//! on random journeys.

use crate::error::ErrorCode;
use crate::error::{CjmError, Result};
use crate::events::FunnelResult;
use crate::model::{Journey, Metric, PainPoint};

use super::{Lane, RenderOptions, ReportOptions};

/// Default [`RenderOptions::max_output_bytes`]: 64 MiB.
///
/// Large enough for any map a person can read: the bundled examples render to under 250 KB, and
/// a map as dense as the e-commerce example passes up to about 5 000 touchpoints (10 000 of them
/// render to 40 MiB, estimated at 126 MiB: raise the budget for those). Small enough that the
/// output, the copy a binding makes of it (a Python `str`, a JS string: up to 4 bytes a
/// character in UTF-16 or UCS-4) and the working memory (about 3 × the output: the markup
/// buffer, the map copied into the report) stay far below the few GB a 32-bit WASM heap or a
/// notebook kernel has.
pub const DEFAULT_MAX_OUTPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Bytes of markup charged once per document (header, styles of the report, legends).
const DOCUMENT: u64 = 16 * 1024;
/// The report's fixed part on top of the map: CSS, headings, empty tables.
const REPORT: u64 = 48 * 1024;
/// Per stage: column background, header card, goal, duration, friction badge.
const STAGE: u64 = 1_600;
/// Per touchpoint and drawn lane: the cell's frame, grid and wrapped lines.
const TOUCHPOINT_LANE: u64 = 350;
/// A chart's fixed part: frame, guides, legend, colour scale.
const CHART: u64 = 6 * 1024;
/// Per stage in a chart: band and name.
const CHART_STAGE: u64 = 600;
/// Per touchpoint in a chart: x label, heat cell, value, tooltip.
const TOUCHPOINT_CHART: u64 = 700;
/// Per point of a chart's curve.
const CHART_POINT: u64 = 200;
/// How many times a touchpoint's name may appear in a chart (label, tooltip).
const CHART_TEXT_TIMES: u64 = 3;
/// Per point of a drawn curve (polyline pair, circle, valley or peak mark).
const CURVE_POINT: u64 = 300;
/// Per lane item (action, thought, pain point, metric, opportunity…) in the map.
const ITEM: u64 = 500;
/// Per row of a report table (touchpoint, gap, plan item, metric).
const ROW: u64 = 900;
/// Per funnel group step.
const FUNNEL_STEP: u64 = 1_800;
/// How many times a text from the journey may appear in one document (card, tooltip, table
/// cells, gap messages).
const TEXT_TIMES: u64 = 4;
/// How many more times the report's tables may repeat a text.
const REPORT_TEXT_TIMES: u64 = 3;

/// The length of `text` once escaped by [`super::escape_xml`], without building it.
pub(crate) fn escaped_len(text: &str) -> u64 {
    // The escaped characters are ASCII, so bytes suffice; dropped controls only shrink it.
    let extra: u64 = text
        .bytes()
        .map(|b| match b {
            b'&' | b'\'' => 4,
            b'<' | b'>' => 3,
            b'"' => 5,
            _ => 0,
        })
        .sum();
    text.len() as u64 + extra
}

fn texts<'a>(items: impl IntoIterator<Item = &'a String>) -> u64 {
    items.into_iter().map(|s| escaped_len(s)).sum()
}

fn opt(text: &Option<String>) -> u64 {
    text.as_deref().map_or(0, escaped_len)
}

fn metric_text(m: &Metric) -> u64 {
    opt(&m.id) + opt(&m.name) + opt(&m.unit) + opt(&m.period) + texts(&m.evidence) + 64
}

fn pain_text(p: &PainPoint) -> u64 {
    escaped_len(&p.id) + escaped_len(&p.description) + texts(&p.personas) + texts(&p.evidence)
}

/// What the estimates are made of, counted in one pass over the journey.
#[derive(Default)]
struct Counts {
    stages: u64,
    touchpoints: u64,
    /// Touchpoint items per lane (actions, thoughts, …), indexed like [`Lane::ALL`].
    items: [u64; 11],
    /// Every other countable thing: personas, journey-level evidence, opportunities, metrics.
    others: u64,
    /// Escaped bytes of every text the renderers may show.
    text: u64,
    /// The part of `text` in touchpoint items, per lane like `items`.
    items_text: [u64; 11],
    /// Stage name bytes counted once per touchpoint of the stage (tables repeat them per row).
    stage_per_touchpoint: u64,
    /// Touchpoint name bytes, for charts (which show touchpoints, not items).
    touchpoint_text: u64,
    personas: u64,
    /// `text` and every lane's `items_text`.
    all_text: u64,
}

fn lane_index(lane: Lane) -> usize {
    Lane::ALL.iter().position(|l| *l == lane).unwrap_or(0)
}

fn count(journey: &Journey) -> Counts {
    let mut c = Counts {
        stages: journey.stages.len() as u64,
        personas: journey.personas.len() as u64,
        ..Counts::default()
    };
    c.text += escaped_len(&journey.title)
        + escaped_len(&journey.id)
        + opt(&journey.description)
        + opt(&journey.owner)
        + opt(&journey.updated)
        + texts(&journey.tags);
    for p in &journey.personas {
        c.text += escaped_len(&p.id) + escaped_len(&p.name) + opt(&p.description);
    }
    for o in &journey.opportunities {
        c.items_text[lane_index(Lane::Opportunities)] += escaped_len(&o.id)
            + escaped_len(&o.title)
            + opt(&o.description)
            + texts(&o.addresses)
            + opt(&o.stage)
            + opt(&o.touchpoint)
            + texts(&o.metrics)
            + opt(&o.owner)
            + opt(&o.due);
        c.items[lane_index(Lane::Opportunities)] += 1;
    }
    for m in &journey.metrics {
        c.items[lane_index(Lane::Metrics)] += 1;
        c.items_text[lane_index(Lane::Metrics)] += metric_text(m);
    }
    for e in &journey.evidence {
        c.others += 1;
        c.text += escaped_len(&e.id) + escaped_len(&e.title) + opt(&e.source);
    }
    for stage in &journey.stages {
        let name = escaped_len(&stage.name) + escaped_len(&stage.id);
        c.text += name + opt(&stage.description) + opt(&stage.goal) + opt(&stage.expected_duration);
        for p in &stage.pain_points {
            c.items[lane_index(Lane::PainPoints)] += 1;
            c.items_text[lane_index(Lane::PainPoints)] += pain_text(p);
        }
        for m in &stage.metrics {
            c.items[lane_index(Lane::Metrics)] += 1;
            c.items_text[lane_index(Lane::Metrics)] += metric_text(m);
        }
        for tp in &stage.touchpoints {
            c.touchpoints += 1;
            c.stage_per_touchpoint += name;
            let tp_name = escaped_len(&tp.id) + escaped_len(&tp.name) + opt(&tp.channel);
            c.touchpoint_text += tp_name;
            c.text += tp_name + opt(&tp.description) + opt(&tp.owner) + texts(&tp.personas);
            for (lane, items) in [
                (Lane::Actions, &tp.actions),
                (Lane::Thoughts, &tp.thoughts),
                (Lane::Feelings, &tp.feelings),
                (Lane::Questions, &tp.questions),
                (Lane::Expectations, &tp.expectations),
            ] {
                c.items[lane_index(lane)] += items.len() as u64;
                c.items_text[lane_index(lane)] += texts(items);
            }
            c.items[lane_index(Lane::Emotions)] += tp.emotions.len() as u64;
            for e in &tp.emotions {
                c.items_text[lane_index(Lane::Emotions)] += opt(&e.persona);
            }
            c.items[lane_index(Lane::PainPoints)] += tp.pain_points.len() as u64;
            for p in &tp.pain_points {
                c.items_text[lane_index(Lane::PainPoints)] += pain_text(p);
            }
            c.items[lane_index(Lane::Metrics)] += tp.metrics.len() as u64;
            for m in &tp.metrics {
                c.items_text[lane_index(Lane::Metrics)] += metric_text(m);
            }
            c.others += (tp.evidence.len() + tp.events.len()) as u64;
            c.text += texts(&tp.evidence) + texts(&tp.events);
        }
    }
    c.all_text = c.text + c.items_text.iter().sum::<u64>();
    c
}

/// Curves a chart draws: everyone's plus one per selected persona.
fn curves(c: &Counts, options: &RenderOptions) -> u64 {
    let selected = if options.personas.is_empty() {
        c.personas
    } else {
        (options.personas.len() as u64).min(c.personas)
    };
    selected + 1
}

fn title(journey: &Journey) -> u64 {
    escaped_len(&journey.title) * 3 + 256
}

fn map_estimate(c: &Counts, journey: &Journey, options: &RenderOptions) -> u64 {
    let lanes = options.effective_lanes();
    let mut total = DOCUMENT + title(journey) + c.stages.saturating_mul(STAGE);
    let mut items = c.others;
    let mut text = c.text;
    for lane in &lanes {
        total = total.saturating_add(c.touchpoints.saturating_mul(TOUCHPOINT_LANE));
        items = items.saturating_add(c.items[lane_index(*lane)]);
        text = text.saturating_add(c.items_text[lane_index(*lane)]);
        if *lane == Lane::Emotions {
            total = total.saturating_add(
                c.touchpoints
                    .saturating_mul(curves(c, options))
                    .saturating_mul(CURVE_POINT),
            );
        }
    }
    total
        .saturating_add(items.saturating_mul(ITEM))
        .saturating_add(text.saturating_mul(TEXT_TIMES))
}

/// A chart's part for one journey, without the document's fixed part.
fn chart_estimate(c: &Counts, journey: &Journey, curve_count: u64) -> u64 {
    title(journey)
        .saturating_add(c.stages.saturating_mul(CHART_STAGE))
        .saturating_add(c.touchpoints.saturating_mul(TOUCHPOINT_CHART))
        .saturating_add(
            c.touchpoints
                .saturating_mul(curve_count)
                .saturating_mul(CHART_POINT),
        )
        .saturating_add(c.stage_per_touchpoint)
        .saturating_add(c.touchpoint_text.saturating_mul(CHART_TEXT_TIMES))
        .saturating_add(c.personas.saturating_mul(512))
}

fn funnel_estimate(result: &FunnelResult) -> u64 {
    let step_text: u64 = result.steps.iter().map(|s| escaped_len(s) + 16).sum();
    let mut total = DOCUMENT + step_text.saturating_mul(4) + opt(&result.by) * 2;
    for group in std::iter::once(&result.total).chain(&result.groups) {
        total = total.saturating_add(512 + opt(&group.group) * 4);
        for step in &group.steps {
            total = total.saturating_add(FUNNEL_STEP + escaped_len(&step.step) * 3);
        }
    }
    total
}

/// Estimated bytes of [`super::render_svg`].
pub fn estimate_svg(journey: &Journey, options: &RenderOptions) -> u64 {
    map_estimate(&count(journey), journey, options)
}

/// Estimated bytes of [`super::render_curve_svg`] and [`super::render_friction_svg`].
pub fn estimate_chart_svg(journey: &Journey, options: &RenderOptions) -> u64 {
    let c = count(journey);
    CHART.saturating_add(chart_estimate(&c, journey, curves(&c, options)))
}

/// Estimated bytes of [`super::render_comparison_svg`].
pub fn estimate_comparison_svg(as_is: &Journey, to_be: &Journey, _options: &RenderOptions) -> u64 {
    let (a, b) = (count(as_is), count(to_be));
    CHART
        .saturating_add(chart_estimate(&a, as_is, 2))
        .saturating_add(chart_estimate(&b, to_be, 2))
        .saturating_add(escaped_len(&to_be.title) * 3)
}

/// Estimated bytes of [`super::render_funnel_svg`].
pub fn estimate_funnel_svg(result: &FunnelResult, _options: &RenderOptions) -> u64 {
    funnel_estimate(result)
}

/// Estimated bytes of [`super::render_report_html`]: the map, the tables (one row per
/// touchpoint, item and gap, with texts repeated) and the optional sections.
pub fn estimate_report_html(journey: &Journey, options: &ReportOptions) -> u64 {
    let c = count(journey);
    let rows = c
        .touchpoints
        .saturating_add(c.items.iter().sum::<u64>())
        .saturating_add(c.others)
        .saturating_add(c.stages);
    let mut total = REPORT
        .saturating_add(map_estimate(&c, journey, &options.render))
        .saturating_add(rows.saturating_mul(ROW))
        .saturating_add(c.all_text.saturating_mul(REPORT_TEXT_TIMES))
        .saturating_add(c.stage_per_touchpoint.saturating_mul(REPORT_TEXT_TIMES));
    if let Some(funnel) = &options.funnel {
        total = total.saturating_add(funnel_estimate(funnel));
    }
    if let Some(to_be) = &options.to_be {
        let b = count(to_be);
        total = total
            .saturating_add(estimate_comparison_svg(journey, to_be, &options.render))
            .saturating_add((c.touchpoints + b.touchpoints).saturating_mul(ROW))
            .saturating_add(
                (c.touchpoint_text + b.touchpoint_text).saturating_mul(REPORT_TEXT_TIMES),
            );
    }
    total
}

/// Refuses an output whose estimate exceeds the budget (`0`: no budget).
pub(crate) fn check(estimate: u64, options: &RenderOptions, what: &str) -> Result<()> {
    let budget = options.max_output_bytes;
    if budget == 0 || estimate <= budget {
        return Ok(());
    }
    Err(CjmError::usage(
        ErrorCode::OutputTooLarge,
        format!(
            "the {what} would take up to {estimate} bytes ({:.1} MiB), over the output budget of \
             {budget} bytes ({:.1} MiB); render fewer lanes, personas or touchpoints, or raise \
             max_output_bytes (0 removes the limit)",
            estimate as f64 / 1_048_576.0,
            budget as f64 / 1_048_576.0,
        ),
    ))
}
