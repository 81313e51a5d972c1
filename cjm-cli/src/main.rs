//! `cjm`: validate, convert and create Customer Journey Map files from the shell.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cjm_core::{
    CjmError, Format, LoadOptions, Problem, Severity, ValidateOptions, has_errors,
    parse_journey_bytes, validate, write_journey,
};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "cjm",
    version,
    about = "Customer Journey Map engine: validate, convert and create journey maps"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum PlanFormat {
    Text,
    Json,
    Csv,
}

#[derive(Subcommand)]
enum Command {
    /// Check journey files and list every problem; exit status 1 when any has errors.
    Validate {
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
    },
    /// Convert a journey between JSON, YAML, Mermaid and CSV (formats from the extensions).
    Convert {
        input: PathBuf,
        /// Output file, or `-` for standard output.
        output: PathBuf,
        #[arg(long = "from")]
        from: Option<String>,
        #[arg(long = "to")]
        to: Option<String>,
    },
    /// Print a readable outline of journey files: counts, stages and the worst pain points.
    Info {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long = "from")]
        from: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Score a journey: health, friction index per touchpoint and stage, the emotion curve.
    Score {
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
    },
    /// Rank the gaps of a journey; with a to-be file, also compare as-is against to-be.
    Gaps {
        as_is: PathBuf,
        to_be: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        #[arg(long)]
        weights: Option<String>,
    },
    /// The improvement plan: opportunities ranked by RICE, linked to the gaps they address.
    Plan {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: PlanFormat,
    },
    /// Funnel over an event log (CSV with user_id,timestamp,event,…, NDJSON or Parquet).
    Funnel {
        events: PathBuf,
        /// Step event names, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        steps: Vec<String>,
        /// Conversion window from the first step.
        #[arg(long, default_value = "7d")]
        window: String,
        #[arg(long, value_enum, default_value = "default")]
        mode: Mode,
        /// Break down by a segment column (a user's value on their first event).
        #[arg(long)]
        by: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Transitions between events (or a journey's touchpoints), loops, backtracking, drop-off paths.
    Paths {
        events: PathBuf,
        /// Map events to this journey's touchpoints through their `events` patterns.
        #[arg(long)]
        journey: Option<PathBuf>,
        /// Event (or touchpoint) whose absence marks a dropped-off user.
        #[arg(long)]
        goal: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Compare a funnel between two segments (--split COLUMN=VALUE) or two periods.
    Compare {
        events: PathBuf,
        #[arg(long, value_delimiter = ',', required = true)]
        steps: Vec<String>,
        #[arg(long, default_value = "7d")]
        window: String,
        #[arg(long, value_enum, default_value = "default")]
        mode: Mode,
        /// COLUMN=VALUE: users with that value against all others.
        #[arg(long, conflicts_with = "periods")]
        split: Option<String>,
        /// FROM..TO,FROM..TO: period A against period B (TO exclusive).
        #[arg(long)]
        periods: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Repeat-purchase rate and time to the second purchase.
    Loyalty {
        events: PathBuf,
        #[arg(long, default_value = "purchase")]
        purchase_event: String,
        #[command(flatten)]
        read: ReadArgs,
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Fill a journey with numbers measured from an event log.
    Apply {
        journey: PathBuf,
        events: PathBuf,
        /// The journey with data (format from the extension).
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value = "30d")]
        window: String,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Draw the journey map (or one chart) as SVG.
    Render {
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
    },
    /// A self-contained HTML report: map, health, gaps, plan, friction (and as-is vs to-be).
    Report {
        file: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long)]
        to_be: Option<PathBuf>,
        /// Fill the map from an event log first (see `cjm apply`).
        #[arg(long)]
        events: Option<PathBuf>,
        /// With --events: add a funnel over these step events (comma-separated).
        #[arg(long, value_delimiter = ',')]
        steps: Vec<String>,
        /// Funnel conversion window.
        #[arg(long, default_value = "7d")]
        window: String,
        /// No progress bar while reading --events.
        #[arg(long, short)]
        quiet: bool,
        /// Unit of epoch-number timestamps in --events (see `cjm funnel --help`).
        #[arg(long, default_value = "auto", value_parser = time_unit_parser())]
        time_unit: cjm_core::TimeUnit,
        /// Date to judge staleness against (YYYY-MM-DD); defaults to today.
        #[arg(long)]
        today: Option<String>,
        #[command(flatten)]
        look: LookArgs,
    },
    /// Print the JSON Schema of the journey file format.
    Schema {
        /// Print the schema of the API values (problems, errors, options) instead.
        #[arg(long)]
        api: bool,
    },
    /// Start a journey from a template.
    New {
        /// classic (awareness → loyalty) or ecommerce (need → repeat purchase).
        #[arg(long, default_value = "classic")]
        template: String,
        /// Language of the template: en or ru.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Output file (format from its extension); standard output as YAML when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Mode {
    Default,
    StrictOrder,
    StrictDeduplication,
    StrictIncrease,
}

impl From<Mode> for cjm_core::FunnelMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Default => cjm_core::FunnelMode::Default,
            Mode::StrictOrder => cjm_core::FunnelMode::StrictOrder,
            Mode::StrictDeduplication => cjm_core::FunnelMode::StrictDeduplication,
            Mode::StrictIncrease => cjm_core::FunnelMode::StrictIncrease,
        }
    }
}

