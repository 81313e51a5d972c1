use std::path::PathBuf;
use std::process::ExitCode;

use cjm_core::{Format, write_journey};

use crate::failure::Failure;
use crate::input::{format_for, read, write_output};

#[derive(clap::Args)]
pub struct ConvertArgs {
    input: PathBuf,
    /// Output file, or `-` for standard output.
    output: PathBuf,
    #[arg(long = "from")]
    from: Option<String>,
    #[arg(long = "to")]
    to: Option<String>,
}

pub fn run(args: ConvertArgs) -> Result<ExitCode, Failure> {
    let ConvertArgs {
        input,
        output,
        from,
        to,
    } = args;
    let journey = read(&input, from.as_deref())?;
    let target = if output.as_os_str() == "-" && to.is_none() {
        Format::Json
    } else {
        format_for(&output, to.as_deref())?
    };
    let text = write_journey(&journey, target)
        .map_err(|e| Failure::Cjm(Some(output.clone()), Box::new(e)))?;
    write_output(&output, &text)?;
    // A lossy conversion says what it dropped, so nobody loses data unknowingly.
    let losses = cjm_core::conversion_losses(&journey, target);
    if !losses.is_empty() {
        eprintln!(
            "warning: {} cannot carry everything in this journey; dropped:",
            target.name()
        );
        for loss in &losses {
            eprintln!("  {}", cjm_core::excerpt(loss));
        }
    }
    Ok(ExitCode::SUCCESS)
}
