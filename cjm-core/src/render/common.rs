//! Helpers shared by the map, the charts and the report.

use super::RenderOptions;
use super::i18n::Labels;
use super::markup::{Markup, Val, num};
use super::text::clean;
use super::theme::Palette;
use crate::model::Journey;
use crate::score::{EmotionCurve, emotion_curve};

/// The font stack: DejaVu Sans first, the font whose advance widths the layout measures
/// (`text.rs`), then Verdana, which is as wide (both descend from Bitstream Vera's metrics), then
/// the system fonts. Nothing is fetched.
pub(crate) const FONT: &str =
    "'DejaVu Sans', Verdana, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// Opens the root `<svg>` with a background and an accessible title.
pub(crate) fn open_svg(m: &mut Markup, width: f64, height: f64, title: &str, palette: &Palette) {
    let view = format!("0 0 {} {}", num(width), num(height));
    m.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg".into()),
            ("width", width.into()),
            ("height", height.into()),
            ("viewBox", view.into()),
            ("font-family", FONT.into()),
            ("role", "img".into()),
        ],
    );
    m.newline();
    m.elem("title", &[], &clean(title));
    m.newline();
    m.empty(
        "rect",
        &[
            ("x", 0.0.into()),
            ("y", 0.0.into()),
            ("width", width.into()),
            ("height", height.into()),
            ("fill", palette.background.into()),
        ],
    );
    m.newline();
}

/// Style of a text block.
#[derive(Clone, Copy)]
pub(crate) struct Font {
    pub size: f64,
    pub line: f64,
    pub bold: bool,
    pub italic: bool,
    pub fill: &'static str,
    /// Outline in this colour behind the glyphs, to keep text readable over lines.
    pub halo: Option<&'static str>,
}

impl Font {
    pub(crate) fn new(size: f64, line: f64, fill: &'static str) -> Font {
        Font {
            size,
            line,
            bold: false,
            italic: false,
            fill,
            halo: None,
        }
    }

    pub(crate) fn bold(mut self) -> Font {
        self.bold = true;
        self
    }

    pub(crate) fn italic(mut self) -> Font {
        self.italic = true;
        self
    }

    pub(crate) fn halo(mut self, colour: &'static str) -> Font {
        self.halo = Some(colour);
        self
    }
}

/// Anchor of a text block.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// Writes lines as one `<text>` with a `<tspan>` per line; `top` is the top of the first line.
pub(crate) fn text_lines(
    m: &mut Markup,
    x: f64,
    top: f64,
    lines: &[String],
    font: Font,
    anchor: Anchor,
    class: Option<&'static str>,
) {
    if lines.is_empty() {
        return;
    }
    let baseline = top + font.size * 0.95 + (font.line - font.size * 1.2).max(0.0) / 2.0;
    let mut attrs: Vec<(&'static str, Val<'_>)> = vec![
        ("x", x.into()),
        ("y", baseline.into()),
        ("font-size", font.size.into()),
        ("fill", font.fill.into()),
    ];
    if font.bold {
        attrs.push(("font-weight", "bold".into()));
    }
    if font.italic {
        attrs.push(("font-style", "italic".into()));
    }
    match anchor {
        Anchor::Start => {}
        Anchor::Middle => attrs.push(("text-anchor", "middle".into())),
        Anchor::End => attrs.push(("text-anchor", "end".into())),
    }
    if let Some(halo) = font.halo {
        attrs.push(("stroke", halo.into()));
        attrs.push(("stroke-width", 3.0.into()));
        attrs.push(("stroke-linejoin", "round".into()));
        attrs.push(("paint-order", "stroke".into()));
    }
    if let Some(class) = class {
        attrs.push(("class", class.into()));
    }
    m.open("text", &attrs);
    for (i, line) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { font.line };
        m.open("tspan", &[("x", x.into()), ("dy", dy.into())]);
        m.text(line);
        m.close("tspan");
    }
    m.close("text");
    m.newline();
}

/// One line of text.
pub(crate) fn text_line(m: &mut Markup, x: f64, top: f64, line: &str, font: Font, anchor: Anchor) {
    text_lines(m, x, top, &[line.to_string()], font, anchor, None);
}

