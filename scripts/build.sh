#!/usr/bin/env bash
# Builds the release pages into dist/: the demo (index.html) and the hosted checkout
# (checkout.html), each with its wasm optimised by wasm-opt. Trunk builds one page at a time,
# names its output index.html and replaces its dist folder, so the checkout is built aside and
# merged in.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
mode="${1:---release}"
trunk build $mode --dist target/dist-checkout checkout.html
trunk build $mode --dist dist index.html
for f in target/dist-checkout/*; do
  case "$f" in
    */index.html) cp "$f" dist/checkout.html ;;
    *) cp "$f" dist/ ;;
  esac
done
