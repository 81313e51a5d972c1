//! Standalone charts: the emotion curve, the friction strip and as-is vs to-be.

use super::RenderOptions;
use super::common::{
    Anchor, CurveSet, DrawCurve, Font, curve_legend, curve_set, draw_curves, line, open_svg, plain,
    rect, signed, text_line, text_lines, value_y,
};
use super::i18n::Labels;
use super::markup::Markup;
use super::text::{clean, one_line_px, wrap_px};
use super::theme::Palette;
use crate::error::Result;
use crate::model::Journey;
use crate::score::{EmotionCurve, FrictionWeights, emotion_curve, friction};

const MARGIN: f64 = 16.0;
const AXIS: f64 = 96.0;
const CW: f64 = 124.0;
const BAND_H: f64 = 26.0;
const PLOT_H: f64 = 160.0;
const LABEL_LINES: usize = 3;

/// One x position of a chart.
struct Slot {
    stage_key: String,
    stage_name: String,
    label: String,
    /// A note under the label (e.g. "new" in a comparison).
    note: Option<&'static str>,
    /// Ids to align curves with.
    tp_id: String,
}

struct Frame {
    width: f64,
    left: f64,
    xs: Vec<f64>,
}

fn frame(slots: &[Slot]) -> Frame {
    let left = MARGIN + AXIS;
    let plot_w = (slots.len().max(1) as f64) * CW;
    let width = (left + plot_w + MARGIN).max(420.0);
    let xs = (0..slots.len())
        .map(|i| left + (i as f64 + 0.5) * CW)
        .collect();
    Frame { width, left, xs }
}

/// Title line(s); returns the height used.
fn chart_title(m: &mut Markup, title: &str, width: f64, palette: &Palette, draw: bool) -> f64 {
    let w = wrap_px(title, width - 2.0 * MARGIN, 16.0, true, 2);
    if draw {
        text_lines(
            m,
            MARGIN,
            MARGIN,
            &w.lines,
            Font::new(16.0, 21.0, palette.text).bold(),
            Anchor::Start,
            Some("chart-title"),
        );
    }
    w.lines.len() as f64 * 21.0 + 10.0
}

/// Stage bands (alternating tints with the stage name) from `top` over `height`.
fn stage_bands(
    m: &mut Markup,
    slots: &[Slot],
    fr: &Frame,
    top: f64,
    height: f64,
    palette: &Palette,
) {
    let mut start = 0;
    let mut band = 0;
    while start < slots.len() {
        let key = slots.get(start).map_or("", |s| s.stage_key.as_str());
        let mut end = start + 1;
        while slots.get(end).is_some_and(|s| s.stage_key == key) {
            end += 1;
        }
        let x = fr.left + start as f64 * CW;
        let w = (end - start) as f64 * CW;
        let fill = if band % 2 == 0 {
            palette.stage_even
        } else {
            palette.stage_odd
        };
        rect(m, x, top, w, height, fill, &[]);
        line(m, x, top, x, top + height, palette.grid, 1.0, None);
        if let Some(s) = slots.get(start) {
            let name = one_line_px(&s.stage_name, w - 12.0, 11.5, true);
            text_line(
                m,
                x + 6.0,
                top + 6.0,
                &name,
                Font::new(11.5, 14.0, palette.text).bold(),
                Anchor::Start,
            );
        }
        band += 1;
        start = end;
    }
    let right = fr.left + slots.len() as f64 * CW;
    line(m, right, top, right, top + height, palette.grid, 1.0, None);
}

fn label_height(slots: &[Slot]) -> f64 {
    let lines = slots
        .iter()
        .map(|s| {
            wrap_px(&s.label, CW - 8.0, 10.5, false, LABEL_LINES)
                .lines
                .len()
                + usize::from(s.note.is_some())
        })
        .max()
        .unwrap_or(0);
    lines as f64 * 13.0 + 8.0
}

/// Touchpoint names under the plot.
fn x_labels(m: &mut Markup, slots: &[Slot], fr: &Frame, top: f64, palette: &Palette) {
    for (slot, x) in slots.iter().zip(&fr.xs) {
        let w = wrap_px(&slot.label, CW - 8.0, 10.5, false, LABEL_LINES);
        text_lines(
            m,
            *x,
            top + 4.0,
            &w.lines,
            Font::new(10.5, 13.0, palette.text),
            Anchor::Middle,
            Some("x-label"),
        );
        if let Some(note) = slot.note {
            let y = top + 4.0 + w.lines.len() as f64 * 13.0;
            text_line(
                m,
                *x,
                y,
                note,
                Font::new(10.0, 13.0, palette.muted).italic(),
                Anchor::Middle,
            );
        }
    }
}

