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

fn run_case(path: &Path) -> Result<(), String> {
    let case: Value = serde_json::from_str(&fs::read_to_string(path).map_err(|e| e.to_string())?)
        .map_err(|e| format!("bad case file: {e}"))?;
    let bytes = input_bytes(&case);
    let format = format_of(&case, "format");
    let options = load_options(&case);
    let expect = &case["expect"];
    match case["op"].as_str().unwrap_or("") {
        "validate" => {
            let journey = parse_journey_bytes(&bytes, format, &options)
                .map_err(|e| format!("input does not load: {e}"))?;
            let validate_options: ValidateOptions =
                serde_json::from_value(case.get("options").cloned().unwrap_or(Value::Null))
                    .unwrap_or_default();
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
        other => return Err(format!("unknown op {other:?}")),
    }
    Ok(())
}

#[test]
fn language_neutral_cases() {
    let mut files = Vec::new();
    case_files(&tests_dir().join("cases"), &mut files);
    assert!(!files.is_empty(), "no case files found");
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
