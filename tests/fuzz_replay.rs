//! Every input in `fuzz/corpus/<target>/` (real samples: the official API examples, the demo
//! org's rules and export files, plus whatever a fuzzing run found worth keeping) runs through
//! its fuzz target on every `cargo test`, so a crash once found stays fixed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target} panicked on {}", path.display());
        n += 1;
    }
    assert!(
        n >= 10,
        "{target}: only {n} corpus inputs in {}",
        dir.display()
    );
}

#[test]
fn response_parse_corpus() {
    replay("response_parse", zscore::fuzzing::response_parse);
}

#[test]
fn request_validate_corpus() {
    replay("request_validate", zscore::fuzzing::request_validate);
}

#[test]
fn criteria_eval_corpus() {
    replay("criteria_eval", zscore::fuzzing::criteria_eval);
}

#[test]
fn import_file_corpus() {
    replay("import_file", zscore::fuzzing::import_file);
}
