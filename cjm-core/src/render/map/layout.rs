//! The layout pass: where every element of the map goes and how big it is, computed once into
//! plain data. Nothing here writes markup; `draw.rs` writes this layout as it is.

use super::super::Lane;
use super::super::common::{
    CurveSet, LegendLayout, curve_set, lay_out_curve_legend, plain, signed, value_y,
};
use super::super::i18n::Labels;
use super::super::text::{Wrapped, clean, one_line_px, px_width, wrap_px};
use super::card_layout::PlacedCard;
use super::cards::{Card, lane_cards};
use super::metrics::*;
use super::{Column, MapContext, StageColumns};
use crate::model::OpportunityStatus;
use crate::score::{ComponentKind, FrictionScore, TargetStatus};

// ---------------------------------------------------------------------------------------------
// Plain layout data

/// A position: the top-left of a mark, or the centre of a dot.
#[derive(Clone, Copy)]
pub(super) struct Point {
    pub x: f64,
    pub y: f64,
}

/// A box: top-left corner, width and height.
#[derive(Clone, Copy)]
pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A straight line between two points.
#[derive(Clone, Copy)]
pub(super) struct Line {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

impl Line {
    fn horizontal(x1: f64, x2: f64, y: f64) -> Line {
        Line {
            x1,
            y1: y,
            x2,
            y2: y,
        }
    }

    fn vertical(x: f64, y1: f64, y2: f64) -> Line {
        Line {
            x1: x,
            y1,
            x2: x,
            y2,
        }
    }
}

/// A block of text: `x` is where its anchor is, `top` the top of its first line.
pub(super) struct Text {
    pub x: f64,
    pub top: f64,
    pub lines: Vec<String>,
}

impl Text {
    pub(super) fn block(x: f64, top: f64, wrapped: Wrapped) -> Text {
        Text {
            x,
            top,
            lines: wrapped.lines,
        }
    }

    pub(super) fn line(x: f64, top: f64, line: impl Into<String>) -> Text {
        Text {
            x,
            top,
            lines: vec![line.into()],
        }
    }
}

/// The full text behind a wrapped one, for a `<title>` tooltip, when wrapping cut it.
pub(super) fn tooltip(wrapped: &Wrapped, full: &str) -> Option<String> {
    wrapped.truncated.then(|| clean(full))
}

/// The height of wrapped lines set at `size`.
pub(super) fn lines_height(wrapped: &Wrapped, size: TextSize) -> f64 {
    wrapped.lines.len() as f64 * size.line
}

/// The whole map, laid out.
pub(super) struct MapLayout<'a> {
    pub width: f64,
    pub height: f64,
    /// The document's accessible title.
    pub document_title: &'a str,
    /// Words of the curve marks (valley, peak), which `draw_curves` writes.
    pub labels: &'static Labels,
    /// The journey title and facts, unless the options turn them off.
    pub heading: Option<Heading>,
    pub backdrop: Backdrop,
    pub headers: Vec<StageHeader<'a>>,
    pub lanes: Vec<LaneLayout<'a>>,
    /// The rule under the last lane, when there are lanes.
    pub bottom_rule: Option<Line>,
    /// The note of a map without stages.
    pub no_stages: Option<Text>,
}

pub(super) struct Heading {
    pub title: Text,
    pub facts: Text,
}

/// Behind the lanes: the gutter, each stage's column area with its dividers, the edges.
pub(super) struct Backdrop {
    pub gutter: Rect,
    pub stages: Vec<StageArea>,
    /// The edge right of the last column.
    pub right_edge: Line,
}

pub(super) struct StageArea {
    pub area: Rect,
    /// Odd stages are shaded differently, so neighbours stand apart.
    pub odd: bool,
    /// Dotted lines between the stage's touchpoint columns.
    pub dividers: Vec<Line>,
    /// The solid line at the stage's left edge.
    pub edge: Line,
}

