//! A mutation fuzzer for the stable toolchain, for machines without cargo-fuzz / nightly. It
//! is not libFuzzer: no coverage feedback, just the corpus mutated at random (bit flips, byte
//! edits, splices, JSON-aware swaps of tokens for hostile ones), run through the same target
//! functions as `fuzz/fuzz_targets/`. A panic is saved to `fuzz/artifacts/<target>/` (replay
//! it by copying it into `fuzz/corpus/<target>/`).
//!
//! cargo run --release --example fuzz_loop -- <target> <seconds> [seed]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TOKENS: [&[u8]; 24] = [
    b"null",
    b"true",
    b"-1",
    b"0",
    b"1e309",
    b"-9223372036854775809",
    b"18446744073709551616",
    b"\"\"",
    b"[]",
    b"{}",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\"${EMPTY}\"",
    b"\"${LAST_N_DAYS:99999999999}\"",
    b"\"${AGEINDAYS}+-5\"",
    b"{\"group_operator\":\"or\",\"group\":[]}",
    b"\"between\"",
    b"\"include_all\"",
    b"\"_delete\"",
    b"{\"id\":\"1\",\"_delete\":null}",
    b"\"\\u001b[2J\\u202e\"",
    b"\"../../etc\"",
    b"1.5",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 => {
                let i = rng.below(len + 1);
                input.insert(i, rng.next() as u8);
            }
            3 if len > 1 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(16)) + 1;
                input.drain(i..i + n);
            }
            4 if !corpus.is_empty() => {
                let other = &corpus[rng.below(corpus.len())];
                let (a, b) = (rng.below(len + 1), rng.below(other.len() + 1));
                input.truncate(a);
                input.extend_from_slice(&other[b..]);
            }
            _ => {
                // Replace a JSON scalar-ish span (after ':' or '[' or ',') with a hostile token.
                let starts: Vec<usize> = input
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| matches!(c, b':' | b'[' | b','))
                    .map(|(i, _)| i + 1)
                    .collect();
                if starts.is_empty() {
                    continue;
                }
                let s = starts[rng.below(starts.len())];
                let e = input[s..]
                    .iter()
                    .position(|c| matches!(c, b',' | b'}' | b']'))
                    .map_or(input.len(), |p| s + p);
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(s..e, token.iter().copied());
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(target), Some(secs)) = (args.first(), args.get(1).and_then(|s| s.parse().ok()))
    else {
        eprintln!(
            "usage: fuzz_loop <response_parse|request_validate|criteria_eval|import_file> <seconds> [seed]"
        );
        std::process::exit(2);
    };
    let run: fn(&[u8]) = match target.as_str() {
        "response_parse" => zscore::fuzzing::response_parse,
        "request_validate" => zscore::fuzzing::request_validate,
        "criteria_eval" => zscore::fuzzing::criteria_eval,
        "import_file" => zscore::fuzzing::import_file,
        other => {
            eprintln!("unknown target {other:?}");
            std::process::exit(2);
        }
    };
    let seed = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_u64)
        | 1;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus: Vec<Vec<u8>> = std::fs::read_dir(root.join("corpus").join(target))
        .map(|d| {
            d.flatten()
                .filter_map(|e| std::fs::read(e.path()).ok())
                .collect()
        })
        .unwrap_or_default();
    // Crashes are reported here, not as the default panic message per input.
    std::panic::set_hook(Box::new(|_| {}));
    let _ = zscore::fuzzing::demo_org();
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut execs, mut crashes) = (0u64, 0u64);
    while Instant::now() < deadline {
        for _ in 0..64 {
            let mut input = if corpus.is_empty() {
                Vec::new()
            } else {
                corpus[rng.below(corpus.len())].clone()
            };
            mutate(&mut rng, &corpus, &mut input);
            execs += 1;
            if std::panic::catch_unwind(|| run(&input)).is_err() {
                crashes += 1;
                let dir: PathBuf = root.join("artifacts").join(target);
                let _ = std::fs::create_dir_all(&dir);
                let path = dir.join(format!("crash-{execs}"));
                let _ = std::fs::write(&path, &input);
                eprintln!("crash saved to {}", path.display());
            }
        }
    }
    println!(
        "{target}: {execs} executions in {secs} s ({} corpus inputs, seed {seed}), {crashes} crash(es)",
        corpus.len()
    );
    if crashes > 0 {
        std::process::exit(1);
    }
}
