//! Progress reports and cancellation while reading event logs (`read_events_with`), and Parquet
//! event logs (with the `parquet` feature).

use cjm_core::{EventFormat, Progress, ProgressPhase, ProgressUnit, ReadOptions, read_events_with};

/// A CSV log of `rows` events (well over one report block).
fn big_csv(rows: usize) -> String {
    let mut text = String::from("user_id,timestamp,event,platform\n");
    for i in 0..rows {
        text.push_str(&format!(
            "u{},{},{},web\n",
            i % 997,
            1_700_000_000 + i,
            ["view", "cart", "purchase"][i % 3]
        ));
    }
    text
}

fn ndjson(csv: &str) -> String {
    csv.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            format!(
                "{{\"user_id\":\"{}\",\"timestamp\":{},\"event\":\"{}\",\"platform\":\"{}\"}}\n",
                cells[0], cells[1], cells[2], cells[3]
            )
        })
        .collect()
}

fn reports(bytes: &[u8], format: EventFormat) -> (usize, Vec<Progress>) {
    let mut seen = Vec::new();
    let mut callback = |p: Progress| {
        seen.push(p);
        true
    };
    let log = read_events_with(bytes, format, &ReadOptions::default(), Some(&mut callback))
        .expect("reads");
    (log.len(), seen)
}

fn check_monotonic_to_total(seen: &[Progress], total: u64, unit: ProgressUnit) {
    assert!(seen.len() >= 3, "a report per 65 536 rows: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");
    assert!(seen.iter().all(|p| p.total == total && p.unit == unit));
    assert!(seen.iter().all(|p| p.phase == ProgressPhase::Read));
    assert_eq!(seen.last().map(|p| p.done), Some(total));
    assert!(seen[0].done < total);
}

#[test]
fn csv_and_ndjson_report_bytes_up_to_the_total() {
    let csv = big_csv(200_000);
    let (rows, seen) = reports(csv.as_bytes(), EventFormat::Csv);
    assert_eq!(rows, 200_000);
    check_monotonic_to_total(&seen, csv.len() as u64, ProgressUnit::Bytes);

    let lines = ndjson(&csv);
    let (rows, seen) = reports(lines.as_bytes(), EventFormat::Ndjson);
    assert_eq!(rows, 200_000);
    check_monotonic_to_total(&seen, lines.len() as u64, ProgressUnit::Bytes);
}

#[test]
fn returning_false_cancels_reading() {
    let csv = big_csv(200_000);
    for format in [EventFormat::Csv, EventFormat::Ndjson] {
        let bytes = match format {
            EventFormat::Ndjson => ndjson(&csv).into_bytes(),
            _ => csv.clone().into_bytes(),
        };
        let mut calls = 0;
        let mut cancel = |_: Progress| {
            calls += 1;
            false
        };
        let error = read_events_with(&bytes, format, &ReadOptions::default(), Some(&mut cancel))
            .expect_err("cancelled");
        assert_eq!(error.code(), "cancelled");
        assert_eq!(calls, 1, "stops at the first report");
    }
}

#[test]
fn a_small_log_reports_once_at_the_end() {
    let csv = big_csv(10);
    let (_, seen) = reports(csv.as_bytes(), EventFormat::Csv);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].done, csv.len() as u64);
}

#[cfg(feature = "parquet")]
mod parquet {
    use super::*;
    use cjm_core::{FunnelSpec, read_events, read_events_parquet};

    fn input(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/inputs/events")
            .join(name);
        std::fs::read(path).expect("input file")
    }

    fn funnel_json(bytes: &[u8], format: EventFormat, by: Option<&str>) -> serde_json::Value {
        let log = read_events(bytes, format, &ReadOptions::default()).expect("reads");
        let spec = FunnelSpec {
            steps: vec!["view".into(), "cart".into(), "purchase".into()],
            window: "7d".into(),
            mode: Default::default(),
            by: by.map(str::to_string),
            interval: None,
        };
        serde_json::to_value(cjm_core::funnel(&log, &spec).expect("funnel")).expect("json")
    }

