#!/usr/bin/env bash
# The three floors are rules the build enforces, not conventions:
#   core (core/, payform-core)  no DOM: leptos, web-sys, js-sys, wasm-bindgen, gloo are not
#                                among its dependencies, so using one is a compile error;
#   ui (src/ui/)                 Leptos components and browser plumbing; never names the embed floor;
#   embed (src/embed/, src/bin/) mounting into pages and the JS API, on top of ui;
# and beside them the rails' module (rails/, payform-rails): the core's bank rails as a plain
# wasm with no imports, so it too depends on nothing of the DOM floor.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
deps=$(cargo tree -p payform-core -e normal,build --prefix none --offline 2>/dev/null || cargo tree -p payform-core -e normal,build --prefix none)
if bad=$(grep -E '^(leptos|web-sys|js-sys|wasm-bindgen|gloo-)' <<<"$deps"); then
  echo "floors: the core depends on the DOM floor:"; echo "$bad" | sort -u; fail=1
fi
rails=$(cargo tree -p payform-rails -e normal,build --prefix none --offline 2>/dev/null || cargo tree -p payform-rails -e normal,build --prefix none)
if bad=$(grep -E '^(leptos|web-sys|js-sys|wasm-bindgen|gloo-)' <<<"$rails"); then
  echo "floors: the rails' module depends on the DOM floor:"; echo "$bad" | sort -u; fail=1
fi
if bad=$(grep -rn 'crate::embed' src/ui); then
  echo "floors: src/ui names the embed floor above it:"; echo "$bad"; fail=1
fi
[ "$fail" = 0 ] && echo "floors: core and rails have no DOM dependency; ui does not reach into embed"
exit "$fail"
