//! Epoch numbers in explicit units and the `auto` rule (1990-01-01 ..< 2100-01-01 per unit).

use cjm_core::{
    EventFormat, ReadOptions, TimeColumn, TimeUnit, epoch_column_to_ms, epoch_float_column_to_ms,
    epoch_to_ms, parse_timestamp, read_events,
};

/// 1990-01-01T00:00:00Z and 2100-01-01T00:00:00Z in milliseconds since the epoch.
const FROM_MS: i64 = 631_152_000_000;
const UNTIL_MS: i64 = 4_102_444_800_000;

const COLUMN: TimeColumn<'static> = TimeColumn {
    name: "timestamp",
    number: Some(2),
};

fn auto(numbers: &[i64]) -> cjm_core::Result<Vec<i64>> {
    epoch_column_to_ms(numbers, TimeUnit::Auto, COLUMN)
}

#[test]
fn auto_ranges_are_1990_to_2100_in_each_unit() {
    let expected = [
        (TimeUnit::Seconds, 631_152_000, 4_102_444_800),
        (TimeUnit::Milliseconds, 631_152_000_000, 4_102_444_800_000),
        (
            TimeUnit::Microseconds,
            631_152_000_000_000,
            4_102_444_800_000_000,
        ),
        (
            TimeUnit::Nanoseconds,
            631_152_000_000_000_000,
            4_102_444_800_000_000_000,
        ),
    ];
    for (unit, from, until) in expected {
        assert_eq!(unit.auto_range(), Some(from..until), "{unit:?}");
    }
    assert_eq!(TimeUnit::Auto.auto_range(), None);
}

#[test]
fn auto_accepts_1990_and_refuses_the_instant_before_in_every_unit() {
    for unit in TimeUnit::UNITS {
        let range = unit.auto_range().expect("an explicit unit");
        assert_eq!(
            auto(&[range.start]).expect("1990-01-01"),
            [FROM_MS],
            "{unit:?}"
        );
        let error = auto(&[range.start - 1]).expect_err("just before 1990");
        assert_eq!(error.code(), "invalid_timestamp", "{unit:?}");
    }
}

#[test]
fn auto_refuses_2100_and_accepts_the_instant_before_in_every_unit() {
    for unit in TimeUnit::UNITS {
        let range = unit.auto_range().expect("an explicit unit");
        let last = auto(&[range.end - 1]).expect("just before 2100")[0];
        assert!(
            (UNTIL_MS - 1000..=UNTIL_MS).contains(&last),
            "{unit:?}: {last}"
        );
        let error = auto(&[range.end]).expect_err("2100-01-01");
        assert_eq!(error.code(), "invalid_timestamp", "{unit:?}");
    }
}

#[test]
fn auto_refuses_small_numbers_naming_row_column_and_units() {
    let error = auto(&[5]).expect_err("5 is in no unit's range");
    let info = error.info();
    assert_eq!(info.code, "invalid_timestamp");
    assert_eq!(error.kind(), cjm_core::ErrorKind::Data);
    assert_eq!(info.location.line, Some(1));
    assert_eq!(info.location.column, Some(2));
    let message = &info.message;
    for part in [
        "row 1",
        "\"timestamp\"",
        "s 631152000..",
        "ms ",
        "us ",
        "ns ",
    ] {
        assert!(message.contains(part), "{part:?} missing from {message}");
    }
}

#[test]
fn auto_decides_the_unit_from_the_first_number() {
    let us = [1_714_550_400_000_000, 1_714_550_400_123_456];
    assert_eq!(auto(&us).unwrap(), [1_714_550_400_000, 1_714_550_400_123]);
    // Seconds after microseconds: a second unit in the same column is refused at its row.
    let error = auto(&[1_714_550_400_000_000, 1_714_550_400]).expect_err("mixed units");
    assert_eq!(error.info().location.line, Some(2));
    assert!(error.to_string().contains("microseconds"), "{error}");
    assert!(error.to_string().contains("seconds"), "{error}");
}

