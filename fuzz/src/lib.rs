//! Helpers shared by the fuzz targets: what to run on a journey or an event log that loaded.
//! Every function here must return normally for any input; a panic is a bug in cjm-core (or an
//! invariant the targets assert, which is then reported as a crash by libFuzzer).

use cjm_core::{
    EventFormat, EventLog, Format, FrictionWeights, FunnelMode, FunnelResult, FunnelSpec, Journey,
    Language, LoadOptions, PathOptions, ReadOptions, RenderOptions, ReportOptions, Split, Theme,
    TimeUnit, ValidateOptions,
};

/// Loads `data` as a journey in `format`; on success validates and summarises it.
pub fn load_journey(data: &[u8], format: Format) -> Option<Journey> {
    let journey = cjm_core::parse_journey_bytes(data, format, &LoadOptions::default()).ok()?;
    let _ = cjm_core::validate(&journey, &ValidateOptions::default());
    let _ = cjm_core::validate(
        &journey,
        &ValidateOptions {
            today: Some("2026-11-29".into()),
            stale_after_days: 1,
            max_problems_per_code: Some(2),
        },
    );
    let _ = cjm_core::summarize(&journey);
    Some(journey)
}

/// Every renderer and analysis over a journey that loaded; `flags` varies the options.
pub fn exercise_journey(journey: &Journey, flags: usize) {
    let render = RenderOptions {
        theme: if flags & 1 == 0 {
            Theme::Light
        } else {
            Theme::Dark
        },
        language: if flags & 2 == 0 {
            Language::En
        } else {
            Language::Ru
        },
        title: flags & 4 == 0,
        ..RenderOptions::default()
    };
    let weights = FrictionWeights::default();
    let _ = cjm_core::render_svg(journey, &render);
    let _ = cjm_core::render_curve_svg(journey, &render);
    let _ = cjm_core::render_friction_svg(journey, &render);
    let report = ReportOptions {
        render: render.clone(),
        today: (flags & 1 == 1).then(|| "2026-11-29".to_string()),
        to_be: (flags & 4 == 4).then(|| journey.clone()),
        funnel: None,
    };
    let _ = cjm_core::render_report_html(journey, &report);
    let _ = cjm_core::friction(journey, &weights);
    let gaps = cjm_core::analyze_gaps(journey);
    let plan = cjm_core::plan(journey, &gaps);
    let _ = cjm_core::plan_csv(&plan);
    let _ = cjm_core::emotion_curve(journey, None);
    for persona in journey.personas.iter().take(4) {
        let _ = cjm_core::emotion_curve(journey, Some(&persona.id));
    }
    let _ = cjm_core::score(journey, &ValidateOptions::default(), &weights);
    if flags & 2 == 2 {
        let _ = cjm_core::compare_journeys(journey, journey, &weights);
        let _ = cjm_core::render_comparison_svg(journey, journey, &render);
    }
}

/// Reads an event log with both read option sets the fronts use most.
pub fn read_log(data: &[u8], format: EventFormat) -> Option<EventLog> {
    let strict = cjm_core::read_events(data, format, &ReadOptions::default());
    let lenient = cjm_core::read_events(
        data,
        format,
        &ReadOptions {
            skip_bad_rows: true,
            time_unit: TimeUnit::Auto,
            ..ReadOptions::default()
        },
    );
    // Skipping bad rows can only make reading succeed more often.
    if strict.is_ok() {
        assert!(
            lenient.is_ok(),
            "strict read succeeded, skip_bad_rows failed"
        );
    }
    lenient.ok()
}

/// Per-step user counts never grow, in the total and in every group; step 1 ≤ users.
/// The log's period and a funnel over its first three event names (by its first segment), with
/// the step counts checked: what every event-reader target does with a log that loads.
pub fn funnel_over_first_events(log: &EventLog) {
    let _ = log.period();
    let steps: Vec<String> = log.event_names.iter().take(3).cloned().collect();
    if steps.is_empty() {
        return;
    }
    let spec = cjm_core::FunnelSpec {
        steps,
        window: "7d".into(),
        mode: cjm_core::FunnelMode::Default,
        by: log.segments.first().map(|s| s.name.clone()),
        interval: None,
    };
    if let Ok(result) = cjm_core::funnel(log, &spec) {
        check_funnel(&result);
    }
}

