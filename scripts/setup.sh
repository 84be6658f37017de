#!/usr/bin/env bash
# Installs what Payform's build and tests need, skipping whatever is already present at the
# right version. Works on a bare machine (Debian + rustup + node/npm) and is cheap to re-run.
#   scripts/setup.sh build   # wasm32 target, trunk 0.21.x, wasm-bindgen-cli, wasm-opt (binaryen)
#   scripts/setup.sh test    # the above + chromium/chromedriver, firefox-esr/geckodriver,
#                            # WebKitGTK's driver/Xvfb, cargo-fuzz + the e2e node packages
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"

# 1. The wasm32 target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. std's source, to rebuild std for the release wasm (scripts/build.sh, docs/size.md).
if ! rustup component list --installed 2>/dev/null | grep -qx rust-src; then
  say "adding rust component rust-src"
  rustup component add rust-src
fi

# 2. trunk 0.21.x (newer trunk needs a newer rustc than this machine's).
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  say "installing trunk 0.21.x (about 11 minutes on 2 cores)"
  cargo install trunk --version '~0.21' --locked
fi

# 3. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (not --locked: the
#    locked build wants a crate version this registry lacks).
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $wb_version"; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# 4. wasm-opt from the npm package binaryen (Debian's version 108 breaks the bundle).
if ! wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  say "installing wasm-opt (npm binaryen@132) into .tools/"
  mkdir -p .tools
  (cd .tools && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd .tools && npm install --no-audit --no-fund --silent binaryen@132.0.0)
fi

# 5. esbuild (npm) minifies the merchant bundle's JavaScript in release builds.
if [ "$(esbuild --version 2>/dev/null)" != "0.28.2" ]; then
  say "installing esbuild 0.28.2 into .tools/"
  mkdir -p .tools
  (cd .tools && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd .tools && npm install --no-audit --no-fund --silent esbuild@0.28.2)
fi

[ "$what" = "test" ] || exit 0

# 6. Chromium and ChromeDriver from Debian.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 6b. Firefox ESR, WebKitGTK's WebDriver (it brings MiniBrowser) and Xvfb from Debian, for the
#     engine tests (e2e/engines/): MiniBrowser has no headless mode, so it runs under Xvfb.
if ! command -v firefox-esr >/dev/null || ! command -v WebKitWebDriver >/dev/null || ! command -v Xvfb >/dev/null; then
  say "installing firefox-esr, webkit2gtk-driver and xvfb"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb >/dev/null
fi

# 6c. geckodriver 0.37.1 from crates.io (the npm package downloads a binary, which fails here);
#     about 2 minutes on 2 cores.
if ! geckodriver --version 2>/dev/null | grep -q '^geckodriver 0\.37\.1'; then
  say "installing geckodriver 0.37.1"
  cargo install geckodriver --version 0.37.1 --locked || cargo install geckodriver --version 0.37.1
fi

# 7. cargo-fuzz, for the bounded fuzz run of the parsers.
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# 8. The end-to-end test's node packages (playwright-core drives the system chromium;
#    selenium-webdriver drives Firefox and WebKit; @foundry-rs/anvil, solc and ethers run the
#    local chain of e2e/chain.js: anvil's binary comes in an optional platform package, so never
#    install with --omit=optional).
need_e2e=0
for pkg in playwright-core selenium-webdriver @foundry-rs/anvil solc ethers; do
  [ -d "e2e/node_modules/$pkg" ] || need_e2e=1
done
if [ "$need_e2e" = 1 ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  say "installing e2e node packages"
  (cd e2e && npm ci --no-audit --no-fund --silent 2>/dev/null || npm install --no-audit --no-fund --silent)
fi
say "tools ready"
