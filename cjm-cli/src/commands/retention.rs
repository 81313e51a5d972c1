use std::path::PathBuf;
use std::process::ExitCode;

use super::TableFormat;
use crate::failure::{Failure, cjm_failure};
use crate::input::{ReadArgs, read_events, time_interval_parser};
use crate::printer::{csv, json, pct};

/// `retention`: who came back in each period after their first start event.
#[derive(clap::Args)]
pub struct RetentionArgs {
    events: PathBuf,
    /// The start event (a step expression, e.g. `signup` or `signup[plan=pro]`); a user's
    /// first one is their t0.
    #[arg(long)]
    start: String,
    /// The return event (a step expression); the start event when absent.
    #[arg(long = "return", value_name = "EVENT")]
    return_event: Option<String>,
    /// The period length: day (24 h), week (7 days) or month (30 days).
    #[arg(long, default_value = "week", value_parser = time_interval_parser)]
    interval: cjm_core::TimeInterval,
    /// How many periods, from period 0.
    #[arg(long, default_value_t = 8)]
    periods: u32,
    /// Retained in period N means a return in period N or later.
    #[arg(long)]
    unbounded: bool,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TableFormat,
}

pub fn run(args: RetentionArgs) -> Result<ExitCode, Failure> {
    let log = read_events(&args.events, &args.read)?;
    let spec = cjm_core::RetentionSpec {
        start: args.start,
        return_event: args.return_event,
        interval: args.interval,
        periods: args.periods,
        unbounded: args.unbounded,
    };
    let result = cjm_core::retention(&log, &spec).map_err(cjm_failure)?;
    match args.format {
        TableFormat::Json => println!("{}", json(&result)),
        TableFormat::Csv => print!("{}", csv(cjm_core::TableKind::Retention, &result)),
        TableFormat::Text => {
            println!(
                "{} users started ({}), returning ({}){}",
                result.users,
                result.start,
                result.return_event,
                if result.unbounded { ", unbounded" } else { "" }
            );
            let header: Vec<String> = (0..spec.periods).map(|p| format!("{p:>7}")).collect();
            println!("{:<12} {:>7} {}", "cohort", "users", header.join(""));
            let cells = |cells: &mut dyn Iterator<Item = &cjm_core::RetentionCell>| {
                cells
                    .map(|c| {
                        format!(
                            "{:>7}",
                            if c.users == 0 {
                                "—".into()
                            } else {
                                pct(c.rate)
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("")
            };
            println!(
                "{:<12} {:>7} {}",
                "(all)",
                result.users,
                cells(&mut result.overall.iter().map(|p| &p.cell))
            );
            for cohort in &result.cohorts {
                println!(
                    "{:<12} {:>7} {}",
                    cohort.cohort,
                    cohort.users,
                    cells(&mut cohort.periods.iter())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
