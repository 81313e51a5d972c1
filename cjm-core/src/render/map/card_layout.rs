//! Card geometry: a card's height from what it says, and where each of its parts goes once the
//! card is placed. Every card is [`CARD_W`] wide.

use super::super::i18n::Labels;
use super::super::text::{one_line_px, px_width};
use super::cards::{
    BulletStyle, BulletsCard, Card, MetricCard, OpportunityCard, PainCard, TouchpointCard,
};
use super::layout::{Point, Rect, Text, lines_height, tooltip};
use super::metrics::*;
use crate::model::OpportunityStatus;
use crate::score::TargetStatus;

pub(super) enum PlacedCard {
    Touchpoint(TouchpointLayout),
    Bullets(BulletsLayout),
    Pain(PainLayout),
    Opportunity(OpportunityLayout),
    Metric(MetricLayout),
    /// "+N more".
    More(Text),
}

pub(super) struct TouchpointLayout {
    pub id: String,
    pub tooltip: Option<String>,
    pub frame: Rect,
    /// Backstage steps are drawn dashed on the no-data fill.
    pub backstage: bool,
    pub name: Text,
    pub channel: Option<Text>,
    pub only: Option<Text>,
}

/// Bullets have no frame: a mark and the item's text, item after item.
pub(super) struct BulletsLayout {
    pub style: BulletStyle,
    pub items: Vec<BulletLayout>,
    /// "+N more" items that did not fit.
    pub more: Option<Text>,
}

pub(super) struct BulletLayout {
    /// Top-left of the mark.
    pub mark: Point,
    pub text: Text,
}

pub(super) struct PainLayout {
    pub tooltip: Option<String>,
    pub severity: i64,
    pub frame: Rect,
    pub stripe: Rect,
    pub badge: Rect,
    pub digit: Text,
    pub text: Text,
    pub share: Option<Text>,
    /// The planned fix, or the "no plan" warning.
    pub fix: Text,
    pub planned: bool,
}

pub(super) struct OpportunityLayout {
    pub tooltip: Option<String>,
    pub status: OpportunityStatus,
    pub frame: Rect,
    pub stripe: Rect,
    pub rank: Option<Text>,
    pub star: Option<Text>,
    pub pill: Rect,
    pub pill_label: Text,
    pub title: Text,
    /// The owner, or "no owner".
    pub owner: Text,
    /// "No owner" on a high-priority item, drawn as a warning.
    pub unowned_high_priority: bool,
}

pub(super) struct MetricLayout {
    pub tooltip: Option<String>,
    pub status: TargetStatus,
    pub frame: Rect,
    pub stripe: Rect,
    pub name: Text,
    pub value: Text,
    /// Centre of the status dot.
    pub dot: Point,
    pub word: Text,
    pub target: Option<Text>,
}

impl Card {
    pub(super) fn height(&self) -> f64 {
        match self {
            Card::Touchpoint(c) => {
                2.0 * CARD_PAD
                    + lines_height(&c.name, STRONG)
                    + if c.channel.is_some() {
                        SMALL.line + TOUCHPOINT_NAME_GAP
                    } else {
                        0.0
                    }
                    + if c.only.is_some() { SMALL.line } else { 0.0 }
            }
            Card::Bullets(c) => {
                let lines: usize = c.items.iter().map(|w| w.lines.len()).sum();
                let gaps = c.items.len().saturating_sub(1) as f64 * BULLET_GAP;
                lines as f64 * BODY.line + gaps + if c.hidden > 0 { MORE_H } else { 0.0 }
            }
            Card::Pain(c) => {
                2.0 * CARD_PAD
                    + pain_text_height(c)
                    + PAIN_TEXT_GAP
                    + if c.share.is_some() { SMALL.line } else { 0.0 }
                    + SMALL.line
            }
            Card::Opportunity(c) => {
                2.0 * CARD_PAD
                    + OPPORTUNITY_BADGE_ROW_H
                    + lines_height(&c.title, BODY)
                    + OPPORTUNITY_TITLE_GAP
                    + SMALL.line
            }
            Card::Metric(c) => {
                2.0 * CARD_PAD
                    + lines_height(&c.name, SMALL)
                    + METRIC_NAME_GAP
                    + STRONG.line
                    + SMALL.line
            }
            Card::More(_) => MORE_H,
        }
    }
}