pub(super) struct StageHeader<'a> {
    pub stage_id: &'a str,
    pub tooltip: Option<String>,
    pub frame: Rect,
    /// "STAGE N".
    pub number: Text,
    pub name: Text,
    pub goal: Option<Text>,
    pub duration: Option<Text>,
    pub friction: Option<FrictionBadge>,
}

/// The stage friction index, as a pill coloured by its heat.
pub(super) struct FrictionBadge {
    pub index: f64,
    pub pill: Rect,
    pub label: Text,
}

pub(super) struct LaneLayout<'a> {
    pub lane: Lane,
    /// The rule along the lane's top.
    pub rule: Line,
    pub gutter: Gutter,
    pub body: LaneBody<'a>,
}

/// A lane's title, hint and key in the gutter.
pub(super) struct Gutter {
    pub title: Text,
    pub hint: Option<Text>,
    pub key: LaneKey,
}

pub(super) enum LaneKey {
    None,
    /// Pain points: a swatch per severity 1–5.
    Severity(Vec<SeverityKey>),
    /// Metrics: a dot per target status.
    Targets(Vec<TargetKey>),
    /// Opportunities: a swatch per status, then the high-priority star.
    Opportunities {
        statuses: Vec<StatusKey>,
        high_priority: Text,
    },
    /// Emotions: the values of the curve's guide lines.
    EmotionScale(Vec<Text>),
}

pub(super) struct SeverityKey {
    pub severity: i64,
    pub swatch: Rect,
    pub digit: Text,
}

pub(super) struct TargetKey {
    pub status: TargetStatus,
    pub dot: Point,
    pub label: Text,
}

pub(super) struct StatusKey {
    pub status: OpportunityStatus,
    pub swatch: Rect,
    pub label: Text,
}

pub(super) enum LaneBody<'a> {
    Cards(CardLane),
    Curve(CurveLane<'a>),
    Friction(Vec<HeatCell>),
}

pub(super) struct CardLane {
    /// "+N not placed" at the bottom of the gutter.
    pub unplaced_note: Option<Text>,
    pub bands: Vec<Band>,
    /// The cards of the touchpoint columns.
    pub cards: Vec<PlacedCard>,
}

/// Stage-level cards in a dashed box across the stage's columns.
pub(super) struct Band {
    pub frame: Rect,
    /// "Whole stage".
    pub label: Text,
    pub cards: Vec<PlacedCard>,
}

/// The emotion curve lane. Its plot is drawn in a group moved down to the lane's top, so the
/// plot's own coordinates start at 0.
pub(super) struct CurveLane<'a> {
    pub top: f64,
    pub set: CurveSet,
    /// Guide lines at +1, 0 and −1, in plot coordinates.
    pub guides: CurveGuides,
    /// (stage id, touchpoint id) of each column, and the x of its centre.
    pub slots: Vec<(&'a str, &'a str)>,
    pub xs: Vec<f64>,
    pub legend: LegendLayout,
}

pub(super) struct CurveGuides {
    pub positive: Line,
    pub neutral: Line,
    pub negative: Line,
}

/// A touchpoint's friction index as a heat cell.
pub(super) struct HeatCell {
    pub frame: Rect,
    pub reading: HeatReading,
}

pub(super) enum HeatReading {
    Scored {
        index: f64,
        value: Text,
        /// The components that weigh most, when any counts.
        components: Option<Text>,
    },
    NoData(Text),
}

// ---------------------------------------------------------------------------------------------
// The pass

