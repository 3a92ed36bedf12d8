#!/usr/bin/env bash
# Times the key list and search with 100,000 keys in one organization: a Release build on a fresh SQLite file,
# seeded by bench/Seeder, loaded with wrk over loopback. Prints the seeder's grid timings, then wrk's figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

KEYS=${KEYS:-100000}
PORT=${PORT:-5099}
DURATION=${DURATION:-10s}
work=$(mktemp -d); echo "work: $work"
trap 'kill "${app_pid:-0}" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

publish_app "$work/app"
dotnet build bench/Seeder -c Release -nologo -v quiet

echo "== seeding $KEYS keys (and timing the dashboard grid queries in-process)"
key=$(dotnet run -c Release --no-build --project bench/Seeder -- --db "$work/bench.db" --keys "$KEYS" | tail -n 1)

start_app "$work/bench.db" "$PORT" "$work/app.log"

base="http://127.0.0.1:$PORT/api/v1/api-keys"
# A live key (the bench key is live, and a key sees only keys of its own mode; every fifth seed is test).
middle=$(curl -fs -H "Authorization: Bearer $key" "$base?limit=100&q=$(printf 'service-%05d' $((KEYS / 2 + 1)))" | sed -E 's/.*"id":"(key_[0-9a-f]+)".*/\1/')

run() {
  local label=$1 url=$2
  curl -fs -o /dev/null -H "Authorization: Bearer $key" "$url" || { echo "request failed: $url"; exit 1; }
  echo "== $label"
  wrk -t2 -c8 -d"$DURATION" --latency -H "Authorization: Bearer $key" "$url" | grep -E "Requests/sec|Latency  |50%|99%"
}

run "list, first page of 100 (newest first)" "$base?limit=100"
run "list, page of 100 after a key in the middle" "$base?limit=100&starting_after=$middle"
run "list, revoked keys only" "$base?limit=100&status=revoked"
run "search by name, substring (q=service-09999)" "$base?q=service-09999"
run "search by key hint (q=bsk_live_)" "$base?q=bsk_live_&limit=100"
