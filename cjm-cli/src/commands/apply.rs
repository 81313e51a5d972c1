use std::path::PathBuf;
use std::process::ExitCode;

use cjm_core::{MetricAction, write_journey};

use crate::failure::{Failure, cjm_failure};
use crate::input::{ReadArgs, format_for, read, read_events, write_output};

#[derive(clap::Args)]
pub struct ApplyArgs {
    journey: PathBuf,
    events: PathBuf,
    /// The journey with data (format from the extension).
    #[arg(short, long)]
    output: PathBuf,
    #[arg(long, default_value = "30d")]
    window: String,
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: ApplyArgs) -> Result<ExitCode, Failure> {
    let source = read(&args.journey, None)?;
    let log = read_events(&args.events, &args.read)?;
    let options = cjm_core::ApplyOptions {
        window: args.window,
        ..Default::default()
    };
    let (filled, report) = cjm_core::apply_events(&source, &log, &options).map_err(cjm_failure)?;
    let format = format_for(&args.output, None)?;
    let text = write_journey(&filled, format).map_err(cjm_failure)?;
    write_output(&args.output, &text)?;
    print_apply_report(&report, args.read.quiet);
    Ok(ExitCode::SUCCESS)
}

/// What was applied, on standard error (standard output may carry the journey): one summary
/// line, then every metric unless `quiet`.
fn print_apply_report(report: &cjm_core::ApplyReport, quiet: bool) {
    let count = |action: MetricAction| report.metrics.iter().filter(|m| m.action == action).count();
    eprintln!(
        "applied {} events of {} users ({}): {} measured metrics added, {} replaced, {} metrics left alone, {} events matched no touchpoint{}",
        report.events,
        report.users,
        report.period.as_deref().unwrap_or("no period"),
        count(MetricAction::Added),
        count(MetricAction::Replaced),
        count(MetricAction::LeftAlone),
        report.unmapped_events,
        if report.unmapped_names.is_empty() {
            String::new()
        } else {
            format!(
                " (e.g. {})",
                report
                    .unmapped_names
                    .iter()
                    .take(3)
                    .map(|(n, c)| format!("{n} ×{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    if quiet {
        return;
    }
    for metric in &report.metrics {
        let action = match metric.action {
            MetricAction::Added => "added",
            MetricAction::Replaced => "replaced",
            MetricAction::LeftAlone => "left alone",
        };
        let unit = metric.unit.as_deref().unwrap_or("");
        let measured = match (metric.value, metric.sample_size) {
            (Some(v), Some(n)) => format!(" = {v} {unit} (n = {n})"),
            (Some(v), None) => format!(" = {v} {unit}"),
            _ => String::new(),
        };
        eprintln!(
            "  {action:<10} {} {}{measured}",
            metric.path,
            metric.id.as_deref().unwrap_or("(no id)"),
        );
    }
}
