#!/usr/bin/env bash
# A bounded cargo-fuzz run of every parser target (address, amount, payment JSON), cheap enough
# for CI: FUZZ_SECONDS per target (default 20). Fails on any panic. Longer local runs:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz address
# cargo-fuzz needs the unstable -Zsanitizer flag; this machine has only the stable toolchain
# and cannot fetch a nightly, so RUSTC_BOOTSTRAP=1 unlocks it for these builds only.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-20}"
for target in address amount payment; do
  work=$(mktemp -d)
  cp fuzz/corpus/"$target"/* "$work"/
  echo "fuzz: $target for ${seconds}s"
  status=0
  cargo fuzz run --fuzz-dir fuzz "$target" "$work" -- -max_total_time="$seconds" -print_final_stats=1 \
    >"$work.log" 2>&1 || status=$?
  grep -E "^Done|number_of_executed_units|panicked|ERROR|SUMMARY" "$work.log" || true
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then tail -40 "$work.log"; echo "fuzz: $target FAILED"; exit 1; fi
  rm -f "$work.log"
done