pub fn check_funnel(result: &FunnelResult) {
    for group in std::iter::once(&result.total).chain(&result.groups) {
        let mut previous = group.users;
        for step in &group.steps {
            assert!(
                step.users <= previous,
                "funnel step {:?}: {} users after {} ({:?})",
                step.step,
                step.users,
                previous,
                group.group
            );
            previous = step.users;
        }
    }
}

const MODES: [FunnelMode; 4] = [
    FunnelMode::Default,
    FunnelMode::StrictOrder,
    FunnelMode::StrictDeduplication,
    FunnelMode::StrictIncrease,
];

/// Funnels (every mode, with and without a breakdown), paths, loyalty and comparisons over a
/// log, with specs built from the log's own event names (so the steps occur).
pub fn exercise_log(log: &EventLog, flags: usize) {
    let _ = log.period();
    let names: Vec<String> = log.event_names.iter().take(4).cloned().collect();
    let segment = log.segments.first().map(|s| s.name.clone());
    let windows = ["7d", "0", "1s", "1h"];
    let mut steps = names.clone();
    if steps.is_empty() {
        steps.push("view".into());
    }
    if flags & 8 == 8 && steps.len() > 1 {
        steps.reverse();
    }
    for (i, mode) in MODES.iter().enumerate() {
        let spec = FunnelSpec {
            steps: steps.clone(),
            window: windows[(i + flags) % windows.len()].into(),
            mode: *mode,
            by: if (i + flags) % 2 == 0 {
                segment.clone()
            } else {
                None
            },
            interval: None,
        };
        if let Ok(result) = cjm_core::funnel(log, &spec) {
            check_funnel(&result);
            let _ = cjm_core::render_funnel_svg(&result, &RenderOptions::default());
        }
    }
    let spec = FunnelSpec {
        steps: steps.clone(),
        window: "7d".into(),
        mode: FunnelMode::Default,
        by: None,
        interval: None,
    };
    if let Some(segment) = log.segments.first()
        && let Some(value) = segment.values.first()
    {
        let split = Split::Segment {
            column: segment.name.clone(),
            value: value.clone(),
        };
        if let Ok(c) = cjm_core::compare_funnel(log, &spec, &split) {
            check_group_pair(&c.a, &c.b);
        }
    }
    if let Some((from, to)) = log.period() {
        let mid = from + (to - from) / 2;
        let iso = |ms: i64| ms.to_string();
        let split = Split::Periods {
            a: format!("{}..{}", iso(from), iso(mid.max(from + 1))),
            b: format!("{}..{}", iso(mid), iso(to.saturating_add(1))),
        };
        if let Ok(c) = cjm_core::compare_funnel(log, &spec, &split) {
            check_group_pair(&c.a, &c.b);
        }
    }
    let goal = names.last().cloned();
    let _ = cjm_core::paths(log, None, &PathOptions { goal, top: Some(3) });
    let _ = cjm_core::paths(log, None, &PathOptions::default());
    if let Some(purchase) = names.last() {
        let _ = cjm_core::loyalty(log, purchase);
    }
    let _ = cjm_core::loyalty(log, "purchase");
}

fn check_group_pair(a: &cjm_core::FunnelGroup, b: &cjm_core::FunnelGroup) {
    for group in [a, b] {
        let mut previous = u64::MAX;
        for step in &group.steps {
            assert!(step.users <= previous, "comparison step counts grow");
            previous = step.users;
        }
    }
}

/// Reads `data` as `format`, writes it in every format and, where nothing is lost, reads it back
/// and asserts the journey is unchanged.
pub fn roundtrip(data: &[u8], format: Format) {
    let Some(journey) = load_journey(data, format) else {
        return;
    };
    for to in Format::ALL {
        let Ok(text) = cjm_core::write_journey(&journey, to) else {
            continue;
        };
        let lossless = matches!(to, Format::Json | Format::Yaml);
        let losses = to.conversion_losses(&journey);
        let back = cjm_core::parse_journey(&text, to);
        if lossless || losses.is_empty() {
            let back = match back {
                Ok(back) => back,
                Err(error) => panic!(
                    "{:?} -> {:?}: written text does not load back: {error}\n--- text ---\n{text}",
                    format, to
                ),
            };
            if back != journey {
                panic!(
                    "{:?} -> {:?} -> {:?} changed the journey (losses: {losses:?})\n--- before ---\n{}\n--- after ---\n{}\n--- text ---\n{text}",
                    format,
                    to,
                    to,
                    serde_json::to_string(&journey).unwrap_or_default(),
                    serde_json::to_string(&back).unwrap_or_default(),
                );
            }
        }
    }
}
