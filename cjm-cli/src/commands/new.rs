use std::path::PathBuf;
use std::process::ExitCode;

use cjm_core::{Format, write_journey};

use crate::failure::{Failure, cjm_failure};
use crate::input::{format_for, write_output};

#[derive(clap::Args)]
pub struct NewArgs {
    /// classic (awareness → loyalty) or ecommerce (need → repeat purchase).
    #[arg(long, default_value = "classic")]
    template: String,
    /// Language of the template: en or ru.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Output file (format from its extension); standard output as YAML when absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(args: NewArgs) -> Result<ExitCode, Failure> {
    let journey = cjm_core::template(&args.template, &args.lang).map_err(cjm_failure)?;
    let (path, format) = match &args.output {
        Some(path) => (path.clone(), format_for(path, None)?),
        None => (PathBuf::from("-"), Format::Yaml),
    };
    let text = write_journey(&journey, format).map_err(cjm_failure)?;
    write_output(&path, &text)?;
    Ok(ExitCode::SUCCESS)
}
