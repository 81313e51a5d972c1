//! The drawing pass: writes a laid-out map as SVG. It measures nothing and places nothing; it
//! chooses colours, fonts and strokes for what `layout.rs` placed, in document order.

use super::super::common::{
    Anchor, Font, draw_curve_legend, draw_curves, line, open_svg, rect, text_line, text_lines,
};
use super::super::markup::{Markup, Val, num};
use super::super::theme::Palette;
use super::card_layout::{
    BulletsLayout, MetricLayout, OpportunityLayout, PainLayout, PlacedCard, TouchpointLayout,
};
use super::cards::BulletStyle;
use super::lane_id;
use super::layout::{
    Backdrop, Band, CardLane, CurveLane, Gutter, Heading, HeatCell, HeatReading, LaneBody, LaneKey,
    LaneLayout, Line, MapLayout, Point, Rect, StageHeader, Text,
};
use super::metrics::*;

// Stroke widths.
/// Lane rules, column edges and dividers.
const GRID_STROKE: f64 = 1.0;
/// Frames of opportunity and metric cards, and of stage bands.
const FRAME_STROKE: f64 = 1.0;
/// Touchpoint cards, a little heavier: they head their columns.
const TOUCHPOINT_STROKE: f64 = 1.2;
/// Pain point cards, outlined in their severity's colour.
const PAIN_STROKE: f64 = 1.5;

/// Writes the map as an SVG document.
pub(super) fn draw(map: &MapLayout, p: &Palette) -> String {
    let mut m = Markup::new();
    open_svg(&mut m, map.width, map.height, map.document_title, p);
    if let Some(heading) = &map.heading {
        draw_heading(&mut m, heading, p);
    }
    draw_backdrop(&mut m, &map.backdrop, p);
    for header in &map.headers {
        draw_header(&mut m, header, p);
    }
    for lane in &map.lanes {
        draw_lane(&mut m, map, lane, p);
    }
    if let Some(rule) = &map.bottom_rule {
        grid_line(&mut m, rule, p, None);
    }
    if let Some(note) = &map.no_stages {
        draw_text(
            &mut m,
            note,
            EMPTY_NOTE.font(p.muted).italic(),
            Anchor::Start,
            None,
        );
    }
    m.close("svg");
    m.newline();
    m.finish()
}

// ---------------------------------------------------------------------------------------------
// Primitives

fn draw_text(m: &mut Markup, t: &Text, font: Font, anchor: Anchor, class: Option<&'static str>) {
    text_lines(m, t.x, t.top, &t.lines, font, anchor, class);
}

fn draw_rect<'a>(m: &mut Markup, r: &Rect, fill: &'a str, extra: &[(&'static str, Val<'a>)]) {
    rect(m, r.x, r.y, r.w, r.h, fill, extra);
}

fn grid_line(m: &mut Markup, l: &Line, p: &Palette, dash: Option<&str>) {
    line(m, l.x1, l.y1, l.x2, l.y2, p.grid, GRID_STROKE, dash);
}

fn dot(m: &mut Markup, centre: Point, fill: &str) {
    m.empty(
        "circle",
        &[
            ("cx", centre.x.into()),
            ("cy", centre.y.into()),
            ("r", DOT_R.into()),
            ("fill", fill.into()),
        ],
    );
}

/// The full text of a cut one, as the group's tooltip.
fn tooltip(m: &mut Markup, full: Option<&str>) {
    if let Some(full) = full {
        m.elem("title", &[], full);
    }
}

// ---------------------------------------------------------------------------------------------
// Title, backdrop and headers

fn draw_heading(m: &mut Markup, heading: &Heading, p: &Palette) {
    m.open("g", &[("class", "title".into())]);
    draw_text(
        m,
        &heading.title,
        JOURNEY_TITLE.font(p.text).bold(),
        Anchor::Start,
        Some("journey-title"),
    );
    draw_text(
        m,
        &heading.facts,
        JOURNEY_FACTS.font(p.muted),
        Anchor::Start,
        None,
    );
    m.close("g");
    m.newline();
}

fn draw_backdrop(m: &mut Markup, backdrop: &Backdrop, p: &Palette) {
    draw_rect(m, &backdrop.gutter, p.gutter, &[]);
    for stage in &backdrop.stages {
        let fill = if stage.odd { p.stage_odd } else { p.stage_even };
        draw_rect(m, &stage.area, fill, &[]);
        for divider in &stage.dividers {
            grid_line(m, divider, p, Some("2 3"));
        }
        grid_line(m, &stage.edge, p, None);
    }
    grid_line(m, &backdrop.right_edge, p, None);
    m.newline();
}