/// Lays out the map, top to bottom: title, stage headers, then each lane below the last.
pub(super) fn lay_out<'a>(ctx: &MapContext<'a>) -> MapLayout<'a> {
    let no_stages = ctx.stages.is_empty();
    let width = ctx.right + MARGIN;
    let (heading, title_h) = if ctx.options.title {
        let (heading, height) = lay_out_heading(ctx, width);
        (Some(heading), height)
    } else {
        (None, 0.0)
    };
    let header_top = MARGIN + title_h;
    let (headers, header_h) = lay_out_headers(ctx, header_top);
    let lanes_top = header_top + header_h + if no_stages { 0.0 } else { HEADER_GAP };
    let mut top = lanes_top;
    let mut lanes_h = 0.0;
    let mut lanes = Vec::new();
    for lane in ctx.options.effective_lanes() {
        let (layout, height) = lay_out_lane(ctx, lane, top);
        lanes.push(layout);
        lanes_h += height;
        top += height;
    }
    let empty_note_h = if no_stages { EMPTY_NOTE_H } else { 0.0 };
    MapLayout {
        width,
        height: lanes_top + lanes_h + empty_note_h + MARGIN,
        document_title: &ctx.journey.title,
        labels: ctx.labels,
        heading,
        backdrop: lay_out_backdrop(ctx, lanes_top, lanes_h),
        headers,
        bottom_rule: (!lanes.is_empty()).then(|| Line::horizontal(MARGIN, ctx.right, top)),
        lanes,
        no_stages: no_stages.then(|| {
            Text::line(
                ctx.left + LANE_PAD,
                top + EMPTY_NOTE_DY,
                ctx.labels.no_stages,
            )
        }),
    }
}

fn lay_out_heading(ctx: &MapContext, width: f64) -> (Heading, f64) {
    let j = ctx.journey;
    let text_w = width - 2.0 * MARGIN;
    let title = wrap_px(&j.title, text_w, JOURNEY_TITLE.size, true, TITLE_MAX_LINES);
    let mut facts = vec![ctx.labels.state(j.state).to_string()];
    if let Some(owner) = j.owner.as_deref().map(clean).filter(|s| !s.is_empty()) {
        facts.push(format!("{}: {owner}", ctx.labels.owner));
    }
    if let Some(updated) = j.updated.as_deref().map(clean).filter(|s| !s.is_empty()) {
        facts.push(format!("{} {updated}", ctx.labels.updated));
    }
    if let Some(index) = ctx.friction.journey.index {
        facts.push(format!(
            "{} {}/100",
            ctx.labels.friction_index.to_lowercase(),
            plain(index, 0)
        ));
    }
    let facts = wrap_px(
        &facts.join(" · "),
        text_w,
        JOURNEY_FACTS.size,
        false,
        FACTS_MAX_LINES,
    );
    let title_h = lines_height(&title, JOURNEY_TITLE);
    let height = TITLE_PAD + title_h + lines_height(&facts, JOURNEY_FACTS) + TITLE_PAD;
    let heading = Heading {
        title: Text::block(MARGIN, MARGIN, title),
        facts: Text::block(MARGIN, MARGIN + title_h + TITLE_FACTS_GAP, facts),
    };
    (heading, height)
}

/// The texts of a stage header, before they are placed.
struct HeaderTexts {
    number: String,
    name: Wrapped,
    goal: Option<Wrapped>,
    duration: Option<String>,
}

impl HeaderTexts {
    fn height(&self) -> f64 {
        LANE_PAD
            + SMALL.line
            + HEADER_NUMBER_GAP
            + lines_height(&self.name, STAGE_NAME)
            + HEADER_NAME_GAP
            + self
                .goal
                .as_ref()
                .map_or(0.0, |g| lines_height(g, STAGE_GOAL) + HEADER_GOAL_GAP)
            + HEADER_FOOTER_H
            + LANE_PAD
    }
}

/// The stage headers, all as high as the highest; returns them and that height.
fn lay_out_headers<'a>(ctx: &MapContext<'a>, top: f64) -> (Vec<StageHeader<'a>>, f64) {
    let texts: Vec<HeaderTexts> = ctx
        .stages
        .iter()
        .enumerate()
        .map(|(i, sg)| header_texts(ctx, i, sg))
        .collect();
    let min_h = if ctx.stages.is_empty() {
        0.0
    } else {
        HEADER_MIN_H
    };
    let height = texts
        .iter()
        .map(HeaderTexts::height)
        .fold(0.0, f64::max)
        .max(min_h);
    let headers = ctx
        .stages
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(si, (sg, texts))| place_header(ctx, si, sg, texts, top, height))
        .collect();
    (headers, height)
}