/// Neutral, +1 and −1 guides with their labels.
fn guides(m: &mut Markup, fr: &Frame, right: f64, top: f64, palette: &Palette, labels: &Labels) {
    for (value, dash, width, label) in [
        (1.0, "2 4", 1.0, labels.positive),
        (0.0, "6 4", 1.5, labels.neutral),
        (-1.0, "2 4", 1.0, labels.negative),
    ] {
        let y = value_y(value, top, PLOT_H);
        line(
            m,
            fr.left,
            y,
            right,
            y,
            palette.neutral_line,
            width,
            Some(dash),
        );
        text_line(
            m,
            fr.left - 6.0,
            y - 7.0,
            &format!("{label} {}", signed(value, 0)),
            Font::new(10.5, 13.0, palette.muted),
            Anchor::End,
        );
    }
}

fn journey_slots(journey: &Journey) -> Vec<Slot> {
    journey
        .touchpoints()
        .map(|(stage, tp)| Slot {
            stage_key: stage.id.clone(),
            stage_name: stage.name.clone(),
            label: tp.name.clone(),
            note: None,
            tp_id: tp.id.clone(),
        })
        .collect()
}

/// The emotion curve alone: one line per selected persona (and all customers), the neutral
/// line, valleys and peak, touchpoint names below.
pub fn render_curve_svg(journey: &Journey, options: &RenderOptions) -> Result<String> {
    super::budget::check(
        super::estimate_chart_svg(journey, options),
        options,
        "emotion curve",
    )?;
    let palette = Palette::of(options.theme);
    let labels = Labels::of(options.language);
    let slots = journey_slots(journey);
    let fr = frame(&slots);
    let right = fr.left + slots.len() as f64 * CW;
    let set = curve_set(journey, options, palette, labels);
    let mut scratch = Markup::new();
    let title = format!("{} — {}", labels.emotions, clean(&journey.title));
    let title_h = if options.title {
        chart_title(&mut scratch, &title, fr.width, palette, false)
    } else {
        0.0
    };
    let band_top = MARGIN + title_h;
    let plot_top = band_top + BAND_H + 24.0;
    let plot_bottom = plot_top + PLOT_H + 24.0;
    let labels_h = label_height(&slots);
    let legend_top = plot_bottom + labels_h + 6.0;
    let legend_h = curve_legend(
        &mut scratch,
        &set,
        fr.left,
        legend_top,
        fr.width - MARGIN,
        palette,
        false,
    );
    let height = legend_top + legend_h + MARGIN;

    let mut m = Markup::new();
    open_svg(&mut m, fr.width, height, &title, palette);
    if options.title {
        chart_title(&mut m, &title, fr.width, palette, true);
    }
    stage_bands(
        &mut m,
        &slots,
        &fr,
        band_top,
        plot_bottom - band_top,
        palette,
    );
    guides(&mut m, &fr, right, plot_top, palette, labels);
    let keys: Vec<(&str, &str)> = slots
        .iter()
        .map(|s| (s.stage_key.as_str(), s.tp_id.as_str()))
        .collect();
    m.open("g", &[("class", "curve-plot".into())]);
    draw_curves(
        &mut m, &set, &keys, &fr.xs, plot_top, PLOT_H, palette, labels,
    );
    m.close("g");
    x_labels(&mut m, &slots, &fr, plot_bottom, palette);
    curve_legend(
        &mut m,
        &set,
        fr.left,
        legend_top,
        fr.width - MARGIN,
        palette,
        true,
    );
    if slots.is_empty() {
        text_line(
            &mut m,
            fr.left + 8.0,
            plot_top + PLOT_H / 2.0 - 8.0,
            labels.no_data,
            Font::new(12.0, 15.0, palette.muted).italic(),
            Anchor::Start,
        );
    }
    m.close("svg");
    m.newline();
    Ok(m.finish())
}