fn draw_header(m: &mut Markup, header: &StageHeader, p: &Palette) {
    m.open(
        "g",
        &[
            ("class", "stage".into()),
            ("data-stage", header.stage_id.into()),
        ],
    );
    tooltip(m, header.tooltip.as_deref());
    draw_rect(m, &header.frame, p.header, &[("rx", HEADER_RADIUS.into())]);
    draw_text(
        m,
        &header.number,
        SMALL.font(p.header_muted).bold(),
        Anchor::Start,
        None,
    );
    draw_text(
        m,
        &header.name,
        STAGE_NAME.font(p.header_text).bold(),
        Anchor::Start,
        Some("stage-name"),
    );
    if let Some(goal) = &header.goal {
        draw_text(
            m,
            goal,
            STAGE_GOAL.font(p.header_muted).italic(),
            Anchor::Start,
            None,
        );
    }
    if let Some(duration) = &header.duration {
        draw_text(m, duration, SMALL.font(p.header_muted), Anchor::Start, None);
    }
    if let Some(badge) = &header.friction {
        let (fill, ink) = p.heat(badge.index);
        draw_rect(m, &badge.pill, &fill, &[("rx", BADGE_RADIUS.into())]);
        draw_text(
            m,
            &badge.label,
            SMALL.font(ink).bold(),
            Anchor::Middle,
            None,
        );
    }
    m.close("g");
    m.newline();
}

// ---------------------------------------------------------------------------------------------
// Lanes

fn draw_lane(m: &mut Markup, map: &MapLayout, lane: &LaneLayout, p: &Palette) {
    m.open(
        "g",
        &[
            ("class", "lane".into()),
            ("data-lane", lane_id(lane.lane).into()),
        ],
    );
    grid_line(m, &lane.rule, p, None);
    draw_gutter(m, &lane.gutter, p);
    match &lane.body {
        LaneBody::Cards(cards) => draw_card_lane(m, cards, p),
        LaneBody::Curve(curve) => draw_curve_lane(m, map, curve, p),
        LaneBody::Friction(cells) => {
            for cell in cells {
                draw_heat_cell(m, cell, p);
            }
        }
    }
    m.close("g");
    m.newline();
}

fn draw_gutter(m: &mut Markup, gutter: &Gutter, p: &Palette) {
    draw_text(
        m,
        &gutter.title,
        LANE_TITLE.font(p.text).bold(),
        Anchor::Start,
        Some("lane-title"),
    );
    if let Some(hint) = &gutter.hint {
        draw_text(m, hint, SMALL.font(p.muted), Anchor::Start, None);
    }
    match &gutter.key {
        LaneKey::None => {}
        LaneKey::Severity(keys) => {
            for key in keys {
                let (fill, ink) = p.severity(key.severity);
                draw_rect(
                    m,
                    &key.swatch,
                    fill,
                    &[("rx", SEVERITY_SWATCH_RADIUS.into())],
                );
                draw_text(m, &key.digit, SMALL.font(ink).bold(), Anchor::Middle, None);
            }
        }
        LaneKey::Targets(keys) => {
            for key in keys {
                dot(m, key.dot, p.target(key.status));
                draw_text(m, &key.label, SMALL.font(p.muted), Anchor::Start, None);
            }
        }
        LaneKey::Opportunities {
            statuses,
            high_priority,
        } => {
            for key in statuses {
                draw_rect(
                    m,
                    &key.swatch,
                    p.opportunity(key.status),
                    &[("rx", STATUS_SWATCH_RADIUS.into())],
                );
                draw_text(m, &key.label, SMALL.font(p.muted), Anchor::Start, None);
            }
            draw_text(
                m,
                high_priority,
                SMALL.font(p.at_risk_ink).bold(),
                Anchor::Start,
                None,
            );
        }
        LaneKey::EmotionScale(labels) => {
            for label in labels {
                draw_text(m, label, SMALL.font(p.muted), Anchor::End, None);
            }
        }
    }
}

fn draw_card_lane(m: &mut Markup, lane: &CardLane, p: &Palette) {
    if let Some(note) = &lane.unplaced_note {
        draw_text(m, note, SMALL.font(p.muted).italic(), Anchor::Start, None);
    }
    for band in &lane.bands {
        draw_band(m, band, p);
    }
    for card in &lane.cards {
        draw_card(m, card, p);
    }
}

