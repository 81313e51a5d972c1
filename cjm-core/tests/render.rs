//! Rendering: the map, the charts and the report are well-formed, complete, safe for hostile
//! files, deterministic, and match the reviewed snapshots in `tests/expected/render/`.
//!
//! Regenerate the snapshots with `CJM_UPDATE_SNAPSHOTS=1 cargo test -p cjm-core --test render`
//! (then look at them as PNG before committing). `CJM_RENDER_OUT=dir` also writes every output
//! there, for looking at.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cjm_core::{
    EmotionScore, Format, Journey, Lane, Language, PainPoint, Persona, RenderOptions,
    ReportOptions, Stage, Theme, Touchpoint, escape_xml, parse_journey,
};

// The renderers, for journeys well within the output budget.
fn render_svg(journey: &Journey, options: &RenderOptions) -> String {
    cjm_core::render_svg(journey, options).expect("within the output budget")
}

fn render_curve_svg(journey: &Journey, options: &RenderOptions) -> String {
    cjm_core::render_curve_svg(journey, options).expect("within the output budget")
}

fn render_friction_svg(journey: &Journey, options: &RenderOptions) -> String {
    cjm_core::render_friction_svg(journey, options).expect("within the output budget")
}

fn render_comparison_svg(as_is: &Journey, to_be: &Journey, options: &RenderOptions) -> String {
    cjm_core::render_comparison_svg(as_is, to_be, options).expect("within the output budget")
}

fn render_report_html(journey: &Journey, options: &ReportOptions) -> String {
    cjm_core::render_report_html(journey, options).expect("within the output budget")
}

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn example(name: &str) -> Journey {
    let path = root().join("examples").join(name);
    let text = std::fs::read_to_string(&path).expect("example file");
    parse_journey(&text, Format::Yaml).expect("example loads")
}

fn sports() -> Journey {
    example("sports-nutrition/journey.yaml")
}

fn sports_to_be() -> Journey {
    example("sports-nutrition/journey-to-be.yaml")
}

fn ecommerce() -> Journey {
    example("ecommerce/journey.yaml")
}

fn ru() -> RenderOptions {
    RenderOptions {
        language: Language::Ru,
        ..RenderOptions::default()
    }
}

/// The SVG vocabulary the renderer emits; anything else in the output is a bug or an injection.
const SVG_ELEMENTS: &[&str] = &[
    "svg", "g", "rect", "text", "tspan", "line", "polyline", "circle", "title",
];

/// The HTML vocabulary of the report (plus the SVG one, inline).
const HTML_ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "section",
    "div", "table", "thead", "tbody", "tr", "th", "td", "strong", "span", "code", "br", "ul", "li",
    "footer",
];

fn parse(svg: &str) -> roxmltree::Document<'_> {
    // The report starts with `<!DOCTYPE html>`, a DTD to roxmltree.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(svg, options)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

/// Elements outside `allowed`, and attributes that could run or fetch anything.
fn check_safe(doc: &roxmltree::Document, allowed: &[&str]) {
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(allowed.contains(&name), "unexpected element <{name}>");
        for attr in node.attributes() {
            let key = attr.name().to_ascii_lowercase();
            assert!(!key.starts_with("on"), "event handler attribute {key}");
            assert!(
                !matches!(
                    key.as_str(),
                    "href" | "src" | "style" | "action" | "formaction"
                ),
                "attribute {key} must never be emitted"
            );
            let value = attr.value().to_ascii_lowercase();
            if !key.starts_with("data-") {
                // Ids from the file are kept verbatim in data-* attributes only (inert there).
                assert!(!value.contains("javascript:"), "{key}={value:?}");
                assert!(!value.contains("url("), "{key}={value:?}");
            }
        }
    }
}

