#!/usr/bin/env bash
# `make dev`: the devserver (simulated provider, :8787) plus `trunk serve` (demo, :8080,
# proxying /api/ to the devserver). Ctrl-C stops both. After `make build`, the devserver also
# serves dist/ (the merchant bundle, checkout.html and examples/) on :8787.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
static=()
[ -f dist/payform.js ] && static=(--static dist)
./target/debug/devserver --addr 127.0.0.1:8787 "${static[@]}" &
dev_pid=$!
trap 'kill $dev_pid 2>/dev/null || true' EXIT INT TERM
echo
echo "  Payform demo:  http://127.0.0.1:8080/   (simulated provider API on http://127.0.0.1:8787/api/)"
[ -f dist/payform.js ] && echo "  Embedding examples (from the last make build): http://127.0.0.1:8787/examples/element.html"
echo
trunk serve --dist target/dist-dev index.html
