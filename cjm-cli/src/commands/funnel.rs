use std::path::PathBuf;
use std::process::ExitCode;

use super::{StepsArgs, TableFormat};
use crate::failure::Failure;
use crate::input::{ReadArgs, read_events, time_interval_parser};
use crate::printer::{csv, json, pct, secs};
use crate::progress::funnel_with_bar;

#[derive(clap::Args)]
pub struct FunnelArgs {
    events: PathBuf,
    #[command(flatten)]
    funnel: StepsArgs,
    /// Break down by segment columns, comma-separated (a user's values on their first event).
    #[arg(long)]
    by: Option<String>,
    /// Conversion over time: a group per UTC day, ISO week or month of each user's first
    /// step-1 event (day, week or month).
    #[arg(long, value_parser = time_interval_parser)]
    interval: Option<cjm_core::TimeInterval>,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TableFormat,
}

pub fn run(args: FunnelArgs) -> Result<ExitCode, Failure> {
    let log = read_events(&args.events, &args.read)?;
    let spec = cjm_core::FunnelSpec {
        interval: args.interval,
        ..args.funnel.spec(args.by)
    };
    let result = funnel_with_bar(&log, &spec, args.read.quiet)?;
    // On standard error even with JSON output: a misspelt step is a silent 0 % otherwise.
    for warning in &result.warnings {
        eprintln!("warning: {warning}");
    }
    match args.format {
        TableFormat::Json => println!("{}", json(&result)),
        TableFormat::Csv => print!("{}", csv(cjm_core::TableKind::Funnel, &result)),
        TableFormat::Text => {
            print_funnel_group(&result.total);
            for group in &result.groups {
                print_funnel_group(group);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_funnel_group(group: &cjm_core::FunnelGroup) {
    println!(
        "{} ({} users)",
        group.group.as_deref().unwrap_or("all users"),
        group.users
    );
    println!(
        "  {:<24} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "step", "users", "of start", "of prev", "median", "p90"
    );
    for step in &group.steps {
        println!(
            "  {:<24} {:>9} {:>10} {:>10} {:>10} {:>10}",
            step.step,
            step.users,
            pct(step.conversion_from_start),
            pct(step.conversion_from_previous),
            secs(step.time_from_previous.median),
            secs(step.time_from_previous.p90)
        );
    }
}
