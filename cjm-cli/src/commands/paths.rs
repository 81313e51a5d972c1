use std::path::PathBuf;
use std::process::ExitCode;

use super::TableFormat;
use crate::failure::{Failure, cjm_failure};
use crate::input::{ReadArgs, read, read_events};
use crate::printer::{csv, json, secs};

#[derive(clap::Args)]
pub struct PathsArgs {
    events: PathBuf,
    /// Map events to this journey's touchpoints through their `events` patterns.
    #[arg(long)]
    journey: Option<PathBuf>,
    /// Event (or touchpoint) whose absence marks a dropped-off user.
    #[arg(long)]
    goal: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TableFormat,
}

pub fn run(args: PathsArgs) -> Result<ExitCode, Failure> {
    let log = read_events(&args.events, &args.read)?;
    let journey = args.journey.as_deref().map(|p| read(p, None)).transpose()?;
    let options = cjm_core::PathOptions {
        goal: args.goal,
        top: None,
    };
    let result = cjm_core::paths(&log, journey.as_ref(), &options).map_err(cjm_failure)?;
    match args.format {
        TableFormat::Json => println!("{}", json(&result)),
        TableFormat::Csv => print!("{}", csv(cjm_core::TableKind::Paths, &result)),
        TableFormat::Text => print_paths(&result),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_paths(result: &cjm_core::PathsResult) {
    println!("Most frequent transitions ({} level):", result.level);
    for t in result.transitions.iter().take(15) {
        println!(
            "  {:>8} {} → {} ({:.0}% of moves from it, median {})",
            t.events,
            t.from,
            t.to,
            t.share * 100.0,
            secs(t.median_seconds)
        );
    }
    let loops: Vec<_> = result.nodes.iter().filter(|n| n.loop_users > 0).collect();
    if !loops.is_empty() {
        println!("Loops (users coming back after another step):");
        for n in loops {
            println!("  {:>8} {}", n.loop_users, n.node);
        }
    }
    for b in &result.backtracking {
        println!(
            "  backtracking {} → {}: {} users",
            b.from_stage, b.to_stage, b.users
        );
    }
    if !result.drop_off_paths.is_empty() {
        println!("How dropped-off users end:");
        for p in &result.drop_off_paths {
            println!("  {:>8} {}", p.users, p.path.join(" → "));
        }
    }
    if result.unmapped_events > 0 {
        println!("{} events match no touchpoint", result.unmapped_events);
    }
}