fn header_texts(ctx: &MapContext, index: usize, sg: &StageColumns) -> HeaderTexts {
    let inner = sg.w - 2.0 * (LANE_PAD + HEADER_TEXT_INSET);
    let goal = sg
        .stage
        .goal
        .as_deref()
        .filter(|g| !clean(g).is_empty())
        .map(|g| {
            wrap_px(
                &format!("{}: {}", ctx.labels.goal, g),
                inner,
                STAGE_GOAL.size,
                false,
                STAGE_GOAL_MAX_LINES,
            )
        });
    let duration = sg
        .stage
        .expected_duration
        .as_deref()
        .map(clean)
        .filter(|d| !d.is_empty())
        .map(|d| {
            one_line_px(
                &format!("{} {d}", ctx.labels.duration),
                inner / 2.0,
                SMALL.size,
                false,
            )
        });
    HeaderTexts {
        number: format!("{} {}", ctx.labels.stage, index + 1),
        name: wrap_px(
            &sg.stage.name,
            inner,
            STAGE_NAME.size,
            true,
            STAGE_NAME_MAX_LINES,
        ),
        goal,
        duration,
    }
}

/// Places a stage's header texts in a header box `height` high from `top`.
fn place_header<'a>(
    ctx: &MapContext<'a>,
    index: usize,
    sg: &StageColumns<'a>,
    texts: HeaderTexts,
    top: f64,
    height: f64,
) -> StageHeader<'a> {
    let x = sg.x + LANE_PAD + HEADER_TEXT_INSET;
    let number_top = top + LANE_PAD;
    let name_top = number_top + SMALL.line + HEADER_NUMBER_GAP;
    let goal_top = name_top + lines_height(&texts.name, STAGE_NAME) + HEADER_NAME_GAP;
    let footer_top = top + height - LANE_PAD - HEADER_FOOTER_RISE;
    let footer_text_top = footer_top + HEADER_FOOTER_TEXT_DY;
    let friction = ctx
        .stage_friction(index)
        .and_then(|s| s.index)
        .map(|index| {
            let label = format!("{} {}", ctx.labels.stage_friction, plain(index, 0));
            let w = px_width(&label, SMALL.size, true) + BADGE_PAD_X;
            // Right-aligned in the footer row.
            let pill_x = sg.x + sg.w - LANE_PAD - w;
            FrictionBadge {
                index,
                pill: Rect {
                    x: pill_x,
                    y: footer_top,
                    w,
                    h: BADGE_H,
                },
                label: Text::line(pill_x + w / 2.0, footer_text_top, label),
            }
        });
    StageHeader {
        stage_id: &sg.stage.id,
        tooltip: tooltip(&texts.name, &sg.stage.name),
        frame: Rect {
            x: sg.x + HEADER_INSET,
            y: top,
            w: sg.w - 2.0 * HEADER_INSET,
            h: height,
        },
        number: Text::line(x, number_top, texts.number.to_uppercase()),
        name: Text::block(x, name_top, texts.name),
        goal: texts.goal.map(|g| Text::block(x, goal_top, g)),
        duration: texts.duration.map(|d| Text::line(x, footer_text_top, d)),
        friction,
    }
}

