//! Runs the language-neutral case files in `tests/cases` (format: `tests/README.md`).

use std::fs;
use std::path::{Path, PathBuf};

use cjm_core::{
    Format, LoadOptions, ValidateOptions, journey_to_value, parse_journey_bytes, validate,
    write_journey,
};
use serde_json::Value;

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("read cases dir")
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn input_bytes(case: &Value) -> Vec<u8> {
    if case.get("input").is_none() && case.get("generate").is_none() {
        return Vec::new();
    }
    if let Some(input) = case["input"].as_str() {
        return fs::read(tests_dir().join(input)).expect("read case input");
    }
    let generate = &case["generate"];
    let mut text = generate["prefix"].as_str().unwrap_or("").to_string();
    let times = generate["times"].as_u64().expect("generate.times") as usize;
    text.push_str(
        &generate["repeat"]
            .as_str()
            .expect("generate.repeat")
            .repeat(times),
    );
    text.push_str(generate["suffix"].as_str().unwrap_or(""));
    text.into_bytes()
}

fn format_of(case: &Value, key: &str) -> Format {
    Format::from_name(case[key].as_str().expect("format name")).expect("known format")
}

fn load_options(case: &Value) -> LoadOptions {
    match case["max_bytes"].as_u64() {
        Some(max) => LoadOptions {
            max_bytes: max as usize,
        },
        None => LoadOptions::default(),
    }
}

fn journey_json(text_bytes: &[u8], format: Format, options: &LoadOptions) -> Value {
    let journey = parse_journey_bytes(text_bytes, format, options).expect("input loads");
    journey_to_value(&journey).expect("journey converts to JSON")
}

/// The case's `read` options; a key the core does not know, or a bad value, fails the case.
fn read_options(case: &Value) -> Result<cjm_core::ReadOptions, String> {
    strict::<cjm_core::ReadOptions>(case, "read")
}

