//! Durations as people write them: `1500ms`, `45s`, `30m`, `2h`, `3d`, `1w`, or ISO-8601 like `P3D`, `PT2H30M`.

/// Parses a duration into seconds. Returns `None` for anything else, and for negative or
/// non-finite values.
///
/// ```
/// use cjm_core::parse_duration;
/// assert_eq!(parse_duration("7d"), Some(604800.0));
/// assert_eq!(parse_duration("PT1H30M"), Some(5400.0));
/// assert_eq!(parse_duration("soon"), None);
/// ```
pub fn parse_duration(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Some(iso) = text.strip_prefix('P').or_else(|| text.strip_prefix('p')) {
        return parse_iso(iso);
    }
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.trim().parse().ok()?;
    let seconds = value * unit_seconds(unit.trim())?;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

fn unit_seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ms" | "msec" | "millisecond" | "milliseconds" => 0.001,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86400.0,
        "w" | "week" | "weeks" => 604_800.0,
        _ => return None,
    })
}

fn parse_iso(rest: &str) -> Option<f64> {
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for ch in rest.chars() {
        match ch {
            'T' | 't' if number.is_empty() && !in_time => in_time = true,
            '0'..='9' | '.' => number.push(ch),
            _ => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                let unit = match (in_time, ch.to_ascii_uppercase()) {
                    (false, 'W') => 604_800.0,
                    (false, 'D') => 86400.0,
                    (true, 'H') => 3600.0,
                    (true, 'M') => 60.0,
                    (true, 'S') => 1.0,
                    _ => return None,
                };
                total += value * unit;
                any = true;
            }
        }
    }
    (any && number.is_empty() && total.is_finite()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn short_and_iso_forms() {
        assert_eq!(parse_duration("45s"), Some(45.0));
        assert_eq!(parse_duration("1.5h"), Some(5400.0));
        assert_eq!(parse_duration("2 days"), Some(172_800.0));
        assert_eq!(parse_duration("P1W"), Some(604_800.0));
        assert_eq!(parse_duration("P1DT12H"), Some(129_600.0));
        assert_eq!(parse_duration("PT"), None);
        assert_eq!(
            parse_duration("P1M"),
            None,
            "months are ambiguous and rejected"
        );
        assert_eq!(parse_duration("-3d"), None);
        assert_eq!(parse_duration("3x"), None);
        assert_eq!(parse_duration(""), None);
    }
}