/// The friction index per touchpoint as a heat strip with its values, the stage indices and a
/// colour scale.
pub fn render_friction_svg(journey: &Journey, options: &RenderOptions) -> Result<String> {
    super::budget::check(
        super::estimate_chart_svg(journey, options),
        options,
        "friction chart",
    )?;
    let palette = Palette::of(options.theme);
    let labels = Labels::of(options.language);
    let report = friction(journey, &FrictionWeights::default());
    let slots = journey_slots(journey);
    let fr = frame(&slots);
    let mut scratch = Markup::new();
    let title = format!("{} — {}", labels.friction_index, clean(&journey.title));
    let title_h = if options.title {
        chart_title(&mut scratch, &title, fr.width, palette, false)
    } else {
        0.0
    };
    let band_top = MARGIN + title_h;
    let stage_row = band_top + BAND_H;
    let strip_top = stage_row + 26.0;
    let strip_h = 44.0;
    let labels_top = strip_top + strip_h + 4.0;
    let labels_h = label_height(&slots);
    let band_bottom = labels_top + labels_h;
    let scale_top = band_bottom + 12.0;
    let height = scale_top + 34.0 + MARGIN;

    let mut m = Markup::new();
    open_svg(&mut m, fr.width, height, &title, palette);
    if options.title {
        chart_title(&mut m, &title, fr.width, palette, true);
    }
    stage_bands(
        &mut m,
        &slots,
        &fr,
        band_top,
        band_bottom - band_top,
        palette,
    );
    text_line(
        &mut m,
        fr.left - 6.0,
        stage_row + 4.0,
        labels.stage,
        Font::new(10.5, 13.0, palette.muted),
        Anchor::End,
    );
    text_line(
        &mut m,
        fr.left - 6.0,
        strip_top + 14.0,
        labels.touchpoint,
        Font::new(10.5, 13.0, palette.muted),
        Anchor::End,
    );
    // Stage indices, one pill per stage run.
    let mut start = 0;
    let mut stage_index = 0;
    while start < slots.len() {
        let key = slots.get(start).map_or("", |s| s.stage_key.as_str());
        let mut end = start + 1;
        while slots.get(end).is_some_and(|s| s.stage_key == key) {
            end += 1;
        }
        // Stages without touchpoints have no slot: find this stage's report entry by id, in order.
        while report
            .stages
            .get(stage_index)
            .is_some_and(|s| s.stage != key)
        {
            stage_index += 1;
        }
        if let Some(index) = report.stages.get(stage_index).and_then(|s| s.score.index) {
            let (fill, ink) = palette.heat(index);
            let x = fr.left + start as f64 * CW + 6.0;
            let w = (end - start) as f64 * CW - 12.0;
            rect(&mut m, x, stage_row, w, 20.0, &fill, &[("rx", 10.0.into())]);
            text_line(
                &mut m,
                x + w / 2.0,
                stage_row + 3.0,
                &plain(index, 0),
                Font::new(11.5, 14.0, ink).bold(),
                Anchor::Middle,
            );
        }
        stage_index += 1;
        start = end;
    }
    for (i, x) in fr.xs.iter().enumerate() {
        let cx = x - CW / 2.0 + 4.0;
        let w = CW - 8.0;
        match report.touchpoints.get(i).and_then(|t| t.score.index) {
            Some(index) => {
                let (fill, ink) = palette.heat(index);
                rect(
                    &mut m,
                    cx,
                    strip_top,
                    w,
                    strip_h,
                    &fill,
                    &[("rx", 4.0.into()), ("class", "heat".into())],
                );
                text_line(
                    &mut m,
                    *x,
                    strip_top + 12.0,
                    &plain(index, 0),
                    Font::new(16.0, 20.0, ink).bold(),
                    Anchor::Middle,
                );
            }
            None => {
                rect(
                    &mut m,
                    cx,
                    strip_top,
                    w,
                    strip_h,
                    palette.no_data,
                    &[
                        ("rx", 4.0.into()),
                        ("stroke", palette.grid.into()),
                        ("stroke-dasharray", "3 3".into()),
                    ],
                );
                text_line(
                    &mut m,
                    *x,
                    strip_top + 15.0,
                    labels.no_data,
                    Font::new(10.5, 13.0, palette.muted),
                    Anchor::Middle,
                );
            }
        }
    }
    x_labels(&mut m, &slots, &fr, labels_top, palette);
    // Colour scale.
    let steps = 10;
    let sw = 24.0;
    text_line(
        &mut m,
        fr.left - 6.0,
        scale_top + 2.0,
        labels.index,
        Font::new(10.5, 13.0, palette.muted),
        Anchor::End,
    );
    for s in 0..=steps {
        let v = s as f64 * 10.0;
        let (fill, _) = palette.heat(v);
        let x = fr.left + s as f64 * sw;
        rect(&mut m, x, scale_top, sw, 14.0, &fill, &[]);
        if s % 5 == 0 {
            text_line(
                &mut m,
                x + sw / 2.0,
                scale_top + 16.0,
                &plain(v, 0),
                Font::new(10.0, 13.0, palette.muted),
                Anchor::Middle,
            );
        }
    }
    if slots.is_empty() {
        text_line(
            &mut m,
            fr.left + 8.0,
            strip_top + 14.0,
            labels.no_data,
            Font::new(12.0, 15.0, palette.muted).italic(),
            Anchor::Start,
        );
    }
    m.close("svg");
    m.newline();
    Ok(m.finish())
}

