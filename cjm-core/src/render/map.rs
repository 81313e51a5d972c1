//! The journey map: stages as columns, touchpoints as sub-columns, lanes as rows.

use super::common::{
    Anchor, Font, curve_legend, curve_set, draw_curves, line, open_svg, plain, rect, signed,
    text_line, text_lines, tooltip, with_unit,
};
use super::i18n::Labels;
use super::markup::{Markup, Val};
use super::text::{Wrapped, clean, one_line_px, px_width, wrap_px};
use super::theme::Palette;
use super::{Lane, RenderOptions};
use crate::error::Result;
use crate::model::{Journey, Layer, Metric, OpportunityStatus, PainPoint, Stage, Touchpoint};
use crate::score::{
    ComponentKind, FrictionReport, FrictionScore, FrictionWeights, Plan, PlanItem, TargetStatus,
    analyze_gaps, friction, metric_status, plan,
};

// Layout constants. `tests/render.rs` relies on the curve lane ones: a point of normalised value
// v sits at y = CURVE_TOP + (1 − v) / 2 × CURVE_PLOT inside the lane group.
pub(crate) const MARGIN: f64 = 16.0;
pub(crate) const GUTTER: f64 = 168.0;
pub(crate) const COL: f64 = 200.0;
const PAD: f64 = 8.0;
const CP: f64 = 7.0;
const CARD_GAP: f64 = 6.0;
const MAX_CARDS: usize = 6;
const MAX_BULLET_LINES: usize = 9;
pub(crate) const CURVE_TOP: f64 = 36.0;
pub(crate) const CURVE_PLOT: f64 = 140.0;
const FRICTION_LANE: f64 = 62.0;

const BODY: f64 = 11.5;
const BODY_LH: f64 = 15.0;
const SMALL: f64 = 10.5;
const SMALL_LH: f64 = 13.0;
const STRONG: f64 = 12.5;
const STRONG_LH: f64 = 16.0;

/// Inner width of a card in a touchpoint column.
const CARD_W: f64 = COL - 2.0 * PAD;
/// Width available to text inside a card.
const TEXT_W: f64 = CARD_W - 2.0 * CP;

struct StageGeom<'a> {
    stage: &'a Stage,
    x: f64,
    w: f64,
    count: usize,
}

struct Col<'a> {
    stage: usize,
    tp: Option<&'a Touchpoint>,
    x: f64,
    /// Index into the friction report's touchpoints.
    friction: Option<usize>,
}

struct Ctx<'a> {
    journey: &'a Journey,
    options: &'a RenderOptions,
    palette: &'static Palette,
    labels: &'static Labels,
    stages: Vec<StageGeom<'a>>,
    cols: Vec<Col<'a>>,
    left: f64,
    right: f64,
    friction: FrictionReport,
    plan: Plan,
}

