//! Mermaid import and export stay linear in the number of distinct actors (issue 10: 100 000
//! actors took 38 s when every actor was looked up in a list). Not timed: it must finish.

use cjm_core::{Format, parse_journey, write_journey};

#[test]
fn two_hundred_thousand_distinct_actors_import_and_export() {
    let actors = 200_000;
    let per_task = 500;
    let mut text = String::from("journey\n    title Crowd\n    section Everyone\n");
    for task in 0..actors / per_task {
        let names: Vec<String> = (task * per_task..(task + 1) * per_task)
            .map(|i| format!("Actor {i}"))
            .collect();
        text.push_str(&format!("      Task {task}: 4: {}\n", names.join(", ")));
    }
    // One actor repeated on every task is still one persona.
    text.push_str("      Last: 2: Actor 0, Actor 199999, Actor 0\n");

    let journey = parse_journey(&text, Format::Mermaid).expect("imports");
    assert_eq!(journey.personas.len(), actors);
    assert_eq!(journey.personas[123_456].id, "actor-123456");
    assert_eq!(journey.personas[123_456].name, "Actor 123456");
    let tps = &journey.stages[0].touchpoints;
    assert_eq!(tps.len(), actors / per_task + 1);
    assert_eq!(tps[0].emotions.len(), per_task);
    // Mermaid 4 on −2..+2 is 1; Mermaid 2 is −1; the repeated actor scores once.
    assert_eq!(tps[0].emotions[0].score, 1.0);
    let last = &tps[actors / per_task];
    let ids: Vec<_> = last.emotions.iter().map(|e| e.persona.as_deref()).collect();
    assert_eq!(ids, vec![Some("actor-0"), Some("actor-199999")]);
    assert_eq!(last.emotions[0].score, -1.0);

    // Writing it back needs no id comments (every id derives from its name) and reads back.
    let written = write_journey(&journey, Format::Mermaid).expect("writes");
    assert!(!written.contains("%% cjm"));
    assert_eq!(
        parse_journey(&written, Format::Mermaid).expect("reads"),
        journey
    );
}
