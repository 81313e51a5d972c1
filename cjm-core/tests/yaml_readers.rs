//! The streaming reader of plain YAML and the full reader give the same journeys: over every
//! YAML file of the repository (and the fuzz corpus, where one was built locally).
#![cfg(feature = "streaming-yaml")]

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn streaming_and_full_yaml_readers_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for dir in ["tests", "examples", "fuzz/corpus/journey_yaml"] {
        files(&root.join(dir), &mut found);
    }
    let yaml_dirs = ["fuzz/corpus/journey_yaml"];
    let mut checked = 0;
    for path in &found {
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) || yaml_dirs.iter().any(|d| path.starts_with(root.join(d)));
        if !is_yaml {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if let Err(difference) = cjm_core::yaml_readers_agree(&text) {
            panic!("{}: {difference}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} YAML files");
}
