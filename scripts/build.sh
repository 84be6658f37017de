#!/usr/bin/env bash
# Builds the release files into dist/:
#   the merchant bundle  payform.js (with the wasm-bindgen glue bundled in), payform.d.ts,
#                        payform_embed_bg.wasm, payform_embed.js (the glue alone, for the checkout),
#                        payform.css, checkout.html + checkout.js (the hosted checkout page),
#                        locales/<lang>.json (fetched only for the locale in use),
#                        presets/<provider>.json (fetched only when that preset is used)
#   the demo page        index.html, demo.js, demo_bg.wasm, demo.css
#   examples/            one page per embedding mode
# and, for a release, the npm package (target/npm/, scripts/npm.sh)
# and a pinned copy of the merchant bundle under dist/v<version>/. Trunk builds one page at a
# time, names its output index.html and replaces its dist folder, so the bundle is built aside
# and merged in.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
mode="${1:---release}"
if [ "$mode" = "--release" ] && [ -z "${PAYFORM_PLAIN_BUILD:-}" ]; then
  # The shipped wasm carries no panic machinery: std is rebuilt with panics that abort at once
  # (-Cpanic=immediate-abort; a wasm panic is a trap either way, and with no panic hook the
  # message never reached a console), and no panic locations (-Zlocation-detail=none). Together
  # -13 KB gzip (docs/size.md). These are unstable flags and this machine has only the stable
  # toolchain, so RUSTC_BOOTSTRAP=1 unlocks them for this build only (as scripts/fuzz-smoke.sh
  # does for cargo-fuzz); std's source comes from rustup's rust-src (scripts/setup.sh).
  # PAYFORM_PLAIN_BUILD=1 builds without them.
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  # std's own size-over-speed choices (smaller sort and formatting paths): -0.5 KB gzip.
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export RUSTFLAGS="${RUSTFLAGS:-} -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort"
  # Trunk builds offline (Trunk.toml), so std's own dependencies must be in cargo's cache first
  # (a bare machine has none of them).
  cargo fetch --quiet --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
fi
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
trunk build $mode --dist target/dist-embed embed.html
trunk build $mode --dist dist index.html
mkdir -p "dist/v$version" dist/examples
for f in target/dist-embed/*; do
  case "$f" in
    */index.html) ;; # the Trunk target itself is not a page
    *) cp -r "$f" dist/ && cp -r "$f" "dist/v$version/" ;;
  esac
done
cp examples/*.html examples/*.js dist/examples/
if [ "$mode" = "--release" ]; then
  # The shipped JavaScript minified (comments, whitespace, local names); the sources in js/ and
  # the generated payform.d.ts stay readable. payform.js is bundled with the wasm-bindgen glue it
  # imports, so a merchant page loads one script, not a chain of two (the hosted checkout's
  # checkout.js imports the glue, payform_embed.js, on its own). The pinned copy under
  # v<version>/ is the same.
  esbuild dist/payform.js --bundle --minify --format=esm --target=es2022 --log-level=warning \
    --outfile=dist/payform.js --allow-overwrite
  # checkout.js is bundled too (the locale loader it shares with payform.js), keeping its
  # dynamic import of the glue a request of its own.
  esbuild dist/checkout.js --bundle --external:./payform_embed.js --minify --format=esm --target=es2022 \
    --log-level=warning --outfile=dist/checkout.js --allow-overwrite
  esbuild dist/payform_embed.js --minify --format=esm --target=es2022 --log-level=warning \
    --outfile=dist/payform_embed.js --allow-overwrite
  # The wallet module, loaded by payform.js only when the page has a browser wallet.
  esbuild dist/payform-wallet.js --minify --format=esm --target=es2022 --log-level=warning \
    --outfile=dist/payform-wallet.js --allow-overwrite
  for f in payform.js checkout.js payform_embed.js payform-wallet.js; do cp "dist/$f" "dist/v$version/$f"; done
  # Subresource integrity: the wasm's sha384 into payform.js, and integrity.json of every file.
  node scripts/integrity.mjs dist "$version"
fi
# Precompressed copies (.br, .gz) beside every file, served by the devserver as a CDN would.
node scripts/compress.mjs dist
# The npm package from the same files (target/npm/payform-<version>.tgz; scripts/npm.sh).
if [ "$mode" = "--release" ]; then
  bash scripts/npm.sh
fi