/// The text beside the severity badge is at least as high as the badge.
fn pain_text_height(card: &PainCard) -> f64 {
    lines_height(&card.text, BODY).max(SEVERITY_BADGE_H)
}

fn more_line(labels: &Labels, hidden: usize) -> String {
    format!("+{hidden} {}", labels.more)
}

impl PlacedCard {
    /// Places a card with its top-left at (x, y), at least `min_h` high.
    pub(super) fn place(card: Card, labels: &Labels, x: f64, y: f64, min_h: f64) -> PlacedCard {
        let frame = Rect {
            x,
            y,
            w: CARD_W,
            h: card.height().max(min_h),
        };
        match card {
            Card::Touchpoint(c) => PlacedCard::Touchpoint(place_touchpoint(c, frame)),
            Card::Bullets(c) => PlacedCard::Bullets(place_bullets(c, labels, frame)),
            Card::Pain(c) => PlacedCard::Pain(place_pain(c, labels, frame)),
            Card::Opportunity(c) => PlacedCard::Opportunity(place_opportunity(c, labels, frame)),
            Card::Metric(c) => PlacedCard::Metric(place_metric(c, labels, frame)),
            Card::More(hidden) => {
                PlacedCard::More(Text::line(x + MORE_X, y, more_line(labels, hidden)))
            }
        }
    }
}

fn place_touchpoint(card: TouchpointCard, frame: Rect) -> TouchpointLayout {
    let x = frame.x + CARD_PAD;
    let name_top = frame.y + CARD_PAD;
    let channel_top = name_top + lines_height(&card.name, STRONG) + TOUCHPOINT_NAME_GAP;
    let only_top = channel_top
        + if card.channel.is_some() {
            SMALL.line
        } else {
            0.0
        };
    TouchpointLayout {
        tooltip: tooltip(&card.name, &card.full),
        id: card.id,
        frame,
        backstage: card.backstage,
        name: Text::block(x, name_top, card.name),
        channel: card.channel.map(|c| Text::line(x, channel_top, c)),
        only: card.only.map(|o| Text::line(x, only_top, o)),
    }
}

fn place_bullets(card: BulletsCard, labels: &Labels, frame: Rect) -> BulletsLayout {
    let mut top = frame.y;
    let mut items = Vec::with_capacity(card.items.len());
    for item in card.items {
        let item_h = lines_height(&item, BODY);
        items.push(BulletLayout {
            mark: Point {
                x: frame.x + BULLET_MARK_X,
                y: top,
            },
            text: Text::block(frame.x + BULLET_TEXT_X, top, item),
        });
        top += item_h + BULLET_GAP;
    }
    BulletsLayout {
        style: card.style,
        items,
        more: (card.hidden > 0)
            .then(|| Text::line(frame.x + BULLET_TEXT_X, top, more_line(labels, card.hidden))),
    }
}

fn place_pain(card: PainCard, labels: &Labels, frame: Rect) -> PainLayout {
    let Rect { x, y, h, .. } = frame;
    let badge = Rect {
        x: x + CARD_PAD + SEVERITY_BADGE_X,
        y: y + CARD_PAD,
        w: SEVERITY_BADGE_W,
        h: SEVERITY_BADGE_H,
    };
    let text_x = x + CARD_PAD + PAIN_TEXT_X;
    let share_top = y + CARD_PAD + pain_text_height(&card) + PAIN_TEXT_GAP;
    let fix_top = share_top
        + if card.share.is_some() {
            SMALL.line
        } else {
            0.0
        };
    let planned = card.fix.is_some();
    PainLayout {
        tooltip: tooltip(&card.text, &card.full),
        severity: card.severity,
        frame,
        stripe: Rect {
            x,
            y,
            w: PAIN_STRIPE_W,
            h,
        },
        badge,
        digit: Text::line(
            badge.x + SEVERITY_BADGE_W / 2.0,
            badge.y + SEVERITY_DIGIT_DY,
            card.severity.clamp(1, 5).to_string(),
        ),
        text: Text::block(text_x, y + CARD_PAD, card.text),
        share: card.share.map(|s| Text::line(text_x, share_top, s)),
        fix: Text::line(
            text_x,
            fix_top,
            card.fix.unwrap_or_else(|| labels.no_plan.to_string()),
        ),
        planned,
    }
}