    #[test]
    fn the_parquet_log_gives_the_csv_funnel() {
        let csv = funnel_json(&input("basic.csv"), EventFormat::Csv, Some("platform"));
        let parquet = funnel_json(
            &input("basic.parquet"),
            EventFormat::Parquet,
            Some("platform"),
        );
        assert_eq!(parquet, csv);
        assert_eq!(csv["total"]["users"], 5);
        // Integer ids, epoch seconds, zstd.
        let epoch = funnel_json(
            &input("basic-epoch.parquet"),
            EventFormat::Parquet,
            Some("platform"),
        );
        assert_eq!(epoch, csv);

        let csv_log = read_events(&input("basic.csv"), EventFormat::Csv, &Default::default());
        let pq_log = read_events(
            &input("basic.parquet"),
            EventFormat::Parquet,
            &Default::default(),
        );
        let (csv_log, pq_log) = (csv_log.unwrap(), pq_log.unwrap());
        assert_eq!(pq_log.time, csv_log.time);
        assert_eq!(pq_log.event_names, csv_log.event_names);
        assert_eq!(
            pq_log.segment("platform").unwrap().values,
            csv_log.segment("platform").unwrap().values
        );
        let names = |log: &cjm_core::EventLog| {
            let mut ids = log.user_ids.clone();
            ids.sort();
            ids
        };
        assert_eq!(names(&pq_log), names(&csv_log));
    }

    #[test]
    fn a_column_of_the_wrong_type_is_named() {
        let error = read_events(
            &input("wrong-type.parquet"),
            EventFormat::Parquet,
            &ReadOptions::default(),
        )
        .expect_err("booleans are no timestamps");
        assert_eq!(error.code(), "wrong_column_type");
        let info = error.info();
        assert_eq!(info.location.column, Some(2), "{info:?}");
        assert!(error.to_string().contains("\"timestamp\""), "{error}");
    }

    #[test]
    fn truncated_and_garbage_bytes_fail_cleanly() {
        let bytes = input("basic.parquet");
        for cut in [0, 4, 8, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
            let error = read_events(&bytes[..cut], EventFormat::Parquet, &Default::default())
                .expect_err("truncated");
            assert_eq!(error.code(), "invalid_parquet", "cut at {cut}: {error}");
        }
        // Flipped bytes inside the pages: an error or (if the damage hits unused bytes) a log.
        // The reader's panic guard must not be what stops it: the decoder itself reports the
        // damage (a panic would abort where unwinding is off).
        for at in (4..bytes.len() - 8).step_by(7) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x5a;
            if let Err(error) = read_events(&damaged, EventFormat::Parquet, &Default::default()) {
                // Damage to a timestamp value can move it out of the years 1900-2200.
                assert!(
                    ["invalid_parquet", "invalid_timestamp"].contains(&error.code()),
                    "byte {at}: {error}"
                );
                assert!(
                    !error
                        .to_string()
                        .contains("the decoder failed on corrupt data"),
                    "byte {at}: the decoder panicked"
                );
            }
        }
    }

    #[test]
    fn missing_columns_and_null_cells() {
        let error = read_events(
            &input("missing-column.parquet"),
            EventFormat::Parquet,
            &Default::default(),
        )
        .unwrap_err();
        assert_eq!(error.code(), "missing_column");
        assert!(error.to_string().contains("\"event\""), "{error}");

        let bytes = input("null-user.parquet");
        let error = read_events(&bytes, EventFormat::Parquet, &Default::default()).unwrap_err();
        assert_eq!(error.code(), "missing_value");
        let location = error.info().location;
        assert_eq!((location.line, location.column), (Some(3), Some(1)));

        let skip = ReadOptions {
            skip_bad_rows: true,
            ..ReadOptions::default()
        };
        let log = read_events(&bytes, EventFormat::Parquet, &skip).unwrap();
        assert_eq!((log.len(), log.skipped_rows), (2, 1));
        assert!(log.value.is_none());
    }

    #[test]
    fn parquet_reports_rows_and_cancels() {
        let bytes = bytes::Bytes::from(input("basic.parquet"));
        let mut seen = Vec::new();
        let mut callback = |p: Progress| {
            seen.push(p);
            true
        };
        read_events_parquet(bytes.clone(), &Default::default(), Some(&mut callback)).unwrap();
        assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((15, 15)));
        assert!(seen.iter().all(|p| p.unit == ProgressUnit::Rows));
        let mut cancel = |_: Progress| false;
        let error = read_events_parquet(bytes, &Default::default(), Some(&mut cancel)).unwrap_err();
        assert_eq!(error.code(), "cancelled");
    }
}
