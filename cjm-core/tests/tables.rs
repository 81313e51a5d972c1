//! Results as tables (`result_table`, `table_csv`): the rows and columns every front shows.

use cjm_core::{
    ColumnType, FrictionWeights, FunnelMode, FunnelSpec, LoadOptions, ReadOptions, TableKind,
    parse_journey_bytes, read_events_csv, result_table, table_csv,
};
use serde_json::{Value, json};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn column<'t>(table: &'t cjm_core::Table, name: &str) -> &'t [Value] {
    &table
        .columns
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .values
}

#[test]
fn funnel_table_has_the_whole_population_first_then_each_group() {
    let text = std::fs::read_to_string(root().join("tests/inputs/events/basic.csv")).unwrap();
    let log = read_events_csv(&text, &ReadOptions::default()).unwrap();
    let spec = FunnelSpec {
        steps: vec!["view".into(), "cart".into(), "purchase".into()],
        window: "7d".into(),
        mode: FunnelMode::Default,
        by: Some("platform".into()),
        interval: None,
    };
    let result = cjm_core::funnel(&log, &spec).unwrap();
    let table = result_table(TableKind::Funnel, &serde_json::to_value(&result).unwrap()).unwrap();
    assert_eq!(table.rows(), 9);
    let groups: Vec<&str> = column(&table, "group")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        ["(all)"; 3]
            .iter()
            .chain(&["app"; 3])
            .chain(&["web"; 3])
            .copied()
            .collect::<Vec<_>>()
    );
    assert_eq!(
        column(&table, "step_index")[..3],
        [json!(1), json!(2), json!(3)]
    );
    // The users per step are the result's, group by group.
    let users: Vec<u64> = std::iter::once(&result.total)
        .chain(&result.groups)
        .flat_map(|g| g.steps.iter().map(|s| s.users))
        .collect();
    let in_table: Vec<u64> = column(&table, "users")
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(in_table, users);
    // basic.csv by hand: u1, u2, u3, u4 view; u1, u2, u3 cart; u1, u2 purchase within 7 days.
    assert_eq!(in_table[..3], [4, 3, 2]);
    let kinds: Vec<ColumnType> = table.columns.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds[..4],
        [
            ColumnType::Text,
            ColumnType::Int,
            ColumnType::Text,
            ColumnType::Int
        ]
    );
}

#[test]
fn friction_table_contributions_add_up_to_each_index() {
    let bytes = std::fs::read(root().join("examples/sports-nutrition/journey.yaml")).unwrap();
    let journey =
        parse_journey_bytes(&bytes, cjm_core::Format::Yaml, &LoadOptions::default()).unwrap();
    let report = cjm_core::friction(&journey, &FrictionWeights::default());
    let table = result_table(TableKind::Friction, &serde_json::to_value(&report).unwrap()).unwrap();
    assert_eq!(table.rows(), report.touchpoints.len());
    let components = cjm_core::ComponentKind::ALL.map(|kind| kind.name());
    for kind in cjm_core::ComponentKind::ALL {
        // The names the table uses are those the report's components carry.
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(kind.name()));
    }
    let mut checked = 0;
    for row in 0..table.rows() {
        let Some(index) = column(&table, "index")[row].as_f64() else {
            continue;
        };
        let sum: f64 = components
            .iter()
            .filter_map(|c| column(&table, c)[row].as_f64())
            .sum();
        assert!((sum - index).abs() < 1e-9, "row {row}: {sum} != {index}");
        checked += 1;
    }
    assert!(checked > 5, "only {checked} scored touchpoints");
}

#[test]
fn csv_neutralises_formulas_and_writes_tidy_numbers() {
    let result = json!({"gaps": [
        {"kind": "pain", "severity": 0.1234567891, "stage": "=cmd()", "touchpoint": null,
         "subject": "-1", "message": "@sum", "evidence": ["e1", "e2"]},
        {"kind": "pain", "severity": 1e-46, "stage": "s", "subject": "x", "message": "m",
         "evidence": []},
    ]});
    let table = result_table(TableKind::Gaps, &result).unwrap();
    assert_eq!(
        table_csv(&table),
        "kind,severity,stage,touchpoint,subject,message,evidence\n\
         pain,0.123457,'=cmd(),,-1,'@sum,\"e1,e2\"\n\
         pain,1e-46,s,,x,m,\n"
    );
}

#[test]
fn a_value_that_is_not_the_result_named_is_refused() {
    for (kind, value) in [
        (TableKind::Funnel, json!({"steps": []})),
        (TableKind::Plan, json!([1, 2])),
        (TableKind::Nps, json!("text")),
        (TableKind::Gaps, json!({"gaps": 3})),
    ] {
        let error = result_table(kind, &value).unwrap_err();
        assert_eq!(error.code(), "invalid_option", "{kind:?}");
    }
    let empty = result_table(TableKind::Paths, &json!({"transitions": []})).unwrap();
    assert_eq!(empty.rows(), 0);
    assert_eq!(empty.columns.len(), 6, "an empty table keeps its columns");
}