/// Touchpoints of both journeys, aligned by touchpoint id: the as-is order, with touchpoints
/// only in the to-be map inserted after the to-be touchpoint before them.
fn merged_slots(
    as_is: &Journey,
    to_be: &Journey,
    labels: &'static Labels,
) -> Vec<(Slot, bool, bool)> {
    // The to-be order, with each touchpoint only in the as-is map placed right after the as-is
    // touchpoint before it.
    let mut slots: Vec<(Slot, bool, bool)> = journey_slots(to_be)
        .into_iter()
        .map(|s| (s, false, true))
        .collect();
    let mut last: Option<usize> = None;
    for slot in journey_slots(as_is) {
        let found = slots
            .iter()
            .position(|(s, in_as_is, _)| !in_as_is && s.tp_id == slot.tp_id);
        match found {
            Some(pos) => {
                if let Some((_, in_as_is, _)) = slots.get_mut(pos) {
                    *in_as_is = true;
                }
                last = Some(pos);
            }
            None => {
                let pos = last.map_or(0, |p| p + 1).min(slots.len());
                slots.insert(pos, (slot, true, false));
                last = Some(pos);
            }
        }
    }
    for (slot, in_as_is, in_to_be) in &mut slots {
        slot.note = match (*in_as_is, *in_to_be) {
            (true, false) => Some(labels.removed_short),
            (false, true) => Some(labels.added_short),
            _ => None,
        };
    }
    slots
}

/// The curve compared: one persona's when exactly one selected persona exists in the journey,
/// else everyone's.
fn comparison_curve(journey: &Journey, options: &RenderOptions) -> Option<EmotionCurve> {
    let persona = match options.personas.as_slice() {
        [one] if journey.personas.iter().any(|p| &p.id == one) => Some(one.as_str()),
        _ => None,
    };
    emotion_curve(journey, persona).ok()
}

/// Slot index of each point, by touchpoint id, walking forward.
fn slots_by_id(curve: &EmotionCurve, ids: &[(&str, bool)]) -> Vec<Option<usize>> {
    let mut cursor = 0;
    curve
        .points
        .iter()
        .map(|p| {
            let found = ids
                .iter()
                .enumerate()
                .skip(cursor)
                .find(|(_, (id, present))| *present && *id == p.touchpoint)
                .map(|(i, _)| i);
            if let Some(i) = found {
                cursor = i + 1;
            }
            found
        })
        .collect()
}