fn lay_out_backdrop(ctx: &MapContext, top: f64, height: f64) -> Backdrop {
    let bottom = top + height;
    let stages = ctx
        .stages
        .iter()
        .enumerate()
        .map(|(si, sg)| StageArea {
            area: Rect {
                x: sg.x,
                y: top,
                w: sg.w,
                h: height,
            },
            odd: si % 2 == 1,
            dividers: (1..sg.count)
                .map(|c| Line::vertical(sg.x + c as f64 * COLUMN, top, bottom))
                .collect(),
            edge: Line::vertical(sg.x, top, bottom),
        })
        .collect();
    Backdrop {
        gutter: Rect {
            x: MARGIN,
            y: top,
            w: GUTTER,
            h: height,
        },
        stages,
        right_edge: Line::vertical(ctx.right, top, bottom),
    }
}

/// Lays out one lane from `top`; returns it and its height.
fn lay_out_lane<'a>(ctx: &MapContext<'a>, lane: Lane, top: f64) -> (LaneLayout<'a>, f64) {
    let (gutter, gutter_h) = lay_out_gutter(ctx, lane, top);
    let (body, height) = match lane {
        Lane::Emotions => {
            let (curve, height) = lay_out_curve_lane(ctx, top);
            (LaneBody::Curve(curve), height.max(gutter_h))
        }
        Lane::Friction => (
            LaneBody::Friction(lay_out_heat_cells(ctx, top)),
            FRICTION_LANE_H.max(gutter_h),
        ),
        _ => {
            let (cards, height) = lay_out_card_lane(ctx, lane, top, gutter_h);
            (LaneBody::Cards(cards), height)
        }
    };
    let layout = LaneLayout {
        lane,
        rule: Line::horizontal(MARGIN, ctx.right, top),
        gutter,
        body,
    };
    (layout, height)
}

/// A lane's gutter: title, hint and key; returns it and the height it needs.
fn lay_out_gutter(ctx: &MapContext, lane: Lane, top: f64) -> (Gutter, f64) {
    let l = ctx.labels;
    let x = MARGIN + GUTTER_INSET;
    let title = wrap_px(
        l.lane(lane),
        GUTTER_TEXT_W,
        STRONG.size,
        true,
        LANE_TITLE_MAX_LINES,
    );
    let title_top = top + GUTTER_INSET;
    let mut y = title_top + lines_height(&title, LANE_TITLE) + LANE_TITLE_GAP;
    let hint = match lane {
        Lane::Touchpoints => Some(l.touchpoints_hint),
        Lane::PainPoints => Some(l.pain_hint),
        Lane::Opportunities => Some(l.opportunities_hint),
        Lane::Friction => Some(l.friction_hint),
        _ => None,
    }
    .map(|hint| {
        let wrapped = wrap_px(hint, GUTTER_TEXT_W, SMALL.size, false, LANE_HINT_MAX_LINES);
        let hint_top = y;
        y += lines_height(&wrapped, SMALL) + LANE_HINT_GAP;
        Text::block(x, hint_top, wrapped)
    });
    let (key, key_h) = match lane {
        Lane::PainPoints => severity_key(x, y),
        Lane::Metrics => target_key(l, x, y),
        Lane::Opportunities => opportunity_key(l, x, y),
        // Beside the curve's guide lines: they take no room in the gutter's height.
        Lane::Emotions => (emotion_scale(l, top), 0.0),
        _ => (LaneKey::None, 0.0),
    };
    let gutter = Gutter {
        title: Text::block(x, title_top, title),
        hint,
        key,
    };
    (gutter, y + key_h - top + LANE_PAD)
}

/// A swatch per pain point severity, in a row from (x, top); returns it and its height.
fn severity_key(x: f64, top: f64) -> (LaneKey, f64) {
    let keys = (1..=5_i64)
        .map(|severity| {
            let swatch = Rect {
                x: x + (severity - 1) as f64 * SEVERITY_SWATCH_STEP,
                y: top,
                w: SEVERITY_SWATCH_W,
                h: SEVERITY_SWATCH_H,
            };
            SeverityKey {
                severity,
                swatch,
                digit: Text::line(
                    swatch.x + SEVERITY_SWATCH_W / 2.0,
                    top + SEVERITY_KEY_DIGIT_DY,
                    severity.to_string(),
                ),
            }
        })
        .collect();
    (LaneKey::Severity(keys), SEVERITY_KEY_H)
}