fn group_text(node: roxmltree::Node, class: &str) -> Vec<String> {
    node.descendants()
        .filter(|n| n.is_element() && n.attribute("class") == Some(class))
        .map(|t| {
            t.descendants()
                .filter(|n| n.is_element() && n.tag_name().name() == "tspan")
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// -------------------------------------------------------------------------------------------
// Structure

fn check_map_structure(journey: &Journey, options: &RenderOptions) {
    let svg = render_svg(journey, options);
    let doc = parse(&svg);
    check_safe(&doc, SVG_ELEMENTS);
    for stage in &journey.stages {
        let groups: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("data-stage") == Some(stage.id.as_str()))
            .collect();
        assert_eq!(groups.len(), 1, "stage {}", stage.id);
        let names = group_text(groups[0], "stage-name");
        assert_eq!(names, vec![collapse(&stage.name)], "stage {}", stage.id);
        for tp in &stage.touchpoints {
            let groups: Vec<_> = doc
                .descendants()
                .filter(|n| n.attribute("data-touchpoint") == Some(tp.id.as_str()))
                .collect();
            assert_eq!(groups.len(), 1, "touchpoint {}", tp.id);
            assert_eq!(
                group_text(groups[0], "tp-name"),
                vec![collapse(&tp.name)],
                "touchpoint {}",
                tp.id
            );
            // The name is written once in the whole map.
            let everywhere = doc
                .descendants()
                .filter(|n| n.attribute("class") == Some("tp-name"))
                .filter(|n| {
                    group_text(n.parent().unwrap_or(*n), "tp-name").contains(&collapse(&tp.name))
                })
                .count();
            assert_eq!(everywhere, 1, "touchpoint {}", tp.id);
        }
    }
    let touchpoints = journey.touchpoints().count();
    assert_eq!(svg.matches("data-touchpoint=").count(), touchpoints);
    assert_eq!(svg.matches("data-stage=").count(), journey.stages.len());
}

#[test]
fn sports_nutrition_map_is_complete_xml() {
    check_map_structure(&sports(), &ru());
    check_map_structure(&sports_to_be(), &ru());
}

#[test]
fn ecommerce_map_is_complete_xml() {
    let journey = ecommerce();
    assert_eq!(journey.touchpoints().count(), 37);
    check_map_structure(&journey, &RenderOptions::default());
    check_map_structure(
        &journey,
        &RenderOptions {
            theme: Theme::Dark,
            ..RenderOptions::default()
        },
    );
}

#[test]
fn lanes_follow_the_options() {
    let journey = ecommerce();
    let options = RenderOptions {
        lanes: vec![Lane::Friction, Lane::Emotions, Lane::Friction],
        ..RenderOptions::default()
    };
    let svg = render_svg(&journey, &options);
    let doc = parse(&svg);
    let lanes: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-lane"))
        .collect();
    assert_eq!(lanes, vec!["friction", "emotions"]);
    assert!(
        !svg.contains("data-touchpoint="),
        "touchpoint lane not asked for"
    );
    // Stages are still headed.
    assert_eq!(svg.matches("data-stage=").count(), journey.stages.len());
    // Empty means all.
    let all = render_svg(
        &journey,
        &RenderOptions {
            lanes: vec![],
            ..RenderOptions::default()
        },
    );
    assert_eq!(all.matches("data-lane=").count(), Lane::ALL.len());
}

/// The texts (tspans joined by a space) of the `<text>` elements in the lane `id`, bullet marks
/// left out.
fn lane_texts(doc: &roxmltree::Document, id: &str) -> Vec<String> {
    let lane = doc
        .descendants()
        .find(|n| n.attribute("data-lane") == Some(id))
        .unwrap_or_else(|| panic!("lane {id}"));
    lane.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "text")
        .filter(|n| n.attribute("class") != Some("lane-title"))
        .map(|t| {
            t.descendants()
                .filter(|n| n.is_element() && n.tag_name().name() == "tspan")
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !["♥", "»"].contains(&t.as_str()))
        .collect()
}

#[test]
fn feelings_and_expectations_lanes() {
    let journey = sports();
    let options = RenderOptions {
        lanes: vec![Lane::Feelings, Lane::Expectations],
        ..ru()
    };
    let svg = render_svg(&journey, &options);
    let doc = parse(&svg);
    check_safe(&doc, SVG_ELEMENTS);
    let lanes: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-lane"))
        .collect();
    assert_eq!(lanes, vec!["feelings", "expectations"]);
    assert!(svg.contains(">Чувства</tspan>") && svg.contains(">Ожидания</tspan>"));
    // Every feeling and expectation of every touchpoint, each once, in its own lane, in order.
    let feelings: Vec<String> = journey
        .touchpoints()
        .flat_map(|(_, t)| t.feelings.iter().map(|f| collapse(f)))
        .collect();
    let expectations: Vec<String> = journey
        .touchpoints()
        .flat_map(|(_, t)| t.expectations.iter().map(|f| collapse(f)))
        .collect();
    assert!(feelings.len() > 10 && expectations.len() > 10);
    assert!(feelings.contains(&"Лёгкое недоверие к незнакомому магазину".to_string()));
    assert_eq!(lane_texts(&doc, "feelings"), feelings);
    assert_eq!(lane_texts(&doc, "expectations"), expectations);
    // Both are in the default lanes, after thoughts and after questions.
    let en = render_svg(&journey, &RenderOptions::default());
    let doc = parse(&en);
    let lanes: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-lane"))
        .collect();
    assert_eq!(
        &lanes[..6],
        &[
            "touchpoints",
            "actions",
            "thoughts",
            "feelings",
            "questions",
            "expectations"
        ]
    );
    assert!(en.contains(">Feelings</tspan>") && en.contains(">Expectations</tspan>"));
}

#[test]
fn report_gaps_speak_the_report_language() {
    let html = render_report_html(
        &sports(),
        &ReportOptions {
            render: ru(),
            today: Some("2026-11-27".into()),
            to_be: None,
            funnel: None,
        },
    );
    // No analysis message in English ("beginner feels -0.50", "expected \"…\" but felt …").
    assert!(!html.contains(" feels "), "persona divergence in English");
    assert!(
        !html.contains("but felt below neutral"),
        "unmet expectation in English"
    );
    // "Сайт — каталог и карточки товаров" scores beginner −1, experienced-athlete +1, coach +1
    // on the −2..+2 scale: −0.5, +0.5, +0.5, lowest first, by persona name.
    assert!(html.contains("Начинающий спортсмен −0.50 · Опытный атлет +0.50 · Тренер +0.50"));
    // "Рекомендация знакомым": 0, 0, −1 → mean −1/3 → −0.17 normalised, with its expectation.
    assert!(html.contains(
        "«Повод рассказать о магазине — сервис, который удивил»: клиенты ждали этого, а эмоция \
         ниже нейтральной (эмоция −0.17)"
    ));
}

#[test]
fn measured_metrics_read_as_words_and_percentages() {
    // What `apply` writes: metrics without a name, shares 0–1, no target.
    let yaml = "id: j\ntitle: J\nstages:\n  - id: s\n    name: S\n    touchpoints:\n      - id: t\n        name: T\n        metrics:\n          - kind: conversion\n            value: 0.854\n            unit: share\n          - kind: loop_rate\n            value: 0\n            unit: share\n";
    let journey = parse_journey(yaml, Format::Yaml).expect("loads");
    let svg = render_svg(&journey, &ru());
    // 0.854 → 85.4 %, 0 → 0 %; kinds by their Russian names; no target rather than unknown.
    for text in [
        ">Конверсия</tspan>",
        ">85.4%</tspan>",
        ">Повторы шага</tspan>",
        ">0%</tspan>",
    ] {
        assert!(svg.contains(text), "{text}");
    }
    assert_eq!(svg.matches(">без цели</tspan>").count(), 2);
    assert!(!svg.contains("loop_rate") && !svg.contains("share"));
    let html = render_report_html(
        &journey,
        &ReportOptions {
            render: RenderOptions::default(),
            ..ReportOptions::default()
        },
    );
    assert!(html.contains("<td>Conversion</td><td class=\"n\">85.4%</td>"));
    assert!(html.contains("<td>Repeated steps</td><td class=\"n\">0%</td>"));
    assert!(html.contains(">no target</td>"));
}

#[test]
fn lane_titles_are_translated() {
    let journey = sports();
    let en = render_svg(&journey, &RenderOptions::default());
    let ru = render_svg(&journey, &ru());
    for t in [
        "Touchpoints",
        "Pain points",
        "Opportunities",
        "Friction",
        "Emotions",
    ] {
        assert!(en.contains(&format!(">{t}</tspan>")), "{t}");
    }
    for t in ["Точки контакта", "Боли", "Возможности", "Трение", "Эмоции"]
    {
        assert!(ru.contains(&format!(">{t}</tspan>")), "{t}");
        assert!(!en.contains(&format!(">{t}</tspan>")), "{t}");
    }
}

#[test]
fn personas_option_selects_curves() {
    let journey = sports();
    let all = render_svg(&journey, &RenderOptions::default());
    let doc = parse(&all);
    let curves: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("curve")))
        .filter_map(|n| n.attribute("data-persona"))
        .collect();
    // Everyone (faint, marked), then each persona.
    assert_eq!(curves, vec!["", "beginner", "experienced-athlete", "coach"]);
    let one = render_svg(
        &journey,
        &RenderOptions {
            personas: vec!["coach".into(), "nobody".into()],
            ..RenderOptions::default()
        },
    );
    let doc = parse(&one);
    let curves: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("curve")))
        .filter_map(|n| n.attribute("data-persona"))
        .collect();
    assert_eq!(curves, vec!["coach"]);
}

