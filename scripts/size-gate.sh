#!/usr/bin/env bash
# Fails when the merchant bundle (wasm + payform.js, which bundles the glue, + payform.css, gzip -9) grew more than
# SIZE_SLACK bytes (default 2048) over the committed baseline in docs/size-baseline.txt. A change
# that really needs the bytes updates the baseline in the same commit and says why in
# docs/size.md. Run after `make build`.
set -euo pipefail
cd "$(dirname "$0")/.."
slack=${SIZE_SLACK:-2048}
baseline=$(awk '/^total_gzip /{print $2}' docs/size-baseline.txt)
total=0
for f in dist/payform_embed_bg.wasm dist/payform.js dist/payform.css; do
  total=$((total + $(gzip -9c "$f" | wc -c)))
done
if [ "$total" -gt $((baseline + slack)) ]; then
  echo "size: the bundle is $total bytes gzip, more than $slack over the baseline $baseline (docs/size-baseline.txt)"
  exit 1
fi
echo "size: the bundle is $total bytes gzip (baseline $baseline, slack $slack)"
