use std::path::PathBuf;
use std::process::ExitCode;

use super::TableFormat;
use crate::failure::{Failure, cjm_failure};
use crate::input::{ReadArgs, read_events};
use crate::printer::{csv, json, pct, secs};

#[derive(clap::Args)]
pub struct LoyaltyArgs {
    events: PathBuf,
    #[arg(long, default_value = "purchase")]
    purchase_event: String,
    #[command(flatten)]
    read: ReadArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TableFormat,
}

pub fn run(args: LoyaltyArgs) -> Result<ExitCode, Failure> {
    let log = read_events(&args.events, &args.read)?;
    let result = cjm_core::loyalty(&log, &args.purchase_event).map_err(cjm_failure)?;
    match args.format {
        TableFormat::Json => println!("{}", json(&result)),
        TableFormat::Csv => print!("{}", csv(cjm_core::TableKind::Loyalty, &result)),
        TableFormat::Text => println!(
            "{} customers, {} bought again: repeat-purchase rate {} ({}); median time to the second purchase {}",
            result.customers,
            result.repeat_customers,
            pct(result.repeat_rate),
            result
                .interval
                .as_ref()
                .map_or("—".to_string(), |i| format!(
                    "95% CI {:.1}–{:.1}%",
                    i.low * 100.0,
                    i.high * 100.0
                )),
            secs(result.time_to_second_purchase.median)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
