//! The `cjm` command as a user runs it: exit codes, listings, conversions, templates.

use assert_cmd::Command;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cjm() -> Command {
    let mut cmd = Command::cargo_bin("cjm").expect("binary builds");
    cmd.current_dir(root());
    cmd
}

fn stdout(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("utf-8 output")
}

#[test]
fn validate_clean_file_exits_zero() {
    let out = stdout(
        cjm()
            .args([
                "validate",
                "tests/inputs/clean.yaml",
                "--today",
                "2026-11-27",
            ])
            .assert()
            .success(),
    );
    assert!(out.contains("valid (0 error(s), 0 warning(s))"), "{out}");
}

#[test]
fn validate_broken_file_lists_every_error_and_exits_one() {
    let assert = cjm()
        .args([
            "validate",
            "tests/inputs/broken.yaml",
            "--format",
            "json",
            "--today",
            "2026-11-27",
        ])
        .assert()
        .code(1);
    let reports: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("json");
    let problems = reports[0]["problems"].as_array().expect("problems");
    assert_eq!(
        problems.len(),
        14,
        "broken.yaml holds 13 errors and 1 warning"
    );
    assert_eq!(reports[0]["valid"], false);
}

#[test]
fn validate_reports_parse_errors_with_line_and_column() {
    let out = stdout(
        cjm()
            .args(["validate", "tests/inputs/syntax.json"])
            .assert()
            .code(1),
    );
    assert!(
        out.contains("tests/inputs/syntax.json:1:22: error[json_syntax]"),
        "{out}"
    );
}

#[test]
fn validate_many_files_fails_if_any_fails() {
    cjm()
        .args([
            "validate",
            "tests/inputs/clean.yaml",
            "tests/inputs/broken.yaml",
            "--today",
            "2026-11-27",
        ])
        .assert()
        .code(1);
}

#[test]
fn convert_picks_formats_from_extensions_and_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("sn.json");
    let yaml = dir.path().join("sn.yaml");
    cjm()
        .args(["convert", "examples/sports-nutrition/journey.yaml"])
        .arg(&json)
        .assert()
        .success();
    cjm()
        .arg("convert")
        .arg(&json)
        .arg(&yaml)
        .assert()
        .success();
    let original: serde_json::Value =
        serde_yaml_value(&root().join("examples/sports-nutrition/journey.yaml"));
    let again: serde_json::Value = serde_yaml_value(&yaml);
    assert_eq!(original["stages"], again["stages"]);
    let text = std::fs::read_to_string(&yaml).expect("written");
    assert!(
        text.contains("Осведомлённость"),
        "Cyrillic is written as text, not escaped"
    );
}

/// JSON numbers read back to the same float: serde_json's default parser may be off by one unit in
/// the last place (1e-66 came back as 1.0000000000000001e-66; a fuzzing find).
#[test]
fn floats_survive_a_json_round_trip_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("in.yaml");
    let json = dir.path().join("mid.json");
    let back = dir.path().join("back.yaml");
    std::fs::write(
        &yaml,
        "id: tiny\ntitle: Tiny\nstages:\n  - id: s\n    name: S\n    touchpoints:\n      - {id: t, name: T}\nopportunities:\n  - {id: o, title: O, reach: 1, impact: 2, confidence: 0.5, effort: 1.0e-66}\n",
    )
    .expect("written");
    cjm()
        .arg("convert")
        .arg(&yaml)
        .arg(&json)
        .assert()
        .success();
    cjm()
        .arg("convert")
        .arg(&json)
        .arg(&back)
        .assert()
        .success();
    let text = std::fs::read_to_string(&back).expect("written");
    assert!(text.contains("effort: 1e-66\n"), "{text}");
}

fn serde_yaml_value(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("file");
    let journey = cjm_core::parse_journey(&text, cjm_core::Format::Yaml).expect("loads");
    cjm_core::journey_to_value(&journey).expect("json")
}

#[test]
fn convert_to_stdout_and_to_mermaid() {
    let out = stdout(
        cjm()
            .args(["convert", "tests/inputs/clean.yaml", "-", "--to", "mermaid"])
            .assert()
            .success(),
    );
    assert_eq!(
        out,
        std::fs::read_to_string(root().join("tests/expected/clean.mmd")).expect("expected")
    );
}

