use std::path::PathBuf;
use std::process::ExitCode;

use cjm_core::ValidateOptions;

use super::{OutputFormat, friction_weights};
use crate::failure::{Failure, cjm_failure};
use crate::input::{read, today};
use crate::printer::{fmt_index, json, print_gaps};

#[derive(clap::Args)]
pub struct ScoreArgs {
    file: PathBuf,
    #[arg(long = "from")]
    from: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Date to judge staleness against (YYYY-MM-DD); defaults to today.
    #[arg(long)]
    today: Option<String>,
    /// Friction weights as JSON, e.g. '{"emotion": 0.4}' (others keep their defaults).
    #[arg(long)]
    weights: Option<String>,
}

pub fn run(args: ScoreArgs) -> Result<ExitCode, Failure> {
    let journey = read(&args.file, args.from.as_deref())?;
    let options = ValidateOptions {
        today: Some(args.today.unwrap_or_else(today)),
        ..Default::default()
    };
    options.check().map_err(cjm_failure)?;
    let report = cjm_core::score(
        &journey,
        &options,
        &friction_weights(args.weights.as_deref())?,
    );
    match args.format {
        OutputFormat::Json => println!("{}", json(&report)),
        OutputFormat::Text => print_score(&report),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_score(report: &cjm_core::ScoreReport) {
    let h = &report.health;
    println!("Journey {}", h.journey);
    println!(
        "  friction {} / 100 (evidence covers {:.0}% of the weight)",
        fmt_index(h.friction).trim(),
        h.friction_coverage * 100.0
    );
    if let Some(curve) = &h.curve {
        println!(
            "  emotion: mean {:+.2}, end {:+.2}, peak–end {:+.2}, {:.0}% of steps positive, lowest at {}",
            curve.mean,
            curve.end.value,
            curve.peak_end,
            curve.share_positive * 100.0,
            curve
                .lowest
                .iter()
                .map(|p| p.touchpoint.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!(
        "  targets: {} met, {} at risk, {} missed, {} without target; evidence on {:.0}% of touchpoints",
        h.targets.met,
        h.targets.at_risk,
        h.targets.missed,
        h.targets.unknown,
        h.evidence_coverage * 100.0
    );
    if let Some(days) = h.days_since_update {
        println!("  updated {days} days ago");
    }
    println!("Stages (friction):");
    for stage in &report.friction.stages {
        println!("  {} {}", fmt_index(stage.score.index), stage.name);
    }
    print_worst_touchpoints(&report.friction.touchpoints);
    println!("Top gaps:");
    print_gaps(&h.top_gaps);
}

/// The five touchpoints with the highest friction index and what makes it up.
fn print_worst_touchpoints(touchpoints: &[cjm_core::TouchpointFriction]) {
    let mut worst: Vec<&cjm_core::TouchpointFriction> = touchpoints.iter().collect();
    worst.sort_by(|a, b| {
        b.score
            .index
            .unwrap_or(-1.0)
            .total_cmp(&a.score.index.unwrap_or(-1.0))
    });
    println!("Touchpoints with the most friction:");
    for tp in worst.iter().take(5) {
        let parts: Vec<String> = tp
            .score
            .components
            .iter()
            .filter(|c| c.contribution > 0.05)
            .map(|c| {
                let kind = serde_json::to_value(c.kind).unwrap_or_default();
                format!("{} {:.1}", kind.as_str().unwrap_or(""), c.contribution)
            })
            .collect();
        println!(
            "  {} {}/{} = {}",
            fmt_index(tp.score.index),
            tp.stage,
            tp.touchpoint,
            parts.join(" + ")
        );
    }
}
