//! The self-contained HTML report: inline CSS and SVG, no scripts, no external resources.

use std::fmt::Write as _;

use super::charts::render_comparison_svg;
use super::common::{plain, signed, with_unit};
use super::i18n::Labels;
use super::map::render_svg;
use super::markup::{Markup, Val};
use super::text::{clean, one_line};
use super::theme::Palette;
use super::{RenderOptions, ReportOptions};
use crate::error::Result;
use crate::model::{Journey, Metric};
use crate::score::{
    ComponentKind, FrictionWeights, Gap, GapKind, PersonaDivergence, TargetStatus, analyze_gaps,
    compare_journeys, friction, health, metric_status, metric_statuses, plan,
};
use crate::validate::ValidateOptions;

/// Stylesheet: colours from the theme, nothing from the file, nothing fetched.
fn css(p: &Palette) -> String {
    let mut heat = String::new();
    for bucket in 0..=10 {
        let (fill, ink) = p.heat(bucket as f64 * 10.0);
        let _ = writeln!(heat, ".h{bucket}{{background:{fill};color:{ink}}}");
    }
    format!(
        r#"*{{box-sizing:border-box}}
html{{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
body{{margin:0;padding:24px 32px;background:{bg};color:{text};font-family:{font};font-size:14px;line-height:1.45}}
h1{{font-size:26px;margin:0 0 4px}}
h2{{font-size:20px;margin:0 0 12px;padding-bottom:4px;border-bottom:2px solid {grid}}}
h3{{font-size:16px;margin:18px 0 8px}}
section{{margin:0 0 36px}}
.meta,.muted{{color:{muted}}}
.desc{{max-width:70em}}
.scroll{{overflow-x:auto;border:1px solid {grid};border-radius:6px}}
.scroll svg{{display:block}}
.cards{{display:flex;flex-wrap:wrap;gap:12px}}
.card{{flex:1 1 200px;max-width:320px;border:1px solid {border};border-radius:8px;padding:10px 14px;background:{card}}}
.card .k{{color:{muted};font-size:12px;text-transform:uppercase;letter-spacing:.03em}}
.card .v{{font-size:22px;font-weight:bold}}
.card .d{{color:{muted};font-size:12px}}
table{{border-collapse:collapse;width:100%;font-size:13px}}
th,td{{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid {grid}}}
th{{background:{gutter};font-weight:bold}}
td.n,th.n{{text-align:right;white-space:nowrap}}
.badge{{display:inline-block;min-width:1.8em;text-align:center;border-radius:4px;padding:0 4px;font-weight:bold}}
.met{{color:{met};font-weight:bold}}
.at_risk{{color:{at_risk};font-weight:bold}}
.missed{{color:{missed};font-weight:bold}}
.unknown{{color:{unknown}}}
.better{{color:{better};font-weight:bold}}
.worse{{color:{worse};font-weight:bold}}
.high{{color:{at_risk};font-weight:bold}}
.flag{{color:{missed}}}
code{{font-size:12px;color:{muted}}}
footer{{color:{muted};font-size:12px}}
{heat}@media print{{
@page{{size:A4 landscape;margin:10mm}}
body{{padding:0;font-size:11pt}}
section{{break-before:page;page-break-before:always;margin:0}}
section.first{{break-before:auto;page-break-before:auto}}
.scroll{{overflow:visible;border:none}}
.scroll svg{{width:100%;height:auto}}
table{{font-size:9pt}}
tr,.card{{break-inside:avoid;page-break-inside:avoid}}
thead{{display:table-header-group}}
}}
"#,
        bg = p.background,
        text = p.text,
        font = super::common::FONT,
        grid = p.grid,
        muted = p.muted,
        border = p.card_border,
        card = p.card,
        gutter = p.gutter,
        met = p.met,
        at_risk = p.at_risk_ink,
        missed = p.missed,
        unknown = p.unknown,
        better = p.better,
        worse = p.worse,
    )
}

fn heat_class(index: f64) -> &'static str {
    const CLASSES: [&str; 11] = [
        "h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10",
    ];
    let bucket = if index.is_finite() {
        (index.clamp(0.0, 100.0) / 10.0).round() as usize
    } else {
        0
    };
    CLASSES.get(bucket).copied().unwrap_or("h0")
}

fn target_class(status: TargetStatus) -> &'static str {
    match status {
        TargetStatus::Met => "met",
        TargetStatus::AtRisk => "at_risk",
        TargetStatus::Missed => "missed",
        TargetStatus::Unknown => "unknown",
    }
}