pub(crate) fn rect<'a>(
    m: &mut Markup,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    fill: &'a str,
    extra: &[(&'static str, Val<'a>)],
) {
    let mut attrs: Vec<(&'static str, Val<'a>)> = vec![
        ("x", x.into()),
        ("y", y.into()),
        ("width", w.max(0.0).into()),
        ("height", h.max(0.0).into()),
        ("fill", fill.into()),
    ];
    attrs.extend(extra.iter().cloned());
    m.empty("rect", &attrs);
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn line(
    m: &mut Markup,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    stroke: &str,
    width: f64,
    dash: Option<&str>,
) {
    let mut attrs: Vec<(&'static str, Val<'_>)> = vec![
        ("x1", x1.into()),
        ("y1", y1.into()),
        ("x2", x2.into()),
        ("y2", y2.into()),
        ("stroke", stroke.into()),
        ("stroke-width", width.into()),
    ];
    if let Some(dash) = dash {
        attrs.push(("stroke-dasharray", dash.into()));
    }
    m.empty("line", &attrs);
}

/// A signed number for people: `+0.50`, `−0.33` (true minus sign), `0.00`.
pub(crate) fn signed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if zero {
        s
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// A number for people: fixed decimals, trailing zeros dropped, true minus sign.
pub(crate) fn plain(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let mut s = format!("{:.*}", decimals, v.abs());
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if v < 0.0 && s != "0" {
        format!("−{s}")
    } else {
        s
    }
}

/// [`plain`] with at least `decimals` decimals, and more for small values so that at least two
/// significant digits show: 0.004 days is `0.004`, not `0`.
pub(crate) fn significant(v: f64, decimals: usize) -> String {
    if v == 0.0 || !v.is_finite() || v.abs() >= 1.0 {
        return plain(v, decimals);
    }
    let magnitude = -(v.abs().log10().floor() as i64);
    plain(v, decimals.max((magnitude + 1).clamp(0, 12) as usize))
}

/// A metric value with its unit: `58%`, `1650 RUB`; a `share` (0–1, what `apply` writes) as a
/// percentage.
pub(crate) fn with_unit(v: f64, unit: Option<&str>) -> String {
    let n = significant(v, 2);
    match unit.map(clean).filter(|u| !u.is_empty()) {
        Some(u) if u == "%" => format!("{n}%"),
        Some(u) if u == "share" => format!("{}%", significant(v * 100.0, 1)),
        Some(u) => format!("{n} {u}"),
        None => n,
    }
}

/// A curve to draw.
pub(crate) struct DrawCurve {
    pub label: String,
    pub colour: &'static str,
    /// The combined (all customers) curve.
    pub combined: bool,
    /// Index among the persona curves (for the x offset), 0 for the combined one.
    pub slot: usize,
    /// Drawn dashed (the as-is curve of a comparison).
    pub dashed: bool,
    pub curve: EmotionCurve,
}

/// The curves to draw and which one carries the valley and peak marks.
pub(crate) struct CurveSet {
    pub curves: Vec<DrawCurve>,
    pub reference: Option<usize>,
    /// Number of persona curves (for x offsets).
    pub persona_count: usize,
}

/// Without personas: everyone's curve. With one selected persona: its curve. Otherwise
/// everyone's curve (marked) under one curve per selected persona.
pub(crate) fn curve_set(
    journey: &Journey,
    options: &RenderOptions,
    palette: &Palette,
    labels: &Labels,
) -> CurveSet {
    let selected: Vec<(usize, &crate::model::Persona)> = journey
        .personas
        .iter()
        .enumerate()
        .filter(|(_, p)| options.personas.is_empty() || options.personas.contains(&p.id))
        .collect();
    let mut curves = Vec::new();
    let combined = || {
        emotion_curve(journey, None).ok().map(|curve| DrawCurve {
            label: labels.everyone.to_string(),
            colour: palette.combined,
            combined: true,
            slot: 0,
            dashed: false,
            curve,
        })
    };
    if journey.personas.is_empty() || selected.is_empty() {
        curves.extend(combined());
    } else {
        if selected.len() > 1 {
            curves.extend(combined());
        }
        for (slot, (index, persona)) in selected.iter().enumerate() {
            if let Ok(curve) = emotion_curve(journey, Some(&persona.id)) {
                curves.push(DrawCurve {
                    label: clean(&persona.name),
                    colour: palette.persona(*index),
                    combined: false,
                    slot,
                    dashed: false,
                    curve,
                });
            }
        }
    }
    let persona_count = curves.iter().filter(|c| !c.combined).count();
    let reference = if curves.is_empty() { None } else { Some(0) };
    CurveSet {
        curves,
        reference,
        persona_count,
    }
}

/// For each point of a curve, the index of its slot among `slots` (stage id, touchpoint id), in
/// order: a cursor walks forward so repeated ids still land on the right slot.
pub(crate) fn point_slots(curve: &EmotionCurve, slots: &[(&str, &str)]) -> Vec<Option<usize>> {
    let mut cursor = 0;
    curve
        .points
        .iter()
        .map(|p| {
            let found = slots
                .iter()
                .enumerate()
                .skip(cursor)
                .find(|(_, (s, t))| *s == p.stage && *t == p.touchpoint)
                .map(|(i, _)| i);
            if let Some(i) = found {
                cursor = i + 1;
            }
            found
        })
        .collect()
}

/// x offset of a persona curve so overlapping lines stay visible.
pub(crate) fn persona_offset(slot: usize, count: usize) -> f64 {
    if count < 2 {
        return 0.0;
    }
    (slot as f64 - (count as f64 - 1.0) / 2.0) * 3.0
}

/// y of a normalised value in a plot from `top` (value +1) to `top + height` (value −1).
pub(crate) fn value_y(value: f64, top: f64, height: f64) -> f64 {
    let v = if value.is_finite() {
        value.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    top + (1.0 - v) / 2.0 * height
}

/// Draws the curves of a set into a plot: `xs[slot]` is the centre of each slot.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_curves(
    m: &mut Markup,
    set: &CurveSet,
    slots: &[(&str, &str)],
    xs: &[f64],
    top: f64,
    height: f64,
    palette: &Palette,
    labels: &Labels,
) {
    for dc in &set.curves {
        let idx = point_slots(&dc.curve, slots);
        let dx = if dc.combined {
            0.0
        } else {
            persona_offset(dc.slot, set.persona_count)
        };
        let pts: Vec<(f64, f64)> = dc
            .curve
            .points
            .iter()
            .zip(&idx)
            .filter_map(|(p, i)| {
                let x = xs.get((*i)?)?;
                Some((x + dx, value_y(p.value, top, height)))
            })
            .collect();
        let faint = dc.combined && set.persona_count > 0;
        let width = if faint { 7.0 } else { 2.5 };
        let opacity = if faint { 0.18 } else { 1.0 };
        m.open(
            "g",
            &[
                (
                    "class",
                    if dc.combined {
                        "curve curve-all"
                    } else {
                        "curve"
                    }
                    .into(),
                ),
                (
                    "data-persona",
                    dc.curve.persona.as_deref().unwrap_or("").into(),
                ),
            ],
        );
        if pts.len() > 1 {
            let points: Vec<String> = pts
                .iter()
                .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                .collect();
            m.empty(
                "polyline",
                &[
                    ("points", points.join(" ").into()),
                    ("fill", "none".into()),
                    ("stroke", dc.colour.into()),
                    ("stroke-width", width.into()),
                    ("stroke-opacity", opacity.into()),
                    ("stroke-linejoin", "round".into()),
                    ("stroke-linecap", "round".into()),
                ],
            );
        }
        if !faint {
            for (x, y) in &pts {
                m.empty(
                    "circle",
                    &[
                        ("class", "pt".into()),
                        ("cx", (*x).into()),
                        ("cy", (*y).into()),
                        ("r", 4.0.into()),
                        ("fill", dc.colour.into()),
                        ("stroke", palette.background.into()),
                        ("stroke-width", 1.5.into()),
                    ],
                );
            }
        }
        m.close("g");
        m.newline();
    }
    // Marks go on top of every line.
    if let Some(dc) = set.reference.and_then(|i| set.curves.get(i)) {
        let idx = point_slots(&dc.curve, slots);
        mark_extremes(m, dc, &idx, xs, top, height, palette, labels);
    }
}

/// Rings and labels on the valleys and the peak of a curve.
#[allow(clippy::too_many_arguments)]
fn mark_extremes(
    m: &mut Markup,
    dc: &DrawCurve,
    idx: &[Option<usize>],
    xs: &[f64],
    top: f64,
    height: f64,
    palette: &Palette,
    labels: &Labels,
) {
    let Some(stats) = &dc.curve.stats else {
        return;
    };
    let at = |index: usize| -> Option<(f64, f64)> {
        let point = dc.curve.points.get(index)?;
        let x = xs.get((*idx.get(index)?)?)?;
        Some((*x, value_y(point.value, top, height)))
    };
    let small = Font::new(10.5, 13.0, palette.valley)
        .bold()
        .halo(palette.background);
    for valley in &stats.valleys {
        if let Some((x, y)) = at(valley.index) {
            let lowest = stats.lowest.iter().any(|l| l.index == valley.index);
            m.empty(
                "circle",
                &[
                    ("class", "valley".into()),
                    ("cx", x.into()),
                    ("cy", y.into()),
                    ("r", 9.0.into()),
                    ("fill", "none".into()),
                    ("stroke", palette.valley.into()),
                    ("stroke-width", 2.0.into()),
                ],
            );
            let word = if lowest { labels.lowest } else { labels.valley };
            let text = format!("▼ {word} {}", signed(valley.value, 2));
            text_line(m, x, y + 11.0, &text, small, Anchor::Middle);
        }
    }
    if stats.points > 1
        && stats.peak.value > 0.0
        && let Some((x, y)) = at(stats.peak.index)
    {
        m.empty(
            "circle",
            &[
                ("class", "peak".into()),
                ("cx", x.into()),
                ("cy", y.into()),
                ("r", 9.0.into()),
                ("fill", "none".into()),
                ("stroke", palette.peak.into()),
                ("stroke-width", 2.0.into()),
            ],
        );
        let text = format!("▲ {} {}", labels.peak, signed(stats.peak.value, 2));
        text_line(
            m,
            x,
            y - 24.0,
            &text,
            Font {
                fill: palette.peak,
                ..small
            },
            Anchor::Middle,
        );
    }
}

/// Where a legend of curves goes: one entry per curve of its set, in order.
pub(crate) struct LegendLayout {
    pub entries: Vec<LegendEntry>,
    pub height: f64,
}

/// One curve's key: a short line sample, then its label.
pub(crate) struct LegendEntry {
    /// Left end of the line sample.
    pub x: f64,
    /// Top of the entry's row.
    pub top: f64,
    pub label: String,
}

/// Legend label size and line height.
const LEGEND_FONT: (f64, f64) = (11.0, 14.0);
/// Height of a legend row.
const LEGEND_ROW: f64 = 18.0;
/// Length of an entry's line sample.
const LEGEND_SAMPLE: f64 = 20.0;
/// From an entry's left end to its label.
const LEGEND_LABEL_X: f64 = 26.0;
/// Space after an entry's label, before the next entry.
const LEGEND_SPACING: f64 = 18.0;

/// Lays out a horizontal legend of curves starting at (x, top), wrapping at `right`.
pub(crate) fn lay_out_curve_legend(set: &CurveSet, x: f64, top: f64, right: f64) -> LegendLayout {
    let mut cx = x;
    let mut row = 0.0;
    let mut entries = Vec::with_capacity(set.curves.len());
    for dc in &set.curves {
        let label = super::text::one_line(&dc.label, 40);
        let w =
            LEGEND_LABEL_X + super::text::px_width(&label, LEGEND_FONT.0, false) + LEGEND_SPACING;
        if cx > x && cx + w > right {
            cx = x;
            row += LEGEND_ROW;
        }
        entries.push(LegendEntry {
            x: cx,
            top: top + row,
            label,
        });
        cx += w;
    }
    let height = if set.curves.is_empty() {
        0.0
    } else {
        row + LEGEND_ROW
    };
    LegendLayout { entries, height }
}

/// Draws a legend laid out by [`lay_out_curve_legend`] for the same set.
pub(crate) fn draw_curve_legend(
    m: &mut Markup,
    set: &CurveSet,
    layout: &LegendLayout,
    palette: &Palette,
) {
    let font = Font::new(LEGEND_FONT.0, LEGEND_FONT.1, palette.text);
    for (dc, entry) in set.curves.iter().zip(&layout.entries) {
        // The sample sits at the middle of the label's first line.
        let y = entry.top + 8.0;
        let faint = dc.combined && set.persona_count > 0;
        let mut attrs: Vec<(&'static str, Val)> = vec![
            ("x1", entry.x.into()),
            ("y1", y.into()),
            ("x2", (entry.x + LEGEND_SAMPLE).into()),
            ("y2", y.into()),
            ("stroke", dc.colour.into()),
            ("stroke-width", if faint { 7.0 } else { 2.5 }.into()),
            ("stroke-opacity", if faint { 0.18 } else { 1.0 }.into()),
        ];
        if dc.dashed {
            attrs.push(("stroke-dasharray", "5 3".into()));
        } else {
            attrs.push(("stroke-linecap", "round".into()));
        }
        m.empty("line", &attrs);
        text_line(
            m,
            entry.x + LEGEND_LABEL_X,
            entry.top + 1.0,
            &entry.label,
            font,
            Anchor::Start,
        );
    }
}

/// A horizontal legend of curves starting at (x, top), wrapping at `right`; returns its height
/// (drawn only when `draw`; the charts measure first, then draw).
pub(crate) fn curve_legend(
    m: &mut Markup,
    set: &CurveSet,
    x: f64,
    top: f64,
    right: f64,
    palette: &Palette,
    draw: bool,
) -> f64 {
    let layout = lay_out_curve_legend(set, x, top, right);
    if draw {
        draw_curve_legend(m, set, &layout, palette);
    }
    layout.height
}

#[cfg(test)]
mod tests {
    use super::{significant, with_unit};

    #[test]
    fn small_values_keep_two_significant_digits() {
        // 0.004 days used to print as "0 days".
        assert_eq!(with_unit(0.004, Some("days")), "0.004 days");
        assert_eq!(significant(0.0412, 2), "0.041");
        assert_eq!(significant(2.5, 2), "2.5");
        assert_eq!(significant(0.0, 2), "0");
        assert_eq!(with_unit(0.00042, Some("share")), "0.042%");
    }
}
