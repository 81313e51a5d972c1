use std::process::ExitCode;

use crate::failure::Failure;
use crate::printer::json;

#[derive(clap::Args)]
pub struct SchemaArgs {
    /// Print the schema of the API values (problems, errors, options) instead.
    #[arg(long)]
    api: bool,
}

pub fn run(args: SchemaArgs) -> Result<ExitCode, Failure> {
    let schema = if args.api {
        cjm_core::api_schema()
    } else {
        cjm_core::journey_schema()
    };
    println!("{}", json(&schema));
    Ok(ExitCode::SUCCESS)
}