// -------------------------------------------------------------------------------------------
// The emotion curve

fn scored(id: &str, score: f64) -> Touchpoint {
    let mut tp = Touchpoint::new(id, format!("Step {id}"));
    tp.emotions.push(EmotionScore {
        persona: None,
        score,
        sample_size: None,
        extensions: Default::default(),
    });
    tp
}

/// Layout constants of the curve lane (`render/map.rs`): value +1 at y 36, −1 at y 176.
const CURVE_TOP: f64 = 36.0;
const CURVE_PLOT: f64 = 140.0;

fn curve_points(svg: &str) -> Vec<(f64, f64)> {
    let doc = parse(svg);
    let lane = doc
        .descendants()
        .find(|n| n.attribute("data-lane") == Some("emotions"))
        .expect("emotion lane");
    lane.descendants()
        .filter(|n| n.tag_name().name() == "circle" && n.attribute("class") == Some("pt"))
        .map(|n| {
            let f = |a: &str| n.attribute(a).and_then(|v| v.parse::<f64>().ok()).expect(a);
            (f("cx"), f("cy"))
        })
        .collect()
}

#[test]
fn curve_points_sit_at_their_values() {
    let mut journey = Journey::new("j", "Curve");
    for (i, score) in [-2.0, 0.0, 2.0, 1.0].into_iter().enumerate() {
        let mut stage = Stage::new(format!("s{i}"), format!("Stage {i}"));
        stage.touchpoints.push(scored(&format!("t{i}"), score));
        journey.stages.push(stage);
    }
    let svg = render_svg(&journey, &RenderOptions::default());
    let points = curve_points(&svg);
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    assert_eq!(
        ys,
        vec![
            CURVE_TOP + CURVE_PLOT,
            CURVE_TOP + CURVE_PLOT / 2.0,
            CURVE_TOP,
            CURVE_TOP + CURVE_PLOT / 4.0
        ]
    );
    // One point per touchpoint column, left to right, at the column centres (200 px apart).
    let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    assert!(
        xs.windows(2).all(|w| (w[1] - w[0] - 200.0).abs() < 1e-9),
        "{xs:?}"
    );
    // The valley at −2 and the peak at +2 are marked.
    let doc = parse(&svg);
    let ring = |class: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .map(|n| n.attribute("cy").unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ring("valley"), vec!["176"]);
    assert_eq!(ring("peak"), vec!["36"]);
    // The same on another scale: 1..5 with 1, 3, 5.
    let mut rescaled = journey.clone();
    rescaled.emotion_scale = cjm_core::EmotionScale { min: 1.0, max: 5.0 };
    for (stage, score) in rescaled.stages.iter_mut().zip([1.0, 3.0, 5.0, 4.0]) {
        stage.touchpoints[0].emotions[0].score = score;
    }
    let again: Vec<f64> = curve_points(&render_svg(&rescaled, &RenderOptions::default()))
        .iter()
        .map(|p| p.1)
        .collect();
    assert_eq!(again, ys);
}

#[test]
fn a_neutral_dashed_line_and_legend_are_drawn() {
    let svg = render_svg(&sports(), &ru());
    let doc = parse(&svg);
    let lane = doc
        .descendants()
        .find(|n| n.attribute("data-lane") == Some("emotions"))
        .expect("emotion lane");
    let neutral = lane.descendants().find(|n| {
        n.tag_name().name() == "line"
            && n.attribute("y1") == Some("106")
            && n.attribute("stroke-dasharray").is_some()
    });
    assert!(
        neutral.is_some(),
        "dashed neutral line at the middle of the plot"
    );
    for name in [
        "Все клиенты",
        "Начинающий спортсмен",
        "Опытный атлет",
        "Тренер",
    ] {
        assert!(svg.contains(&format!(">{name}</tspan>")), "legend {name}");
    }
}

// -------------------------------------------------------------------------------------------
// Hostile input

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</svg>",
    "url(javascript:alert(1))",
    "a\u{0}b\u{1}\u{8}\u{b}\u{c}\u{1b}[31m\u{7f}\u{85}\u{fffe}\u{ffff}c",
    "' onmouseover='alert(1)",
    "]]><!-- &amp; &#x3c; <![CDATA[",
];

