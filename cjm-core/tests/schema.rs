//! The committed JSON Schemas must be exactly what the model generates: editors and the
//! TypeScript/Python types are built from those files.

use std::path::Path;

fn committed(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/schema")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("schema file exists");
    serde_json::from_str(&text).expect("schema file is JSON")
}

#[test]
fn journey_schema_matches_committed_file() {
    assert_eq!(
        cjm_core::journey_schema(),
        committed("journey.schema.json"),
        "docs/schema/journey.schema.json is stale: run `make types`"
    );
}

#[test]
fn api_schema_matches_committed_file() {
    assert_eq!(
        cjm_core::api_schema(),
        committed("api.schema.json"),
        "docs/schema/api.schema.json is stale: run `make types`"
    );
}

#[test]
fn examples_and_templates_satisfy_the_committed_schema() {
    // An independent JSON Schema validator checks the files users start from against the
    // schema editors will use, so the schema cannot reject valid journeys or drift from them.
    let validator =
        jsonschema::validator_for(&committed("journey.schema.json")).expect("schema compiles");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = [
        "examples/sports-nutrition/journey.yaml",
        "examples/sports-nutrition/journey-to-be.yaml",
        "examples/ecommerce/journey.yaml",
        "cjm-core/templates/classic.en.yaml",
        "cjm-core/templates/classic.ru.yaml",
        "cjm-core/templates/ecommerce.en.yaml",
        "cjm-core/templates/ecommerce.ru.yaml",
        "tests/inputs/clean.yaml",
    ];
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).expect("file exists");
        let value: serde_json::Value = serde_yaml_ng::from_str(&text).expect("file is YAML");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
    let wrong = serde_json::json!({"id": "x", "title": 5, "stages": []});
    assert!(
        !validator.is_valid(&wrong),
        "a numeric title must be rejected by the schema"
    );
}