/// A dot per metric target status, a row each from (x, top); returns it and its height.
fn target_key(l: &Labels, x: f64, top: f64) -> (LaneKey, f64) {
    let statuses = [
        TargetStatus::Met,
        TargetStatus::AtRisk,
        TargetStatus::Missed,
    ];
    let keys = statuses
        .into_iter()
        .enumerate()
        .map(|(row, status)| {
            let y = top + row as f64 * KEY_ROW_H;
            TargetKey {
                status,
                dot: Point {
                    x: x + DOT_DX,
                    y: y + DOT_DY,
                },
                label: Text::line(x + DOT_LABEL_X, y, l.target_status(status)),
            }
        })
        .collect();
    (LaneKey::Targets(keys), statuses.len() as f64 * KEY_ROW_H)
}

/// A swatch per opportunity status, a row each from (x, top), then the high-priority star;
/// returns it and its height.
fn opportunity_key(l: &Labels, x: f64, top: f64) -> (LaneKey, f64) {
    let statuses = [
        OpportunityStatus::Idea,
        OpportunityStatus::Planned,
        OpportunityStatus::InProgress,
        OpportunityStatus::Done,
    ];
    let keys = statuses
        .into_iter()
        .enumerate()
        .map(|(row, status)| {
            let y = top + row as f64 * KEY_ROW_H;
            StatusKey {
                status,
                swatch: Rect {
                    x,
                    y: y + STATUS_SWATCH_DY,
                    w: STATUS_SWATCH,
                    h: STATUS_SWATCH,
                },
                label: Text::line(x + STATUS_SWATCH_LABEL_X, y, l.opportunity_status(status)),
            }
        })
        .collect();
    let star_top = top + statuses.len() as f64 * KEY_ROW_H;
    let key = LaneKey::Opportunities {
        statuses: keys,
        high_priority: Text::line(x, star_top, format!("★ {}", l.high_priority)),
    };
    (key, (statuses.len() + 1) as f64 * KEY_ROW_H)
}

/// The values of the curve lane's guide lines, right-aligned in the gutter beside each line.
fn emotion_scale(l: &Labels, lane_top: f64) -> LaneKey {
    let right = MARGIN + GUTTER - SCALE_LABEL_RIGHT_INSET;
    let labels = [(1.0, l.positive), (0.0, l.neutral), (-1.0, l.negative)]
        .into_iter()
        .map(|(value, label)| {
            let guide_y = value_y(value, lane_top + CURVE_TOP, CURVE_PLOT);
            Text::line(
                right,
                guide_y - SCALE_LABEL_RISE,
                format!("{label} {}", signed(value, 0)),
            )
        })
        .collect();
    LaneKey::EmotionScale(labels)
}

fn stack_height(cards: &[Card]) -> f64 {
    if cards.is_empty() {
        return 0.0;
    }
    cards.iter().map(Card::height).sum::<f64>() + (cards.len() - 1) as f64 * CARD_GAP
}

/// Heights of the rows of a band with `per_row` cards a row.
fn band_row_heights(cards: &[Card], per_row: usize) -> Vec<f64> {
    cards
        .chunks(per_row.max(1))
        .map(|row| row.iter().map(Card::height).fold(0.0, f64::max))
        .collect()
}

fn band_height(cards: &[Card], per_row: usize) -> f64 {
    if cards.is_empty() {
        return 0.0;
    }
    let rows = band_row_heights(cards, per_row);
    let rows_h: f64 = rows.iter().sum();
    BAND_LABEL_ROOM + rows_h + (rows.len() as f64 - 1.0) * CARD_GAP + 2.0 * CARD_PAD
}

