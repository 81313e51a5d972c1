//! Reading journeys and event logs, writing results, and the arguments that shape reading.

use cjm_core::ErrorCode;
use std::fs;
use std::io::Write;
use std::path::Path;

use cjm_core::{CjmError, Format, LoadOptions, parse_journey_bytes};

use crate::failure::Failure;
use crate::progress::{PROGRESS_FROM_BYTES, draw, progress_bar};

#[derive(clap::Args)]
pub struct ReadArgs {
    /// Skip rows that cannot be read (they are counted and reported) instead of stopping.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Unit of epoch-number timestamps; auto picks the unit in which the first number lands
    /// between 1990 and 2100 (ISO-8601 text carries its own).
    #[arg(long, default_value = "auto", value_parser = time_unit_parser())]
    pub time_unit: cjm_core::TimeUnit,
    /// Columns that hold the fields when they are not named user_id, timestamp, event and
    /// value: e.g. `user=distinct_id,time=ts,event=event_name,value=revenue`.
    #[arg(long, value_name = "ROLE=COLUMN,...", value_parser = column_map_parser)]
    pub columns: Option<cjm_core::ColumnMap>,
    /// No progress bar (one is drawn on standard error for big inputs when it is a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--columns`: read by the core, so its errors are the ones every front gives.
pub fn column_map_parser(text: &str) -> Result<cjm_core::ColumnMap, String> {
    cjm_core::ColumnMap::parse(text).map_err(|error| error.to_string())
}

/// `--interval`: day, week or month (read by the core).
pub fn time_interval_parser(text: &str) -> Result<cjm_core::TimeInterval, String> {
    cjm_core::TimeInterval::from_name(text).map_err(|error| error.to_string())
}

/// `--time-unit`: auto, s, ms, us or ns.
pub fn time_unit_parser() -> impl clap::builder::TypedValueParser<Value = cjm_core::TimeUnit> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["auto", "s", "ms", "us", "ns"])
        .map(|name| cjm_core::TimeUnit::from_name(&name).unwrap_or_default())
}

/// Today's local date as YYYY-MM-DD, the default for `--today`.
pub fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The journey format of `path`: the one named explicitly (`--from`, `--to`), else its extension's.
pub fn format_for(path: &Path, explicit: Option<&str>) -> Result<Format, Failure> {
    match explicit {
        Some(name) => Format::from_name(name),
        None => Format::from_path(&path.to_string_lossy()),
    }
    .map_err(|e| Failure::Cjm(Some(path.to_path_buf()), Box::new(e)))
}

/// Reads and parses the journey file at `path`.
pub fn read(path: &Path, from: Option<&str>) -> Result<cjm_core::Journey, Failure> {
    let format = format_for(path, from)?;
    let options = LoadOptions::default();
    let bytes = read_bounded(path, Some(options.max_bytes as u64))?;
    parse_journey_bytes(&bytes, format, &options)
        .map_err(|e| Failure::Cjm(Some(path.to_path_buf()), Box::new(e)))
}

/// Reads the event log at `path` (format from its extension), with a progress bar for big ones.
pub fn read_events(path: &Path, args: &ReadArgs) -> Result<cjm_core::EventLog, Failure> {
    let options = cjm_core::ReadOptions {
        skip_bad_rows: args.skip_bad_rows,
        time_unit: args.time_unit,
        columns: args.columns.clone().unwrap_or_default(),
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
                ErrorCode::InputTooLarge,
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

/// Writes `text` to `path`, or to standard output when `path` is `-`.
pub fn write_output(path: &Path, text: &str) -> Result<(), Failure> {
    if path.as_os_str() == "-" {
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::Io(path.to_path_buf(), e))
    } else {
        fs::write(path, text).map_err(|e| Failure::Io(path.to_path_buf(), e))
    }
}