fn hostile_journey() -> Journey {
    let h = |i: usize| HOSTILE[i % HOSTILE.len()].to_string();
    let mut journey = Journey::new("javascript:alert(1)", h(0));
    journey.description = Some(h(1));
    journey.owner = Some(h(2));
    journey.updated = Some(h(3));
    let mut persona = Persona::new("\"><img src=x onerror=alert(1)>", h(4));
    persona.description = Some(h(5));
    journey.personas.push(persona);
    journey.personas.push(Persona::new("p2", h(6)));
    let mut k = 0;
    for s in 0..3 {
        let mut stage = Stage::new(
            if s == 0 {
                "</svg>".to_string()
            } else {
                format!("s{s}")
            },
            h(s),
        );
        stage.goal = Some(h(s + 1));
        stage.expected_duration = Some(h(s + 2));
        for t in 0..2 {
            k += 1;
            let mut tp = scored(if k == 1 { "javascript:alert(1)" } else { "t" }, -1.0);
            tp.id = if k == 1 {
                "javascript:alert(1)".into()
            } else {
                format!("t{k}")
            };
            tp.name = h(k);
            tp.channel = Some(h(k + 1));
            tp.layer = if t == 1 {
                cjm_core::Layer::Backstage
            } else {
                cjm_core::Layer::Frontstage
            };
            tp.personas = if t == 1 {
                cjm_core::thin_vec![h(k + 2)]
            } else {
                cjm_core::thin_vec![]
            };
            tp.actions = cjm_core::thin_vec![h(k), h(k + 3)];
            tp.thoughts = cjm_core::thin_vec![h(k + 1)];
            tp.questions = cjm_core::thin_vec![h(k + 2)];
            tp.emotions.push(EmotionScore {
                persona: Some("\"><img src=x onerror=alert(1)>".into()),
                score: 2.0,
                sample_size: Some(3),
                extensions: Default::default(),
            });
            tp.pain_points.push(PainPoint {
                id: h(k + 4),
                description: h(k + 5),
                severity: if k % 2 == 0 { 99 } else { -7 },
                share_affected: Some(f64::NAN),
                personas: cjm_core::thin_vec![h(k)],
                evidence: cjm_core::thin_vec![h(k + 1)],
                extensions: Default::default(),
            });
            tp.metrics.push(cjm_core::Metric {
                id: Some(h(k)),
                kind: cjm_core::MetricKind::Conversion,
                name: Some(h(k + 6)),
                value: Some(0.2),
                target: Some(0.5),
                baseline: None,
                unit: Some(h(k + 7)),
                direction: None,
                sample_size: None,
                period: Some(h(k)),
                evidence: cjm_core::thin_vec![],
                source: None,
                extensions: Default::default(),
            });
            stage.touchpoints.push(tp);
        }
        stage.pain_points.push(PainPoint {
            id: format!("sp{s}"),
            description: h(s + 3),
            severity: 3,
            share_affected: None,
            personas: cjm_core::thin_vec![],
            evidence: cjm_core::thin_vec![],
            extensions: Default::default(),
        });
        journey.stages.push(stage);
    }
    for i in 0..4 {
        journey.opportunities.push(cjm_core::Opportunity {
            id: h(i),
            title: h(i + 1),
            description: Some(h(i + 2)),
            addresses: cjm_core::thin_vec![h(i + 4), "sp1".into()],
            stage: if i == 1 { Some("</svg>".into()) } else { None },
            touchpoint: if i == 0 {
                Some("javascript:alert(1)".into())
            } else {
                None
            },
            metrics: cjm_core::thin_vec![],
            reach: Some(100.0),
            impact: Some(2.0),
            confidence: Some(0.5),
            effort: Some(1.0),
            owner: Some(h(i + 3)),
            due: Some(h(i)),
            status: cjm_core::OpportunityStatus::Planned,
            extensions: Default::default(),
        });
    }
    journey
}

fn assert_escaped(output: &str) {
    let lower = output.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!lower.contains("<img"), "an img element");
    // `onerror=` may appear as escaped text; the parsed checks ensure it is never an attribute.
    assert!(!lower.contains("onerror=alert(1)>"), "unescaped markup");
    assert!(!lower.contains("<![cdata["), "a CDATA section");
    assert!(!lower.contains("<!--"), "a comment");
    assert!(
        output.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the script text is shown escaped"
    );
    assert!(output.contains("&lt;/svg&gt;"));
    for c in [
        '\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{fffe}',
        '\u{ffff}',
    ] {
        assert!(!output.contains(c), "control character U+{:04X}", c as u32);
    }
}

#[test]
fn hostile_strings_are_only_ever_text() {
    let journey = hostile_journey();
    for options in [RenderOptions::default(), ru()] {
        let outputs = [
            render_svg(&journey, &options),
            render_curve_svg(&journey, &options),
            render_friction_svg(&journey, &options),
            render_comparison_svg(&journey, &journey, &options),
        ];
        for svg in &outputs {
            assert_escaped(svg);
            let doc = parse(svg);
            check_safe(&doc, SVG_ELEMENTS);
            assert_eq!(
                doc.root_element()
                    .children()
                    .filter(|n| n.is_element() && n.tag_name().name() == "svg")
                    .count(),
                0,
                "no nested svg"
            );
        }
        // The ids survive, escaped, in the data attributes that name them.
        let doc = parse(&outputs[0]);
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-stage") == Some("</svg>"))
        );
        assert!(
            doc.descendants()
                .any(|n| n.attribute("data-touchpoint") == Some("javascript:alert(1)"))
        );
        let html = render_report_html(
            &journey,
            &ReportOptions {
                render: options.clone(),
                today: Some("<b>".into()),
                to_be: Some(journey.clone()),
                funnel: None,
            },
        );
        assert_escaped(&html);
        let doc = parse(&html);
        let mut allowed: Vec<&str> = HTML_ELEMENTS.to_vec();
        allowed.extend(SVG_ELEMENTS);
        check_safe(&doc, &allowed);
    }
}

#[test]
fn escape_xml_escapes_and_strips() {
    assert_eq!(
        escape_xml("<a href='x'>&\"</a>"),
        "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
    );
    assert_eq!(escape_xml("ok\u{0}\u{1f}\u{fffe}\t\n"), "ok\t\n");
    assert_eq!(escape_xml("Путь клиента"), "Путь клиента");
}