/// A lane of cards: each stage's band on top, the columns' cards under it. Returns the lane
/// and its height, at least what the gutter needs (`gutter_h`).
fn lay_out_card_lane(ctx: &MapContext, lane: Lane, top: f64, gutter_h: f64) -> (CardLane, f64) {
    let cards = lane_cards(ctx, lane);
    let band_heights: Vec<f64> = ctx
        .stages
        .iter()
        .zip(&cards.bands)
        .map(|(sg, band)| band_height(band, sg.count))
        .collect();
    // Each stage's column cards start below that stage's own band.
    let own_band = |column: &Column| band_heights.get(column.stage).copied().unwrap_or(0.0);
    let used = ctx
        .columns
        .iter()
        .zip(&cards.columns)
        .map(|(column, stack)| {
            let band = own_band(column);
            let gap = if band > 0.0 && !stack.is_empty() {
                CARD_GAP
            } else {
                0.0
            };
            band + gap + stack_height(stack)
        })
        .fold(0.0, f64::max);
    let note_h = SMALL.line * UNPLACED_NOTE_LINES as f64;
    let gutter_needs = gutter_h + if cards.unplaced > 0 { note_h } else { 0.0 };
    let height = (LANE_PAD + used + LANE_PAD)
        .max(gutter_needs)
        .max(MIN_CARD_LANE_H);
    let unplaced_note = (cards.unplaced > 0).then(|| {
        let note = wrap_px(
            &format!("+{} {}", cards.unplaced, ctx.labels.not_placed),
            GUTTER_TEXT_W,
            SMALL.size,
            false,
            UNPLACED_NOTE_LINES,
        );
        // At the bottom of the gutter, clear of the title and key.
        let note_top = top + height - LANE_PAD - note_h;
        Text::block(MARGIN + GUTTER_INSET, note_top, note)
    });
    let bands = ctx
        .stages
        .iter()
        .zip(cards.bands)
        .zip(&band_heights)
        .filter(|((_, band), _)| !band.is_empty())
        .map(|((sg, band), band_h)| lay_out_band(ctx, sg, band, *band_h, top))
        .collect();
    // Touchpoint cards share one height, so the row reads as one.
    let min_card_h = if lane == Lane::Touchpoints {
        cards
            .columns
            .iter()
            .flatten()
            .map(Card::height)
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    let mut placed = Vec::new();
    for (column, stack) in ctx.columns.iter().zip(cards.columns) {
        let band = own_band(column);
        let stack_top = top + LANE_PAD + band + if band > 0.0 { CARD_GAP } else { 0.0 };
        let x = column.x + LANE_PAD;
        placed.extend(place_stack(ctx, stack, x, stack_top, min_card_h));
    }
    let lane = CardLane {
        unplaced_note,
        bands,
        cards: placed,
    };
    (lane, height)
}

/// Places a column's cards one under another from (x, top).
fn place_stack(
    ctx: &MapContext,
    stack: Vec<Card>,
    x: f64,
    top: f64,
    min_card_h: f64,
) -> Vec<PlacedCard> {
    let mut y = top;
    let mut placed = Vec::with_capacity(stack.len());
    for card in stack {
        let card_h = card.height();
        placed.push(PlacedCard::place(card, ctx.labels, x, y, min_card_h));
        y += card_h + CARD_GAP;
    }
    placed
}

/// A stage's band `band_h` high from the lane's `top`: its cards in a grid of the stage's
/// columns, under the "whole stage" label.
fn lay_out_band(
    ctx: &MapContext,
    sg: &StageColumns,
    band: Vec<Card>,
    band_h: f64,
    top: f64,
) -> Band {
    let frame = Rect {
        x: sg.x + BAND_INSET,
        y: top + LANE_PAD,
        w: sg.w - 2.0 * BAND_INSET,
        h: band_h,
    };
    let label = Text::line(
        sg.x + BAND_LABEL_X,
        frame.y + CARD_PAD - BAND_LABEL_RISE,
        ctx.labels.whole_stage,
    );
    let per_row = sg.count.max(1);
    let row_heights = band_row_heights(&band, per_row);
    let mut cards = band.into_iter();
    let mut placed = Vec::new();
    let mut row_top = frame.y + CARD_PAD + SMALL.line + BAND_LABEL_GAP;
    for row_h in row_heights {
        for (slot, card) in cards.by_ref().take(per_row).enumerate() {
            let x = sg.x + LANE_PAD + slot as f64 * COLUMN;
            placed.push(PlacedCard::place(card, ctx.labels, x, row_top, 0.0));
        }
        row_top += row_h + CARD_GAP;
    }
    Band {
        frame,
        label,
        cards: placed,
    }
}

/// The emotion curve lane; returns it and the height its plot and legend need.
fn lay_out_curve_lane<'a>(ctx: &MapContext<'a>, top: f64) -> (CurveLane<'a>, f64) {
    let set = curve_set(ctx.journey, ctx.options, ctx.palette, ctx.labels);
    let legend_top = top + CURVE_TOP + CURVE_PLOT + LEGEND_GAP;
    let legend = lay_out_curve_legend(&set, ctx.left + LANE_PAD, legend_top, ctx.right - LANE_PAD);
    let height = CURVE_TOP + CURVE_PLOT + LEGEND_GAP + legend.height + LEGEND_BOTTOM;
    let guide =
        |value: f64| Line::horizontal(ctx.left, ctx.right, value_y(value, CURVE_TOP, CURVE_PLOT));
    let lane = CurveLane {
        top,
        set,
        guides: CurveGuides {
            positive: guide(1.0),
            neutral: guide(0.0),
            negative: guide(-1.0),
        },
        slots: ctx
            .columns
            .iter()
            .map(|c| (ctx.stage_id(c), c.tp.map_or("", |t| t.id.as_str())))
            .collect(),
        xs: ctx.columns.iter().map(|c| c.x + COLUMN / 2.0).collect(),
        legend,
    };
    (lane, height)
}

