use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cjm_core::{Problem, Severity, ValidateOptions, has_errors, validate};

use super::OutputFormat;
use crate::failure::{Failure, cjm_failure};
use crate::input::{read, today};
use crate::printer::json;

#[derive(clap::Args)]
pub struct ValidateArgs {
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Input format when the extension does not tell (json, yaml, mermaid, csv).
    #[arg(long = "from")]
    from: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Date to judge staleness against (YYYY-MM-DD); defaults to today.
    #[arg(long)]
    today: Option<String>,
    /// Warn when the map's `updated` date is older than this many days.
    #[arg(long, default_value_t = 180)]
    stale_after_days: u32,
    /// Problems listed per code before one summary line gives the number of the rest;
    /// 0 lists every one.
    #[arg(long, default_value_t = cjm_core::DEFAULT_MAX_PROBLEMS_PER_CODE)]
    max_problems_per_code: u32,
    /// Hide warnings in the text listing.
    #[arg(long)]
    quiet: bool,
}

/// Exit status 1 when any file is invalid or unreadable: each one gets its report, none stops
/// the others.
pub fn run(args: ValidateArgs) -> Result<ExitCode, Failure> {
    let options = ValidateOptions {
        today: Some(args.today.unwrap_or_else(today)),
        stale_after_days: args.stale_after_days,
        max_problems_per_code: (args.max_problems_per_code > 0)
            .then_some(args.max_problems_per_code),
    };
    options.check().map_err(cjm_failure)?;
    let reports: Vec<FileReport> = args
        .files
        .iter()
        .map(|path| check_file(path, args.from.as_deref(), &options))
        .collect();
    match args.format {
        OutputFormat::Json => println!("{}", json(&reports)),
        OutputFormat::Text => {
            for report in &reports {
                print_report(report, args.quiet);
            }
        }
    }
    if reports.iter().all(|r| r.valid) {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

#[derive(serde::Serialize)]
struct FileReport {
    file: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<cjm_core::ErrorInfo>,
    problems: Vec<Problem>,
}

/// The report on one file; a file that cannot be read or parsed is reported, not a failure.
fn check_file(path: &Path, from: Option<&str>, options: &ValidateOptions) -> FileReport {
    match read(path, from) {
        Ok(journey) => {
            let problems = validate(&journey, options);
            FileReport {
                file: path.display().to_string(),
                valid: !has_errors(&problems),
                error: None,
                problems,
            }
        }
        Err(Failure::Cjm(_, error)) => FileReport {
            file: path.display().to_string(),
            valid: false,
            error: Some(error.info()),
            problems: Vec::new(),
        },
        Err(Failure::Io(_, error)) => FileReport {
            file: path.display().to_string(),
            valid: false,
            error: Some(cjm_core::ErrorInfo {
                kind: cjm_core::ErrorKind::Usage,
                code: "io".into(),
                message: error.to_string(),
                location: Default::default(),
                problems: Vec::new(),
            }),
            problems: Vec::new(),
        },
    }
}

fn print_report(report: &FileReport, quiet: bool) {
    if let Some(error) = &report.error {
        let location = match (error.location.line, error.location.column) {
            (Some(line), Some(column)) => format!(":{line}:{column}"),
            (Some(line), None) => format!(":{line}"),
            _ => String::new(),
        };
        println!(
            "{}{location}: error[{}]: {}",
            report.file, error.code, error.message
        );
        return;
    }
    let count = |severity: Severity| -> u64 {
        let listed = report.problems.iter().filter(|p| p.severity == severity);
        listed.map(Problem::count).sum()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    for problem in &report.problems {
        if quiet && problem.severity == Severity::Warning {
            continue;
        }
        let label = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = if problem.path.is_empty() {
            "/"
        } else {
            &problem.path
        };
        println!(
            "{}: {label}[{}] at {path}: {}",
            report.file, problem.code, problem.message
        );
    }
    let verdict = if errors == 0 { "valid" } else { "INVALID" };
    println!(
        "{}: {verdict} ({errors} error(s), {warnings} warning(s))",
        report.file
    );
}