#[derive(clap::Args)]
struct LookArgs {
    /// light or dark.
    #[arg(long, default_value = "light")]
    theme: String,
    /// Language of labels: en or ru.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Only these personas (ids, comma-separated).
    #[arg(long, value_delimiter = ',')]
    personas: Vec<String>,
    /// Only these lanes, in this order (touchpoints, actions, thoughts, feelings, questions,
    /// expectations, emotions, pain_points, opportunities, metrics, friction).
    #[arg(long, value_delimiter = ',')]
    lanes: Vec<String>,
    /// Refuse (output_too_large) when the output could exceed this many bytes (default 64 MiB;
    /// 0: no limit).
    #[arg(long, value_name = "BYTES", default_value_t = cjm_core::DEFAULT_MAX_OUTPUT_BYTES)]
    max_output_bytes: u64,
}

impl LookArgs {
    fn options(&self) -> Result<cjm_core::RenderOptions, Failure> {
        let value = serde_json::json!({
            "theme": self.theme,
            "language": self.lang,
            "personas": self.personas,
            "lanes": self.lanes,
            "max_output_bytes": self.max_output_bytes,
        });
        serde_json::from_value(value).map_err(|e| {
            cjm_failure(CjmError::usage(
                "invalid_option",
                format!("render options: {e}"),
            ))
        })
    }
}

#[derive(clap::Args)]
struct ReadArgs {
    /// Skip rows that cannot be read (they are counted and reported) instead of stopping.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Unit of epoch-number timestamps; auto picks the unit in which the first number lands
    /// between 1990 and 2100 (ISO-8601 text carries its own).
    #[arg(long, default_value = "auto", value_parser = time_unit_parser())]
    time_unit: cjm_core::TimeUnit,
    /// No progress bar (one is drawn on standard error for big inputs when it is a terminal).
    #[arg(long, short)]
    quiet: bool,
}

/// `--time-unit`: auto, s, ms, us or ns.
fn time_unit_parser() -> impl clap::builder::TypedValueParser<Value = cjm_core::TimeUnit> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["auto", "s", "ms", "us", "ns"])
        .map(|name| cjm_core::TimeUnit::from_name(&name).unwrap_or_default())
}

/// Inputs from this size on get a progress bar (when standard error is a terminal).
const PROGRESS_FROM_BYTES: u64 = 8 << 20;