/// Fails a case whose `options` hold a key its op does not take, instead of ignoring it (a
/// misspelt option would otherwise silently test the default).
fn check_option_keys(case: &Value) -> Result<(), String> {
    let fronts: Value = serde_json::from_str(
        &fs::read_to_string(tests_dir().join("fronts.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let allowed: Vec<&str> = fronts["options"][case["op"].as_str().unwrap_or("")]
        .as_array()
        .map(|keys| keys.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match case.get("options") {
        None => Ok(()),
        Some(Value::Object(given)) => match given.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(key) => Err(format!("unknown option {key:?} for op {}", case["op"])),
            None => Ok(()),
        },
        Some(other) => Err(format!("options must be an object, not {other}")),
    }
}

/// The case's object `key` as `T`; a key `T` does not have, or a bad value, fails the case
/// instead of falling back to a default.
fn strict<T: serde::de::DeserializeOwned + serde::Serialize + Default>(
    case: &Value,
    key: &str,
) -> Result<T, String> {
    let Some(given) = case.get(key) else {
        return Ok(T::default());
    };
    let known = serde_json::to_value(T::default()).map_err(|e| e.to_string())?;
    let (Some(given_keys), Some(known_keys)) = (given.as_object(), known.as_object()) else {
        return Err(format!("{key} must be an object, not {given}"));
    };
    if let Some(unknown) = given_keys.keys().find(|k| !known_keys.contains_key(*k)) {
        return Err(format!("unknown {key} option {unknown:?}"));
    }
    serde_json::from_value(given.clone()).map_err(|e| format!("bad {key}: {e}"))
}

fn run_case(path: &Path) -> Result<(), String> {
    let case: Value = serde_json::from_str(&fs::read_to_string(path).map_err(|e| e.to_string())?)
        .map_err(|e| format!("bad case file: {e}"))?;
    let bytes = input_bytes(&case);
    let format = if case.get("format").is_some() {
        format_of(&case, "format")
    } else {
        Format::Json
    };
    let options = load_options(&case);
    let expect = &case["expect"];
    check_option_keys(&case)?;
    match case["op"].as_str().unwrap_or("") {
        "validate" => {
            let journey = parse_journey_bytes(&bytes, format, &options)
                .map_err(|e| format!("input does not load: {e}"))?;
            let validate_options: ValidateOptions = serde_json::from_value(
                case.get("options")
                    .cloned()
                    .unwrap_or_else(|| serde_json::json!({})),
            )
            .map_err(|e| format!("bad validate options: {e}"))?;
            let got: Vec<Value> = validate(&journey, &validate_options)
                .into_iter()
                .map(
                    |p| serde_json::json!({"code": p.code, "severity": p.severity, "path": p.path}),
                )
                .collect();
            let want = expect["problems"].as_array().cloned().unwrap_or_default();
            if got != want {
                return Err(format!(
                    "problems differ\n got: {}\nwant: {}",
                    serde_json::to_string_pretty(&got).unwrap_or_default(),
                    serde_json::to_string_pretty(&want).unwrap_or_default()
                ));
            }
        }
        "load" => {
            let result = parse_journey_bytes(&bytes, format, &options);
            if let Some(want) = expect.get("error") {
                let error = match result {
                    Ok(_) => return Err("loading succeeded but an error was expected".into()),
                    Err(e) => e.info(),
                };
                let got = serde_json::to_value(&error).map_err(|e| e.to_string())?;
                for key in ["code", "kind"] {
                    if got[key] != want[key] {
                        return Err(format!(
                            "{key}: got {} want {} ({})",
                            got[key], want[key], error.message
                        ));
                    }
                }
                for key in ["line", "column", "path"] {
                    if let Some(w) = want.get(key)
                        && &got["location"][key] != w
                    {
                        return Err(format!(
                            "location.{key}: got {} want {w} ({})",
                            got["location"][key], error.message
                        ));
                    }
                }
            } else {
                let journey = result.map_err(|e| format!("input does not load: {e}"))?;
                let got = journey_to_value(&journey).map_err(|e| e.to_string())?;
                let file = expect["journey"].as_str().ok_or("expect.journey missing")?;
                let want: Value = serde_json::from_str(
                    &fs::read_to_string(tests_dir().join(file)).map_err(|e| e.to_string())?,
                )
                .map_err(|e| e.to_string())?;
                if got != want {
                    return Err(format!(
                        "journey differs\n got: {}\nwant: {}",
                        serde_json::to_string_pretty(&got).unwrap_or_default(),
                        serde_json::to_string_pretty(&want).unwrap_or_default()
                    ));
                }
            }
        }
        "convert" => {
            let journey =
                parse_journey_bytes(&bytes, format, &options).map_err(|e| e.to_string())?;
            let got = write_journey(&journey, format_of(&case, "to")).map_err(|e| e.to_string())?;
            let file = expect["output"].as_str().ok_or("expect.output missing")?;
            let want = fs::read_to_string(tests_dir().join(file)).map_err(|e| e.to_string())?;
            if got != want {
                return Err(format!("output differs\n got:\n{got}\nwant:\n{want}"));
            }
        }
        "roundtrip" => {
            let original = journey_json(&bytes, format, &options);
            let journey =
                parse_journey_bytes(&bytes, format, &options).map_err(|e| e.to_string())?;
            let to = format_of(&case, "to");
            let text = write_journey(&journey, to).map_err(|e| e.to_string())?;
            let again = journey_json(text.as_bytes(), to, &LoadOptions::default());
            if again != original {
                return Err(format!(
                    "round trip through {} changed the journey:\n{text}",
                    to.name()
                ));
            }
        }
        op @ ("funnel" | "paths" | "compare_funnel" | "loyalty" | "retention" | "apply") => {
            let text = fs::read_to_string(
                tests_dir().join(case["events"].as_str().ok_or("events missing")?),
            )
            .map_err(|e| e.to_string())?;
            let read = read_options(&case)?;
            let result = cjm_core::read_events_csv(&text, &read).and_then(|log| {
                if let Some(skipped) = expect.get("skipped_rows")
                    && Some(log.skipped_rows) != skipped.as_u64()
                {
                    panic!("skipped {} rows, expected {skipped}", log.skipped_rows);
                }
                event_analysis(op, &case, &log)
            });
            check_result(result, expect)?;
        }
        "funnel_chart" => {
            let text = fs::read_to_string(
                tests_dir().join(case["events"].as_str().ok_or("events missing")?),
            )
            .map_err(|e| e.to_string())?;
            let read = read_options(&case)?;
            let spec: cjm_core::FunnelSpec =
                serde_json::from_value(case["spec"].clone()).map_err(|e| e.to_string())?;
            let options: cjm_core::RenderOptions =
                serde_json::from_value(case.get("options").cloned().unwrap_or(Value::Null))
                    .map_err(|e| e.to_string())?;
            let result = cjm_core::read_events_csv(&text, &read)
                .and_then(|log| cjm_core::funnel(&log, &spec))
                .map_err(|e| e.to_string())?;
            check_svg(
                &cjm_core::render_funnel_svg(&result, &options).unwrap(),
                &expect["svg"],
            )?;
        }
        op @ ("curve" | "friction" | "gaps" | "compare" | "plan" | "health" | "nps" | "csat"
        | "ces") => {
            let result = analysis(op, &case, &bytes, format, &options);
            check_result(result, expect)?;
        }
        other => return Err(format!("unknown op {other:?}")),
    }
    Ok(())
}

/// Runs an event-log op and returns its result as JSON.
fn event_analysis(
    op: &str,
    case: &Value,
    log: &cjm_core::EventLog,
) -> Result<Value, cjm_core::CjmError> {
    let spec =
        || -> cjm_core::FunnelSpec { serde_json::from_value(case["spec"].clone()).expect("spec") };
    let json = |v: Result<Value, serde_json::Error>| v.expect("result serialises");
    Ok(match op {
        "funnel" => json(serde_json::to_value(cjm_core::funnel(log, &spec())?)),
        "paths" => {
            let options: cjm_core::PathOptions = serde_json::from_value(
                case.get("options")
                    .cloned()
                    .unwrap_or_else(|| serde_json::json!({})),
            )
            .expect("paths options");
            json(serde_json::to_value(cjm_core::paths(log, None, &options)?))
        }
        "compare_funnel" => {
            let split: cjm_core::SplitInput =
                serde_json::from_value(case["split"].clone()).expect("split");
            let split = split.resolve()?;
            json(serde_json::to_value(cjm_core::compare_funnel(
                log,
                &spec(),
                &split,
            )?))
        }
        "loyalty" => {
            let event = case["options"]["purchase_event"]
                .as_str()
                .unwrap_or("purchase");
            json(serde_json::to_value(cjm_core::loyalty(log, event)?))
        }
        "retention" => {
            let spec: cjm_core::RetentionSpec =
                serde_json::from_value(case["spec"].clone()).expect("retention spec");
            json(serde_json::to_value(cjm_core::retention(log, &spec)?))
        }
        "apply" => {
            let bytes = input_bytes(case);
            let journey =
                parse_journey_bytes(&bytes, format_of(case, "format"), &LoadOptions::default())?;
            let options = strict::<cjm_core::ApplyOptions>(case, "options")
                .unwrap_or_else(|e| panic!("case options: {e}"));
            let (journey, report) = cjm_core::apply_events(&journey, log, &options)?;
            serde_json::json!({
                "journey": journey_to_value(&journey)?,
                "report": json(serde_json::to_value(report)),
            })
        }
        _ => unreachable!("ops are matched by the caller"),
    })
}

/// Runs an analysis op and returns its result as JSON.
fn analysis(
    op: &str,
    case: &Value,
    bytes: &[u8],
    format: Format,
    options: &LoadOptions,
) -> Result<Value, cjm_core::CjmError> {
    let opts = case
        .get("options")
        .cloned()
        .unwrap_or_else(|| serde_json::json!({}));
    let responses = || -> Vec<f64> {
        case["responses"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    let to_json = |v: Result<Value, serde_json::Error>| v.expect("result serialises");
    match op {
        "nps" => return cjm_core::nps(&responses()).map(|r| to_json(serde_json::to_value(r))),
        "csat" => return cjm_core::csat(&responses()).map(|r| to_json(serde_json::to_value(r))),
        "ces" => return cjm_core::ces(&responses()).map(|r| to_json(serde_json::to_value(r))),
        _ => {}
    }
    let journey = parse_journey_bytes(bytes, format, options)?;
    let weights: cjm_core::FrictionWeights = match opts.get("weights") {
        Some(weights) => serde_json::from_value(weights.clone()).expect("friction weights"),
        None => Default::default(),
    };
    Ok(match op {
        "curve" => to_json(serde_json::to_value(cjm_core::emotion_curve(
            &journey,
            opts["persona"].as_str(),
        )?)),
        "friction" => to_json(serde_json::to_value(cjm_core::friction(&journey, &weights))),
        "gaps" => to_json(serde_json::to_value(cjm_core::analyze_gaps(&journey))),
        "plan" => to_json(serde_json::to_value(cjm_core::plan(
            &journey,
            &cjm_core::analyze_gaps(&journey),
        ))),
        "health" => {
            let mut without_weights = opts.clone();
            if let Some(map) = without_weights.as_object_mut() {
                map.remove("weights");
            }
            let validate_options: ValidateOptions =
                serde_json::from_value(without_weights).expect("health options");
            to_json(serde_json::to_value(cjm_core::health(
                &journey,
                &validate_options,
                &weights,
            )))
        }
        "compare" => {
            let path = case["input_to_be"].as_str().expect("input_to_be");
            let to_be_bytes = fs::read(tests_dir().join(path)).expect("read to-be input");
            let to_be = parse_journey_bytes(&to_be_bytes, format, options)?;
            to_json(serde_json::to_value(cjm_core::compare_journeys(
                &journey, &to_be, &weights,
            )))
        }
        _ => unreachable!("ops are matched by the caller"),
    })
}

/// `expected` must be contained in `actual`: objects by the keys given, arrays element-wise
/// with equal length, numbers within 1e-9 (relative), everything else equal.
fn contains(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let inner = a.get(key).unwrap_or(&Value::Null);
                contains(inner, value, &format!("{path}/{key}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!(
                    "{path}: {} items, expected {}: {actual}",
                    a.len(),
                    e.len()
                ));
            }
            for (i, (x, y)) in a.iter().zip(e).enumerate() {
                contains(x, y, &format!("{path}/{i}"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (
                a.as_f64().unwrap_or(f64::NAN),
                e.as_f64().unwrap_or(f64::NAN),
            );
            if (a - e).abs() <= 1e-9 * e.abs().max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: {a}, expected {e}"))
            }
        }
        _ if actual == expected => Ok(()),
        _ => Err(format!("{path}: {actual}, expected {expected}")),
    }
}

/// The `width` of every `<rect …>` whose class is `bar`, in document order.
fn bar_widths(svg: &str) -> Vec<f64> {
    svg.split("<rect")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| tag.contains(" class=\"bar\""))
        .filter_map(|tag| tag.split(" width=\"").nth(1))
        .filter_map(|w| w.split('"').next())
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// `expect.svg` of a chart case: substring counts and bar widths (tests/README.md).
fn check_svg(svg: &str, expect: &Value) -> Result<(), String> {
    let counts = expect["count"]
        .as_object()
        .ok_or("expect.svg.count missing")?;
    for (needle, want) in counts {
        let got = svg.matches(needle.as_str()).count() as u64;
        if Some(got) != want.as_u64() {
            return Err(format!("{needle:?} occurs {got} times, expected {want}"));
        }
    }
    if let Some(want) = expect.get("bars") {
        let got = Value::from(bar_widths(svg));
        contains(&got, want, "/bars")?;
    }
    Ok(())
}

/// `expect.table`: the result's table of `kind` as CSV must equal the file `csv` exactly.
fn check_table(result: &Value, expect: &Value) -> Result<(), String> {
    let Some(want) = expect.get("table") else {
        return Ok(());
    };
    let kind = cjm_core::TableKind::from_name(want["kind"].as_str().ok_or("table.kind")?)
        .map_err(|e| e.to_string())?;
    let table = cjm_core::result_table(kind, result).map_err(|e| e.to_string())?;
    let got = cjm_core::table_csv(&table);
    let file = want["csv"].as_str().ok_or("table.csv missing")?;
    let want = fs::read_to_string(tests_dir().join(file)).map_err(|e| e.to_string())?;
    if got != want {
        return Err(format!("table differs\n got:\n{got}\nwant:\n{want}"));
    }
    Ok(())
}

fn check_result(result: Result<Value, cjm_core::CjmError>, expect: &Value) -> Result<(), String> {
    match (result, expect.get("error")) {
        (Ok(value), None) => {
            contains(&value, &expect["result"], "")?;
            check_table(&value, expect)
        }
        (Ok(value), Some(_)) => Err(format!("expected an error, got {value}")),
        (Err(error), Some(want)) => {
            let got = serde_json::to_value(error.info()).map_err(|e| e.to_string())?;
            for key in ["code", "kind"] {
                if got[key] != want[key] {
                    return Err(format!("{key}: got {} want {}", got[key], want[key]));
                }
            }
            for key in ["path", "line", "column"] {
                if let Some(w) = want.get(key)
                    && &got["location"][key] != w
                {
                    return Err(format!("{key}: got {} want {w}", got["location"][key]));
                }
            }
            Ok(())
        }
        (Err(error), None) => Err(format!("unexpected error: {error}")),
    }
}

#[test]
fn language_neutral_cases() {
    let mut files = Vec::new();
    case_files(&tests_dir().join("cases"), &mut files);
    assert!(!files.is_empty(), "no case files found");
    let fronts: Value = serde_json::from_str(
        &fs::read_to_string(tests_dir().join("fronts.json")).expect("tests/fronts.json"),
    )
    .expect("fronts.json is JSON");
    let rust_ops: Vec<&str> = fronts["rust"]
        .as_array()
        .expect("rust ops")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for path in &files {
        let case: Value =
            serde_json::from_str(&fs::read_to_string(path).expect("case")).expect("case JSON");
        let op = case["op"].as_str().unwrap_or("");
        assert!(
            rust_ops.contains(&op),
            "{}: op {op:?} is not listed for rust in tests/fronts.json",
            path.display()
        );
    }
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            run_case(path).err().map(|e| {
                format!(
                    "{}: {e}",
                    path.strip_prefix(tests_dir()).unwrap_or(path).display()
                )
            })
        })
        .collect();
    println!("{} case files, {} failed", files.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
