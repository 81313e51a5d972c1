//! Data-driven journeys: event logs, funnels (ClickHouse `windowFunnel` semantics) as mergeable
//! states, paths, loops and backtracking, segment and period comparisons, loyalty, and feeding
//! the measured numbers back into the map.

mod analysis;
mod apply;
#[cfg(feature = "arrow")]
mod arrow;
mod funnel;
mod log;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "parquet")]
mod parquet_pages;
mod progress;
mod retention;
mod steps;
pub use retention::{
    MAX_RETENTION_PERIODS, RetentionCell, RetentionCohort, RetentionPoint, RetentionResult,
    RetentionSpec, TimeInterval, retention,
};
pub use steps::{Alternative, Filter, FilterOp, StepDef, parse_step, quote_event};

pub use analysis::{
    Backtrack, DropOffPath, EventMapping, FunnelComparison, LoyaltyResult, NodeStats, PathOptions,
    PathsResult, PeriodsInput, SegmentInput, Split, SplitInput, StepComparison, Transition,
    compare_funnel, glob_match, loyalty, paths, two_proportions,
};
pub use apply::{AppliedMetric, ApplyOptions, ApplyReport, MetricAction, apply_events};
#[cfg(feature = "arrow")]
pub use arrow::read_record_batches;
#[cfg(not(target_family = "wasm"))]
pub use funnel::funnel_state_parallel;
pub use funnel::{
    FunnelGroup, FunnelMode, FunnelResult, FunnelSpec, FunnelState, FunnelStep, GroupState,
    MAX_STEPS, TimeStats, funnel, funnel_state, funnel_state_with, window_ms,
};
pub use log::{
    ColumnMap, END_TIME_MS, EventFormat, EventLog, MIN_TIME_MS, ReadOptions, Segment, TimeColumn,
    TimeUnit, check_time_column, epoch_column_to_ms, epoch_float_column_to_ms, epoch_to_ms,
    parse_timestamp, read_events, read_events_csv, read_events_ndjson, read_events_with,
    time_in_range, typed_column_to_ms,
};
#[cfg(feature = "parquet")]
pub use parquet::read_events_parquet;
pub use progress::{
    Progress, ProgressFn, ProgressPhase, ProgressUnit, REPORT_EVERY, Reporter, cancelled,
    progress_fn,
};
