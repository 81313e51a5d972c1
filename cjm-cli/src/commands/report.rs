use std::path::PathBuf;
use std::process::ExitCode;

use super::LookArgs;
use crate::failure::{Failure, cjm_failure};
use crate::input::{
    ReadArgs, column_map_parser, read, read_events, time_unit_parser, today, write_output,
};

#[derive(clap::Args)]
pub struct ReportArgs {
    file: PathBuf,
    #[arg(short, long)]
    output: PathBuf,
    #[arg(long)]
    to_be: Option<PathBuf>,
    /// Fill the map from an event log first (see `cjm apply`).
    #[arg(long)]
    events: Option<PathBuf>,
    /// With --events: add a funnel over these step events (comma-separated).
    #[arg(long, value_delimiter = ',', conflicts_with = "step")]
    steps: Vec<String>,
    /// With --events: one funnel step, repeatable, in the step grammar (see `cjm funnel --help`).
    #[arg(long, value_name = "STEP")]
    step: Vec<String>,
    /// Funnel conversion window.
    #[arg(long, default_value = "7d")]
    window: String,
    /// No progress bar while reading --events.
    #[arg(long, short)]
    quiet: bool,
    /// Unit of epoch-number timestamps in --events (see `cjm funnel --help`).
    #[arg(long, default_value = "auto", value_parser = time_unit_parser())]
    time_unit: cjm_core::TimeUnit,
    /// Column mapping for --events (see `cjm funnel --help`).
    #[arg(long, value_name = "ROLE=COLUMN,...", value_parser = column_map_parser)]
    columns: Option<cjm_core::ColumnMap>,
    /// Date to judge staleness against (YYYY-MM-DD); defaults to today.
    #[arg(long)]
    today: Option<String>,
    #[command(flatten)]
    look: LookArgs,
}

pub fn run(args: ReportArgs) -> Result<ExitCode, Failure> {
    let mut journey = read(&args.file, None)?;
    let mut funnel = None;
    if let Some(events) = &args.events {
        // Unlike `funnel` and friends, the report has no --skip-bad-rows: a bad row stops it.
        let read_args = ReadArgs {
            skip_bad_rows: false,
            time_unit: args.time_unit,
            columns: args.columns,
            quiet: args.quiet,
        };
        let log = read_events(events, &read_args)?;
        journey = cjm_core::apply_events(&journey, &log, &Default::default())
            .map_err(cjm_failure)?
            .0;
        let steps = if args.step.is_empty() {
            args.steps
        } else {
            args.step
        };
        if !steps.is_empty() {
            let spec = cjm_core::FunnelSpec {
                steps,
                window: args.window,
                mode: Default::default(),
                by: None,
                interval: None,
            };
            funnel = Some(cjm_core::funnel(&log, &spec).map_err(cjm_failure)?);
        }
    }
    let options = cjm_core::ReportOptions {
        render: args.look.options()?,
        today: Some(args.today.unwrap_or_else(today)),
        to_be: args.to_be.as_deref().map(|p| read(p, None)).transpose()?,
        funnel,
    };
    let html = cjm_core::render_report_html(&journey, &options).map_err(cjm_failure)?;
    write_output(&args.output, &html)?;
    Ok(ExitCode::SUCCESS)
}
