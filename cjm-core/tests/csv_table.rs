//! The CSV touchpoint table round-trips what it holds (issue 10, item 7): the examples come
//! back valid with their ids, pain points and references; any text survives the formula guard.

use cjm_core::{
    Format, Journey, PainPoint, Severity, Stage, Touchpoint, ValidateOptions, parse_journey,
    validate, write_journey,
};
use proptest::prelude::*;
use serde_json::Value;

fn example(name: &str) -> Journey {
    let path = format!(
        "{}/../examples/{name}/journey.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    parse_journey(&std::fs::read_to_string(path).unwrap(), Format::Yaml).unwrap()
}

fn through_csv(journey: &Journey) -> (String, Journey) {
    let text = write_journey(journey, Format::Csv).expect("writes CSV");
    let back = parse_journey(&text, Format::Csv).expect("reads its own CSV");
    (text, back)
}

#[test]
fn examples_come_back_without_validation_errors() {
    for name in ["sports-nutrition", "ecommerce"] {
        let journey = example(name);
        let (text, back) = through_csv(&journey);
        let errors: Vec<_> = validate(&back, &ValidateOptions::default())
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}\n{text}");
        // Ids, order and pain points (with ids, severity, share, personas) are kept.
        let ids = |j: &Journey| {
            j.stages
                .iter()
                .map(|s| {
                    let tps: Vec<_> = s
                        .touchpoints
                        .iter()
                        .map(|t| {
                            let pains: Vec<_> = t
                                .pain_points
                                .iter()
                                .map(|p| {
                                    (
                                        p.id.clone(),
                                        p.severity,
                                        p.share_affected,
                                        p.personas.clone(),
                                    )
                                })
                                .collect();
                            (t.id.clone(), pains)
                        })
                        .collect();
                    (s.id.clone(), tps)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&back), ids(&journey), "{name}");
        let personas = |j: &Journey| {
            j.personas
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(personas(&back), personas(&journey), "{name}");
        let pains = |j: &Journey| {
            j.touchpoints()
                .map(|(_, t)| t.pain_points.len())
                .sum::<usize>()
        };
        assert_eq!(pains(&back), pains(&journey), "{name}");
        // A second trip changes nothing: the table is a fixed point.
        let (again_text, again) = through_csv(&back);
        assert_eq!(again_text, text, "{name}");
        assert_eq!(again, back, "{name}");
    }
}

#[test]
fn formula_cells_are_guarded_on_export_and_unguarded_on_import() {
    let yaml = r#"
id: j
title: J
stages:
  - id: "=s"
    name: "-1+1"
    touchpoints:
      - id: t
        name: " =1"
        description: "'hello"
        channel: "'=x"
        owner: "|calc"
        actions: ["\u00a0@SUM(A1)", "\u200b=1", "\uff1dcmd", "-1"]
        emotions: [{score: -1}]
"#;
    let journey = parse_journey(yaml, Format::Yaml).unwrap();
    let (text, back) = through_csv(&journey);
    let row = text.lines().nth(1).unwrap();
    assert!(row.starts_with("'=s,'-1+1,,"), "{row}");
    assert!(
        row.contains(",' =1,'hello,''=x,frontstage,'|calc,"),
        "{row}"
    );
    assert!(row.contains(",-1,"), "a plain number is not guarded: {row}");
    assert_eq!(back.stages, journey.stages);
}

#[test]
fn several_pain_points_and_a_multi_line_action_come_back() {
    let mut tp = Touchpoint::new("pay", "Оплата 💳");
    tp.actions = cjm_core::thin_vec!["Вводит карту\nи код".into(), "  ждёт  ".into()];
    tp.thoughts = cjm_core::thin_vec!["Быстрее бы".into()];
    for (i, severity) in [(1, 4), (2, 2), (3, 5)] {
        tp.pain_points.push(PainPoint {
            id: format!("p{i}"),
            description: format!("боль {i}\nвторая строка"),
            severity,
            share_affected: Some(0.1 * i as f64),
            personas: cjm_core::ThinVec::new(),
            evidence: cjm_core::ThinVec::new(),
            extensions: Default::default(),
        });
    }
    let mut stage = Stage::new("buy", "Покупка");
    stage.touchpoints.push(tp);
    let mut journey = Journey::new("imported-journey", "Imported journey");
    journey.stages.push(stage);
    let (text, back) = through_csv(&journey);
    assert_eq!(back, journey, "{text}");
    // One touchpoint row and two continuation rows.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), 3, "{text}");
}

#[test]
fn a_row_with_the_id_above_and_touchpoint_cells_is_a_new_touchpoint() {
    // Only list items and a pain point make a continuation row; with a channel the row is a
    // touchpoint of its own (a duplicate id, which validation reports), so a journey with
    // duplicate ids still reads back from its own table.
    let text = "stage,touchpoint_id,touchpoint,channel,actions\nS,t,T,web,a\nS,t,,,b\nS,t,,app,c\n";
    let journey = parse_journey(text, Format::Csv).unwrap();
    let tps = &journey.stages[0].touchpoints;
    assert_eq!(tps.len(), 2);
    assert_eq!(tps[0].actions, ["a", "b"]);
    assert_eq!((tps[1].id.as_str(), tps[1].name.as_str()), ("t", ""));
    assert_eq!(tps[1].channel.as_deref(), Some("app"));
    let codes: Vec<_> = validate(&journey, &ValidateOptions::default())
        .into_iter()
        .map(|p| p.code)
        .collect();
    assert!(codes.iter().any(|c| c == "duplicate_id"), "{codes:?}");
}

#[test]
fn duplicate_ids_and_a_touchpoint_without_id_still_read_back() {
    let yaml = r#"
id: imported-journey
title: Imported journey
stages:
  - id: s
    name: S
    touchpoints:
      - {id: t, name: A, actions: ["x\ny"]}
      - {id: t, name: "", pain_points: [{id: p, description: d, severity: 1}, {id: q, description: e, severity: 2}]}
      - {id: "", name: No id, actions: [" a "], pain_points: [{id: r, description: f, severity: 3}, {id: u, description: g, severity: 4}]}
"#;
    let journey = parse_journey(yaml, Format::Yaml).unwrap();
    let (text, back) = through_csv(&journey);
    let tps = &back.stages[0].touchpoints;
    assert_eq!(tps.len(), 3, "{text}");
    assert_eq!(tps[..2], journey.stages[0].touchpoints[..2], "{text}");
    // Without an id: the id is made from the name, only the first pain point is written.
    assert_eq!(tps[2].id, "no-id");
    assert_eq!(tps[2].pain_points.len(), 1);
    assert!(tps[2].actions.is_empty());
}

/// Text fragments that break naive CSV or spreadsheet handling.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("=1+1".to_string()),
        Just("'=x".to_string()),
        Just("'hello".to_string()),
        Just("'".to_string()),
        Just("  ".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{feff}".to_string()),
        Just("＝".to_string()),
        Just("＋".to_string()),
        Just("|".to_string()),
        Just("@".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("\r".to_string()),
        Just("\"".to_string()),
        Just(",".to_string()),
        Just("Привет".to_string()),
        Just("😀".to_string()),
        Just("-1".to_string()),
        Just("[x]".to_string()),
        any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..6).prop_map(|parts| parts.concat())
}

fn non_empty() -> impl Strategy<Value = String> {
    text().prop_filter("not empty", |s| !s.is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_round_trips_exactly(
        stage_name in non_empty(),
        goal in non_empty(),
        names in prop::collection::vec(text(), 1..4),
        description in non_empty(),
        action in prop::collection::vec(non_empty(), 0..3),
        pain in text(),
        note in non_empty(),
        persona in text(),
        ids in prop::collection::vec(non_empty(), 2),
    ) {
        let mut journey = Journey::new("imported-journey", "Imported journey");
        journey.personas.push(cjm_core::Persona::new("p", persona.clone()));
        let mut stage = Stage::new(ids[0].clone(), stage_name);
        stage.goal = Some(goal);
        for (i, name) in names.iter().enumerate() {
            let mut tp = Touchpoint::new(format!("{}{i}", ids[1]), name.clone());
            tp.description = Some(description.clone());
            tp.actions = action.clone().into();
            tp.extensions.insert("x-note".into(), Value::String(note.clone()));
            tp.pain_points.push(PainPoint {
                id: format!("pain-{i}"),
                description: pain.clone(),
                severity: 3,
                share_affected: None,
                personas: cjm_core::ThinVec::new(),
                evidence: cjm_core::ThinVec::new(),
                extensions: Default::default(),
            });
            stage.touchpoints.push(tp);
        }
        journey.stages.push(stage);
        let text = write_journey(&journey, Format::Csv).unwrap();
        let back = parse_journey(&text, Format::Csv).unwrap();
        prop_assert_eq!(&back.stages, &journey.stages, "{}", text);
        // A header is trimmed, so only the persona id is exact when the name has blanks.
        prop_assert_eq!(&back.personas[0].id, "p");
        if persona.trim() == persona {
            prop_assert_eq!(&back.personas[0].name, &persona);
        }
    }

    #[test]
    fn reading_any_table_never_panics(body in prop::collection::vec(text(), 0..12)) {
        let csv = format!("stage,touchpoint_id,touchpoint,actions,pain_point\n{}", body.join(","));
        let _ = parse_journey(&csv, Format::Csv);
    }
}

#[test]
fn everything_the_table_holds_comes_back_equal() {
    let yaml = r#"
id: imported-journey
title: Imported journey
personas:
  - {id: novice, name: Новичок}
  - {id: coach, name: "Coach [pro]"}
  - {id: "x-2", name: X}
stages:
  - id: empty
    name: Пусто
    description: "  a stage without touchpoints  "
  - id: buy
    name: Buy
    goal: "=pay"
    expected_duration: 2d
    pain_points:
      - {id: slow, description: "Slow\nstage", severity: 2, share_affected: 0.25, personas: [coach]}
      - {id: dear, description: Dear, severity: 4}
    touchpoints:
      - id: pay
        name: Pay
        layer: backstage
        personas: [novice, coach]
        events: ["checkout_*", "pay,ok", "  spaced  "]
        actions: [one, two]
        emotions:
          - {score: 0.5}
          - {persona: novice, score: -2}
          - {persona: x-2, score: 1.25}
        x-note: "  note\n"
        pain_points:
          - {id: p1, description: "", severity: 1}
          - {id: p2, description: two, severity: 5, share_affected: 1, personas: [novice]}
      - id: after
        name: ""
"#;
    let journey = parse_journey(yaml, Format::Yaml).unwrap();
    let (text, back) = through_csv(&journey);
    assert_eq!(back, journey, "{text}");
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("emotion:Новичок [novice],emotion:Coach [pro] [coach],emotion:X [x-2]"),
        "{text}"
    );
}
