use cjm_core::ErrorCode;
use std::path::PathBuf;
use std::process::ExitCode;

use cjm_core::CjmError;

use super::LookArgs;
use crate::failure::{Failure, cjm_failure};
use crate::input::{read, write_output};

#[derive(clap::Args)]
pub struct RenderArgs {
    file: PathBuf,
    /// Output file, or `-` for standard output.
    #[arg(short, long)]
    output: PathBuf,
    /// map, curve, friction, or comparison (with --to-be).
    #[arg(long, default_value = "map")]
    chart: String,
    #[arg(long)]
    to_be: Option<PathBuf>,
    #[command(flatten)]
    look: LookArgs,
}

pub fn run(args: RenderArgs) -> Result<ExitCode, Failure> {
    let journey = read(&args.file, None)?;
    let options = args.look.options()?;
    let chart = cjm_core::Chart::from_name(&args.chart).map_err(cjm_failure)?;
    // The to-be file is read only for the chart that draws it.
    let to_be = match (&args.to_be, chart) {
        (Some(path), cjm_core::Chart::Comparison) => Some(read(path, None)?),
        _ => None,
    };
    if chart == cjm_core::Chart::Comparison && to_be.is_none() {
        return Err(cjm_failure(CjmError::usage(
            ErrorCode::InvalidOption,
            "--chart comparison needs --to-be FILE",
        )));
    }
    let svg =
        cjm_core::render_chart(&journey, chart, to_be.as_ref(), &options).map_err(cjm_failure)?;
    write_output(&args.output, &svg)?;
    Ok(ExitCode::SUCCESS)
}
