#!/usr/bin/env bash
# A bounded cargo-fuzz run of every target in fuzz/fuzz_targets (address, amount, payment,
# json, presets, mapping, sse, uri, bank), cheap enough for CI: FUZZ_SECONDS per target (default 15,
# so about two minutes of fuzzing in all, after one build). Fails on any panic or oracle
# disagreement. Longer local runs:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz json
# cargo-fuzz needs the unstable -Zsanitizer flag; this machine has only the stable toolchain
# and cannot fetch a nightly, so RUSTC_BOOTSTRAP=1 unlocks it for these builds only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-15}"
targets=$(cd fuzz/fuzz_targets && ls -- *.rs | sed 's/\.rs$//')
cargo fuzz build --fuzz-dir fuzz
for target in $targets; do
  work=$(mktemp -d)
  if [ -d fuzz/corpus/"$target" ]; then cp fuzz/corpus/"$target"/* "$work"/; fi
  echo "fuzz: $target for ${seconds}s"
  status=0
  cargo fuzz run --fuzz-dir fuzz "$target" "$work" -- -max_total_time="$seconds" -print_final_stats=1 \
    >"$work.log" 2>&1 || status=$?
  grep -E "^Done|number_of_executed_units|panicked|ERROR|SUMMARY" "$work.log" || true
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then tail -40 "$work.log"; echo "fuzz: $target FAILED"; exit 1; fi
  rm -f "$work.log"
done
