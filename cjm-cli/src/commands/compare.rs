use std::path::PathBuf;
use std::process::ExitCode;

use cjm_core::{CjmError, ErrorCode};

use super::{StepsArgs, TableFormat};
use crate::failure::{Failure, cjm_failure};
use crate::input::{ReadArgs, read_events};
use crate::printer::{csv, json, pct};

#[derive(clap::Args)]
pub struct CompareArgs {
    events: PathBuf,
    #[command(flatten)]
    funnel: StepsArgs,
    /// COLUMN=VALUE: users with that value against all others.
    #[arg(long, conflicts_with = "periods")]
    split: Option<String>,
    /// FROM..TO,FROM..TO: period A against period B (TO exclusive).
    #[arg(long)]
    periods: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TableFormat,
}

pub fn run(args: CompareArgs) -> Result<ExitCode, Failure> {
    let log = read_events(&args.events, &args.read)?;
    let spec = args.funnel.spec(None);
    let split = match (args.split, args.periods) {
        (Some(split), _) => cjm_core::Split::segment_from_text(&split),
        (None, Some(periods)) => cjm_core::Split::periods_from_text(&periods),
        (None, None) => Err(CjmError::usage(
            ErrorCode::InvalidOption,
            "give --split COLUMN=VALUE or --periods FROM..TO,FROM..TO",
        )),
    }
    .map_err(cjm_failure)?;
    let result = cjm_core::compare_funnel(&log, &spec, &split).map_err(cjm_failure)?;
    match args.format {
        TableFormat::Json => println!("{}", json(&result)),
        TableFormat::Csv => print!("{}", csv(cjm_core::TableKind::FunnelComparison, &result)),
        TableFormat::Text => print_comparison(&result),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_comparison(result: &cjm_core::FunnelComparison) {
    println!(
        "A: {} ({} entered)   B: {} ({} entered)",
        result.a_label,
        result.a.steps.first().map_or(0, |s| s.users),
        result.b_label,
        result.b.steps.first().map_or(0, |s| s.users)
    );
    for step in &result.steps {
        let interval = step.interval.as_ref().map_or("—".to_string(), |i| {
            format!("[{:+.1}, {:+.1}] pp", i.low * 100.0, i.high * 100.0)
        });
        // The counts and the test name beside every p-value, so a tiny
        // sample is visible where the p-value is read.
        let test = match step.test {
            Some(cjm_core::ProportionTest::FisherExact) => "Fisher exact p",
            Some(cjm_core::ProportionTest::ZTest) => "z-test p",
            None => "p",
        };
        println!(
            "  {:<24} A {:>7}  B {:>7}  B−A {:>8} {}  {}/{} vs {}/{}, {} = {}",
            step.step,
            pct(step.a_conversion),
            pct(step.b_conversion),
            step.difference
                .map_or("—".to_string(), |d| format!("{:+.1}pp", d * 100.0)),
            interval,
            step.a_users,
            step.a_base,
            step.b_users,
            step.b_base,
            test,
            step.p_value.map_or("—".to_string(), |p| format!("{p:.3}"))
        );
    }
}