/// Stage and touchpoint names by id, for tables.
struct Names<'a> {
    journey: &'a Journey,
}

impl Names<'_> {
    fn stage(&self, id: Option<&str>) -> String {
        id.map_or_else(String::new, |id| {
            self.journey
                .stages
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| clean(id), |s| clean(&s.name))
        })
    }

    fn touchpoint(&self, id: Option<&str>) -> String {
        id.map_or_else(String::new, |id| {
            self.journey
                .touchpoints()
                .find(|(_, t)| t.id == id)
                .map_or_else(|| clean(id), |(_, t)| clean(&t.name))
        })
    }

    fn place(&self, stage: Option<&str>, tp: Option<&str>, labels: &Labels) -> String {
        match (stage, tp) {
            (_, Some(_)) => {
                let s = self.stage(stage);
                let t = self.touchpoint(tp);
                if s.is_empty() {
                    t
                } else {
                    format!("{s} › {t}")
                }
            }
            (Some(_), None) => self.stage(stage),
            (None, None) => labels.journey_level.to_string(),
        }
    }

    fn pain(&self, id: &str) -> String {
        let pains = self.journey.stages.iter().flat_map(|s| {
            s.pain_points
                .iter()
                .chain(s.touchpoints.iter().flat_map(|t| &t.pain_points))
        });
        for p in pains {
            if p.id == id {
                return one_line(&p.description, 70);
            }
        }
        clean(id)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A gap in the report's language where the parts are known: a pain point's own description
/// with its severity and reach, a metric's value against its target; else the analysis message.
fn gap_text(g: &Gap, journey: &Journey, divergence: &[PersonaDivergence], l: &Labels) -> String {
    let stage = journey
        .stages
        .iter()
        .find(|s| Some(&s.id) == g.stage.as_ref());
    match g.kind {
        GapKind::PainPoint => {
            let pain = stage.and_then(|s| {
                let mut pains = s.pain_points.iter().chain(
                    s.touchpoints
                        .iter()
                        .filter(|t| Some(&t.id) == g.touchpoint.as_ref())
                        .flat_map(|t| &t.pain_points),
                );
                pains.find(|p| p.id == g.subject)
            });
            match pain {
                Some(p) => {
                    let share = p
                        .share_affected
                        .filter(|v| v.is_finite())
                        .map(|v| {
                            format!(", {}% {}", plain(v.clamp(0.0, 1.0) * 100.0, 0), l.customers)
                        })
                        .unwrap_or_default();
                    format!(
                        "{} ({} {}/5{share})",
                        clean(&p.description),
                        l.severity.to_lowercase(),
                        p.severity.clamp(1, 5)
                    )
                }
                None => clean(&g.message),
            }
        }
        GapKind::MetricTarget => {
            let metrics: Vec<&Metric> = match (stage, g.touchpoint.as_ref()) {
                (None, _) => journey.metrics.iter().collect(),
                (Some(s), None) => s.metrics.iter().collect(),
                (Some(s), Some(tp)) => s
                    .touchpoints
                    .iter()
                    .filter(|t| &t.id == tp)
                    .flat_map(|t| &t.metrics)
                    .collect(),
            };
            let found = metrics.into_iter().find_map(|m| {
                let status = metric_status(m, g.stage.as_deref(), g.touchpoint.as_deref());
                (status.metric == g.subject).then_some((m, status))
            });
            match found {
                Some((m, status)) => {
                    let unit = m.unit.as_deref();
                    let show =
                        |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| with_unit(v, unit));
                    format!(
                        "{}: {} ({} {})",
                        clean(&status.metric),
                        show(status.value),
                        l.target,
                        show(status.target)
                    )
                }
                None => clean(&g.message),
            }
        }
        // Written in the report's language from the journey, not the analysis message.
        GapKind::ExpectationUnmet | GapKind::NegativeEmotion => {
            let tp = journey
                .touchpoints()
                .find(|(_, t)| Some(&t.id) == g.touchpoint.as_ref())
                .map(|(_, t)| t);
            // severity = −emotion ÷ 2 for these gaps (score/gaps.rs).
            let emotion = signed(-2.0 * g.severity, 2);
            match tp {
                Some(t) if g.kind == GapKind::ExpectationUnmet && !t.expectations.is_empty() => {
                    let expected: Vec<String> = t
                        .expectations
                        .iter()
                        .map(|e| format!("«{}»", clean(e)))
                        .collect();
                    format!(
                        "{}: {} ({} {emotion})",
                        expected.join("; "),
                        l.expected_but_low,
                        l.emotion.to_lowercase()
                    )
                }
                Some(_) => format!(
                    "{} ({} {emotion})",
                    l.low_without_cause,
                    l.emotion.to_lowercase()
                ),
                None => clean(&g.message),
            }
        }
        GapKind::PersonaDivergence => {
            let found = divergence.iter().find(|d| {
                Some(&d.touchpoint) == g.touchpoint.as_ref() && Some(&d.stage) == g.stage.as_ref()
            });
            match found {
                Some(d) => d
                    .scores
                    .iter()
                    .map(|s| {
                        let name = journey
                            .personas
                            .iter()
                            .find(|p| p.id == s.persona)
                            .map_or_else(|| clean(&s.persona), |p| clean(&p.name));
                        format!("{name} {}", signed(s.value, 2))
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                None => clean(&g.message),
            }
        }
        _ => clean(&g.message),
    }
}

fn th(m: &mut Markup, text: &str, numeric: bool) {
    if numeric {
        m.elem("th", &[("class", "n".into())], text);
    } else {
        m.elem("th", &[], text);
    }
}

fn td(m: &mut Markup, text: &str) {
    m.elem("td", &[], text);
}

fn td_n(m: &mut Markup, text: &str) {
    m.elem("td", &[("class", "n".into())], text);
}

fn td_class(m: &mut Markup, class: &'static str, text: &str) {
    m.elem("td", &[("class", class.into())], text);
}

fn head(m: &mut Markup, columns: &[(&str, bool)]) {
    m.open("thead", &[]);
    m.open("tr", &[]);
    for (c, numeric) in columns {
        th(m, c, *numeric);
    }
    m.close("tr");
    m.close("thead");
    m.newline();
}

fn card(m: &mut Markup, key: &str, value: &str, class: Option<&'static str>, detail: &str) {
    m.open("div", &[("class", "card".into())]);
    m.elem("div", &[("class", "k".into())], key);
    let class = match class {
        Some(c) => format!("v {c}"),
        None => "v".to_string(),
    };
    m.elem("div", &[("class", class.into())], value);
    if !detail.is_empty() {
        m.elem("div", &[("class", "d".into())], detail);
    }
    m.close("div");
    m.newline();
}

fn funnel_title(language: super::Language) -> String {
    match language {
        super::Language::En => "Funnel (from event data)".into(),
        super::Language::Ru => "Воронка (по данным событий)".into(),
    }
}

fn section_open(m: &mut Markup, id: &'static str, first: bool, title: &str) {
    let class: Val = if first { "first".into() } else { "".into() };
    m.open("section", &[("id", id.into()), ("class", class)]);
    m.elem("h2", &[], title);
    m.newline();
}

fn percent(v: f64) -> String {
    format!("{}%", plain(v * 100.0, 0))
}

fn summary(m: &mut Markup, journey: &Journey, options: &ReportOptions, l: &Labels, names: &Names) {
    let validate_options = ValidateOptions {
        today: options.today.clone(),
        ..ValidateOptions::default()
    };
    let h = health(journey, &validate_options, &FrictionWeights::default());
    section_open(m, "summary", true, l.summary);
    m.open("div", &[("class", "cards".into())]);
    if let Some(curve) = &h.curve {
        card(
            m,
            l.mean_emotion,
            &signed(curve.mean, 2),
            Some(if curve.mean < 0.0 { "missed" } else { "met" }),
            &format!(
                "{} {} · {} {}",
                percent(curve.share_positive),
                l.share_positive,
                l.peak_end,
                signed(curve.peak_end, 2)
            ),
        );
        if let Some(low) = curve.lowest.first() {
            card(
                m,
                l.lowest_point,
                &signed(low.value, 2),
                Some("missed"),
                &names.place(Some(&low.stage), Some(&low.touchpoint), l),
            );
        }
    }
    if let Some(index) = h.friction {
        card(
            m,
            l.friction_index,
            &format!("{}/100", plain(index, 0)),
            None,
            &format!("{} {}", l.coverage, percent(h.friction_coverage)),
        );
    }
    let t = &h.targets;
    card(
        m,
        l.targets,
        &format!("{} / {} / {}", t.met, t.at_risk, t.missed),
        None,
        &format!(
            "{} · {} · {} · {} {}",
            l.target_status(TargetStatus::Met),
            l.target_status(TargetStatus::AtRisk),
            l.target_status(TargetStatus::Missed),
            t.unknown,
            l.target_status(TargetStatus::Unknown)
        ),
    );
    card(
        m,
        l.evidence_coverage,
        &percent(h.evidence_coverage),
        None,
        "",
    );
    card(
        m,
        l.unaddressed_count,
        &h.unaddressed_pain_points.to_string(),
        Some(if h.unaddressed_pain_points > 0 {
            "missed"
        } else {
            "met"
        }),
        "",
    );
    card(
        m,
        l.high_without_owner,
        &h.high_priority_without_owner.to_string(),
        Some(if h.high_priority_without_owner > 0 {
            "at_risk"
        } else {
            "met"
        }),
        "",
    );
    if let Some(days) = h.days_since_update {
        card(m, l.days_since_update, &days.to_string(), None, "");
    }
    card(
        m,
        l.problems,
        &format!("{} / {}", h.errors, h.warnings),
        Some(if h.errors > 0 { "missed" } else { "met" }),
        &format!("{} / {}", l.errors, l.warnings),
    );
    m.close("div");
    m.close("section");
    m.newline();
}

fn gaps_table(
    m: &mut Markup,
    gaps: &[Gap],
    divergence: &[PersonaDivergence],
    l: &Labels,
    names: &Names,
) {
    section_open(m, "gaps", false, l.gaps);
    if gaps.is_empty() {
        m.elem("p", &[("class", "muted".into())], l.no_gaps);
        m.close("section");
        return;
    }
    m.open("table", &[]);
    head(
        m,
        &[
            (l.rank, true),
            (l.severity, true),
            (l.kind, false),
            (l.stage, false),
            (l.description, false),
            (l.evidence, false),
        ],
    );
    m.open("tbody", &[]);
    for (i, g) in gaps.iter().enumerate() {
        m.open("tr", &[]);
        td_n(m, &(i + 1).to_string());
        td_n(m, &plain(g.severity, 2));
        td(m, l.gap_kind(g.kind));
        td(
            m,
            &names.place(g.stage.as_deref(), g.touchpoint.as_deref(), l),
        );
        td(m, &gap_text(g, names.journey, divergence, l));
        m.open("td", &[]);
        m.elem("code", &[], &g.evidence.join(", "));
        m.close("td");
        m.close("tr");
        m.newline();
    }
    m.close("tbody");
    m.close("table");
    m.close("section");
    m.newline();
}

fn plan_table(m: &mut Markup, journey: &Journey, l: &Labels, names: &Names) {
    let gaps = analyze_gaps(journey);
    let plan = plan(journey, &gaps);
    section_open(m, "plan", false, l.plan);
    if plan.items.is_empty() {
        m.elem("p", &[("class", "muted".into())], l.no_opportunities);
    } else {
        m.open("table", &[]);
        head(
            m,
            &[
                (l.rank, true),
                (l.opportunity, false),
                (l.score, true),
                (l.addresses, false),
                (l.stage, false),
                (l.owner, false),
                (l.due, false),
                (l.status, false),
                (l.flags, false),
            ],
        );
        m.open("tbody", &[]);
        for item in &plan.items {
            m.open("tr", &[]);
            td_n(m, &item.rank.to_string());
            m.open("td", &[]);
            m.elem("strong", &[], &clean(&item.title));
            if item.high_priority {
                m.text(" ");
                m.elem(
                    "span",
                    &[("class", "high".into())],
                    &format!("★ {}", l.high_priority),
                );
            }
            m.close("td");
            let score = match item.score {
                Some(s) => format!("{} {}", plain(s, 2), l.score_method(item.method)),
                None => l.score_method(item.method).to_string(),
            };
            td_n(m, &score);
            m.open("td", &[]);
            for (i, id) in item.addresses.iter().enumerate() {
                if i > 0 {
                    m.empty("br", &[]);
                }
                m.text(&names.pain(id));
            }
            m.close("td");
            td(
                m,
                &names.place(item.stage.as_deref(), item.touchpoint.as_deref(), l),
            );
            td(m, &item.owner.as_deref().map(clean).unwrap_or_default());
            td(m, &item.due.as_deref().map(clean).unwrap_or_default());
            td(m, l.opportunity_status(item.status));
            let flags: Vec<&str> = item.flags.iter().map(|f| l.plan_flag(*f)).collect();
            td_class(m, "flag", &flags.join(", "));
            m.close("tr");
            m.newline();
        }
        m.close("tbody");
        m.close("table");
    }
    m.elem("h3", &[], l.unaddressed);
    if plan.unaddressed_pain_points.is_empty() {
        m.elem("p", &[("class", "muted".into())], l.nothing_unaddressed);
    } else {
        m.open("table", &[]);
        head(
            m,
            &[(l.severity, true), (l.stage, false), (l.description, false)],
        );
        m.open("tbody", &[]);
        for u in &plan.unaddressed_pain_points {
            m.open("tr", &[]);
            td_n(m, &plain(u.severity, 2));
            td(
                m,
                &names.place(u.stage.as_deref(), u.touchpoint.as_deref(), l),
            );
            let gap = Gap {
                kind: GapKind::PainPoint,
                severity: u.severity,
                stage: u.stage.clone(),
                touchpoint: u.touchpoint.clone(),
                subject: u.pain_point.clone(),
                message: u.message.clone(),
                evidence: Vec::new(),
            };
            // A pain point's text needs no persona divergence.
            td(m, &gap_text(&gap, journey, &[], l));
            m.close("tr");
            m.newline();
        }
        m.close("tbody");
        m.close("table");
    }
    m.close("section");
    m.newline();
}

fn friction_table(m: &mut Markup, journey: &Journey, l: &Labels) {
    let report = friction(journey, &FrictionWeights::default());
    section_open(m, "friction", false, l.friction_table);
    m.open("table", &[]);
    head(
        m,
        &[
            (l.stage, false),
            (l.touchpoint, false),
            (l.index, true),
            (&capitalise(l.coverage), true),
            (l.top_components, false),
        ],
    );
    m.open("tbody", &[]);
    // The report lists touchpoints in journey order, one per touchpoint.
    for ((stage, _), tp) in journey.touchpoints().zip(&report.touchpoints) {
        m.open("tr", &[]);
        let stage_name = stage.name.as_str();
        td(m, &clean(stage_name));
        td(m, &clean(&tp.name));
        match tp.score.index {
            Some(index) => {
                m.open("td", &[("class", "n".into())]);
                m.elem(
                    "span",
                    &[("class", format!("badge {}", heat_class(index)).into())],
                    &plain(index, 0),
                );
                m.close("td");
            }
            None => td_n(m, "–"),
        }
        td_n(m, &percent(tp.score.coverage));
        let mut parts: Vec<(ComponentKind, f64)> = tp
            .score
            .components
            .iter()
            .filter(|c| c.contribution > 0.05)
            .map(|c| (c.kind, c.contribution))
            .collect();
        parts.sort_by(|a, b| b.1.total_cmp(&a.1));
        let text: Vec<String> = parts
            .iter()
            .take(3)
            .map(|(k, c)| format!("{} {}", l.component(*k), plain(*c, 1)))
            .collect();
        td(m, &text.join(" · "));
        m.close("tr");
        m.newline();
    }
    m.close("tbody");
    m.close("table");
    m.close("section");
    m.newline();
}

fn metrics_table(m: &mut Markup, journey: &Journey, l: &Labels, names: &Names) {
    let statuses = metric_statuses(journey);
    if statuses.is_empty() {
        return;
    }
    // The metrics, in the same document order as `metric_statuses`.
    let mut metrics: Vec<&Metric> = journey.metrics.iter().collect();
    for stage in &journey.stages {
        metrics.extend(&stage.metrics);
        for tp in &stage.touchpoints {
            metrics.extend(&tp.metrics);
        }
    }
    section_open(m, "metrics", false, l.metrics_table);
    m.open("table", &[]);
    head(
        m,
        &[
            (l.stage, false),
            (l.metric, false),
            (l.value, true),
            (&capitalise(l.target), true),
            (l.status, false),
        ],
    );
    m.open("tbody", &[]);
    for (i, s) in statuses.iter().enumerate() {
        let metric = metrics.get(i).copied();
        let unit = metric.and_then(|m| m.unit.as_deref());
        m.open("tr", &[]);
        td(
            m,
            &names.place(s.stage.as_deref(), s.touchpoint.as_deref(), l),
        );
        td(
            m,
            &metric.map_or_else(|| clean(&s.metric), |x| l.metric_name(x)),
        );
        td_n(
            m,
            &s.value
                .map_or_else(|| "–".to_string(), |v| with_unit(v, unit)),
        );
        td_n(
            m,
            &s.target
                .map_or_else(|| "–".to_string(), |v| with_unit(v, unit)),
        );
        let word = if s.status == TargetStatus::Unknown && s.target.is_none() {
            l.no_target
        } else {
            l.target_status(s.status)
        };
        td_class(m, target_class(s.status), word);
        m.close("tr");
        m.newline();
    }
    m.close("tbody");
    m.close("table");
    m.close("section");
    m.newline();
}

fn change_cell(
    m: &mut Markup,
    before: Option<f64>,
    after: Option<f64>,
    change: Option<f64>,
    higher_is_better: bool,
    decimals: usize,
) {
    let text = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| plain(v, decimals));
    m.open("td", &[("class", "n".into())]);
    m.text(&format!("{} → {} ", text(before), text(after)));
    if let Some(c) = change {
        let good = if higher_is_better { c > 0.0 } else { c < 0.0 };
        let class = if c.abs() < 1e-9 {
            "muted"
        } else if good {
            "better"
        } else {
            "worse"
        };
        m.elem(
            "span",
            &[("class", class.into())],
            &format!("({})", signed(c, decimals)),
        );
    }
    m.close("td");
}

fn comparison(
    m: &mut Markup,
    as_is: &Journey,
    to_be: &Journey,
    render: &RenderOptions,
    l: &Labels,
) -> Result<()> {
    section_open(m, "comparison", false, l.comparison);
    let chart_options = RenderOptions {
        title: false,
        ..render.clone()
    };
    m.open("div", &[("class", "scroll".into())]);
    m.raw(&render_comparison_svg(as_is, to_be, &chart_options)?);
    m.close("div");
    let cmp = compare_journeys(as_is, to_be, &FrictionWeights::default());
    let names_to_be = Names { journey: to_be };
    let names_as_is = Names { journey: as_is };
    m.open("table", &[]);
    head(
        m,
        &[
            (l.touchpoint, false),
            (l.emotion, true),
            (l.friction_index, true),
        ],
    );
    m.open("tbody", &[]);
    for d in &cmp.touchpoints {
        m.open("tr", &[]);
        td(m, &names_to_be.touchpoint(Some(&d.touchpoint)));
        change_cell(
            m,
            d.emotion_before,
            d.emotion_after,
            d.emotion_change,
            true,
            2,
        );
        change_cell(
            m,
            d.friction_before,
            d.friction_after,
            d.friction_change,
            false,
            0,
        );
        m.close("tr");
        m.newline();
    }
    m.close("tbody");
    m.close("table");
    for (title, ids, names) in [
        (l.added, &cmp.added, &names_to_be),
        (l.removed, &cmp.removed, &names_as_is),
    ] {
        if ids.is_empty() {
            continue;
        }
        m.elem("h3", &[], title);
        m.open("ul", &[]);
        for id in ids {
            m.elem("li", &[], &names.touchpoint(Some(id)));
        }
        m.close("ul");
        m.newline();
    }
    if !cmp.worse.is_empty() {
        m.elem("h3", &[], l.worse_in_to_be);
        m.open("ul", &[]);
        for g in &cmp.worse {
            m.elem("li", &[], &clean(&g.message));
        }
        m.close("ul");
    }
    m.close("section");
    m.newline();
    Ok(())
}

/// The journey as one self-contained HTML page: the map, the health summary, the ranked gaps,
/// the improvement plan, friction and metrics tables, and (with `to_be`) an as-is vs to-be
/// section. Inline CSS and SVG only: no scripts, no external URLs, no fonts fetched (a
/// Content-Security-Policy meta tag forbids them too). Sections break pages when printed.
pub fn render_report_html(journey: &Journey, options: &ReportOptions) -> Result<String> {
    super::budget::check(
        super::estimate_report_html(journey, options),
        &options.render,
        "report",
    )?;
    let l = Labels::of(options.render.language);
    let p = Palette::of(options.render.theme);
    let names = Names { journey };
    let mut m = Markup::new();
    m.raw("<!DOCTYPE html>\n");
    m.open("html", &[("lang", l.lang.into())]);
    m.newline();
    m.open("head", &[]);
    m.empty("meta", &[("charset", "utf-8".into())]);
    m.empty(
        "meta",
        &[
            ("http-equiv", "Content-Security-Policy".into()),
            (
                "content",
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:".into(),
            ),
        ],
    );
    m.empty(
        "meta",
        &[
            ("name", "viewport".into()),
            ("content", "width=device-width, initial-scale=1".into()),
        ],
    );
    m.elem(
        "title",
        &[],
        &format!("{} — {}", clean(&journey.title), l.report),
    );
    m.open("style", &[]);
    m.raw(&css(p));
    m.close("style");
    m.close("head");
    m.newline();
    m.open("body", &[]);
    m.newline();
    m.open("header", &[]);
    m.elem("h1", &[], &clean(&journey.title));
    let mut facts = vec![l.state(journey.state).to_string()];
    if let Some(owner) = journey
        .owner
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
    {
        facts.push(format!("{}: {owner}", l.owner));
    }
    if let Some(updated) = journey
        .updated
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
    {
        facts.push(format!("{} {updated}", l.updated));
    }
    m.elem("p", &[("class", "meta".into())], &facts.join(" · "));
    if let Some(desc) = journey
        .description
        .as_deref()
        .map(clean)
        .filter(|s| !s.is_empty())
    {
        m.elem("p", &[("class", "desc".into())], &desc);
    }
    m.close("header");
    m.newline();
    summary(&mut m, journey, options, l, &names);
    section_open(&mut m, "map", false, l.map);
    m.open("div", &[("class", "scroll".into())]);
    let map_options = RenderOptions {
        title: false,
        ..options.render.clone()
    };
    m.raw(&render_svg(journey, &map_options)?);
    m.close("div");
    m.close("section");
    m.newline();
    let gaps = analyze_gaps(journey);
    gaps_table(&mut m, &gaps.gaps, &gaps.divergence, l, &names);
    plan_table(&mut m, journey, l, &names);
    friction_table(&mut m, journey, l);
    metrics_table(&mut m, journey, l, &names);
    if let Some(funnel) = &options.funnel {
        section_open(
            &mut m,
            "funnel",
            false,
            &funnel_title(options.render.language),
        );
        m.open("div", &[("class", "scroll".into())]);
        let chart = RenderOptions {
            title: false,
            ..options.render.clone()
        };
        m.raw(&super::render_funnel_svg(funnel, &chart)?);
        m.close("div");
        m.close("section");
        m.newline();
    }
    if let Some(to_be) = &options.to_be {
        comparison(&mut m, journey, to_be, &options.render, l)?;
    }
    m.elem("footer", &[], l.generated_note);
    m.newline();
    m.close("body");
    m.close("html");
    m.newline();
    Ok(m.finish())
}