fn draw_band(m: &mut Markup, band: &Band, p: &Palette) {
    draw_rect(
        m,
        &band.frame,
        "none",
        &[
            ("rx", BAND_RADIUS.into()),
            ("stroke", p.neutral_line.into()),
            ("stroke-width", FRAME_STROKE.into()),
            ("stroke-dasharray", "3 3".into()),
        ],
    );
    draw_text(
        m,
        &band.label,
        SMALL.font(p.muted).italic(),
        Anchor::Start,
        None,
    );
    for card in &band.cards {
        draw_card(m, card, p);
    }
}

fn draw_curve_lane(m: &mut Markup, map: &MapLayout, lane: &CurveLane, p: &Palette) {
    m.open(
        "g",
        &[
            ("class", "curve-plot".into()),
            (
                "transform",
                format!("translate(0,{})", num(lane.top)).into(),
            ),
        ],
    );
    // The neutral line is the one to read against: longer dashes, a little heavier.
    let guides = [
        (&lane.guides.positive, "2 4", 1.0),
        (&lane.guides.neutral, "6 4", 1.5),
        (&lane.guides.negative, "2 4", 1.0),
    ];
    for (guide, dash, width) in guides {
        line(
            m,
            guide.x1,
            guide.y1,
            guide.x2,
            guide.y2,
            p.neutral_line,
            width,
            Some(dash),
        );
    }
    draw_curves(
        m,
        &lane.set,
        &lane.slots,
        &lane.xs,
        CURVE_TOP,
        CURVE_PLOT,
        p,
        map.labels,
    );
    m.close("g");
    m.newline();
    draw_curve_legend(m, &lane.set, &lane.legend, p);
}

fn draw_heat_cell(m: &mut Markup, cell: &HeatCell, p: &Palette) {
    match &cell.reading {
        HeatReading::Scored {
            index,
            value,
            components,
        } => {
            let (fill, ink) = p.heat(*index);
            m.open("g", &[("class", "heat".into())]);
            draw_rect(m, &cell.frame, &fill, &[("rx", HEAT_RADIUS.into())]);
            draw_text(m, value, HEAT_INDEX.font(ink).bold(), Anchor::Middle, None);
            if let Some(components) = components {
                draw_text(m, components, SMALL.font(p.muted), Anchor::Middle, None);
            }
            m.close("g");
        }
        HeatReading::NoData(word) => {
            draw_rect(
                m,
                &cell.frame,
                p.no_data,
                &[
                    ("rx", HEAT_RADIUS.into()),
                    ("stroke", p.grid.into()),
                    ("stroke-dasharray", "3 3".into()),
                ],
            );
            draw_text(m, word, SMALL.font(p.muted), Anchor::Middle, None);
        }
    }
    m.newline();
}

// ---------------------------------------------------------------------------------------------
// Cards

fn draw_card(m: &mut Markup, card: &PlacedCard, p: &Palette) {
    match card {
        PlacedCard::Touchpoint(c) => draw_touchpoint(m, c, p),
        PlacedCard::Bullets(c) => draw_bullets(m, c, p),
        PlacedCard::Pain(c) => draw_pain(m, c, p),
        PlacedCard::Opportunity(c) => draw_opportunity(m, c, p),
        PlacedCard::Metric(c) => draw_metric(m, c, p),
        PlacedCard::More(more) => draw_text(m, more, SMALL.font(p.muted), Anchor::Start, None),
    }
    m.newline();
}

/// The frame and coloured left stripe of opportunity and metric cards.
fn striped_frame(m: &mut Markup, frame: &Rect, stripe: &Rect, colour: &str, p: &Palette) {
    draw_rect(
        m,
        frame,
        p.card,
        &[
            ("rx", CARD_RADIUS.into()),
            ("stroke", p.card_border.into()),
            ("stroke-width", FRAME_STROKE.into()),
        ],
    );
    draw_rect(m, stripe, colour, &[("rx", STRIPE_RADIUS.into())]);
}

fn draw_touchpoint(m: &mut Markup, c: &TouchpointLayout, p: &Palette) {
    m.open(
        "g",
        &[
            ("class", "touchpoint".into()),
            ("data-touchpoint", (&c.id).into()),
        ],
    );
    tooltip(m, c.tooltip.as_deref());
    let mut frame_style: Vec<(&'static str, Val)> = vec![
        ("rx", CARD_RADIUS.into()),
        ("stroke", p.card_border.into()),
        ("stroke-width", TOUCHPOINT_STROKE.into()),
    ];
    if c.backstage {
        frame_style.push(("stroke-dasharray", "5 3".into()));
    }
    let fill = if c.backstage { p.no_data } else { p.card };
    draw_rect(m, &c.frame, fill, &frame_style);
    draw_text(
        m,
        &c.name,
        STRONG.font(p.text).bold(),
        Anchor::Start,
        Some("tp-name"),
    );
    if let Some(channel) = &c.channel {
        draw_text(m, channel, SMALL.font(p.muted), Anchor::Start, None);
    }
    if let Some(only) = &c.only {
        draw_text(m, only, SMALL.font(p.muted).italic(), Anchor::Start, None);
    }
    m.close("g");
}