fn place_opportunity(card: OpportunityCard, labels: &Labels, frame: Rect) -> OpportunityLayout {
    let Rect { x, y, h, .. } = frame;
    let text_x = x + CARD_PAD + STRIPED_TEXT_X;
    let badge_top = y + CARD_PAD;
    // Rank, star and status pill in a row, each after the last.
    let mut cursor = text_x;
    let rank = card.rank.map(|r| {
        let label = format!("#{r}");
        let text = Text::line(cursor, badge_top, label.as_str());
        cursor += px_width(&label, RANK.size, true) + RANK_GAP;
        text
    });
    let star = card.high.then(|| {
        let text = Text::line(cursor, badge_top, "★");
        cursor += STAR_ADVANCE;
        text
    });
    let status_text = labels.opportunity_status(card.status);
    let pill_w = px_width(status_text, SMALL.size, false) + PILL_PAD_X;
    let title_top = badge_top + OPPORTUNITY_BADGE_ROW_H;
    let owner_top = title_top + lines_height(&card.title, BODY) + OPPORTUNITY_TITLE_GAP;
    let unowned_high_priority = card.owner.is_none() && card.high;
    OpportunityLayout {
        tooltip: tooltip(&card.title, &card.full),
        status: card.status,
        frame,
        stripe: Rect {
            x,
            y,
            w: STRIPE_W,
            h,
        },
        rank,
        star,
        pill: Rect {
            x: cursor,
            y: badge_top,
            w: pill_w,
            h: PILL_H,
        },
        pill_label: Text::line(cursor + pill_w / 2.0, badge_top + PILL_TEXT_DY, status_text),
        title: Text::block(text_x, title_top, card.title),
        owner: Text::line(
            text_x,
            owner_top,
            card.owner.unwrap_or_else(|| labels.no_owner.to_string()),
        ),
        unowned_high_priority,
    }
}

fn place_metric(card: MetricCard, labels: &Labels, frame: Rect) -> MetricLayout {
    let Rect { x, y, w, h } = frame;
    let text_x = x + CARD_PAD + STRIPED_TEXT_X;
    let value_top = y + CARD_PAD + lines_height(&card.name, SMALL) + METRIC_NAME_GAP;
    let status_top = value_top + STRONG.line;
    let word = if card.status == TargetStatus::Unknown && card.target.is_none() {
        labels.no_target
    } else {
        labels.target_status(card.status)
    };
    let target = card.target.map(|t| {
        // After the value when it fits there, else after the status word.
        let after_value = text_x + px_width(&card.value, STRONG.size, true) + TARGET_AFTER_VALUE;
        let after_word =
            text_x + DOT_LABEL_X + px_width(word, SMALL.size, true) + TARGET_AFTER_WORD;
        let right = x + w - CARD_PAD;
        let (target_x, target_top) = if after_value + px_width(&t, SMALL.size, false) <= right {
            (after_value, value_top + TARGET_BESIDE_VALUE_DY)
        } else {
            (after_word, status_top)
        };
        Text::line(
            target_x,
            target_top,
            one_line_px(&t, right - target_x, SMALL.size, false),
        )
    });
    MetricLayout {
        tooltip: tooltip(&card.name, &card.full),
        status: card.status,
        frame,
        stripe: Rect {
            x,
            y,
            w: STRIPE_W,
            h,
        },
        name: Text::block(text_x, y + CARD_PAD, card.name),
        value: Text::line(text_x, value_top, card.value),
        dot: Point {
            x: text_x + DOT_DX,
            y: status_top + DOT_DY,
        },
        word: Text::line(text_x + DOT_LABEL_X, status_top, word),
        target,
    }
}