#[test]
fn explicit_units_convert_exactly_without_the_range_check() {
    let read = |unit, numbers: &[i64]| epoch_column_to_ms(numbers, unit, COLUMN).unwrap();
    assert_eq!(read(TimeUnit::Seconds, &[0, 5]), [0, 5_000]);
    assert_eq!(read(TimeUnit::Milliseconds, &[5]), [5]);
    // Rounded to the nearest millisecond, in integers (no float rounding of 16 digits).
    assert_eq!(
        read(
            TimeUnit::Microseconds,
            &[1_714_550_400_123_499, 1_714_550_400_123_500]
        ),
        [1_714_550_400_123, 1_714_550_400_124]
    );
    assert_eq!(
        read(TimeUnit::Nanoseconds, &[1_714_550_400_123_456_789]),
        [1_714_550_400_123]
    );
    for unit in TimeUnit::UNITS {
        let error = epoch_column_to_ms(&[-1], unit, COLUMN).expect_err("negative");
        assert_eq!(error.code(), "invalid_timestamp");
    }
    let error = epoch_column_to_ms(&[i64::MAX], TimeUnit::Seconds, COLUMN).expect_err("overflow");
    assert_eq!(error.code(), "invalid_timestamp");
}

#[test]
fn floats_follow_the_same_rules() {
    let floats = |unit, numbers: &[f64]| epoch_float_column_to_ms(numbers, unit, COLUMN);
    assert_eq!(
        floats(TimeUnit::Auto, &[1_714_550_400.5, 1_714_550_401.0]).unwrap(),
        [1_714_550_400_500, 1_714_550_401_000]
    );
    assert_eq!(
        floats(TimeUnit::Auto, &[1.7145504e15]).unwrap(),
        [1_714_550_400_000]
    );
    assert_eq!(floats(TimeUnit::Seconds, &[1.25]).unwrap(), [1_250]);
    assert_eq!(floats(TimeUnit::Milliseconds, &[2.4]).unwrap(), [2]);
    for bad in [f64::NAN, f64::INFINITY, -1.0, 5.0] {
        assert!(floats(TimeUnit::Auto, &[bad]).is_err(), "{bad}");
    }
    assert_eq!(epoch_to_ms(1.7e15, TimeUnit::Auto), Some(1_700_000_000_000));
    // 1.7e15 ms is in the year ~55 800: outside 1900-2200.
    assert_eq!(epoch_to_ms(1.7e15, TimeUnit::Milliseconds), None);
    assert_eq!(
        epoch_to_ms(1.7e12, TimeUnit::Milliseconds),
        Some(1_700_000_000_000)
    );
}

#[test]
fn unit_names_round_trip() {
    for unit in [TimeUnit::Auto].into_iter().chain(TimeUnit::UNITS) {
        assert_eq!(TimeUnit::from_name(unit.name()).unwrap(), unit);
        let json = serde_json::to_value(unit).unwrap();
        assert_eq!(json, serde_json::Value::from(unit.name()));
    }
    assert_eq!(
        TimeUnit::from_name("sec").unwrap_err().code(),
        "invalid_option"
    );
    assert_eq!(ReadOptions::default().time_unit, TimeUnit::Auto);
}

#[test]
fn csv_and_ndjson_read_in_the_unit_asked_for() {
    let csv = "user_id,timestamp,event\nu1,1714550400000000,view\nu1,2024-05-01T10:00:00Z,buy\n";
    let log = read_events(csv.as_bytes(), EventFormat::Csv, &ReadOptions::default()).unwrap();
    assert_eq!(log.time, [1_714_550_400_000, 1_714_557_600_000]);
    let as_ms = ReadOptions {
        time_unit: TimeUnit::Milliseconds,
        ..ReadOptions::default()
    };
    // As milliseconds, 1714550400000000 is in the year ~56 000: outside 1900-2200.
    let error = read_events(csv.as_bytes(), EventFormat::Csv, &as_ms).expect_err("year 56 000");
    assert_eq!(error.code(), "invalid_timestamp");
    assert_eq!(
        (error.info().location.line, error.info().location.column),
        (Some(2), Some(2))
    );

    let ndjson = "{\"user_id\":\"u1\",\"timestamp\":5,\"event\":\"view\"}\n";
    let error = read_events(
        ndjson.as_bytes(),
        EventFormat::Ndjson,
        &ReadOptions::default(),
    )
    .expect_err("5 under auto");
    assert_eq!(error.code(), "invalid_timestamp");
    assert_eq!(error.info().location.line, Some(1));
    let seconds = ReadOptions {
        time_unit: TimeUnit::Seconds,
        ..ReadOptions::default()
    };
    let log = read_events(ndjson.as_bytes(), EventFormat::Ndjson, &seconds).unwrap();
    assert_eq!(log.time, [5_000]);
}

