//! Text formatting shared by several commands; printers only one command uses live with it.

/// A share as a percentage with one decimal, or `—` when unknown.
pub fn pct(value: Option<f64>) -> String {
    value.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// A duration in seconds in the largest unit that keeps it readable, or `—` when unknown.
pub fn secs(value: Option<f64>) -> String {
    match value {
        None => "—".into(),
        Some(s) if s < 120.0 => format!("{s:.0}s"),
        Some(s) if s < 7200.0 => format!("{:.1}m", s / 60.0),
        Some(s) if s < 172_800.0 => format!("{:.1}h", s / 3600.0),
        Some(s) => format!("{:.1}d", s / 86400.0),
    }
}

/// A friction index right-aligned in five columns, or `n/a`.
pub fn fmt_index(value: Option<f64>) -> String {
    value.map_or("  n/a".to_string(), |v| format!("{v:5.1}"))
}

pub fn print_gaps(gaps: &[cjm_core::Gap]) {
    for gap in gaps {
        let kind = serde_json::to_value(gap.kind).unwrap_or_default();
        let place = [gap.stage.as_deref(), gap.touchpoint.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("/");
        println!(
            "  {:.2} {} at {}: {}",
            gap.severity,
            kind.as_str().unwrap_or(""),
            if place.is_empty() { "journey" } else { &place },
            gap.message
        );
    }
}

/// The table of `kind` of a result as CSV, the `--format csv` output of the commands with
/// tables.
pub fn csv<T: serde::Serialize>(kind: cjm_core::TableKind, result: &T) -> String {
    serde_json::to_value(result)
        .ok()
        .and_then(|value| cjm_core::result_table(kind, &value).ok())
        .map_or(String::new(), |table| cjm_core::table_csv(&table))
}

/// `value` as pretty-printed JSON, the `--format json` output of every command.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
