//! What the cards of a lane say: the journey's texts wrapped to the card widths, and the facts
//! each card shows (severity, rank, status, target). Where the cards go is `card_layout.rs`.

use super::super::common::{plain, with_unit};
use super::super::text::{Wrapped, clean, one_line_px, wrap_px};
use super::metrics::{
    BODY, BULLET_ITEM_LINES, BULLET_TEXT_W, CARD_TEXT_W, MAX_BULLET_LINES, MAX_CARDS,
    METRIC_NAME_LINES, OPPORTUNITY_TITLE_LINES, PAIN_TEXT_LINES, PAIN_TEXT_W, SMALL,
    STRIPED_TEXT_W, STRONG, TOUCHPOINT_NAME_LINES,
};
use super::{Column, MapContext};
use crate::model::{Layer, Metric, Opportunity, OpportunityStatus, PainPoint, Touchpoint};
use crate::render::Lane;
use crate::score::{TargetStatus, metric_status};

#[derive(Clone, Copy)]
pub(super) enum BulletStyle {
    Action,
    Thought,
    Feeling,
    Question,
    Expectation,
}

pub(super) struct TouchpointCard {
    pub id: String,
    pub name: Wrapped,
    pub full: String,
    /// The channel, with "backstage" for backstage steps.
    pub channel: Option<String>,
    pub backstage: bool,
    /// "Only: …" with the personas the step is limited to.
    pub only: Option<String>,
}

pub(super) struct BulletsCard {
    pub items: Vec<Wrapped>,
    pub style: BulletStyle,
    /// Items left out past [`MAX_BULLET_LINES`].
    pub hidden: usize,
}

pub(super) struct PainCard {
    pub severity: i64,
    pub text: Wrapped,
    pub full: String,
    /// "N% customers".
    pub share: Option<String>,
    /// "→ planned fix #N", or `None` when nothing addresses the pain.
    pub fix: Option<String>,
}

pub(super) struct OpportunityCard {
    pub title: Wrapped,
    pub full: String,
    pub rank: Option<usize>,
    pub status: OpportunityStatus,
    pub high: bool,
    pub owner: Option<String>,
}

pub(super) struct MetricCard {
    pub name: Wrapped,
    pub full: String,
    pub value: String,
    /// "target N".
    pub target: Option<String>,
    pub status: TargetStatus,
}

pub(super) enum Card {
    Touchpoint(TouchpointCard),
    Bullets(BulletsCard),
    Pain(PainCard),
    Opportunity(OpportunityCard),
    Metric(MetricCard),
    /// "+N more" at the end of a capped column.
    More(usize),
}

fn touchpoint_card(ctx: &MapContext, tp: &Touchpoint) -> Card {
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
    .map(|c| one_line_px(&c, CARD_TEXT_W, SMALL.size, false));
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
            CARD_TEXT_W,
            SMALL.size,
            false,
        ))
    };
    Card::Touchpoint(TouchpointCard {
        id: tp.id.clone(),
        name: wrap_px(
            &tp.name,
            CARD_TEXT_W,
            STRONG.size,
            true,
            TOUCHPOINT_NAME_LINES,
        ),
        full: tp.name.clone(),
        channel,
        backstage,
        only,
    })
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
        let w = wrap_px(
            item,
            BULLET_TEXT_W,
            BODY.size,
            false,
            left.min(BULLET_ITEM_LINES),
        );
        used += w.lines.len();
        wrapped.push(w);
    }
    Some(Card::Bullets(BulletsCard {
        items: wrapped,
        style,
        hidden,
    }))
}

fn pain_card(ctx: &MapContext, pain: &PainPoint) -> Card {
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
    Card::Pain(PainCard {
        severity: pain.severity,
        text: wrap_px(
            &pain.description,
            PAIN_TEXT_W,
            BODY.size,
            false,
            PAIN_TEXT_LINES,
        ),
        full: pain.description.clone(),
        share,
        fix,
    })
}

/// Pain point cards, most severe first.
fn pain_cards<'p>(ctx: &MapContext, pains: impl Iterator<Item = &'p PainPoint>) -> Vec<Card> {
    let mut pains: Vec<&PainPoint> = pains.collect();
    pains.sort_by_key(|p| std::cmp::Reverse(p.severity));
    pains.into_iter().map(|pain| pain_card(ctx, pain)).collect()
}

fn opportunity_card(ctx: &MapContext, o: &Opportunity) -> Card {
    let item = ctx.plan_item(&o.id);
    let owner = o
        .owner
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
        .map(|s| one_line_px(&s, STRIPED_TEXT_W, SMALL.size, false));
    Card::Opportunity(OpportunityCard {
        title: wrap_px(
            &o.title,
            STRIPED_TEXT_W,
            BODY.size,
            true,
            OPPORTUNITY_TITLE_LINES,
        ),
        full: o.title.clone(),
        rank: item.map(|i| i.rank),
        status: o.status,
        high: item.is_some_and(|i| i.high_priority),
        owner,
    })
}

