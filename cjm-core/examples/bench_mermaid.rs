//! Mermaid import benchmark: a `journey` diagram with many distinct actors.
//!
//! Builds 1 000 tasks with 1 000 distinct actors each (1 M actors, about 8 MB — the shape of
//! the file in issue 10), imports it and prints the time as one JSON line. Import must be
//! linear in the number of actors; the target is under 2 s for 1 M actors.
//!
//!     cargo run --release -p cjm-core --example bench_mermaid
//!     cargo run --release -p cjm-core --example bench_mermaid -- --actors 100000

use std::time::Instant;

use cjm_core::{Format, LoadOptions, parse_journey_with};

fn main() {
    let mut actors: usize = 1_000_000;
    let mut per_task: usize = 1_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--actors", Some(n)) => actors = n,
            ("--per-task", Some(n)) if n > 0 => per_task = n,
            _ => {
                eprintln!("usage: bench_mermaid [--actors N] [--per-task N]");
                std::process::exit(2);
            }
        }
    }

    let mut text = String::from("journey\n    title Many actors\n    section Everyone\n");
    let mut actor = 0usize;
    let mut task = 0usize;
    while actor < actors {
        task += 1;
        text.push_str(&format!("      Task {task}: 3: "));
        let end = (actor + per_task).min(actors);
        let names: Vec<String> = (actor..end).map(|i| format!("a{i}")).collect();
        text.push_str(&names.join(", "));
        text.push('\n');
        actor = end;
    }

    let options = LoadOptions {
        max_bytes: text.len().max(cjm_core::DEFAULT_MAX_BYTES),
    };
    let start = Instant::now();
    let journey = match parse_journey_with(&text, Format::Mermaid, &options) {
        Ok(journey) => journey,
        Err(error) => {
            eprintln!("import failed: {error}");
            std::process::exit(1);
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(
        journey.personas.len(),
        actors,
        "every actor becomes a persona"
    );
    println!(
        "{{\"bench\":\"mermaid_import\",\"actors\":{actors},\"tasks\":{task},\"bytes\":{},\"seconds\":{seconds:.3}}}",
        text.len()
    );
}