#[test]
fn every_time_lies_in_the_years_1900_to_2200() {
    let read = |time: &str, unit: TimeUnit| {
        let csv = format!("user_id,event,timestamp\nu1,view,2024-05-01\nu1,buy,{time}\n");
        let options = ReadOptions {
            time_unit: unit,
            ..ReadOptions::default()
        };
        read_events(csv.as_bytes(), EventFormat::Csv, &options).map(|log| log.time[1])
    };
    assert_eq!(
        read("1900-01-01T00:00:00Z", TimeUnit::Auto),
        Ok(-2_208_988_800_000)
    );
    assert_eq!(
        read("2200-12-31T23:59:59.999Z", TimeUnit::Auto),
        Ok(7_289_654_399_999)
    );
    for (time, unit) in [
        ("1899-12-31T23:59:59.999Z", TimeUnit::Auto),
        ("2201-01-01", TimeUnit::Auto),
        ("1800-01-01", TimeUnit::Auto),
        ("253402300800", TimeUnit::Seconds),
        ("9000000000000000", TimeUnit::Microseconds),
    ] {
        let error = read(time, unit).expect_err(time);
        assert_eq!(error.code(), "invalid_timestamp", "{time}");
        assert_eq!(
            (error.info().location.line, error.info().location.column),
            (Some(3), Some(3)),
            "{time}"
        );
        assert!(error.to_string().contains("1900-2200"), "{error}");
    }
    // Single numbers and period bounds follow the same range.
    assert_eq!(epoch_to_ms(253_402_300_800.0, TimeUnit::Seconds), None);
    assert_eq!(parse_timestamp("1800-01-01"), None);
}

#[test]
fn duplicate_columns_are_refused_in_csv_and_ndjson() {
    let csv = "user_id,timestamp,event,USER_ID \nu1,2024-05-01,view,u2\n";
    let error = read_events(csv.as_bytes(), EventFormat::Csv, &ReadOptions::default())
        .expect_err("duplicate");
    assert_eq!(error.code(), "duplicate_column");
    assert_eq!(
        (error.info().location.line, error.info().location.column),
        (Some(1), Some(4))
    );
    let ndjson =
        "{\"user_id\":\"u1\",\"timestamp\":\"2024-05-01\",\"event\":\"v\",\"User_Id\":\"u2\"}\n";
    let error = read_events(
        ndjson.as_bytes(),
        EventFormat::Ndjson,
        &ReadOptions::default(),
    )
    .expect_err("duplicate");
    assert_eq!(error.code(), "duplicate_column");
    // Blank names (trailing commas of a spreadsheet export) are no names: read as before.
    let csv = "user_id,timestamp,event,,\nu1,2024-05-01,view,,\n";
    let log = read_events(csv.as_bytes(), EventFormat::Csv, &ReadOptions::default()).unwrap();
    assert_eq!(log.len(), 1);
}

#[test]
fn skipping_a_bad_first_row_leaves_the_unit_to_the_next() {
    let csv = "user_id,timestamp,event\nu1,5,view\nu1,1714550400,buy\n";
    let options = ReadOptions {
        skip_bad_rows: true,
        ..ReadOptions::default()
    };
    let log = read_events(csv.as_bytes(), EventFormat::Csv, &options).unwrap();
    assert_eq!(log.time, [1_714_550_400_000]);
    assert_eq!(log.skipped_rows, 1);
}

#[test]
fn period_bounds_stay_dates_or_plausible_epoch_numbers() {
    assert_eq!(parse_timestamp("2024-05-01"), Some(1_714_521_600_000));
    assert_eq!(parse_timestamp("1714521600"), Some(1_714_521_600_000));
    assert_eq!(parse_timestamp("1714521600000000"), Some(1_714_521_600_000));
    assert_eq!(parse_timestamp("5"), None);
    assert_eq!(parse_timestamp("NaN"), None);
}

#[cfg(feature = "parquet")]
mod parquet {
    use std::sync::Arc;

    use arrow_array::TimestampMicrosecondArray;
    use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
    use cjm_core::{EventFormat, ReadOptions, TimeUnit, read_events};
    use parquet::arrow::ArrowWriter;

