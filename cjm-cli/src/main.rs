//! `cjm`: validate, convert and create Customer Journey Map files from the shell.

mod commands;
mod failure;
mod input;
mod printer;
mod progress;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use commands::{
    apply, compare, convert, funnel, gaps, info, loyalty, new, paths, plan, render, report,
    retention, schema, score, validate,
};

#[derive(Parser)]
#[command(
    name = "cjm",
    version,
    about = "Customer Journey Map engine: validate, convert and create journey maps"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check journey files and list every problem; exit status 1 when any has errors.
    Validate(validate::ValidateArgs),
    /// Convert a journey between JSON, YAML, Mermaid and CSV (formats from the extensions).
    Convert(convert::ConvertArgs),
    /// Print a readable outline of journey files: counts, stages and the worst pain points.
    Info(info::InfoArgs),
    /// Score a journey: health, friction index per touchpoint and stage, the emotion curve.
    Score(score::ScoreArgs),
    /// Rank the gaps of a journey; with a to-be file, also compare as-is against to-be.
    Gaps(gaps::GapsArgs),
    /// The improvement plan: opportunities ranked by RICE, linked to the gaps they address.
    Plan(plan::PlanArgs),
    /// Funnel over an event log (CSV with user_id,timestamp,event,…, NDJSON or Parquet).
    Funnel(funnel::FunnelArgs),
    /// Transitions between events (or a journey's touchpoints), loops, backtracking, drop-off paths.
    Paths(paths::PathsArgs),
    /// Compare a funnel between two segments (--split COLUMN=VALUE) or two periods.
    Compare(compare::CompareArgs),
    /// Repeat-purchase rate and time to the second purchase.
    Loyalty(loyalty::LoyaltyArgs),
    /// Retention by cohort: who came back in each day, week or month after starting
    Retention(retention::RetentionArgs),
    /// Fill a journey with numbers measured from an event log.
    Apply(apply::ApplyArgs),
    /// Draw the journey map (or one chart) as SVG.
    Render(render::RenderArgs),
    /// A self-contained HTML report: map, health, gaps, plan, friction (and as-is vs to-be).
    Report(report::ReportArgs),
    /// Print the JSON Schema of the journey file format.
    Schema(schema::SchemaArgs),
    /// Start a journey from a template.
    New(new::NewArgs),
}

fn main() -> ExitCode {
    // Like other Unix tools, stop quietly when the reader of our output goes away
    // (`cjm gaps … | head`) instead of failing on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let outcome = match Cli::parse().command {
        Command::Validate(args) => validate::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Info(args) => info::run(args),
        Command::Score(args) => score::run(args),
        Command::Gaps(args) => gaps::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Funnel(args) => funnel::run(args),
        Command::Paths(args) => paths::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Loyalty(args) => loyalty::run(args),
        Command::Retention(args) => retention::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Render(args) => render::run(args),
        Command::Report(args) => report::run(args),
        Command::Schema(args) => schema::run(args),
        Command::New(args) => new::run(args),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => {
            failure.report();
            ExitCode::from(2)
        }
    }
}
