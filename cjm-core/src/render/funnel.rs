//! The funnel chart: users per step, conversion and drop-off.

use super::common::{Anchor, Font, open_svg, plain, rect, text_line};
use super::markup::Markup;
use super::text::{clean, one_line, one_line_px};
use super::theme::Palette;
use super::{Language, RenderOptions};
use crate::error::Result;
use crate::events::{FunnelGroup, FunnelResult};

const MARGIN: f64 = 16.0;
const NAME_W: f64 = 190.0;
const BAR_W: f64 = 520.0;
const ROW_H: f64 = 30.0;
const GAP_H: f64 = 20.0;

struct Words {
    title: &'static str,
    users: &'static str,
    of_start: &'static str,
    of_previous: &'static str,
    dropped: &'static str,
    window: &'static str,
}

fn words(language: Language) -> Words {
    match language {
        Language::En => Words {
            title: "Funnel",
            users: "users",
            of_start: "of start",
            of_previous: "of previous",
            dropped: "dropped",
            window: "window",
        },
        Language::Ru => Words {
            title: "Воронка",
            users: "польз.",
            of_start: "от входа",
            of_previous: "от предыдущего",
            dropped: "ушли",
            window: "окно",
        },
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| format!("{}%", plain(v * 100.0, 1)))
}

fn group_height(group: &FunnelGroup) -> f64 {
    28.0 + group.steps.len() as f64 * (ROW_H + GAP_H)
}

fn draw_group(
    m: &mut Markup,
    group: &FunnelGroup,
    top: f64,
    p: &Palette,
    w: &Words,
    colour: &'static str,
) {
    let label = group.group.as_deref().map_or_else(
        || format!("{} {}", group.users, w.users),
        |g| format!("{} ({} {})", one_line(&clean(g), 60), group.users, w.users),
    );
    text_line(
        m,
        MARGIN,
        top,
        &label,
        Font::new(13.0, 16.0, p.text).bold(),
        Anchor::Start,
    );
    let first = group.steps.first().map_or(0, |s| s.users).max(1) as f64;
    let left = MARGIN + NAME_W;
    for (i, step) in group.steps.iter().enumerate() {
        let y = top + 24.0 + i as f64 * (ROW_H + GAP_H);
        m.open(
            "g",
            &[
                ("class", "funnel-step".into()),
                ("data-step", step.step.as_str().into()),
            ],
        );
        text_line(
            m,
            left - 8.0,
            y + 8.0,
            &one_line_px(&step.step, NAME_W - 16.0, 12.0, false),
            Font::new(12.0, 15.0, p.text),
            Anchor::End,
        );
        rect(m, left, y, BAR_W, ROW_H, p.no_data, &[("rx", 3.0.into())]);
        let width = BAR_W * (step.users as f64 / first).clamp(0.0, 1.0);
        if width > 0.0 {
            rect(
                m,
                left,
                y,
                width,
                ROW_H,
                colour,
                &[
                    ("rx", 3.0.into()),
                    ("class", "bar".into()),
                    ("fill-opacity", "0.35".into()),
                ],
            );
        }
        let text = format!(
            "{} {} · {} {} · {} {}",
            step.users,
            w.users,
            pct(step.conversion_from_start),
            w.of_start,
            pct(step.conversion_from_previous),
            w.of_previous
        );
        text_line(
            m,
            left + 8.0,
            y + 8.0,
            &text,
            Font::new(11.5, 14.0, p.text).bold(),
            Anchor::Start,
        );
        if i > 0 && step.dropped > 0 {
            let (fill, _) = p.heat(step.drop_off.unwrap_or(0.0) * 100.0);
            let note = format!("▼ {} {} ({})", step.dropped, w.dropped, pct(step.drop_off));
            rect(
                m,
                left + BAR_W + 10.0,
                y - GAP_H + 2.0,
                8.0,
                GAP_H - 4.0,
                &fill,
                &[],
            );
            text_line(
                m,
                left + BAR_W + 24.0,
                y - GAP_H + 3.0,
                &note,
                Font::new(11.0, 14.0, p.muted),
                Anchor::Start,
            );
        }
        m.close("g");
    }
}

/// The funnel as SVG: one bar per step (the whole population, then each breakdown group),
/// with conversion from the start and from the previous step, and the users who dropped.
pub fn render_funnel_svg(result: &FunnelResult, options: &RenderOptions) -> Result<String> {
    super::budget::check(
        super::estimate_funnel_svg(result, options),
        options,
        "funnel chart",
    )?;
    let p = Palette::of(options.theme);
    let w = words(options.language);
    let title = format!(
        "{}: {} ({} {})",
        w.title,
        result
            .steps
            .iter()
            .map(|s| one_line(&clean(s), 24))
            .collect::<Vec<_>>()
            .join(" → "),
        w.window,
        plain(result.window_seconds / 86400.0, 1) + "d"
    );
    let title_h = if options.title { 30.0 } else { 0.0 };
    let groups: Vec<&FunnelGroup> = std::iter::once(&result.total)
        .chain(&result.groups)
        .collect();
    let height =
        MARGIN * 2.0 + title_h + groups.iter().map(|g| group_height(g) + 12.0).sum::<f64>();
    let width = MARGIN * 2.0 + NAME_W + BAR_W + 200.0;
    let mut m = Markup::new();
    open_svg(&mut m, width, height, &title, p);
    if options.title {
        text_line(
            &mut m,
            MARGIN,
            MARGIN,
            &title,
            Font::new(16.0, 21.0, p.text).bold(),
            Anchor::Start,
        );
    }
    let mut top = MARGIN + title_h;
    for (i, group) in groups.iter().enumerate() {
        let colour = p.persona(i);
        draw_group(&mut m, group, top, p, &w, colour);
        top += group_height(group) + 12.0;
    }
    m.close("svg");
    m.newline();
    Ok(m.finish())
}
