#!/usr/bin/env bash
# `make dev`: the devserver (simulated provider, :8787) plus `trunk serve` (demo, :8080,
# proxying /api/ to the devserver), and a local chain for the demo's "Local chain" switch:
# anvil as Sepolia on :8545 with the test USDC (e2e/chain/dev-chain.mjs), watched by the
# devserver (--chain-rpc). LOCAL_CHAIN=0 skips the chain; without its npm packages (installed
# here into e2e/ when missing) or when it does not start, the demo runs without it. Ctrl-C stops
# them all. After `make build`, the devserver also serves dist/ (the merchant bundle,
# checkout.html and examples/) on :8787.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
chain_port=8545
dev_pid=
chain_pid=
ready=
cleanup() {
  if [ -n "$dev_pid" ]; then kill "$dev_pid" 2>/dev/null || true; fi
  if [ -n "$chain_pid" ]; then kill "$chain_pid" 2>/dev/null || true; fi
  if [ -n "$ready" ]; then rm -f "$ready"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The local chain: anvil, solc and ethers from e2e/'s npm packages.
chain=()
chain_line=
if [ "${LOCAL_CHAIN:-1}" != 0 ]; then
  need=0
  for pkg in @foundry-rs/anvil solc ethers; do [ -d "e2e/node_modules/$pkg" ] || need=1; done
  if [ "$need" = 1 ]; then
    echo "make dev: installing e2e/'s npm packages for the local chain (anvil, solc, ethers)"
    (cd e2e && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; }) || true
  fi
  if [ ! -d e2e/node_modules/@foundry-rs/anvil ]; then
    chain_line="Local chain: off (its npm packages could not be installed: run 'cd e2e && npm ci')"
  else
    ready=$(mktemp "${TMPDIR:-/tmp}/payform-dev-chain.XXXXXX")
    : >"$ready"
    # Its line goes into the banner below; its errors to the terminal.
    DEV_CHAIN_READY="$ready" node e2e/chain/dev-chain.mjs --port "$chain_port" >/dev/null &
    chain_pid=$!
    # Ready once the node answers JSON-RPC with the token deployed and minted (about 2 s; the
    # first run compiles the token with solc).
    for _ in $(seq 1 600); do
      [ -s "$ready" ] && break
      kill -0 "$chain_pid" 2>/dev/null || break
      sleep 0.1
    done
    if [ -s "$ready" ]; then
      chain=(--chain-rpc "http://127.0.0.1:$chain_port")
      chain_line="$(sed 's/^local chain/Local chain/' "$ready")"
    else
      kill "$chain_pid" 2>/dev/null || true
      chain_pid=
      chain_line="Local chain: off (anvil did not start on :$chain_port: see above; LOCAL_CHAIN=0 skips it)"
    fi
  fi
fi

static=()
[ -f dist/payform.js ] && static=(--static dist)
./target/debug/devserver --addr 127.0.0.1:8787 "${static[@]}" "${chain[@]}" &
dev_pid=$!
echo
echo "  Payform demo:  http://127.0.0.1:8080/   (simulated provider API on http://127.0.0.1:8787/api/)"
[ -f dist/payform.js ] && echo "  Embedding examples (from the last make build): http://127.0.0.1:8787/examples/element.html"
if [ -n "$chain_line" ]; then
  echo "  $chain_line"
  [ ${#chain[@]} -gt 0 ] && echo "    the demo's \"Local chain\" switch pays on it with the Payform dev wallet (LOCAL_CHAIN=0 make dev: without)"
fi
echo
trunk serve --dist target/dist-dev index.html