#[test]
fn odd_values_do_not_panic() {
    let mut journey = hostile_journey();
    journey.emotion_scale = cjm_core::EmotionScale { min: 5.0, max: 1.0 };
    journey.stages[1].touchpoints.clear();
    journey.stages.push(Stage::new("empty", ""));
    let long = "слово ".repeat(500) + &"x".repeat(3000);
    journey.stages[0].touchpoints[0].name = long.clone();
    journey.stages[0].touchpoints[0].actions = cjm_core::thin_vec![long.clone(); 40];
    journey.stages[0].touchpoints[0].emotions[0].score = f64::INFINITY;
    for _ in 0..20 {
        let pain = journey.stages[0].touchpoints[0].pain_points[0].clone();
        journey.stages[0].touchpoints[0].pain_points.push(pain);
    }
    for options in [RenderOptions::default(), ru()] {
        let svg = render_svg(&journey, &options);
        parse(&svg);
        parse(&render_curve_svg(&journey, &options));
        parse(&render_friction_svg(&journey, &options));
        parse(&render_comparison_svg(
            &journey,
            &Journey::new("x", "y"),
            &options,
        ));
        parse(&render_report_html(&journey, &ReportOptions::default()));
    }
    // An empty journey renders too.
    let empty = Journey::new("e", "");
    parse(&render_svg(&empty, &RenderOptions::default()));
    parse(&render_curve_svg(&empty, &RenderOptions::default()));
    parse(&render_friction_svg(&empty, &RenderOptions::default()));
    parse(&render_comparison_svg(
        &empty,
        &empty,
        &RenderOptions::default(),
    ));
    parse(&render_report_html(&empty, &ReportOptions::default()));
}

// -------------------------------------------------------------------------------------------
// Text and layout

#[test]
fn cyrillic_survives() {
    let journey = sports();
    let svg = render_svg(&journey, &ru());
    for text in [
        "Осведомлённость",
        "Рассмотрение",
        "Реклама",
        "поисковой",
        "«где мой заказ?»",
        "Маркетинг",
    ] {
        assert!(svg.contains(text), "{text}");
    }
    let html = render_report_html(
        &journey,
        &ReportOptions {
            render: ru(),
            ..ReportOptions::default()
        },
    );
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("Интернет-магазин спортивного питания"));
    assert!(html.contains("План улучшений"));
}

#[test]
fn long_text_wraps_by_characters_with_an_ellipsis() {
    let mut journey = Journey::new("j", "J");
    let mut stage = Stage::new("s", "S");
    let mut tp = Touchpoint::new("t", "Ж".repeat(200));
    tp.actions = cjm_core::thin_vec!["Очень длинное действие покупателя ".repeat(20)];
    stage.touchpoints.push(tp);
    journey.stages.push(stage);
    let svg = render_svg(&journey, &RenderOptions::default());
    let doc = parse(&svg);
    let group = doc
        .descendants()
        .find(|n| n.attribute("data-touchpoint") == Some("t"))
        .expect("touchpoint");
    let lines: Vec<&str> = group
        .descendants()
        .filter(|n| n.tag_name().name() == "tspan")
        .filter_map(|n| n.text())
        .collect();
    assert!(lines.len() <= 4, "{lines:?}");
    assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
    let name_lines = &lines[..3];
    assert!(name_lines[2].ends_with('…'));
    // The full name is the tooltip.
    let title = group
        .children()
        .find(|n| n.tag_name().name() == "title")
        .expect("tooltip");
    assert_eq!(title.text().map(|t| t.chars().count()), Some(200));
}

#[test]
fn thirty_stages_grow_to_the_right() {
    let mut journey = Journey::new("long", "Thirty stages");
    for i in 0..30 {
        let mut stage = Stage::new(format!("s{i}"), format!("Stage number {i}"));
        stage.goal = Some("Get through this step without trouble".into());
        for t in 0..(i % 3 + 1) {
            stage
                .touchpoints
                .push(scored(&format!("t{i}-{t}"), ((i + t) % 5) as f64 - 2.0));
        }
        journey.stages.push(stage);
    }
    let svg = render_svg(&journey, &RenderOptions::default());
    let doc = parse(&svg);
    let xs: Vec<f64> = journey
        .stages
        .iter()
        .map(|s| {
            let g = doc
                .descendants()
                .find(|n| n.attribute("data-stage") == Some(s.id.as_str()))
                .expect("stage");
            let r = g
                .children()
                .find(|n| n.tag_name().name() == "rect")
                .expect("header");
            r.attribute("x").and_then(|v| v.parse().ok()).expect("x")
        })
        .collect();
    assert!(xs.windows(2).all(|w| w[1] > w[0]), "{xs:?}");
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .and_then(|v| v.parse().ok())
        .expect("width");
    let touchpoints = journey.touchpoints().count() as f64;
    assert!(
        width >= touchpoints * 200.0,
        "fixed column width per touchpoint"
    );
    check_map_structure(&journey, &RenderOptions::default());
}

