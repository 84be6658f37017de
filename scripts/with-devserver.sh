#!/usr/bin/env bash
# Runs a command with the devserver listening on 127.0.0.1:PORT, and stops it afterwards.
#   scripts/with-devserver.sh PORT -- command args…
# DEVSERVER_STATIC=DIR also serves DIR (the browser tests use the repository root, for locales/).
set -euo pipefail
cd "$(dirname "$0")/.."
port="$1"; shift; [ "$1" = "--" ] && shift
static=()
[ -n "${DEVSERVER_STATIC:-}" ] && static=(--static "$DEVSERVER_STATIC")
./target/debug/devserver --addr "127.0.0.1:$port" "${static[@]}" >"target/devserver-$port.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/api/stats" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "target/devserver-$port.log"; exit 1; }
  sleep 0.1
done
"$@"
