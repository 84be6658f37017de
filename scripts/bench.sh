#!/usr/bin/env bash
# `make bench`: the release bundle a merchant page loads (payform.js, the wasm and its glue,
# the stylesheet; the hosted checkout page adds only checkout.js),
# raw and gzip bytes, against the budget; then time-to-QR in headless Chromium; then the
# herd simulation of the request schedule.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_GZIP=${BUDGET_GZIP:-71680}   # 70 KB for this slice; the whole form's budget is 90 KB
printf '%-24s %10s %10s %10s\n' file raw gzip brotli
total_raw=0; total_gz=0; total_br=0
for f in dist/payform_embed_bg.wasm dist/payform_embed.js dist/payform.js dist/payform.css; do
  raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(stat -c%s "$f.br")
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-24s %10d %10d %10d\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
printf '%-24s %10d %10d %10d   (budget %d gzip: %s)\n' total "$total_raw" "$total_gz" "$total_br" "$BUDGET_GZIP" \
  "$([ "$total_gz" -le "$BUDGET_GZIP" ] && echo within || echo OVER)"
node e2e/bench.js
# The request schedule at internet scale (devserver/src/bin/herd.rs): 10,000 forms on a virtual
# clock against one backend that goes down, then comes back rate-limited; fails on a broken promise.
cargo run --release -q -p devserver --bin herd