fn draw_bullets(m: &mut Markup, c: &BulletsLayout, p: &Palette) {
    let body = BODY.font(p.text);
    let (mark, font) = match c.style {
        BulletStyle::Action => ("•", body),
        BulletStyle::Thought => ("“", body.italic()),
        BulletStyle::Feeling => ("♥", body),
        BulletStyle::Question => ("?", body),
        BulletStyle::Expectation => ("»", body),
    };
    let mark_size = if matches!(c.style, BulletStyle::Feeling) {
        HEART_SIZE
    } else {
        BODY.size
    };
    let mark_font = Font::new(mark_size, BODY.line, p.muted).bold();
    for item in &c.items {
        text_line(m, item.mark.x, item.mark.y, mark, mark_font, Anchor::Start);
        draw_text(m, &item.text, font, Anchor::Start, None);
    }
    if let Some(more) = &c.more {
        draw_text(m, more, SMALL.font(p.muted), Anchor::Start, None);
    }
}

fn draw_pain(m: &mut Markup, c: &PainLayout, p: &Palette) {
    m.open("g", &[("class", "pain".into())]);
    tooltip(m, c.tooltip.as_deref());
    let (fill, ink) = p.severity(c.severity);
    draw_rect(
        m,
        &c.frame,
        p.card,
        &[
            ("rx", CARD_RADIUS.into()),
            ("stroke", fill.into()),
            ("stroke-width", PAIN_STROKE.into()),
        ],
    );
    draw_rect(m, &c.stripe, fill, &[("rx", STRIPE_RADIUS.into())]);
    draw_rect(
        m,
        &c.badge,
        fill,
        &[
            ("rx", SEVERITY_BADGE_RADIUS.into()),
            ("class", "severity".into()),
        ],
    );
    draw_text(
        m,
        &c.digit,
        SEVERITY_DIGIT.font(ink).bold(),
        Anchor::Middle,
        None,
    );
    draw_text(m, &c.text, BODY.font(p.text), Anchor::Start, None);
    if let Some(share) = &c.share {
        draw_text(m, share, SMALL.font(p.muted), Anchor::Start, None);
    }
    let fix_ink = if c.planned { p.to_be } else { p.missed };
    draw_text(m, &c.fix, SMALL.font(fix_ink).bold(), Anchor::Start, None);
    m.close("g");
}

fn draw_opportunity(m: &mut Markup, c: &OpportunityLayout, p: &Palette) {
    m.open("g", &[("class", "opportunity".into())]);
    tooltip(m, c.tooltip.as_deref());
    let colour = p.opportunity(c.status);
    striped_frame(m, &c.frame, &c.stripe, colour, p);
    if let Some(rank) = &c.rank {
        draw_text(m, rank, RANK.font(p.text).bold(), Anchor::Start, None);
    }
    if let Some(star) = &c.star {
        draw_text(
            m,
            star,
            RANK.font(p.at_risk_ink).bold(),
            Anchor::Start,
            None,
        );
    }
    draw_rect(m, &c.pill, colour, &[("rx", (PILL_H / 2.0).into())]);
    draw_text(
        m,
        &c.pill_label,
        SMALL.font("#ffffff").bold(),
        Anchor::Middle,
        None,
    );
    draw_text(m, &c.title, BODY.font(p.text).bold(), Anchor::Start, None);
    let owner_ink = if c.unowned_high_priority {
        p.missed
    } else {
        p.muted
    };
    draw_text(m, &c.owner, SMALL.font(owner_ink), Anchor::Start, None);
    m.close("g");
}

fn draw_metric(m: &mut Markup, c: &MetricLayout, p: &Palette) {
    m.open("g", &[("class", "metric".into())]);
    tooltip(m, c.tooltip.as_deref());
    let colour = p.target(c.status);
    striped_frame(m, &c.frame, &c.stripe, colour, p);
    draw_text(m, &c.name, SMALL.font(p.muted), Anchor::Start, None);
    draw_text(m, &c.value, STRONG.font(p.text).bold(), Anchor::Start, None);
    dot(m, c.dot, colour);
    draw_text(
        m,
        &c.word,
        SMALL.font(p.target_ink(c.status)).bold(),
        Anchor::Start,
        None,
    );
    if let Some(target) = &c.target {
        draw_text(m, target, SMALL.font(p.muted), Anchor::Start, None);
    }
    m.close("g");
}
