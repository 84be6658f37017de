#!/usr/bin/env bash
# Fails when the release wasm carries more formatting machinery than FMT_BUDGET bytes of code
# (default: docs/size-baseline.txt's fmt_code): core::fmt's interpreter of `format!`/`write!`,
# its integer writers, `Display`/`Debug` impls, `ToString`. The form builds its text with
# core/src/text.rs instead (docs/size.md, "No formatting machinery"). It reads the wasm that
# `make build` compiled (cargo's artifact, which keeps function names), binds it with
# wasm-bindgen as trunk did (names demangled), and sums the code of those functions before
# wasm-opt. Run after `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
budget=${FMT_BUDGET:-$(awk '/^fmt_code /{print $2}' docs/size-baseline.txt)}
wasm=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/payform_embed.wasm
[ -f "$wasm" ] || { echo "fmt: $wasm is missing: run make build first"; exit 1; }
out=target/fmt-gate
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" "$wasm"
python3 scripts/wasm-sizes.py "$out/payform_embed_bg.wasm" --fmt-budget "$budget"