/// A progress bar on standard error for work of `length` units (bytes first), or `None`: with
/// `--quiet`, for small inputs (not `big`), or when standard error is not a terminal (piped,
/// redirected, in CI).
fn progress_bar(length: u64, big: bool, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !big || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(length),
        indicatif::ProgressDrawTarget::stderr_with_hz(10),
    );
    bar.set_style(bar_style(
        cjm_core::ProgressPhase::Read,
        cjm_core::ProgressUnit::Bytes,
    ));
    Some(bar)
}

/// Logs from this many events on get a progress bar for the funnel (on a terminal).
const PROGRESS_FROM_EVENTS: usize = 1 << 20;

/// Draws a core progress report on `bar` (if any); never cancels.
fn draw(bar: &Option<indicatif::ProgressBar>, p: cjm_core::Progress) -> bool {
    if let Some(bar) = bar {
        bar.set_style(bar_style(p.phase, p.unit));
        bar.set_length(p.total);
        bar.set_position(p.done);
    }
    true
}

/// The funnel of `log`, on every core, with a progress bar for big logs.
fn funnel_with_bar(
    log: &cjm_core::EventLog,
    spec: &cjm_core::FunnelSpec,
    quiet: bool,
) -> Result<cjm_core::FunnelResult, Failure> {
    let bar = progress_bar(
        log.user_ids.len() as u64,
        log.len() >= PROGRESS_FROM_EVENTS,
        quiet,
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut report = |p: cjm_core::Progress| draw(&bar, p);
    let callback: Option<cjm_core::ProgressFn> = match bar {
        Some(_) => Some(&mut report),
        None => None,
    };
    let state = cjm_core::funnel_state_with(log, spec, threads, callback);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(state.map_err(cjm_failure)?.finish())
}

fn bar_style(
    phase: cjm_core::ProgressPhase,
    unit: cjm_core::ProgressUnit,
) -> indicatif::ProgressStyle {
    let counts = match unit {
        cjm_core::ProgressUnit::Bytes => "{binary_bytes}/{binary_total_bytes}",
        cjm_core::ProgressUnit::Rows => "{human_pos}/{human_len} rows",
        cjm_core::ProgressUnit::Users => "{human_pos}/{human_len} users",
    };
    let phase = match phase {
        cjm_core::ProgressPhase::Read => "reading",
        cjm_core::ProgressPhase::Group => "grouping",
        cjm_core::ProgressPhase::Funnel => "funnel",
        cjm_core::ProgressPhase::Paths => "paths",
    };
    indicatif::ProgressStyle::with_template(&format!(
        "{phase:>8} [{{bar:30}}] {{percent:>3}}% {counts} ({{eta}})"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ")
}

fn read_events(path: &Path, args: &ReadArgs) -> Result<cjm_core::EventLog, Failure> {
    let options = cjm_core::ReadOptions {
        skip_bad_rows: args.skip_bad_rows,
        time_unit: args.time_unit,
    };
    let format = cjm_core::EventFormat::from_path(&path.to_string_lossy())
        .map_err(|e| Failure::Cjm(Some(path.to_path_buf()), Box::new(e)))?;
    let bytes = read_bounded(path, None)?;
    let size = bytes.len() as u64;
    let bar = progress_bar(size, size >= PROGRESS_FROM_BYTES, args.quiet);
    let mut report = |p: cjm_core::Progress| draw(&bar, p);
    let callback: Option<cjm_core::ProgressFn> = match bar {
        Some(_) => Some(&mut report),
        None => None,
    };
    let read = cjm_core::read_events_with(&bytes, format, &options, callback);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let log = read.map_err(|e| Failure::Cjm(Some(path.to_path_buf()), Box::new(e)))?;
    if log.skipped_rows > 0 {
        eprintln!(
            "{}: skipped {} bad row(s)",
            path.display(),
            log.skipped_rows
        );
    }
    Ok(log)
}

fn cjm_failure(error: CjmError) -> Failure {
    Failure::Cjm(None, Box::new(error))
}

fn pct(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn secs(value: Option<f64>) -> String {
    match value {
        None => "—".into(),
        Some(s) if s < 120.0 => format!("{s:.0}s"),
        Some(s) if s < 7200.0 => format!("{:.1}m", s / 60.0),
        Some(s) if s < 172_800.0 => format!("{:.1}h", s / 3600.0),
        Some(s) => format!("{:.1}d", s / 86400.0),
    }
}

fn print_funnel_group(group: &cjm_core::FunnelGroup) {
    println!(
        "{} ({} users)",
        group.group.as_deref().unwrap_or("all users"),
        group.users
    );
    println!(
        "  {:<24} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "step", "users", "of start", "of prev", "median", "p90"
    );
    for step in &group.steps {
        println!(
            "  {:<24} {:>9} {:>10} {:>10} {:>10} {:>10}",
            step.step,
            step.users,
            pct(step.conversion_from_start),
            pct(step.conversion_from_previous),
            secs(step.time_from_previous.median),
            secs(step.time_from_previous.p90)
        );
    }
}

/// A failure of the CLI itself: a cjm error with the file it concerns, or an I/O error.
enum Failure {
    Cjm(Option<PathBuf>, Box<CjmError>),
    Io(PathBuf, std::io::Error),
}

impl Failure {
    fn report(&self) {
        match self {
            Failure::Cjm(Some(path), error) => {
                eprintln!("error[{}]: {}: {error}", error.code(), path.display())
            }
            Failure::Cjm(None, error) => eprintln!("error[{}]: {error}", error.code()),
            Failure::Io(path, error) => eprintln!("error[io]: {}: {error}", path.display()),
        }
    }
}

fn format_for(path: &Path, explicit: Option<&str>) -> Result<Format, Failure> {
    match explicit {
        Some(name) => Format::from_name(name),
        None => Format::from_path(&path.to_string_lossy()),
    }
    .map_err(|e| Failure::Cjm(Some(path.to_path_buf()), Box::new(e)))
}

fn read(path: &Path, from: Option<&str>) -> Result<cjm_core::Journey, Failure> {
    let format = format_for(path, from)?;
    let options = LoadOptions::default();
    let bytes = read_bounded(path, Some(options.max_bytes as u64))?;
    parse_journey_bytes(&bytes, format, &options)
        .map_err(|e| Failure::Cjm(Some(path.to_path_buf()), Box::new(e)))
}

/// The most an event log is read from something that is not a regular file (a pipe, a FIFO,
/// a device such as `/dev/zero`): 1 GiB. Regular event files are read whole, whatever their size.
const MAX_EVENT_STREAM_BYTES: u64 = 1 << 30;

/// Reads `path` (following symlinks) without ever reading more than a bound: at most
/// `max_bytes + 1` bytes for a journey (`Some(max_bytes)`), so an oversized input is refused
/// with `input_too_large` after reading one byte past the limit; for an event log (`None`),
/// a regular file whole and anything else up to [`MAX_EVENT_STREAM_BYTES`].
fn read_bounded(path: &Path, max_bytes: Option<u64>) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let io = |e| Failure::Io(path.to_path_buf(), e);
    let file = fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    let regular = metadata.is_file();
    let limit = match max_bytes {
        Some(limit) => limit,
        None if regular => u64::MAX - 1,
        None => MAX_EVENT_STREAM_BYTES,
    };
    let too_large = |what: String| {
        Failure::Cjm(
            Some(path.to_path_buf()),
            Box::new(CjmError::parse(
                "input_too_large",
                format!("input {what} the limit of {limit} bytes; nothing past it was read"),
                Default::default(),
            )),
        )
    };
    if regular && metadata.len() > limit {
        return Err(too_large(format!("is {} bytes, more than", metadata.len())));
    }
    // The size is only a hint for regular files (they may change), and 0 for streams.
    let mut bytes = Vec::with_capacity(metadata.len().min(limit).min(64 << 20) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large("goes on past".into()));
    }
    Ok(bytes)
}

fn write_output(path: &Path, text: &str) -> Result<(), Failure> {
    if path.as_os_str() == "-" {
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::Io(path.to_path_buf(), e))
    } else {
        fs::write(path, text).map_err(|e| Failure::Io(path.to_path_buf(), e))
    }
}

fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

#[derive(serde::Serialize)]
struct FileReport {
    file: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<cjm_core::ErrorInfo>,
    problems: Vec<Problem>,
}

fn run_validate(
    files: &[PathBuf],
    from: Option<&str>,
    format: OutputFormat,
    options: &ValidateOptions,
    quiet: bool,
) -> ExitCode {
    let mut reports = Vec::new();
    for path in files {
        let report = match read(path, from) {
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
        };
        reports.push(report);
    }
    let all_valid = reports.iter().all(|r| r.valid);
    match format {
        OutputFormat::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&reports).unwrap_or_default()
            );
        }
        OutputFormat::Text => {
            for report in &reports {
                print_report(report, quiet);
            }
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
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

fn weights(text: Option<&str>) -> Result<cjm_core::FrictionWeights, Failure> {
    match text {
        None => Ok(cjm_core::FrictionWeights::default()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            Failure::Cjm(
                None,
                Box::new(CjmError::usage("invalid_option", format!("--weights: {e}"))),
            )
        }),
    }
}