impl<'a> Ctx<'a> {
    fn new(journey: &'a Journey, options: &'a RenderOptions) -> Ctx<'a> {
        let left = MARGIN + GUTTER;
        let mut x = left;
        let mut stages = Vec::new();
        let mut cols = Vec::new();
        let mut friction_index = 0;
        for (si, stage) in journey.stages.iter().enumerate() {
            let first = cols.len();
            if stage.touchpoints.is_empty() {
                cols.push(Col {
                    stage: si,
                    tp: None,
                    x,
                    friction: None,
                });
            }
            for (ti, tp) in stage.touchpoints.iter().enumerate() {
                cols.push(Col {
                    stage: si,
                    tp: Some(tp),
                    x: x + ti as f64 * COL,
                    friction: Some(friction_index),
                });
                friction_index += 1;
            }
            let count = cols.len() - first;
            let w = count as f64 * COL;
            stages.push(StageGeom { stage, x, w, count });
            x += w;
        }
        let right = if stages.is_empty() {
            left + 3.0 * COL
        } else {
            x
        };
        let gaps = analyze_gaps(journey);
        Ctx {
            journey,
            options,
            palette: super::theme::Palette::of(options.theme),
            labels: Labels::of(options.language),
            stages,
            cols,
            left,
            right,
            friction: friction(journey, &FrictionWeights::default()),
            plan: plan(journey, &gaps),
        }
    }

    fn plan_item(&self, opportunity: &str) -> Option<&PlanItem> {
        self.plan.items.iter().find(|i| i.id == opportunity)
    }

    fn tp_friction(&self, col: &Col) -> Option<&FrictionScore> {
        col.friction
            .and_then(|i| self.friction.touchpoints.get(i))
            .map(|t| &t.score)
    }

    fn stage_friction(&self, stage: usize) -> Option<&FrictionScore> {
        self.friction.stages.get(stage).map(|s| &s.score)
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

// ---------------------------------------------------------------------------------------------
// Cards

enum BulletStyle {
    Action,
    Thought,
    Feeling,
    Question,
    Expectation,
}

enum Card {
    Touchpoint {
        id: String,
        name: Wrapped,
        full: String,
        channel: Option<String>,
        backstage: bool,
        only: Option<String>,
    },
    Bullets {
        items: Vec<Wrapped>,
        style: BulletStyle,
        hidden: usize,
    },
    Pain {
        severity: i64,
        text: Wrapped,
        full: String,
        share: Option<String>,
        fix: Option<String>,
    },
    Opportunity {
        title: Wrapped,
        full: String,
        rank: Option<usize>,
        status: OpportunityStatus,
        high: bool,
        owner: Option<String>,
    },
    Metric {
        name: Wrapped,
        full: String,
        value: String,
        target: Option<String>,
        status: TargetStatus,
    },
    More(usize),
}

impl Card {
    fn height(&self) -> f64 {
        match self {
            Card::Touchpoint {
                name,
                channel,
                only,
                ..
            } => {
                2.0 * CP
                    + name.lines.len() as f64 * STRONG_LH
                    + if channel.is_some() {
                        SMALL_LH + 2.0
                    } else {
                        0.0
                    }
                    + if only.is_some() { SMALL_LH } else { 0.0 }
            }
            Card::Bullets { items, hidden, .. } => {
                let lines: usize = items.iter().map(|w| w.lines.len()).sum();
                let gaps = items.len().saturating_sub(1) as f64 * 3.0;
                lines as f64 * BODY_LH + gaps + if *hidden > 0 { SMALL_LH + 2.0 } else { 0.0 }
            }
            Card::Pain { text, share, .. } => {
                2.0 * CP
                    + (text.lines.len() as f64 * BODY_LH).max(18.0)
                    + 3.0
                    + if share.is_some() { SMALL_LH } else { 0.0 }
                    + SMALL_LH
            }
            Card::Opportunity { title, .. } => {
                2.0 * CP + 17.0 + title.lines.len() as f64 * BODY_LH + 2.0 + SMALL_LH
            }
            Card::Metric { name, .. } => {
                2.0 * CP + name.lines.len() as f64 * SMALL_LH + 2.0 + STRONG_LH + SMALL_LH
            }
            Card::More(_) => SMALL_LH + 2.0,
        }
    }
}

fn touchpoint_card(ctx: &Ctx, tp: &Touchpoint) -> Card {
    let channel_text = tp
        .channel
        .as_deref()
        .map(|c| clean(&c.replace('_', " ")))
        .filter(|c| !c.is_empty());
    let backstage = tp.layer == Layer::Backstage;
    let channel = match (channel_text, backstage) {
        (Some(c), true) => Some(format!("{c} · {}", ctx.labels.backstage)),
        (Some(c), false) => Some(c),
        (None, true) => Some(ctx.labels.backstage.to_string()),
        (None, false) => None,
    }
    .map(|c| one_line_px(&c, TEXT_W, SMALL, false));
    let only = if tp.personas.is_empty() {
        None
    } else {
        let names: Vec<String> = tp
            .personas
            .iter()
            .map(|id| {
                ctx.journey
                    .personas
                    .iter()
                    .find(|p| &p.id == id)
                    .map_or_else(|| clean(id), |p| clean(&p.name))
            })
            .collect();
        Some(one_line_px(
            &format!("{}: {}", ctx.labels.only, names.join(", ")),
            TEXT_W,
            SMALL,
            false,
        ))
    };
    Card::Touchpoint {
        id: tp.id.clone(),
        name: wrap_px(&tp.name, TEXT_W, STRONG, true, 3),
        full: tp.name.clone(),
        channel,
        backstage,
        only,
    }
}

fn bullets_card(items: &[String], style: BulletStyle) -> Option<Card> {
    let items: Vec<&String> = items.iter().filter(|s| !clean(s).is_empty()).collect();
    if items.is_empty() {
        return None;
    }
    let mut wrapped = Vec::new();
    let mut used = 0;
    let mut hidden = 0;
    for (i, item) in items.iter().enumerate() {
        let left = MAX_BULLET_LINES.saturating_sub(used);
        if left == 0 {
            hidden = items.len() - i;
            break;
        }
        let w = wrap_px(item, CARD_W - 12.0, BODY, false, left.min(4));
        used += w.lines.len();
        wrapped.push(w);
    }
    Some(Card::Bullets {
        items: wrapped,
        style,
        hidden,
    })
}

fn pain_card(ctx: &Ctx, pain: &PainPoint, width: f64) -> Card {
    let text_w = width - 2.0 * CP - 28.0;
    let share = pain.share_affected.filter(|s| s.is_finite()).map(|s| {
        format!(
            "{}% {}",
            plain(s.clamp(0.0, 1.0) * 100.0, 0),
            ctx.labels.customers
        )
    });
    let fix = ctx
        .fix_for(&pain.id)
        .map(|item| format!("→ {} #{}", ctx.labels.planned_fix, item.rank));
    Card::Pain {
        severity: pain.severity,
        text: wrap_px(&pain.description, text_w, BODY, false, 4),
        full: pain.description.clone(),
        share,
        fix,
    }
}

fn opportunity_card(ctx: &Ctx, o: &crate::model::Opportunity, width: f64) -> Card {
    let item = ctx.plan_item(&o.id);
    let owner = o
        .owner
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
        .map(|s| one_line_px(&s, width - 2.0 * CP - 4.0, SMALL, false));
    Card::Opportunity {
        title: wrap_px(&o.title, width - 2.0 * CP - 4.0, BODY, true, 3),
        full: o.title.clone(),
        rank: item.map(|i| i.rank),
        status: o.status,
        high: item.is_some_and(|i| i.high_priority),
        owner,
    }
}

fn metric_card(ctx: &Ctx, metric: &Metric, stage: &str, tp: Option<&str>, width: f64) -> Card {
    let status = metric_status(metric, Some(stage), tp);
    let name = ctx.labels.metric_name(metric);
    let unit = metric.unit.as_deref();
    let value = status
        .value
        .map_or_else(|| "–".to_string(), |v| with_unit(v, unit));
    let target = status
        .target
        .map(|t| format!("{} {}", ctx.labels.target, with_unit(t, unit)));
    Card::Metric {
        name: wrap_px(&name, width - 2.0 * CP - 4.0, SMALL, false, 2),
        full: name,
        value: one_line_px(&value, width - 2.0 * CP - 4.0, STRONG, true),
        target,
        status: status.status,
    }
}

/// Draws a card at least `min_h` high (touchpoint cards share one height per lane).
fn draw_card(m: &mut Markup, ctx: &Ctx, card: &Card, x: f64, y: f64, w: f64, min_h: f64) {
    let p = ctx.palette;
    let h = card.height().max(min_h);
    let text_x = x + CP;
    match card {
        Card::Touchpoint {
            id,
            name,
            full,
            channel,
            backstage,
            only,
        } => {
            m.open(
                "g",
                &[
                    ("class", "touchpoint".into()),
                    ("data-touchpoint", id.into()),
                ],
            );
            tooltip(m, name, full);
            let mut extra: Vec<(&'static str, Val)> = vec![
                ("rx", 5.0.into()),
                ("stroke", p.card_border.into()),
                ("stroke-width", 1.2.into()),
            ];
            if *backstage {
                extra.push(("stroke-dasharray", "5 3".into()));
            }
            rect(
                m,
                x,
                y,
                w,
                h,
                if *backstage { p.no_data } else { p.card },
                &extra,
            );
            let mut ty = y + CP;
            text_lines(
                m,
                text_x,
                ty,
                &name.lines,
                Font::new(STRONG, STRONG_LH, p.text).bold(),
                Anchor::Start,
                Some("tp-name"),
            );
            ty += name.lines.len() as f64 * STRONG_LH + 2.0;
            if let Some(c) = channel {
                text_line(
                    m,
                    text_x,
                    ty,
                    c,
                    Font::new(SMALL, SMALL_LH, p.muted),
                    Anchor::Start,
                );
                ty += SMALL_LH;
            }
            if let Some(o) = only {
                text_line(
                    m,
                    text_x,
                    ty,
                    o,
                    Font::new(SMALL, SMALL_LH, p.muted).italic(),
                    Anchor::Start,
                );
            }
            m.close("g");
        }
        Card::Bullets {
            items,
            style,
            hidden,
        } => {
            let (mark, font) = match style {
                BulletStyle::Action => ("•", Font::new(BODY, BODY_LH, p.text)),
                BulletStyle::Thought => ("“", Font::new(BODY, BODY_LH, p.text).italic()),
                BulletStyle::Feeling => ("♥", Font::new(BODY, BODY_LH, p.text)),
                BulletStyle::Question => ("?", Font::new(BODY, BODY_LH, p.text)),
                BulletStyle::Expectation => ("»", Font::new(BODY, BODY_LH, p.text)),
            };
            let mut ty = y;
            // The heart is wider than the other marks: smaller, so it stays clear of the text.
            let mark_size = if matches!(style, BulletStyle::Feeling) {
                9.0
            } else {
                BODY
            };
            for item in items {
                text_line(
                    m,
                    x + 2.0,
                    ty,
                    mark,
                    Font::new(mark_size, BODY_LH, p.muted).bold(),
                    Anchor::Start,
                );
                text_lines(m, x + 12.0, ty, &item.lines, font, Anchor::Start, None);
                ty += item.lines.len() as f64 * BODY_LH + 3.0;
            }
            if *hidden > 0 {
                let more = format!("+{hidden} {}", ctx.labels.more);
                text_line(
                    m,
                    x + 12.0,
                    ty,
                    &more,
                    Font::new(SMALL, SMALL_LH, p.muted),
                    Anchor::Start,
                );
            }
        }
        Card::Pain {
            severity,
            text,
            full,
            share,
            fix,
        } => {
            m.open("g", &[("class", "pain".into())]);
            tooltip(m, text, full);
            let (fill, ink) = p.severity(*severity);
            rect(
                m,
                x,
                y,
                w,
                h,
                p.card,
                &[
                    ("rx", 5.0.into()),
                    ("stroke", fill.into()),
                    ("stroke-width", 1.5.into()),
                ],
            );
            rect(m, x, y, 4.0, h, fill, &[("rx", 2.0.into())]);
            rect(
                m,
                x + CP + 1.0,
                y + CP,
                22.0,
                18.0,
                fill,
                &[("rx", 4.0.into()), ("class", "severity".into())],
            );
            text_line(
                m,
                x + CP + 12.0,
                y + CP + 2.0,
                &(*severity).clamp(1, 5).to_string(),
                Font::new(12.0, 14.0, ink).bold(),
                Anchor::Middle,
            );
            let tx = x + CP + 29.0;
            text_lines(
                m,
                tx,
                y + CP,
                &text.lines,
                Font::new(BODY, BODY_LH, p.text),
                Anchor::Start,
                None,
            );
            let mut ty = y + CP + (text.lines.len() as f64 * BODY_LH).max(18.0) + 3.0;
            if let Some(s) = share {
                text_line(
                    m,
                    tx,
                    ty,
                    s,
                    Font::new(SMALL, SMALL_LH, p.muted),
                    Anchor::Start,
                );
                ty += SMALL_LH;
            }
            match fix {
                Some(f) => text_line(
                    m,
                    tx,
                    ty,
                    f,
                    Font::new(SMALL, SMALL_LH, p.to_be).bold(),
                    Anchor::Start,
                ),
                None => text_line(
                    m,
                    tx,
                    ty,
                    ctx.labels.no_plan,
                    Font::new(SMALL, SMALL_LH, p.missed).bold(),
                    Anchor::Start,
                ),
            }
            m.close("g");
        }
        Card::Opportunity {
            title,
            full,
            rank,
            status,
            high,
            owner,
        } => {
            m.open("g", &[("class", "opportunity".into())]);
            tooltip(m, title, full);
            let colour = p.opportunity(*status);
            rect(
                m,
                x,
                y,
                w,
                h,
                p.card,
                &[
                    ("rx", 5.0.into()),
                    ("stroke", p.card_border.into()),
                    ("stroke-width", 1.0.into()),
                ],
            );
            rect(m, x, y, 5.0, h, colour, &[("rx", 2.0.into())]);
            let tx = x + CP + 3.0;
            let mut cx = tx;
            if let Some(r) = rank {
                let label = format!("#{r}");
                text_line(
                    m,
                    cx,
                    y + CP,
                    &label,
                    Font::new(12.0, 15.0, p.text).bold(),
                    Anchor::Start,
                );
                cx += px_width(&label, 12.0, true) + 6.0;
            }
            if *high {
                text_line(
                    m,
                    cx,
                    y + CP,
                    "★",
                    Font::new(12.0, 15.0, p.at_risk_ink).bold(),
                    Anchor::Start,
                );
                cx += 16.0;
            }
            let status_text = ctx.labels.opportunity_status(*status);
            let pill_w = px_width(status_text, SMALL, false) + 10.0;
            rect(m, cx, y + CP, pill_w, 15.0, colour, &[("rx", 7.5.into())]);
            text_line(
                m,
                cx + pill_w / 2.0,
                y + CP + 1.0,
                status_text,
                Font::new(SMALL, SMALL_LH, "#ffffff").bold(),
                Anchor::Middle,
            );
            let ty = y + CP + 17.0;
            text_lines(
                m,
                tx,
                ty,
                &title.lines,
                Font::new(BODY, BODY_LH, p.text).bold(),
                Anchor::Start,
                None,
            );
            let oy = ty + title.lines.len() as f64 * BODY_LH + 2.0;
            match owner {
                Some(o) => text_line(
                    m,
                    tx,
                    oy,
                    o,
                    Font::new(SMALL, SMALL_LH, p.muted),
                    Anchor::Start,
                ),
                None => text_line(
                    m,
                    tx,
                    oy,
                    ctx.labels.no_owner,
                    Font::new(SMALL, SMALL_LH, if *high { p.missed } else { p.muted }),
                    Anchor::Start,
                ),
            }
            m.close("g");
        }
        Card::Metric {
            name,
            full,
            value,
            target,
            status,
        } => {
            m.open("g", &[("class", "metric".into())]);
            tooltip(m, name, full);
            let colour = p.target(*status);
            rect(
                m,
                x,
                y,
                w,
                h,
                p.card,
                &[
                    ("rx", 5.0.into()),
                    ("stroke", p.card_border.into()),
                    ("stroke-width", 1.0.into()),
                ],
            );
            rect(m, x, y, 5.0, h, colour, &[("rx", 2.0.into())]);
            let tx = x + CP + 3.0;
            text_lines(
                m,
                tx,
                y + CP,
                &name.lines,
                Font::new(SMALL, SMALL_LH, p.muted),
                Anchor::Start,
                None,
            );
            let vy = y + CP + name.lines.len() as f64 * SMALL_LH + 2.0;
            text_line(
                m,
                tx,
                vy,
                value,
                Font::new(STRONG, STRONG_LH, p.text).bold(),
                Anchor::Start,
            );
            let sy = vy + STRONG_LH;
            m.empty(
                "circle",
                &[
                    ("cx", (tx + 4.0).into()),
                    ("cy", (sy + 6.5).into()),
                    ("r", 4.0.into()),
                    ("fill", colour.into()),
                ],
            );
            let word = if *status == TargetStatus::Unknown && target.is_none() {
                ctx.labels.no_target
            } else {
                ctx.labels.target_status(*status)
            };
            text_line(
                m,
                tx + 12.0,
                sy,
                word,
                Font::new(SMALL, SMALL_LH, p.target_ink(*status)).bold(),
                Anchor::Start,
            );
            if let Some(t) = target {
                // After the value when it fits there, else after the status word.
                let after_value = tx + px_width(value, STRONG, true) + 12.0;
                let after_word = tx + 12.0 + px_width(word, SMALL, true) + 6.0;
                let right = x + w - CP;
                let (tx2, ty2) = if after_value + px_width(t, SMALL, false) <= right {
                    (after_value, vy + 2.0)
                } else {
                    (after_word, sy)
                };
                text_line(
                    m,
                    tx2,
                    ty2,
                    &one_line_px(t, right - tx2, SMALL, false),
                    Font::new(SMALL, SMALL_LH, p.muted),
                    Anchor::Start,
                );
            }
            m.close("g");
        }
        Card::More(n) => {
            let more = format!("+{n} {}", ctx.labels.more);
            text_line(
                m,
                x + 2.0,
                y,
                &more,
                Font::new(SMALL, SMALL_LH, p.muted),
                Anchor::Start,
            );
        }
    }
    m.newline();
}

/// Caps a column's cards, replacing the rest with a "+N more" line.
fn cap(mut cards: Vec<Card>) -> Vec<Card> {
    if cards.len() > MAX_CARDS {
        let hidden = cards.len() - (MAX_CARDS - 1);
        cards.truncate(MAX_CARDS - 1);
        cards.push(Card::More(hidden));
    }
    cards
}

fn stack_height(cards: &[Card]) -> f64 {
    if cards.is_empty() {
        return 0.0;
    }
    cards.iter().map(Card::height).sum::<f64>() + (cards.len() - 1) as f64 * CARD_GAP
}

/// Cards of one lane: per column, and per stage (stage-level items, laid out in a grid across
/// the stage's columns).
struct CardLane {
    cols: Vec<Vec<Card>>,
    bands: Vec<Vec<Card>>,
    /// Items placed nowhere (opportunities not linked to a stage).
    unplaced: usize,
}

fn band_rows(cards: &[Card], per_row: usize) -> Vec<&[Card]> {
    cards.chunks(per_row.max(1)).collect()
}

fn band_height(cards: &[Card], per_row: usize) -> f64 {
    if cards.is_empty() {
        return 0.0;
    }
    let rows: f64 = band_rows(cards, per_row)
        .iter()
        .map(|row| row.iter().map(Card::height).fold(0.0, f64::max))
        .sum();
    let n = band_rows(cards, per_row).len() as f64;
    SMALL_LH + 4.0 + rows + (n - 1.0) * CARD_GAP + 2.0 * CP
}

fn build_cards(ctx: &Ctx, lane: Lane) -> CardLane {
    let mut cols: Vec<Vec<Card>> = ctx.cols.iter().map(|_| Vec::new()).collect();
    let mut bands: Vec<Vec<Card>> = ctx.stages.iter().map(|_| Vec::new()).collect();
    let mut unplaced = 0;
    let band_card_w = CARD_W;
    for (ci, col) in ctx.cols.iter().enumerate() {
        let Some(tp) = col.tp else { continue };
        let Some(cards) = cols.get_mut(ci) else {
            continue;
        };
        match lane {
            Lane::Touchpoints => cards.push(touchpoint_card(ctx, tp)),
            Lane::Actions => cards.extend(bullets_card(&tp.actions, BulletStyle::Action)),
            Lane::Thoughts => cards.extend(bullets_card(&tp.thoughts, BulletStyle::Thought)),
            Lane::Feelings => cards.extend(bullets_card(&tp.feelings, BulletStyle::Feeling)),
            Lane::Questions => cards.extend(bullets_card(&tp.questions, BulletStyle::Question)),
            Lane::Expectations => {
                cards.extend(bullets_card(&tp.expectations, BulletStyle::Expectation))
            }
            Lane::PainPoints => {
                let mut pains: Vec<&PainPoint> = tp.pain_points.iter().collect();
                pains.sort_by_key(|p| std::cmp::Reverse(p.severity));
                cards.extend(pains.into_iter().map(|pain| pain_card(ctx, pain, CARD_W)));
            }
            Lane::Metrics => {
                let stage_id = ctx
                    .stages
                    .get(col.stage)
                    .map_or("", |s| s.stage.id.as_str());
                cards.extend(
                    tp.metrics
                        .iter()
                        .map(|mt| metric_card(ctx, mt, stage_id, Some(&tp.id), CARD_W)),
                );
            }
            Lane::Opportunities | Lane::Emotions | Lane::Friction => {}
        }
    }
    for (si, sg) in ctx.stages.iter().enumerate() {
        let Some(cards) = bands.get_mut(si) else {
            continue;
        };
        match lane {
            Lane::PainPoints => {
                let mut pains: Vec<&PainPoint> = sg.stage.pain_points.iter().collect();
                pains.sort_by_key(|p| std::cmp::Reverse(p.severity));
                cards.extend(
                    pains
                        .into_iter()
                        .map(|pain| pain_card(ctx, pain, band_card_w)),
                );
            }
            Lane::Metrics => cards.extend(
                sg.stage
                    .metrics
                    .iter()
                    .map(|mt| metric_card(ctx, mt, &sg.stage.id, None, band_card_w)),
            ),
            _ => {}
        }
    }
    if lane == Lane::Opportunities {
        // In plan order, so the first card in a column is the one to do first.
        let mut ordered: Vec<&crate::model::Opportunity> =
            ctx.journey.opportunities.iter().collect();
        ordered.sort_by_key(|o| ctx.plan_item(&o.id).map_or(usize::MAX, |i| i.rank));
        for o in ordered {
            match place_opportunity(ctx, o) {
                Place::Col(ci) => {
                    if let Some(cards) = cols.get_mut(ci) {
                        cards.push(opportunity_card(ctx, o, CARD_W));
                    }
                }
                Place::Stage(si) => {
                    if let Some(cards) = bands.get_mut(si) {
                        cards.push(opportunity_card(ctx, o, band_card_w));
                    }
                }
                Place::Nowhere => unplaced += 1,
            }
        }
    }
    CardLane {
        cols: cols.into_iter().map(cap).collect(),
        bands,
        unplaced,
    }
}

enum Place {
    Col(usize),
    Stage(usize),
    Nowhere,
}

/// Where an opportunity goes: its touchpoint, else its stage, else where the first pain point
/// it addresses is.
fn place_opportunity(ctx: &Ctx, o: &crate::model::Opportunity) -> Place {
    let stage_of = |id: &str| ctx.stages.iter().position(|s| s.stage.id == id);
    let wanted_stage = o.stage.as_deref().and_then(stage_of);
    if let Some(tp_id) = o.touchpoint.as_deref() {
        let matching = |c: &&Col| c.tp.is_some_and(|t| t.id == tp_id);
        let in_stage = ctx
            .cols
            .iter()
            .position(|c| matching(&c) && Some(c.stage) == wanted_stage);
        if let Some(ci) = in_stage.or_else(|| ctx.cols.iter().position(|c| matching(&c))) {
            return Place::Col(ci);
        }
    }
    if let Some(si) = wanted_stage {
        return Place::Stage(si);
    }
    for pain in &o.addresses {
        if let Some(ci) = ctx.cols.iter().position(|c| {
            c.tp.is_some_and(|t| t.pain_points.iter().any(|p| &p.id == pain))
        }) {
            return Place::Col(ci);
        }
        if let Some(si) = ctx
            .stages
            .iter()
            .position(|s| s.stage.pain_points.iter().any(|p| &p.id == pain))
        {
            return Place::Stage(si);
        }
    }
    Place::Nowhere
}

// ---------------------------------------------------------------------------------------------
// Lanes

/// The gutter label of a lane; returns the height it needs.
fn gutter_label(m: &mut Markup, ctx: &Ctx, lane: Lane, top: f64, draw: bool) -> f64 {
    let p = ctx.palette;
    let l = ctx.labels;
    let x = MARGIN + 10.0;
    let inner = GUTTER - 20.0;
    let title = wrap_px(l.lane(lane), inner, STRONG, true, 2);
    if draw {
        text_lines(
            m,
            x,
            top + 10.0,
            &title.lines,
            Font::new(13.0, 16.0, p.text).bold(),
            Anchor::Start,
            Some("lane-title"),
        );
    }
    let mut y = top + 10.0 + title.lines.len() as f64 * 16.0 + 3.0;
    let hint = match lane {
        Lane::Touchpoints => Some(l.touchpoints_hint),
        Lane::PainPoints => Some(l.pain_hint),
        Lane::Opportunities => Some(l.opportunities_hint),
        Lane::Friction => Some(l.friction_hint),
        _ => None,
    };
    if let Some(hint) = hint {
        let w = wrap_px(hint, inner, SMALL, false, 3);
        if draw {
            text_lines(
                m,
                x,
                y,
                &w.lines,
                Font::new(SMALL, SMALL_LH, p.muted),
                Anchor::Start,
                None,
            );
        }
        y += w.lines.len() as f64 * SMALL_LH + 4.0;
    }
    match lane {
        Lane::PainPoints => {
            if draw {
                for s in 1..=5_i64 {
                    let (fill, ink) = p.severity(s);
                    let bx = x + (s - 1) as f64 * 22.0;
                    rect(m, bx, y, 18.0, 16.0, fill, &[("rx", 3.0.into())]);
                    text_line(
                        m,
                        bx + 9.0,
                        y + 1.0,
                        &s.to_string(),
                        Font::new(SMALL, SMALL_LH, ink).bold(),
                        Anchor::Middle,
                    );
                }
            }
            y += 20.0;
        }
        Lane::Metrics => {
            for status in [
                TargetStatus::Met,
                TargetStatus::AtRisk,
                TargetStatus::Missed,
            ] {
                if draw {
                    let colour = p.target(status);
                    m.empty(
                        "circle",
                        &[
                            ("cx", (x + 4.0).into()),
                            ("cy", (y + 6.5).into()),
                            ("r", 4.0.into()),
                            ("fill", colour.into()),
                        ],
                    );
                    text_line(
                        m,
                        x + 12.0,
                        y,
                        l.target_status(status),
                        Font::new(SMALL, SMALL_LH, p.muted),
                        Anchor::Start,
                    );
                }
                y += SMALL_LH + 1.0;
            }
        }
        Lane::Opportunities => {
            for status in [
                OpportunityStatus::Idea,
                OpportunityStatus::Planned,
                OpportunityStatus::InProgress,
                OpportunityStatus::Done,
            ] {
                if draw {
                    rect(
                        m,
                        x,
                        y + 2.0,
                        10.0,
                        10.0,
                        p.opportunity(status),
                        &[("rx", 2.0.into())],
                    );
                    text_line(
                        m,
                        x + 14.0,
                        y,
                        l.opportunity_status(status),
                        Font::new(SMALL, SMALL_LH, p.muted),
                        Anchor::Start,
                    );
                }
                y += SMALL_LH + 1.0;
            }
            if draw {
                text_line(
                    m,
                    x,
                    y,
                    &format!("★ {}", l.high_priority),
                    Font::new(SMALL, SMALL_LH, p.at_risk_ink).bold(),
                    Anchor::Start,
                );
            }
            y += SMALL_LH + 1.0;
        }
        Lane::Emotions if draw => {
            let right = MARGIN + GUTTER - 8.0;
            let font = Font::new(SMALL, SMALL_LH, p.muted);
            for (value, label) in [(1.0, l.positive), (0.0, l.neutral), (-1.0, l.negative)] {
                let vy = super::common::value_y(value, top + CURVE_TOP, CURVE_PLOT);
                text_line(
                    m,
                    right,
                    vy - 7.0,
                    &format!("{label} {}", signed(value, 0)),
                    font,
                    Anchor::End,
                );
            }
        }
        _ => {}
    }
    y - top + PAD
}

/// Draws a lane whose content is cards; returns its height.
fn card_lane(m: &mut Markup, ctx: &Ctx, lane: Lane, top: f64, draw: bool) -> f64 {
    let cards = build_cards(ctx, lane);
    // Each stage's touchpoint cards start below that stage's own band of stage-level cards.
    let own_band = |col: &Col| {
        ctx.stages
            .get(col.stage)
            .zip(cards.bands.get(col.stage))
            .map_or(0.0, |(sg, b)| band_height(b, sg.count))
    };
    let used = ctx
        .cols
        .iter()
        .zip(&cards.cols)
        .map(|(col, stack)| {
            let band = own_band(col);
            let gap = if band > 0.0 && !stack.is_empty() {
                CARD_GAP
            } else {
                0.0
            };
            band + gap + stack_height(stack)
        })
        .fold(0.0, f64::max);
    let mut content = PAD + used + PAD;
    let mut label_h = gutter_label(m, ctx, lane, top, false);
    if cards.unplaced > 0 {
        label_h += SMALL_LH * 2.0;
    }
    content = content.max(label_h).max(34.0);
    if !draw {
        return content;
    }
    let p = ctx.palette;
    gutter_label(m, ctx, lane, top, true);
    if cards.unplaced > 0 {
        let note = wrap_px(
            &format!("+{} {}", cards.unplaced, ctx.labels.not_placed),
            GUTTER - 20.0,
            SMALL,
            false,
            2,
        );
        text_lines(
            m,
            MARGIN + 10.0,
            top + content - PAD - SMALL_LH * 2.0,
            &note.lines,
            Font::new(SMALL, SMALL_LH, p.muted).italic(),
            Anchor::Start,
            None,
        );
    }
    for (sg, band) in ctx.stages.iter().zip(&cards.bands) {
        if band.is_empty() {
            continue;
        }
        let bh = band_height(band, sg.count);
        rect(
            m,
            sg.x + PAD / 2.0,
            top + PAD,
            sg.w - PAD,
            bh,
            "none",
            &[
                ("rx", 6.0.into()),
                ("stroke", p.neutral_line.into()),
                ("stroke-width", 1.0.into()),
                ("stroke-dasharray", "3 3".into()),
            ],
        );
        text_line(
            m,
            sg.x + PAD + 2.0,
            top + PAD + CP - 2.0,
            ctx.labels.whole_stage,
            Font::new(SMALL, SMALL_LH, p.muted).italic(),
            Anchor::Start,
        );
        let mut ry = top + PAD + CP + SMALL_LH + 2.0;
        for row in band_rows(band, sg.count) {
            let row_h = row.iter().map(Card::height).fold(0.0, f64::max);
            for (i, card) in row.iter().enumerate() {
                draw_card(m, ctx, card, sg.x + PAD + i as f64 * COL, ry, CARD_W, 0.0);
            }
            ry += row_h + CARD_GAP;
        }
    }
    let uniform = if lane == Lane::Touchpoints {
        cards
            .cols
            .iter()
            .flatten()
            .map(Card::height)
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    for (col, stack) in ctx.cols.iter().zip(&cards.cols) {
        let band = own_band(col);
        let mut y = top + PAD + band + if band > 0.0 { CARD_GAP } else { 0.0 };
        for card in stack {
            draw_card(m, ctx, card, col.x + PAD, y, CARD_W, uniform);
            y += card.height() + CARD_GAP;
        }
    }
    content
}

fn curve_lane(m: &mut Markup, ctx: &Ctx, top: f64, draw: bool) -> f64 {
    let p = ctx.palette;
    let set = curve_set(ctx.journey, ctx.options, p, ctx.labels);
    let legend_top = top + CURVE_TOP + CURVE_PLOT + 26.0;
    let legend_h = curve_legend(
        m,
        &set,
        ctx.left + PAD,
        legend_top,
        ctx.right - PAD,
        p,
        false,
    );
    let height = (CURVE_TOP + CURVE_PLOT + 26.0 + legend_h + 4.0).max(gutter_label(
        m,
        ctx,
        Lane::Emotions,
        top,
        false,
    ));
    if !draw {
        return height;
    }
    gutter_label(m, ctx, Lane::Emotions, top, true);
    m.open(
        "g",
        &[
            ("class", "curve-plot".into()),
            (
                "transform",
                format!("translate(0,{})", super::markup::num(top)).into(),
            ),
        ],
    );
    for (value, dash, width) in [
        (1.0, Some("2 4"), 1.0),
        (0.0, Some("6 4"), 1.5),
        (-1.0, Some("2 4"), 1.0),
    ] {
        let y = super::common::value_y(value, CURVE_TOP, CURVE_PLOT);
        line(m, ctx.left, y, ctx.right, y, p.neutral_line, width, dash);
    }
    let slots: Vec<(&str, &str)> = ctx
        .cols
        .iter()
        .map(|c| {
            (
                ctx.stages.get(c.stage).map_or("", |s| s.stage.id.as_str()),
                c.tp.map_or("", |t| t.id.as_str()),
            )
        })
        .collect();
    let xs: Vec<f64> = ctx.cols.iter().map(|c| c.x + COL / 2.0).collect();
    draw_curves(m, &set, &slots, &xs, CURVE_TOP, CURVE_PLOT, p, ctx.labels);
    m.close("g");
    m.newline();
    curve_legend(
        m,
        &set,
        ctx.left + PAD,
        legend_top,
        ctx.right - PAD,
        p,
        true,
    );
    height
}

fn top_components(score: &FrictionScore, count: usize) -> Vec<ComponentKind> {
    let mut parts: Vec<_> = score
        .components
        .iter()
        .filter(|c| c.contribution > 0.5)
        .collect();
    parts.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    parts.into_iter().take(count).map(|c| c.kind).collect()
}

fn friction_lane(m: &mut Markup, ctx: &Ctx, top: f64, draw: bool) -> f64 {
    let height = FRICTION_LANE.max(gutter_label(m, ctx, Lane::Friction, top, false));
    if !draw {
        return height;
    }
    let p = ctx.palette;
    gutter_label(m, ctx, Lane::Friction, top, true);
    for col in &ctx.cols {
        if col.tp.is_none() {
            continue;
        }
        let x = col.x + PAD;
        let y = top + 10.0;
        let score = ctx.tp_friction(col);
        match score.and_then(|s| s.index.map(|i| (i, s))) {
            Some((index, score)) => {
                let (fill, ink) = p.heat(index);
                m.open("g", &[("class", "heat".into())]);
                rect(m, x, y, CARD_W, 28.0, &fill, &[("rx", 4.0.into())]);
                text_line(
                    m,
                    x + CARD_W / 2.0,
                    y + 5.0,
                    &plain(index, 0),
                    Font::new(14.0, 18.0, ink).bold(),
                    Anchor::Middle,
                );
                let parts: Vec<&str> = top_components(score, 2)
                    .into_iter()
                    .map(|k| ctx.labels.component(k))
                    .collect();
                if !parts.is_empty() {
                    text_line(
                        m,
                        x + CARD_W / 2.0,
                        y + 31.0,
                        &one_line_px(&parts.join(" · "), CARD_W, SMALL, false),
                        Font::new(SMALL, SMALL_LH, p.muted),
                        Anchor::Middle,
                    );
                }
                m.close("g");
            }
            None => {
                rect(
                    m,
                    x,
                    y,
                    CARD_W,
                    28.0,
                    p.no_data,
                    &[
                        ("rx", 4.0.into()),
                        ("stroke", p.grid.into()),
                        ("stroke-dasharray", "3 3".into()),
                    ],
                );
                text_line(
                    m,
                    x + CARD_W / 2.0,
                    y + 7.0,
                    ctx.labels.no_data,
                    Font::new(SMALL, SMALL_LH, p.muted),
                    Anchor::Middle,
                );
            }
        }
        m.newline();
    }
    height
}

fn lane(m: &mut Markup, ctx: &Ctx, lane: Lane, top: f64, draw: bool) -> f64 {
    match lane {
        Lane::Emotions => curve_lane(m, ctx, top, draw),
        Lane::Friction => friction_lane(m, ctx, top, draw),
        _ => card_lane(m, ctx, lane, top, draw),
    }
}

// ---------------------------------------------------------------------------------------------
// Stage headers and title

struct Header {
    number: String,
    name: Wrapped,
    goal: Option<Wrapped>,
    duration: Option<String>,
}

fn headers(ctx: &Ctx) -> Vec<Header> {
    ctx.stages
        .iter()
        .enumerate()
        .map(|(i, sg)| {
            let inner = sg.w - 2.0 * PAD - 4.0;
            let goal = sg
                .stage
                .goal
                .as_deref()
                .filter(|g| !clean(g).is_empty())
                .map(|g| {
                    wrap_px(
                        &format!("{}: {}", ctx.labels.goal, g),
                        inner,
                        11.0,
                        false,
                        3,
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
                        SMALL,
                        false,
                    )
                });
            Header {
                number: format!("{} {}", ctx.labels.stage, i + 1),
                name: wrap_px(&sg.stage.name, inner, 15.0, true, 2),
                goal,
                duration,
            }
        })
        .collect()
}

fn header_height(h: &Header) -> f64 {
    PAD + SMALL_LH
        + 2.0
        + h.name.lines.len() as f64 * 19.0
        + 4.0
        + h.goal
            .as_ref()
            .map_or(0.0, |g| g.lines.len() as f64 * 14.0 + 4.0)
        + 20.0
        + PAD
}

fn draw_headers(m: &mut Markup, ctx: &Ctx, headers: &[Header], top: f64, height: f64) {
    let p = ctx.palette;
    for (si, (sg, h)) in ctx.stages.iter().zip(headers).enumerate() {
        m.open(
            "g",
            &[
                ("class", "stage".into()),
                ("data-stage", (&sg.stage.id).into()),
            ],
        );
        tooltip(m, &h.name, &sg.stage.name);
        rect(
            m,
            sg.x + 1.0,
            top,
            sg.w - 2.0,
            height,
            p.header,
            &[("rx", 4.0.into())],
        );
        let x = sg.x + PAD + 2.0;
        let mut y = top + PAD;
        text_line(
            m,
            x,
            y,
            &h.number.to_uppercase(),
            Font::new(SMALL, SMALL_LH, p.header_muted).bold(),
            Anchor::Start,
        );
        y += SMALL_LH + 2.0;
        text_lines(
            m,
            x,
            y,
            &h.name.lines,
            Font::new(15.0, 19.0, p.header_text).bold(),
            Anchor::Start,
            Some("stage-name"),
        );
        y += h.name.lines.len() as f64 * 19.0 + 4.0;
        if let Some(goal) = &h.goal {
            text_lines(
                m,
                x,
                y,
                &goal.lines,
                Font::new(11.0, 14.0, p.header_muted).italic(),
                Anchor::Start,
                None,
            );
        }
        let by = top + height - PAD - 18.0;
        if let Some(d) = &h.duration {
            text_line(
                m,
                x,
                by + 2.0,
                d,
                Font::new(SMALL, SMALL_LH, p.header_muted),
                Anchor::Start,
            );
        }
        if let Some(index) = ctx.stage_friction(si).and_then(|s| s.index) {
            let label = format!("{} {}", ctx.labels.stage_friction, plain(index, 0));
            let w = px_width(&label, SMALL, true) + 14.0;
            let (fill, ink) = p.heat(index);
            let px = sg.x + sg.w - PAD - w;
            rect(m, px, by, w, 17.0, &fill, &[("rx", 8.5.into())]);
            text_line(
                m,
                px + w / 2.0,
                by + 2.0,
                &label,
                Font::new(SMALL, SMALL_LH, ink).bold(),
                Anchor::Middle,
            );
        }
        m.close("g");
        m.newline();
    }
}

fn title_block(m: &mut Markup, ctx: &Ctx, width: f64, draw: bool) -> f64 {
    if !ctx.options.title {
        return 0.0;
    }
    let p = ctx.palette;
    let j = ctx.journey;
    let title = wrap_px(&j.title, width - 2.0 * MARGIN, 20.0, true, 2);
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
    let sub = wrap_px(&facts.join(" · "), width - 2.0 * MARGIN, 12.0, false, 2);
    let height = 12.0 + title.lines.len() as f64 * 26.0 + sub.lines.len() as f64 * 16.0 + 12.0;
    if draw {
        m.open("g", &[("class", "title".into())]);
        text_lines(
            m,
            MARGIN,
            MARGIN,
            &title.lines,
            Font::new(20.0, 26.0, p.text).bold(),
            Anchor::Start,
            Some("journey-title"),
        );
        text_lines(
            m,
            MARGIN,
            MARGIN + title.lines.len() as f64 * 26.0 + 2.0,
            &sub.lines,
            Font::new(12.0, 16.0, p.muted),
            Anchor::Start,
            None,
        );
        m.close("g");
        m.newline();
    }
    height
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
    let ctx = Ctx::new(journey, options);
    let p = ctx.palette;
    let lanes = options.effective_lanes();
    let width = ctx.right + MARGIN;
    let mut scratch = Markup::new();
    let title_h = title_block(&mut scratch, &ctx, width, false);
    let hdrs = headers(&ctx);
    let header_h = hdrs
        .iter()
        .map(header_height)
        .fold(0.0, f64::max)
        .max(if ctx.stages.is_empty() { 0.0 } else { 60.0 });
    let header_top = MARGIN + title_h;
    let lanes_top = header_top + header_h + if ctx.stages.is_empty() { 0.0 } else { 4.0 };
    let mut heights = Vec::with_capacity(lanes.len());
    for l in &lanes {
        heights.push(lane(&mut scratch, &ctx, *l, 0.0, false));
    }
    let lanes_h: f64 = heights.iter().sum();
    let empty_note = if ctx.stages.is_empty() { 40.0 } else { 0.0 };
    let height = lanes_top + lanes_h + empty_note + MARGIN;

    let mut m = Markup::new();
    open_svg(&mut m, width, height, &journey.title, p);
    title_block(&mut m, &ctx, width, true);
    // Stage column backgrounds and the gutter.
    rect(&mut m, MARGIN, lanes_top, GUTTER, lanes_h, p.gutter, &[]);
    for (si, sg) in ctx.stages.iter().enumerate() {
        let fill = if si % 2 == 0 {
            p.stage_even
        } else {
            p.stage_odd
        };
        rect(&mut m, sg.x, lanes_top, sg.w, lanes_h, fill, &[]);
        for c in 1..sg.count {
            let x = sg.x + c as f64 * COL;
            line(
                &mut m,
                x,
                lanes_top,
                x,
                lanes_top + lanes_h,
                p.grid,
                1.0,
                Some("2 3"),
            );
        }
        line(
            &mut m,
            sg.x,
            lanes_top,
            sg.x,
            lanes_top + lanes_h,
            p.grid,
            1.0,
            None,
        );
    }
    line(
        &mut m,
        ctx.right,
        lanes_top,
        ctx.right,
        lanes_top + lanes_h,
        p.grid,
        1.0,
        None,
    );
    m.newline();
    draw_headers(&mut m, &ctx, &hdrs, header_top, header_h);
    let mut top = lanes_top;
    for (l, h) in lanes.iter().zip(&heights) {
        m.open(
            "g",
            &[("class", "lane".into()), ("data-lane", lane_id(*l).into())],
        );
        line(&mut m, MARGIN, top, ctx.right, top, p.grid, 1.0, None);
        lane(&mut m, &ctx, *l, top, true);
        m.close("g");
        m.newline();
        top += h;
    }
    if !lanes.is_empty() {
        line(&mut m, MARGIN, top, ctx.right, top, p.grid, 1.0, None);
    }
    if ctx.stages.is_empty() {
        text_line(
            &mut m,
            ctx.left + PAD,
            top + 12.0,
            ctx.labels.no_stages,
            Font::new(13.0, 16.0, p.muted).italic(),
            Anchor::Start,
        );
    }
    m.close("svg");
    m.newline();
    Ok(m.finish())
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