/// As-is vs to-be: the two emotion curves aligned by touchpoint id, with the change at every
/// touchpoint both maps score.
pub fn render_comparison_svg(
    as_is: &Journey,
    to_be: &Journey,
    options: &RenderOptions,
) -> Result<String> {
    super::budget::check(
        super::estimate_comparison_svg(as_is, to_be, options),
        options,
        "comparison chart",
    )?;
    let palette = Palette::of(options.theme);
    let labels = Labels::of(options.language);
    let merged = merged_slots(as_is, to_be, labels);
    let as_is_ids: Vec<(&str, bool)> = merged
        .iter()
        .map(|(s, a, _)| (s.tp_id.as_str(), *a))
        .collect();
    let to_be_ids: Vec<(&str, bool)> = merged
        .iter()
        .map(|(s, _, t)| (s.tp_id.as_str(), *t))
        .collect();
    let slots: Vec<Slot> = merged
        .iter()
        .map(|(s, _, _)| Slot {
            stage_key: s.stage_key.clone(),
            stage_name: s.stage_name.clone(),
            label: s.label.clone(),
            note: s.note,
            tp_id: s.tp_id.clone(),
        })
        .collect();
    let fr = frame(&slots);
    let right = fr.left + slots.len() as f64 * CW;
    let before = comparison_curve(as_is, options);
    let after = comparison_curve(to_be, options);
    let title = format!("{} — {}", labels.comparison, clean(&to_be.title));
    let mut scratch = Markup::new();
    let title_h = if options.title {
        chart_title(&mut scratch, &title, fr.width, palette, false)
    } else {
        0.0
    };
    let band_top = MARGIN + title_h;
    let plot_top = band_top + BAND_H + 24.0;
    let plot_bottom = plot_top + PLOT_H + 24.0;
    let labels_h = label_height(&slots);
    let legend_top = plot_bottom + labels_h + 6.0;
    let legend = CurveSet {
        curves: [
            before.clone().map(|curve| DrawCurve {
                label: labels.as_is.to_string(),
                colour: palette.as_is,
                combined: false,
                slot: 0,
                dashed: true,
                curve,
            }),
            after.clone().map(|curve| DrawCurve {
                label: labels.to_be.to_string(),
                colour: palette.to_be,
                combined: false,
                slot: 1,
                dashed: false,
                curve,
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
        reference: None,
        persona_count: 2,
    };
    let legend_h = curve_legend(
        &mut scratch,
        &legend,
        fr.left,
        legend_top,
        fr.width - MARGIN,
        palette,
        false,
    );
    let height = legend_top + legend_h + MARGIN;

    let mut m = Markup::new();
    open_svg(&mut m, fr.width, height, &title, palette);
    if options.title {
        chart_title(&mut m, &title, fr.width, palette, true);
    }
    stage_bands(
        &mut m,
        &slots,
        &fr,
        band_top,
        plot_bottom - band_top,
        palette,
    );
    guides(&mut m, &fr, right, plot_top, palette, labels);
    let points = |curve: &Option<EmotionCurve>, ids: &[(&str, bool)]| -> Vec<(usize, f64)> {
        curve.as_ref().map_or_else(Vec::new, |c| {
            c.points
                .iter()
                .zip(slots_by_id(c, ids))
                .filter_map(|(p, i)| i.map(|i| (i, p.value)))
                .collect()
        })
    };
    let before_pts = points(&before, &as_is_ids);
    let after_pts = points(&after, &to_be_ids);
    // Change at touchpoints both maps score.
    m.open("g", &[("class", "changes".into())]);
    for (i, v_after) in &after_pts {
        if let Some((_, v_before)) = before_pts.iter().find(|(j, _)| j == i)
            && let Some(x) = fr.xs.get(*i)
        {
            let change = v_after - v_before;
            if change.abs() < 0.005 {
                continue;
            }
            let colour = if change > 0.0 {
                palette.better
            } else {
                palette.worse
            };
            let y1 = value_y(*v_before, plot_top, PLOT_H);
            let y2 = value_y(*v_after, plot_top, PLOT_H);
            line(&mut m, *x, y1, *x, y2, colour, 2.0, Some("3 2"));
            let label_y = if change > 0.0 {
                y2.min(y1) - 22.0
            } else {
                y2.max(y1) + 8.0
            };
            text_line(
                &mut m,
                *x + 0.0,
                label_y,
                &signed(change, 2),
                Font::new(10.5, 13.0, colour).bold(),
                Anchor::Middle,
            );
        }
    }
    m.close("g");
    for (pts, colour, dash, class) in [
        (&before_pts, palette.as_is, Some("6 4"), "as-is"),
        (&after_pts, palette.to_be, None, "to-be"),
    ] {
        let coords: Vec<(f64, f64)> = pts
            .iter()
            .filter_map(|(i, v)| fr.xs.get(*i).map(|x| (*x, value_y(*v, plot_top, PLOT_H))))
            .collect();
        m.open("g", &[("class", class.into())]);
        if coords.len() > 1 {
            let list: Vec<String> = coords
                .iter()
                .map(|(x, y)| format!("{},{}", super::markup::num(*x), super::markup::num(*y)))
                .collect();
            let mut attrs: Vec<(&'static str, super::markup::Val)> = vec![
                ("points", list.join(" ").into()),
                ("fill", "none".into()),
                ("stroke", colour.into()),
                ("stroke-width", 2.5.into()),
                ("stroke-linejoin", "round".into()),
            ];
            if let Some(d) = dash {
                attrs.push(("stroke-dasharray", d.into()));
            }
            m.empty("polyline", &attrs);
        }
        for (x, y) in &coords {
            m.empty(
                "circle",
                &[
                    ("class", "pt".into()),
                    ("cx", (*x).into()),
                    ("cy", (*y).into()),
                    ("r", 4.0.into()),
                    ("fill", colour.into()),
                    ("stroke", palette.background.into()),
                    ("stroke-width", 1.5.into()),
                ],
            );
        }
        m.close("g");
        m.newline();
    }
    x_labels(&mut m, &slots, &fr, plot_bottom, palette);
    curve_legend(
        &mut m,
        &legend,
        fr.left,
        legend_top,
        fr.width - MARGIN,
        palette,
        true,
    );
    m.close("svg");
    m.newline();
    Ok(m.finish())
}
