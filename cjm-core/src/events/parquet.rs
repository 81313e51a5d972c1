//! Parquet event logs (feature `parquet`): the file is checked (footer and page headers, see
//! `parquet_pages`), decoded to Arrow arrays in batches of 65 536 rows and read by the Arrow
//! reader ([`super::arrow`]), whose columns and rules are those of CSV.

use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::arrow::read_record_batches;
use super::log::{EventLog, ReadOptions};
use super::parquet_pages::{PageProblem, find_bad_page, footer_problem};
use super::progress::{ProgressFn, REPORT_EVERY};
use crate::error::{CjmError, ErrorCode, Location, Result};

fn invalid_parquet(message: impl std::fmt::Display, row: Option<u64>) -> CjmError {
    CjmError::Data {
        code: ErrorCode::InvalidParquet,
        message: format!("not a readable Parquet file: {message}"),
        location: Location {
            path: None,
            line: row,
            column: None,
        },
    }
}

/// Reads a Parquet event log from its bytes (`Bytes::from(vec)` does not copy). Reports its
/// progress in rows (phase `read`), after every batch of 65 536 rows; the callback returning
/// `false` cancels with `cancelled`. A corrupt or truncated file fails with `invalid_parquet`,
/// a column of a type that cannot hold what it should with `wrong_column_type` (naming the
/// column), a missing column with `missing_column`, a bad cell as a bad row of a CSV file.
pub fn read_events_parquet(
    data: Bytes,
    options: &ReadOptions,
    progress: Option<ProgressFn>,
) -> Result<EventLog> {
    // The decoder is not ours: should it panic on a hostile file, that is an error, not a crash.
    match catch_unwind(AssertUnwindSafe(|| read(data, options, progress))) {
        Ok(result) => result,
        Err(_) => Err(invalid_parquet("the decoder failed on corrupt data", None)),
    }
}

fn read(data: Bytes, options: &ReadOptions, progress: Option<ProgressFn>) -> Result<EventLog> {
    if let Some(problem) = footer_problem(&data) {
        return Err(invalid_parquet(problem, None));
    }
    let builder = ParquetRecordBatchReaderBuilder::try_new(data.clone())
        .map_err(|e| invalid_parquet(e, None))?;
    if let Some(page) = find_bad_page(&data, builder.metadata()) {
        let what = match page.problem {
            PageProblem::Impossible {
                declared,
                compressed,
            } => format!(
                "declares {declared} bytes uncompressed, more than its {compressed} compressed \
                 bytes can hold"
            ),
            PageProblem::Dictionary { values, bytes } => format!(
                "is a dictionary declaring {values} values, more than its {bytes} bytes can hold"
            ),
            PageProblem::Malformed => {
                "has a header that is not a well-formed page header".to_string()
            }
            PageProblem::PastChunkEnd => "runs past the end of its column chunk".to_string(),
        };
        return Err(invalid_parquet(
            format_args!(
                "a page of column {:?} in row group {} {what}",
                page.column,
                page.row_group + 1
            ),
            None,
        ));
    }
    let total = u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let schema = builder.schema().clone();
    let reader = builder
        .with_batch_size(REPORT_EVERY as usize)
        .build()
        .map_err(|e| invalid_parquet(e, None))?;
    read_record_batches(
        &schema,
        reader,
        Some(total),
        false,
        options,
        progress,
        &|error, row| invalid_parquet(error, Some(row)),
    )
}
