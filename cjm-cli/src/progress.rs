//! The progress bar drawn on standard error while big inputs are read and analysed.

use crate::failure::{Failure, cjm_failure};

/// Inputs from this size on get a progress bar (when standard error is a terminal).
pub const PROGRESS_FROM_BYTES: u64 = 8 << 20;

/// Logs from this many events on get a progress bar for the funnel (on a terminal).
const PROGRESS_FROM_EVENTS: usize = 1 << 20;

/// A progress bar on standard error for work of `length` units (bytes first), or `None`: with
/// `--quiet`, for small inputs (not `big`), or when standard error is not a terminal (piped,
/// redirected, in CI).
pub fn progress_bar(length: u64, big: bool, quiet: bool) -> Option<indicatif::ProgressBar> {
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

/// Draws a core progress report on `bar` (if any); never cancels.
pub fn draw(bar: &Option<indicatif::ProgressBar>, p: cjm_core::Progress) -> bool {
    if let Some(bar) = bar {
        bar.set_style(bar_style(p.phase, p.unit));
        bar.set_length(p.total);
        bar.set_position(p.done);
    }
    true
}

/// The funnel of `log`, on every core, with a progress bar for big logs.
pub fn funnel_with_bar(
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
