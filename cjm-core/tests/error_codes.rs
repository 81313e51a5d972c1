//! `docs/errors.md` documents exactly the codes the library can report: every `ErrorCode` and
//! every `ProblemCode` has a row there, and every code in those tables is one of them.

use std::collections::BTreeSet;

use cjm_core::{ErrorCode, ProblemCode};

/// The codes in backticks in the second column of the table rows of one `## ` section.
fn documented(section: &str) -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/errors.md");
    let text = std::fs::read_to_string(path).expect("docs/errors.md");
    let mut codes = BTreeSet::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            inside = heading.starts_with(section);
            continue;
        }
        let cells: Vec<&str> = line.split('|').collect();
        if !inside || cells.len() < 4 || cells[1].trim() == "kind" || cells[1].contains("---") {
            continue;
        }
        for code in cells[2].split('`').skip(1).step_by(2) {
            codes.insert(code.to_string());
        }
    }
    codes
}

#[test]
fn every_error_code_is_documented_and_every_documented_error_code_exists() {
    let codes: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(codes, documented("Errors"));
}

#[test]
fn every_problem_code_is_documented_and_every_documented_problem_code_exists() {
    let codes: BTreeSet<String> = ProblemCode::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    assert_eq!(codes, documented("Problems"));
}
