# Payform — the two commands of the README's Quick start, and their parts.
#   make dev    installs what is missing, builds, runs devserver + trunk serve (demo on :8080)
#   make test   installs what is missing (also chromium, firefox-esr, WebKitGTK), runs every test
#   make bench  bundle sizes; navigation -> QR painted on Slow 4G + 4x CPU and unthrottled, against
#               a Leptos counter floor and a plain JS page (bench/); paid latency; wasm by crate; herd
#   make screenshots  every status screen (360/1280 px, light/dark) into docs/screenshots/
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)
TEST_PORT ?= 8788

.PHONY: screenshots dev test bench setup-build setup-test lint test-native test-fuzz test-browser test-e2e test-engines test-example build devserver clean

setup-build:
	@bash scripts/setup.sh build

setup-test:
	@bash scripts/setup.sh test

devserver:
	cargo build -p devserver

build: setup-build
	bash scripts/build.sh --release

dev: setup-build devserver
	@bash scripts/dev.sh

lint:
	bash scripts/floors.sh
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --features payform/embed -- -D warnings
	cargo clippy --lib --bins --test browser --target wasm32-unknown-unknown --features embed -- -D warnings
	cargo clippy -p payform-leptos-app --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test --workspace

# wasm-bindgen-test in headless Chromium, against a devserver on $(TEST_PORT).
test-browser: devserver
	cargo build --release --target wasm32-unknown-unknown -p payform-rails
	@DEVSERVER_STATIC=. bash scripts/with-devserver.sh $(TEST_PORT) -- env \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner WASM_BINDGEN_TEST_TIMEOUT=300 \
	  CHROMEDRIVER=/usr/bin/chromedriver \
	  PAYFORM_DEVSERVER=http://127.0.0.1:$(TEST_PORT) \
	  cargo test --target wasm32-unknown-unknown --features embed --test browser

# End-to-end: Playwright drives Chromium through the release pages served by the devserver;
# first, the bundle may not have grown more than 2 KB gzip over docs/size-baseline.txt, and
# the wasm may not carry more formatting code (core::fmt) than its budget there.
test-e2e: build devserver
	bash scripts/size-gate.sh
	bash scripts/fmt-gate.sh
	cd e2e && node --test --test-concurrency=1 tests/

# The core flows in the other engines, through WebDriver (selenium-webdriver): Firefox ESR
# (geckodriver, headless) and WebKitGTK (WebKitWebDriver + MiniBrowser under Xvfb). The hosted
# checkout and <pay-form>: shown, QR decoded, paid once, no JavaScript errors.
test-engines: build devserver
	cd e2e && node --test --test-concurrency=1 engines/

# The Leptos example app (examples/leptos-app/, a crate using payform by path), built by trunk
# (debug) into target/dist-leptos-app/ and driven in Chromium against the devserver.
test-example: setup-build devserver
	cd examples/leptos-app && trunk build
	cd e2e && node --test --test-concurrency=1 example/

# A bounded cargo-fuzz run of each parser (FUZZ_SECONDS per target).
test-fuzz:
	@bash scripts/fuzz-smoke.sh

test: setup-test lint test-native test-fuzz test-browser test-example test-e2e test-engines
	@echo "make test: all suites passed"

bench: setup-test build devserver
	@bash scripts/bench.sh

# Every status screen at 360 and 1280 px, light and dark, into docs/screenshots/.
screenshots: setup-test build devserver
	cd e2e && node screenshots.js

clean:
	rm -rf dist target/dist-checkout