    fn file(time: ArrayRef) -> Vec<u8> {
        let rows = time.len();
        let batch = RecordBatch::try_from_iter([
            (
                "user_id",
                Arc::new(StringArray::from(vec!["u1"; rows])) as ArrayRef,
            ),
            ("timestamp", time),
            (
                "event",
                Arc::new(StringArray::from(vec!["view"; rows])) as ArrayRef,
            ),
        ])
        .expect("batch");
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), None).expect("writer");
        writer.write(&batch).expect("write");
        writer.close().expect("close");
        bytes
    }

    fn times(bytes: &[u8], unit: TimeUnit) -> cjm_core::Result<Vec<i64>> {
        let options = ReadOptions {
            time_unit: unit,
            ..ReadOptions::default()
        };
        read_events(bytes, EventFormat::Parquet, &options).map(|log| log.time)
    }

    #[test]
    fn integer_and_float_columns_follow_the_time_unit() {
        let integers = file(Arc::new(Int64Array::from(vec![
            1_714_550_400_000_000,
            1_714_550_400_123_456,
        ])));
        assert_eq!(
            times(&integers, TimeUnit::Auto).unwrap(),
            [1_714_550_400_000, 1_714_550_400_123]
        );
        // As milliseconds they would be in the year ~56 000: outside 1900-2200.
        let error = times(&integers, TimeUnit::Milliseconds).expect_err("year 56 000");
        assert_eq!(error.code(), "invalid_timestamp");
        assert_eq!(
            (error.info().location.line, error.info().location.column),
            (Some(1), Some(2))
        );
        let floats = file(Arc::new(Float64Array::from(vec![1_714_550_400.25, 5.0])));
        let error = times(&floats, TimeUnit::Auto).expect_err("5 after seconds");
        assert_eq!(error.code(), "invalid_timestamp");
        assert_eq!(
            (error.info().location.line, error.info().location.column),
            (Some(2), Some(2))
        );
        assert_eq!(
            times(&floats, TimeUnit::Seconds).unwrap(),
            [1_714_550_400_250, 5_000]
        );
    }

    #[test]
    fn timestamp_columns_keep_their_own_unit() {
        let typed = file(Arc::new(TimestampMicrosecondArray::from(vec![
            1_714_550_400_000_000,
            5,
        ])));
        for unit in [TimeUnit::Auto, TimeUnit::Seconds] {
            assert_eq!(times(&typed, unit).unwrap(), [1_714_550_400_000, 0]);
        }
    }

    #[test]
    fn typed_timestamps_outside_1900_to_2200_are_refused_with_row_and_column() {
        use arrow_array::{TimestampMillisecondArray, TimestampSecondArray};
        // ±2^62 ms (about ±146 million years) were read before, and paths then reported a
        // median of -9.2e15 s.
        for far in [1i64 << 62, -(1i64 << 62)] {
            let typed = file(Arc::new(TimestampMillisecondArray::from(vec![
                1_714_550_400_000,
                far,
            ])));
            let error = times(&typed, TimeUnit::Auto).expect_err("far timestamp");
            assert_eq!(error.code(), "invalid_timestamp");
            assert_eq!(
                (error.info().location.line, error.info().location.column),
                (Some(2), Some(2))
            );
        }
        // Seconds that overflow i64 milliseconds saturate and are refused, not wrapped.
        let typed = file(Arc::new(TimestampSecondArray::from(vec![i64::MAX])));
        let error = times(&typed, TimeUnit::Auto).expect_err("overflow");
        assert_eq!(error.info().location.line, Some(1));
        // 1900-01-01T00:00:00Z is the first instant accepted, 2201-01-01 the first refused.
        let bounds = file(Arc::new(TimestampSecondArray::from(vec![
            -2_208_988_800,
            7_289_654_399,
        ])));
        assert_eq!(
            times(&bounds, TimeUnit::Auto).unwrap(),
            [-2_208_988_800_000, 7_289_654_399_000]
        );
        for outside in [-2_208_988_801, 7_289_654_400] {
            let typed = file(Arc::new(TimestampSecondArray::from(vec![outside])));
            assert_eq!(
                times(&typed, TimeUnit::Auto).expect_err("outside").code(),
                "invalid_timestamp"
            );
        }
    }

    #[test]
    fn duplicate_columns_are_refused_naming_the_second() {
        let batch = RecordBatch::try_from_iter([
            (
                "user_id",
                Arc::new(StringArray::from(vec!["u1"])) as ArrayRef,
            ),
            (
                "timestamp",
                Arc::new(Int64Array::from(vec![1_714_550_400])) as ArrayRef,
            ),
            (
                "event",
                Arc::new(StringArray::from(vec!["view"])) as ArrayRef,
            ),
            (
                " User_ID",
                Arc::new(StringArray::from(vec!["u2"])) as ArrayRef,
            ),
        ])
        .expect("batch");
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), None).expect("writer");
        writer.write(&batch).expect("write");
        writer.close().expect("close");
        let error = times(&bytes, TimeUnit::Auto).expect_err("duplicate");
        assert_eq!(error.code(), "duplicate_column");
        assert_eq!(error.info().location.column, Some(4));
    }
}
