//! Progress of long work (reading a big event log, a funnel over it) and its cancellation.
//!
//! A caller hands a callback, `&mut dyn FnMut(Progress) -> bool`; the work calls it now and then
//! with how far it is (`done` out of `total`, in `unit`s, for a `phase`) and stops with the
//! stable `cancelled` error as soon as the callback returns `false`. Reporting is cheap: a
//! [`Reporter`] counts items and calls back once every [`REPORT_EVERY`] of them (and once at the
//! end, with `done == total`), so an unused or slow callback costs nothing per row.
//!
//! ```
//! use cjm_core::{EventFormat, Progress, ReadOptions, read_events_with};
//!
//! let csv = b"user_id,timestamp,event\nu1,1700000000,view\nu1,1700000060,buy\n";
//! let mut seen = Vec::new();
//! let mut callback = |p: Progress| {
//!     seen.push(p.done);
//!     true // false would cancel
//! };
//! let log = read_events_with(csv, EventFormat::Csv, &ReadOptions::default(), Some(&mut callback))
//!     .unwrap();
//! assert_eq!(log.len(), 2);
//! assert_eq!(seen.last(), Some(&(csv.len() as u64)));
//! ```

use crate::error::ErrorCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{CjmError, Result};

/// What the work is doing when it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressPhase {
    /// Reading an event log (CSV/NDJSON in bytes, Parquet in rows).
    Read,
    /// Sorting or grouping the events by user.
    Group,
    /// Computing a funnel (or its comparison).
    Funnel,
    /// Computing paths and transitions.
    Paths,
}

/// What `done` and `total` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressUnit {
    Bytes,
    Rows,
    Users,
}

/// How far a phase is: `done` out of `total` (`done` never decreases within a phase and ends
/// at `total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Progress {
    pub phase: ProgressPhase,
    pub unit: ProgressUnit,
    pub done: u64,
    pub total: u64,
}

/// A progress callback: return `false` to cancel the work (it then fails with `cancelled`).
pub type ProgressFn<'a> = &'a mut dyn FnMut(Progress) -> bool;

/// The optional callback the core's `*_with` functions take, from an optional closure: lets a
/// caller that may or may not report keep one code path.
pub fn progress_fn<F: FnMut(Progress) -> bool>(
    report: &mut Option<F>,
) -> Option<&mut dyn FnMut(Progress) -> bool> {
    report
        .as_mut()
        .map(|r| r as &mut dyn FnMut(Progress) -> bool)
}

/// Items (rows, users) between two calls of the callback.
pub const REPORT_EVERY: u64 = 1 << 16;

/// The error of work cancelled by its progress callback: kind `usage`, code `cancelled`.
pub fn cancelled() -> CjmError {
    CjmError::usage(ErrorCode::Cancelled, "cancelled by the progress callback")
}

/// Reports one phase to an optional callback, cheaply: [`Reporter::tick`] is a counter
/// increment and a comparison unless a report is due.
pub struct Reporter<'a, 'b> {
    callback: Option<&'a mut (dyn FnMut(Progress) -> bool + 'b)>,
    phase: ProgressPhase,
    unit: ProgressUnit,
    total: u64,
    last: u64,
    /// Whether anything was reported yet (a repeat of the last report is not sent again).
    reported: bool,
    countdown: u64,
}

impl<'a, 'b> Reporter<'a, 'b> {
    /// A reporter of `phase`, counting `unit`s up to `total`. Nothing is reported yet.
    pub fn new(
        callback: Option<&'a mut (dyn FnMut(Progress) -> bool + 'b)>,
        phase: ProgressPhase,
        unit: ProgressUnit,
        total: u64,
    ) -> Self {
        Reporter {
            callback,
            phase,
            unit,
            total,
            last: 0,
            reported: false,
            countdown: REPORT_EVERY,
        }
    }

    /// A reporter that tells nobody.
    pub fn none() -> Self {
        Reporter::new(None, ProgressPhase::Read, ProgressUnit::Rows, 0)
    }

    /// Whether anyone listens (callers may skip computing `done` otherwise).
    pub fn active(&self) -> bool {
        self.callback.is_some()
    }

    /// One more item is done; `done` is how far the phase is (in its unit), computed only when
    /// a report is due. Reports every [`REPORT_EVERY`] items.
    #[inline]
    pub fn tick(&mut self, done: impl FnOnce() -> u64) -> Result<()> {
        self.countdown -= 1;
        if self.countdown > 0 {
            return Ok(());
        }
        self.countdown = REPORT_EVERY;
        if self.callback.is_none() {
            return Ok(());
        }
        self.report(done())
    }

    /// Reports `done` now (clamped to `total` and to the last value reported, so the sequence
    /// the callback sees never decreases; the same value twice in a row is reported once).
    pub fn report(&mut self, done: u64) -> Result<()> {
        let done = done.min(self.total).max(self.last);
        if self.reported && done == self.last {
            return Ok(());
        }
        self.last = done;
        self.reported = true;
        match &mut self.callback {
            Some(callback) => {
                let progress = Progress {
                    phase: self.phase,
                    unit: self.unit,
                    done,
                    total: self.total,
                };
                if callback(progress) {
                    Ok(())
                } else {
                    Err(cancelled())
                }
            }
            None => Ok(()),
        }
    }

    /// The phase is over: reports `done == total`.
    pub fn finish(&mut self) -> Result<()> {
        self.report(self.total)
    }

    /// Hands the callback back, e.g. for the next phase.
    pub fn into_callback(self) -> Option<&'a mut (dyn FnMut(Progress) -> bool + 'b)> {
        self.callback
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_block_and_at_the_end_then_cancels() {
        let mut seen = Vec::new();
        let mut callback = |p: Progress| {
            seen.push(p.done);
            true
        };
        let total = 3 * REPORT_EVERY + 5;
        let mut reporter = Reporter::new(
            Some(&mut callback),
            ProgressPhase::Funnel,
            ProgressUnit::Users,
            total,
        );
        for i in 1..=total {
            reporter.tick(|| i).unwrap();
        }
        reporter.finish().unwrap();
        assert_eq!(
            seen,
            vec![REPORT_EVERY, 2 * REPORT_EVERY, 3 * REPORT_EVERY, total]
        );

        let mut calls = 0;
        let mut stop = |_: Progress| {
            calls += 1;
            calls < 2
        };
        let mut reporter = Reporter::new(
            Some(&mut stop),
            ProgressPhase::Read,
            ProgressUnit::Rows,
            total,
        );
        let error = (1..=total)
            .try_for_each(|i| reporter.tick(|| i))
            .unwrap_err();
        assert_eq!(error.code(), "cancelled");
        assert_eq!(calls, 2);
    }

    #[test]
    fn never_goes_back_nor_past_the_total() {
        let mut seen = Vec::new();
        let mut callback = |p: Progress| {
            seen.push(p.done);
            true
        };
        let mut reporter = Reporter::new(
            Some(&mut callback),
            ProgressPhase::Read,
            ProgressUnit::Bytes,
            10,
        );
        reporter.report(7).unwrap();
        reporter.report(3).unwrap();
        reporter.report(70).unwrap();
        reporter.finish().unwrap();
        // 3 is clamped to 7, a repeat, and not sent again; so is the final 10.
        assert_eq!(seen, vec![7, 10]);
    }
}
