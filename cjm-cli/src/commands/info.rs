use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::OutputFormat;
use crate::failure::Failure;
use crate::input::read;
use crate::printer::json;

#[derive(clap::Args)]
pub struct InfoArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long = "from")]
    from: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

pub fn run(args: InfoArgs) -> Result<ExitCode, Failure> {
    let mut summaries = Vec::new();
    for path in &args.files {
        summaries.push(cjm_core::summarize(&read(path, args.from.as_deref())?));
    }
    match args.format {
        OutputFormat::Json => println!("{}", json(&summaries)),
        OutputFormat::Text => {
            for (path, summary) in args.files.iter().zip(&summaries) {
                print_summary(path, summary);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(path: &Path, s: &cjm_core::Summary) {
    let state = match s.state {
        cjm_core::JourneyState::AsIs => "as-is",
        cjm_core::JourneyState::ToBe => "to-be",
    };
    println!("{} — {} [{state}]", path.display(), s.title);
    println!(
        "  {} personas, {} stages, {} touchpoints, {} pain points, {} opportunities, {} metrics, {} evidence sources",
        s.personas, s.stages, s.touchpoints, s.pain_points, s.opportunities, s.metrics, s.evidence
    );
    println!("  stages: {}", s.stage_names.join(" → "));
    for pain in &s.top_pain_points {
        let share = pain.share_affected.map_or(String::new(), |v| {
            format!(", {:.0}% of customers", v * 100.0)
        });
        let place = match &pain.touchpoint {
            Some(tp) => format!("{}/{tp}", pain.stage),
            None => pain.stage.clone(),
        };
        println!(
            "  pain [severity {}{share}] {place}: {}",
            pain.severity, pain.description
        );
    }
}
