use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{TableFormat, friction_weights};
use crate::failure::Failure;
use crate::input::read;
use crate::printer::{csv, fmt_index, json, print_gaps};

#[derive(clap::Args)]
pub struct GapsArgs {
    as_is: PathBuf,
    to_be: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    /// `csv`: the gap table, or with a to-be map the touchpoint comparison table.
    format: TableFormat,
    #[arg(long)]
    weights: Option<String>,
}

pub fn run(args: GapsArgs) -> Result<ExitCode, Failure> {
    let before = read(&args.as_is, None)?;
    let gaps = cjm_core::analyze_gaps(&before);
    let comparison = match &args.to_be {
        Some(path) => {
            let after = read(path, None)?;
            Some(cjm_core::compare_journeys(
                &before,
                &after,
                &friction_weights(args.weights.as_deref())?,
            ))
        }
        None => None,
    };
    match args.format {
        TableFormat::Json => println!(
            "{}",
            json(&serde_json::json!({"gaps": gaps, "comparison": comparison}))
        ),
        TableFormat::Csv => match &comparison {
            Some(comparison) => print!("{}", csv(cjm_core::TableKind::Comparison, comparison)),
            None => print!("{}", csv(cjm_core::TableKind::Gaps, &gaps)),
        },
        TableFormat::Text => print_text(&args.as_is, &gaps, comparison.as_ref()),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_text(as_is: &Path, gaps: &cjm_core::GapReport, comparison: Option<&cjm_core::Comparison>) {
    println!("Gaps in {} (most severe first):", as_is.display());
    print_gaps(&gaps.gaps);
    if let Some(c) = comparison {
        println!("As-is vs to-be:");
        println!("  added touchpoints: {}", c.added.join(", "));
        println!("  removed touchpoints: {}", c.removed.join(", "));
        for stage in &c.stages {
            println!(
                "  stage {}: friction {} → {}",
                stage.stage,
                fmt_index(stage.friction_before).trim(),
                fmt_index(stage.friction_after).trim()
            );
        }
        if c.worse.is_empty() {
            println!("  the to-be map is nowhere worse");
        } else {
            println!("  where the to-be map is worse:");
            print_gaps(&c.worse);
        }
    }
}
