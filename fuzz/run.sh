#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer's coverage instrumentation on the stable toolchain (the
# flags cargo-fuzz passes, minus the nightly-only sanitizer) and runs one of them.
# Usage: fuzz/run.sh TARGET [SECONDS]   (TARGET: response_parse, request_validate,
# criteria_eval, import_file). New inputs go to fuzz/work/TARGET, crashes to fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-60}
triple=$(rustc -vV | sed -n 's/^host: //p')
# --target keeps the instrumentation out of build scripts and proc macros, as cargo-fuzz does.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks" \
  cargo build --release --bin "$target" --target "$triple"
mkdir -p "work/$target" artifacts
"${CARGO_TARGET_DIR:-target}/$triple/release/$target" "work/$target" "corpus/$target" \
  -artifact_prefix=artifacts/ -max_total_time="$seconds" -print_final_stats=1