#[test]
fn coordinates_carry_at_most_two_decimals() {
    // Byte-for-byte determinism across runs is what the snapshots check; within a run the
    // renderers are pure functions (no clock, no hash order), so comparing two calls proved
    // nothing. What can drift is number formatting: every coordinate of every kind of chart
    // is written with at most two decimals.
    let outputs = [
        render_svg(&ecommerce(), &RenderOptions::default()),
        render_svg(&sports(), &ru()),
        render_curve_svg(&sports(), &ru()),
        render_friction_svg(&ecommerce(), &RenderOptions::default()),
        render_comparison_svg(&sports(), &sports_to_be(), &ru()),
    ];
    for svg in &outputs {
        let doc = parse(svg);
        let mut checked = 0;
        for node in doc.descendants().filter(|n| n.is_element()) {
            for key in [
                "x", "y", "cx", "cy", "x1", "y1", "x2", "y2", "width", "height", "r",
            ] {
                if let Some(v) = node.attribute(key) {
                    let decimals = v.split('.').nth(1).map_or(0, str::len);
                    assert!(decimals <= 2, "{key}={v}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "only {checked} coordinates");
    }
}

// -------------------------------------------------------------------------------------------
// Charts and report

#[test]
fn charts_are_well_formed() {
    for (journey, options) in [(sports(), ru()), (ecommerce(), RenderOptions::default())] {
        for svg in [
            render_curve_svg(&journey, &options),
            render_friction_svg(&journey, &options),
        ] {
            let doc = parse(&svg);
            check_safe(&doc, SVG_ELEMENTS);
        }
    }
    let svg = render_comparison_svg(&sports(), &sports_to_be(), &ru());
    let doc = parse(&svg);
    check_safe(&doc, SVG_ELEMENTS);
    let series = |class: &str| {
        doc.descendants()
            .find(|n| n.attribute("class") == Some(class))
            .map_or(0, |g| {
                g.children()
                    .filter(|n| n.tag_name().name() == "circle")
                    .count()
            })
    };
    let as_is_scored = cjm_core::emotion_curve(&sports(), None)
        .expect("curve")
        .points
        .len();
    let to_be_scored = cjm_core::emotion_curve(&sports_to_be(), None)
        .expect("curve")
        .points
        .len();
    assert_eq!(series("as-is"), as_is_scored);
    assert_eq!(series("to-be"), to_be_scored);
    // Every touchpoint of both maps has one x label: shared ids once.
    let ids: BTreeSet<String> = sports()
        .touchpoints()
        .chain(sports_to_be().touchpoints())
        .map(|(_, t)| t.id.clone())
        .collect();
    let labels = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("x-label"))
        .count();
    assert_eq!(labels, ids.len());
}

#[test]
fn report_is_self_contained() {
    let html = render_report_html(
        &sports(),
        &ReportOptions {
            render: ru(),
            today: Some("2026-11-27".into()),
            to_be: Some(sports_to_be()),
            funnel: None,
        },
    );
    let doc = parse(&html);
    let mut allowed: Vec<&str> = HTML_ELEMENTS.to_vec();
    allowed.extend(SVG_ELEMENTS);
    check_safe(&doc, &allowed);
    let lower = html.to_ascii_lowercase();
    for banned in [
        "<script",
        "<link",
        "<img",
        "@import",
        "url(",
        "@font-face",
        "https:",
        "src=",
    ] {
        assert!(!lower.contains(banned), "{banned}");
    }
    // The only http: string is the SVG namespace.
    assert_eq!(
        lower.matches("http:").count(),
        lower
            .matches("xmlns=\"http://www.w3.org/2000/svg\"")
            .count()
    );
    for id in [
        "summary",
        "map",
        "gaps",
        "plan",
        "friction",
        "metrics",
        "comparison",
    ] {
        assert!(html.contains(&format!("<section id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("break-before:page"));
    assert!(html.contains("Content-Security-Policy"));
    // Two inline SVGs: the map and the comparison.
    assert_eq!(
        doc.descendants()
            .filter(|n| n.tag_name().name() == "svg")
            .count(),
        2
    );
    // The plan ranks the fix for the post-delivery vacuum first.
    assert!(html.contains("Инструкции по применению"));
    let en = render_report_html(&ecommerce(), &ReportOptions::default());
    assert!(en.contains("<html lang=\"en\">"));
    assert!(!en.contains("id=\"comparison\""));
}

// -------------------------------------------------------------------------------------------
// Snapshots and files to look at

fn snapshot(name: &str, actual: &str) {
    let path = root().join("tests/expected/render").join(name);
    if std::env::var_os("CJM_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} missing: run with CJM_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(
                expected.lines().count().min(actual.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{name} differs from the snapshot at line {line}; if the change is intended, \
             regenerate with CJM_UPDATE_SNAPSHOTS=1 and look at the result"
        );
    }
}

#[test]
fn snapshots_of_the_examples() {
    snapshot("sports-nutrition.svg", &render_svg(&sports(), &ru()));
    snapshot(
        "ecommerce.svg",
        &render_svg(&ecommerce(), &RenderOptions::default()),
    );
}

/// Every output kind is well-formed, within the renderer's vocabulary and unlike the others (the
/// dark map is not the light one); with `CJM_RENDER_OUT=dir` they are also written there.
#[test]
fn every_output_is_well_formed_and_written_on_request() {
    let dark = RenderOptions {
        theme: Theme::Dark,
        ..RenderOptions::default()
    };
    let files: Vec<(&str, String)> = vec![
        ("sports-nutrition.svg", render_svg(&sports(), &ru())),
        (
            "sports-nutrition-to-be.svg",
            render_svg(&sports_to_be(), &ru()),
        ),
        (
            "ecommerce.svg",
            render_svg(&ecommerce(), &RenderOptions::default()),
        ),
        ("ecommerce-dark.svg", render_svg(&ecommerce(), &dark)),
        ("sports-curve.svg", render_curve_svg(&sports(), &ru())),
        (
            "ecommerce-curve.svg",
            render_curve_svg(&ecommerce(), &RenderOptions::default()),
        ),
        ("sports-friction.svg", render_friction_svg(&sports(), &ru())),
        (
            "ecommerce-friction.svg",
            render_friction_svg(&ecommerce(), &RenderOptions::default()),
        ),
        (
            "sports-comparison.svg",
            render_comparison_svg(&sports(), &sports_to_be(), &ru()),
        ),
        (
            "hostile.svg",
            render_svg(&hostile_journey(), &RenderOptions::default()),
        ),
        (
            "empty.svg",
            render_svg(&Journey::new("e", "Empty"), &RenderOptions::default()),
        ),
        (
            "empty-curve.svg",
            render_curve_svg(&Journey::new("e", "Empty"), &RenderOptions::default()),
        ),
        (
            "sports-report.html",
            render_report_html(
                &sports(),
                &ReportOptions {
                    render: ru(),
                    today: Some("2026-11-27".into()),
                    to_be: Some(sports_to_be()),
                    funnel: None,
                },
            ),
        ),
        (
            "ecommerce-report.html",
            render_report_html(&ecommerce(), &ReportOptions::default()),
        ),
        (
            "hostile-report.html",
            render_report_html(&hostile_journey(), &ReportOptions::default()),
        ),
    ];
    let mut report_elements: Vec<&str> = HTML_ELEMENTS.to_vec();
    report_elements.extend(SVG_ELEMENTS);
    let mut distinct = BTreeSet::new();
    for (name, text) in &files {
        let doc = parse(text);
        let (root, allowed) = if name.ends_with(".html") {
            ("html", report_elements.as_slice())
        } else {
            ("svg", SVG_ELEMENTS)
        };
        assert_eq!(doc.root_element().tag_name().name(), root, "{name}");
        check_safe(&doc, allowed);
        assert!(
            distinct.insert(text.as_str()),
            "{name} repeats another output"
        );
    }
    let Some(dir) = std::env::var_os("CJM_RENDER_OUT") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
}

#[test]
fn funnel_chart_has_a_bar_per_step_in_proportion() {
    let mut log = cjm_core::EventLog::new(&[]);
    // 4 users view, 2 of them also add to cart, 1 of those buys; one step name is hostile.
    for (user, events) in [("a", 3), ("b", 2), ("c", 1), ("d", 1)] {
        for (i, name) in ["view", "<script>cart</script>", "buy"]
            .iter()
            .take(events)
            .enumerate()
        {
            log.push(user, i as i64 * 1000, name, &[], None);
        }
    }
    let spec = cjm_core::FunnelSpec {
        steps: vec!["view".into(), "<script>cart</script>".into(), "buy".into()],
        window: "1d".into(),
        mode: Default::default(),
        by: None,
        interval: None,
    };
    let result = cjm_core::funnel(&log, &spec).expect("funnel");
    let svg = cjm_core::render_funnel_svg(&result, &RenderOptions::default()).unwrap();
    // The output budget's estimate bounds the chart, within a sane factor.
    let estimate = cjm_core::estimate_funnel_svg(&result, &RenderOptions::default());
    check_bounds("funnel", &[(svg.len(), estimate)], 20.0);
    let doc = roxmltree::Document::parse(&svg).expect("the chart is XML");
    let steps: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("funnel-step"))
        .collect();
    assert_eq!(steps.len(), 3);
    let widths: Vec<f64> = steps
        .iter()
        .map(|g| {
            g.descendants()
                .find(|n| n.attribute("class") == Some("bar"))
                .and_then(|b| b.attribute("width"))
                .and_then(|w| w.parse().ok())
                .expect("a bar")
        })
        .collect();
    // 4, 2 and 1 users of 4: the bars are full, half and a quarter of the track.
    assert!(
        (widths[1] / widths[0] - 0.5).abs() < 1e-3 && (widths[2] / widths[0] - 0.25).abs() < 1e-3,
        "{widths:?}"
    );
    assert!(
        !doc.descendants().any(|n| n.has_tag_name("script")),
        "step names stay text"
    );
    assert!(svg.contains("&lt;script&gt;cart&lt;/script&gt;"));
}

// ---------------------------------------------------------------------------------------------
// Output budget: the estimates bound the real outputs, and huge journeys are refused up front.

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> usize {
        (self.next() % n.max(1)) as usize
    }

    /// Text of 0..max chars, sometimes only characters that escaping grows the most.
    fn text(&mut self, max: u64) -> String {
        const POOL: &[&str] = &[
            "a", "b", "e", " ", "  ", "&", "\"", "<", ">", "'", "é", "ж", "😀", "\n", "word ",
        ];
        let len = self.below(max + 1);
        let worst = self.below(5) == 0;
        (0..len)
            .map(|_| {
                if worst {
                    "\""
                } else {
                    POOL[self.below(POOL.len() as u64)]
                }
            })
            .collect()
    }

    fn texts(&mut self, count: u64, max: u64) -> Vec<String> {
        (0..self.below(count + 1)).map(|_| self.text(max)).collect()
    }
}

fn random_journey(rng: &mut Rng) -> Journey {
    let long = if rng.below(3) == 0 { 400 } else { 40 };
    let mut journey = Journey::new(rng.text(20), rng.text(long));
    journey.description = Some(rng.text(long));
    journey.owner = Some(rng.text(30));
    let personas: Vec<String> = (0..rng.below(6)).map(|i| format!("p{i}")).collect();
    for id in &personas {
        let name = rng.text(long);
        journey.personas.push(Persona::new(id.clone(), name));
    }
    for s in 0..rng.below(12) {
        let mut stage = Stage::new(format!("s{s}"), rng.text(long));
        stage.goal = Some(rng.text(long));
        stage.expected_duration = Some(rng.text(10));
        for t in 0..rng.below(8) {
            let mut tp = Touchpoint::new(format!("s{s}t{t}"), rng.text(long));
            tp.channel = Some(rng.text(20));
            tp.actions = rng.texts(4, long).into();
            tp.thoughts = rng.texts(3, long).into();
            tp.feelings = rng.texts(3, long).into();
            tp.questions = rng.texts(3, long).into();
            tp.expectations = rng.texts(3, long).into();
            for persona in std::iter::once(None).chain(personas.iter().map(Some)) {
                if rng.below(4) > 0 {
                    tp.emotions.push(EmotionScore {
                        persona: persona.cloned(),
                        score: rng.below(5) as f64 - 2.0,
                        sample_size: None,
                        extensions: Default::default(),
                    });
                }
            }
            for p in 0..rng.below(3) {
                tp.pain_points.push(PainPoint {
                    id: format!("s{s}t{t}p{p}"),
                    description: rng.text(long),
                    severity: 1 + rng.below(5) as i64,
                    share_affected: Some(0.3),
                    personas: cjm_core::thin_vec![],
                    evidence: cjm_core::thin_vec![],
                    extensions: Default::default(),
                });
            }
            stage.touchpoints.push(tp);
        }
        journey.stages.push(stage);
    }
    journey
}

/// (actual, estimate) of every renderer over a journey (and a to-be version of it).
fn measured(journey: &Journey, to_be: &Journey, options: &RenderOptions) -> Vec<(usize, u64)> {
    let report = ReportOptions {
        render: options.clone(),
        today: Some("2026-11-29".into()),
        to_be: Some(to_be.clone()),
        funnel: None,
    };
    vec![
        (
            render_svg(journey, options).len(),
            cjm_core::estimate_svg(journey, options),
        ),
        (
            render_curve_svg(journey, options).len(),
            cjm_core::estimate_chart_svg(journey, options),
        ),
        (
            render_friction_svg(journey, options).len(),
            cjm_core::estimate_chart_svg(journey, options),
        ),
        (
            render_comparison_svg(journey, to_be, options).len(),
            cjm_core::estimate_comparison_svg(journey, to_be, options),
        ),
        (
            render_report_html(journey, &report).len(),
            cjm_core::estimate_report_html(journey, &report),
        ),
        (
            render_report_html(journey, &ReportOptions::default()).len(),
            cjm_core::estimate_report_html(journey, &ReportOptions::default()),
        ),
    ]
}

fn check_bounds(what: &str, pairs: &[(usize, u64)], max_ratio: f64) -> f64 {
    let mut worst: f64 = 0.0;
    for (i, (actual, estimate)) in pairs.iter().enumerate() {
        assert!(
            *actual as u64 <= *estimate,
            "{what}, renderer {i}: output {actual} bytes over the estimate {estimate}"
        );
        let ratio = *estimate as f64 / *actual as f64;
        assert!(
            ratio <= max_ratio,
            "{what}, renderer {i}: estimate {estimate} is {ratio:.1} × the output {actual}"
        );
        worst = worst.max(ratio);
    }
    worst
}

#[test]
fn output_estimates_bound_the_examples() {
    let cases = [
        ("sports", sports(), sports_to_be(), ru()),
        (
            "ecommerce",
            ecommerce(),
            ecommerce(),
            RenderOptions::default(),
        ),
        (
            "hostile",
            hostile_journey(),
            hostile_journey(),
            RenderOptions::default(),
        ),
    ];
    for (name, journey, to_be, options) in cases {
        let pairs = measured(&journey, &to_be, &options);
        let worst = check_bounds(name, &pairs, 20.0);
        if std::env::var_os("CJM_SHOW_ESTIMATES").is_some() {
            for (actual, estimate) in &pairs {
                eprintln!(
                    "{name}: actual {actual} estimate {estimate} ratio {:.2}",
                    *estimate as f64 / *actual as f64
                );
            }
            eprintln!("{name}: worst ratio {worst:.2}");
        }
    }
}

#[test]
fn output_estimates_bound_random_journeys() {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut worst: f64 = 0.0;
    let mut lowest = [f64::MAX; 6];
    let mut highest = [0.0f64; 6];
    for case in 0..300 {
        let journey = random_journey(&mut rng);
        let to_be = random_journey(&mut rng);
        let mut options = RenderOptions::default();
        if case % 3 == 1 {
            options.lanes = vec![Lane::Touchpoints, Lane::Emotions];
        }
        if case % 5 == 2 {
            options.personas = vec!["p1".into()];
        }
        let pairs = measured(&journey, &to_be, &options);
        for (i, (actual, estimate)) in pairs.iter().enumerate() {
            let ratio = *estimate as f64 / *actual as f64;
            lowest[i] = lowest[i].min(ratio);
            highest[i] = highest[i].max(ratio);
        }
        if std::env::var_os("CJM_SHOW_ESTIMATES").is_none() {
            worst = worst.max(check_bounds(&format!("case {case}"), &pairs, 20.0));
        }
    }
    if std::env::var_os("CJM_SHOW_ESTIMATES").is_some() {
        for i in 0..6 {
            eprintln!(
                "random, renderer {i}: estimate/actual from {:.2} to {:.2}",
                lowest[i], highest[i]
            );
        }
    }
    assert!(worst <= 20.0);
}

#[test]
fn a_million_touchpoints_are_refused_before_rendering() {
    let mut journey = Journey::new("big", "Big");
    journey.personas.push(Persona::new("p", "P"));
    for s in 0..1000 {
        let mut stage = Stage::new(format!("s{s}"), format!("Stage {s}"));
        for t in 0..1000 {
            stage.touchpoints.push(scored(&format!("t{s}-{t}"), 1.0));
        }
        journey.stages.push(stage);
    }
    let options = RenderOptions::default();
    let report = ReportOptions::default();
    let errors = [
        cjm_core::render_svg(&journey, &options).unwrap_err(),
        cjm_core::render_curve_svg(&journey, &options).unwrap_err(),
        cjm_core::render_friction_svg(&journey, &options).unwrap_err(),
        cjm_core::render_comparison_svg(&journey, &journey, &options).unwrap_err(),
        cjm_core::render_report_html(&journey, &report).unwrap_err(),
    ];
    for error in &errors {
        assert_eq!(error.code(), "output_too_large");
        assert_eq!(error.kind(), cjm_core::ErrorKind::Usage);
        let message = error.to_string();
        assert!(message.contains("67108864"), "{message}");
        assert!(message.contains("max_output_bytes"), "{message}");
    }
    // Refused from the counts alone: no markup is built (drawing this would take minutes and
    // GBs, which the suite's run time would show; speed itself is not asserted here).
}

#[test]
fn the_output_budget_is_configurable() {
    let journey = ecommerce();
    let small = RenderOptions {
        max_output_bytes: 1000,
        ..RenderOptions::default()
    };
    let error = cjm_core::render_svg(&journey, &small).unwrap_err();
    assert_eq!(error.code(), "output_too_large");
    assert!(error.to_string().contains("1000 bytes"), "{error}");
    let report = ReportOptions {
        render: small,
        ..ReportOptions::default()
    };
    assert_eq!(
        cjm_core::render_report_html(&journey, &report)
            .unwrap_err()
            .code(),
        "output_too_large"
    );
    // 0 removes the limit; the estimate itself is the smallest budget that passes.
    let unlimited = RenderOptions {
        max_output_bytes: 0,
        ..RenderOptions::default()
    };
    assert!(cjm_core::render_svg(&journey, &unlimited).is_ok());
    let exact = RenderOptions {
        max_output_bytes: cjm_core::estimate_svg(&journey, &RenderOptions::default()),
        ..RenderOptions::default()
    };
    assert!(cjm_core::render_svg(&journey, &exact).is_ok());
}
