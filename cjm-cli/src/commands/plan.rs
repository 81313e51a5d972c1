use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::failure::Failure;
use crate::input::read;
use crate::printer::json;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    Text,
    Json,
    Csv,
}

#[derive(clap::Args)]
pub struct PlanArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: PlanFormat,
}

pub fn run(args: PlanArgs) -> Result<ExitCode, Failure> {
    let journey = read(&args.file, None)?;
    let plan = cjm_core::plan(&journey, &cjm_core::analyze_gaps(&journey));
    match args.format {
        PlanFormat::Json => println!("{}", json(&plan)),
        PlanFormat::Csv => print!("{}", cjm_core::plan_csv(&plan)),
        PlanFormat::Text => print_plan(&plan),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_plan(plan: &cjm_core::Plan) {
    for item in &plan.items {
        let score = item.score.map_or("—".to_string(), |s| format!("{s:.2}"));
        let method = serde_json::to_value(item.method).unwrap_or_default();
        let flags: Vec<String> = item
            .flags
            .iter()
            .map(|f| {
                serde_json::to_value(f)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        println!(
            "{:>3}. {}{} [{} {score}] owner: {}, due: {}{}",
            item.rank,
            if item.high_priority { "★ " } else { "" },
            item.title,
            method.as_str().unwrap_or(""),
            item.owner.as_deref().unwrap_or("—"),
            item.due.as_deref().unwrap_or("—"),
            if flags.is_empty() {
                String::new()
            } else {
                format!("  ⚠ {}", flags.join(", "))
            }
        );
        if !item.addresses.is_empty() {
            println!(
                "       addresses: {} (severity {:.2})",
                item.addresses.join(", "),
                item.addressed_severity
            );
        }
    }
    if !plan.unaddressed_pain_points.is_empty() {
        println!("Pain points no opportunity addresses:");
        for pain in &plan.unaddressed_pain_points {
            println!(
                "  {:.2} {}: {}",
                pain.severity, pain.pain_point, pain.message
            );
        }
    }
}