/// The components that weigh most in a friction score, most first.
fn top_components(score: &FrictionScore, count: usize) -> Vec<ComponentKind> {
    let mut parts: Vec<_> = score
        .components
        .iter()
        .filter(|c| c.contribution > HEAT_MIN_CONTRIBUTION)
        .collect();
    parts.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    parts.into_iter().take(count).map(|c| c.kind).collect()
}

/// A heat cell per touchpoint column.
fn lay_out_heat_cells(ctx: &MapContext, top: f64) -> Vec<HeatCell> {
    ctx.columns
        .iter()
        .filter(|column| column.tp.is_some())
        .map(|column| {
            let frame = Rect {
                x: column.x + LANE_PAD,
                y: top + HEAT_TOP,
                w: CARD_W,
                h: HEAT_H,
            };
            let centre = frame.x + CARD_W / 2.0;
            let score = ctx.touchpoint_friction(column);
            let reading = match score.and_then(|s| s.index.map(|i| (i, s))) {
                Some((index, score)) => {
                    let parts: Vec<&str> = top_components(score, HEAT_COMPONENTS)
                        .into_iter()
                        .map(|k| ctx.labels.component(k))
                        .collect();
                    let components = (!parts.is_empty()).then(|| {
                        Text::line(
                            centre,
                            frame.y + HEAT_COMPONENTS_DY,
                            one_line_px(&parts.join(" · "), CARD_W, SMALL.size, false),
                        )
                    });
                    HeatReading::Scored {
                        index,
                        value: Text::line(centre, frame.y + HEAT_INDEX_DY, plain(index, 0)),
                        components,
                    }
                }
                None => HeatReading::NoData(Text::line(
                    centre,
                    frame.y + HEAT_NO_DATA_DY,
                    ctx.labels.no_data,
                )),
            };
            HeatCell { frame, reading }
        })
        .collect()
}