#[test]
fn a_lossy_conversion_says_what_it_dropped() {
    let mermaid = cjm()
        .args([
            "convert",
            "examples/sports-nutrition/journey.yaml",
            "-",
            "--to",
            "mermaid",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&mermaid.get_output().stderr).to_string();
    assert!(
        stderr.starts_with("warning: mermaid cannot carry everything"),
        "{stderr}"
    );
    assert!(stderr.contains("pain point"), "{stderr}");
    let json = cjm()
        .args([
            "convert",
            "examples/sports-nutrition/journey.yaml",
            "-",
            "--to",
            "json",
        ])
        .assert()
        .success();
    assert!(
        json.get_output().stderr.is_empty(),
        "JSON keeps everything: no warning"
    );
}

#[test]
fn unknown_extension_is_a_clear_usage_error() {
    let assert = cjm()
        .args(["convert", "tests/inputs/clean.yaml", "out.docx"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("error[unsupported_format]"), "{err}");
}

#[test]
fn new_from_template_is_valid() {
    let out = stdout(
        cjm()
            .args(["new", "--template", "classic", "--lang", "ru"])
            .assert()
            .success(),
    );
    let journey = cjm_core::parse_journey(&out, cjm_core::Format::Yaml).expect("template loads");
    assert_eq!(journey.stages.len(), 6);
    assert!(!cjm_core::has_errors(&cjm_core::validate(
        &journey,
        &Default::default()
    )));
    cjm().args(["new", "--template", "nope"]).assert().code(2);
}

#[test]
fn schema_is_the_committed_one() {
    let out = stdout(cjm().arg("schema").assert().success());
    let printed: serde_json::Value = serde_json::from_str(&out).expect("json");
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/schema/journey.schema.json")).expect("file"),
    )
    .expect("json");
    assert_eq!(printed, committed);
}

#[test]
fn info_names_the_top_pain_point() {
    let out = stdout(
        cjm()
            .args(["info", "examples/sports-nutrition/journey.yaml"])
            .assert()
            .success(),
    );
    assert!(out.contains("6 stages"), "{out}");
    assert!(
        out.contains("вакууме"),
        "the post-delivery vacuum is the most severe pain point: {out}"
    );
}

fn funnel_json(events: &str) -> serde_json::Value {
    let assert = cjm()
        .args([
            "funnel",
            events,
            "--steps",
            "view,cart,purchase",
            "--window",
            "7d",
            "--by",
            "platform",
            "--format",
            "json",
        ])
        .assert()
        .success();
    serde_json::from_slice(&assert.get_output().stdout).expect("json")
}

#[test]
fn funnel_on_parquet_equals_funnel_on_the_same_csv() {
    let csv = funnel_json("tests/inputs/events/basic.csv");
    assert_eq!(csv["total"]["users"], 5);
    assert_eq!(funnel_json("tests/inputs/events/basic.parquet"), csv);
    assert_eq!(funnel_json("tests/inputs/events/basic-epoch.parquet"), csv);
}

#[test]
fn bad_parquet_files_fail_with_codes_not_panics() {
    let stderr = |assert: assert_cmd::assert::Assert| {
        String::from_utf8(assert.get_output().stderr.clone()).expect("utf-8")
    };
    let err = stderr(
        cjm()
            .args(["funnel", "tests/inputs/events/wrong-type.parquet"])
            .args(["--steps", "view"])
            .assert()
            .code(2),
    );
    assert!(
        err.contains("error[wrong_column_type]") && err.contains("\"timestamp\""),
        "{err}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = std::fs::read(root().join("tests/inputs/events/basic.parquet")).expect("input");
    for cut in [0, 100, bytes.len() / 2, bytes.len() - 3] {
        let path = dir.path().join(format!("cut-{cut}.parquet"));
        std::fs::write(&path, &bytes[..cut]).expect("write");
        let err = stderr(
            cjm()
                .arg("funnel")
                .arg(&path)
                .args(["--steps", "view"])
                .assert()
                .code(2),
        );
        assert!(err.contains("error[invalid_parquet]"), "cut {cut}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    // Over the 8 MB and the 2^20 events from which a terminal gets a reading and a funnel bar;
    // here stderr is a pipe.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.csv");
    let mut text = String::from("user_id,timestamp,event\n");
    let mut i = 0u64;
    while text.len() < 9 << 20 || i < (1 << 20) + 1000 {
        text.push_str(&format!(
            "user-{},{},{}\n",
            i % 50_000,
            1_700_000_000 + i,
            ["view", "cart", "purchase"][(i % 3) as usize]
        ));
        i += 1;
    }
    std::fs::write(&path, &text).expect("write");
    for quiet in [false, true] {
        let mut cmd = cjm();
        cmd.arg("funnel")
            .arg(&path)
            .args(["--steps", "view,cart,purchase", "--format", "json"]);
        if quiet {
            cmd.arg("--quiet");
        }
        let assert = cmd.assert().success();
        let out = assert.get_output();
        let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(result["total"]["users"], 50_000);
        assert!(
            out.stderr.is_empty(),
            "stderr: {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn time_unit_option_reads_epoch_numbers_in_that_unit() {
    let step_users = |extra: &[&str]| -> Vec<u64> {
        let assert = cjm()
            .args(["funnel", "tests/inputs/events/epoch-us.csv"])
            .args(["--steps", "view,cart,purchase", "--format", "json"])
            .args(extra)
            .assert()
            .success();
        let result: serde_json::Value =
            serde_json::from_slice(&assert.get_output().stdout).expect("json");
        result["total"]["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|step| step["users"].as_u64().expect("users"))
            .collect()
    };
    // GA4-like microseconds: auto reads them as us (7 real days), ms shrinks the window.
    assert_eq!(step_users(&[]), [4, 3, 2]);
    assert_eq!(step_users(&["--time-unit", "us"]), [4, 3, 2]);
    // Read as milliseconds they would be dates around the year 56 000: outside 1900-2200.
    let assert = cjm()
        .args(["funnel", "tests/inputs/events/epoch-us.csv"])
        .args(["--steps", "view,cart,purchase", "--time-unit", "ms"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        err.contains("error[invalid_timestamp]") && err.contains("row 2") && err.contains("1900"),
        "{err}"
    );

    let assert = cjm()
        .args(["funnel", "tests/inputs/events/epoch-ambiguous.csv"])
        .args(["--steps", "view,cart"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("error[invalid_timestamp]"), "{err}");
    assert!(
        err.contains("row 3") && err.contains("\"timestamp\""),
        "{err}"
    );
    for command in [
        &["paths", "tests/inputs/events/paths.csv"][..],
        &[
            "loyalty",
            "tests/inputs/events/paths.csv",
            "--purchase-event",
            "cart",
        ],
    ] {
        cjm()
            .args(command)
            .args(["--time-unit", "s"])
            .assert()
            .success();
    }
    cjm()
        .args(["funnel", "tests/inputs/events/epoch-us.csv"])
        .args(["--steps", "view", "--time-unit", "sec"])
        .assert()
        .code(2);
}

/// Runs `cjm args…` and kills it after `seconds`: a hang or an unbounded read fails the test.
#[cfg(unix)]
fn run_with_timeout(args: &[&std::ffi::OsStr], seconds: u64) -> std::process::Output {
    use std::io::Read;
    use std::process::{Command as Process, Stdio};
    use std::time::{Duration, Instant};
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("cjm"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cjm starts");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cjm {args:?} still running after {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut stdout)
        .expect("stdout");
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_end(&mut stderr)
        .expect("stderr");
    std::process::Output {
        status,
        stdout,
        stderr,
    }
}

#[cfg(unix)]
#[test]
fn validate_refuses_an_endless_stream_after_the_size_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let output = run_with_timeout(&["validate".as_ref(), link.as_os_str()], 10);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[input_too_large]"), "{stdout}");
    // The other commands refuse it too, with exit status 2.
    let output = run_with_timeout(&["info".as_ref(), link.as_os_str()], 10);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error[input_too_large]"), "{stderr}");
}

#[test]
fn oversized_regular_file_is_refused_by_its_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.json");
    let file = std::fs::File::create(&path).expect("create");
    // Sparse: 17 MiB that take no disk space.
    file.set_len(17 << 20).expect("set_len");
    let out = stdout(
        cjm()
            .args(["validate".as_ref(), path.as_os_str()])
            .assert()
            .code(1),
    );
    assert!(out.contains("error[input_too_large]"), "{out}");
    assert!(out.contains(&format!("{} bytes", 17u64 << 20)), "{out}");
}

#[test]
fn missing_files_are_io_errors() {
    let out = stdout(
        cjm()
            .args(["validate", "tests/inputs/does-not-exist.yaml"])
            .assert()
            .code(1),
    );
    assert!(out.contains("error[io]"), "{out}");
    let assert = cjm()
        .args([
            "convert",
            "tests/inputs/does-not-exist.yaml",
            "-",
            "--to",
            "json",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.starts_with("error[io]: "), "{err}");
    let assert = cjm()
        .args([
            "funnel",
            "tests/inputs/does-not-exist.csv",
            "--steps",
            "a,b",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.starts_with("error[io]: "), "{err}");
}

#[test]
fn render_and_report_refuse_output_over_the_budget() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("map.svg");
    for command in ["render", "report"] {
        let assert = cjm()
            .args([
                command.as_ref(),
                "examples/ecommerce/journey.yaml".as_ref(),
                "--max-output-bytes".as_ref(),
                "1000".as_ref(),
                "-o".as_ref(),
                out.as_os_str(),
            ])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains("error[output_too_large]"), "{stderr}");
        assert!(stderr.contains("1000 bytes"), "{stderr}");
        assert!(!out.exists(), "nothing is written");
    }
    cjm()
        .args([
            "render".as_ref(),
            "examples/ecommerce/journey.yaml".as_ref(),
            "--max-output-bytes".as_ref(),
            "0".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .assert()
        .success();
}

#[test]
fn format_csv_prints_the_table_every_front_shows() {
    // The expected tables are the shared cases' (tests/expected/tables, checked by hand).
    let table = |name: &str| {
        std::fs::read_to_string(root().join("tests/expected/tables").join(name)).expect("table")
    };
    let funnel = stdout(
        cjm()
            .args(["funnel", "tests/inputs/events/basic.csv", "--steps"])
            .args(["view,cart,purchase", "--by", "platform", "--format", "csv"])
            .assert()
            .success(),
    );
    assert_eq!(funnel, table("funnel-breakdown.csv"));
    let compared = stdout(
        cjm()
            .args(["compare", "tests/inputs/events/basic.csv", "--steps"])
            .args([
                "view,cart,purchase",
                "--split",
                "platform=web",
                "--format",
                "csv",
            ])
            .assert()
            .success(),
    );
    assert_eq!(compared, table("compare-segments.csv"));
    let loyalty = stdout(
        cjm()
            .args([
                "loyalty",
                "tests/inputs/events/basic.csv",
                "--format",
                "csv",
            ])
            .assert()
            .success(),
    );
    assert_eq!(loyalty, table("loyalty.csv"));
    let gaps = stdout(
        cjm()
            .args([
                "gaps",
                "examples/sports-nutrition/journey.yaml",
                "--format",
                "csv",
            ])
            .assert()
            .success(),
    );
    assert!(gaps.starts_with("kind,severity,stage,touchpoint,subject,message,evidence\n"));
}

#[test]
fn columns_map_an_exports_names_and_bad_mappings_are_usage_errors() {
    let out = stdout(
        cjm()
            .args([
                "funnel",
                "tests/inputs/events/renamed-columns.csv",
                "--steps",
                "view,cart,purchase",
                "--columns",
                "user=anonymous_id, event=event_type,time=event_time,value=amount",
                "--format",
                "json",
            ])
            .assert()
            .success(),
    );
    let result: serde_json::Value = serde_json::from_str(&out).expect("json");
    let users: Vec<u64> = result["total"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["users"].as_u64().expect("users"))
        .collect();
    assert_eq!(users, [2, 1, 1]);
    // Without the mapping the file has no event column.
    let missing = cjm()
        .args([
            "funnel",
            "tests/inputs/events/renamed-columns.csv",
            "--steps",
            "view",
        ])
        .assert()
        .failure();
    let text = String::from_utf8_lossy(&missing.get_output().stderr).to_string();
    assert!(
        text.contains("missing_column") && text.contains("column mapping"),
        "{text}"
    );
    for bad in ["usr=anonymous_id", "user", "user=a,user=b"] {
        let output = cjm()
            .args([
                "funnel",
                "tests/inputs/events/renamed-columns.csv",
                "--steps",
                "view",
                "--columns",
                bad,
            ])
            .assert()
            .code(2);
        let text = String::from_utf8_lossy(&output.get_output().stderr).to_string();
        assert!(text.contains("--columns"), "{bad}: {text}");
    }
}

#[test]
fn retention_prints_cohorts_and_a_csv_table() {
    let args = [
        "retention",
        "tests/inputs/events/retention.csv",
        "--start",
        "signup",
        "--return",
        "visit",
        "--interval",
        "day",
        "--periods",
        "3",
    ];
    let text = stdout(cjm().args(args).assert().success());
    assert!(text.contains("3 users started"), "{text}");
    assert!(
        text.contains("2024-05-02") && text.contains("66.7%"),
        "{text}"
    );
    let csv = stdout(
        cjm()
            .args(args)
            .args(["--format", "csv"])
            .assert()
            .success(),
    );
    assert_eq!(
        csv,
        std::fs::read_to_string(root().join("tests/expected/tables/retention.csv")).unwrap()
    );
    let bad = cjm()
        .args([
            "retention",
            "tests/inputs/events/retention.csv",
            "--start",
            "signup",
        ])
        .args(["--interval", "fortnight"])
        .assert()
        .code(2);
    let error = String::from_utf8_lossy(&bad.get_output().stderr).to_string();
    assert!(error.contains("day, week or month"), "{error}");
}

#[test]
fn gzip_event_logs_read_as_the_plain_ones() {
    let args = |file: &str| {
        [
            "funnel".to_string(),
            file.to_string(),
            "--steps".into(),
            "view,cart,purchase".into(),
            "--format".into(),
            "json".into(),
        ]
    };
    let plain = stdout(
        cjm()
            .args(args("tests/inputs/events/basic.csv"))
            .assert()
            .success(),
    );
    let packed = stdout(
        cjm()
            .args(args("tests/inputs/events/basic.csv.gz"))
            .assert()
            .success(),
    );
    assert_eq!(plain, packed);
}
