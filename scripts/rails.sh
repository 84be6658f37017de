#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml), for every page Trunk builds: builds the bank rails'
# module (rails/: a plain wasm, no wasm-bindgen, no imports) and puts payform_rails.wasm into
# the staging dir, beside the bundle. The form fetches it only when a bank-rail payment arrives
# (src/ui/browser/rails.rs). Always a release build (a debug one is 7 MB, over the 1 MB the form
# accepts); in a release build of the pages it is wasm-opt -Oz'd like the bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${TRUNK_STAGING_DIR:?run by trunk}/payform_rails.wasm"
if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then
  cargo build --release --target wasm32-unknown-unknown -p payform-rails --quiet
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --strip-debug --strip-producers \
    target/wasm32-unknown-unknown/release/payform_rails.wasm -o "$out"
else
  cargo build --release --target wasm32-unknown-unknown -p payform-rails --quiet
  cp target/wasm32-unknown-unknown/release/payform_rails.wasm "$out"
fi