fn metric_card(ctx: &MapContext, metric: &Metric, stage: &str, tp: Option<&str>) -> Card {
    let status = metric_status(metric, Some(stage), tp);
    let name = ctx.labels.metric_name(metric);
    let unit = metric.unit.as_deref();
    let value = status
        .value
        .map_or_else(|| "–".to_string(), |v| with_unit(v, unit));
    let target = status
        .target
        .map(|t| format!("{} {}", ctx.labels.target, with_unit(t, unit)));
    Card::Metric(MetricCard {
        name: wrap_px(&name, STRIPED_TEXT_W, SMALL.size, false, METRIC_NAME_LINES),
        full: name,
        value: one_line_px(&value, STRIPED_TEXT_W, STRONG.size, true),
        target,
        status: status.status,
    })
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

/// The cards of one lane: per column, and per stage (stage-level items, laid out in a band
/// across the stage's columns).
pub(super) struct LaneCards {
    pub columns: Vec<Vec<Card>>,
    pub bands: Vec<Vec<Card>>,
    /// Items placed nowhere (opportunities not linked to a stage).
    pub unplaced: usize,
}

pub(super) fn lane_cards(ctx: &MapContext, lane: Lane) -> LaneCards {
    let mut columns: Vec<Vec<Card>> = ctx.columns.iter().map(|_| Vec::new()).collect();
    let mut bands: Vec<Vec<Card>> = ctx.stages.iter().map(|_| Vec::new()).collect();
    let mut unplaced = 0;
    for (column, cards) in ctx.columns.iter().zip(columns.iter_mut()) {
        let Some(tp) = column.tp else { continue };
        match lane {
            Lane::Touchpoints => cards.push(touchpoint_card(ctx, tp)),
            Lane::Actions => cards.extend(bullets_card(&tp.actions, BulletStyle::Action)),
            Lane::Thoughts => cards.extend(bullets_card(&tp.thoughts, BulletStyle::Thought)),
            Lane::Feelings => cards.extend(bullets_card(&tp.feelings, BulletStyle::Feeling)),
            Lane::Questions => cards.extend(bullets_card(&tp.questions, BulletStyle::Question)),
            Lane::Expectations => {
                cards.extend(bullets_card(&tp.expectations, BulletStyle::Expectation))
            }
            Lane::PainPoints => cards.extend(pain_cards(ctx, tp.pain_points.iter())),
            Lane::Metrics => {
                let stage_id = ctx.stage_id(column);
                cards.extend(
                    tp.metrics
                        .iter()
                        .map(|mt| metric_card(ctx, mt, stage_id, Some(&tp.id))),
                );
            }
            Lane::Opportunities | Lane::Emotions | Lane::Friction => {}
        }
    }
    for (sg, cards) in ctx.stages.iter().zip(bands.iter_mut()) {
        match lane {
            Lane::PainPoints => cards.extend(pain_cards(ctx, sg.stage.pain_points.iter())),
            Lane::Metrics => cards.extend(
                sg.stage
                    .metrics
                    .iter()
                    .map(|mt| metric_card(ctx, mt, &sg.stage.id, None)),
            ),
            _ => {}
        }
    }
    if lane == Lane::Opportunities {
        // In plan order, so the first card in a column is the one to do first.
        let mut ordered: Vec<&Opportunity> = ctx.journey.opportunities.iter().collect();
        ordered.sort_by_key(|o| ctx.plan_item(&o.id).map_or(usize::MAX, |i| i.rank));
        for o in ordered {
            let cards = match place_opportunity(ctx, o) {
                Place::Column(ci) => columns.get_mut(ci),
                Place::Stage(si) => bands.get_mut(si),
                Place::Nowhere => {
                    unplaced += 1;
                    None
                }
            };
            if let Some(cards) = cards {
                cards.push(opportunity_card(ctx, o));
            }
        }
    }
    LaneCards {
        columns: columns.into_iter().map(cap).collect(),
        bands,
        unplaced,
    }
}

enum Place {
    Column(usize),
    Stage(usize),
    Nowhere,
}

/// Where an opportunity goes: its touchpoint, else its stage, else where the first pain point
/// it addresses is.
fn place_opportunity(ctx: &MapContext, o: &Opportunity) -> Place {
    let stage_of = |id: &str| ctx.stages.iter().position(|s| s.stage.id == id);
    let wanted_stage = o.stage.as_deref().and_then(stage_of);
    if let Some(tp_id) = o.touchpoint.as_deref() {
        let matching = |c: &&Column| c.tp.is_some_and(|t| t.id == tp_id);
        let in_stage = ctx
            .columns
            .iter()
            .position(|c| matching(&c) && Some(c.stage) == wanted_stage);
        if let Some(ci) = in_stage.or_else(|| ctx.columns.iter().position(|c| matching(&c))) {
            return Place::Column(ci);
        }
    }
    if let Some(si) = wanted_stage {
        return Place::Stage(si);
    }
    for pain in &o.addresses {
        if let Some(ci) = ctx.columns.iter().position(|c| {
            c.tp.is_some_and(|t| t.pain_points.iter().any(|p| &p.id == pain))
        }) {
            return Place::Column(ci);
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