fn fmt_index(value: Option<f64>) -> String {
    value.map_or("  n/a".to_string(), |v| format!("{v:5.1}"))
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
    let mut worst: Vec<&cjm_core::TouchpointFriction> =
        report.friction.touchpoints.iter().collect();
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
    println!("Top gaps:");
    print_gaps(&h.top_gaps);
}

fn print_gaps(gaps: &[cjm_core::Gap]) {
    for gap in gaps {
        let kind = serde_json::to_value(gap.kind).unwrap_or_default();
        let place = [gap.stage.as_deref(), gap.touchpoint.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("/");
        println!(
            "  {:.2} {} at {}: {}",
            gap.severity,
            kind.as_str().unwrap_or(""),
            if place.is_empty() { "journey" } else { &place },
            gap.message
        );
    }
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

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Validate {
            files,
            from,
            format,
            today: date,
            stale_after_days,
            max_problems_per_code,
            quiet,
        } => {
            let options = ValidateOptions {
                today: Some(date.unwrap_or_else(today)),
                stale_after_days,
                max_problems_per_code: (max_problems_per_code > 0).then_some(max_problems_per_code),
            };
            options
                .check()
                .map_err(|e| Failure::Cjm(None, Box::new(e)))?;
            Ok(run_validate(
                &files,
                from.as_deref(),
                format,
                &options,
                quiet,
            ))
        }
        Command::Convert {
            input,
            output,
            from,
            to,
        } => {
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
        Command::Info {
            files,
            from,
            format,
        } => {
            let mut summaries = Vec::new();
            for path in &files {
                summaries.push(cjm_core::summarize(&read(path, from.as_deref())?));
            }
            match format {
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&summaries).unwrap_or_default()
                ),
                OutputFormat::Text => {
                    for (path, summary) in files.iter().zip(&summaries) {
                        print_summary(path, summary);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Score {
            file,
            from,
            format,
            today: date,
            weights: w,
        } => {
            let journey = read(&file, from.as_deref())?;
            let options = ValidateOptions {
                today: Some(date.unwrap_or_else(today)),
                ..Default::default()
            };
            options
                .check()
                .map_err(|e| Failure::Cjm(None, Box::new(e)))?;
            let report = cjm_core::score(&journey, &options, &weights(w.as_deref())?);
            match format {
                OutputFormat::Json => println!("{}", json(&report)),
                OutputFormat::Text => print_score(&report),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Gaps {
            as_is,
            to_be,
            format,
            weights: w,
        } => {
            let before = read(&as_is, None)?;
            let gaps = cjm_core::analyze_gaps(&before);
            let comparison = match &to_be {
                Some(path) => {
                    let after = read(path, None)?;
                    Some(cjm_core::compare_journeys(
                        &before,
                        &after,
                        &weights(w.as_deref())?,
                    ))
                }
                None => None,
            };
            match format {
                OutputFormat::Json => println!(
                    "{}",
                    json(&serde_json::json!({"gaps": gaps, "comparison": comparison}))
                ),
                OutputFormat::Text => {
                    println!("Gaps in {} (most severe first):", as_is.display());
                    print_gaps(&gaps.gaps);
                    if let Some(c) = &comparison {
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
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Plan { file, format } => {
            let journey = read(&file, None)?;
            let plan = cjm_core::plan(&journey, &cjm_core::analyze_gaps(&journey));
            match format {
                PlanFormat::Json => println!("{}", json(&plan)),
                PlanFormat::Csv => print!("{}", cjm_core::plan_csv(&plan)),
                PlanFormat::Text => print_plan(&plan),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Funnel {
            events,
            steps,
            window,
            mode,
            by,
            read,
            format,
        } => {
            let log = read_events(&events, &read)?;
            let spec = cjm_core::FunnelSpec {
                steps,
                window,
                mode: mode.into(),
                by,
            };
            let result = funnel_with_bar(&log, &spec, read.quiet)?;
            // On standard error even with JSON output: a misspelt step is a silent 0 % otherwise.
            for warning in &result.warnings {
                eprintln!("warning: {warning}");
            }
            match format {
                OutputFormat::Json => println!("{}", json(&result)),
                OutputFormat::Text => {
                    print_funnel_group(&result.total);
                    for group in &result.groups {
                        print_funnel_group(group);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Paths {
            events,
            journey,
            goal,
            read: read_args,
            format,
        } => {
            let log = read_events(&events, &read_args)?;
            let journey = journey.as_deref().map(|p| read(p, None)).transpose()?;
            let options = cjm_core::PathOptions { goal, top: None };
            let result = cjm_core::paths(&log, journey.as_ref(), &options).map_err(cjm_failure)?;
            match format {
                OutputFormat::Json => println!("{}", json(&result)),
                OutputFormat::Text => {
                    println!("Most frequent transitions ({} level):", result.level);
                    for t in result.transitions.iter().take(15) {
                        println!(
                            "  {:>8} {} → {} ({:.0}% of moves from it, median {})",
                            t.events,
                            t.from,
                            t.to,
                            t.share * 100.0,
                            secs(t.median_seconds)
                        );
                    }
                    let loops: Vec<_> = result.nodes.iter().filter(|n| n.loop_users > 0).collect();
                    if !loops.is_empty() {
                        println!("Loops (users coming back after another step):");
                        for n in loops {
                            println!("  {:>8} {}", n.loop_users, n.node);
                        }
                    }
                    for b in &result.backtracking {
                        println!(
                            "  backtracking {} → {}: {} users",
                            b.from_stage, b.to_stage, b.users
                        );
                    }
                    if !result.drop_off_paths.is_empty() {
                        println!("How dropped-off users end:");
                        for p in &result.drop_off_paths {
                            println!("  {:>8} {}", p.users, p.path.join(" → "));
                        }
                    }
                    if result.unmapped_events > 0 {
                        println!("{} events match no touchpoint", result.unmapped_events);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare {
            events,
            steps,
            window,
            mode,
            split,
            periods,
            read,
            format,
        } => {
            let log = read_events(&events, &read)?;
            let spec = cjm_core::FunnelSpec {
                steps,
                window,
                mode: mode.into(),
                by: None,
            };
            let split = match (split, periods) {
                (Some(split), _) => {
                    let (column, value) = split.split_once('=').ok_or_else(|| {
                        cjm_failure(CjmError::usage(
                            "invalid_option",
                            "--split takes COLUMN=VALUE",
                        ))
                    })?;
                    cjm_core::Split::Segment {
                        column: column.into(),
                        value: value.into(),
                    }
                }
                (None, Some(periods)) => {
                    let (a, b) = periods.split_once(',').ok_or_else(|| {
                        cjm_failure(CjmError::usage(
                            "invalid_option",
                            "--periods takes FROM..TO,FROM..TO",
                        ))
                    })?;
                    cjm_core::Split::Periods {
                        a: a.into(),
                        b: b.into(),
                    }
                }
                (None, None) => {
                    return Err(cjm_failure(CjmError::usage(
                        "invalid_option",
                        "give --split COLUMN=VALUE or --periods FROM..TO,FROM..TO",
                    )));
                }
            };
            let result = cjm_core::compare_funnel(&log, &spec, &split).map_err(cjm_failure)?;
            match format {
                OutputFormat::Json => println!("{}", json(&result)),
                OutputFormat::Text => {
                    println!(
                        "A: {} ({} entered)   B: {} ({} entered)",
                        result.a_label,
                        result.a.steps.first().map_or(0, |s| s.users),
                        result.b_label,
                        result.b.steps.first().map_or(0, |s| s.users)
                    );
                    for step in &result.steps {
                        let interval = step.interval.as_ref().map_or("—".to_string(), |i| {
                            format!("[{:+.1}, {:+.1}] pp", i.low * 100.0, i.high * 100.0)
                        });
                        // The counts and the test name beside every p-value, so a tiny
                        // sample is visible where the p-value is read.
                        let test = match step.test {
                            Some(cjm_core::ProportionTest::FisherExact) => "Fisher exact p",
                            Some(cjm_core::ProportionTest::ZTest) => "z-test p",
                            None => "p",
                        };
                        println!(
                            "  {:<24} A {:>7}  B {:>7}  B−A {:>8} {}  {}/{} vs {}/{}, {} = {}",
                            step.step,
                            pct(step.a_conversion),
                            pct(step.b_conversion),
                            step.difference
                                .map_or("—".to_string(), |d| format!("{:+.1}pp", d * 100.0)),
                            interval,
                            step.a_users,
                            step.a_base,
                            step.b_users,
                            step.b_base,
                            test,
                            step.p_value.map_or("—".to_string(), |p| format!("{p:.3}"))
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Loyalty {
            events,
            purchase_event,
            read,
            format,
        } => {
            let log = read_events(&events, &read)?;
            let result = cjm_core::loyalty(&log, &purchase_event).map_err(cjm_failure)?;
            match format {
                OutputFormat::Json => println!("{}", json(&result)),
                OutputFormat::Text => println!(
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
        Command::Apply {
            journey,
            events,
            output,
            window,
            read: read_args,
        } => {
            let source = read(&journey, None)?;
            let log = read_events(&events, &read_args)?;
            let options = cjm_core::ApplyOptions {
                window,
                ..Default::default()
            };
            let (filled, report) =
                cjm_core::apply_events(&source, &log, &options).map_err(cjm_failure)?;
            let format = format_for(&output, None)?;
            let text = write_journey(&filled, format).map_err(cjm_failure)?;
            write_output(&output, &text)?;
            let count = |action: cjm_core::MetricAction| {
                report.metrics.iter().filter(|m| m.action == action).count()
            };
            eprintln!(
                "applied {} events of {} users ({}): {} measured metrics added, {} replaced, {} metrics left alone, {} events matched no touchpoint{}",
                report.events,
                report.users,
                report.period.as_deref().unwrap_or("no period"),
                count(cjm_core::MetricAction::Added),
                count(cjm_core::MetricAction::Replaced),
                count(cjm_core::MetricAction::LeftAlone),
                report.unmapped_events,
                if report.unmapped_names.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (e.g. {})",
                        report
                            .unmapped_names
                            .iter()
                            .take(3)
                            .map(|(n, c)| format!("{n} ×{c}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            );
            if !read_args.quiet {
                for metric in &report.metrics {
                    let action = match metric.action {
                        cjm_core::MetricAction::Added => "added",
                        cjm_core::MetricAction::Replaced => "replaced",
                        cjm_core::MetricAction::LeftAlone => "left alone",
                    };
                    eprintln!(
                        "  {action:<10} {} {}{}",
                        metric.path,
                        metric.id.as_deref().unwrap_or("(no id)"),
                        match (metric.value, metric.sample_size) {
                            (Some(v), Some(n)) =>
                                format!(" = {v} {} (n = {n})", metric.unit.as_deref().unwrap_or("")),
                            (Some(v), None) => {
                                format!(" = {v} {}", metric.unit.as_deref().unwrap_or(""))
                            }
                            _ => String::new(),
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Render {
            file,
            output,
            chart,
            to_be,
            look,
        } => {
            let journey = read(&file, None)?;
            let options = look.options()?;
            let svg = match (chart.as_str(), &to_be) {
                ("map", _) => cjm_core::render_svg(&journey, &options),
                ("curve", _) => cjm_core::render_curve_svg(&journey, &options),
                ("friction", _) => cjm_core::render_friction_svg(&journey, &options),
                ("comparison", Some(path)) => {
                    cjm_core::render_comparison_svg(&journey, &read(path, None)?, &options)
                }
                ("comparison", None) => {
                    return Err(cjm_failure(CjmError::usage(
                        "invalid_option",
                        "--chart comparison needs --to-be FILE",
                    )));
                }
                (other, _) => {
                    return Err(cjm_failure(CjmError::usage(
                        "invalid_option",
                        format!(
                            "unknown chart {:?}: map, curve, friction or comparison",
                            cjm_core::excerpt(other)
                        ),
                    )));
                }
            }
            .map_err(cjm_failure)?;
            write_output(&output, &svg)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            file,
            output,
            to_be,
            events,
            steps,
            window,
            today: date,
            quiet,
            time_unit,
            look,
        } => {
            let mut journey = read(&file, None)?;
            let mut funnel = None;
            if let Some(events) = &events {
                let log = read_events(
                    events,
                    &ReadArgs {
                        skip_bad_rows: false,
                        time_unit,
                        quiet,
                    },
                )?;
                journey = cjm_core::apply_events(&journey, &log, &Default::default())
                    .map_err(cjm_failure)?
                    .0;
                if !steps.is_empty() {
                    let spec = cjm_core::FunnelSpec {
                        steps,
                        window,
                        mode: Default::default(),
                        by: None,
                    };
                    funnel = Some(cjm_core::funnel(&log, &spec).map_err(cjm_failure)?);
                }
            }
            let options = cjm_core::ReportOptions {
                render: look.options()?,
                today: Some(date.unwrap_or_else(today)),
                to_be: to_be.as_deref().map(|p| read(p, None)).transpose()?,
                funnel,
            };
            let html = cjm_core::render_report_html(&journey, &options).map_err(cjm_failure)?;
            write_output(&output, &html)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { api } => {
            let schema = if api {
                cjm_core::api_schema()
            } else {
                cjm_core::journey_schema()
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            template,
            lang,
            output,
        } => {
            let journey = cjm_core::template(&template, &lang)
                .map_err(|e| Failure::Cjm(None, Box::new(e)))?;
            let (path, format) = match &output {
                Some(path) => (path.clone(), format_for(path, None)?),
                None => (PathBuf::from("-"), Format::Yaml),
            };
            let text =
                write_journey(&journey, format).map_err(|e| Failure::Cjm(None, Box::new(e)))?;
            write_output(&path, &text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    // Like other Unix tools, stop quietly when the reader of our output goes away
    // (`cjm gaps … | head`) instead of failing on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(failure) => {
            failure.report();
            ExitCode::from(2)
        }
    }
}
