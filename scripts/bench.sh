#!/usr/bin/env bash
# `make bench` (after `make build`): the release bundle a merchant page loads (payform.js, the
# wasm and its glue, the stylesheet; the hosted checkout page adds only checkout.js), raw, gzip
# and brotli bytes, against the budget; then the page loads of four stacks in the same run,
# throttled (Slow 4G + 4x CPU) and not (e2e/bench-load.js): Payform's element and hosted
# checkout, the floor (a bare Leptos counter, bench/counter/) and a plain JS stack
# (bench/compare/); then the time from a payment to the paid screen (e2e/bench.js); the 20
# largest crates of the wasm; the herd simulation of the request schedule.
# Builds on the way (once, then incremental): the counter (trunk, target/bench-counter/), the
# comparison page (npm + esbuild), and the wasm with its function names
# (target/bench-names-build/, slow the first time). None of this runs under `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
BUDGET_GZIP=${BUDGET_GZIP:-71680}   # 70 KB for this slice; the whole form's budget is 90 KB
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# What the benchmark serves: a copy of dist/ (the release files of `make build`) with the other
# stacks under bench/, in a folder of its own, so a build of dist/ running meanwhile (CI, a
# colleague's `make build`) changes nothing under the benchmark; compressed as dist/ is (.br and
# .gz beside every file, which the devserver sends as a CDN would).
site=target/bench-site
for _ in $(seq 1 12); do   # a build replacing dist/ right now: wait for it, up to a minute
  rm -rf "$site" && cp -r dist "$site" 2>/dev/null || true
  [ -f "$site/payform_embed_bg.wasm" ] && [ -f "$site/checkout.html" ] && [ -f "$site/examples/element.html" ] && break
  sleep 5
done
[ -f "$site/payform_embed_bg.wasm" ] || { echo "bench: dist/ is incomplete: run make build"; exit 1; }
node scripts/compress.mjs "$site"

say "the merchant bundle"
printf '%-24s %10s %10s %10s\n' file raw gzip brotli
total_raw=0; total_gz=0; total_br=0
for f in payform_embed_bg.wasm payform.js payform.css; do
  f="$site/$f"; [ -f "$f" ] || continue
  raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(stat -c%s "$f.br")
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-24s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-24s %10d %10d %10d   (budget %d gzip: %s)\n' total "$total_raw" "$total_gz" "$total_br" "$BUDGET_GZIP" \
  "$([ "$total_gz" -le "$BUDGET_GZIP" ] && echo within || echo OVER)"

# The release env of scripts/build.sh (std rebuilt with immediate-abort panics, no panic
# locations), for the counter floor and the wasm with names, so both compare with dist/.
release_env=()
if [ -z "${PAYFORM_PLAIN_BUILD:-}" ]; then
  release_env=(RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
    RUSTFLAGS="${RUSTFLAGS:-} -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort")
fi

say "building the other stacks (bench/counter, bench/compare)"
# The floor: a bare Leptos 0.8 counter, the same profile, env and wasm-opt flags (its
# Trunk.toml writes target/bench-counter/, for the path /bench/counter/).
(cd bench/counter && env "${release_env[@]}" CARGO_TARGET_DIR="$PWD/../../target/bench-counter-build" \
  nice trunk build --release >../../target/bench-counter.log 2>&1) \
  || { tail -30 target/bench-counter.log; echo "bench: the counter did not build"; exit 1; }
mkdir -p "$site/bench/counter" "$site/bench/compare"
cp target/bench-counter/* "$site/bench/counter/"
# The plain JS stack: Vue 2.7 + i18next + qrcode at the versions of bench/compare/package-lock.json.
if [ ! -d bench/compare/node_modules/esbuild ] \
  || [ bench/compare/package-lock.json -nt bench/compare/node_modules/.package-lock.json ]; then
  (cd bench/compare && npm ci --no-audit --no-fund --silent)
fi
(cd bench/compare && OUT="$PWD/../../$site/bench/compare" npm run -s build --silent >/dev/null)
cp bench/compare/index.html "$site/bench/compare/"
# The element page with the merchant preload snippet of docs/embedding.md.
mkdir -p "$site/bench/element-preload"
cp bench/element-preload.html "$site/bench/element-preload/index.html"
node scripts/compress.mjs "$site/bench"

say "page loads: navigation -> QR painted, four stacks, Slow 4G + 4x CPU and unthrottled"
BENCH_SITE="$site" node e2e/bench-load.js

say "from a payment to the paid screen"
BENCH_SITE="$site" node e2e/bench.js

say "the 20 largest crates of the wasm (code bytes before wasm-opt, names kept)"
# The release wasm of dist/ with its function names: the same build as scripts/build.sh's
# (profile and env), in a target dir of its own, bound by wasm-bindgen but not wasm-opt'ed.
env "${release_env[@]}" CARGO_TARGET_DIR=target/bench-names-build \
  nice cargo build -q --release --target wasm32-unknown-unknown --features embed --bin payform_embed
wasm-bindgen --target web --out-dir target/bench-names \
  target/bench-names-build/wasm32-unknown-unknown/release/payform_embed.wasm
python3 scripts/wasm-sizes.py target/bench-names/payform_embed_bg.wasm --top 20

say "the request schedule at internet scale"
# devserver/src/bin/herd.rs: 10,000 forms on a virtual clock against one backend that goes
# down, then comes back rate-limited; fails on a broken promise.
cargo run --release -q -p devserver --bin herd
